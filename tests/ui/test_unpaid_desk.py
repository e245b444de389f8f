"""A registration that is not paid, at the desk: refused in red with the way to the cash desk, let in
once with the supervisor PIN (audited), shown as "nicht bezahlt" in the search list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import update

from checkin.domain.models import Registration, RegistrationStatus
from checkin.domain.supervisor import hash_pin, uses
from checkin.domain.verdicts import Severity, VerdictKind
from checkin.ui.search_popup import hit_line
from checkin.ui.supervisor_dialog import PinDialog
from tests.helpers import DAY1
from tests.helpers.keys import press


def _unpaid(db, registration_id: int) -> None:
    with db.write() as session:
        session.execute(
            update(Registration)
            .where(Registration.id == registration_id)
            .values(status=RegistrationStatus.UNPAID)
        )


def test_unpaid_is_refused_with_the_next_step_and_let_in_with_the_supervisor_pin(
    qtbot, main_window, desk_context, people, db, when_modal
):
    mueller = people["mueller"]
    _unpaid(db, mueller.registration_id)
    panel = main_window.checkin_panel
    verdict = panel.submit_scan(mueller.code)
    assert (verdict.kind, verdict.severity) == (VerdictKind.UNPAID, Severity.REFUSED)
    assert panel.verdict_view.verdict.kind is VerdictKind.UNPAID
    help_ = panel.refusal_help
    assert help_.isVisible()
    assert help_.label.text() == "Weiter: an die Kasse / zum Organisator schicken; oder trotzdem einlassen."
    assert help_.override_button.isVisible()
    assert not desk_context.checkin.person(mueller.registration_id).checked_in_on(DAY1)

    desk_context.settings.supervisor_pin = hash_pin("4711")

    def type_pin(dialog: PinDialog) -> None:
        qtbot.keyClicks(dialog.pin_edit, "4711")
        press(dialog.pin_edit, Qt.Key.Key_Return)

    when_modal(PinDialog, type_pin)
    qtbot.mouseClick(help_.override_button, Qt.MouseButton.LeftButton)
    assert panel.verdict_view.verdict.kind is VerdictKind.CHECKED_IN
    assert desk_context.checkin.person(mueller.registration_id).checked_in_on(DAY1)
    ((_at, _desk, detail),) = uses(desk_context.db, desk_context.event.id)
    assert detail == {
        "step": "override_refusal",
        "registration_id": mueller.registration_id,
        "refusal": "unpaid",
    }


def test_the_search_list_says_not_paid(qtbot, main_window, desk_context, people, db):
    _unpaid(db, people["schmidt"].registration_id)
    desk_context.search.refresh()
    (hit,) = [h for h in desk_context.search.search("Schmidt Marburg")]
    assert hit.person.status == "unpaid"
    assert hit_line(hit, "").endswith("—  nicht bezahlt")
