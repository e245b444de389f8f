"""Ctrl+Z asks before it undoes, only recent scans, text first; the verdict does not go stale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.helpers import DAY1
from tests.helpers.boxes import answer_next_box
from tests.helpers.keys import type_text


def _ctrl_z(qtbot, widget) -> None:
    # The offscreen platform does not give the focus back to the window when a box closes.
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    qtbot.keyClick(widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_z_asks_and_no_keeps_the_check_in(qtbot, main_window, people, desk_context):
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    answer = answer_next_box(QMessageBox.StandardButton.No)
    _ctrl_z(qtbot, panel.scan_field)
    assert answer.texts == ["Check-in von Dr. Jürgen Müller (09:00) zurücknehmen?"]
    assert desk_context.checkin.person(people["mueller"].registration_id).checked_in_on(DAY1)
    assert panel.recent.topLevelItem(0).text(2) == "✓  Eingecheckt"


def test_ctrl_z_undoes_the_last_scans_one_by_one_and_marks_their_rows(
    qtbot, main_window, people, desk_context
):
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    panel.submit_scan(people["schmidt"].code)
    first = answer_next_box(QMessageBox.StandardButton.Yes)
    _ctrl_z(qtbot, panel.scan_field)
    assert "Anna Schmidt" in first.texts[0]
    assert panel.recent.topLevelItem(0).text(2) == "↶  Rückgängig gemacht"
    assert panel.recent.topLevelItem(0).font(1).strikeOut()
    assert panel.recent.topLevelItem(1).text(2) == "✓  Eingecheckt"
    second = answer_next_box(QMessageBox.StandardButton.Yes)
    _ctrl_z(qtbot, panel.scan_field)
    assert "Jürgen Müller" in second.texts[0]
    assert panel.recent.topLevelItem(1).text(2) == "↶  Rückgängig gemacht"
    for person in ("mueller", "schmidt"):
        assert not desk_context.checkin.person(people[person].registration_id).checked_in_on(DAY1)


def test_ctrl_z_leaves_check_ins_older_than_the_limit(qtbot, main_window, people, desk_context, clock):
    panel = main_window.checkin_panel
    desk_context.settings.undo_minutes = 5
    panel.submit_scan(people["mueller"].code)
    clock.advance(minutes=6)
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    _ctrl_z(qtbot, panel.scan_field)
    qtbot.wait(50)
    answer.stop()
    assert answer.texts == []  # nothing asked, nothing undone
    assert "älter als 5 Minuten" in panel.verdict_view.detail_label.text()
    assert desk_context.checkin.person(people["mueller"].registration_id).checked_in_on(DAY1)


def test_ctrl_z_with_text_in_the_field_undoes_the_typing(qtbot, main_window, people, desk_context):
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    type_text(panel.scan_field, "Schmi")
    _ctrl_z(qtbot, panel.scan_field)
    qtbot.wait(50)
    answer.stop()
    assert answer.texts == []
    assert panel.scan_field.text() != "Schmi"
    assert desk_context.checkin.person(people["mueller"].registration_id).checked_in_on(DAY1)


def test_the_band_shows_the_scan_time_and_goes_back_to_ready(qtbot, main_window, people, desk_context):
    panel = main_window.checkin_panel
    desk_context.settings.verdict_seconds = 1
    panel.submit_scan(people["mueller"].code)
    timeout = main_window.verdict_timeouts[0]
    assert timeout.time_label.isVisible()
    assert timeout.time_label.text() == "09:00"
    assert panel.verdict_view.band.text().startswith("✓")
    qtbot.waitUntil(lambda: panel.verdict_view.band.text() == "Bereit zum Scannen", timeout=3000)
    assert not timeout.time_label.isVisible()


def test_a_verdict_stays_when_the_timeout_is_off(qtbot, main_window, people, desk_context):
    panel = main_window.checkin_panel
    desk_context.settings.verdict_seconds = 0
    panel.submit_scan(people["mueller"].code)
    assert not main_window.verdict_timeouts[0].timer.isActive()
    assert panel.verdict_view.verdict is not None


def test_timeout_and_undo_limits_are_settings(qtbot, desk_context):
    from checkin.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(desk_context)
    qtbot.addWidget(dialog)
    dialog.verdict_spin.setValue(45)
    dialog.undo_spin.setValue(10)
    settings = dialog.result_settings()
    assert (settings.verdict_seconds, settings.undo_minutes) == (45, 10)


def test_int_settings_survive_a_restart(settings_store):
    from checkin.ui.settings import DeskSettings

    settings_store.save(DeskSettings(desk_name="Platz 2", verdict_seconds=12, undo_minutes=3))
    loaded = settings_store.load()
    assert (loaded.verdict_seconds, loaded.undo_minutes) == (12, 3)
