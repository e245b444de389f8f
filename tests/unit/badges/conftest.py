"""Fixtures for badge tests."""

from __future__ import annotations

import pytest
from badge_helpers import HARD_NAMES, add_people

from checkin.domain.db import Database
from checkin.domain.events import EventInfo


@pytest.fixture
def hard_people(db: Database, demo_event: EventInfo) -> list[tuple[int, str]]:
    """The long and non-Latin test names as registrations: (id, code) in HARD_NAMES order."""
    return add_people(db, demo_event, HARD_NAMES)
