"""The check-in desk as staff use it: scanner bursts, search by name, undo."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from checkin.domain.verdicts import Severity, VerdictKind
from checkin.presentation.verdict_text import verdict_text
from tests.helpers.boxes import answer_next_box
from tests.helpers.keys import press, type_text


def _verdict_band(window) -> str:
    return window.checkin_panel.verdict_view.band.text()


def test_scan_field_has_focus_at_start(main_window):
    assert main_window.checkin_panel.scan_field.hasFocus()


def test_scanner_burst_into_the_scan_field_checks_in(qtbot, main_window, people):
    panel = main_window.checkin_panel
    qtbot.keyClicks(panel.scan_field, people["mueller"].code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    verdict = panel.verdict_view.verdict
    assert verdict is not None
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.severity is Severity.OK
    assert panel.verdict_view.name_label.text() == "Jürgen Müller"
    assert panel.verdict_view.title_label.text() == "Dr."
    assert "Jobcenter Kreis Offenbach" in panel.verdict_view.organisation_label.text()
    assert _verdict_band(main_window).startswith("✓")
    assert _verdict_band(main_window).endswith(verdict_text(verdict))
    assert "Eingecheckt" in verdict_text(verdict)
    assert panel.recent.topLevelItem(0).text(2) == "✓  Eingecheckt"
    assert panel.scan_field.text() == ""
    assert panel.scan_field.hasFocus()
    assert panel.recent.topLevelItemCount() == 1


def test_second_scan_says_already_checked_in_with_time_and_desk(qtbot, main_window, people, clock):
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    clock.advance(minutes=7)
    qtbot.keyClicks(panel.scan_field, people["mueller"].code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    verdict = panel.verdict_view.verdict
    assert verdict.kind is VerdictKind.ALREADY_CHECKED_IN
    assert verdict.severity is Severity.WARNING
    assert "09:00" in panel.verdict_view.detail_label.text()
    assert "Theke 1" in panel.verdict_view.detail_label.text()


def test_scanner_burst_while_focus_is_on_another_widget(qtbot, main_window, people):
    panel = main_window.checkin_panel
    panel.recent.setFocus()
    assert panel.recent.hasFocus()
    qtbot.keyClicks(panel.recent, people["schmidt"].code)
    qtbot.keyClick(panel.recent, Qt.Key.Key_Return)
    verdict = panel.verdict_view.verdict
    assert verdict is not None
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.last_name == "Schmidt"
    assert panel.scan_field.hasFocus()


def test_scanner_burst_at_a_door_without_session_checks_in_nobody_and_says_choose_first(
    qtbot, main_window, people, desk_context
):
    """Issue 13: the door used to check people in at the entrance without a word."""
    main_window.show_door()
    door = main_window.door_panel
    door.session_combo.setFocus()
    qtbot.keyClicks(door.session_combo, people["mueller"].code)
    qtbot.keyClick(door.session_combo, Qt.Key.Key_Return)
    assert main_window.tabs.currentWidget() is door
    assert door.verdict_view.band.text() == "Erst den Workshop wählen"
    assert main_window.checkin_panel.verdict_view.verdict is None
    assert not desk_context.checkin.person(people["mueller"].registration_id).present


def test_a_burst_with_repeated_characters_is_read_whole(qtbot, main_window, people):
    panel = main_window.checkin_panel
    panel.recent.setFocus()
    main_window.capture.reset()
    qtbot.keyClicks(panel.recent, "AAZZ22")
    qtbot.keyClick(panel.recent, Qt.Key.Key_Return)
    assert panel.verdict_view.verdict.code == "AAZZ22"


def test_a_burst_into_the_session_box_keeps_the_chosen_session(qtbot, main_window, people):
    main_window.show_door()
    door = main_window.door_panel
    door.session_combo.setCurrentIndex(0)
    door.session_combo.setFocus()
    qtbot.keyClicks(door.session_combo, "14" + people["mueller"].code)  # "1" would pick "14:00 …"
    qtbot.keyClick(door.session_combo, Qt.Key.Key_Return)
    assert door.session_combo.currentIndex() == 0


def test_shift_around_capitals_and_a_line_feed_end_a_burst(qtbot, main_window, people):
    """What a scanner on a US layout sends through X11: Shift before capitals, '\\n' at the end."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    panel = main_window.checkin_panel
    panel.recent.setFocus()
    for char in people["schmidt"].code:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                panel.recent, QKeyEvent(kind, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
            )
        key = getattr(Qt.Key, f"Key_{char}")
        QApplication.sendEvent(
            panel.recent, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.ShiftModifier, char)
        )
    QApplication.sendEvent(
        panel.recent, QKeyEvent(QEvent.Type.KeyPress, 10, Qt.KeyboardModifier.NoModifier, "\n")
    )
    assert panel.verdict_view.verdict.person.last_name == "Schmidt"


def test_a_scan_after_half_a_typed_name_reads_the_scan(qtbot, main_window, people):
    panel = main_window.checkin_panel
    moments = iter([0.0, 0.3, 0.6] + [5.0 + 0.005 * i for i in range(40)])
    panel.scan_field.clock = lambda: next(moments)
    qtbot.keyClicks(panel.scan_field, "Web")  # someone started typing a name
    qtbot.keyClicks(panel.scan_field, people["mueller"].code)  # then scanned a badge
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    verdict = panel.verdict_view.verdict
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.last_name == "Müller"


def test_a_scan_is_never_taken_for_a_search(qtbot, main_window, people):
    panel = main_window.checkin_panel
    moments = iter([0.0, 0.3, 0.6, 0.9] + [5.0 + 0.005 * i for i in range(40)])
    panel.scan_field.clock = lambda: next(moments)
    qtbot.keyClicks(panel.scan_field, "Muel")
    panel.search_popup.run_search()  # matches are on screen
    assert panel.search_popup.isVisible()
    qtbot.keyClicks(panel.scan_field, people["schmidt"].code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    assert panel.verdict_view.verdict.person.last_name == "Schmidt"
    assert not panel.search_popup.isVisible()


def test_a_slowly_typed_code_is_taken_whole(qtbot, main_window, people):
    panel = main_window.checkin_panel
    moments = iter(0.3 * i for i in range(40))
    panel.scan_field.clock = lambda: next(moments)
    qtbot.keyClicks(panel.scan_field, people["schmidt"].code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    assert panel.verdict_view.verdict.person.last_name == "Schmidt"


def test_a_line_feed_in_the_scan_field_ends_the_scan(qtbot, main_window, people):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    panel = main_window.checkin_panel
    qtbot.keyClicks(panel.scan_field, people["schmidt"].code)
    QApplication.sendEvent(
        panel.scan_field, QKeyEvent(QEvent.Type.KeyPress, 10, Qt.KeyboardModifier.NoModifier, "\n")
    )
    assert panel.verdict_view.verdict.person.last_name == "Schmidt"
    assert panel.scan_field.text() == ""


def test_typing_in_a_dialog_is_left_alone(qtbot, main_window, people):
    from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

    dialog = QDialog(main_window)
    edit = QLineEdit()
    QVBoxLayout(dialog).addWidget(edit)
    qtbot.addWidget(dialog)
    dialog.show()
    edit.setFocus()
    qtbot.keyClicks(edit, people["mueller"].code)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == people["mueller"].code
    assert main_window.checkin_panel.verdict_view.verdict is None


def test_slow_typing_elsewhere_is_not_taken_for_a_scan(qtbot, main_window, people):
    clock_values = iter(i * 0.2 for i in range(100))
    main_window.capture.clock = lambda: next(clock_values)
    panel = main_window.checkin_panel
    panel.recent.setFocus()
    qtbot.keyClicks(panel.recent, people["mueller"].code)
    qtbot.keyClick(panel.recent, Qt.Key.Key_Return)
    assert panel.verdict_view.verdict is None


def test_refused_scan_is_red_and_names_the_problem(qtbot, main_window, people):
    panel = main_window.checkin_panel
    verdict = panel.submit_scan(people["weber"].code)
    assert verdict.kind is VerdictKind.CANCELLED
    assert verdict.severity is Severity.REFUSED
    assert panel.verdict_view.name_label.text() == "Petra Weber"
    garbage = panel.submit_scan("HELLO-WORLD")
    assert garbage.severity is Severity.REFUSED
    assert panel.recent.topLevelItemCount() == 2


def test_search_with_umlaut_typed_as_ue_and_enter_checks_in(qtbot, main_window, people):
    panel = main_window.checkin_panel
    type_text(panel.scan_field, "Muel")
    qtbot.waitUntil(lambda: panel.search_popup.isVisible(), timeout=2000)
    names = [hit.person.last_name for hit in panel.search_popup.hits]
    assert names[0] == "Müller"
    press(panel.scan_field, Qt.Key.Key_Down)
    assert panel.search_popup.list.currentRow() == 0
    press(panel.scan_field, Qt.Key.Key_Return)
    verdict = panel.verdict_view.verdict
    assert verdict is not None
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.registration_id == people["mueller"].registration_id
    assert not panel.search_popup.isVisible()
    assert panel.scan_field.text() == ""


def test_search_typed_with_real_umlaut(qtbot, main_window, people):
    panel = main_window.checkin_panel
    type_text(panel.scan_field, "Jürgen Mü")
    hits = panel.search_popup.run_search()
    assert hits
    assert hits[0].person.registration_id == people["mueller"].registration_id


def test_undo_last_with_ctrl_z(qtbot, main_window, people, desk_context):
    panel = main_window.checkin_panel
    panel.submit_scan(people["schmidt"].code)
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert answer.texts == ["Check-in von Anna Schmidt (09:00) zurücknehmen?"]
    assert "rückgängig" in _verdict_band(main_window).lower()
    assert "Schmidt" in panel.verdict_view.detail_label.text()
    details = desk_context.checkin.person(people["schmidt"].registration_id)
    assert not details.checked_in_on(dt.date(2024, 9, 19))
    again = panel.submit_scan(people["schmidt"].code)
    assert again.kind is VerdictKind.CHECKED_IN


def test_undo_with_nothing_to_undo_says_so(main_window):
    assert main_window.checkin_panel.undo_last() is False
    assert _verdict_band(main_window) == "Nichts rückgängig zu machen"


def test_escape_brings_the_focus_back_to_the_scan_field(qtbot, main_window):
    panel = main_window.checkin_panel
    panel.recent.setFocus()
    qtbot.keyClick(panel.recent, Qt.Key.Key_Escape)
    assert panel.scan_field.hasFocus()


def test_not_today_banner_names_the_working_day(main_window, desk_context, clock):
    assert main_window.banner.isHidden()  # the fixture's clock is on the first event day
    clock.now = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
    main_window.apply_working_day()
    assert not main_window.banner.isHidden()
    assert "19.09.2024" in main_window.banner.text()
    assert main_window.checkin_panel.working_day == dt.date(2024, 9, 19)
