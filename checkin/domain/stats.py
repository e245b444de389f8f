"""Counts for the dashboard, the door gauge and ``checkin stats``.

Everything is counted in the database with GROUP BY queries over the
append-only log (a check-in is "in force" when no undo follows it), so the
numbers are the same on every desk and stay cheap at 100,000 registrations.
A registration without any registered day counts as registered for every day
(hand-made lists often have no day columns).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, and_, create_engine, exists, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from checkin.domain.attendance import in_force_condition
from checkin.domain.db import Database, configure_sqlite_reader
from checkin.domain.events import EventInfo, SessionInfo
from checkin.domain.models import (
    ENTRANCE_SCOPE,
    CheckInLogEntry,
    Registration,
    RegistrationStatus,
    registration_days,
    registration_sessions,
)

ARRIVAL_BUCKET_MINUTES = 15


def reader_engine(db: Database) -> Engine:
    """An engine for reads that never wait for a writer.

    The shared engine starts every transaction with ``BEGIN IMMEDIATE`` (right for
    check-ins), which also makes a plain read wait while another desk holds the
    write lock, e.g. during a long import: the search box or the door gauge would
    freeze for seconds. On SQLite this engine runs each statement in autocommit
    mode, a lock-free WAL snapshot, and refuses writes (``query_only``). It keeps
    no connections open (NullPool), so it needs no disposing. Other databases do
    not lock readers: there the shared engine is returned.
    """
    url = make_url(db.url)
    if not db.is_sqlite or url.database in (None, "", ":memory:"):
        return db.engine
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 5})
    configure_sqlite_reader(engine)
    return engine


@dataclass(frozen=True)
class SessionGauge:
    """The door display of one session on one day."""

    session_key: str
    title: str
    day: dt.date
    attended: int  # checked in now (not undone, not moved away)
    registered: int  # active registrations that chose this session
    capacity: int | None

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.attended >= self.capacity

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.attended, 0)


@dataclass(frozen=True)
class DayStats:
    date: dt.date
    label: str
    registered: int  # active registrations expected on this day
    arrived: int  # entrance check-ins in force on this day (walk-ins included)
    expected: int  # registered for the day and not arrived yet


@dataclass(frozen=True)
class SessionStats:
    key: str
    title: str
    kind: str
    day: dt.date
    start: dt.time | None
    end: dt.time | None
    room: str
    registered: int
    attended: int
    capacity: int | None


@dataclass(frozen=True)
class ArrivalBucket:
    """Entrance check-ins in force whose time falls into [start, start + 15 min)."""

    start: dt.datetime  # aware, UTC
    count: int


@dataclass(frozen=True)
class EventStats:
    registrations: int  # all, cancelled included
    active: int
    cancelled: int
    walk_ins: int
    days: tuple[DayStats, ...]
    sessions: tuple[SessionStats, ...]
    arrivals: tuple[ArrivalBucket, ...]  # oldest first, only buckets with arrivals

    def day(self, date: dt.date) -> DayStats | None:
        return next((d for d in self.days if d.date == date), None)

    def session(self, key: str) -> SessionStats | None:
        return next((s for s in self.sessions if s.key == key), None)


def count_attended(session: Session, day_id: int, scope: int) -> int:
    """Check-ins in force for one day and scope (entrance or a session id)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(CheckInLogEntry)
            .where(CheckInLogEntry.day_id == day_id, CheckInLogEntry.scope == scope, in_force_condition())
        )
        or 0
    )


def count_registered_for_session(session: Session, session_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(registration_sessions)
            .join(Registration, Registration.id == registration_sessions.c.registration_id)
            .where(
                registration_sessions.c.session_id == session_id,
                Registration.status == RegistrationStatus.ACTIVE,
            )
        )
        or 0
    )


def session_gauge(session: Session, info: SessionInfo) -> SessionGauge:
    return SessionGauge(
        session_key=info.key,
        title=info.title,
        day=info.day,
        attended=count_attended(session, info.day_id, info.id),
        registered=count_registered_for_session(session, info.id),
        capacity=info.capacity,
    )


def _floor_to_bucket(moment: dt.datetime) -> dt.datetime:
    moment = moment.astimezone(dt.UTC)
    minute = moment.minute - moment.minute % ARRIVAL_BUCKET_MINUTES
    return moment.replace(minute=minute, second=0, microsecond=0)


def event_stats(session: Session, event: EventInfo) -> EventStats:
    # One pass over the registrations for status, walk-ins and "no particular day".
    has_days = exists().where(registration_days.c.registration_id == Registration.id)
    is_walk_in = Registration.source == "walk-in"
    active = cancelled = walk_ins = without_days = 0
    for status, walk_in, with_days, count in session.execute(
        select(Registration.status, is_walk_in, has_days, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status, is_walk_in, has_days)
    ):
        count = int(count)
        if str(getattr(status, "value", status)) == RegistrationStatus.CANCELLED.value:
            cancelled += count
        else:
            active += count
            if not with_days:
                without_days += count
        if walk_in:
            walk_ins += count
    active_reg = and_(Registration.event_id == event.id, Registration.status == RegistrationStatus.ACTIVE)
    per_day: dict[int, int] = dict(
        session.execute(
            select(registration_days.c.day_id, func.count())
            .join(Registration, Registration.id == registration_days.c.registration_id)
            .where(active_reg)
            .group_by(registration_days.c.day_id)
        ).all()
    )
    arrived = dict(
        session.execute(
            select(CheckInLogEntry.day_id, func.count())
            .where(
                CheckInLogEntry.event_id == event.id,
                CheckInLogEntry.scope == ENTRANCE_SCOPE,
                in_force_condition(),
            )
            .group_by(CheckInLogEntry.day_id)
        ).all()
    )
    # Registered for the day (or for no particular day), active, and arrived.
    registered_for_day = exists().where(
        registration_days.c.registration_id == Registration.id,
        registration_days.c.day_id == CheckInLogEntry.day_id,
    ) | ~exists().where(registration_days.c.registration_id == Registration.id)
    arrived_registered = dict(
        session.execute(
            select(CheckInLogEntry.day_id, func.count())
            .join(Registration, Registration.id == CheckInLogEntry.registration_id)
            .where(
                CheckInLogEntry.event_id == event.id,
                CheckInLogEntry.scope == ENTRANCE_SCOPE,
                in_force_condition(),
                Registration.status == RegistrationStatus.ACTIVE,
                registered_for_day,
            )
            .group_by(CheckInLogEntry.day_id)
        ).all()
    )
    days = []
    for day in event.days:
        registered = int(per_day.get(day.id, 0)) + without_days
        days.append(
            DayStats(
                date=day.date,
                label=day.label,
                registered=registered,
                arrived=int(arrived.get(day.id, 0)),
                expected=max(registered - int(arrived_registered.get(day.id, 0)), 0),
            )
        )
    registered_per_session: dict[int, int] = dict(
        session.execute(
            select(registration_sessions.c.session_id, func.count())
            .join(Registration, Registration.id == registration_sessions.c.registration_id)
            .where(active_reg)
            .group_by(registration_sessions.c.session_id)
        ).all()
    )
    attended_per_scope = dict(
        session.execute(
            select(CheckInLogEntry.scope, func.count())
            .where(
                CheckInLogEntry.event_id == event.id,
                CheckInLogEntry.scope != ENTRANCE_SCOPE,
                in_force_condition(),
            )
            .group_by(CheckInLogEntry.scope)
        ).all()
    )
    sessions = tuple(
        SessionStats(
            key=s.key,
            title=s.title,
            kind=s.kind,
            day=s.day,
            start=s.start,
            end=s.end,
            room=s.room,
            registered=int(registered_per_session.get(s.id, 0)),
            attended=int(attended_per_scope.get(s.id, 0)),
            capacity=s.capacity,
        )
        for s in event.sessions
    )
    buckets: dict[dt.datetime, int] = {}
    arrival_times = session.scalars(
        select(CheckInLogEntry.at).where(
            CheckInLogEntry.event_id == event.id,
            CheckInLogEntry.scope == ENTRANCE_SCOPE,
            in_force_condition(),
        )
    )
    for moment in arrival_times:
        start = _floor_to_bucket(moment)
        buckets[start] = buckets.get(start, 0) + 1
    return EventStats(
        registrations=active + cancelled,
        active=active,
        cancelled=cancelled,
        walk_ins=walk_ins,
        days=tuple(days),
        sessions=sessions,
        arrivals=tuple(ArrivalBucket(start=k, count=v) for k, v in sorted(buckets.items())),
    )
