"""The event definition file (TOML): parsing and validation.

See README.md ("The event file") for the format. Everything is checked
before anything is written, and errors say where in the file they are.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checkin.domain.document_options import DocumentOptionsError, parse_document_options
from checkin.domain.errors import UserError
from checkin.i18n import _

_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


class EventFileError(UserError, ValueError):
    """The event file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class DayDef:
    date: dt.date
    label: str = ""


@dataclass(frozen=True)
class SessionDef:
    key: str
    title: str
    kind: str  # "plenary" | "workshop"
    day: dt.date
    start: dt.time | None = None
    end: dt.time | None = None
    room: str = ""
    capacity: int | None = None
    speakers: str = ""


@dataclass(frozen=True)
class CategoryDef:
    key: str
    name: str
    colour: str = "#1f6feb"
    badge_label: str = ""
    default: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventDefinition:
    slug: str
    name: str
    venue: str
    address: str
    timezone: str
    secret: str
    days: tuple[DayDef, ...]
    sessions: tuple[SessionDef, ...]
    categories: tuple[CategoryDef, ...]
    badge_layout: str = "a6"
    workshop_label: str = ""
    retention_until: dt.date | None = None
    deny_unregistered_session: bool = False
    # Everything else in the file (badge options, label sheets, logo path...).
    raw: dict[str, Any] = field(default_factory=dict)


def _text(table: dict[str, Any], key: str, where: str, *, required: bool = False, default: str = "") -> str:
    value = table.get(key, default)
    if value is None or (required and not str(value).strip()):
        raise EventFileError(_("{where}: '{key}' is missing.").format(where=where, key=key))
    if not isinstance(value, str):
        raise EventFileError(_("{where}: '{key}' must be text.").format(where=where, key=key))
    return value.strip()


def _date(value: Any, where: str, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                pass
    raise EventFileError(_("{where}: '{key}' must be a date like 2024-09-19.").format(where=where, key=key))


def _time(value: Any, where: str, key: str) -> dt.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise EventFileError(_("{where}: '{key}' must be a time like 09:30.").format(where=where, key=key))


def parse_event_definition(data: dict[str, Any], *, source: str = "") -> EventDefinition:
    """Validate a parsed TOML document and return the event it describes."""
    head = data.get("event")
    if not isinstance(head, dict):
        raise EventFileError(_("{where}: the [event] table is missing.").format(where=source or "event"))
    where = "[event]"
    name = _text(head, "name", where, required=True)
    slug = _text(head, "slug", where) or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not _KEY_RE.match(slug):
        raise EventFileError(
            _("{where}: 'slug' may only hold letters, digits, '-', '_' and '.'.").format(where=where)
        )
    timezone = _text(head, "timezone", where, default="Europe/Berlin")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise EventFileError(
            _("{where}: unknown time zone '{tz}'.").format(where=where, tz=timezone)
        ) from exc
    secret = _text(head, "secret", where)
    if not secret:
        secret = secrets.token_urlsafe(24)
    elif len(secret) < 16:
        raise EventFileError(_("{where}: 'secret' must have at least 16 characters.").format(where=where))
    retention = head.get("retention_until")

    days_raw = data.get("days") or []
    if not isinstance(days_raw, list) or not days_raw:
        raise EventFileError(_("The event file needs at least one [[days]] entry."))
    days: list[DayDef] = []
    for index, item in enumerate(days_raw, start=1):
        w = f"[[days]] #{index}"
        if not isinstance(item, dict):
            raise EventFileError(_("{where}: must be a table.").format(where=w))
        days.append(DayDef(date=_date(item.get("date"), w, "date"), label=_text(item, "label", w)))
    day_dates = {d.date for d in days}
    if len(day_dates) != len(days):
        raise EventFileError(_("Two [[days]] entries have the same date."))

    sessions: list[SessionDef] = []
    seen_keys: set[str] = set()
    for index, item in enumerate(data.get("sessions") or [], start=1):
        w = f"[[sessions]] #{index}"
        if not isinstance(item, dict):
            raise EventFileError(_("{where}: must be a table.").format(where=w))
        key = _text(item, "key", w, required=True)
        if not _KEY_RE.match(key) or key in seen_keys:
            raise EventFileError(
                _("{where}: session key '{key}' is invalid or used twice.").format(where=w, key=key)
            )
        seen_keys.add(key)
        kind = _text(item, "kind", w, default="plenary").lower()
        if kind not in ("plenary", "workshop"):
            raise EventFileError(_("{where}: 'kind' must be 'plenary' or 'workshop'.").format(where=w))
        day = _date(item.get("day", days[0].date if len(days) == 1 else None), w, "day")
        if day not in day_dates:
            raise EventFileError(
                _("{where}: day {day} is not one of the event's [[days]].").format(where=w, day=day)
            )
        capacity = item.get("capacity")
        if capacity is not None and (not isinstance(capacity, int) or capacity < 0):
            raise EventFileError(_("{where}: 'capacity' must be a whole number.").format(where=w))
        sessions.append(
            SessionDef(
                key=key,
                title=_text(item, "title", w, required=True),
                kind=kind,
                day=day,
                start=_time(item.get("start"), w, "start"),
                end=_time(item.get("end"), w, "end"),
                room=_text(item, "room", w),
                capacity=capacity,
                speakers=_text(item, "speakers", w),
            )
        )

    categories: list[CategoryDef] = []
    for index, item in enumerate(data.get("categories") or [], start=1):
        w = f"[[categories]] #{index}"
        if not isinstance(item, dict):
            raise EventFileError(_("{where}: must be a table.").format(where=w))
        colour = _text(item, "colour", w, default=item.get("color", "#1f6feb"))
        if not _COLOUR_RE.match(colour):
            raise EventFileError(_("{where}: 'colour' must look like #1f6feb.").format(where=w))
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise EventFileError(_("{where}: 'aliases' must be a list of texts.").format(where=w))
        categories.append(
            CategoryDef(
                key=_text(item, "key", w, required=True),
                name=_text(item, "name", w, required=True),
                colour=colour,
                badge_label=_text(item, "badge_label", w),
                default=bool(item.get("default", False)),
                aliases=tuple(aliases),
            )
        )
    if not categories:
        categories.append(CategoryDef(key="participant", name="Teilnehmer/in", default=True))
    if len({c.key for c in categories}) != len(categories):
        raise EventFileError(_("Two [[categories]] entries have the same key."))
    if not any(c.default for c in categories):
        first = categories[0]
        categories[0] = CategoryDef(**{**first.__dict__, "default": True})
    try:  # [documents]: options of the signature lists and per-organisation files
        parse_document_options(data.get("documents"))
    except DocumentOptionsError as exc:
        raise EventFileError(str(exc)) from exc

    return EventDefinition(
        slug=slug,
        name=name,
        venue=_text(head, "venue", where),
        address=_text(head, "address", where),
        timezone=timezone,
        secret=secret,
        days=tuple(sorted(days, key=lambda d: d.date)),
        sessions=tuple(sessions),
        categories=tuple(categories),
        badge_layout=_text(head, "badge_layout", where, default="a6"),
        workshop_label=_text(head, "workshop_label", where),
        retention_until=_date(retention, where, "retention_until") if retention else None,
        deny_unregistered_session=bool(head.get("deny_unregistered_session", False)),
        raw=data,
    )


def load_event_file(path: str | Path) -> EventDefinition:
    """Read and validate an event TOML file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise EventFileError(_("File not found: {path}").format(path=path)) from exc
    except UnicodeDecodeError as exc:
        raise EventFileError(_("{path} is not a UTF-8 text file.").format(path=path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise EventFileError(
            _("{path} is not a valid TOML file: {error}").format(path=path, error=exc)
        ) from exc
    except OSError as exc:
        raise EventFileError(_("Cannot read {path}: {error}").format(path=path, error=exc.strerror)) from exc
    definition = parse_event_definition(data, source=path.name)
    logo = (
        definition.raw.get("badge", {}).get("logo") if isinstance(definition.raw.get("badge"), dict) else None
    )
    if logo:
        # Relative logo paths are relative to the event file.
        definition.raw["badge"]["logo"] = str((path.parent / logo).resolve())
    return definition
