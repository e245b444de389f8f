"""Who is checked in where, derived from the append-only check-in log.

An entry is *active* when it is a check-in and no later entry (the undo with
``seq + 1``) follows it for the same registration, day and scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Exists, Select, and_, exists, select
from sqlalchemy.orm import Session, aliased

from checkin.domain.models import CheckInLogEntry, LogAction


@dataclass(frozen=True)
class ActiveCheckIn:
    registration_id: int
    day_id: int
    session_id: int | None  # None: the entrance
    at: dt.datetime
    desk: str
    note: str


def undone_condition() -> Exists:
    """Condition: a later entry (the undo, ``seq + 1``) follows the ``CheckInLogEntry`` row for the
    same registration, day and scope."""
    later = aliased(CheckInLogEntry)
    return exists().where(
        and_(
            later.registration_id == CheckInLogEntry.registration_id,
            later.day_id == CheckInLogEntry.day_id,
            later.scope == CheckInLogEntry.scope,
            later.seq == CheckInLogEntry.seq + 1,
        )
    )


def in_force_condition() -> ColumnElement[bool]:
    """Condition: the ``CheckInLogEntry`` row is a check-in not followed by an undo."""
    return and_(CheckInLogEntry.action == LogAction.CHECK_IN, ~undone_condition())


def active_checkins_query(event_id: int) -> Select[CheckInLogEntry]:
    """A query for the log entries that are check-ins in force (not undone)."""
    return select(CheckInLogEntry).where(
        CheckInLogEntry.event_id == event_id,
        CheckInLogEntry.action == LogAction.CHECK_IN,
        ~undone_condition(),
    )


def active_checkins(
    session: Session, event_id: int, *, registration_ids: Iterable[int] | None = None
) -> list[ActiveCheckIn]:
    """Every check-in in force for the event (optionally only for some registrations)."""
    query = active_checkins_query(event_id)
    if registration_ids is not None:
        ids = list(registration_ids)
        if not ids:
            return []
        query = query.where(CheckInLogEntry.registration_id.in_(ids))
    query = query.order_by(CheckInLogEntry.at, CheckInLogEntry.id)
    return [
        ActiveCheckIn(
            registration_id=e.registration_id,
            day_id=e.day_id,
            session_id=e.session_id,
            at=e.at,
            desk=e.desk,
            note=e.note,
        )
        for e in session.scalars(query)
    ]
