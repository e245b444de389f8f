"""The window around the panels: menus, part B's dialogs, other desks writing to the database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import open_database
from tests.helpers import People

DAY1 = dt.date(2024, 9, 19)


def _close_modal_soon() -> list[str]:
    seen: list[str] = []

    def close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, close)
            return
        seen.append(type(dialog).__name__)
        dialog.reject()

    QTimer.singleShot(0, close)
    return seen


@pytest.mark.parametrize(
    ("action", "dialog"),
    [
        ("act_import", "ImportWizard"),
        ("act_export", "ExportDialog"),
        ("act_batch", "BatchBadgeDialog"),
        ("act_settings", "SettingsDialog"),
    ],
)
def test_menu_actions_open_their_dialogs(qtbot, main_window, action, dialog):
    act = getattr(main_window, action)
    assert act is not None
    assert act.text()
    seen = _close_modal_soon()
    act.trigger()
    assert seen == [dialog]


def test_every_menu_entry_has_a_shortcut_or_is_help(main_window):
    entries = [a for menu in (main_window.menu_file, main_window.menu_people) for a in menu.actions()]
    missing = [a.text() for a in entries if not a.isSeparator() and a.shortcut().isEmpty()]
    assert missing == []


def test_dashboard_is_built_on_first_show(qtbot, main_window):
    assert main_window.dashboard_panel is None
    main_window.show_dashboard()
    assert main_window.dashboard_panel is not None
    assert main_window.tabs.currentWidget().isAncestorOf(main_window.dashboard_panel)


def test_another_desk_writing_is_noticed(qtbot, main_window, desk_context, db, demo_event, people, clock):
    main_window.show_door()
    main_window.door_panel.select_session("zw-digitalisierung")
    assert main_window.door_panel.shown_gauge.attended == 0
    other_db = open_database(db.url)
    try:
        other_desk = CheckInService(other_db, demo_event, desk="Theke 2", clock=clock)
        other_desk.scan(people["schmidt"].code, day=DAY1, session_key="zw-digitalisierung")
        newcomer = People(other_db, demo_event).add("Hildegard", "Übelacker", days=())
    finally:
        other_db.dispose()
    assert main_window.context.search.search("uebelacker") == []
    main_window.poll_database()
    assert main_window.door_panel.shown_gauge.attended == 1
    hits = main_window.context.search.search("uebelacker")
    assert [hit.registration_id for hit in hits] == [newcomer.registration_id]


def test_double_click_on_a_match_opens_the_person(qtbot, main_window, people):
    from PySide6.QtCore import Qt

    from tests.helpers.keys import type_text

    panel = main_window.checkin_panel
    type_text(panel.scan_field, "Schmi")
    hits = panel.search_popup.run_search()
    assert hits[0].person.last_name == "Schmidt"
    item = panel.search_popup.list.item(0)
    rect = panel.search_popup.list.visualItemRect(item)
    seen = _close_modal_soon()
    viewport = panel.search_popup.list.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == ["PersonDialog"]
    assert panel.verdict_view.verdict is None  # opening is not checking in


def test_f2_searches_what_was_typed(qtbot, main_window, people):
    from PySide6.QtCore import Qt

    panel = main_window.checkin_panel
    panel.scan_field.setText("weber")
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_F2)
    assert panel.search_popup.isVisible()
    assert [hit.person.last_name for hit in panel.search_popup.hits] == ["Weber"]
    assert "storniert" in panel.search_popup.list.item(0).text()
