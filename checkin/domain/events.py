"""Events in the database: loading an event file, and a read-only snapshot for services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.eventfile import EventDefinition, EventFileError
from checkin.domain.models import (
    Category,
    CheckInLogEntry,
    Event,
    EventDay,
    EventSession,
    SessionKind,
    registration_days,
    registration_sessions,
)
from checkin.i18n import _
from checkin.presentation.formats import format_date, format_date_range


class EventNotFoundError(UserError, LookupError):
    """No event (or not the one asked for) is in the database; the message is for the user."""


@dataclass(frozen=True)
class DayInfo:
    id: int
    date: dt.date
    label: str


@dataclass(frozen=True)
class SessionInfo:
    id: int
    key: str
    title: str
    kind: str
    day_id: int
    day: dt.date
    start: dt.time | None
    end: dt.time | None
    room: str
    capacity: int | None
    speakers: str

    @property
    def is_workshop(self) -> bool:
        return self.kind == SessionKind.WORKSHOP.value

    def overlaps(self, other: SessionInfo) -> bool:
        """Same day and overlapping times (sessions without times overlap nothing)."""
        if self.day != other.day or None in (self.start, self.end, other.start, other.end):
            return False
        return self.start < other.end and other.start < self.end  # type: ignore[operator]


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    key: str
    name: str
    colour: str
    badge_label: str
    is_default: bool
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventInfo:
    """Everything about an event that does not change while the doors are open."""

    id: int
    slug: str
    name: str
    venue: str
    address: str
    timezone: str
    secret: str
    badge_layout: str
    workshop_label: str
    retention_until: dt.date | None
    deny_unregistered_session: bool
    days: tuple[DayInfo, ...]
    sessions: tuple[SessionInfo, ...]
    categories: tuple[CategoryInfo, ...]
    definition: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def day_by_date(self, date: dt.date) -> DayInfo | None:
        return next((d for d in self.days if d.date == date), None)

    def day_by_id(self, day_id: int) -> DayInfo | None:
        return next((d for d in self.days if d.id == day_id), None)

    def today(self, now: dt.datetime) -> DayInfo | None:
        """The event day that ``now`` (aware) falls on in the event's time zone, if any."""
        return self.day_by_date(now.astimezone(self.tz).date())

    def session_by_key(self, key: str) -> SessionInfo | None:
        return next((s for s in self.sessions if s.key == key), None)

    def session_by_id(self, session_id: int) -> SessionInfo | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    @property
    def workshops(self) -> tuple[SessionInfo, ...]:
        return tuple(s for s in self.sessions if s.is_workshop)

    def category_by_key(self, key: str) -> CategoryInfo | None:
        return next((c for c in self.categories if c.key == key), None)

    def category_by_id(self, category_id: int | None) -> CategoryInfo | None:
        return next((c for c in self.categories if c.id == category_id), None)

    @property
    def default_category(self) -> CategoryInfo:
        return next((c for c in self.categories if c.is_default), self.categories[0])

    def date_range_text(self) -> str:
        """'19./20.09.2024' style for two adjacent days, else '19.09.2024 – 21.09.2024'."""
        return format_date_range(self.days[0].date, self.days[-1].date)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return value


def event_info(event: Event) -> EventInfo:
    days = tuple(DayInfo(id=d.id, date=d.date, label=d.label) for d in event.days)
    day_dates = {d.id: d.date for d in event.days}
    sessions = tuple(
        SessionInfo(
            id=s.id,
            key=s.key,
            title=s.title,
            kind=s.kind.value if isinstance(s.kind, SessionKind) else str(s.kind),
            day_id=s.day_id,
            day=day_dates[s.day_id],
            start=s.starts_at,
            end=s.ends_at,
            room=s.room,
            capacity=s.capacity,
            speakers=s.speakers,
        )
        for s in sorted(event.sessions, key=lambda s: (day_dates[s.day_id], s.starts_at or dt.time(), s.key))
    )
    categories = tuple(
        CategoryInfo(
            id=c.id,
            key=c.key,
            name=c.name,
            colour=c.colour,
            badge_label=c.badge_label or c.name,
            is_default=c.is_default,
            aliases=tuple(c.aliases or ()),
        )
        for c in event.categories
    )
    return EventInfo(
        id=event.id,
        slug=event.slug,
        name=event.name,
        venue=event.venue,
        address=event.address,
        timezone=event.timezone,
        secret=event.secret,
        badge_layout=event.badge_layout,
        workshop_label=event.workshop_label,
        retention_until=event.retention_until,
        deny_unregistered_session=event.deny_unregistered_session,
        days=days,
        sessions=sessions,
        categories=categories,
        definition=dict(event.definition or {}),
    )


def _load_options():
    return (
        selectinload(Event.days),
        selectinload(Event.sessions),
        selectinload(Event.categories),
    )


class EventService:
    """Creates and updates events from event files and hands out snapshots."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def load_definition(self, definition: EventDefinition) -> EventInfo:
        """Create the event, or update it in place when its slug exists (keeping its secret
        unless the file sets one, so that codes already handed out stay valid)."""
        with self._db.session_factory.begin() as session:
            event = session.scalars(
                select(Event).where(Event.slug == definition.slug).options(*_load_options())
            ).one_or_none()
            if event is None:
                event = Event(slug=definition.slug, secret=definition.secret, definition={})
                session.add(event)
            elif definition.raw.get("event", {}).get("secret"):
                event.secret = definition.secret
            event.name = definition.name
            event.venue = definition.venue
            event.address = definition.address
            event.timezone = definition.timezone
            event.badge_layout = definition.badge_layout
            event.workshop_label = definition.workshop_label
            event.retention_until = definition.retention_until
            event.deny_unregistered_session = definition.deny_unregistered_session
            raw = _jsonable(definition.raw)
            raw.get("event", {}).pop("secret", None)
            event.definition = raw
            session.flush()
            self._sync_days(session, event, definition)
            self._sync_sessions(session, event, definition)
            self._sync_categories(session, event, definition)
            session.flush()
            session.refresh(event)
            return event_info(event)

    def _sync_days(self, session: Session, event: Event, definition: EventDefinition) -> None:
        by_date = {d.date: d for d in event.days}
        for day_def in definition.days:
            day = by_date.pop(day_def.date, None)
            if day is None:
                event.days.append(EventDay(date=day_def.date, label=day_def.label))
            else:
                day.label = day_def.label
        for day in by_date.values():
            in_use = session.scalar(
                select(
                    exists().where(registration_days.c.day_id == day.id)
                    | exists().where(CheckInLogEntry.day_id == day.id)
                )
            )
            if in_use:
                raise EventFileError(
                    _("Day {day} cannot be removed: registrations or check-ins refer to it.").format(
                        day=format_date(day.date)
                    )
                )
            event.days.remove(day)
        session.flush()

    def _sync_sessions(self, session: Session, event: Event, definition: EventDefinition) -> None:
        day_ids = {d.date: d.id for d in event.days}
        by_key = {s.key: s for s in event.sessions}
        for s_def in definition.sessions:
            item = by_key.pop(s_def.key, None)
            if item is None:
                item = EventSession(key=s_def.key)
                event.sessions.append(item)
            item.title = s_def.title
            item.kind = SessionKind(s_def.kind)
            item.day_id = day_ids[s_def.day]
            item.starts_at = s_def.start
            item.ends_at = s_def.end
            item.room = s_def.room
            item.capacity = s_def.capacity
            item.speakers = s_def.speakers
        for item in by_key.values():
            in_use = session.scalar(
                select(
                    exists().where(registration_sessions.c.session_id == item.id)
                    | exists().where(CheckInLogEntry.session_id == item.id)
                )
            )
            if in_use:
                raise EventFileError(
                    _("Session '{key}' cannot be removed: registrations or check-ins refer to it.").format(
                        key=item.key
                    )
                )
            event.sessions.remove(item)

    def _sync_categories(self, session: Session, event: Event, definition: EventDefinition) -> None:
        by_key = {c.key: c for c in event.categories}
        for position, c_def in enumerate(definition.categories):
            item = by_key.pop(c_def.key, None)
            if item is None:
                item = Category(key=c_def.key)
                event.categories.append(item)
            item.name = c_def.name
            item.colour = c_def.colour
            item.badge_label = c_def.badge_label
            item.is_default = c_def.default
            item.position = position
            item.aliases = list(c_def.aliases)
        for item in by_key.values():
            if item.key.startswith("import-"):
                continue  # created by an import for a value of a list: data, not part of the file
            event.categories.remove(item)  # registrations keep NULL (foreign key SET NULL)

    def get(self, slug: str | None = None) -> EventInfo:
        """The event with ``slug``, or the one loaded or changed most recently."""
        with self._db.read() as session:
            query = select(Event).options(*_load_options())
            if slug:
                query = query.where(Event.slug == slug)
            else:
                query = query.order_by(Event.updated_at.desc(), Event.id.desc()).limit(1)
            event = session.scalars(query).one_or_none()
            if event is None:
                if slug:
                    raise EventNotFoundError(
                        _("There is no event '{slug}' in this database.").format(slug=slug)
                    )
                raise EventNotFoundError(
                    _(
                        "No event in this database yet. Load one with 'checkin event load FILE.toml' "
                        "or create the demo with 'checkin demo'."
                    )
                )
            return event_info(event)

    def list_events(self) -> list[tuple[str, str, int]]:
        """(slug, name, number of registrations) for every event."""
        from checkin.domain.models import Registration

        with self._db.read() as session:
            rows = session.execute(
                select(Event.slug, Event.name, func.count(Registration.id))
                .outerjoin(Registration, Registration.event_id == Event.id)
                .group_by(Event.id)
                .order_by(Event.name)
            ).all()
            return [(slug, name, count) for slug, name, count in rows]
