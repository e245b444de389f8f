"""The event definition file (TOML): parsing and validation.

See README.md ("The event file") for the format. Everything is checked
before anything is written, and errors say where in the file they are.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checkin.domain.badge_templates import BadgeTemplateError, parse_templates, resolve_images
from checkin.domain.document_options import DocumentOptionsError, parse_document_options
from checkin.domain.errors import UserError
from checkin.i18n import _

_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Room for more people than any venue holds, far below what the database column takes.
MAX_CAPACITY = 1_000_000
# Longest texts the database columns take (PostgreSQL refuses longer ones; SQLite would store them).
_LIMITS = {
    "name": 300,
    "slug": 100,
    "venue": 300,
    "address": 500,
    "timezone": 64,
    "secret": 200,
    "badge_layout": 100,
    "workshop_label": 100,
    "label": 100,
    "key": 100,
    "title": 500,
    "room": 200,
    "speakers": 500,
    "badge_label": 100,
    "colour": 20,
}
_CATEGORY_NAME_LIMIT = 200
# What an image file starts with (PNG, JPEG, GIF, BMP, WebP): a logo must be one of them.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


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


def _text(
    table: dict[str, Any],
    key: str,
    where: str,
    *,
    required: bool = False,
    default: str = "",
    limit: int | None = None,
) -> str:
    value = table.get(key, default)
    if value is None or (required and not str(value).strip()):
        raise EventFileError(_("{where}: '{key}' is missing.").format(where=where, key=key))
    if not isinstance(value, str):
        raise EventFileError(_("{where}: '{key}' must be text.").format(where=where, key=key))
    value = value.strip()
    limit = limit or _LIMITS.get(key)
    if limit is not None and len(value) > limit:
        raise EventFileError(
            _("{where}: '{key}' is longer than {limit} characters.").format(where=where, key=key, limit=limit)
        )
    return value


def _bool(table: dict[str, Any], key: str, where: str) -> bool:
    """A true/false setting; text such as "false" is refused, not taken as true."""
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise EventFileError(
            _("{where}: '{key}' must be true or false (without quotes).").format(where=where, key=key)
        )
    return value


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


def parse_event_definition(
    data: dict[str, Any], *, source: str = "", layout_keys: Collection[str] | None = None
) -> EventDefinition:
    """Validate a parsed TOML document and return the event it describes.

    ``layout_keys`` are the badge layouts the caller can print (the badges know them; the
    domain does not import the badges): when given, an unknown ``badge_layout`` is refused.
    """
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
        if capacity is not None and (
            isinstance(capacity, bool) or not isinstance(capacity, int) or not 0 <= capacity <= MAX_CAPACITY
        ):
            raise EventFileError(
                _("{where}: 'capacity' must be a whole number from 0 to {limit}.").format(
                    where=w, limit=MAX_CAPACITY
                )
            )
        start, end = _time(item.get("start"), w, "start"), _time(item.get("end"), w, "end")
        if start is not None and end is not None and end <= start:
            raise EventFileError(
                _("{where}: the session ends ({end}) before it starts ({start}).").format(
                    where=w, end=end.strftime("%H:%M"), start=start.strftime("%H:%M")
                )
            )
        sessions.append(
            SessionDef(
                key=key,
                title=_text(item, "title", w, required=True),
                kind=kind,
                day=day,
                start=start,
                end=end,
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
                name=_text(item, "name", w, required=True, limit=_CATEGORY_NAME_LIMIT),
                colour=colour,
                badge_label=_text(item, "badge_label", w),
                default=_bool(item, "default", w),
                aliases=tuple(aliases),
            )
        )
    if not categories:
        categories.append(CategoryDef(key="participant", name="Teilnehmer/in", default=True))
    if len({c.key for c in categories}) != len(categories):
        raise EventFileError(_("Two [[categories]] entries have the same key."))
    defaults = [c.key for c in categories if c.default]
    if len(defaults) > 1:
        raise EventFileError(
            _("Only one [[categories]] entry may be the default; these are: {keys}.").format(
                keys=", ".join(defaults)
            )
        )
    if not any(c.default for c in categories):
        first = categories[0]
        categories[0] = CategoryDef(**{**first.__dict__, "default": True})
    try:  # [documents]: options of the signature lists and per-organisation files
        parse_document_options(data.get("documents"))
    except DocumentOptionsError as exc:
        raise EventFileError(str(exc)) from exc
    try:  # [[badge.templates]]: badge designs (drawn by the badges)
        parse_templates(data.get("badge"))
    except BadgeTemplateError as exc:
        raise EventFileError(str(exc)) from exc

    retention_until = _date(retention, where, "retention_until") if retention else None
    if retention_until is not None and retention_until < max(day_dates):
        raise EventFileError(
            _("{where}: 'retention_until' ({date}) is before the end of the event.").format(
                where=where, date=retention_until.isoformat()
            )
        )
    badge_layout = _text(head, "badge_layout", where, default="a6")
    if layout_keys is not None:
        _check_badge_layout(badge_layout, data, layout_keys)
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
        badge_layout=badge_layout,
        workshop_label=_text(head, "workshop_label", where),
        retention_until=retention_until,
        deny_unregistered_session=_bool(head, "deny_unregistered_session", where),
        raw=data,
    )


def _check_badge_layout(key: str, data: dict[str, Any], layout_keys: Collection[str]) -> None:
    """The default badge layout must be a built-in one or a [[badge.sheets]] entry of the file."""
    known = list(layout_keys)
    badge = data.get("badge")
    sheets = badge.get("sheets") if isinstance(badge, dict) else None
    if isinstance(sheets, list):
        known += [str(s.get("key", "")) for s in sheets if isinstance(s, dict)]
    if key.lower() not in {k.lower() for k in known}:
        raise EventFileError(
            _("[event]: unknown badge layout '{name}'. Known layouts: {known}.").format(
                name=key, known=", ".join(known)
            )
        )


def _check_logo(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise EventFileError(_("[badge]: the logo {path} cannot be read.").format(path=path)) from exc
    if not (head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")):
        raise EventFileError(_("[badge]: the logo {path} is not an image (PNG or JPEG).").format(path=path))


def _check_template_file(path: Path) -> None:
    """A template image, or a PDF page (checked when drawn: a damaged PDF leaves the badge without it)."""
    if path.suffix.lower() != ".pdf" or not path.is_file():
        _check_logo(path)


def load_event_file(path: str | Path, *, layout_keys: Collection[str] | None = None) -> EventDefinition:
    """Read and validate an event TOML file (``layout_keys``: see ``parse_event_definition``)."""
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
    except RecursionError as exc:  # thousands of nested arrays or tables
        raise EventFileError(
            _("{path} is not a valid TOML file: {error}").format(path=path, error=_("nested too deeply"))
        ) from exc
    except OSError as exc:
        raise EventFileError(_("Cannot read {path}: {error}").format(path=path, error=exc.strerror)) from exc
    definition = parse_event_definition(data, source=path.name, layout_keys=layout_keys)
    logo = (
        definition.raw.get("badge", {}).get("logo") if isinstance(definition.raw.get("badge"), dict) else None
    )
    if logo:
        # Relative logo paths are relative to the event file.
        if not isinstance(logo, str):
            raise EventFileError(_("[badge]: 'logo' must be text (a file name)."))
        logo_path = (path.parent / logo).resolve()
        _check_logo(logo_path)
        definition.raw["badge"]["logo"] = str(logo_path)
    resolve_images(
        definition.raw.get("badge"), path.parent, _check_template_file
    )  # template images, likewise
    certificate = definition.raw.get("certificate")
    if isinstance(certificate, dict) and isinstance(certificate.get("signature"), str):
        # A certificate's signature image too (see badges/certificates.py).
        certificate["signature"] = str((path.parent / certificate["signature"]).resolve())
    return definition
