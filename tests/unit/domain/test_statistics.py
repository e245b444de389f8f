"""The statistics model: figures placed in time (phases, still expected vs. no-shows, arrival
slots; pure, no DB) and the dashboard read from the database."""

from __future__ import annotations

import dataclasses
import datetime as dt

from checkin.domain.statistics import (
    ArrivalBucket,
    DayFigures,
    EventStats,
    Phase,
    SessionFigures,
    build_dashboard,
    day_end,
    load_dashboard,
    load_dashboard_if_changed,
)
from checkin.domain.watcher import ChangeMarker

DAY1 = dt.date(2024, 9, 19)
DAY2 = dt.date(2024, 9, 20)
UTC = dt.UTC
MARKER = ChangeMarker(0, 0, 0, None, 0)


def _stats(demo_event, *, arrivals=(), attended=None, attended_registered=None) -> EventStats:
    attended = attended or {}
    attended_registered = attended_registered or {}
    return EventStats(
        registrations=10,
        active=10,
        cancelled=0,
        walk_ins=1,
        days=(
            DayFigures(day_id=1, date=DAY1, label="", registered=10, arrived=7, arrived_registered=6),
            DayFigures(day_id=2, date=DAY2, label="", registered=8, arrived=0, arrived_registered=0),
        ),
        sessions=tuple(
            SessionFigures(
                session_id=s.id,
                key=s.key,
                title=s.title,
                kind=s.kind,
                day=s.day,
                start=s.start,
                end=s.end,
                room=s.room,
                capacity=s.capacity,
                registered=5,
                attended=attended.get(s.key, 0),
                attended_registered=attended_registered.get(s.key, 0),
            )
            for s in demo_event.sessions
        ),
        arrivals=tuple(arrivals),
    )


def test_day_end_is_the_end_of_the_last_session(demo_event) -> None:
    assert day_end(demo_event, demo_event.days[0]) == dt.datetime(2024, 9, 19, 16, 0, tzinfo=demo_event.tz)
    assert day_end(demo_event, demo_event.days[1]) == dt.datetime(2024, 9, 20, 12, 0, tzinfo=demo_event.tz)


def test_running_day_has_still_expected_and_no_no_shows(demo_event, clock) -> None:
    board = build_dashboard(_stats(demo_event), demo_event, clock(), marker=MARKER)
    first, second = board.days
    assert (first.phase, first.still_expected, first.no_shows) == (Phase.RUNNING, 4, None)
    assert (second.phase, second.still_expected, second.no_shows) == (Phase.UPCOMING, 8, None)
    assert first.arrival_rate == 0.6


def test_past_day_counts_no_shows(demo_event, clock) -> None:
    now = clock() + dt.timedelta(days=1)  # 20.9. 09:00: day 1 is over, day 2 runs
    board = build_dashboard(_stats(demo_event), demo_event, now, marker=MARKER)
    assert (board.days[0].phase, board.days[0].still_expected, board.days[0].no_shows) == (
        Phase.OVER,
        None,
        4,
    )
    assert board.days[1].phase is Phase.RUNNING


def test_session_no_shows_only_where_the_door_was_scanned(demo_event, clock) -> None:
    now = dt.datetime(2024, 9, 19, 17, 0, tzinfo=demo_event.tz)
    board = build_dashboard(
        _stats(demo_event, attended={"zw-bass": 3}, attended_registered={"zw-bass": 2}),
        demo_event,
        now,
        marker=MARKER,
    )
    by_key = {s.key: s for s in board.sessions}
    assert (by_key["zw-bass"].phase, by_key["zw-bass"].no_shows) == (Phase.OVER, 3)
    assert by_key["zw-bass"].occupancy == 3 / 60
    assert by_key["keynote"].no_shows is None  # nobody scanned at the keynote door
    assert (by_key["panel-2"].phase, by_key["panel-2"].still_expected) == (Phase.UPCOMING, 5)


def test_arrival_slots_are_local_and_gap_free(demo_event, clock) -> None:
    arrivals = [
        ArrivalBucket(dt.datetime(2024, 9, 19, 6, 0, tzinfo=UTC), 3, DAY1),  # 08:00 Berlin
        ArrivalBucket(dt.datetime(2024, 9, 19, 6, 45, tzinfo=UTC), 1, DAY1),  # 08:45
        ArrivalBucket(dt.datetime(2024, 9, 20, 7, 0, tzinfo=UTC), 2, DAY2),  # day 2, 09:00
    ]
    board = build_dashboard(_stats(demo_event, arrivals=arrivals), demo_event, clock(), marker=MARKER)
    day1 = [(s.start.strftime("%H:%M"), s.count) for s in board.arrivals_on(DAY1)]
    assert day1 == [("08:00", 3), ("08:15", 0), ("08:30", 0), ("08:45", 1), ("09:00", 0)]
    assert [(s.start.strftime("%H:%M"), s.count) for s in board.arrivals_on(DAY2)] == [("09:00", 2)]


def test_figures_without_a_phase_count_everyone_missing_as_no_show() -> None:
    """Exports and reports count the log as it stands: no "still expected" there."""
    day = DayFigures(day_id=1, date=DAY1, label="", registered=10, arrived=8, arrived_registered=6)
    assert (day.no_shows, day.still_expected, day.no_show_rate, day.unregistered_arrivals) == (
        4,
        None,
        0.4,
        2,
    )
    running = DayFigures(1, DAY1, "", 10, 8, 6, phase=Phase.RUNNING)
    assert (running.no_shows, running.still_expected, running.no_show_rate) == (None, 4, None)


def test_session_no_shows_need_a_scanned_door_also_in_exports() -> None:
    keynote = SessionFigures(1, "keynote", "Keynote", "talk", DAY1, None, None, "", None, 200, 0, 0)
    assert keynote.no_shows is None  # nobody scanned at its door: no claim that all 200 missed it
    workshop = dataclasses.replace(keynote, attended=3, attended_registered=2)
    assert workshop.no_shows == 198


def test_dashboard_loads_from_one_snapshot_and_only_when_something_changed(db, demo_event, clock) -> None:
    from checkin.domain.models import AuditEntry

    board = load_dashboard(db, demo_event, clock())
    assert (board.active, [d.phase for d in board.days]) == (0, [Phase.RUNNING, Phase.UPCOMING])
    assert load_dashboard_if_changed(db, demo_event, clock(), board.marker) is None
    with db.write() as session:  # another desk writes
        session.add(AuditEntry(event_id=demo_event.id, desk="Desk 2", action="test", detail={}))
    assert load_dashboard_if_changed(db, demo_event, clock(), board.marker) is not None
