"""What a certificate of attendance may truthfully say about one person.

Only what the check-in log shows: the days with a check-in in force, the
programme items scanned at their door, and (unless the event file says
otherwise) the plenaries of an attended day that were still running when
the person arrived. The extent is the time those items cover (overlaps
counted once), in hours or in teaching units.

Options in the event file's ``[certificate]`` table read here::

    plenaries = "day"        # "day": plenaries of an attended day that end after the
                             # first check-in that day (default); "scanned": only plenaries
                             # scanned at their door
    extent = "hours"         # "hours" (default), "units" (teaching units) or "none"
    unit_minutes = 45        # length of one teaching unit
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from checkin.domain.attendance import active_checkins
from checkin.domain.collation import name_key
from checkin.domain.db import Database
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.models import Registration


@dataclass(frozen=True)
class CertificateData:
    """One person's certificate: who, in which role, and which days and programme items they attended."""

    registration_id: int
    code: str
    name: str
    organisation: str
    days: tuple[DayInfo, ...]
    items: tuple[SessionInfo, ...]
    role: str = ""

    @property
    def workshops(self) -> tuple[SessionInfo, ...]:
        return tuple(s for s in self.items if s.is_workshop)

    @property
    def plenaries(self) -> tuple[SessionInfo, ...]:
        return tuple(s for s in self.items if not s.is_workshop)

    @property
    def minutes(self) -> int:
        """Minutes covered by the attended items that have times; overlapping items count once."""
        return covered_minutes(self.items)


def covered_minutes(items: Iterable[SessionInfo]) -> int:
    """Total length of the union of the items' time spans, per day."""
    spans: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)
    for item in items:
        if item.start is not None and item.end is not None and item.end > item.start:
            spans[item.day].append(
                (item.start.hour * 60 + item.start.minute, item.end.hour * 60 + item.end.minute)
            )
    total = 0
    for day_spans in spans.values():
        end_so_far = -1
        for start, end in sorted(day_spans):
            start = max(start, end_so_far)
            if end > start:
                total += end - start
            end_so_far = max(end_so_far, end)
    return total


def _sort_key(item: SessionInfo) -> tuple[dt.date, dt.time, str]:
    return (item.day, item.start or dt.time.min, item.title)


def collect_attendance(
    db: Database, event: EventInfo, spec: dict, registration_ids: Sequence[int] | None = None
) -> list[CertificateData]:
    """Everybody (or everybody in ``registration_ids``) with at least one check-in, sorted by name."""
    sessions = {s.id: s for s in event.sessions}
    credit_plenaries_by_day = spec.get("plenaries", "day") != "scanned"
    tz = event.tz
    with db.read() as session:
        checkins = active_checkins(session, event.id, registration_ids=registration_ids)
        days: dict[int, set[int]] = defaultdict(set)
        arrived: dict[tuple[int, int], dt.time] = {}
        items: dict[int, set[int]] = defaultdict(set)
        for checkin in checkins:
            days[checkin.registration_id].add(checkin.day_id)
            key = (checkin.registration_id, checkin.day_id)
            at = checkin.at if checkin.at.tzinfo else checkin.at.replace(tzinfo=dt.UTC)
            local = at.astimezone(tz).time()
            arrived[key] = min(arrived.get(key, local), local)
            attended = sessions.get(checkin.session_id) if checkin.session_id is not None else None
            if attended is not None:
                items[checkin.registration_id].add(attended.id)
        if not days:
            return []
        people = list(
            session.execute(
                select(
                    Registration.id,
                    Registration.code,
                    Registration.title,
                    Registration.first_name,
                    Registration.last_name,
                    Registration.organisation,
                    Registration.category_id,
                ).where(
                    Registration.event_id == event.id,
                    Registration.id.in_(list(days)),
                    Registration.purged_at.is_(None),
                )
            ).all()
        )
    people.sort(key=lambda p: name_key(p.last_name, p.first_name))
    default_category = event.default_category
    result = []
    for person in people:
        attended_items = set(items[person.id])
        if credit_plenaries_by_day:
            for plenary in (s for s in event.sessions if not s.is_workshop):
                came = arrived.get((person.id, plenary.day_id))
                if came is not None and (plenary.end is None or plenary.end > came):
                    attended_items.add(plenary.id)
        category = event.category_by_id(person.category_id)
        role = category.name if category is not None and category.id != default_category.id else ""
        name = " ".join(p for p in (person.title, person.first_name, person.last_name) if p.strip())
        result.append(
            CertificateData(
                registration_id=person.id,
                code=person.code,
                name=name,
                organisation=person.organisation,
                days=tuple(d for d in event.days if d.id in days[person.id]),
                items=tuple(sorted((sessions[s] for s in attended_items), key=_sort_key)),
                role=role,
            )
        )
    return result
