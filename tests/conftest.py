"""Shared fixtures. Qt runs offscreen; every test gets its own database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No system keyring in tests (here and in the desk processes they start): secrets go to the
# user-only file, whose place each test chooses. Without this, keyring picks any backend class
# a test module defines (tests/unit/domain/test_secrets.py's in-memory one) as the default, and
# a secret stored in one process is then missing in the next.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from checkin import i18n
from checkin.domain.db import Database, open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventInfo, EventService
from checkin.resources import demo_event_file
from tests.helpers import HARD_NAMES, People, Person

BERLIN = dt.timezone(dt.timedelta(hours=2))  # CEST, the demo event's offset in September
POSTGRES_ENV = "CHECKIN_TEST_POSTGRES_URL"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests under tests/ui need a window: mark them ``gui``."""
    for item in items:
        if "tests/ui/" in Path(str(item.fspath)).as_posix():
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _german_by_default() -> Iterator[None]:
    """Every test starts in German (the default UI language) and leaves it so."""
    i18n.set_language("de")
    yield
    i18n.set_language("de")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated SQLite database file."""
    database = open_database(tmp_path / "checkin.db")
    yield database
    database.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a fresh, empty schema on the server in ``$CHECKIN_TEST_POSTGRES_URL``, dropped after
    the test; the test is skipped when the variable is not set."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL tests (CI does)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture
def demo_event(db: Database) -> EventInfo:
    """The seed event (programme, days, categories) without registrations."""
    return EventService(db).load_definition(load_event_file(demo_event_file()))


@pytest.fixture
def hard_people(db: Database, demo_event: EventInfo) -> list[Person]:
    """The long and non-Latin test names (``HARD_NAMES``) as registrations, in that order."""
    return People(db, demo_event).add_all(HARD_NAMES)


class FixedClock:
    """A clock for services: returns ``now`` and moves only when told."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock() -> FixedClock:
    """09:00 Berlin time on the first day of the demo event."""
    return FixedClock(dt.datetime(2024, 9, 19, 9, 0, tzinfo=BERLIN))
