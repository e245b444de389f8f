"""The check-in log in the database: the facts the rules read, the rows they write.

Plain SQL (Core) on an open session; the caller owns the transaction. Used by
the check-in service, undo and walk-ins.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, func, insert, null, select, text, union_all
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
    locked: bool = False  # the row was read ``FOR NO KEY UPDATE`` (PostgreSQL): the person's turn

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


def to_found(row: Any, notes: tuple[str, ...] = (), *, locked: bool = False) -> Found:
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
        locked=locked,
    )


@dataclass(frozen=True)
class Lookups:
    """The statements that find a scan's registration on one day, built once per event and day:
    a scan then only binds its codes (no statement built and no cache key computed per scan)."""

    by_codes: Select[Any]
    # The same, locking the rows found (``FOR NO KEY UPDATE``, in id order): on PostgreSQL the
    # check-in's lock on the person comes with the lookup instead of a second round trip.
    by_codes_locked: Select[Any]
    by_code_any_case: Select[Any]
    by_order_codes: Select[Any]
    by_id: Select[Any]


@functools.lru_cache(maxsize=64)
def lookups(event_id: int, day_id: int) -> Lookups:
    base = found_query(event_id, day_id)
    by_codes = base.where(_REG.c.code.in_(bindparam("codes", expanding=True)))
    return Lookups(
        by_codes=by_codes,
        by_codes_locked=by_codes.order_by(_REG.c.id).with_for_update(key_share=True, of=_REG),
        by_code_any_case=base.where(func.lower(_REG.c.code).in_(bindparam("lower", expanding=True))).limit(2),
        by_order_codes=base.where(_REG.c.order_code.in_(bindparam("codes", expanding=True))),
        by_id=base.where(_REG.c.id == bindparam("registration_id")),
    )


def find_by_id(
    session: Session, event_id: int, day_id: int, registration_id: int, notes: tuple[str, ...] = ()
) -> Found | None:
    row = session.execute(lookups(event_id, day_id).by_id, {"registration_id": registration_id}).one_or_none()
    return None if row is None else to_found(row, notes)


def find_by_codes(
    session: Session, found: Lookups, codes: tuple[str, ...], *, lock: bool = False
) -> list[Any]:
    """Rows whose code is one of ``codes``; with ``lock`` (PostgreSQL, a write), locked."""
    statement = found.by_codes_locked if lock else found.by_codes
    return list(session.execute(statement, {"codes": list(codes)}).all())


def find_by_code_any_case(session: Session, found: Lookups, codes: tuple[str, ...]) -> Any | None:
    """The one row whose code equals one of ``codes`` ignoring case (an imported mixed-case code
    scanned with caps lock), or None when none or several fit. Unindexed: only a last resort."""
    lowered = list(dict.fromkeys(code.lower() for code in codes))
    rows = session.execute(found.by_code_any_case, {"lower": lowered}).all()
    return rows[0] if len(rows) == 1 else None


def find_by_order_codes(session: Session, found: Lookups, codes: tuple[str, ...]) -> list[Any]:
    """Rows whose order code is one of ``codes`` (a pretix order holds several tickets)."""
    return list(session.execute(found.by_order_codes, {"codes": list(codes)}).all())


_RECORDED = select(_LOG.c.scope, _LOG.c.seq, _LOG.c.at, _LOG.c.desk, _LOG.c.note).where(
    _LOG.c.registration_id == bindparam("registration_id"), _LOG.c.day_id == bindparam("day_id")
)
_SESSION_IDS = select(_RS.c.session_id).where(_RS.c.registration_id == bindparam("registration_id"))
# Both in one: log rows (``seq`` set), then the person's workshops (``scope`` is the session id).
_PERSON_STATE = union_all(
    _RECORDED,
    select(_RS.c.session_id, null(), null(), null(), null()).where(
        _RS.c.registration_id == bindparam("registration_id")
    ),
)
_LOCK_PERSON = (
    select(_REG.c.id).where(_REG.c.id == bindparam("registration_id")).with_for_update(key_share=True)
)
_LOCK_SESSION = (
    select(_SESSIONS.c.id).where(_SESSIONS.c.id == bindparam("session_id")).with_for_update(key_share=True)
)
_INSERT_LOG = insert(_LOG)


def _latest_states(rows: Any) -> dict[int, ScopeState]:
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


def recorded_states(session: Session, registration_id: int, day_id: int) -> dict[int, ScopeState]:
    """The latest log row per scope of one person on one day."""
    return _latest_states(
        session.execute(_RECORDED, {"registration_id": registration_id, "day_id": day_id}).all()
    )


def person_state(
    session: Session, registration_id: int, day_id: int
) -> tuple[set[int], dict[int, ScopeState]]:
    """``session_ids_of`` and ``recorded_states`` in one round trip (a check-in needs both)."""
    rows = session.execute(_PERSON_STATE, {"registration_id": registration_id, "day_id": day_id}).all()
    session_ids = {row.scope for row in rows if row.seq is None}
    return session_ids, _latest_states(row for row in rows if row.seq is not None)


def session_ids_of(session: Session, registration_id: int) -> set[int]:
    """The sessions (workshops) a person is registered for."""
    return set(session.scalars(_SESSION_IDS, {"registration_id": registration_id}))


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def refresh_lookup_statistics(session: Session) -> None:
    """After a bulk write of registrations (an import): on PostgreSQL, tell the planner the
    tables' new size at once. Until autovacuum gets to it (a minute or more), a freshly filled
    table looks empty to the planner, and a scan's lookup filters every row of the event
    through the order-code index instead of using the code's (measured: 1 ms at 5,000
    registrations, growing with the list). SQLite's planner needs no statistics for it."""
    if is_postgresql(session):
        session.execute(text("ANALYZE registrations, registration_days, registration_sessions"))


def lock_for_check_in(
    session: Session, registration_id: int, session_id: int | None, *, person_locked: bool = False
) -> None:
    """Serialise the check-ins that could collide, before the facts are read.

    The person's row is locked, so two desks scanning one ticket at once take turns (the
    second sees the first's check-in); with ``session_id`` (a door with a capacity) the
    session's row too, so two doors never both take the last place. The locks are
    ``FOR NO KEY UPDATE``: they do not block the foreign-key checks of log rows that other
    transactions insert. Always the person first, then the session, so no two desks wait for
    each other. On SQLite the write transaction (``BEGIN IMMEDIATE``) already holds the
    whole database, so nothing is added to a scan there. ``person_locked``: the lookup
    already locked the person's row (``Lookups.by_codes_locked``).
    """
    if session.get_bind().dialect.name == "sqlite":
        return
    if not person_locked:
        session.execute(_LOCK_PERSON, {"registration_id": registration_id})
    if session_id is not None:
        session.execute(_LOCK_SESSION, {"session_id": session_id})


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
                _INSERT_LOG,
                {
                    "event_id": event_id,
                    "registration_id": registration_id,
                    "day_id": day_id,
                    "session_id": write.session.id if write.session else None,
                    "scope": write.scope,
                    "seq": write.seq,
                    "action": write.action,
                    "at": at,
                    "desk": desk[:100],
                    "note": write.note[:300],
                },
            )
        except IntegrityError as exc:
            raise LostRace from exc


__all__ = [
    "Found",
    "Lookups",
    "LostRace",
    "append_log",
    "find_by_codes",
    "find_by_id",
    "find_by_order_codes",
    "found_query",
    "is_postgresql",
    "lock_for_check_in",
    "lookups",
    "person_state",
    "queued_scan_recorded",
    "recorded_states",
    "refresh_lookup_statistics",
    "session_ids_of",
    "to_found",
]
