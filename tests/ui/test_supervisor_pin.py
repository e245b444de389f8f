"""The supervisor PIN as staff meet it: asked before guarded steps, every use in the audit log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from checkin.domain.supervisor import hash_pin, uses, verify_pin
from checkin.ui.settings_dialog import SettingsDialog
from checkin.ui.supervisor_dialog import PinDialog
from tests.helpers import DAY1
from tests.helpers.boxes import answer_next_box
from tests.helpers.keys import press


def _type_pin(qtbot, pins: list[str], seen: list[str]):
    def act(dialog: PinDialog) -> None:
        seen.append(dialog.why_label.text())
        for pin in pins:
            dialog.pin_edit.setFocus()
            qtbot.keyClicks(dialog.pin_edit, pin)
            press(dialog.pin_edit, Qt.Key.Key_Return)
            if dialog.isVisible():
                seen.append(dialog.error_label.text())

    return act


def test_the_pin_is_set_in_the_settings_and_kept_as_a_hash(qtbot, desk_context):
    dialog = SettingsDialog(desk_context)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.pin_edit, "4711")
    settings = dialog.result_settings()
    assert settings.supervisor_pin != "4711"
    assert verify_pin("4711", settings.supervisor_pin)


def test_a_short_pin_is_refused(qtbot, desk_context):
    dialog = SettingsDialog(desk_context)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.pin_edit, "47")
    assert dialog.validate() == "Die Supervisor-PIN braucht mindestens 4 Zeichen."


def test_without_a_pin_the_settings_open_at_once(qtbot, when_modal, main_window, desk_context):
    opened: list[str] = []
    when_modal(SettingsDialog, lambda d: (opened.append("settings"), d.reject()))
    main_window.open_settings()
    assert opened == ["settings"]
    assert uses(desk_context.db, desk_context.event.id) == []


def test_the_settings_ask_for_the_pin_and_its_use_is_audited(
    qtbot, when_modal, main_window, desk_context, clock
):
    desk_context.settings.supervisor_pin = hash_pin("4711")
    seen: list[str] = []
    opened: list[str] = []
    when_modal(PinDialog, _type_pin(qtbot, ["1234", "4711"], seen))
    when_modal(SettingsDialog, lambda d: (opened.append("settings"), d.reject()))
    main_window.open_settings()
    assert seen == ["Für die Einstellungen ist die Supervisor-PIN nötig.", "Falsche PIN."]
    assert opened == ["settings"]
    assert uses(desk_context.db, desk_context.event.id) == [(clock(), "Theke 1", {"step": "settings"})]


def test_cancelling_the_pin_keeps_the_settings_closed(qtbot, when_modal, main_window, desk_context):
    desk_context.settings.supervisor_pin = hash_pin("4711")
    opened: list[str] = []
    when_modal(PinDialog, lambda d: d.reject())
    when_modal(SettingsDialog, lambda d: (opened.append("settings"), d.reject()))
    main_window.open_settings()
    qtbot.wait(50)
    assert opened == []
    assert uses(desk_context.db, desk_context.event.id) == []


def test_an_old_check_in_is_undone_only_with_the_pin(
    qtbot, when_modal, main_window, desk_context, people, clock
):
    desk_context.settings.supervisor_pin = hash_pin("4711")
    desk_context.settings.undo_minutes = 5
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    clock.advance(minutes=20)
    seen: list[str] = []
    when_modal(PinDialog, _type_pin(qtbot, ["4711"], seen))
    panel.undo_last()
    assert "älter als 5 Minuten" in seen[0]
    assert not desk_context.checkin.person(people["mueller"].registration_id).checked_in_on(DAY1)
    ((_at, desk, detail),) = uses(desk_context.db, desk_context.event.id)
    assert (desk, detail) == (
        "Theke 1",
        {"step": "old_undo", "registration_id": people["mueller"].registration_id},
    )


def test_a_recent_check_in_needs_no_pin_only_a_yes(qtbot, when_modal, main_window, desk_context, people):
    desk_context.settings.supervisor_pin = hash_pin("4711")
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    assert panel.undo_last()
    assert len(answer.texts) == 1
    assert uses(desk_context.db, desk_context.event.id) == []
