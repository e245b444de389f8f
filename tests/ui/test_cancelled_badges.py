"""A cancelled person's badge: asked before preview or print, or the supervisor PIN when one is set."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from checkin.domain.supervisor import hash_pin, uses
from checkin.ui.supervisor_dialog import PinDialog
from tests.helpers.boxes import answer_next_box


def test_preview_of_a_cancelled_badge_asks_first_and_no_stops_it(qtbot, main_window, people, desk_context):
    weber = people["weber"].registration_id
    answer = answer_next_box(QMessageBox.StandardButton.No)
    assert main_window.preview_badge(weber) is False
    assert answer.texts == ["Petra Weber ist storniert. Das Namensschild trotzdem erstellen?"]
    assert desk_context.badges.last_print(weber) is None


def test_printing_a_cancelled_badge_with_a_pin_set_needs_the_pin(
    qtbot, main_window, people, desk_context, when_modal
):
    desk_context.settings.supervisor_pin = hash_pin("4711")
    seen: list[str] = []
    when_modal(PinDialog, lambda d: (seen.append(d.why_label.text()), d.reject()))
    assert main_window.print_badge(people["weber"].registration_id) is False
    assert seen == ["Petra Weber ist storniert: Für das Namensschild ist die Supervisor-PIN nötig."]
    assert uses(desk_context.db, desk_context.event.id) == []


def test_an_active_person_is_not_asked(qtbot, main_window, people, when_modal):
    asked: list[str] = []
    when_modal(QMessageBox, lambda box: (asked.append(box.text()), box.reject()))
    assert main_window.printing.cancelled_badge_allowed(people["schmidt"].registration_id) is True
    qtbot.wait(50)
    assert asked == []


def test_an_unpaid_person_s_badge_is_asked_for_too(qtbot, main_window, people, desk_context, db):
    from sqlalchemy import update

    from checkin.domain.models import Registration, RegistrationStatus

    mueller = people["mueller"].registration_id
    with db.write() as session:
        session.execute(
            update(Registration).where(Registration.id == mueller).values(status=RegistrationStatus.UNPAID)
        )
    answer = answer_next_box(QMessageBox.StandardButton.No)
    assert main_window.preview_badge(mueller) is False
    assert answer.texts == [
        f"{desk_context.checkin.person(mueller).summary.display_name} hat nicht bezahlt. "
        "Das Namensschild trotzdem erstellen?"
    ]
    assert desk_context.badges.last_print(mueller) is None
