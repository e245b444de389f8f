"""Undo: annul the check-in in force for a person, a day and a scope (an undo row is appended).

The rule is ``rules.decide_undo``; this module loads its facts and writes its rows
inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from checkin.domain.changes import Changes
from checkin.domain.checkin_store import append_log, find_by_id, recorded_states, session_ids_of
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.people import PersonError
from checkin.domain.rules import decide_undo
from checkin.domain.verdicts import UndoResult
from checkin.i18n import _


def undo_in(
    session: Session,
    event: EventInfo,
    registration_id: int,
    day: DayInfo,
    target: SessionInfo | None,
    *,
    now: dt.datetime,
    desk: str,
) -> UndoResult:
    """Annul the check-in in force (``PersonError`` for a registration the event does not have)."""
    found = find_by_id(session, event.id, day.id, registration_id)
    if found is None:
        raise PersonError(_("There is no registration with the number {id}.").format(id=registration_id))
    person = found.summary(event, session_ids_of(session, registration_id))
    recorded = recorded_states(session, registration_id, day.id)
    sessions_by_key = {s.key: s for s in event.sessions}
    decision = decide_undo(recorded, target, sessions_by_key=sessions_by_key)
    session_key = target.key if target else None
    session_title = target.title if target else None
    if decision.annulled is None:
        return UndoResult(
            undone=False,
            registration_id=registration_id,
            person=person,
            day=day.date,
            session_key=session_key,
            session_title=session_title,
        )
    append_log(
        session,
        event_id=event.id,
        registration_id=registration_id,
        day_id=day.id,
        writes=decision.writes,
        at=now,
        desk=desk,
    )
    restored = decision.restored
    touched = frozenset(w.session.id for w in decision.writes if w.session is not None)
    return UndoResult(
        undone=True,
        registration_id=registration_id,
        person=person,
        day=day.date,
        session_key=session_key,
        checked_in_at=decision.annulled.at,
        checked_in_desk=decision.annulled.desk,
        notes=(f"restored:{restored.key}",) if restored else (),
        session_title=session_title,
        restored_title=restored.title if restored else None,
        changes=Changes(registrations=frozenset({registration_id}), sessions=touched, figures=True),
    )


__all__ = ["undo_in"]
