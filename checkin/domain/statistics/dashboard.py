"""What the dashboard shows: the event's counts placed in time, in local time.

* *still expected* vs. *no-shows*: while a day (or a session) is running, a
  registered person who has not arrived yet is still expected; only once it is
  over do they count as a no-show. A day is over after the end of its last
  session (local time), or at midnight when the programme has no end times.
  Future days have everyone still expected; past days only no-shows.
* arrivals per 15 minutes per event day (the day a check-in counts for, as in the day
  figures, so the bars add up to the day's arrivals), with empty slots filled in so the
  chart has an honest time axis.

Everything is read in one ``Database.read()`` snapshot, which never holds or waits
for the write lock, so a dashboard load never delays another desk's check-in. The
change marker is the database watcher's (``checkin.domain.watcher``): a desk polls it
every few seconds and recomputes only when someone wrote something.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from checkin.domain.conflicts import Conflict, list_conflicts
from checkin.domain.db import Database
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.statistics.counts import event_stats
from checkin.domain.statistics.figures import (
    ARRIVAL_BUCKET_MINUTES,
    DayFigures,
    EventStats,
    Phase,
    SessionFigures,
)
from checkin.domain.watcher import ChangeMarker, marker_in

BUCKET = dt.timedelta(minutes=ARRIVAL_BUCKET_MINUTES)


@dataclass(frozen=True)
class ArrivalSlot:
    start: dt.datetime  # aware, in the event's time zone
    count: int


@dataclass(frozen=True)
class Dashboard:
    marker: ChangeMarker
    computed_at: dt.datetime
    active: int
    cancelled: int
    walk_ins: int
    days: tuple[DayFigures, ...]  # with their phase at ``computed_at``
    sessions: tuple[SessionFigures, ...]  # with their phase at ``computed_at``
    arrivals: dict[dt.date, tuple[ArrivalSlot, ...]]  # per event day, empty slots filled in
    conflicts: tuple[Conflict, ...] = ()  # facts of desks apart the hub kept as conflicts

    def day(self, date: dt.date) -> DayFigures | None:
        return next((d for d in self.days if d.date == date), None)

    def sessions_on(self, date: dt.date) -> tuple[SessionFigures, ...]:
        return tuple(s for s in self.sessions if s.day == date)

    def arrivals_on(self, date: dt.date) -> tuple[ArrivalSlot, ...]:
        return self.arrivals.get(date, ())


def _local(event: EventInfo, date: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=event.tz)


def day_end(event: EventInfo, day: DayInfo) -> dt.datetime:
    """When a day counts as over: the end of its last session, else the following midnight."""
    ends = [s.end for s in event.sessions if s.day_id == day.id and s.end is not None]
    if ends:
        return _local(event, day.date, max(ends))
    return _local(event, day.date + dt.timedelta(days=1), dt.time(0, 0))


def day_phase(event: EventInfo, day: DayInfo, now: dt.datetime) -> Phase:
    today = now.astimezone(event.tz).date()
    if day.date > today:
        return Phase.UPCOMING
    if day.date < today or now >= day_end(event, day):
        return Phase.OVER
    return Phase.RUNNING


def session_phase(event: EventInfo, info: SessionInfo, now: dt.datetime) -> Phase:
    day = event.day_by_id(info.day_id)
    end = _local(event, info.day, info.end) if info.end is not None else None
    if end is None and day is not None:
        end = day_end(event, day)
    start = _local(event, info.day, info.start or dt.time(0, 0))
    if end is not None and now >= end:
        return Phase.OVER
    if now < start:
        return Phase.UPCOMING
    return Phase.RUNNING


def _arrival_slots(
    stats: EventStats, event: EventInfo, now: dt.datetime
) -> dict[dt.date, tuple[ArrivalSlot, ...]]:
    """Per event day, its arrivals by local time of day (the slots of one day add up to its
    ``arrived``). A check-in recorded on another calendar date (a desk working on a chosen day)
    is placed at its clock time on the day it counts for, so a day never spans more than 24 h."""
    per_day: dict[dt.date, dict[dt.datetime, int]] = {}
    for bucket in stats.arrivals:
        clock_time = bucket.start.astimezone(event.tz).time().replace(tzinfo=None)
        local = _local(event, bucket.day, clock_time)
        counts = per_day.setdefault(bucket.day, {})
        counts[local] = counts.get(local, 0) + bucket.count
    now_local = now.astimezone(event.tz)
    result: dict[dt.date, tuple[ArrivalSlot, ...]] = {}
    for date, counts in per_day.items():
        first = min(counts)
        last = max(counts)
        if date == now_local.date():
            current = now_local.replace(
                minute=now_local.minute - now_local.minute % ARRIVAL_BUCKET_MINUTES, second=0, microsecond=0
            )
            last = max(last, current)
        slots = []
        moment = first
        while moment <= last:
            slots.append(ArrivalSlot(moment, counts.get(moment, 0)))
            moment = (moment.astimezone(dt.UTC) + BUCKET).astimezone(event.tz)
        result[date] = tuple(slots)
    return result


def build_dashboard(
    stats: EventStats,
    event: EventInfo,
    now: dt.datetime,
    *,
    marker: ChangeMarker,
    conflicts: tuple[Conflict, ...] = (),
) -> Dashboard:
    """Place the counts in time at ``now`` (pure: no database)."""
    counted_days = {d.date: d for d in stats.days}
    days = []
    for day in event.days:
        day_figures = counted_days.get(day.date) or DayFigures(day.id, day.date, day.label, 0, 0, 0)
        days.append(dataclasses.replace(day_figures, phase=day_phase(event, day, now)))
    counted_sessions = {s.key: s for s in stats.sessions}
    sessions = []
    for info in event.sessions:
        found = counted_sessions.get(info.key)
        figures = found or SessionFigures(
            session_id=info.id,
            key=info.key,
            title=info.title,
            kind=info.kind,
            day=info.day,
            start=info.start,
            end=info.end,
            room=info.room,
            capacity=info.capacity,
            registered=0,
            attended=0,
            attended_registered=0,
        )
        sessions.append(dataclasses.replace(figures, phase=session_phase(event, info, now)))
    return Dashboard(
        marker=marker,
        computed_at=now,
        active=stats.active,
        cancelled=stats.cancelled,
        walk_ins=stats.walk_ins,
        days=tuple(days),
        sessions=tuple(sessions),
        arrivals=_arrival_slots(stats, event, now),
        conflicts=conflicts,
    )


def load_dashboard(db: Database, event: EventInfo, now: dt.datetime) -> Dashboard:
    """Read everything in one snapshot (``Database.read()``) and build the figures."""
    with db.read() as session:
        marker = marker_in(session, event.id)
        stats = event_stats(session, event)
        conflicts = tuple(list_conflicts(session, event.id))
    return build_dashboard(stats, event, now, marker=marker, conflicts=conflicts)


def load_dashboard_if_changed(
    db: Database, event: EventInfo, now: dt.datetime, since: ChangeMarker | None
) -> Dashboard | None:
    """``load_dashboard`` unless nothing was written since ``since`` (then None, after one small read)."""
    if since is not None:
        with db.read() as session:
            if marker_in(session, event.id) == since:
                return None
    return load_dashboard(db, event, now)
