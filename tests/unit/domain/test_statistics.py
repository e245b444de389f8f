"""Dashboard figures from counts: phases, still expected vs. no-shows, arrival slots (pure, no DB)."""

from __future__ import annotations

import datetime as dt

from checkin.domain.dashboard_stats import ChangeMarker, Phase, build_dashboard, day_end
from checkin.domain.stats import ArrivalBucket, DayStats, EventStats, SessionStats

DAY1 = dt.date(2024, 9, 19)
DAY2 = dt.date(2024, 9, 20)
UTC = dt.UTC
MARKER = ChangeMarker(0, 0, None)


def _stats(demo_event, *, arrivals=(), attended=None) -> EventStats:
    attended = attended or {}
    return EventStats(
        registrations=10,
        active=10,
        cancelled=0,
        walk_ins=1,
        days=(
            DayStats(date=DAY1, label="", registered=10, arrived=7, expected=4),
            DayStats(date=DAY2, label="", registered=8, arrived=0, expected=8),
        ),
        sessions=tuple(
            SessionStats(
                key=s.key,
                title=s.title,
                kind=s.kind,
                day=s.day,
                start=s.start,
                end=s.end,
                room=s.room,
                registered=5,
                attended=attended.get(s.key, 0),
                capacity=s.capacity,
            )
            for s in demo_event.sessions
        ),
        arrivals=tuple(arrivals),
    )


def test_day_end_is_the_end_of_the_last_session(demo_event) -> None:
    assert day_end(demo_event, demo_event.days[0]) == dt.datetime(2024, 9, 19, 16, 0, tzinfo=demo_event.tz)
    assert day_end(demo_event, demo_event.days[1]) == dt.datetime(2024, 9, 20, 12, 0, tzinfo=demo_event.tz)


def test_running_day_has_still_expected_and_no_no_shows(demo_event, clock) -> None:
    board = build_dashboard(_stats(demo_event), demo_event, clock(), attended_registered={}, marker=MARKER)
    first, second = board.days
    assert (first.phase, first.still_expected, first.no_shows) == (Phase.RUNNING, 4, None)
    assert (second.phase, second.still_expected, second.no_shows) == (Phase.UPCOMING, 8, None)
    assert first.arrival_rate == 0.6


def test_past_day_counts_no_shows(demo_event, clock) -> None:
    now = clock() + dt.timedelta(days=1)  # 20.9. 09:00: day 1 is over, day 2 runs
    board = build_dashboard(_stats(demo_event), demo_event, now, attended_registered={}, marker=MARKER)
    assert (board.days[0].phase, board.days[0].still_expected, board.days[0].no_shows) == (
        Phase.OVER,
        None,
        4,
    )
    assert board.days[1].phase is Phase.RUNNING


def test_session_no_shows_only_where_the_door_was_scanned(demo_event, clock) -> None:
    now = dt.datetime(2024, 9, 19, 17, 0, tzinfo=demo_event.tz)
    bass = demo_event.session_by_key("zw-bass")
    board = build_dashboard(
        _stats(demo_event, attended={"zw-bass": 3}),
        demo_event,
        now,
        attended_registered={bass.id: 2},
        marker=MARKER,
    )
    by_key = {s.key: s for s in board.sessions}
    assert (by_key["zw-bass"].phase, by_key["zw-bass"].no_shows) == (Phase.OVER, 3)
    assert by_key["zw-bass"].occupancy == 3 / 60
    assert by_key["keynote"].no_shows is None  # nobody scanned at the keynote door
    assert (by_key["panel-2"].phase, by_key["panel-2"].still_expected) == (Phase.UPCOMING, 5)


def test_arrival_slots_are_local_and_gap_free(demo_event, clock) -> None:
    arrivals = [
        ArrivalBucket(dt.datetime(2024, 9, 19, 6, 0, tzinfo=UTC), 3),  # 08:00 Berlin
        ArrivalBucket(dt.datetime(2024, 9, 19, 6, 45, tzinfo=UTC), 1),  # 08:45
        ArrivalBucket(dt.datetime(2024, 9, 20, 7, 0, tzinfo=UTC), 2),  # day 2, 09:00
    ]
    board = build_dashboard(
        _stats(demo_event, arrivals=arrivals), demo_event, clock(), attended_registered={}, marker=MARKER
    )
    day1 = [(s.start.strftime("%H:%M"), s.count) for s in board.arrivals_on(DAY1)]
    assert day1 == [("08:00", 3), ("08:15", 0), ("08:30", 0), ("08:45", 1), ("09:00", 0)]
    assert [(s.start.strftime("%H:%M"), s.count) for s in board.arrivals_on(DAY2)] == [("09:00", 2)]


def test_reader_does_not_block_other_desks(db, demo_event, clock) -> None:
    """A dashboard read in progress must not hold the write lock (the desk engine uses BEGIN IMMEDIATE)."""
    from sqlalchemy import select

    from checkin.domain.dashboard_stats import DashboardReader
    from checkin.domain.models import AuditEntry, Registration

    reader = DashboardReader(db)
    try:
        with reader.session() as reading:
            reading.execute(select(Registration.id)).all()  # a read transaction is now open
            with db.session_factory.begin() as writing:  # another desk writes meanwhile
                writing.add(AuditEntry(event_id=demo_event.id, desk="Desk 2", action="test", detail={}))
            assert reading.in_transaction()
        board = reader.load(demo_event, clock())
        assert board.marker.registrations == 0
        assert reader.load_if_changed(demo_event, clock(), board.marker) is None
    finally:
        reader.close()
