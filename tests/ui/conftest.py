"""Fixtures for window tests: a desk over a temporary database, settings in a temporary ini file.

Thin wrappers over tests.helpers (people) and tests.helpers.desk (the desk builder).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.ui.context import DeskContext
from checkin.ui.qt_compat import protect_singletons
from checkin.ui.settings import SettingsStore
from tests.helpers import DAY2, People, Person
from tests.helpers.desk import build_desk

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


@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    """Settings in a temporary ini file: never the user's real settings."""
    return SettingsStore(tmp_path / "desk-settings.ini")


@pytest.fixture
def people(db: Database, demo_event: EventInfo) -> dict[str, Person]:
    """A few people on no particular day (so: every day), one cancelled, one on the second day only."""
    add = People(db, demo_event).add
    return {
        "mueller": add("Jürgen", "Müller", organisation="Jobcenter Kreis Offenbach", title="Dr.", days=()),
        "schmidt": add(
            "Anna",
            "Schmidt",
            organisation="Kommunales Jobcenter Marburg-Biedenkopf",
            workshops=("zw-digitalisierung",),
            days=(),
        ),
        "weber": add("Petra", "Weber", organisation="Diakonie Hessen", cancelled=True, days=()),
        "day2": add("Omar", "Yilmaz", days=(DAY2,)),
    }


@pytest.fixture
def desk_context(db: Database, demo_event: EventInfo, clock, people: dict[str, Person]) -> DeskContext:
    """A desk named 'Theke 1' over the demo event with a few people; tasks run inline."""
    return build_desk(db, demo_event, clock, desk="Theke 1")


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


@pytest.fixture
def when_modal():
    """``when_modal(kind, act)`` runs ``act(dialog)`` as soon as a modal dialog of ``kind`` is open."""
    timers: list[QTimer] = []

    def watch(kind: type, act) -> None:
        timer = QTimer()

        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, kind) and dialog.isVisible():
                timer.stop()
                act(dialog)

        timer.timeout.connect(poll)
        timer.start(10)
        timers.append(timer)

    yield watch
    for timer in timers:
        timer.stop()
