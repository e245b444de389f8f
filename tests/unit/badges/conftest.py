"""Fixtures for badge tests."""

from __future__ import annotations

import pytest
from badge_helpers import HARD_NAMES

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from tests.helpers import People, Person


@pytest.fixture
def hard_people(db: Database, demo_event: EventInfo) -> list[Person]:
    """The long and non-Latin test names as registrations: (id, code) in HARD_NAMES order."""
    return People(db, demo_event).add_all(HARD_NAMES)
