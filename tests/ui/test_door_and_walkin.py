"""Workshop doors (with a full session) and walk-ins."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from checkin.domain.verdicts import Severity, VerdictKind
from checkin.presentation.verdict_text import verdict_text
from checkin.ui.door_panel import gauge_level
from checkin.ui.walkin_dialog import WalkInDialog
from tests.helpers import People
from tests.helpers.boxes import answer_next_box
from tests.helpers.keys import type_text

DAY1 = dt.date(2024, 9, 19)


def test_gauge_level_thresholds():
    assert gauge_level(0, None) == "ok"
    assert gauge_level(53, 60) == "ok"
    assert gauge_level(54, 60) == "warning"
    assert gauge_level(60, 60) == "refused"


def test_workshop_door_records_attendance_and_shows_the_gauge(qtbot, main_window, people):
    main_window.show_door()
    door = main_window.door_panel
    assert door.select_session("zw-digitalisierung")
    assert door.scan_field.isEnabled()
    qtbot.keyClicks(door.scan_field, people["schmidt"].code)
    qtbot.keyClick(door.scan_field, Qt.Key.Key_Return)
    verdict = door.verdict_view.verdict
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.session_key == "zw-digitalisierung"
    assert door.shown_gauge.attended == 1
    assert door.gauge.value() == 1
    assert door.gauge.maximum() == 120
    assert "1 von 120 Plätzen" in door.gauge.format()
    # not registered for this workshop: admitted with a warning (the demo event allows switching)
    other = door.submit_scan(people["mueller"].code)
    assert other.kind is VerdictKind.NOT_REGISTERED_FOR_SESSION
    assert other.severity is Severity.WARNING
    assert door.shown_gauge.attended == 2


def test_ctrl_z_at_the_door_undoes_there_and_updates_the_gauge(qtbot, main_window, people):
    main_window.show_door()
    door = main_window.door_panel
    door.select_session("zw-digitalisierung")
    door.submit_scan(people["schmidt"].code)
    assert door.shown_gauge.attended == 1
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(door.scan_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(answer.texts) == 1
    assert main_window.tabs.currentWidget() is door
    assert door.verdict_view.band.text() == "Check-in rückgängig gemacht"
    assert door.shown_gauge.attended == 0


def test_scanner_burst_on_the_door_page_goes_to_the_door(qtbot, main_window, people):
    main_window.show_door()
    door = main_window.door_panel
    door.select_session("zw-digitalisierung")
    door.recent.setFocus()
    qtbot.keyClicks(door.recent, people["schmidt"].code)
    qtbot.keyClick(door.recent, Qt.Key.Key_Return)
    assert door.verdict_view.verdict.session_key == "zw-digitalisierung"
    assert main_window.tabs.currentWidget() is door


def test_full_workshop_refuses_and_the_gauge_says_full(qtbot, main_window, desk_context, db, demo_event):
    capacity = demo_event.session_by_key("zw-bass").capacity
    attendees = [
        People(db, demo_event).add(f"Person{i}", "Bass", workshops=("zw-bass",), days=())
        for i in range(capacity + 1)
    ]
    for person in attendees[:capacity]:
        verdict = desk_context.checkin.scan(person.code, day=DAY1, session_key="zw-bass")
        assert verdict.admitted
    main_window.show_door()
    door = main_window.door_panel
    door.select_session("zw-bass")
    assert door.gauge_text.text().endswith("Voll")
    assert door.gauge.property("level") == "refused"
    verdict = door.submit_scan(attendees[-1].code)
    assert verdict.kind is VerdictKind.SESSION_FULL
    assert verdict.severity is Severity.REFUSED
    assert door.verdict_view.band.text() == f"✕   {verdict_text(verdict)}"
    assert door.recent.topLevelItem(0).text(2) == "✕  Veranstaltung voll"
    assert door.shown_gauge.attended == capacity


def test_door_without_session_asks_for_one(main_window):
    main_window.show_door()
    door = main_window.door_panel
    door.session_combo.setCurrentIndex(0)
    assert door.session_key is None
    assert not door.scan_field.isEnabled()
    assert door.verdict_view.band.text() == "Veranstaltung wählen"


def test_walk_in_dialog_registers_and_checks_in(qtbot, desk_context):
    dialog = WalkInDialog(desk_context, DAY1)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.first_edit, "Sören")
    type_text(dialog.last_edit, "Öztürk")
    dialog.organisation_edit.setText("Jobcenter Stadt Kassel")
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("press"))
    dialog.workshop_checks["zw-digitalisierung"].setChecked(True)
    dialog.workshop_checks["zw-interkommunal"].setChecked(True)  # same slot: replaces the first
    assert not dialog.workshop_checks["zw-digitalisierung"].isChecked()
    assert dialog.register()
    verdict = dialog.verdict
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.first_name == "Sören"
    assert verdict.person.category_key == "press"
    assert "walk_in" in verdict.notes
    details = desk_context.checkin.person(verdict.person.registration_id)
    assert details.session_keys == ("zw-interkommunal",)
    assert details.days == (DAY1,)
    assert details.checked_in_on(DAY1)


def test_walk_in_dialog_needs_a_name(qtbot, desk_context):
    dialog = WalkInDialog(desk_context, DAY1)
    qtbot.addWidget(dialog)
    assert not dialog.register()
    assert dialog.verdict is None
    assert "Nachnamen" in dialog.error_label.text()


def test_walk_in_from_the_window_shows_the_person_and_finds_them(qtbot, main_window):
    def fill_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WalkInDialog)
        dialog.first_edit.setText("Grete")
        dialog.last_edit.setText("Großmann")
        dialog.print_check.setChecked(False)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_and_accept)
    qtbot.keyClick(main_window.checkin_panel.scan_field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    panel = main_window.checkin_panel
    assert panel.verdict_view.verdict.kind is VerdictKind.CHECKED_IN
    assert panel.verdict_view.name_label.text() == "Grete Großmann"
    hits = main_window.context.search.search("grossmann")
    assert [hit.person.last_name for hit in hits] == ["Großmann"]
    assert main_window.focusWidget() is panel.scan_field


# -- the door gauge follows the desk's ChangeBus ---------------------------------------------------


def _door_alone(qtbot, desk_context):
    """A door panel with no main window around it: nothing but the bus can refresh it."""
    from checkin.ui.door_panel import DoorPanel
    from checkin.ui.settings import WorkingDay

    door = DoorPanel(desk_context)
    qtbot.addWidget(door)
    door.set_working_day(WorkingDay(DAY1, is_today=True))
    assert door.select_session("zw-digitalisierung")
    assert door.shown_gauge.attended == 0
    return door


def _other_desk_scans(db, demo_event, clock, code: str, session_key: str) -> None:
    from checkin.domain.checkin_service import CheckInService
    from checkin.domain.db import open_database

    other_db = open_database(db.url)
    try:
        CheckInService(other_db, demo_event, desk="Tür 2", clock=clock).scan(
            code, day=DAY1, session_key=session_key
        )
    finally:
        other_db.dispose()


def test_a_watcher_change_on_the_bus_refreshes_the_door_gauge(
    qtbot, desk_context, db, demo_event, people, clock
):
    from checkin.domain.watcher import DatabaseWatcher

    door = _door_alone(qtbot, desk_context)
    watcher = DatabaseWatcher(db, demo_event.id)
    watcher.poll()  # the baseline
    _other_desk_scans(db, demo_event, clock, people["schmidt"].code, "zw-digitalisierung")
    assert door.shown_gauge.attended == 0  # nobody told the door yet
    desk_context.changes.publish(watcher.poll())
    assert door.shown_gauge.attended == 1


def test_changes_of_another_session_leave_the_gauge_alone(qtbot, desk_context, db, demo_event, people, clock):
    from checkin.domain.changes import Changes

    door = _door_alone(qtbot, desk_context)
    _other_desk_scans(db, demo_event, clock, people["schmidt"].code, "zw-digitalisierung")
    other_session = demo_event.session_by_key("zw-bass")
    desk_context.changes.publish(Changes.check_in(people["schmidt"].registration_id, other_session.id))
    assert door.shown_gauge.attended == 0  # not this door's session: not read again
    desk_context.changes.publish(Changes.person(people["schmidt"].registration_id))
    assert door.shown_gauge.attended == 0  # no figures moved
    own_session = demo_event.session_by_key("zw-digitalisierung")
    desk_context.changes.publish(Changes.check_in(people["schmidt"].registration_id, own_session.id))
    assert door.shown_gauge.attended == 1


def test_a_scan_at_the_door_publishes_what_it_changed(qtbot, desk_context, demo_event, people):
    door = _door_alone(qtbot, desk_context)
    seen = []
    desk_context.changes.changed.connect(seen.append)
    door.submit_scan(people["schmidt"].code)
    session_id = demo_event.session_by_key("zw-digitalisierung").id
    assert len(seen) == 1
    assert seen[0].registrations == frozenset({people["schmidt"].registration_id})
    assert seen[0].sessions == frozenset({session_id})
    assert seen[0].figures
    assert door.shown_gauge.attended == 1
    door.submit_scan("HELLO-WORLD")  # refused: nothing changed, nothing published
    assert len(seen) == 1


def test_choosing_another_session_forgets_the_last_scans(qtbot, desk_context, people):
    door = _door_alone(qtbot, desk_context)
    door.submit_scan(people["schmidt"].code)
    assert len(door.recent.scans) == 1
    door.select_session("zw-bass")
    assert door.recent.scans == []
    assert door.recent.topLevelItemCount() == 0
