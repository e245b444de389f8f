"""One statistics model: every figure the desk, the door, ``checkin stats``, the dashboard,
the exports and the PDF report show.

* ``figures``: the types (``DayFigures``, ``SessionFigures``, ``CategoryFigures``,
  ``EventStats``, ``SessionGauge``, ``Phase``), defined once;
* ``counts``: the live counts, GROUP BY queries in the database (``event_stats``,
  the door gauge's ``count_attended``);
* ``dashboard``: the counts placed in time (still expected vs. no-shows, arrival slots);
* ``accumulator``: the same figures counted over an export's streamed rows, for
  exactly the registrations its filters select.

The presence rules everywhere: a person *arrived* on a day when an entrance check-in
of that day is in force (not undone); a person *attended* a session when a check-in
of that session is in force; a registration without any registered day counts as
registered for every day.
"""

from __future__ import annotations

from checkin.domain.statistics.accumulator import AttendanceFacts, AttendanceStatistics, StatisticsAccumulator
from checkin.domain.statistics.counts import (
    count_attended,
    count_booked_present,
    count_registered_for_session,
    event_stats,
)
from checkin.domain.statistics.dashboard import (
    ArrivalSlot,
    Dashboard,
    build_dashboard,
    day_end,
    day_phase,
    load_dashboard,
    load_dashboard_if_changed,
    session_phase,
)
from checkin.domain.statistics.figures import (
    ARRIVAL_BUCKET_MINUTES,
    ArrivalBucket,
    CategoryFigures,
    DayFigures,
    EventStats,
    Phase,
    SessionFigures,
    SessionGauge,
)

__all__ = [
    "ARRIVAL_BUCKET_MINUTES",
    "ArrivalBucket",
    "ArrivalSlot",
    "AttendanceFacts",
    "AttendanceStatistics",
    "CategoryFigures",
    "Dashboard",
    "DayFigures",
    "EventStats",
    "Phase",
    "SessionFigures",
    "SessionGauge",
    "StatisticsAccumulator",
    "build_dashboard",
    "count_attended",
    "count_booked_present",
    "count_registered_for_session",
    "day_end",
    "day_phase",
    "event_stats",
    "load_dashboard",
    "load_dashboard_if_changed",
    "session_phase",
]
