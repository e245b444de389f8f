"""The person dialog for someone whose registration list ticked no day: shows it, and ticking a day
answers it (the desk then admits them on that day)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel
from sqlalchemy import update

from checkin.domain.db import Database
from checkin.domain.models import Registration
from checkin.domain.verdicts import NotRegisteredReason, VerdictKind
from checkin.ui.person_dialog import PersonDialog

DAY1, DAY2 = dt.date(2024, 9, 19), dt.date(2024, 9, 20)


def _form_texts(dialog: PersonDialog) -> list[str]:
    form = dialog.registration_form
    texts = []
    for row in range(form.rowCount()):
        for role in (form.ItemRole.LabelRole, form.ItemRole.FieldRole):
            item = form.itemAt(row, role)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                texts.append(widget.text())
    return texts


def test_no_day_ticked_is_shown_and_ticking_a_day_answers_it(qtbot, db: Database, desk_context, people):
    person = people["mueller"]  # no day rows
    with db.write() as session:
        session.execute(
            update(Registration).where(Registration.id == person.registration_id).values(no_day_ticked=True)
        )
    refused = desk_context.checkin.scan(person.code, day=DAY1)
    assert refused.not_registered_reason is NotRegisteredReason.NO_DAY_TICKED

    dialog = PersonDialog(desk_context, person.registration_id)
    qtbot.addWidget(dialog)
    assert not any(check.isChecked() for check in dialog.programme.day_checks.values())
    assert "keine (in der Anmeldeliste ist kein Tag angekreuzt)" in _form_texts(dialog)
    # Saving something else leaves the days alone: still no day.
    assert dialog.changes().day_dates is None

    dialog.programme.day_checks[DAY2].setChecked(True)
    assert dialog.save()
    details = desk_context.checkin.person(person.registration_id)
    assert (details.days, details.no_day_ticked) == ((DAY2,), False)
    assert desk_context.checkin.scan(person.code, day=DAY2).kind is VerdictKind.CHECKED_IN
    assert (
        desk_context.checkin.scan(person.code, day=DAY1).not_registered_reason
        is NotRegisteredReason.OTHER_DAYS
    )
