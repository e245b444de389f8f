"""The check-in rules as a pure function: plain values in, a decision out (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from checkin.domain.events import DayInfo, SessionInfo
from checkin.domain.models import ENTRANCE_SCOPE, LogAction
from checkin.domain.rules import (
    CheckInRequest,
    LogWrite,
    PersonFacts,
    ScopeState,
    decide,
    decide_undo,
)
from checkin.domain.verdicts import NotRegisteredReason, Severity, UnknownReason, VerdictKind

DAY = DayInfo(id=1, date=dt.date(2024, 9, 19), label="Donnerstag, 19.09.2024")
AT = dt.datetime(2024, 9, 19, 7, 0, tzinfo=dt.UTC)


def _session(id_: int, key: str, *, kind: str = "workshop", start: int = 10, end: int = 12, capacity=None):
    return SessionInfo(
        id=id_,
        key=key,
        title=key.upper(),
        kind=kind,
        day_id=DAY.id,
        day=DAY.date,
        start=dt.time(start),
        end=dt.time(end),
        room="",
        capacity=capacity,
        speakers="",
    )


BASS = _session(11, "zw-bass")
IT = _session(12, "zw-it")  # overlaps BASS
LATE = _session(13, "zw-late", start=14, end=16)
SMALL = _session(14, "zw-small", capacity=2)
KEYNOTE = _session(15, "keynote", kind="plenary", start=9, end=10)
SESSIONS = {s.id: s for s in (BASS, IT, LATE, SMALL, KEYNOTE)}

ANNA = PersonFacts(registration_id=7, status="active", registered_today=True, session_ids=frozenset({11, 14}))
IN = ScopeState(seq=0, at=AT, desk="Eingang 1", note="")
UNDONE = ScopeState(seq=1, at=AT, desk="Eingang 1", note="")


def _in(scope: int, note: str = "", seq: int = 0) -> dict[int, ScopeState]:
    return {scope: ScopeState(seq=seq, at=AT, desk="Tür", note=note)}


# Each row: (what, person, session, recorded, attended, deny, kind, severity, admitted, writes)
CASES = [
    (
        "entrance check-in",
        ANNA, None, {}, None, False,
        VerdictKind.CHECKED_IN, Severity.OK, True,
        [(None, 0, LogAction.CHECK_IN, "")],
    ),
    (
        "again after an undo takes the next seq",
        ANNA, None, {ENTRANCE_SCOPE: UNDONE}, None, False,
        VerdictKind.CHECKED_IN, Severity.OK, True,
        [(None, 2, LogAction.CHECK_IN, "")],
    ),
    (
        "already checked in writes nothing",
        ANNA, None, {ENTRANCE_SCOPE: IN}, None, False,
        VerdictKind.ALREADY_CHECKED_IN, Severity.WARNING, True,
        [],
    ),
    (
        "cancelled is refused",
        dataclasses.replace(ANNA, status="cancelled"), None, {}, None, False,
        VerdictKind.CANCELLED, Severity.REFUSED, False,
        [],
    ),
    (
        "unpaid is refused",
        dataclasses.replace(ANNA, status="unpaid"), None, {}, None, False,
        VerdictKind.UNPAID, Severity.REFUSED, False,
        [],
    ),
    (
        "unpaid is refused at a workshop door too",
        dataclasses.replace(ANNA, status="unpaid"), BASS, {}, None, False,
        VerdictKind.UNPAID, Severity.REFUSED, False,
        [],
    ),
    (
        "not registered for the day",
        dataclasses.replace(ANNA, registered_today=False), None, {}, None, False,
        VerdictKind.NOT_REGISTERED_TODAY, Severity.REFUSED, False,
        [],
    ),
    (
        "no day ticked in the list: not registered, at the entrance or a door",
        dataclasses.replace(ANNA, registered_today=False, no_day_ticked=True), None, {}, None, False,
        VerdictKind.NOT_REGISTERED_TODAY, Severity.REFUSED, False,
        [],
    ),
    (
        "no day ticked at a workshop door",
        dataclasses.replace(ANNA, registered_today=False, no_day_ticked=True), BASS, {}, None, False,
        VerdictKind.NOT_REGISTERED_TODAY, Severity.REFUSED, False,
        [],
    ),
    (
        "purged data is unknown",
        dataclasses.replace(ANNA, purged=True), None, {}, None, False,
        VerdictKind.UNKNOWN, Severity.REFUSED, False,
        [],
    ),
    (
        "workshop door records the entrance too",
        ANNA, BASS, {}, None, False,
        VerdictKind.CHECKED_IN, Severity.OK, True,
        [(None, 0, LogAction.CHECK_IN, "auto:zw-bass"), (BASS, 0, LogAction.CHECK_IN, "")],
    ),
    (
        "workshop door with the entrance already in force",
        ANNA, BASS, {ENTRANCE_SCOPE: IN}, None, False,
        VerdictKind.CHECKED_IN, Severity.OK, True,
        [(BASS, 0, LogAction.CHECK_IN, "")],
    ),
    (
        "not registered for the workshop: admitted with a warning",
        ANNA, LATE, {ENTRANCE_SCOPE: IN}, None, False,
        VerdictKind.NOT_REGISTERED_FOR_SESSION, Severity.WARNING, True,
        [(LATE, 0, LogAction.CHECK_IN, "")],
    ),
    (
        "not registered for the workshop: refused when the event denies it",
        ANNA, LATE, {ENTRANCE_SCOPE: IN}, None, True,
        VerdictKind.NOT_REGISTERED_FOR_SESSION, Severity.REFUSED, False,
        [],
    ),
    (
        "plenary sessions need no registration",
        ANNA, KEYNOTE, {ENTRANCE_SCOPE: IN}, None, True,
        VerdictKind.CHECKED_IN, Severity.OK, True,
        [(KEYNOTE, 0, LogAction.CHECK_IN, "")],
    ),
    (
        "full session is refused",
        ANNA, SMALL, {ENTRANCE_SCOPE: IN}, 2, False,
        VerdictKind.SESSION_FULL, Severity.REFUSED, False,
        [],
    ),
    (
        "one place left",
        ANNA, SMALL, {ENTRANCE_SCOPE: IN}, 1, False,
        VerdictKind.CHECKED_IN, Severity.OK, True,
        [(SMALL, 0, LogAction.CHECK_IN, "")],
    ),
    (
        "already inside a full session is still already checked in",
        ANNA, SMALL, {ENTRANCE_SCOPE: IN, SMALL.id: IN}, 2, False,
        VerdictKind.ALREADY_CHECKED_IN, Severity.WARNING, True,
        [],
    ),
    (
        "an overlapping session is left (moved)",
        ANNA, IT, {ENTRANCE_SCOPE: IN, BASS.id: IN}, None, False,
        VerdictKind.NOT_REGISTERED_FOR_SESSION, Severity.WARNING, True,
        [
            (BASS, 1, LogAction.UNDO, "moved_to:zw-it"),
            (IT, 0, LogAction.CHECK_IN, "moved_from:zw-bass"),
        ],
    ),
    (
        "a session that does not overlap is kept",
        ANNA, LATE, {ENTRANCE_SCOPE: IN, BASS.id: IN}, None, False,
        VerdictKind.NOT_REGISTERED_FOR_SESSION, Severity.WARNING, True,
        [(LATE, 0, LogAction.CHECK_IN, "")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("person", "session", "recorded", "attended", "deny", "kind", "severity", "admitted", "writes"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_decide(person, session, recorded, attended, deny, kind, severity, admitted, writes):
    request = CheckInRequest(day=DAY, session=session, deny_unregistered_session=deny)
    decision = decide(person, request, recorded, sessions=SESSIONS, attended=attended)
    assert (decision.kind, decision.severity, decision.admitted) == (kind, severity, admitted)
    assert [(w.session, w.seq, w.action, w.note) for w in decision.writes] == writes
    if not admitted or kind is VerdictKind.ALREADY_CHECKED_IN:
        assert decision.writes == ()


def test_every_verdict_kind_but_the_scan_only_ones_is_decided_somewhere():
    decided = {case[6] for case in CASES}
    # UNKNOWN/INVALID without a person and REGISTERED come from the lookup and walk-ins, not the rules.
    assert decided | {VerdictKind.INVALID, VerdictKind.REGISTERED} == set(VerdictKind)


@pytest.mark.parametrize(
    ("registered_today", "no_day_ticked", "reason"),
    [
        (False, False, NotRegisteredReason.OTHER_DAYS),
        (False, True, NotRegisteredReason.NO_DAY_TICKED),
        (True, False, None),
    ],
)
def test_why_a_person_is_not_registered_today(registered_today, no_day_ticked, reason):
    person = dataclasses.replace(ANNA, registered_today=registered_today, no_day_ticked=no_day_ticked)
    decision = decide(person, CheckInRequest(day=DAY, found_by=("manual",)), {})
    assert decision.not_registered_reason is reason
    assert decision.admitted is registered_today


def test_already_checked_in_tells_when_and_where():
    decision = decide(ANNA, CheckInRequest(day=DAY), {ENTRANCE_SCOPE: IN})
    assert (decision.first_at, decision.first_desk) == (AT, "Eingang 1")


def test_full_session_carries_its_figures():
    request = CheckInRequest(day=DAY, session=SMALL)
    decision = decide(ANNA, request, {}, sessions=SESSIONS, attended=3)
    assert (decision.attended, decision.capacity) == (3, 2)


def test_the_count_is_asked_for_only_when_it_decides():
    asked: list[int] = []

    def count() -> int:
        asked.append(1)
        return 1

    inside = {ENTRANCE_SCOPE: IN, SMALL.id: IN}
    request = CheckInRequest(day=DAY, session=SMALL)
    assert decide(ANNA, request, inside, attended=count).kind is VerdictKind.ALREADY_CHECKED_IN
    assert asked == []
    assert decide(ANNA, request, {ENTRANCE_SCOPE: IN}, attended=count).kind is VerdictKind.CHECKED_IN
    assert asked == [1]


def test_a_door_with_a_capacity_needs_its_count():
    with pytest.raises(ValueError, match="capacity"):
        decide(ANNA, CheckInRequest(day=DAY, session=SMALL), {}, sessions=SESSIONS)


def test_purged_data_says_so_and_keeps_only_that_note():
    purged = dataclasses.replace(ANNA, purged=True)
    decision = decide(purged, CheckInRequest(day=DAY, found_by=("manual",)), {})
    assert decision.unknown_reason is UnknownReason.DATA_DELETED
    assert decision.notes == ("purged",)


def test_how_the_person_was_found_is_noted_in_the_row():
    request = CheckInRequest(day=DAY, found_by=("yz_swapped", "order_code"))
    decision = decide(ANNA, request, {})
    assert decision.notes == ("yz_swapped", "order_code")
    assert decision.writes == (LogWrite(None, 0, LogAction.CHECK_IN, "yz_swapped,order_code"),)


def test_a_move_is_noted_with_the_session_left():
    request = CheckInRequest(day=DAY, session=IT, found_by=("manual",))
    decision = decide(ANNA, request, {BASS.id: IN}, sessions=SESSIONS)
    assert decision.moved_from == (BASS,)
    assert decision.notes == ("manual", "moved_from:zw-bass", "entrance_recorded")
    assert decision.writes[-1].note == "manual,moved_from:zw-bass"


def test_undo_annuls_what_is_in_force():
    undo = decide_undo({ENTRANCE_SCOPE: IN}, None)
    assert undo.annulled == IN
    assert undo.writes == (LogWrite(None, 1, LogAction.UNDO, ""),)
    assert undo.restored is None


@pytest.mark.parametrize("recorded", [{}, {ENTRANCE_SCOPE: UNDONE}], ids=["never", "undone"])
def test_undo_without_a_check_in_does_nothing(recorded):
    undo = decide_undo(recorded, None)
    assert undo.annulled is None
    assert undo.writes == ()


def test_undoing_a_move_restores_the_old_session():
    recorded = {BASS.id: ScopeState(1, AT, "Tür", "moved_to:zw-it"), **_in(IT.id, "moved_from:zw-bass")}
    undo = decide_undo(recorded, IT, sessions_by_key={s.key: s for s in SESSIONS.values()})
    assert undo.restored == BASS
    assert undo.writes == (
        LogWrite(IT, 1, LogAction.UNDO, ""),
        LogWrite(BASS, 2, LogAction.CHECK_IN, "restored_from:zw-it"),
    )


def test_undoing_a_move_leaves_the_old_session_alone_when_back_in_it():
    recorded = {BASS.id: IN, **_in(IT.id, "moved_from:zw-bass")}
    undo = decide_undo(recorded, IT, sessions_by_key={s.key: s for s in SESSIONS.values()})
    assert undo.restored is None
    assert [w.session for w in undo.writes] == [IT]


@pytest.mark.parametrize("status", ["unpaid", "cancelled"])
def test_staff_may_let_an_unpaid_or_cancelled_person_in_anyway(status):
    person = dataclasses.replace(ANNA, status=status)
    refused = decide(person, CheckInRequest(day=DAY), {})
    assert (refused.admitted, refused.writes) == (False, ())
    let_in = decide(person, CheckInRequest(day=DAY, found_by=("manual", "override"), override=True), {})
    assert (let_in.kind, let_in.admitted) == (VerdictKind.CHECKED_IN, True)
    assert let_in.writes == (LogWrite(None, 0, LogAction.CHECK_IN, "manual,override"),)
