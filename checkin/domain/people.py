"""One person: what the desk shows about them, their history, and edits.

Functions here work inside a session the caller opened (the check-in
service owns the transactions); they return plain frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.domain.conflicts import Conflict, conflicts_of
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    ENTRANCE_SCOPE,
    AuditEntry,
    BadgePrint,
    CheckInLogEntry,
    EventDay,
    EventSession,
    Registration,
    RegistrationStatus,
    registration_days,
    registration_sessions,
)
from checkin.domain.verdicts import PersonSummary
from checkin.i18n import _
from checkin.presentation.formats import format_date

# What a list of people shows of each registration, in this order (some readers unpack rows by
# position); each reader adds the status, raw or as the enum, and whatever else it needs.
PERSON_COLUMNS = (
    Registration.id,
    Registration.code,
    Registration.order_code,
    Registration.title,
    Registration.first_name,
    Registration.last_name,
    Registration.organisation,
    Registration.function,
    Registration.email,
    Registration.category_id,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PersonError(UserError):
    """A person cannot be found or changed as asked; the message is for the user."""


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the check-in log of a person (check-in or undo)."""

    at: dt.datetime
    day: dt.date
    session_key: str | None  # None: the entrance
    action: str  # "check_in" or "undo"
    desk: str
    note: str


@dataclass(frozen=True)
class BadgePrintInfo:
    """One print of a registration's badge (the person dialog's list, ``BadgeService.last_print``)."""

    registration_id: int
    at: dt.datetime
    desk: str
    layout: str
    reason: str  # single, reprint, auto or batch
    count: int  # prints of this badge up to and including this one


@dataclass(frozen=True)
class PersonDetails:
    """Everything the person dialog shows."""

    summary: PersonSummary
    order_code: str | None
    source: str
    notes: str
    extra: dict[str, Any]
    created_at: dt.datetime
    days: tuple[dt.date, ...]  # registered days (empty tuple: all days)
    session_keys: tuple[str, ...]  # registered sessions (workshops), in programme order
    history: tuple[HistoryEntry, ...]  # oldest first
    badge_prints: tuple[BadgePrintInfo, ...]  # oldest first
    # Where the person is checked in now: (day, session key or None for the entrance).
    present: tuple[tuple[dt.date, str | None], ...]
    purged: bool = False
    # The registration list ticked no day: ``days`` is empty, yet no day (not every day) is theirs.
    no_day_ticked: bool = False
    # Other desks' facts about this person the hub kept as conflicts (desks apart), oldest first.
    conflicts: tuple[Conflict, ...] = ()

    def checked_in_on(self, day: dt.date, session_key: str | None = None) -> bool:
        return (day, session_key) in self.present


@dataclass(frozen=True)
class PersonChanges:
    """Changes to a registration; ``None`` leaves a field as it is."""

    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    organisation: str | None = None
    function: str | None = None
    email: str | None = None
    category_key: str | None = None
    notes: str | None = None
    day_dates: Sequence[dt.date] | None = None  # empty: all days
    workshop_keys: Sequence[str] | None = None


def summary_of(
    registration: Registration, event: EventInfo, session_ids: Iterable[int] | None = None
) -> PersonSummary:
    """The summary of an ORM registration (``session_ids`` given saves loading ``sessions``)."""
    category = event.category_by_id(registration.category_id)
    ids = set(session_ids) if session_ids is not None else {s.id for s in registration.sessions}
    return summary_from_row(
        registration_id=registration.id,
        code=registration.code,
        title=registration.title,
        first_name=registration.first_name,
        last_name=registration.last_name,
        organisation=registration.organisation,
        function=registration.function,
        email=registration.email,
        category_id=registration.category_id,
        status=registration.status,
        session_ids=ids,
        event=event,
        category=category,
    )


def summary_from_row(
    *,
    registration_id: int,
    code: str,
    title: str,
    first_name: str,
    last_name: str,
    organisation: str,
    function: str,
    email: str,
    category_id: int | None,
    status: Any,
    session_ids: Iterable[int],
    event: EventInfo,
    category: Any = None,
) -> PersonSummary:
    """Build a summary from plain column values (the fast path of a scan)."""
    if category is None:
        category = event.category_by_id(category_id)
    ids = set(session_ids)
    workshops = tuple(s.title for s in event.sessions if s.id in ids)
    return PersonSummary(
        registration_id=registration_id,
        code=code,
        title=title or "",
        first_name=first_name or "",
        last_name=last_name or "",
        organisation=organisation or "",
        function=function or "",
        email=email or "",
        category_key=category.key if category else "",
        category_name=category.name if category else "",
        category_colour=category.colour if category else "",
        status=str(getattr(status, "value", status)),
        workshops=workshops,
    )


def get_registration(session: Session, event: EventInfo, registration_id: int) -> Registration:
    registration = session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise PersonError(_("There is no registration with the number {id}.").format(id=registration_id))
    return registration


def person_details(session: Session, event: EventInfo, registration_id: int) -> PersonDetails:
    registration = get_registration(session, event, registration_id)
    session_ids = set(
        session.scalars(
            select(registration_sessions.c.session_id).where(
                registration_sessions.c.registration_id == registration_id
            )
        )
    )
    day_ids = set(
        session.scalars(
            select(registration_days.c.day_id).where(registration_days.c.registration_id == registration_id)
        )
    )
    entries = session.scalars(
        select(CheckInLogEntry)
        .where(CheckInLogEntry.registration_id == registration_id)
        .order_by(CheckInLogEntry.at, CheckInLogEntry.id)
    ).all()
    history = []
    latest: dict[tuple[int, int], CheckInLogEntry] = {}
    for entry in entries:
        day = event.day_by_id(entry.day_id)
        item = event.session_by_id(entry.session_id) if entry.session_id else None
        history.append(
            HistoryEntry(
                at=entry.at,
                day=day.date if day else dt.date.min,
                session_key=item.key if item else None,
                action=str(entry.action.value if hasattr(entry.action, "value") else entry.action),
                desk=entry.desk,
                note=entry.note,
            )
        )
        key = (entry.day_id, entry.scope)
        if key not in latest or latest[key].seq < entry.seq:
            latest[key] = entry
    present = []
    for (day_id, scope), entry in sorted(latest.items()):
        if entry.seq % 2 == 0:
            day = event.day_by_id(day_id)
            item = event.session_by_id(scope) if scope != ENTRANCE_SCOPE else None
            if day:
                present.append((day.date, item.key if item else None))
    prints = session.scalars(
        select(BadgePrint)
        .where(BadgePrint.registration_id == registration_id)
        .order_by(BadgePrint.at, BadgePrint.id)
    ).all()
    return PersonDetails(
        summary=summary_of(registration, event, session_ids),
        order_code=registration.order_code,
        source=registration.source,
        notes=registration.notes,
        extra=dict(registration.extra or {}),
        created_at=registration.created_at,
        days=tuple(d.date for d in event.days if d.id in day_ids),
        session_keys=tuple(s.key for s in event.sessions if s.id in session_ids),
        history=tuple(history),
        badge_prints=tuple(
            BadgePrintInfo(registration_id, p.at, p.desk, p.layout, p.reason, count)
            for count, p in enumerate(prints, start=1)
        ),
        present=tuple(present),
        purged=registration.purged_at is not None,
        no_day_ticked=registration.no_day_ticked and not day_ids,
        conflicts=tuple(conflicts_of(session, event.id, [registration_id])),
    )


def _clean(value: str, limit: int, field: str) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise PersonError(
            _("{field}: too long ({length} characters, at most {limit}).").format(
                field=field, length=len(value), limit=limit
            )
        )
    return value


def resolve_days(session: Session, event: EventInfo, dates: Sequence[dt.date]) -> list[EventDay]:
    """The EventDay rows for ``dates`` (an empty list: every day of the event)."""
    wanted = list(dict.fromkeys(dates)) or [d.date for d in event.days]
    ids = []
    for date in wanted:
        day = event.day_by_date(date)
        if day is None:
            raise PersonError(_("{date} is not a day of this event.").format(date=format_date(date)))
        ids.append(day.id)
    return [session.get_one(EventDay, day_id) for day_id in ids]


def resolve_sessions(session: Session, event: EventInfo, keys: Sequence[str]) -> list[EventSession]:
    result = []
    for key in dict.fromkeys(keys):
        info = event.session_by_key(key)
        if info is None:
            raise PersonError(_("There is no session '{key}' in this event.").format(key=key))
        result.append(session.get_one(EventSession, info.id))
    return result


def check_workshop_choice(event: EventInfo, keys: Sequence[str]) -> None:
    """Refuse two workshops that take place at the same time."""
    chosen = [event.session_by_key(k) for k in keys]
    infos = [c for c in chosen if c is not None and c.is_workshop]
    for i, first in enumerate(infos):
        for second in infos[i + 1 :]:
            if first.overlaps(second):
                raise PersonError(
                    _("'{first}' and '{second}' take place at the same time; choose one.").format(
                        first=first.title, second=second.title
                    )
                )


def apply_person_fields(
    registration: Registration,
    event: EventInfo,
    *,
    title: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    organisation: str | None = None,
    function: str | None = None,
    email: str | None = None,
    category_key: str | None = None,
    notes: str | None = None,
) -> None:
    """Validate and set the text fields of a registration (all checks before any change)."""
    new: dict[str, str] = {}
    if title is not None:
        new["title"] = _clean(title, 100, _("Title"))
    if first_name is not None:
        new["first_name"] = _clean(first_name, 200, _("First name"))
    if last_name is not None:
        new["last_name"] = _clean(last_name, 200, _("Last name"))
    if organisation is not None:
        new["organisation"] = _clean(organisation, 500, _("Organisation"))
    if function is not None:
        new["function"] = _clean(function, 300, _("Function"))
    if email is not None:
        cleaned = email.strip()
        if cleaned and not _EMAIL.match(cleaned):
            raise PersonError(_("'{email}' is not an e-mail address.").format(email=cleaned))
        new["email"] = _clean(cleaned, 320, _("E-mail address"))
    if notes is not None:
        if len(notes) > 10_000:
            raise PersonError(_("The notes are too long (at most 10,000 characters)."))
        new["notes"] = notes.strip()
    first = new.get("first_name", registration.first_name or "")
    last = new.get("last_name", registration.last_name or "")
    if not first and not last:
        raise PersonError(_("A person needs at least a first or a last name."))
    category_id = registration.category_id
    if category_key is not None:
        category = event.category_by_key(category_key)
        if category is None:
            raise PersonError(_("There is no category '{key}' in this event.").format(key=category_key))
        category_id = category.id
    for name, value in new.items():
        setattr(registration, name, value)
    registration.category_id = category_id


def update_person(
    session: Session, event: EventInfo, registration_id: int, changes: PersonChanges, *, desk: str = ""
) -> PersonSummary:
    registration = get_registration(session, event, registration_id)
    if registration.purged_at is not None:
        raise PersonError(_("The personal data of this registration was deleted; it cannot be edited."))
    days = resolve_days(session, event, changes.day_dates) if changes.day_dates is not None else None
    sessions = None
    if changes.workshop_keys is not None:
        check_workshop_choice(event, changes.workshop_keys)
        sessions = resolve_sessions(session, event, changes.workshop_keys)
    apply_person_fields(
        registration,
        event,
        title=changes.title,
        first_name=changes.first_name,
        last_name=changes.last_name,
        organisation=changes.organisation,
        function=changes.function,
        email=changes.email,
        category_key=changes.category_key,
        notes=changes.notes,
    )
    if days is not None:
        registration.days = days
        registration.no_day_ticked = False  # days set: the list's "no day ticked" is answered
    if sessions is not None:
        registration.sessions = sessions
    session.add(
        AuditEntry(
            event_id=event.id,
            desk=desk,
            action="registration_edited",
            detail={"registration_id": registration_id},
        )
    )
    session.flush()
    return summary_of(registration, event)


def set_cancelled(
    session: Session, event: EventInfo, registration_id: int, cancelled: bool, *, desk: str = ""
) -> PersonSummary:
    registration = get_registration(session, event, registration_id)
    status = RegistrationStatus.CANCELLED if cancelled else RegistrationStatus.ACTIVE
    if registration.status != status:
        registration.status = status
        session.add(
            AuditEntry(
                event_id=event.id,
                desk=desk,
                action="registration_cancelled" if cancelled else "registration_restored",
                detail={"registration_id": registration_id},
            )
        )
        session.flush()
    return summary_of(registration, event)
