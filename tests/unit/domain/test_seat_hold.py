"""Workshop seats held for the people who booked (issue 13): the pure rule."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from checkin.domain.events import DayInfo, SessionInfo
from checkin.domain.rules import CheckInRequest, PersonFacts, decide, free_seats, seats_held, session_start
from checkin.domain.verdicts import VerdictKind

BERLIN = dt.timezone(dt.timedelta(hours=2))
DAY = DayInfo(id=1, date=dt.date(2024, 9, 19), label="")
ROOM = SessionInfo(
    id=21, key="zw-room", title="Room", kind="workshop", day_id=1, day=DAY.date,
    start=dt.time(14, 0), end=dt.time(16, 0), room="", capacity=10, speakers="",
)  # fmt: skip
PLENARY = dataclasses.replace(ROOM, id=22, key="plenary", kind="plenary")
BOOKED = PersonFacts(registration_id=1, status="active", registered_today=True, session_ids=frozenset({21}))
WALK_UP = PersonFacts(registration_id=2, status="active", registered_today=True, session_ids=frozenset())
START = dt.datetime(2024, 9, 19, 14, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("now", "hold", "expected"),
    [
        (START - dt.timedelta(hours=1), 10, 4),  # before the start: held
        (START + dt.timedelta(minutes=10), 10, 4),  # up to the set time after the start
        (START + dt.timedelta(minutes=11), 10, 0),  # then the seats are everyone's
        (START, 0, 0),  # holding switched off
    ],
)
def test_seats_are_held_until_the_set_time_after_the_start(now, hold, expected):
    assert seats_held(booked=6, booked_present=2, start=START, now=now, hold_minutes=hold) == expected


def test_no_seats_are_held_without_a_start_time_or_when_all_came():
    assert seats_held(booked=6, booked_present=0, start=None, now=START, hold_minutes=10) == 0
    assert seats_held(booked=6, booked_present=6, start=START, now=START, hold_minutes=10) == 0
    assert seats_held(booked=6, booked_present=7, start=START, now=START, hold_minutes=10) == 0


def test_free_seats_for_booked_and_unbooked():
    assert free_seats(10, 6, 3) == (4, 1)
    assert free_seats(10, 8, 3) == (2, 0)
    assert free_seats(10, 12, 0) == (0, 0)


def test_session_start_is_its_day_and_time_in_the_event_zone():
    assert session_start(ROOM, BERLIN) == START
    assert session_start(dataclasses.replace(ROOM, start=None), BERLIN) is None


def test_held_seats_refuse_a_walk_up_but_admit_who_booked():
    request = CheckInRequest(day=DAY, session=ROOM)
    # 7 inside, 3 seats kept for booked people not yet here: the room is full for others.
    refused = decide(WALK_UP, request, {}, attended=7, held=3)
    assert refused.kind is VerdictKind.SESSION_FULL
    assert (refused.attended, refused.capacity) == (7, 10)
    admitted = decide(BOOKED, request, {}, attended=7, held=3)
    assert admitted.kind is VerdictKind.CHECKED_IN
    assert decide(WALK_UP, request, {}, attended=6, held=3).admitted


def test_a_booked_person_is_refused_only_when_the_room_is_really_full():
    request = CheckInRequest(day=DAY, session=ROOM)
    assert decide(BOOKED, request, {}, attended=9, held=5).admitted
    assert decide(BOOKED, request, {}, attended=10, held=0).kind is VerdictKind.SESSION_FULL


def test_held_seats_are_counted_only_for_a_walk_up():
    asked: list[int] = []

    def count() -> int:
        asked.append(1)
        return 3

    decide(BOOKED, CheckInRequest(day=DAY, session=ROOM), {}, attended=7, held=count)
    assert asked == []
    decide(WALK_UP, CheckInRequest(day=DAY, session=ROOM), {}, attended=7, held=count)
    assert asked == [1]


def test_a_plenary_holds_no_seats():
    request = CheckInRequest(day=DAY, session=PLENARY)
    assert decide(WALK_UP, request, {}, attended=7, held=3).admitted


@pytest.mark.parametrize(
    "person",
    [
        dataclasses.replace(WALK_UP, status="cancelled"),
        dataclasses.replace(WALK_UP, registered_today=False),
        WALK_UP,  # a full room
    ],
)
def test_staff_may_override_a_refusal(person):
    request = CheckInRequest(day=DAY, session=ROOM, override=True)
    refused = decide(person, dataclasses.replace(request, override=False), {}, attended=10, held=0)
    assert not refused.admitted
    decision = decide(person, request, {}, attended=10, held=0)
    assert decision.admitted
    assert decision.writes


def test_deleted_data_refuses_even_with_an_override():
    purged = dataclasses.replace(WALK_UP, purged=True)
    assert not decide(purged, CheckInRequest(day=DAY, override=True), {}).admitted
