"""Check-ins written straight into the log, the way another desk's process leaves them, so a test
does not depend on how the check-in service is driven."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import ENTRANCE_SCOPE, CheckInLogEntry, LogAction


def record_checkin(
    db: Database,
    event: EventInfo,
    registration_id: int,
    date: dt.date,
    *,
    at: dt.datetime,
    session_key: str | None = None,
    undo: bool = False,
    desk: str = "Desk 2",
) -> None:
    """Append a check-in (or the undo of the current one) to the log, as any desk does."""
    day = event.day_by_date(date)
    assert day is not None, f"{date} is not a day of {event.slug}"
    session_info = event.session_by_key(session_key) if session_key else None
    scope = session_info.id if session_info else ENTRANCE_SCOPE
    with db.session_factory() as session, session.begin():
        last = session.scalar(
            select(func.max(CheckInLogEntry.seq)).where(
                CheckInLogEntry.registration_id == registration_id,
                CheckInLogEntry.day_id == day.id,
                CheckInLogEntry.scope == scope,
            )
        )
        seq = 0 if last is None else last + 1
        if undo != (seq % 2 == 1):
            raise AssertionError("check-in/undo out of turn")
        session.add(
            CheckInLogEntry(
                event_id=event.id,
                registration_id=registration_id,
                day_id=day.id,
                session_id=session_info.id if session_info else None,
                scope=scope,
                seq=seq,
                action=LogAction.UNDO if undo else LogAction.CHECK_IN,
                at=at,
                desk=desk,
            )
        )
