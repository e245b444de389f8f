"""Fixtures for the check-in engine tests: registrations on the demo event and a desk service."""

from __future__ import annotations

import pytest

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from tests.helpers import People


@pytest.fixture
def people(db: Database, demo_event: EventInfo) -> People:
    return People(db, demo_event)


@pytest.fixture
def desk(db: Database, demo_event: EventInfo, clock) -> CheckInService:  # type: ignore[no-untyped-def]
    """The entrance desk "Eingang 1" at 09:00 on the first day."""
    return CheckInService(db, demo_event, desk="Eingang 1", clock=clock)
