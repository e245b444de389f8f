"""The figures the dashboard shows: per day, per session, arrivals per 15 minutes — all in local time.

Builds on ``checkin.domain.stats.event_stats`` and adds what only the
dashboard needs:

* *still expected* vs. *no-shows*: while a day (or a session) is running, a
  registered person who has not arrived yet is still expected; only once it is
  over do they count as a no-show. A day is over after the end of its last
  session (local time), or at midnight when the programme has no end times.
  Future days have everyone still expected; past days only no-shows.
* for sessions, "registered and attended" (people who came without being
  registered fill seats but do not reduce the no-shows). No-shows of a
  session are only given when its door was scanned at all: plenary sessions
  usually are not, and "everyone missed the keynote" would be false;
* arrivals per 15 minutes per local day, with empty slots filled in so the
  chart has an honest time axis;
* a cheap change marker, so a desk polls every few seconds and recomputes only
  when another desk (or process) wrote something.

Everything is read in one transaction, so the figures are a consistent snapshot.
``DashboardReader`` reads SQLite through its own connections with a plain
(deferred) ``BEGIN``: the desk's engine starts every transaction with ``BEGIN
IMMEDIATE`` (needed for its read-then-write check-ins), which for a read of
the whole event would hold the write lock and make the other desks' check-ins
wait. In WAL mode a deferred read sees a snapshot and blocks no writer.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from checkin.domain.attendance import active_checkins_query
from checkin.domain.db import Database
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.models import (
    CheckInLogEntry,
    Registration,
    RegistrationStatus,
    registration_sessions,
)
from checkin.domain.stats import ARRIVAL_BUCKET_MINUTES, EventStats, event_stats

BUCKET = dt.timedelta(minutes=ARRIVAL_BUCKET_MINUTES)


class Phase(enum.StrEnum):
    """Where a day or session stands relative to now."""

    UPCOMING = "upcoming"
    RUNNING = "running"
    OVER = "over"


@dataclass(frozen=True)
class ChangeMarker:
    """Changes whenever a check-in, undo or registration change is written by anyone."""

    last_log_id: int
    registrations: int
    last_registration_change: dt.datetime | None


@dataclass(frozen=True)
class DayFigures:
    day_id: int
    date: dt.date
    label: str
    phase: Phase
    registered: int
    arrived: int  # walk-ins and people registered for another day included
    still_expected: int | None  # None once the day is over
    no_shows: int | None  # None until the day is over

    @property
    def arrival_rate(self) -> float | None:
        """Arrived registered people / registered (0..1); None without registrations."""
        if not self.registered:
            return None
        came = self.registered - (self.no_shows if self.no_shows is not None else self.still_expected or 0)
        return came / self.registered


@dataclass(frozen=True)
class SessionFigures:
    session_id: int
    key: str
    title: str
    kind: str
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    room: str
    capacity: int | None
    phase: Phase
    registered: int
    attended: int  # everyone checked in at the door, registered or not
    still_expected: int | None  # registered, not (yet) attended; None once over
    no_shows: int | None  # registered, never attended; None until over or when the door was not scanned

    @property
    def occupancy(self) -> float | None:
        """Attended / capacity (may exceed 1 when the door let more in); None without capacity."""
        if not self.capacity:
            return None
        return self.attended / self.capacity

    @property
    def is_workshop(self) -> bool:
        return self.kind == "workshop"


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
    days: tuple[DayFigures, ...]
    sessions: tuple[SessionFigures, ...]
    arrivals: dict[dt.date, tuple[ArrivalSlot, ...]]  # per local date, empty slots filled in

    def day(self, date: dt.date) -> DayFigures | None:
        return next((d for d in self.days if d.date == date), None)

    def sessions_on(self, date: dt.date) -> tuple[SessionFigures, ...]:
        return tuple(s for s in self.sessions if s.date == date)

    def arrivals_on(self, date: dt.date) -> tuple[ArrivalSlot, ...]:
        return self.arrivals.get(date, ())


def change_marker(session: Session, event_id: int) -> ChangeMarker:
    """Two indexed aggregate queries: cheap enough to run every few seconds."""
    last_log_id = session.scalar(select(func.max(CheckInLogEntry.id))) or 0
    count, last_change = session.execute(
        select(func.count(), func.max(Registration.updated_at)).where(Registration.event_id == event_id)
    ).one()
    if isinstance(last_change, str):  # max() over a type decorator comes back raw on SQLite
        last_change = dt.datetime.fromisoformat(last_change)
    return ChangeMarker(int(last_log_id), int(count or 0), last_change)


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


def _attended_registered_per_session(session: Session, event_id: int) -> dict[int, int]:
    """Per session id: active registrations for that session with a door check-in in force."""
    in_force = active_checkins_query(event_id).where(CheckInLogEntry.session_id.is_not(None)).subquery()
    rows = session.execute(
        select(in_force.c.session_id, func.count(func.distinct(in_force.c.registration_id)))
        .join(
            registration_sessions,
            (registration_sessions.c.registration_id == in_force.c.registration_id)
            & (registration_sessions.c.session_id == in_force.c.session_id),
        )
        .join(Registration, Registration.id == in_force.c.registration_id)
        .where(Registration.status == RegistrationStatus.ACTIVE)
        .group_by(in_force.c.session_id)
    ).all()
    return {int(session_id): int(count) for session_id, count in rows}


def _arrival_slots(
    stats: EventStats, event: EventInfo, now: dt.datetime
) -> dict[dt.date, tuple[ArrivalSlot, ...]]:
    per_day: dict[dt.date, dict[dt.datetime, int]] = {}
    for bucket in stats.arrivals:
        local = bucket.start.astimezone(event.tz)
        counts = per_day.setdefault(local.date(), {})
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
    attended_registered: dict[int, int],
    marker: ChangeMarker,
) -> Dashboard:
    """Turn the counts into what the desk shows at ``now`` (pure: no database)."""
    days = []
    for day in event.days:
        day_counts = stats.day(day.date)
        registered = day_counts.registered if day_counts else 0
        not_arrived = day_counts.expected if day_counts else 0
        phase = day_phase(event, day, now)
        days.append(
            DayFigures(
                day_id=day.id,
                date=day.date,
                label=day.label,
                phase=phase,
                registered=registered,
                arrived=day_counts.arrived if day_counts else 0,
                still_expected=None if phase is Phase.OVER else not_arrived,
                no_shows=not_arrived if phase is Phase.OVER else None,
            )
        )
    sessions = []
    for info in event.sessions:
        session_counts = stats.session(info.key)
        registered = session_counts.registered if session_counts else 0
        not_attended = max(registered - attended_registered.get(info.id, 0), 0)
        phase = session_phase(event, info, now)
        attended = session_counts.attended if session_counts else 0
        door_scanned = attended > 0
        sessions.append(
            SessionFigures(
                session_id=info.id,
                key=info.key,
                title=info.title,
                kind=info.kind,
                date=info.day,
                start=info.start,
                end=info.end,
                room=info.room,
                capacity=info.capacity,
                phase=phase,
                registered=registered,
                attended=attended,
                still_expected=None if phase is Phase.OVER else not_attended,
                no_shows=not_attended if phase is Phase.OVER and door_scanned else None,
            )
        )
    return Dashboard(
        marker=marker,
        computed_at=now,
        active=stats.active,
        cancelled=stats.cancelled,
        walk_ins=stats.walk_ins,
        days=tuple(days),
        sessions=tuple(sessions),
        arrivals=_arrival_slots(stats, event, now),
    )


def _load(session_factory: Callable[[], Session], event: EventInfo, now: dt.datetime) -> Dashboard:
    with session_factory() as session:
        marker = change_marker(session, event.id)
        stats = event_stats(session, event)
        attended_registered = _attended_registered_per_session(session, event.id)
    return build_dashboard(stats, event, now, attended_registered=attended_registered, marker=marker)


def load_dashboard(db: Database, event: EventInfo, now: dt.datetime) -> Dashboard:
    """Read everything in one transaction (a consistent snapshot) and build the figures."""
    return _load(db.session_factory, event, now)


def _read_only_sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 5})

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")  # deferred: a WAL snapshot, no write lock

    return engine


class DashboardReader:
    """Loads dashboard figures without ever holding the database's write lock (see module docstring).

    Safe to use from a worker thread. ``close()`` releases its connections.
    """

    def __init__(self, db: Database) -> None:
        self._engine: Engine | None = None
        if db.is_sqlite:
            self._engine = _read_only_sqlite_engine(db.url)
            self._sessions: Callable[[], Session] = sessionmaker(self._engine)
        else:  # PostgreSQL reads never block writers
            self._sessions = db.session_factory

    def session(self) -> Session:
        return self._sessions()

    def marker(self, event_id: int) -> ChangeMarker:
        with self._sessions() as session:
            return change_marker(session, event_id)

    def load(self, event: EventInfo, now: dt.datetime) -> Dashboard:
        return _load(self._sessions, event, now)

    def load_if_changed(
        self, event: EventInfo, now: dt.datetime, since: ChangeMarker | None
    ) -> Dashboard | None:
        """``load`` unless nothing was written since ``since`` (then None, after one small query)."""
        if since is not None and self.marker(event.id) == since:
            return None
        return self.load(event, now)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
