"""The check-in engine: scan -> verdict, manual check-in, undo, walk-ins, door gauges.

Rules (see issue 3):

- A check-in is per event day and per scope (the entrance, or one session).
  A double scan never writes a second check-in: the state of (person, day,
  scope) is the log row with the highest ``seq``; a new check-in takes the
  next even ``seq`` and the unique constraint on (registration, day, scope,
  seq) makes the second of two simultaneous desks fail in the database. That
  desk re-reads and answers ``already_checked_in``.
- Refused scans write nothing; only a real check-in (or undo) changes the database.
- Undo appends an undo row (``seq + 1``); nothing is ever deleted.
- Workshop doors: capacity counts check-ins in force; a person checked in at
  an overlapping session the same day is moved (undo there with note
  ``moved_to:<key>``, check-in here with ``moved_from:<key>``). A person
  scanned at a session door without an entrance check-in that day is checked
  in at the entrance too (note ``auto:<key>``): they are in the building, and
  the day's arrival count and "still expected" list must say so.
- Registrations without any registered day count as registered for every day.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Select, Table, exists, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from checkin.domain.codes import generate_code, has_code_shape, verify_code
from checkin.domain.db import Database, DatabaseError
from checkin.domain.errors import UserError
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.log_notes import SCAN_FACTS, NoteKind, format_notes, note_fact, session_keys
from checkin.domain.models import (
    ENTRANCE_SCOPE,
    AuditEntry,
    CheckInLogEntry,
    LogAction,
    Registration,
    RegistrationStatus,
    registration_days,
    registration_sessions,
    utcnow,
)
from checkin.domain.people import (
    BadgePrintInfo,
    HistoryEntry,
    PersonChanges,
    PersonDetails,
    PersonError,
    apply_person_fields,
    check_workshop_choice,
    person_details,
    resolve_days,
    resolve_sessions,
    summary_from_row,
)
from checkin.domain.people import set_cancelled as _set_cancelled
from checkin.domain.people import update_person as _update_person
from checkin.domain.scanning import CleanedScan, clean_scan
from checkin.domain.statistics import (
    EventStats,
    SessionGauge,
    count_attended,
    count_registered_for_session,
    event_stats,
)
from checkin.domain.verdicts import PersonSummary, ScanVerdict, Severity, VerdictKind
from checkin.i18n import N_, _, current_language, translate

_REG = cast(Table, Registration.__table__)
_LOG = cast(Table, CheckInLogEntry.__table__)
_RD = registration_days
_RS = registration_sessions
# Seconds the door gauge may show an old "registered" count (other desks' imports and edits).
REGISTERED_COUNT_MAX_AGE = 60.0
# How often a check-in is retried after losing a race against another desk.
_MAX_ATTEMPTS = 3


class CheckInError(UserError):
    """A check-in request that cannot be carried out as asked (bad day, unknown session...)."""


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


@dataclass(frozen=True)
class UndoResult:
    """What an undo did (``undone`` False: nothing was in force, nothing changed)."""

    undone: bool
    registration_id: int
    person: PersonSummary | None
    day: dt.date
    session_key: str | None
    message: str
    message_de: str
    message_en: str
    checked_in_at: dt.datetime | None = None  # the check-in that was annulled
    checked_in_desk: str | None = None
    # "restored:<key>" when undoing a move put the person back into the old session.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Text:
    """A message in both languages (English source formatted, German translated and formatted)."""

    de: str
    en: str

    @classmethod
    def of(cls, template: str, **values: Any) -> _Text:
        return cls(de=translate(template, "de").format(**values), en=template.format(**values))

    def __add__(self, other: _Text) -> _Text:
        return _Text(de=f"{self.de} {other.de}", en=f"{self.en} {other.en}")

    @property
    def current(self) -> str:
        return self.de if current_language() == "de" else self.en


@dataclass(frozen=True)
class _Found:
    """The registration row a scan found, with what the rules need."""

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


@dataclass
class _ScopeState:
    seq: int
    at: dt.datetime
    desk: str
    note: str

    @property
    def in_force(self) -> bool:
        return self.seq % 2 == 0


class _LostRace(Exception):
    """Another desk wrote the same check-in first; re-read and decide again."""


def _found_query(day_id: int) -> Select[Any]:
    registered_today = exists().where(
        _RD.c.registration_id == _REG.c.id, _RD.c.day_id == day_id
    ) | ~exists().where(_RD.c.registration_id == _REG.c.id)
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
        registered_today.label("registered_today"),
    )


def _to_found(row: Any, notes: tuple[str, ...] = ()) -> _Found:
    return _Found(
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
    )


class CheckInService:
    """Check-ins of one desk for one event. Cheap to call from the GUI thread."""

    def __init__(
        self,
        db: Database,
        event: EventInfo,
        *,
        desk: str = "",
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._db = db
        self.event = event
        self.desk = desk
        self._clock = clock
        self._days = {d.date: d for d in event.days}
        self._sessions = {s.key: s for s in event.sessions}
        self._sessions_by_id = {s.id: s for s in event.sessions}
        # session id -> (monotonic time, registered count) for the door gauge
        self._registered_counts: dict[int, tuple[float, int]] = {}

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
                    ).format(today=local.strftime("%d.%m.%Y"), days=self._day_list())
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
                    title=info.title,
                    session_day=info.day.strftime("%d.%m.%Y"),
                    day=day.date.strftime("%d.%m.%Y"),
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
            found = self._lookup(session, cleaned, self.event.days[0])
            if found is None or isinstance(found, list):
                return None
            return self._summary(found, self._session_ids(session, found.registration_id))

    # ------------------------------------------------------------------ scanning
    def scan(self, raw: str, *, day: dt.date, session_key: str | None = None) -> ScanVerdict:
        """Find the person behind a scanned code and check them in if the rules allow it.

        Never raises for any ``raw`` input; raises ``CheckInError`` only for a
        ``day`` or ``session_key`` that the event does not have (a desk setup error).
        """
        day_info = self._day(day)
        target = self._session(session_key, day_info)
        cleaned = clean_scan(raw)
        if cleaned.is_empty:
            return self._refusal(
                VerdictKind.UNKNOWN,
                _Text.of(N_("Nothing readable was scanned.")),
                cleaned.text,
                day_info,
                target,
            )
        return self._run(lambda s: self._scan_in(s, cleaned, day_info, target))

    def check_in_registration(
        self, registration_id: int, *, day: dt.date, session_key: str | None = None
    ) -> ScanVerdict:
        """Check in a person chosen by hand (from the search); the log notes ``manual``."""
        day_info = self._day(day)
        target = self._session(session_key, day_info)

        def work(session: Session) -> ScanVerdict:
            row = session.execute(
                _found_query(day_info.id).where(
                    _REG.c.id == registration_id, _REG.c.event_id == self.event.id
                )
            ).one_or_none()
            if row is None:
                raise PersonError(
                    _("There is no registration with the number {id}.").format(id=registration_id)
                )
            return self._decide(session, _to_found(row, ("manual",)), day_info, target)

        return self._run(work)

    def _run(self, work: Callable[[Session], ScanVerdict]) -> ScanVerdict:
        for attempt in range(_MAX_ATTEMPTS):
            try:
                with self._db.session_factory() as session, session.begin():
                    return work(session)
            except (IntegrityError, _LostRace):
                if attempt == _MAX_ATTEMPTS - 1:
                    raise
            except OperationalError as exc:
                # Locked longer than busy_timeout, server gone, disk full: nothing was recorded.
                raise DatabaseError(
                    _(
                        "The database did not answer ({error}); nothing was recorded. Please try again."
                    ).format(error=getattr(exc, "orig", exc))
                ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _lookup(self, session: Session, cleaned: CleanedScan, day: DayInfo) -> _Found | list[_Found] | None:
        """The registration for the scan: by code, by Y/Z-swapped code, then by order code."""
        base = _found_query(day.id).where(_REG.c.event_id == self.event.id)
        for spellings, notes in ((cleaned.candidates, ()), (cleaned.swapped, ("yz_swapped",))):
            if not spellings:
                continue
            rows = session.execute(base.where(_REG.c.code.in_(spellings))).all()
            if rows:
                by_code = {r.code: r for r in rows}
                best = next(by_code[s] for s in spellings if s in by_code)
                return _to_found(best, notes)
        rows = session.execute(base.where(_REG.c.order_code.in_(cleaned.candidates))).all()
        if not rows:
            return None
        if len(rows) > 1:
            active = [
                r for r in rows if getattr(r.status, "value", r.status) == RegistrationStatus.ACTIVE.value
            ]
            if len(active) == 1:
                rows = active
            else:
                return [_to_found(r, ("order_code",)) for r in rows]
        return _to_found(rows[0], ("order_code",))

    def _scan_in(
        self, session: Session, cleaned: CleanedScan, day: DayInfo, target: SessionInfo | None
    ) -> ScanVerdict:
        found = self._lookup(session, cleaned, day)
        code = cleaned.candidates[0] if cleaned.candidates else cleaned.text
        if found is None:
            upper = code.upper()
            if has_code_shape(upper) and not verify_code(upper, self.event.secret):
                return self._refusal(
                    VerdictKind.INVALID,
                    _Text.of(
                        N_("Invalid code {code}: it was not issued for this event (mistyped or forged)."),
                        code=code,
                    ),
                    code,
                    day,
                    target,
                )
            return self._refusal(
                VerdictKind.UNKNOWN, _Text.of(N_("Unknown code {code}."), code=code), code, day, target
            )
        if isinstance(found, list):
            return self._refusal(
                VerdictKind.UNKNOWN,
                _Text.of(
                    N_("Order {code} holds {count} tickets: scan the ticket itself or search for the name."),
                    code=code,
                    count=len(found),
                ),
                code,
                day,
                target,
                notes=("order_code_ambiguous",),
            )
        return self._decide(session, found, day, target)

    def _states(self, session: Session, registration_id: int, day_id: int) -> dict[int, _ScopeState]:
        """The latest log row per scope of one person on one day."""
        rows = session.execute(
            select(_LOG.c.scope, _LOG.c.seq, _LOG.c.at, _LOG.c.desk, _LOG.c.note).where(
                _LOG.c.registration_id == registration_id, _LOG.c.day_id == day_id
            )
        ).all()
        states: dict[int, _ScopeState] = {}
        for row in rows:
            current = states.get(row.scope)
            if current is None or current.seq < row.seq:
                at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
                states[row.scope] = _ScopeState(seq=row.seq, at=at, desk=row.desk, note=row.note)
        return states

    def _session_ids(self, session: Session, registration_id: int) -> set[int]:
        return set(session.scalars(select(_RS.c.session_id).where(_RS.c.registration_id == registration_id)))

    def _summary(self, found: _Found, session_ids: set[int]) -> PersonSummary:
        return summary_from_row(
            registration_id=found.registration_id,
            code=found.code,
            title=found.title,
            first_name=found.first_name,
            last_name=found.last_name,
            organisation=found.organisation,
            function=found.function,
            email=found.email,
            category_id=found.category_id,
            status=found.status,
            session_ids=session_ids,
            event=self.event,
        )

    def _decide(
        self, session: Session, found: _Found, day: DayInfo, target: SessionInfo | None
    ) -> ScanVerdict:
        """Apply the rules to a found person and write the check-in if they pass."""
        if found.purged:
            return self._refusal(
                VerdictKind.UNKNOWN,
                _Text.of(N_("The personal data of this registration was deleted.")),
                found.code,
                day,
                target,
                notes=("purged",),
            )
        session_ids = self._session_ids(session, found.registration_id)
        person = self._summary(found, session_ids)
        name = person.display_name
        notes = list(found.notes)
        if found.status == RegistrationStatus.CANCELLED.value:
            return self._refusal(
                VerdictKind.CANCELLED,
                _Text.of(N_("Registration cancelled: {name}."), name=name),
                found.code,
                day,
                target,
                person,
                notes,
            )
        if not found.registered_today:
            return self._refusal(
                VerdictKind.NOT_REGISTERED_TODAY,
                _Text.of(
                    N_("{name} is not registered for {day}."), name=name, day=day.date.strftime("%d.%m.%Y")
                ),
                found.code,
                day,
                target,
                person,
                notes,
            )
        scope = target.id if target else ENTRANCE_SCOPE
        states = self._states(session, found.registration_id, day.id)
        current = states.get(scope)
        if current is not None and current.in_force:
            local = current.at.astimezone(self.event.tz)
            if current.desk:
                text = _Text.of(
                    N_("Already checked in at {time} (desk {desk}): {name}."),
                    time=local.strftime("%H:%M"),
                    desk=current.desk,
                    name=name,
                )
            else:
                text = _Text.of(
                    N_("Already checked in at {time}: {name}."), time=local.strftime("%H:%M"), name=name
                )
            return self._verdict(
                VerdictKind.ALREADY_CHECKED_IN,
                Severity.WARNING,
                True,
                text,
                found.code,
                day,
                target,
                person,
                notes,
                first_at=current.at,
                first_desk=current.desk,
            )
        kind = VerdictKind.CHECKED_IN
        severity = Severity.OK
        if target is None:
            text = _Text.of(N_("Checked in: {name}."), name=name)
        else:
            text = _Text.of(N_("Checked in to {session}: {name}."), session=target.title, name=name)
            if target.is_workshop and target.id not in session_ids:
                if self.event.deny_unregistered_session:
                    return self._refusal(
                        VerdictKind.NOT_REGISTERED_FOR_SESSION,
                        _Text.of(
                            N_("{name} is not registered for {session}."), name=name, session=target.title
                        ),
                        found.code,
                        day,
                        target,
                        person,
                        notes,
                    )
                kind = VerdictKind.NOT_REGISTERED_FOR_SESSION
                severity = Severity.WARNING
                text = _Text.of(
                    N_("Admitted, but {name} is not registered for {session}."),
                    name=name,
                    session=target.title,
                )
            if target.capacity is not None:
                attended = count_attended(session, day.id, target.id)
                if attended >= target.capacity:
                    return self._refusal(
                        VerdictKind.SESSION_FULL,
                        _Text.of(
                            N_("{session} is full ({attended} of {capacity} places taken): {name}."),
                            session=target.title,
                            attended=attended,
                            capacity=target.capacity,
                            name=name,
                        ),
                        found.code,
                        day,
                        target,
                        person,
                        notes,
                    )
        now = self._clock()
        note = format_notes(n for n in notes if n in SCAN_FACTS)
        if target is not None:
            for other_scope, state in sorted(states.items()):
                other = self._sessions_by_id.get(other_scope)
                if other is None or other.id == target.id or not state.in_force or not other.overlaps(target):
                    continue
                self._append(
                    session,
                    found.registration_id,
                    day.id,
                    other,
                    state.seq + 1,
                    LogAction.UNDO,
                    now,
                    note_fact(NoteKind.MOVED_TO, target.key),
                )
                notes.append(note_fact(NoteKind.MOVED_FROM, other.key))
                text = text + _Text.of(N_("Moved here from {session}."), session=other.title)
            moved = session_keys(notes, NoteKind.MOVED_FROM)
            if moved:
                note = format_notes([note, note_fact(NoteKind.MOVED_FROM, moved[0])])
            entrance = states.get(ENTRANCE_SCOPE)
            if entrance is None or not entrance.in_force:
                seq = 0 if entrance is None else entrance.seq + 1
                self._append(
                    session,
                    found.registration_id,
                    day.id,
                    None,
                    seq,
                    LogAction.CHECK_IN,
                    now,
                    note_fact(NoteKind.AUTO, target.key),
                )
                notes.append("entrance_recorded")
        seq = 0 if current is None else current.seq + 1
        self._append(session, found.registration_id, day.id, target, seq, LogAction.CHECK_IN, now, note)
        if "yz_swapped" in notes:
            text = text + _Text.of(
                N_("The code was read with Y and Z swapped: check the scanner's keyboard layout.")
            )
        return self._verdict(kind, severity, True, text, found.code, day, target, person, notes)

    def _append(
        self,
        session: Session,
        registration_id: int,
        day_id: int,
        target: SessionInfo | None,
        seq: int,
        action: LogAction,
        at: dt.datetime,
        note: str,
    ) -> None:
        try:
            session.execute(
                insert(_LOG).values(
                    event_id=self.event.id,
                    registration_id=registration_id,
                    day_id=day_id,
                    session_id=target.id if target else None,
                    scope=target.id if target else ENTRANCE_SCOPE,
                    seq=seq,
                    action=action,
                    at=at,
                    desk=self.desk[:100],
                    note=note[:300],
                )
            )
        except IntegrityError as exc:
            raise _LostRace from exc

    # ------------------------------------------------------------------ verdict helpers
    def _verdict(
        self,
        kind: VerdictKind,
        severity: Severity,
        admitted: bool,
        text: _Text,
        code: str,
        day: DayInfo,
        target: SessionInfo | None,
        person: PersonSummary | None = None,
        notes: Sequence[str] = (),
        *,
        first_at: dt.datetime | None = None,
        first_desk: str | None = None,
    ) -> ScanVerdict:
        return ScanVerdict(
            kind=kind,
            severity=severity,
            admitted=admitted,
            message=text.current,
            message_de=text.de,
            message_en=text.en,
            code=code,
            person=person,
            day=day.date,
            session_key=target.key if target else None,
            first_checkin_at=first_at,
            first_checkin_desk=first_desk,
            notes=tuple(dict.fromkeys(notes)),
        )

    def _refusal(
        self,
        kind: VerdictKind,
        text: _Text,
        code: str,
        day: DayInfo,
        target: SessionInfo | None,
        person: PersonSummary | None = None,
        notes: Sequence[str] = (),
    ) -> ScanVerdict:
        return self._verdict(kind, Severity.REFUSED, False, text, code, day, target, person, notes)

    # ------------------------------------------------------------------ undo
    def undo(self, registration_id: int, *, day: dt.date, session_key: str | None = None) -> UndoResult:
        """Annul the check-in in force for the person, day and scope (appends an undo row)."""
        day_info = self._day(day)
        target = self._session(session_key, day_info)
        with self._db.session_factory() as session, session.begin():
            return self._undo_in(session, registration_id, day_info, target)

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
            return self._undo_in(session, entry.registration_id, day, target)

    def _undo_in(
        self, session: Session, registration_id: int, day: DayInfo, target: SessionInfo | None
    ) -> UndoResult:
        row = session.execute(
            _found_query(day.id).where(_REG.c.id == registration_id, _REG.c.event_id == self.event.id)
        ).one_or_none()
        if row is None:
            raise PersonError(_("There is no registration with the number {id}.").format(id=registration_id))
        found = _to_found(row)
        person = self._summary(found, self._session_ids(session, registration_id))
        states = self._states(session, registration_id, day.id)
        scope = target.id if target else ENTRANCE_SCOPE
        current = states.get(scope)
        place = target.title if target else None
        if current is None or not current.in_force:
            if place:
                text = _Text.of(
                    N_("{name} is not checked in to {session}; nothing to undo."),
                    name=person.display_name,
                    session=place,
                )
            else:
                text = _Text.of(N_("{name} is not checked in; nothing to undo."), name=person.display_name)
            return UndoResult(
                undone=False,
                registration_id=registration_id,
                person=person,
                day=day.date,
                session_key=target.key if target else None,
                message=text.current,
                message_de=text.de,
                message_en=text.en,
            )
        now = self._clock()
        self._append(session, registration_id, day.id, target, current.seq + 1, LogAction.UNDO, now, "")
        notes: list[str] = []
        if place:
            text = _Text.of(
                N_("Check-in to {session} undone: {name}."), session=place, name=person.display_name
            )
        else:
            text = _Text.of(N_("Check-in undone: {name}."), name=person.display_name)
        # Undoing a move puts the person back where they were.
        moved_from = session_keys(current.note, NoteKind.MOVED_FROM)
        if target is not None and moved_from:
            previous = self._sessions.get(moved_from[0])
            old = states.get(previous.id) if previous else None
            if previous is not None and old is not None and not old.in_force:
                self._append(
                    session,
                    registration_id,
                    day.id,
                    previous,
                    old.seq + 1,
                    LogAction.CHECK_IN,
                    now,
                    note_fact(NoteKind.RESTORED_FROM, target.key),
                )
                notes.append(f"restored:{previous.key}")
                text = text + _Text.of(N_("Back in {session}."), session=previous.title)
        return UndoResult(
            undone=True,
            registration_id=registration_id,
            person=person,
            day=day.date,
            session_key=target.key if target else None,
            message=text.current,
            message_de=text.de,
            message_en=text.en,
            checked_in_at=current.at,
            checked_in_desk=current.desk,
            notes=tuple(notes),
        )

    # ------------------------------------------------------------------ walk-ins and people
    def walk_in(self, request: WalkInRequest, *, day: dt.date, check_in: bool = True) -> ScanVerdict:
        """Register a person on the spot with a new signed code and (by default) check them in."""
        day_info = self._day(day)
        self._registered_counts.clear()

        def work(session: Session) -> ScanVerdict:
            check_workshop_choice(self.event, request.workshop_keys)
            days = resolve_days(session, self.event, request.day_dates)
            sessions = resolve_sessions(session, self.event, request.workshop_keys)
            category_key = request.category_key or self.event.default_category.key
            now = self._clock()
            registration = Registration(
                event_id=self.event.id,
                code=self._new_code(session),
                source="walk-in",
                status=RegistrationStatus.ACTIVE,
                created_at=now,
                updated_at=now,
            )
            apply_person_fields(
                registration,
                self.event,
                title=request.title,
                first_name=request.first_name,
                last_name=request.last_name,
                organisation=request.organisation,
                function=request.function,
                email=request.email,
                category_key=category_key,
            )
            registration.days = days
            registration.sessions = sessions
            session.add(registration)
            session.flush()
            session.add(
                AuditEntry(
                    event_id=self.event.id,
                    at=now,
                    desk=self.desk,
                    action="walk_in",
                    detail={"registration_id": registration.id},
                )
            )
            session.flush()
            row = session.execute(_found_query(day_info.id).where(_REG.c.id == registration.id)).one()
            found = _to_found(row, ("walk_in",))
            if check_in:
                return self._decide(session, found, day_info, None)
            person = self._summary(found, {s.id for s in sessions})
            return self._verdict(
                VerdictKind.REGISTERED,
                Severity.OK,
                False,
                _Text.of(N_("Registered: {name}."), name=person.display_name),
                found.code,
                day_info,
                None,
                person,
                ("walk_in",),
            )

        return self._run(work)

    def _new_code(self, session: Session) -> str:
        while True:
            code = generate_code(self.event.secret)
            taken = session.scalar(
                select(func.count()).where(_REG.c.event_id == self.event.id, _REG.c.code == code)
            )
            if not taken:
                return code

    def person(self, registration_id: int) -> PersonDetails:
        with self._read() as session:
            return person_details(session, self.event, registration_id)

    def update_person(self, registration_id: int, changes: PersonChanges) -> PersonSummary:
        self._registered_counts.clear()
        with self._db.session_factory() as session, session.begin():
            return _update_person(session, self.event, registration_id, changes, desk=self.desk)

    def set_cancelled(self, registration_id: int, cancelled: bool) -> PersonSummary:
        self._registered_counts.clear()
        with self._db.session_factory() as session, session.begin():
            return _set_cancelled(session, self.event, registration_id, cancelled, desk=self.desk)

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
        return SessionGauge(
            session_key=target.key,
            title=target.title,
            day=target.day,
            attended=attended,
            registered=cached[1],
            capacity=target.capacity,
        )

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
    "ScanVerdict",
    "SessionGauge",
    "Severity",
    "UndoResult",
    "VerdictKind",
    "WalkInRequest",
]
