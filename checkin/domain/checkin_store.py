"""The check-in log in the database: the facts the rules read, the rows they write.

Plain SQL (Core) on an open session; the caller owns the transaction. Used by
the check-in service, undo and walk-ins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Select, Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checkin.domain.events import EventInfo
from checkin.domain.log_notes import NoteKind, note_fact
from checkin.domain.models import (
    CheckInLogEntry,
    EventSession,
    Registration,
    registration_sessions,
)
from checkin.domain.people import summary_from_row
from checkin.domain.registered_days import registered_on
from checkin.domain.rules import LogWrite, PersonFacts, ScopeState
from checkin.domain.verdicts import PersonSummary

_REG = cast(Table, Registration.__table__)
_SESSIONS = cast(Table, EventSession.__table__)
_LOG = cast(Table, CheckInLogEntry.__table__)
_RS = registration_sessions


class LostRace(Exception):
    """Another desk wrote the same check-in first; re-read and decide again."""


@dataclass(frozen=True)
class Found:
    """The registration row a scan found, with what the rules and the desk need."""

    registration_id: int
    code: str
    title: str
    first_name: str
    last_name: str
    organisation: str
    function: str
    email: str
    category_id: int | None
    status: str
    purged: bool
    registered_today: bool
    notes: tuple[str, ...] = field(default=())
    no_day_ticked: bool = False

    def facts(self, session_ids: set[int]) -> PersonFacts:
        return PersonFacts(
            registration_id=self.registration_id,
            status=self.status,
            registered_today=self.registered_today,
            session_ids=frozenset(session_ids),
            purged=self.purged,
            no_day_ticked=self.no_day_ticked,
        )

    def summary(self, event: EventInfo, session_ids: set[int]) -> PersonSummary:
        return summary_from_row(
            registration_id=self.registration_id,
            code=self.code,
            title=self.title,
            first_name=self.first_name,
            last_name=self.last_name,
            organisation=self.organisation,
            function=self.function,
            email=self.email,
            category_id=self.category_id,
            status=self.status,
            session_ids=session_ids,
            event=event,
        )


def found_query(event_id: int, day_id: int) -> Select[Any]:
    """Registrations of the event with what ``Found`` holds (``registered_today`` for ``day_id``)."""
    return select(
        _REG.c.id,
        _REG.c.code,
        _REG.c.title,
        _REG.c.first_name,
        _REG.c.last_name,
        _REG.c.organisation,
        _REG.c.function,
        _REG.c.email,
        _REG.c.category_id,
        _REG.c.status,
        _REG.c.purged_at,
        _REG.c.no_day_ticked,
        registered_on(day_id).label("registered_today"),
    ).where(_REG.c.event_id == event_id)


def to_found(row: Any, notes: tuple[str, ...] = ()) -> Found:
    return Found(
        registration_id=row.id,
        code=row.code,
        title=row.title or "",
        first_name=row.first_name or "",
        last_name=row.last_name or "",
        organisation=row.organisation or "",
        function=row.function or "",
        email=row.email or "",
        category_id=row.category_id,
        status=str(getattr(row.status, "value", row.status)),
        purged=row.purged_at is not None,
        registered_today=bool(row.registered_today),
        notes=notes,
        no_day_ticked=bool(row.no_day_ticked),
    )


def find_by_id(
    session: Session, event_id: int, day_id: int, registration_id: int, notes: tuple[str, ...] = ()
) -> Found | None:
    row = session.execute(found_query(event_id, day_id).where(_REG.c.id == registration_id)).one_or_none()
    return None if row is None else to_found(row, notes)


def find_by_codes(session: Session, base: Select[Any], codes: tuple[str, ...]) -> list[Any]:
    """Rows of ``base`` (a ``found_query``, built once per scan) whose code is one of ``codes``."""
    return list(session.execute(base.where(_REG.c.code.in_(codes))).all())


def find_by_code_any_case(session: Session, base: Select[Any], codes: tuple[str, ...]) -> Any | None:
    """The one row whose code equals one of ``codes`` ignoring case (an imported mixed-case code
    scanned with caps lock), or None when none or several fit. Unindexed: only a last resort."""
    lowered = tuple(dict.fromkeys(code.lower() for code in codes))
    rows = session.execute(base.where(func.lower(_REG.c.code).in_(lowered)).limit(2)).all()
    return rows[0] if len(rows) == 1 else None


def find_by_order_codes(session: Session, base: Select[Any], codes: tuple[str, ...]) -> list[Any]:
    """Rows of ``base`` whose order code is one of ``codes`` (a pretix order holds several tickets)."""
    return list(session.execute(base.where(_REG.c.order_code.in_(codes))).all())


def recorded_states(session: Session, registration_id: int, day_id: int) -> dict[int, ScopeState]:
    """The latest log row per scope of one person on one day."""
    rows = session.execute(
        select(_LOG.c.scope, _LOG.c.seq, _LOG.c.at, _LOG.c.desk, _LOG.c.note).where(
            _LOG.c.registration_id == registration_id, _LOG.c.day_id == day_id
        )
    ).all()
    latest: dict[int, Any] = {}
    for row in rows:
        current = latest.get(row.scope)
        if current is None or current.seq < row.seq:
            latest[row.scope] = row
    return {
        scope: ScopeState(
            seq=row.seq,
            at=row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC),
            desk=row.desk,
            note=row.note,
        )
        for scope, row in latest.items()
    }


def session_ids_of(session: Session, registration_id: int) -> set[int]:
    """The sessions (workshops) a person is registered for."""
    return set(session.scalars(select(_RS.c.session_id).where(_RS.c.registration_id == registration_id)))


def lock_for_check_in(session: Session, registration_id: int, session_id: int | None) -> None:
    """Serialise the check-ins that could collide, before the facts are read.

    The person's row is locked, so two desks scanning one ticket at once take turns (the
    second sees the first's check-in); with ``session_id`` (a door with a capacity) the
    session's row too, so two doors never both take the last place. The locks are
    ``FOR NO KEY UPDATE``: they do not block the foreign-key checks of log rows that other
    transactions insert. Always the person first, then the session, so no two desks wait for
    each other. On SQLite the write transaction (``BEGIN IMMEDIATE``) already holds the
    whole database, so nothing is added to a scan there.
    """
    if session.get_bind().dialect.name == "sqlite":
        return
    session.execute(select(_REG.c.id).where(_REG.c.id == registration_id).with_for_update(key_share=True))
    if session_id is not None:
        session.execute(
            select(_SESSIONS.c.id).where(_SESSIONS.c.id == session_id).with_for_update(key_share=True)
        )


def queued_scan_recorded(session: Session, event_id: int, at: dt.datetime, nonce: str) -> bool:
    """True when a check-in row of the queued scan ``nonce`` (scanned at ``at``) is in the log."""
    fact = note_fact(NoteKind.QUEUED, nonce)
    row = session.execute(
        select(_LOG.c.id)
        .where(_LOG.c.event_id == event_id, _LOG.c.at == at, _LOG.c.note.contains(fact, autoescape=True))
        .limit(1)
    ).first()
    return row is not None


def append_log(
    session: Session,
    *,
    event_id: int,
    registration_id: int,
    day_id: int,
    writes: tuple[LogWrite, ...],
    at: dt.datetime,
    desk: str,
) -> None:
    """Append the rows of a decision; ``LostRace`` if another desk took one of the ``seq`` first."""
    for write in writes:
        try:
            session.execute(
                insert(_LOG).values(
                    event_id=event_id,
                    registration_id=registration_id,
                    day_id=day_id,
                    session_id=write.session.id if write.session else None,
                    scope=write.scope,
                    seq=write.seq,
                    action=write.action,
                    at=at,
                    desk=desk[:100],
                    note=write.note[:300],
                )
            )
        except IntegrityError as exc:
            raise LostRace from exc


__all__ = [
    "Found",
    "LostRace",
    "append_log",
    "find_by_codes",
    "find_by_id",
    "find_by_order_codes",
    "found_query",
    "lock_for_check_in",
    "queued_scan_recorded",
    "recorded_states",
    "session_ids_of",
    "to_found",
]
