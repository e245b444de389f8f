"""The dashboard: figures per day and session, the arrivals chart, live updates from other desks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from checkin.domain.db import open_database
from checkin.ui.change_bus import DatabasePoller
from checkin.ui.dashboard_panel import DashboardPanel
from checkin.ui.tasks import TaskRunner
from tests.helpers import People, record_checkin, registration_ids
from tests.helpers.desk import build_desk

DAY1 = dt.date(2024, 9, 19)
DAY2 = dt.date(2024, 9, 20)


def test_figures_for_the_first_morning(qtbot, db, demo_event, clock) -> None:
    ids = registration_ids(People(db, demo_event).add_many(5, days=[DAY1, DAY2], workshops=["zw-bass"]))
    People(db, demo_event).add_many(2, days=[DAY2], start=10)
    People(db, demo_event).add_many(1, days=[DAY1], cancelled=True, start=20)
    for minutes, reg in zip((-50, -40, -5), ids[:3], strict=True):
        record_checkin(db, demo_event, reg, DAY1, at=clock() + dt.timedelta(minutes=minutes))
    record_checkin(db, demo_event, ids[2], DAY1, at=clock() - dt.timedelta(minutes=1), undo=True)
    context = build_desk(db, demo_event, clock)
    panel = DashboardPanel(context)
    qtbot.addWidget(panel)
    panel.refresh(force=True)

    assert panel.selected_date == DAY1
    assert panel.registered_tile.value_label.text() == "5"
    assert panel.arrived_tile.value_label.text() == "2"
    assert panel.open_tile.caption_label.text() == "noch erwartet"
    assert panel.open_tile.value_label.text() == "3"
    days = panel.days_model
    assert [days.cell(0, c) for c in range(1, 5)] == ["5", "2", "3", "–"]
    assert [days.cell(1, c) for c in range(1, 5)] == ["7", "0", "7", "–"]
    # Day 1's programme; the BASS workshop has 5 registered, capacity 60, nobody at the door yet.
    sessions = panel.sessions_model
    row = next(r for r in range(sessions.rowCount()) if "BASS" in sessions.cell(r, 1))
    assert [sessions.cell(row, c) for c in range(3, 9)] == ["5", "0", "60", "0 %", "5", "–"]
    assert sessions.rowCount() == 7
    # Arrivals chart: 08:10, 08:20 (09:00 local minus 50/40 min), 08:55 undone; slots 08:00..09:00.
    slots = panel.dashboard.arrivals_on(DAY1)
    assert [(s.start.strftime("%H:%M"), s.count) for s in slots] == [
        ("08:00", 1),
        ("08:15", 1),
        ("08:30", 0),
        ("08:45", 0),
        ("09:00", 0),
    ]
    assert panel.chart_view.isVisibleTo(panel)


def test_no_shows_appear_once_the_day_is_over(qtbot, db, demo_event, clock) -> None:
    ids = registration_ids(People(db, demo_event).add_many(4, days=[DAY1], workshops=["zw-it-sicherheit"]))
    record_checkin(db, demo_event, ids[0], DAY1, at=clock())
    record_checkin(
        db, demo_event, ids[0], DAY1, at=clock() + dt.timedelta(hours=5), session_key="zw-it-sicherheit"
    )
    clock.advance(hours=6, minutes=30)  # 15:30: the workshops (14-16) are running
    context = build_desk(db, demo_event, clock)
    panel = DashboardPanel(context)
    qtbot.addWidget(panel)
    panel.refresh(force=True)
    sessions = panel.sessions_model
    row = next(r for r in range(sessions.rowCount()) if "IT-Sicherheit" in sessions.cell(r, 1))
    assert [sessions.cell(row, c) for c in (3, 4, 7, 8)] == ["4", "1", "3", "–"]
    assert panel.days_model.cell(0, 3) == "3"

    clock.advance(hours=1)  # 16:30: the last session of day 1 has ended
    panel.refresh()
    assert [sessions.cell(row, c) for c in (3, 4, 7, 8)] == ["4", "1", "–", "3"]
    assert [panel.days_model.cell(0, c) for c in (3, 4)] == ["–", "3"]
    assert panel.open_tile.caption_label.text() == "nicht erschienen"
    assert panel.open_tile.value_label.text() == "3"


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_another_desk_writing_updates_the_panel(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    ids = registration_ids(People(db, demo_event).add_many(3, days=[DAY1]))
    runner = TaskRunner()
    context = build_desk(db, demo_event, clock, tasks=runner)
    panel = DashboardPanel(context, refresh_ms=50)
    qtbot.addWidget(panel)
    poller = DatabasePoller(context, interval_ms=50)  # the window's one watcher of other desks
    poller.start()
    panel.show()
    qtbot.waitUntil(lambda: panel.dashboard is not None, timeout=5000)
    assert panel.arrived_tile.value_label.text() == "0"

    other_desk = open_database(db.url)  # a second process on the same file
    try:
        record_checkin(other_desk, demo_event, ids[1], DAY1, at=clock(), desk="Desk 2")
    finally:
        other_desk.dispose()
    qtbot.waitUntil(lambda: panel.arrived_tile.value_label.text() == "1", timeout=5000)
    assert panel.days_model.cell(0, 3) == "2"
    poller.stop()
    panel.hide()
    runner.wait_until_idle()


def test_unchanged_database_is_not_recomputed(qtbot, db, demo_event, clock) -> None:
    People(db, demo_event).add_many(2, days=[DAY1])
    context = build_desk(db, demo_event, clock)
    panel = DashboardPanel(context)
    qtbot.addWidget(panel)
    computed: list[object] = []
    panel.refreshed.connect(computed.append)
    panel.refresh()
    panel.refresh()  # same minute, nothing written
    assert len(computed) == 1
    clock.advance(seconds=61)  # a new minute may turn expected into no-shows: recompute
    panel.refresh()
    assert len(computed) == 2


def test_day_switch_and_english(qtbot, db, demo_event, clock) -> None:
    from checkin import i18n

    i18n.set_language("en")
    People(db, demo_event).add_many(2, days=[DAY2])
    context = build_desk(db, demo_event, clock)
    panel = DashboardPanel(context)
    qtbot.addWidget(panel)
    panel.refresh(force=True)
    panel.set_selected_date(DAY2)
    assert panel.registered_tile.value_label.text() == "2"
    assert panel.open_tile.caption_label.text() == "still expected"
    assert not panel.chart_view.isVisibleTo(panel)
    assert panel.chart_empty_label.isVisibleTo(panel)
    assert "Freitag" in panel.sessions_title.text()


def test_retranslate_switches_the_language(qtbot, db, demo_event, clock) -> None:
    from checkin import i18n

    People(db, demo_event).add_many(1, days=[DAY1])
    panel = DashboardPanel(build_desk(db, demo_event, clock))
    qtbot.addWidget(panel)
    panel.refresh(force=True)
    assert panel.title_label.text() == "Übersicht"
    assert panel.days_model.headerData(3, Qt.Orientation.Horizontal) == "Noch erwartet"
    i18n.set_language("en")
    panel.retranslate()
    assert panel.title_label.text() == "Dashboard"
    assert panel.days_model.headerData(3, Qt.Orientation.Horizontal) == "Still expected"
    assert panel.days_model.cell(0, 0).endswith("(running)")


def test_thousands_follow_the_language() -> None:
    from checkin import i18n
    from checkin.ui.dashboard_panel import _number

    assert _number(12345) == "12.345"
    i18n.set_language("en")
    assert _number(12345) == "12,345"
    assert _number(None) == "–"
