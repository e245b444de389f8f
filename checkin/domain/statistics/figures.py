"""The figures themselves: one type per thing counted, shared by every producer and reader.

``DayFigures`` and ``SessionFigures`` carry raw counts plus, for the dashboard, the
``Phase`` of the day or session at the moment they were computed. Without a phase
(``None``: an export or report counting the log as it stands) everyone registered and
not arrived counts as a no-show; with one, they are *still expected* until the day or
session is over and only then no-shows.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checkin.domain.events import SessionInfo

ARRIVAL_BUCKET_MINUTES = 15


class Phase(enum.StrEnum):
    """Where a day or session stands relative to now."""

    UPCOMING = "upcoming"
    RUNNING = "running"
    OVER = "over"


@dataclass(frozen=True)
class DayFigures:
    """One event day. A registration without any registered day counts for every day."""

    day_id: int
    date: dt.date
    label: str
    registered: int  # active registrations expected on this day
    arrived: int  # everyone present that day: walk-ins, other days' and cancelled people included
    arrived_registered: int  # of the registered, present
    phase: Phase | None = None  # None: not placed in time (exports, reports)

    @property
    def not_arrived(self) -> int:
        """Registered for the day and not (yet) present."""
        return max(self.registered - self.arrived_registered, 0)

    @property
    def still_expected(self) -> int | None:
        """Not arrived while the day is upcoming or running; None once over (or without a phase)."""
        if self.phase is None or self.phase is Phase.OVER:
            return None
        return self.not_arrived

    @property
    def no_shows(self) -> int | None:
        """Not arrived once the day is over (or without a phase); None before."""
        if self.phase is None or self.phase is Phase.OVER:
            return self.not_arrived
        return None

    @property
    def unregistered_arrivals(self) -> int:
        return self.arrived - self.arrived_registered

    @property
    def arrival_rate(self) -> float | None:
        """Arrived registered people / registered (0..1); None without registrations."""
        return self.arrived_registered / self.registered if self.registered else None

    @property
    def no_show_rate(self) -> float | None:
        no_shows = self.no_shows
        return no_shows / self.registered if self.registered and no_shows is not None else None


@dataclass(frozen=True)
class SessionFigures:
    """One session (workshop, talk) of the programme.

    No-shows are only given when the session's door was scanned at all: plenary
    sessions usually are not, and "everyone missed the keynote" would be false.
    """

    session_id: int
    key: str
    title: str
    kind: str
    day: dt.date
    start: dt.time | None
    end: dt.time | None
    room: str
    capacity: int | None
    registered: int  # active registrations that chose this session
    attended: int  # everyone checked in at the door, registered or not
    attended_registered: int  # of the registered, checked in at the door
    phase: Phase | None = None  # None: not placed in time (exports, reports)

    @classmethod
    def of(
        cls, info: SessionInfo, *, registered: int, attended: int, attended_registered: int
    ) -> SessionFigures:
        """The figures of the programme item ``info`` (its key, title, time and room as it is)."""
        return cls(
            session_id=info.id,
            key=info.key,
            title=info.title,
            kind=info.kind,
            day=info.day,
            start=info.start,
            end=info.end,
            room=info.room,
            capacity=info.capacity,
            registered=registered,
            attended=attended,
            attended_registered=attended_registered,
        )

    @property
    def not_attended(self) -> int:
        return max(self.registered - self.attended_registered, 0)

    @property
    def door_scanned(self) -> bool:
        return self.attended > 0

    @property
    def still_expected(self) -> int | None:
        """Registered, not (yet) attended while upcoming or running; None once over."""
        if self.phase is None or self.phase is Phase.OVER:
            return None
        return self.not_attended

    @property
    def no_shows(self) -> int | None:
        """Registered, never attended: once over (or without a phase) and only if the door was scanned."""
        if (self.phase is None or self.phase is Phase.OVER) and self.door_scanned:
            return self.not_attended
        return None

    @property
    def occupancy(self) -> float | None:
        """Attended / capacity (may exceed 1 when the door let more in); None without capacity."""
        return self.attended / self.capacity if self.capacity else None

    @property
    def is_workshop(self) -> bool:
        return self.kind == "workshop"


@dataclass(frozen=True)
class CategoryFigures:
    key: str
    name: str
    registered: int  # active
    cancelled: int
    arrived: int  # present on at least one day


@dataclass(frozen=True)
class ArrivalBucket:
    """Entrance check-ins in force for event day ``day`` whose time falls into [start, start + 15 min).

    ``day`` is the event day the check-in counts for (the one the day figures count it on),
    not the calendar date of ``start``: a desk working on a chosen day records arrivals for
    that day whenever it runs.
    """

    start: dt.datetime  # aware
    count: int
    day: dt.date


@dataclass(frozen=True)
class SessionGauge:
    """The door display of one session on one day."""

    session_key: str
    title: str
    day: dt.date
    attended: int  # checked in now (not undone, not moved away)
    registered: int  # active registrations that chose this session
    capacity: int | None
    held: int = 0  # seats kept for booked people not yet arrived (rules.seats_held)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.attended >= self.capacity

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.attended, 0)

    @property
    def free_unbooked(self) -> int | None:
        """Seats a person without a booking may take now (the held ones are not theirs)."""
        return None if self.free is None else max(self.free - self.held, 0)


@dataclass(frozen=True)
class EventStats:
    """The whole event as counted in the database (``event_stats``): desk, ``stats``, dashboard."""

    registrations: int  # all, cancelled included
    active: int
    cancelled: int
    walk_ins: int
    days: tuple[DayFigures, ...]
    sessions: tuple[SessionFigures, ...]
    arrivals: tuple[ArrivalBucket, ...]  # UTC starts, oldest first, only buckets with arrivals

    def day(self, date: dt.date) -> DayFigures | None:
        return next((d for d in self.days if d.date == date), None)

    def session(self, key: str) -> SessionFigures | None:
        return next((s for s in self.sessions if s.key == key), None)
