"""The window around the panels: menus, part B's dialogs, other desks writing to the database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import open_database
from checkin.ui.main_window import shortcut_text
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


# -- the search index follows the desk's ChangeBus -------------------------------------------------


def test_a_watcher_change_on_the_bus_rebuilds_the_search(qtbot, desk_context, db, demo_event):
    from checkin.domain.watcher import DatabaseWatcher
    from checkin.ui.search_popup import SearchIndexKeeper

    keeper = SearchIndexKeeper(desk_context)
    watcher = DatabaseWatcher(db, demo_event.id)
    watcher.poll()  # the baseline
    other_db = open_database(db.url)
    try:
        newcomer = People(other_db, demo_event).add("Hildegard", "Übelacker", days=())
    finally:
        other_db.dispose()
    assert desk_context.search.search("uebelacker") == []
    desk_context.changes.publish(watcher.poll())
    hits = desk_context.search.search("uebelacker")
    assert [hit.registration_id for hit in hits] == [newcomer.registration_id]
    del keeper


def test_a_changed_person_on_the_bus_is_updated_in_the_search(qtbot, desk_context, db, demo_event, people):
    from sqlalchemy import update

    from checkin.domain.changes import Changes
    from checkin.domain.models import Registration
    from checkin.ui.search_popup import SearchIndexKeeper

    keeper = SearchIndexKeeper(desk_context)
    with db.session_factory.begin() as session:
        session.execute(
            update(Registration)
            .where(Registration.id == people["weber"].registration_id)
            .values(last_name="Wagenknecht")
        )
    assert desk_context.search.search("wagenknecht") == []
    desk_context.changes.publish(Changes.check_in(people["weber"].registration_id))
    assert desk_context.search.search("wagenknecht") == []  # a check-in does not touch the search
    desk_context.changes.publish(Changes.person(people["weber"].registration_id))
    assert [hit.person.last_name for hit in desk_context.search.search("wagenknecht")] == ["Wagenknecht"]
    del keeper


# -- actions: one table for menus, shortcuts and the F1 help ---------------------------------------


def test_every_action_of_the_table_is_in_the_window(main_window):
    from checkin.ui.actions import ACTIONS, handler_target

    for spec in ACTIONS:
        action = getattr(main_window, f"act_{spec.id}")
        assert action is not None, spec.id
        assert callable(handler_target(main_window, spec)), spec.handler
        assert action.shortcut().toString() == (spec.shortcut or ""), spec.id
        assert action.text(), spec.id
    in_menus = {a for menu in main_window.menus.values() for a in menu.actions() if not a.isSeparator()}
    assert in_menus == {main_window.actions_by_id[s.id] for s in ACTIONS if s.menu is not None}


def test_f1_lists_every_shortcut_with_help(qtbot, main_window):
    from PySide6.QtWidgets import QMessageBox

    from checkin.i18n import _
    from checkin.ui.actions import ACTIONS

    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, read_and_close)
            return
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(0, read_and_close)
    main_window.act_shortcuts.trigger()
    assert shown
    for spec in ACTIONS:
        if spec.help is not None:
            keys = shortcut_text(spec.shortcut)  # "Strg+I": the keys in the window's language too
            assert f"<td style='padding-right:24px'>{_(spec.help)}</td><td><b>{keys}</b>" in shown[0]
    assert "Einstellungen" in shown[0]  # in the window's language
    assert "Ctrl" not in shown[0]
