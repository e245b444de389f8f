"""Walk-ins: a person registered on the spot, with a new signed code.

``register_walk_in`` adds the registration (and an audit entry) inside the
caller's transaction; checking the person in afterwards is the check-in
service's ordinary path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from checkin.domain.codes import generate_code
from checkin.domain.events import EventInfo
from checkin.domain.models import AuditEntry, Registration, RegistrationStatus
from checkin.domain.people import apply_person_fields, check_workshop_choice, resolve_days, resolve_sessions

_REG = cast(Table, Registration.__table__)


@dataclass(frozen=True)
class WalkInRequest:
    """A person registered on the spot (minimum: a name)."""

    first_name: str
    last_name: str
    title: str = ""
    organisation: str = ""
    function: str = ""
    email: str = ""
    category_key: str | None = None  # None: the event's default category
    workshop_keys: Sequence[str] = ()
    day_dates: Sequence[dt.date] = ()  # empty: all days


def new_code(session: Session, event: EventInfo) -> str:
    """A signed code no registration of the event has yet."""
    while True:
        code = generate_code(event.secret)
        taken = session.scalar(select(func.count()).where(_REG.c.event_id == event.id, _REG.c.code == code))
        if not taken:
            return code


def register_walk_in(
    session: Session, event: EventInfo, request: WalkInRequest, *, now: dt.datetime, desk: str
) -> tuple[int, frozenset[int]]:
    """Add the registration; returns its id and the ids of the sessions it is registered for."""
    check_workshop_choice(event, request.workshop_keys)
    days = resolve_days(session, event, request.day_dates)
    sessions = resolve_sessions(session, event, request.workshop_keys)
    registration = Registration(
        event_id=event.id,
        code=new_code(session, event),
        source="walk-in",
        status=RegistrationStatus.ACTIVE,
        created_at=now,
        updated_at=now,
    )
    apply_person_fields(
        registration,
        event,
        title=request.title,
        first_name=request.first_name,
        last_name=request.last_name,
        organisation=request.organisation,
        function=request.function,
        email=request.email,
        category_key=request.category_key or event.default_category.key,
    )
    registration.days = days
    registration.sessions = sessions
    session.add(registration)
    session.flush()
    session.add(
        AuditEntry(
            event_id=event.id,
            at=now,
            desk=desk,
            action="walk_in",
            detail={"registration_id": registration.id},
        )
    )
    session.flush()
    return registration.id, frozenset(s.id for s in sessions)


__all__ = ["WalkInRequest", "new_code", "register_walk_in"]
