"""The check-in transaction: load the facts, ask the rules, write the log rows.

The rules themselves are a pure function (``checkin.domain.rules``); undo and
walk-ins live in ``checkin.domain.undo`` and ``checkin.domain.walk_in``; the
SQL that reads and appends the log is ``checkin.domain.checkin_store``. Every
write returns its result with the ``Changes`` it made; results are facts
(kinds and values), and ``checkin.presentation.verdict_text`` words them.

A double scan never writes a second check-in, and a door's capacity holds
exactly: on PostgreSQL the transaction locks the person's row (and the
session's, at a door with a capacity) before reading what is recorded, so
simultaneous desks take turns (``checkin_store.lock_for_check_in``); on SQLite
``BEGIN IMMEDIATE`` serialises the writers. The unique constraint on
(registration, day, scope, seq) stays the last guard: a desk that loses a race
anyway re-reads and answers ``already_checked_in``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checkin.domain.changes import Changes
from checkin.domain.checkin_store import (
    Found,
    LostRace,
    append_log,
    find_by_code_any_case,
    find_by_codes,
    find_by_id,
    find_by_order_codes,
    is_postgresql,
    lock_for_check_in,
    lookups,
    person_state,
    queued_scan_recorded,
    session_ids_of,
    to_found,
)
from checkin.domain.codes import has_code_shape, verify_code
from checkin.domain.db import Database, DatabaseWriteError, WriteFailure, write_failure
from checkin.domain.errors import UserError
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.log_notes import NoteKind, format_notes, note_fact
from checkin.domain.models import CheckInLogEntry, RegistrationStatus, utcnow
from checkin.domain.pending_scans import ScanRequest
from checkin.domain.people import (
    BadgePrintInfo,
    HistoryEntry,
    PersonChanges,
    PersonDetails,
    PersonError,
    person_details,
)
from checkin.domain.people import set_cancelled as _set_cancelled
from checkin.domain.people import update_person as _update_person
from checkin.domain.rules import CheckInRequest, Decision, ScopeState, decide, seats_held, session_start
from checkin.domain.scanning import CleanedScan, clean_scan
from checkin.domain.statistics import (
    EventStats,
    SessionGauge,
    count_attended,
    count_booked_present,
    count_registered_for_session,
    event_stats,
)
from checkin.domain.undo import undo_in
from checkin.domain.verdicts import (
    PersonSummary,
    ScanVerdict,
    Severity,
    UndoResult,
    UnknownReason,
    VerdictKind,
)
from checkin.domain.walk_in import WalkInRequest, register_walk_in
from checkin.i18n import _
from checkin.presentation.formats import format_date

# Seconds the door gauge may show an old "registered" count (other desks' imports and edits).
REGISTERED_COUNT_MAX_AGE = 60.0
# How often a check-in is retried after losing a race against another desk.
_MAX_ATTEMPTS = 3

T = TypeVar("T")

_REOPEN_AFTER = frozenset(
    {WriteFailure.READ_ONLY, WriteFailure.DISK_ERROR, WriteFailure.DISK_FULL, WriteFailure.UNREACHABLE}
)


class CheckInError(UserError):
    """A check-in request that cannot be carried out as asked (bad day, unknown session...)."""


class ScanNotRecorded(DatabaseWriteError):
    """The database did not take a scan (``failure`` says why); ``request`` is the scan, to keep
    in the desk's queue (``checkin.domain.pending_scans``) and record later."""

    def __init__(self, message: str, failure: WriteFailure, request: ScanRequest) -> None:
        super().__init__(message, failure)
        self.request = request


class CheckInService:
    """Check-ins of one desk for one event. Cheap to call from the GUI thread."""

    def __init__(
        self,
        db: Database,
        event: EventInfo,
        *,
        desk: str = "",
        clock: Callable[[], dt.datetime] = utcnow,
        scan_wait: float | None = None,
    ) -> None:
        """``scan_wait``: seconds a check-in waits for another writer (None: the database's
        usual wait); a desk sets it short and keeps what was not recorded in its queue."""
        self._db = db
        self.scan_wait = scan_wait
        self.event = event
        self.desk = desk
        self._clock = clock
        self._days = {d.date: d for d in event.days}
        self._sessions = {s.key: s for s in event.sessions}
        self._sessions_by_id = {s.id: s for s in event.sessions}
        # session id -> (monotonic time, registered count) for the door gauge
        self._registered_counts: dict[int, tuple[float, int]] = {}
        # Seats are held for booked people until this long after a session's start (0: not held).
        self.seat_hold_minutes = 0

    def _read(self) -> AbstractContextManager[Session]:
        """A snapshot for reads that do not wait for other desks' writes (``Database.read``)."""
        return self._db.read()

    # ------------------------------------------------------------------ days and sessions
    def resolve_day(self, day: dt.date | None) -> dt.date:
        """``day`` checked against the event; ``None`` means today if it is an event day."""
        if day is None:
            today = self.event.today(self._clock())
            if today is None:
                local = self._clock().astimezone(self.event.tz).date()
                raise CheckInError(
                    _(
                        "Today ({today}) is not a day of this event. Choose a day: {days} (--day YYYY-MM-DD)."
                    ).format(today=format_date(local), days=self._day_list())
                )
            return today.date
        return self._day(day).date

    def _day_list(self) -> str:
        return ", ".join(d.date.isoformat() for d in self.event.days)

    def _day(self, day: dt.date) -> DayInfo:
        info = self._days.get(day)
        if info is None:
            raise CheckInError(
                _("{day} is not a day of this event. Choose one of: {days}.").format(
                    day=day.isoformat() if isinstance(day, dt.date) else str(day), days=self._day_list()
                )
            )
        return info

    def _session(self, key: str | None, day: DayInfo) -> SessionInfo | None:
        if key is None or key == "":
            return None
        info = self._sessions.get(key)
        if info is None:
            raise CheckInError(
                _("There is no session '{key}' in this event. Sessions: {keys}.").format(
                    key=key, keys=", ".join(self._sessions)
                )
            )
        if info.day_id != day.id:
            raise CheckInError(
                _("'{title}' takes place on {session_day}, not on {day}.").format(
                    title=info.title, session_day=format_date(info.day), day=format_date(day.date)
                )
            )
        return info

    def resolve_session(self, session_key: str | None, day: dt.date) -> SessionInfo | None:
        """The session for ``session_key`` on ``day`` (None for the entrance); ``CheckInError`` if wrong."""
        return self._session(session_key, self._day(day))

    def lookup(self, raw: str) -> PersonSummary | None:
        """The person a scanned or typed code belongs to, without checking in (None: not found)."""
        cleaned = clean_scan(raw)
        if cleaned.is_empty:
            return None
        with self._read() as session:
            found = self._lookup(session, cleaned, self.event.days[0], lock=False)
            if found is None or isinstance(found, list):
                return None
            return found.summary(self.event, session_ids_of(session, found.registration_id))

    # ------------------------------------------------------------------ scanning
    def scan(self, raw: str, *, day: dt.date, session_key: str | None = None) -> ScanVerdict:
        """Find the person behind a scanned code and check them in if the rules allow it.

        Never raises for any ``raw`` input; raises ``CheckInError`` only for a
        ``day`` or ``session_key`` that the event does not have (a desk setup error), and
        ``ScanNotRecorded`` when the database did not take the scan (nothing was recorded).
        """
        day_info = self._day(day)
        target = self._session(session_key, day_info)
        cleaned = clean_scan(raw)
        if cleaned.is_empty:
            return self._unknown(UnknownReason.NOTHING_READABLE, cleaned.text, day_info, target)
        at = self._clock()
        try:
            return self._run(lambda s: self._scan_in(s, cleaned, day_info, target, at=at))
        except DatabaseWriteError as error:
            request = ScanRequest(
                raw=raw, day=day_info.date, session_key=session_key, scanned_at=at, event_slug=self.event.slug
            )
            raise ScanNotRecorded(str(error), error.failure, request) from error

    def record_queued(
        self, raw: str, *, day: dt.date, session_key: str | None, at: dt.datetime, nonce: str
    ) -> ScanVerdict | None:
        """Record a scan from the desk's queue as of ``at``, the moment it was scanned.

        The check-in row notes ``queued:<nonce>``; None (nothing written) when a row with
        that nonce is already in the log: an earlier attempt was recorded after all.
        Raises ``DatabaseWriteError`` when the database still does not take it.
        """
        day_info = self._day(day)
        target = self._session(session_key, day_info)
        cleaned = clean_scan(raw)
        if cleaned.is_empty:
            return self._unknown(UnknownReason.NOTHING_READABLE, cleaned.text, day_info, target)

        def work(session: Session) -> ScanVerdict | None:
            if queued_scan_recorded(session, self.event.id, at, nonce):
                return None
            return self._scan_in(session, cleaned, day_info, target, at=at, queued=nonce)

        return self._run(work)

    def check_in_registration(
        self, registration_id: int, *, day: dt.date, session_key: str | None = None, override: bool = False
    ) -> ScanVerdict:
        """Check in a person chosen by hand (from the search); the log notes ``manual``.

        ``override``: let them in despite a refusal (a supervisor's decision; noted ``override``).
        """
        day_info = self._day(day)
        target = self._session(session_key, day_info)
        notes = ("manual", "override") if override else ("manual",)

        def work(session: Session) -> ScanVerdict:
            found = find_by_id(session, self.event.id, day_info.id, registration_id, notes)
            if found is None:
                raise PersonError(
                    _("There is no registration with the number {id}.").format(id=registration_id)
                )
            return self._check_in(session, found, day_info, target, override=override)

        return self._run(work)

    def _run(self, work: Callable[[Session], T]) -> T:
        for attempt in range(_MAX_ATTEMPTS):
            try:
                with self._db.write(wait=self.scan_wait) as session:
                    return work(session)
            except (IntegrityError, LostRace):
                if attempt == _MAX_ATTEMPTS - 1:
                    raise
            except SQLAlchemyDatabaseError as exc:
                # Locked longer than the wait, server gone, disk full, read-only: nothing was recorded.
                failure = write_failure(exc)
                if failure in _REOPEN_AFTER:
                    # SQLite keeps a file it opened read-only so, and a failed disk write may
                    # leave a connection unusable: the next attempt opens afresh.
                    self._db.engine.dispose()
                raise DatabaseWriteError(
                    _(
                        "The database did not answer ({error}); nothing was recorded. Please try again."
                    ).format(error=getattr(exc, "orig", exc)),
                    failure,
                ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _lookup(
        self, session: Session, cleaned: CleanedScan, day: DayInfo, *, lock: bool
    ) -> Found | list[Found] | None:
        """The registration for the scan: by code, by Y/Z-swapped code, then by order code.

        ``lock`` (a check-in on PostgreSQL): the exact code's row is locked as it is read, the
        person's turn (``lock_for_check_in``) without a round trip of its own."""
        base = lookups(self.event.id, day.id)
        for spellings, notes in ((cleaned.candidates, ()), (cleaned.swapped, ("yz_swapped",))):
            if not spellings:
                continue
            locking = lock and not notes
            rows = find_by_codes(session, base, spellings, lock=locking)
            if rows:
                by_code = {r.code: r for r in rows}
                best = next(by_code[s] for s in spellings if s in by_code)
                return to_found(best, notes, locked=locking)
        if (
            cleaned.candidates
            and (row := find_by_code_any_case(session, base, cleaned.candidates)) is not None
        ):
            return to_found(row, ())
        rows = find_by_order_codes(session, base, cleaned.candidates)
        if not rows:
            return None
        if len(rows) > 1:
            active = [
                r for r in rows if getattr(r.status, "value", r.status) == RegistrationStatus.ACTIVE.value
            ]
            if len(active) == 1:
                rows = active
            else:
                return [to_found(r, ("order_code",)) for r in rows]
        return to_found(rows[0], ("order_code",))

    def _scan_in(
        self,
        session: Session,
        cleaned: CleanedScan,
        day: DayInfo,
        target: SessionInfo | None,
        *,
        at: dt.datetime,
        queued: str = "",
    ) -> ScanVerdict:
        found = self._lookup(session, cleaned, day, lock=is_postgresql(session))
        code = cleaned.candidates[0] if cleaned.candidates else cleaned.text
        if found is None:
            upper = code.upper()
            if has_code_shape(upper) and not verify_code(upper, self.event.secret):
                return self._verdict(
                    Decision(VerdictKind.INVALID, Severity.REFUSED, False), code, day, target
                )
            return self._unknown(UnknownReason.NO_SUCH_CODE, code, day, target)
        if isinstance(found, list):
            return self._verdict(
                Decision(
                    VerdictKind.UNKNOWN,
                    Severity.REFUSED,
                    False,
                    notes=("order_code_ambiguous",),
                    unknown_reason=UnknownReason.ORDER_AMBIGUOUS,
                ),
                code,
                day,
                target,
                ticket_count=len(found),
            )
        return self._check_in(session, found, day, target, at=at, queued=queued)

    def _check_in(
        self,
        session: Session,
        found: Found,
        day: DayInfo,
        target: SessionInfo | None,
        *,
        at: dt.datetime | None = None,
        queued: str = "",
        override: bool = False,
    ) -> ScanVerdict:
        """Load what the rules need, ask them, and write the rows they decide on (as of ``at``;
        ``queued``: the nonce of a scan from the desk's queue, noted on its check-in row)."""
        request = CheckInRequest(
            day=day,
            session=target,
            found_by=found.notes,
            deny_unregistered_session=self.event.deny_unregistered_session,
            override=override,
        )
        if found.purged:
            return self._verdict(decide(found.facts(set()), request, {}), found.code, day, target)
        capacity_of = target.id if target is not None and target.capacity is not None else None
        lock_for_check_in(session, found.registration_id, capacity_of, person_locked=found.locked)
        session_ids, recorded = self._person_state(session, found.registration_id, day.id)
        attended = None
        held: int | Callable[[], int] = 0
        if target is not None and target.capacity is not None:
            attended = functools.partial(count_attended, session, day.id, target.id)
            held = functools.partial(self._held_seats, session, day, target)
        decision = decide(
            found.facts(session_ids),
            request,
            recorded,
            sessions=self._sessions_by_id,
            attended=attended,
            held=held,
        )
        changes = Changes()
        if decision.writes:
            writes = decision.writes
            if queued:  # the check-in row (the last one) says it came from the queue, and which
                last = writes[-1]
                fact = note_fact(NoteKind.QUEUED, queued)
                writes = (*writes[:-1], dataclasses.replace(last, note=format_notes([last.note, fact])))
            append_log(
                session,
                event_id=self.event.id,
                registration_id=found.registration_id,
                day_id=day.id,
                writes=writes,
                at=at or self._clock(),
                desk=self.desk,
            )
            changes = Changes(
                registrations=frozenset({found.registration_id}),
                sessions=frozenset(w.session.id for w in decision.writes if w.session is not None),
                figures=True,
            )
        person = found.summary(self.event, session_ids)
        return self._verdict(decision, found.code, day, target, person, changes=changes)

    def _person_state(
        self, session: Session, registration_id: int, day_id: int
    ) -> tuple[set[int], dict[int, ScopeState]]:
        """The person's workshops, and what is already recorded for them that day (one round
        trip; a seam for the race test)."""
        return person_state(session, registration_id, day_id)

    def _verdict(
        self,
        decision: Decision,
        code: str,
        day: DayInfo,
        target: SessionInfo | None,
        person: PersonSummary | None = None,
        *,
        ticket_count: int | None = None,
        changes: Changes | None = None,
    ) -> ScanVerdict:
        first_at = decision.first_at.astimezone(self.event.tz) if decision.first_at else None
        return ScanVerdict(
            kind=decision.kind,
            severity=decision.severity,
            admitted=decision.admitted,
            code=code,
            person=person,
            day=day.date,
            session_key=target.key if target else None,
            first_checkin_at=first_at,
            first_checkin_desk=decision.first_desk,
            notes=decision.notes,
            session_title=target.title if target else None,
            unknown_reason=decision.unknown_reason,
            not_registered_reason=decision.not_registered_reason,
            attended=decision.attended,
            capacity=decision.capacity,
            moved_from_titles=tuple(s.title for s in decision.moved_from),
            ticket_count=ticket_count,
            changes=changes or Changes(),
        )

    def _unknown(
        self, reason: UnknownReason, code: str, day: DayInfo, target: SessionInfo | None
    ) -> ScanVerdict:
        decision = Decision(VerdictKind.UNKNOWN, Severity.REFUSED, False, unknown_reason=reason)
        return self._verdict(decision, code, day, target)

    # ------------------------------------------------------------------ undo
    def undo(self, registration_id: int, *, day: dt.date, session_key: str | None = None) -> UndoResult:
        """Annul the check-in in force for the person, day and scope (appends an undo row)."""
        day_info = self._day(day)
        target = self._session(session_key, day_info)
        with self._db.session_factory() as session, session.begin():
            return undo_in(
                session, self.event, registration_id, day_info, target, now=self._clock(), desk=self.desk
            )

    def undo_last(self) -> UndoResult | None:
        """Annul the latest check-in this desk made that is still in force (None if there is none)."""
        from checkin.domain.attendance import active_checkins_query

        with self._db.session_factory() as session, session.begin():
            entry = session.scalars(
                active_checkins_query(self.event.id)
                .where(CheckInLogEntry.desk == self.desk[:100])
                .order_by(CheckInLogEntry.id.desc())
                .limit(1)
            ).first()
            if entry is None:
                return None
            day = self.event.day_by_id(entry.day_id)
            target = self._sessions_by_id.get(entry.session_id) if entry.session_id else None
            assert day is not None
            return undo_in(
                session, self.event, entry.registration_id, day, target, now=self._clock(), desk=self.desk
            )

    # ------------------------------------------------------------------ walk-ins and people
    def walk_in(self, request: WalkInRequest, *, day: dt.date, check_in: bool = True) -> ScanVerdict:
        """Register a person on the spot with a new signed code and (by default) check them in."""
        day_info = self._day(day)
        self._registered_counts.clear()

        def work(session: Session) -> ScanVerdict:
            registration_id, session_ids = register_walk_in(
                session, self.event, request, now=self._clock(), desk=self.desk
            )
            found = find_by_id(session, self.event.id, day_info.id, registration_id, ("walk_in",))
            assert found is not None
            registered = Changes.person(registration_id, figures=True)
            if check_in:
                verdict = self._check_in(session, found, day_info, None)
                return dataclasses.replace(verdict, changes=registered | verdict.changes)
            person = found.summary(self.event, set(session_ids))
            decision = Decision(VerdictKind.REGISTERED, Severity.OK, False, notes=("walk_in",))
            return self._verdict(decision, found.code, day_info, None, person, changes=registered)

        return self._run(work)

    def person(self, registration_id: int) -> PersonDetails:
        with self._read() as session:
            return person_details(session, self.event, registration_id)

    def update_person(self, registration_id: int, changes: PersonChanges) -> PersonSummary:
        """Change a person's data; the summary's ``changes`` says what moved."""
        self._registered_counts.clear()
        with self._db.session_factory() as session, session.begin():
            summary = _update_person(session, self.event, registration_id, changes, desk=self.desk)
        figures = changes.day_dates is not None or changes.workshop_keys is not None
        return dataclasses.replace(summary, changes=Changes.person(registration_id, figures=figures))

    def set_cancelled(self, registration_id: int, cancelled: bool) -> PersonSummary:
        """Cancel or reinstate a registration (the figures move with it)."""
        self._registered_counts.clear()
        with self._db.session_factory() as session, session.begin():
            summary = _set_cancelled(session, self.event, registration_id, cancelled, desk=self.desk)
        return dataclasses.replace(summary, changes=Changes.person(registration_id, figures=True))

    # ------------------------------------------------------------------ numbers
    def session_gauge(self, session_key: str, day: dt.date) -> SessionGauge:
        """Attended now (live), registered (cached up to a minute: a count over thousands of
        registrations that changes only with imports and edits), and capacity."""
        day_info = self._day(day)
        target = self._session(session_key, day_info)
        assert target is not None
        with self._read() as session:
            attended = count_attended(session, day_info.id, target.id)
            cached = self._registered_counts.get(target.id)
            if cached is None or time.monotonic() - cached[0] > REGISTERED_COUNT_MAX_AGE:
                cached = (time.monotonic(), count_registered_for_session(session, target.id))
                self._registered_counts[target.id] = cached
            held = self._held_seats(session, day_info, target) if target.capacity is not None else 0
        return SessionGauge(
            session_key=target.key,
            title=target.title,
            day=target.day,
            attended=attended,
            registered=cached[1],
            capacity=target.capacity,
            held=held,
        )

    def _held_seats(self, session: Session, day: DayInfo, target: SessionInfo) -> int:
        """Seats still kept for booked people (``rules.seats_held``); counted only while held."""
        start, now, hold = session_start(target, self.event.tz), self._clock(), self.seat_hold_minutes
        if not seats_held(booked=1, booked_present=0, start=start, now=now, hold_minutes=hold):
            return 0  # the hold is over (or off): no need to count
        booked = count_registered_for_session(session, target.id)
        present = count_booked_present(session, day.id, target.id)
        return seats_held(booked=booked, booked_present=present, start=start, now=now, hold_minutes=hold)

    def stats(self) -> EventStats:
        with self._read() as session:
            return event_stats(session, self.event)


__all__ = [
    "BadgePrintInfo",
    "CheckInError",
    "CheckInService",
    "EventStats",
    "HistoryEntry",
    "PersonChanges",
    "PersonDetails",
    "PersonSummary",
    "ScanNotRecorded",
    "ScanVerdict",
    "SessionGauge",
    "Severity",
    "UndoResult",
    "VerdictKind",
    "WalkInRequest",
]
