"""The participant rows every export, report and list is made of, read from the check-in log.

One query layer for all of them, so the spreadsheet, the CSV, the PDF report and the
signature lists always agree. Nothing here loads ORM objects: registrations are read as
plain column tuples (sorted by German collation first) and their attendance in chunks of
ids, so 100,000 registrations stream through in constant memory. Presence follows the
rules of ``checkin.domain.statistics``. Callers read inside one ``Database.read()``
snapshot, so a long export never holds the write lock and the desks keep scanning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from checkin.domain.attendance import in_force_condition
from checkin.domain.collation import person_sort_key
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    CheckInLogEntry,
    Registration,
    RegistrationStatus,
    registration_days,
    registration_sessions,
)
from checkin.domain.names import display_name
from checkin.domain.people import PERSON_COLUMNS
from checkin.domain.progress import Progress, check_cancelled
from checkin.domain.registered_days import is_registered_on, registered_on
from checkin.domain.statistics import AttendanceStatistics, StatisticsAccumulator
from checkin.i18n import _
from checkin.io.export_filters import ExportFilters, ResolvedFilters, organisation_key, resolve_filters
from checkin.io.fast_rows import LocalTimes, fetch_batches, fetch_plain, raw_column

CHUNK_SIZE = 2000


class ParticipantRow(NamedTuple):
    """One registration with what it registered for and what it attended (local, naive times).

    A named tuple rather than a dataclass: 100,000 of them are built per export.
    """

    registration_id: int
    code: str
    order_code: str
    title: str
    first_name: str
    last_name: str
    organisation: str
    function: str
    email: str
    category_key: str
    category_name: str
    status: str  # "active" / "cancelled"
    source: str
    purged: bool
    registered_day_ids: frozenset[int]  # empty: registered for every day
    registered_session_ids: frozenset[int]
    first_seen: Mapping[int, dt.datetime]  # day id -> entrance check-in in force
    attended: Mapping[int, dt.datetime]  # session id -> check-in in force
    no_day_ticked: bool = False  # the list ticked no day: registered for none, not every day

    @property
    def is_active(self) -> bool:
        return self.status == RegistrationStatus.ACTIVE.value

    @property
    def display_name(self) -> str:
        return display_name(self.title, self.first_name, self.last_name)

    @property
    def sort_name(self) -> str:
        """'Last, First Title' as a list shows it."""
        first = " ".join(p for p in (self.first_name, self.title) if p)
        if self.last_name and first:
            return f"{self.last_name}, {first}"
        return self.last_name or first or self.code

    def registered_for_day(self, day_id: int) -> bool:
        return is_registered_on(day_id, self.registered_day_ids, no_day_ticked=self.no_day_ticked)

    def present_on(self, day_id: int) -> bool:
        return day_id in self.first_seen


def _filtered_registrations(event: EventInfo, resolved: ResolvedFilters) -> Select[Any]:
    query = select(*_REGISTRATION_COLUMNS).where(Registration.event_id == event.id)
    if resolved.category_id is not None:
        query = query.where(Registration.category_id == resolved.category_id)
    if resolved.day is not None:
        day_id = resolved.day.id
        query = query.where(
            or_(
                registered_on(day_id),
                exists().where(
                    CheckInLogEntry.registration_id == Registration.id,
                    CheckInLogEntry.day_id == day_id,
                    in_force_condition(),
                ),
            )
        )
    if resolved.session is not None:
        session_id = resolved.session.id
        query = query.where(
            or_(
                exists().where(
                    registration_sessions.c.registration_id == Registration.id,
                    registration_sessions.c.session_id == session_id,
                ),
                exists().where(
                    CheckInLogEntry.registration_id == Registration.id,
                    CheckInLogEntry.session_id == session_id,
                    in_force_condition(),
                ),
            )
        )
    return query


def ordered_registration_ids(session: Session, event: EventInfo, resolved: ResolvedFilters) -> list[int]:
    """Ids of the registrations the filters select, sorted by name in German order."""
    return Participants(session, event, resolved).ids


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


_EMPTY_IDS: frozenset[int] = frozenset()
_EMPTY_TIMES: Mapping[int, dt.datetime] = MappingProxyType({})
# From this many registrations on, the attendance of the whole event is read in one pass per
# table instead of one IN (...) query per chunk.
BULK_THRESHOLD = 5000


class _Attendance:
    """Registered days/sessions and check-ins in force, per registration id."""

    def __init__(self) -> None:
        self.days: dict[int, set[int]] = {}
        self.sessions: dict[int, set[int]] = {}
        self.first_seen: dict[int, dict[int, dt.datetime]] = {}
        self.attended: dict[int, dict[int, dt.datetime]] = {}

    @classmethod
    def load(cls, session: Session, event: EventInfo, chunk: Sequence[int] | None) -> _Attendance:
        """For the registrations in ``chunk``, or for the whole event when ``chunk`` is None."""
        found = cls()
        days_query = select(registration_days.c.registration_id, registration_days.c.day_id)
        sessions_query = select(registration_sessions.c.registration_id, registration_sessions.c.session_id)
        checkins = select(
            CheckInLogEntry.registration_id,
            CheckInLogEntry.day_id,
            CheckInLogEntry.session_id,
            raw_column(CheckInLogEntry.at),
        ).where(in_force_condition())
        if chunk is None:
            mine = Registration.event_id == event.id
            days_query = days_query.join(Registration, Registration.id == registration_days.c.registration_id)
            sessions_query = sessions_query.join(
                Registration, Registration.id == registration_sessions.c.registration_id
            )
            days_query, sessions_query = days_query.where(mine), sessions_query.where(mine)
            checkins = checkins.where(CheckInLogEntry.event_id == event.id)
        else:
            days_query = days_query.where(registration_days.c.registration_id.in_(chunk))
            sessions_query = sessions_query.where(registration_sessions.c.registration_id.in_(chunk))
            # Keyed on the ids alone: with event_id in the WHERE clause SQLite would pick the
            # (event_id, at) index and scan the whole log for every chunk.
            checkins = checkins.where(CheckInLogEntry.registration_id.in_(chunk))
        # Plain loops over fetched batches: this runs for every registration of a large event.
        for target, query in ((found.days, days_query), (found.sessions, sessions_query)):
            for batch in fetch_batches(session, query):
                for registration_id, item_id in batch:
                    known = target.get(registration_id)
                    if known is None:
                        target[registration_id] = {item_id}
                    else:
                        known.add(item_id)
        to_local = LocalTimes(event.tz)
        first_seen, attended = found.first_seen, found.attended
        for batch in fetch_batches(session, checkins):
            for registration_id, day_id, session_id, at in batch:
                target_times = first_seen if session_id is None else attended
                key = day_id if session_id is None else session_id
                times = target_times.get(registration_id)
                if times is None:
                    target_times[registration_id] = {key: to_local(at)}
                else:
                    times[key] = to_local(at)
        return found


_REGISTRATION_COLUMNS = (
    *PERSON_COLUMNS,
    raw_column(Registration.status),
    Registration.source,
    raw_column(Registration.purged_at),
    Registration.no_day_ticked,
)


def _participant(
    raw: Sequence[Any], attendance: _Attendance, categories: Mapping[int | None, tuple[str, str]]
) -> ParticipantRow:
    """A participant row from a raw registration tuple (``_REGISTRATION_COLUMNS``) and attendance."""
    rid, code, order_code, title, first, last, org, function, email, category_id, status, source, purged = (
        raw[:13]
    )
    category_key, category_name = categories.get(category_id, ("", ""))
    registered_days = attendance.days.get(rid)
    registered_sessions = attendance.sessions.get(rid)
    return ParticipantRow(
        rid,
        code,
        order_code or "",
        title or "",
        first or "",
        last or "",
        org or "",
        function or "",
        email or "",
        category_key,
        category_name,
        str(getattr(status, "value", status)),
        source or "",
        purged is not None,
        frozenset(registered_days) if registered_days else _EMPTY_IDS,
        frozenset(registered_sessions) if registered_sessions else _EMPTY_IDS,
        attendance.first_seen.get(rid, _EMPTY_TIMES),
        attendance.attended.get(rid, _EMPTY_TIMES),
        bool(raw[13]),
    )


def _categories(event: EventInfo) -> dict[int | None, tuple[str, str]]:
    return {c.id: (c.key, c.name) for c in event.categories}


class Participants:
    """The registrations the filters select, sorted by name in German order, ready to stream.

    The registration columns are read in one query (plain tuples, ~0.5 kB each); the rows
    with their attendance are built while iterating. At ``BULK_THRESHOLD`` registrations and
    more, attendance is read in one pass per table, below per chunk of ids.
    """

    def __init__(self, session: Session, event: EventInfo, resolved: ResolvedFilters) -> None:
        self._session = session
        self._event = event
        wanted = resolved.organisation_key
        keyed = []
        for raw in fetch_plain(session, _filtered_registrations(event, resolved)):
            if wanted is not None and organisation_key(raw[6] or "") != wanted:
                continue
            keyed.append((person_sort_key(raw[5] or "", raw[4] or "", raw[1], raw[0]), raw))
        keyed.sort(key=lambda pair: pair[0])
        self._raw = [raw for _key, raw in keyed]

    def __len__(self) -> int:
        return len(self._raw)

    @property
    def ids(self) -> list[int]:
        return [raw[0] for raw in self._raw]

    def __iter__(self) -> Iterator[ParticipantRow]:
        categories = _categories(self._event)
        bulk = (
            _Attendance.load(self._session, self._event, None) if len(self._raw) >= BULK_THRESHOLD else None
        )
        for start in range(0, len(self._raw), CHUNK_SIZE):
            chunk = self._raw[start : start + CHUNK_SIZE]
            attendance = bulk or _Attendance.load(self._session, self._event, [raw[0] for raw in chunk])
            for raw in chunk:
                yield _participant(raw, attendance, categories)


def select_participants(session: Session, event: EventInfo, resolved: ResolvedFilters) -> Participants:
    """The participants the filters select (see ``Participants``)."""
    return Participants(session, event, resolved)


def iter_participants(session: Session, event: EventInfo, ids: Sequence[int]) -> Iterator[ParticipantRow]:
    """The participant rows of ``ids`` in that order, read in chunks."""
    categories = _categories(event)
    bulk = _Attendance.load(session, event, None) if len(ids) >= BULK_THRESHOLD else None
    for chunk in _chunks(ids, CHUNK_SIZE):
        attendance = bulk or _Attendance.load(session, event, chunk)
        found = {
            raw[0]: raw
            for raw in fetch_plain(session, select(*_REGISTRATION_COLUMNS).where(Registration.id.in_(chunk)))
        }
        for registration_id in chunk:
            if registration_id in found:
                yield _participant(found[registration_id], attendance, categories)


def attendance_statistics(
    db: Database,
    event: EventInfo,
    filters: ExportFilters | None = None,
    *,
    progress: Progress | None = None,
) -> AttendanceStatistics:
    """The figures for the whole event (or the filtered part), in one streamed pass over the rows
    (``checkin.domain.statistics.StatisticsAccumulator``)."""
    resolved = resolve_filters(event, filters or ExportFilters())
    accumulator = StatisticsAccumulator(event, resolved.days(event), resolved.sessions(event))
    with db.read() as session:
        participants = select_participants(session, event, resolved)
        for done, row in enumerate(participants, start=1):
            accumulator.add(row)
            if progress is not None and done % CHUNK_SIZE == 0:
                check_cancelled(progress)
                progress.update(done, len(participants), _("Counting attendance…"))
    return accumulator.result()
