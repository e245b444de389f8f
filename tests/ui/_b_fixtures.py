"""Helpers for the part-B UI tests (dashboard, import, badges, export): real services over a temp DB.

Registrations and check-ins are written straight into the tables, the way
another desk's process would leave them, so the tests do not depend on how
the check-in service is driven.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import func, select

from checkin.badges.service import BadgeService
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    ENTRANCE_SCOPE,
    CheckInLogEntry,
    EventDay,
    EventSession,
    LogAction,
    Registration,
    RegistrationStatus,
)
from checkin.domain.search import SearchIndex
from checkin.ui.context import DeskContext
from checkin.ui.settings import DeskSettings

PEOPLE = [
    ("Jürgen", "Müller", "Jobcenter Kreis Offenbach"),
    ("Anna", "Schmidt", "Jobcenter Mülheim an der Ruhr"),
    ("Łukasz", "Nowak", "Landkreis Görlitz"),
    ("Aylin", "Şahin", "Stadt Erlangen"),
    ("Marie", "Weber", "Jobcenter Kreis Offenbach"),
    ("Thomas", "Becker", "Landkreis Fulda"),
]


def make_context(
    db: Database, event: EventInfo, clock: Callable[[], dt.datetime], tasks: object, desk: str = "Desk 1"
) -> DeskContext:
    """The real services of one desk over ``db``, with the given task runner."""
    return DeskContext(
        db=db,
        event=event,
        checkin=CheckInService(db, event, desk=desk, clock=clock),
        search=SearchIndex(db, event),
        badges=BadgeService(db, event, desk=desk, clock=clock),
        settings=DeskSettings(desk_name=desk),
        tasks=tasks,  # type: ignore[arg-type]
        clock=clock,
    )


def add_registrations(
    db: Database,
    event: EventInfo,
    count: int,
    *,
    days: Sequence[dt.date] = (),
    session_keys: Sequence[str] = (),
    category_key: str | None = None,
    status: RegistrationStatus = RegistrationStatus.ACTIVE,
    source: str = "test",
    start: int = 0,
) -> list[int]:
    """``count`` registrations (names cycle through ``PEOPLE``); returns their ids."""
    category = event.category_by_key(category_key) if category_key else event.default_category
    with db.session_factory() as session, session.begin():
        day_rows = [
            session.scalars(select(EventDay).where(EventDay.id == event.day_by_date(d).id)).one()
            for d in days
        ]
        session_rows = [
            session.scalars(select(EventSession).where(EventSession.id == event.session_by_key(k).id)).one()
            for k in session_keys
        ]
        registrations = []
        for number in range(start, start + count):
            first, last, organisation = PEOPLE[number % len(PEOPLE)]
            registration = Registration(
                event_id=event.id,
                code=f"T{number:06d}",
                first_name=first,
                last_name=f"{last}{'' if number < len(PEOPLE) else number}",
                organisation=organisation,
                email=f"p{number}@example.org",
                category_id=category.id,
                status=status,
                source=source,
                days=list(day_rows),
                sessions=list(session_rows),
            )
            session.add(registration)
            registrations.append(registration)
        session.flush()
        return [r.id for r in registrations]


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
