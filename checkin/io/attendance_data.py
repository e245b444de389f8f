"""The rows every export, report and list is made of, read from the check-in log.

One query layer for all of them, so the spreadsheet, the CSV, the PDF
report and the signature lists always agree. Nothing here loads ORM
objects: registrations are read as plain column tuples in chunks of ids
(sorted by German collation first), so 100,000 registrations stream through
in constant memory.

Presence rules (the same as the engine's dashboard, ``checkin.domain.stats``):

* A person *arrived* on a day when an entrance check-in of that day is in
  force (not undone); its time is the arrival time. A scan at a session door
  without an entrance check-in records the entrance too (note
  ``auto:<key>``, see ``checkin.domain.checkin_service``), so a workshop
  visit always counts as presence that day.
* A person *attended* a session when a check-in of that session is in force
  (a move to another workshop undoes the old one).
* A registration without any registered day counts as registered for every
  day (hand-made lists often have no day columns).

Reads run in their own snapshot. On SQLite that is a *deferred* transaction
on a separate connection, not the ``BEGIN IMMEDIATE`` every desk write uses,
so a long export never holds the write lock and the desks keep scanning.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, create_engine, event, exists, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from checkin.domain.attendance import in_force_condition, undone_condition
from checkin.domain.db import Database, configure_sqlite_reader
from checkin.domain.errors import UserError
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.models import (
    CheckInLogEntry,
    LogAction,
    Registration,
    RegistrationStatus,
    registration_days,
    registration_sessions,
)
from checkin.domain.names import display_name
from checkin.domain.people import PERSON_COLUMNS
from checkin.domain.progress import Progress, check_cancelled
from checkin.i18n import _

CHUNK_SIZE = 2000
ARRIVAL_BUCKET_MINUTES = 15


class ExportError(UserError):
    """An export cannot be made as asked; the message is for the user."""


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class ExportFilters:
    """Which registrations (and log rows) an export holds; ``None`` means no restriction.

    ``day``: registered for that day or present that day (log: that day only).
    ``session_key``: registered for that session or attended it (log: that session only).
    ``organisation``: exact organisation name, ignoring case and surrounding spaces.
    ``category_key``: the category's key from the event file (e.g. ``speaker``).
    """

    day: dt.date | None = None
    session_key: str | None = None
    organisation: str | None = None
    category_key: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == ExportFilters()


@dataclass(frozen=True)
class ResolvedFilters:
    """Filters checked against the event: ids instead of keys."""

    day: DayInfo | None
    session: SessionInfo | None
    organisation_key: str | None
    category_id: int | None

    def days(self, event: EventInfo) -> tuple[DayInfo, ...]:
        return (self.day,) if self.day else event.days

    def sessions(self, event: EventInfo) -> tuple[SessionInfo, ...]:
        if self.session:
            return (self.session,)
        if self.day:
            return tuple(s for s in event.sessions if s.day_id == self.day.id)
        return event.sessions


def organisation_key(name: str) -> str:
    """The form two spellings of one organisation share: case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def resolve_filters(event: EventInfo, filters: ExportFilters) -> ResolvedFilters:
    """Check ``filters`` against the event; unknown days, sessions or categories are refused."""
    day = None
    if filters.day is not None:
        day = event.day_by_date(filters.day)
        if day is None:
            raise ExportError(
                _("{date} is not a day of this event; its days are {days}.").format(
                    date=filters.day.strftime("%d.%m.%Y"),
                    days=", ".join(d.date.strftime("%d.%m.%Y") for d in event.days),
                )
            )
    session = None
    if filters.session_key:
        session = event.session_by_key(filters.session_key)
        if session is None:
            raise ExportError(
                _("There is no session '{key}' in this event; its sessions are: {keys}.").format(
                    key=filters.session_key, keys=", ".join(s.key for s in event.sessions)
                )
            )
    category_id = None
    if filters.category_key:
        category = event.category_by_key(filters.category_key)
        if category is None:
            raise ExportError(
                _("There is no category '{key}' in this event; its categories are: {keys}.").format(
                    key=filters.category_key, keys=", ".join(c.key for c in event.categories)
                )
            )
        category_id = category.id
    org = organisation_key(filters.organisation) if filters.organisation is not None else None
    return ResolvedFilters(day=day, session=session, organisation_key=org, category_id=category_id)


# --------------------------------------------------------------------------- collation

# Letters NFKD does not decompose into base letter + mark (DIN 5007-1 sorts them with their base).
_SORT_SPECIAL = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i", "ŋ": "n"}
)


@functools.lru_cache(maxsize=65536)
def german_sort_key(text: str) -> tuple[str, str]:
    """DIN 5007-1 order ("dictionary" order): Ä sorts with A, ß as ss, case and accents second.

    The second element breaks ties so that the order is total and stable.
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_SORT_SPECIAL))
    base = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return (base.strip(), text)


def person_sort_key(last_name: str, first_name: str, code: str, registration_id: int) -> tuple[Any, ...]:
    """Sort people by last name, then first name; rows without a name (purged) go last, by code."""
    if not last_name and not first_name:
        return (1, german_sort_key(code), (), registration_id)
    return (0, german_sort_key(last_name), german_sort_key(first_name), registration_id)


# --------------------------------------------------------------------------- read snapshot


@contextmanager
def read_session(db: Database) -> Iterator[Session]:
    """A read-only session that does not take the SQLite write lock (see module docstring)."""
    database = db.engine.url.database or ""
    if not db.is_sqlite or database in ("", ":memory:") or database.startswith("file:"):
        # PostgreSQL reads never block writers; an in-memory SQLite has no second connection.
        with db.session_factory() as session:
            yield session
        return
    engine = create_engine(db.url, connect_args={"timeout": 5})
    configure_sqlite_reader(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN DEFERRED")

    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- rows


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
        return not self.registered_day_ids or day_id in self.registered_day_ids

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
                exists().where(
                    registration_days.c.registration_id == Registration.id,
                    registration_days.c.day_id == day_id,
                ),
                ~exists().where(registration_days.c.registration_id == Registration.id),
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
            _raw(CheckInLogEntry.at),
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


def fetch_batches(session: Session, statement: Select[Any], batch: int = 10_000) -> Iterator[list[Any]]:
    """Rows of ``statement`` in batches, as the driver returns them (no SQLAlchemy per-row work).

    Only for statements whose parameters are numbers and fixed keywords (ids, enum values):
    they are rendered inline. Values come back raw: SQLite gives times as ISO text and enums
    as their value (see ``LocalTimes``). About twice as fast as iterating a Result here.
    """
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        cursor.close()


def fetch_plain(session: Session, statement: Select[Any], batch: int = 10_000) -> Iterator[tuple[Any, ...]]:
    """Like ``fetch_batches``, one row at a time."""
    for rows in fetch_batches(session, statement, batch):
        yield from rows


def _raw(column: Any) -> Any:
    """The column without its SQLAlchemy type processing (plain strings from SQLite); much faster."""
    return type_coerce(column, String)


def local_time(value: str | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A stored UTC time (aware, naive or SQLite's text) as naive local time in ``tz``."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz).replace(tzinfo=None)


class LocalTimes:
    """Stored UTC times -> naive local times, with the UTC offset cached per minute (fast)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self._tz = tz
        self._offsets: dict[str, dt.timedelta] = {}

    def __call__(self, value: str | dt.datetime) -> dt.datetime:
        if not isinstance(value, str):
            return local_time(value, self._tz)
        moment = dt.datetime.fromisoformat(value)
        key = value[:16]
        offset = self._offsets.get(key)
        if offset is None:
            offset = moment.replace(tzinfo=dt.UTC).astimezone(self._tz).utcoffset() or dt.timedelta()
            self._offsets[key] = offset
        return moment + offset


_REGISTRATION_COLUMNS = (
    *PERSON_COLUMNS,
    _raw(Registration.status),
    Registration.source,
    _raw(Registration.purged_at),
)


def _participant(
    raw: Sequence[Any], attendance: _Attendance, categories: Mapping[int | None, tuple[str, str]]
) -> ParticipantRow:
    """A participant row from a raw registration tuple (``_REGISTRATION_COLUMNS``) and attendance."""
    rid, code, order_code, title, first, last, org, function, email, category_id, status, source, purged = raw
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


# --------------------------------------------------------------------------- log


class LogRow(NamedTuple):
    """One row of the check-in log, joined with who it was (local, naive time)."""

    at: dt.datetime
    day: dt.date
    session_key: str | None  # None: entrance
    session_title: str
    action: str  # "check_in" / "undo"
    in_force: bool  # a check-in not undone (always False for an undo row)
    note: str
    desk: str
    registration_id: int
    code: str
    title: str
    first_name: str
    last_name: str
    organisation: str

    @property
    def display_name(self) -> str:
        return display_name(self.title, self.first_name, self.last_name)


def _log_query(event: EventInfo, resolved: ResolvedFilters) -> Select[Any]:
    undone = undone_condition().label("undone")
    query = (
        select(
            _raw(CheckInLogEntry.at),
            CheckInLogEntry.day_id,
            CheckInLogEntry.session_id,
            _raw(CheckInLogEntry.action),
            CheckInLogEntry.note,
            CheckInLogEntry.desk,
            CheckInLogEntry.registration_id,
            undone,
            Registration.code,
            Registration.title,
            Registration.first_name,
            Registration.last_name,
            Registration.organisation,
        )
        .join(Registration, Registration.id == CheckInLogEntry.registration_id)
        .where(CheckInLogEntry.event_id == event.id)
        .order_by(CheckInLogEntry.at, CheckInLogEntry.id)
    )
    if resolved.day is not None:
        query = query.where(CheckInLogEntry.day_id == resolved.day.id)
    if resolved.session is not None:
        query = query.where(CheckInLogEntry.session_id == resolved.session.id)
    if resolved.category_id is not None:
        query = query.where(Registration.category_id == resolved.category_id)
    return query


def count_log_rows(session: Session, event: EventInfo, resolved: ResolvedFilters) -> int:
    """How many log rows the filters select (organisation filter ignored: an upper bound)."""
    subquery = _log_query(event, resolved).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


def iter_log(session: Session, event: EventInfo, resolved: ResolvedFilters) -> Iterator[LogRow]:
    """Every check-in and undo (in time order) that the filters select, streamed."""
    to_local = LocalTimes(event.tz)
    days = {d.id: d.date for d in event.days}
    sessions = {s.id: s for s in event.sessions}
    wanted_org = resolved.organisation_key
    check_in = LogAction.CHECK_IN.value
    for (
        at,
        day_id,
        session_id,
        action,
        note,
        desk,
        registration_id,
        undone,
        code,
        title,
        first,
        last,
        org,
    ) in fetch_plain(session, _log_query(event, resolved)):
        if wanted_org is not None and organisation_key(org or "") != wanted_org:
            continue
        local = to_local(at)
        item = sessions.get(session_id) if session_id is not None else None
        action = str(getattr(action, "value", action))
        yield LogRow(
            local,
            days.get(day_id) or local.date(),
            item.key if item else None,
            item.title if item else "",
            action,
            action == check_in and not undone,
            note or "",
            desk or "",
            registration_id,
            code,
            title or "",
            first or "",
            last or "",
            org or "",
        )


def describe_note(note: str, event: EventInfo) -> str:
    """The log's machine notes (``manual,yz_swapped``, ``moved_to:<key>``...) as words for people."""
    if not note:
        return ""
    words = []
    for part in note.split(","):
        kind, _sep, argument = part.strip().partition(":")
        target = event.session_by_key(argument)
        target_title = target.title if target else argument
        if kind == "moved_to":
            words.append(_("moved to {session}").format(session=target_title))
        elif kind == "moved_from":
            words.append(_("moved from {session}").format(session=target_title))
        elif kind == "auto":
            words.append(_("recorded with the scan at {session}").format(session=target_title))
        else:
            known = {
                "walk_in": _("walk-in"),
                "manual": _("checked in by hand"),
                "yz_swapped": _("code read with Y/Z swapped"),
                "order_code": _("order code scanned"),
            }
            words.append(known.get(part.strip(), part.strip()))
    return "; ".join(w for w in words if w)


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class DayFigures:
    date: dt.date
    label: str
    registered: int  # active registrations for the day
    arrived: int  # everyone present that day (incl. walk-ins, unregistered)
    arrived_registered: int  # of the registered, present
    no_shows: int

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.registered if self.registered else None

    @property
    def unregistered_arrivals(self) -> int:
        return self.arrived - self.arrived_registered


@dataclass(frozen=True)
class SessionFigures:
    key: str
    title: str
    kind: str
    day: dt.date
    start: dt.time | None
    room: str
    capacity: int | None
    registered: int
    attended: int
    attended_registered: int

    @property
    def no_shows(self) -> int:
        return self.registered - self.attended_registered

    @property
    def utilisation(self) -> float | None:
        return self.attended / self.capacity if self.capacity else None


@dataclass(frozen=True)
class CategoryFigures:
    key: str
    name: str
    registered: int  # active
    cancelled: int
    arrived: int  # present on at least one day


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

    def __init__(self, event: EventInfo, resolved: ResolvedFilters) -> None:
        self._event = event
        self._days = resolved.days(event)
        self._sessions = resolved.sessions(event)
        self.registrations = 0
        self.active = 0
        self.cancelled = 0
        self.walk_ins = 0
        self.arrived_any = 0
        self._day = {d.id: [0, 0, 0] for d in self._days}  # registered, arrived, arrived_registered
        self._session = {s.id: [0, 0, 0] for s in self._sessions}  # registered, attended, att. registered
        self._category: dict[str, list[int]] = {}
        self._arrivals: dict[tuple[dt.date, dt.time], int] = {}

    def add(self, row: ParticipantRow) -> None:
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
                date=d.date,
                label=d.label,
                registered=self._day[d.id][0],
                arrived=self._day[d.id][1],
                arrived_registered=self._day[d.id][2],
                no_shows=self._day[d.id][0] - self._day[d.id][2],
            )
            for d in self._days
        )
        sessions = tuple(
            SessionFigures(
                key=s.key,
                title=s.title,
                kind=s.kind,
                day=s.day,
                start=s.start,
                room=s.room,
                capacity=s.capacity,
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


def attendance_statistics(
    db: Database,
    event: EventInfo,
    filters: ExportFilters | None = None,
    *,
    progress: Progress | None = None,
) -> AttendanceStatistics:
    """The figures for the whole event (or the filtered part), in one streamed pass."""
    resolved = resolve_filters(event, filters or ExportFilters())
    accumulator = StatisticsAccumulator(event, resolved)
    with read_session(db) as session:
        participants = select_participants(session, event, resolved)
        for done, row in enumerate(participants, start=1):
            accumulator.add(row)
            if progress is not None and done % CHUNK_SIZE == 0:
                check_cancelled(progress)
                progress.update(done, len(participants), _("Counting attendance…"))
    return accumulator.result()


def session_ids_in_order(event: EventInfo, ids: Iterable[int]) -> list[SessionInfo]:
    """Sessions of ``ids`` in programme order."""
    wanted = set(ids)
    return [s for s in event.sessions if s.id in wanted]


__all__ = [
    "AttendanceStatistics",
    "CategoryFigures",
    "DayFigures",
    "ExportError",
    "ExportFilters",
    "LogRow",
    "ParticipantRow",
    "ResolvedFilters",
    "SessionFigures",
    "StatisticsAccumulator",
    "attendance_statistics",
    "count_log_rows",
    "describe_note",
    "german_sort_key",
    "iter_log",
    "iter_participants",
    "ordered_registration_ids",
    "organisation_key",
    "person_sort_key",
    "read_session",
    "resolve_filters",
    "select_participants",
]
