"""'Let in anyway' after a refusal: a yes without a PIN, the supervisor PIN (audited) with one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from checkin.domain.supervisor import hash_pin, uses
from checkin.domain.verdicts import VerdictKind
from checkin.ui.supervisor_dialog import PinDialog
from tests.helpers import DAY1, DAY2, People
from tests.helpers.boxes import answer_next_box
from tests.helpers.keys import press


def test_a_refusal_says_the_next_step_and_offers_to_let_in(qtbot, main_window, people):
    panel = main_window.checkin_panel
    panel.submit_scan(people["day2"].code)  # registered for the second day only
    help_ = panel.refusal_help
    assert help_.isVisible()
    assert help_.label.text().startswith("Weiter: Tage im Personenfenster prüfen")
    assert help_.override_button.isVisible()
    panel.submit_scan(people["mueller"].code)
    assert not help_.isVisible()


def test_let_in_anyway_without_a_pin_asks_and_checks_in(qtbot, main_window, people, desk_context):
    panel = main_window.checkin_panel
    panel.submit_scan(people["day2"].code)
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.refusal_help.override_button, Qt.MouseButton.LeftButton)
    assert answer.texts[0].startswith("Omar Yilmaz trotz „")
    verdict = panel.verdict_view.verdict
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert desk_context.checkin.person(people["day2"].registration_id).checked_in_on(DAY1)
    assert not desk_context.checkin.person(people["day2"].registration_id).checked_in_on(DAY2)


def test_a_full_door_lets_a_booked_person_in_with_the_supervisor_pin(
    qtbot, main_window, desk_context, db, demo_event, when_modal
):
    capacity = demo_event.session_by_key("zw-bass").capacity
    add = People(db, demo_event).add
    inside = [add(f"Drin{i}", "Bass", workshops=("zw-bass",), days=()) for i in range(capacity)]
    waiting = add("Wartend", "Gebucht", workshops=("zw-bass",), days=())
    for person in inside:
        desk_context.checkin.scan(person.code, day=DAY1, session_key="zw-bass")
    desk_context.settings.supervisor_pin = hash_pin("4711")
    main_window.show_door()
    door = main_window.door_panel
    door.select_session("zw-bass")
    assert door.submit_scan(waiting.code).kind is VerdictKind.SESSION_FULL

    def type_pin(dialog: PinDialog) -> None:
        qtbot.keyClicks(dialog.pin_edit, "4711")
        press(dialog.pin_edit, Qt.Key.Key_Return)

    when_modal(PinDialog, type_pin)
    qtbot.mouseClick(door.refusal_help.override_button, Qt.MouseButton.LeftButton)
    assert door.verdict_view.verdict.kind is VerdictKind.CHECKED_IN
    assert door.shown_gauge.attended == capacity + 1
    ((_at, desk, detail),) = uses(desk_context.db, desk_context.event.id)
    assert (desk, detail) == (
        "Theke 1",
        {"step": "override_refusal", "registration_id": waiting.registration_id, "refusal": "session_full"},
    )
