"""Counts in the database: the live figures of the desk, the door gauge, ``checkin stats`` and
the dashboard.

Everything is counted with GROUP BY queries over the append-only log (a check-in is "in
force" when no undo follows it), so the numbers are the same on every desk and stay
cheap at 100,000 registrations. A registration without any registered day counts as
registered for every day (hand-made lists often have no day columns), unless its list ticked
no day (``registered_days``): then for none.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from checkin.domain.attendance import active_checkins_query, in_force_condition
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    ENTRANCE_SCOPE,
    CheckInLogEntry,
    Registration,
    RegistrationStatus,
    registration_days,
    registration_sessions,
)
from checkin.domain.registered_days import every_day, registered_on
from checkin.domain.statistics.figures import (
    ARRIVAL_BUCKET_MINUTES,
    ArrivalBucket,
    DayFigures,
    EventStats,
    SessionFigures,
)


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


def count_booked_present(session: Session, day_id: int, session_id: int) -> int:
    """Active registrations for a session with a check-in in force at its door that day."""
    return int(
        session.scalar(
            select(func.count(func.distinct(CheckInLogEntry.registration_id)))
            .select_from(CheckInLogEntry)
            .join(
                registration_sessions,
                (registration_sessions.c.registration_id == CheckInLogEntry.registration_id)
                & (registration_sessions.c.session_id == session_id),
            )
            .join(Registration, Registration.id == CheckInLogEntry.registration_id)
            .where(
                CheckInLogEntry.day_id == day_id,
                CheckInLogEntry.scope == session_id,
                Registration.status == RegistrationStatus.ACTIVE,
                in_force_condition(),
            )
        )
        or 0
    )


def _floor_to_bucket(moment: dt.datetime) -> dt.datetime:
    moment = moment.astimezone(dt.UTC)
    minute = moment.minute - moment.minute % ARRIVAL_BUCKET_MINUTES
    return moment.replace(minute=minute, second=0, microsecond=0)


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


def event_stats(session: Session, event: EventInfo) -> EventStats:
    """The whole event in a handful of GROUP BY queries (run it inside one ``Database.read()``)."""
    # One pass over the registrations for status, walk-ins and "no particular day".
    # (a list that ticked no day for a person registers them for no day, not every day)
    has_days = ~every_day()
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
    registered_for_day = registered_on(CheckInLogEntry.day_id)
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
            DayFigures(
                day_id=day.id,
                date=day.date,
                label=day.label,
                registered=registered,
                arrived=int(arrived.get(day.id, 0)),
                arrived_registered=int(arrived_registered.get(day.id, 0)),
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
    attended_registered_per_session = _attended_registered_per_session(session, event.id)
    sessions = tuple(
        SessionFigures.of(
            s,
            registered=int(registered_per_session.get(s.id, 0)),
            attended=int(attended_per_scope.get(s.id, 0)),
            attended_registered=attended_registered_per_session.get(s.id, 0),
        )
        for s in event.sessions
    )
    # The same rows as ``arrived`` above, per event day: the chart's bars add up to the day's figure.
    dates = {day.id: day.date for day in event.days}
    buckets: dict[tuple[dt.date, dt.datetime], int] = {}
    arrival_times = session.execute(
        select(CheckInLogEntry.day_id, CheckInLogEntry.at).where(
            CheckInLogEntry.event_id == event.id,
            CheckInLogEntry.scope == ENTRANCE_SCOPE,
            in_force_condition(),
        )
    )
    for day_id, moment in arrival_times:
        if (date := dates.get(day_id)) is not None:
            key = (date, _floor_to_bucket(moment))
            buckets[key] = buckets.get(key, 0) + 1
    return EventStats(
        registrations=active + cancelled,
        active=active,
        cancelled=cancelled,
        walk_ins=walk_ins,
        days=tuple(days),
        sessions=sessions,
        arrivals=tuple(
            ArrivalBucket(start=start, count=n, day=date)
            for (date, start), n in sorted(buckets.items(), key=lambda item: (item[0][1], item[0][0]))
        ),
    )
