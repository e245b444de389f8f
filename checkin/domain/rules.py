"""The check-in rules as pure functions: facts in, a decision out, no database.

``decide`` answers "may this person be checked in here, and which log rows does
that take?"; ``decide_undo`` answers the same for annulling a check-in. The
transaction that loads the facts and writes the rows is ``CheckInService``.

Rules (see issue 3):

- A check-in is per event day and per scope (the entrance, or one session).
  The state of (person, day, scope) is the log row with the highest ``seq``:
  even is "checked in", odd is "undone". A new check-in takes the next ``seq``
  (the unique constraint on (registration, day, scope, seq) makes the second
  of two simultaneous desks fail in the database; it decides again).
- Refusals write nothing. Undo appends a row (``seq + 1``); nothing is deleted.
- Workshop doors: capacity counts check-ins in force; a person checked in at
  an overlapping session the same day is moved (undo there with note
  ``moved_to:<key>``, check-in here with ``moved_from:<key>``). A person
  scanned at a session door without an entrance check-in that day is checked
  in at the entrance too (note ``auto:<key>``): they are in the building.
- Undoing a move puts the person back into the session they came from
  (note ``restored_from:<key>``).
- Seats are held for people who booked a session (``seats_held``): until a
  set time after its start, a person without a booking is let in only while
  a seat is free beyond those kept for the booked people not yet arrived;
  a booked person is refused only when the room is really full.
- A registration that is not paid (``unpaid``: a pending pretix order) is refused like a
  cancelled one; staff may let the person in anyway (override).
- A person whose registration list ticked no day (``no_day_ticked``) is not registered
  for any day: refused at the entrance with that reason, so staff can decide (override,
  or set the days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from checkin.domain.events import DayInfo, SessionInfo
from checkin.domain.log_notes import SCAN_FACTS, NoteKind, format_notes, note_fact, session_keys
from checkin.domain.models import ENTRANCE_SCOPE, LogAction, RegistrationStatus
from checkin.domain.verdicts import NotRegisteredReason, Severity, UnknownReason, VerdictKind

# How a person was found, kept in the check-in row's note.


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need to know about the registration a scan found."""

    registration_id: int
    status: str
    registered_today: bool  # registered for the day asked (see ``registered_days``)
    session_ids: frozenset[int] = frozenset()
    purged: bool = False
    # Why a person is not registered today: the registration list had day columns and ticked
    # none for them (no day is theirs until someone sets their days).
    no_day_ticked: bool = False


@dataclass(frozen=True)
class ScopeState:
    """The latest log row of one person on one day in one scope (entrance or a session)."""

    seq: int
    at: dt.datetime
    desk: str
    note: str

    @property
    def in_force(self) -> bool:
        return self.seq % 2 == 0


@dataclass(frozen=True)
class CheckInRequest:
    """A check-in asked for: on ``day``, at ``session``'s door (None: the entrance).

    ``found_by`` says how the person was found ("manual", "yz_swapped", "order_code",
    "walk_in", "override"); ``deny_unregistered_session`` is the event's rule for workshop
    doors. ``override``: staff let the person in anyway (cancelled, unpaid, not registered
    today, full, not booked): those refusals are skipped; deleted data still refuses.
    """

    day: DayInfo
    session: SessionInfo | None = None
    found_by: tuple[str, ...] = ()
    deny_unregistered_session: bool = False
    override: bool = False


@dataclass(frozen=True)
class LogWrite:
    """One row to append to the check-in log (``session`` None: the entrance)."""

    session: SessionInfo | None
    seq: int
    action: LogAction
    note: str

    @property
    def scope(self) -> int:
        return self.session.id if self.session else ENTRANCE_SCOPE


@dataclass(frozen=True)
class Decision:
    """The verdict of the rules and the log rows that carry it out (none for a refusal)."""

    kind: VerdictKind
    severity: Severity
    admitted: bool
    writes: tuple[LogWrite, ...] = ()
    notes: tuple[str, ...] = ()
    first_at: dt.datetime | None = None  # the check-in already in force
    first_desk: str | None = None
    attended: int | None = None  # of a full session
    capacity: int | None = None
    moved_from: tuple[SessionInfo, ...] = ()
    unknown_reason: UnknownReason | None = None
    not_registered_reason: NotRegisteredReason | None = None


def _refusal(
    kind: VerdictKind,
    notes: Sequence[str],
    *,
    attended: int | None = None,
    capacity: int | None = None,
    unknown_reason: UnknownReason | None = None,
    not_registered_reason: NotRegisteredReason | None = None,
) -> Decision:
    return Decision(
        kind,
        Severity.REFUSED,
        False,
        notes=tuple(dict.fromkeys(notes)),
        attended=attended,
        capacity=capacity,
        unknown_reason=unknown_reason,
        not_registered_reason=not_registered_reason,
    )


def session_start(target: SessionInfo, tz: dt.tzinfo) -> dt.datetime | None:
    """When a session begins (None when it has no start time)."""
    if target.start is None:
        return None
    return dt.datetime.combine(target.day, target.start, tzinfo=tz)


def seats_held(
    *, booked: int, booked_present: int, start: dt.datetime | None, now: dt.datetime, hold_minutes: int
) -> int:
    """Seats kept for the people who booked a session and have not come yet.

    Kept from before the start until ``hold_minutes`` after it; none when ``hold_minutes``
    is 0 or less, when the session has no start time, or after that.
    """
    if hold_minutes <= 0 or start is None or now > start + dt.timedelta(minutes=hold_minutes):
        return 0
    return max(0, booked - booked_present)


def free_seats(capacity: int, attended: int, held: int) -> tuple[int, int]:
    """(seats free for a person who booked, seats free for one who did not)."""
    free = max(0, capacity - attended)
    return free, max(0, free - held)


def decide(
    person: PersonFacts,
    request: CheckInRequest,
    recorded: Mapping[int, ScopeState],
    *,
    sessions: Mapping[int, SessionInfo] | None = None,
    attended: int | Callable[[], int] | None = None,
    held: int | Callable[[], int] = 0,
) -> Decision:
    """Apply the check-in rules.

    Args:
        person: the registration found.
        request: day, door and how the person was found.
        recorded: the person's latest log row per scope on that day.
        sessions: the event's sessions by id (to move a person out of an overlapping one).
        attended: check-ins in force at the session door, needed when it has a capacity: a
            number, or a function that counts them, called only when the rules get that far
            (a person already inside is not counted again).
        held: seats held for booked people not yet arrived (``seats_held``): a number, or a
            function that counts them, called only for a person without a booking.
    """
    target = request.session
    if person.purged:
        return _refusal(VerdictKind.UNKNOWN, ("purged",), unknown_reason=UnknownReason.DATA_DELETED)
    notes = list(request.found_by)
    override = request.override
    if person.status == RegistrationStatus.CANCELLED.value and not override:
        return _refusal(VerdictKind.CANCELLED, notes)
    if person.status == RegistrationStatus.UNPAID.value and not override:
        return _refusal(VerdictKind.UNPAID, notes)
    if not person.registered_today and not override:
        reason = NotRegisteredReason.NO_DAY_TICKED if person.no_day_ticked else NotRegisteredReason.OTHER_DAYS
        return _refusal(VerdictKind.NOT_REGISTERED_TODAY, notes, not_registered_reason=reason)
    current = recorded.get(target.id if target else ENTRANCE_SCOPE)
    if current is not None and current.in_force:
        return Decision(
            VerdictKind.ALREADY_CHECKED_IN,
            Severity.WARNING,
            True,
            notes=tuple(dict.fromkeys(notes)),
            first_at=current.at,
            first_desk=current.desk,
        )
    kind, severity = VerdictKind.CHECKED_IN, Severity.OK
    writes: list[LogWrite] = []
    moved_from: list[SessionInfo] = []
    note = format_notes(n for n in notes if n in SCAN_FACTS)
    if target is not None:
        if target.is_workshop and target.id not in person.session_ids:
            if request.deny_unregistered_session and not override:
                return _refusal(VerdictKind.NOT_REGISTERED_FOR_SESSION, notes)
            kind, severity = VerdictKind.NOT_REGISTERED_FOR_SESSION, Severity.WARNING
        if target.capacity is not None:
            if attended is None:
                raise ValueError(f"the check-ins at {target.key} are needed: it has a capacity")
            if callable(attended):
                attended = attended()
            # Only workshops are booked; a plenary's seats are everyone's.
            booked = target.id in person.session_ids or not target.is_workshop
            for_booked, for_unbooked = free_seats(
                target.capacity, attended, 0 if booked else (held() if callable(held) else held)
            )
            if (for_booked if booked else for_unbooked) <= 0 and not override:
                return _refusal(VerdictKind.SESSION_FULL, notes, attended=attended, capacity=target.capacity)
        for other_scope, state in sorted(recorded.items()):
            other = (sessions or {}).get(other_scope)
            if other is None or other.id == target.id or not state.in_force or not other.overlaps(target):
                continue
            writes.append(
                LogWrite(other, state.seq + 1, LogAction.UNDO, note_fact(NoteKind.MOVED_TO, target.key))
            )
            notes.append(note_fact(NoteKind.MOVED_FROM, other.key))
            moved_from.append(other)
        if moved_from:
            note = format_notes([note, note_fact(NoteKind.MOVED_FROM, moved_from[0].key)])
        entrance = recorded.get(ENTRANCE_SCOPE)
        if entrance is None or not entrance.in_force:
            seq = 0 if entrance is None else entrance.seq + 1
            writes.append(LogWrite(None, seq, LogAction.CHECK_IN, note_fact(NoteKind.AUTO, target.key)))
            notes.append("entrance_recorded")
    seq = 0 if current is None else current.seq + 1
    writes.append(LogWrite(target, seq, LogAction.CHECK_IN, note))
    return Decision(
        kind,
        severity,
        True,
        writes=tuple(writes),
        notes=tuple(dict.fromkeys(notes)),
        moved_from=tuple(moved_from),
    )


@dataclass(frozen=True)
class UndoDecision:
    """What an undo does: nothing (``annulled`` None) or the rows to append."""

    annulled: ScopeState | None
    writes: tuple[LogWrite, ...] = ()
    restored: SessionInfo | None = None  # the session a move is undone back into


def decide_undo(
    recorded: Mapping[int, ScopeState],
    target: SessionInfo | None,
    *,
    sessions_by_key: Mapping[str, SessionInfo] | None = None,
) -> UndoDecision:
    """Annul the check-in in force in ``target``'s scope; undoing a move restores the old session."""
    current = recorded.get(target.id if target else ENTRANCE_SCOPE)
    if current is None or not current.in_force:
        return UndoDecision(annulled=None)
    writes = [LogWrite(target, current.seq + 1, LogAction.UNDO, "")]
    restored: SessionInfo | None = None
    moved_from = session_keys(current.note, NoteKind.MOVED_FROM)
    if target is not None and moved_from:
        previous = (sessions_by_key or {}).get(moved_from[0])
        old = recorded.get(previous.id) if previous else None
        if previous is not None and old is not None and not old.in_force:
            writes.append(
                LogWrite(
                    previous, old.seq + 1, LogAction.CHECK_IN, note_fact(NoteKind.RESTORED_FROM, target.key)
                )
            )
            restored = previous
    return UndoDecision(annulled=current, writes=tuple(writes), restored=restored)


__all__ = [
    "CheckInRequest",
    "Decision",
    "LogWrite",
    "PersonFacts",
    "ScopeState",
    "UndoDecision",
    "decide",
    "decide_undo",
]
