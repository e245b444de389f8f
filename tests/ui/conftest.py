"""Fixtures for window tests: a desk over a temporary database, settings in a temporary ini file.

Part B's tests may use ``desk_context`` and ``add_person`` too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from checkin.badges.service import BadgeService
from checkin.domain.checkin_service import CheckInService
from checkin.domain.codes import generate_code
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import EventDay, EventSession, Registration, RegistrationStatus
from checkin.domain.search import SearchIndex
from checkin.ui.context import DeskContext
from checkin.ui.qt_compat import protect_singletons
from checkin.ui.settings import DeskSettings, SettingsStore
from checkin.ui.tasks import SyncTaskRunner

# PySide6 6.12 loses references to None/True/False (see checkin/ui/qt_compat.py); the app
# protects them at start, and so must every test process that drives windows.
protect_singletons()

# The offscreen platform cannot resize or raise native windows and says so at WARNING
# level. That is not a fault of the app.
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints", "This plugin does not support raise")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in Path(str(item.fspath)).as_posix():
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@dataclass(frozen=True)
class Person:
    registration_id: int
    code: str
    first_name: str
    last_name: str


def add_person(
    db: Database,
    event: EventInfo,
    first_name: str,
    last_name: str,
    *,
    organisation: str = "",
    title: str = "",
    category_key: str | None = None,
    workshops: Sequence[str] = (),
    days: Sequence[dt.date] = (),
    cancelled: bool = False,
) -> Person:
    """Insert one registration straight through the ORM (no importer needed)."""
    category = event.category_by_key(category_key) if category_key else event.default_category
    code = generate_code(event.secret)
    with db.session_factory.begin() as session:
        registration = Registration(
            event_id=event.id,
            code=code,
            title=title,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            category_id=category.id if category else None,
            status=RegistrationStatus.CANCELLED if cancelled else RegistrationStatus.ACTIVE,
            source="test",
        )
        if workshops:
            registration.sessions = list(
                session.scalars(
                    select(EventSession).where(
                        EventSession.event_id == event.id, EventSession.key.in_(workshops)
                    )
                )
            )
        if days:
            registration.days = list(
                session.scalars(
                    select(EventDay).where(EventDay.event_id == event.id, EventDay.date.in_(days))
                )
            )
        session.add(registration)
        session.flush()
        return Person(registration.id, code, first_name, last_name)


@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    """Settings in a temporary ini file: never the user's real settings."""
    return SettingsStore(tmp_path / "desk-settings.ini")


@pytest.fixture
def people(db: Database, demo_event: EventInfo) -> dict[str, Person]:
    return {
        "mueller": add_person(
            db, demo_event, "Jürgen", "Müller", organisation="Jobcenter Kreis Offenbach", title="Dr."
        ),
        "schmidt": add_person(
            db,
            demo_event,
            "Anna",
            "Schmidt",
            organisation="Kommunales Jobcenter Marburg-Biedenkopf",
            workshops=("zw-digitalisierung",),
        ),
        "weber": add_person(db, demo_event, "Petra", "Weber", organisation="Diakonie Hessen", cancelled=True),
        "day2": add_person(db, demo_event, "Omar", "Yilmaz", days=(dt.date(2024, 9, 20),)),
    }


@pytest.fixture
def desk_context(db: Database, demo_event: EventInfo, clock, people: dict[str, Person]) -> DeskContext:
    """A desk named 'Theke 1' over the demo event with a few people; tasks run inline."""
    settings = DeskSettings(desk_name="Theke 1", sound=False)
    return DeskContext(
        db=db,
        event=demo_event,
        checkin=CheckInService(db, demo_event, desk=settings.desk_name, clock=clock),
        search=SearchIndex(db, demo_event),
        badges=BadgeService(db, demo_event, desk=settings.desk_name, clock=clock),
        settings=settings,
        tasks=SyncTaskRunner(),
        clock=clock,
    )


class ScannerTicker:
    """A clock that moves 5 ms per reading: key events sent by a test look like a scanner burst
    however busy the machine is."""

    def __init__(self, step: float = 0.005) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def main_window(qtbot, desk_context: DeskContext, settings_store: SettingsStore) -> Iterator[QWidget]:
    from checkin.ui.main_window import MainWindow

    window = MainWindow(desk_context, store=settings_store)
    window.capture.clock = ScannerTicker()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.focus_scan_field()
    yield window
    window.close()


def type_text(widget: QWidget, text: str) -> None:
    """Send ``text`` as key events, one character at a time (works for umlauts, unlike keyClicks)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def press(
    widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers))
