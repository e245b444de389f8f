"""Figures counted while the rows of an export stream past (the XLSX statistics sheet, the
PDF report): the same ``DayFigures``/``SessionFigures`` as the live counts, for exactly the
registrations an export's filters select, plus categories and "present on any day".

Counting the streamed rows costs nothing extra in an export that walks every row anyway,
and keeps the sheet's figures in step with its rows whatever the filters. The rules are
those of ``event_stats`` (a test holds the two to the same numbers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.statistics.figures import (
    ARRIVAL_BUCKET_MINUTES,
    CategoryFigures,
    DayFigures,
    SessionFigures,
)
from checkin.i18n import _


class AttendanceFacts(Protocol):
    """What the accumulator needs of a participant row (``checkin.io.participants.ParticipantRow``)."""

    @property
    def is_active(self) -> bool: ...
    @property
    def source(self) -> str: ...
    @property
    def category_key(self) -> str: ...
    @property
    def registered_session_ids(self) -> frozenset[int]: ...
    @property
    def first_seen(self) -> Mapping[int, dt.datetime]: ...
    @property
    def attended(self) -> Mapping[int, dt.datetime]: ...
    def registered_for_day(self, day_id: int) -> bool: ...


@dataclass(frozen=True)
class AttendanceStatistics:
    registrations: int
    active: int
    cancelled: int
    walk_ins: int
    arrived_any_day: int
    days: tuple[DayFigures, ...]
    sessions: tuple[SessionFigures, ...]
    categories: tuple[CategoryFigures, ...]
    # (day, bucket start as local time, number of people whose first check-in that day falls in it)
    arrivals: tuple[tuple[dt.date, dt.time, int], ...]


class StatisticsAccumulator:
    """Counts participant rows as they stream past; ``result()`` gives the figures."""

    def __init__(self, event: EventInfo, days: Sequence[DayInfo], sessions: Sequence[SessionInfo]) -> None:
        self._event = event
        self._days = tuple(days)
        self._sessions = tuple(sessions)
        self.registrations = 0
        self.active = 0
        self.cancelled = 0
        self.walk_ins = 0
        self.arrived_any = 0
        self._day = {d.id: [0, 0, 0] for d in self._days}  # registered, arrived, arrived_registered
        self._session = {s.id: [0, 0, 0] for s in self._sessions}  # registered, attended, att. registered
        self._category: dict[str, list[int]] = {}
        self._arrivals: dict[tuple[dt.date, dt.time], int] = {}

    def add(self, row: AttendanceFacts) -> None:
        self.registrations += 1
        active = row.is_active
        self.active += active
        self.cancelled += not active
        self.walk_ins += row.source == "walk-in"
        category = self._category.setdefault(row.category_key, [0, 0, 0])
        category[0] += active
        category[1] += not active
        present_any = False
        for day in self._days:
            counts = self._day[day.id]
            registered = active and row.registered_for_day(day.id)
            counts[0] += registered
            first = row.first_seen.get(day.id)
            if first is not None:
                present_any = True
                counts[1] += 1
                counts[2] += registered
                minute = first.minute - first.minute % ARRIVAL_BUCKET_MINUTES
                bucket = (day.date, dt.time(first.hour, minute))
                self._arrivals[bucket] = self._arrivals.get(bucket, 0) + 1
        for item in self._sessions:
            counts = self._session[item.id]
            registered = active and item.id in row.registered_session_ids
            counts[0] += registered
            if item.id in row.attended:
                counts[1] += 1
                counts[2] += registered
        self.arrived_any += present_any
        category[2] += present_any

    def result(self) -> AttendanceStatistics:
        days = tuple(
            DayFigures(
                day_id=d.id,
                date=d.date,
                label=d.label,
                registered=self._day[d.id][0],
                arrived=self._day[d.id][1],
                arrived_registered=self._day[d.id][2],
            )
            for d in self._days
        )
        sessions = tuple(
            SessionFigures.of(
                s,
                registered=self._session[s.id][0],
                attended=self._session[s.id][1],
                attended_registered=self._session[s.id][2],
            )
            for s in self._sessions
        )
        names = {c.key: c.name for c in self._event.categories}
        order = [c.key for c in self._event.categories] + sorted(k for k in self._category if k not in names)
        categories = tuple(
            CategoryFigures(
                key=key,
                name=names.get(key, key or _("(no category)")),
                registered=self._category[key][0],
                cancelled=self._category[key][1],
                arrived=self._category[key][2],
            )
            for key in order
            if key in self._category
        )
        return AttendanceStatistics(
            registrations=self.registrations,
            active=self.active,
            cancelled=self.cancelled,
            walk_ins=self.walk_ins,
            arrived_any_day=self.arrived_any,
            days=days,
            sessions=sessions,
            categories=categories,
            arrivals=tuple((day, start, n) for (day, start), n in sorted(self._arrivals.items())),
        )
