"""A new event file from plain values: checked field by field, written as TOML, read back.

The "new event" dialog collects an ``EventDraft``; ``check_draft`` says in words what is
wrong at which field (so the window can show it there); ``event_document`` builds the
TOML tables of ``eventfile``'s format and ``toml_text`` writes them (the small subset the
format needs: texts, whole numbers, true/false, dates and lists of texts, escaped as TOML
basic strings). ``write_event_file`` reads its own text back through
``parse_event_definition`` before anything is written, so a file it writes always loads.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checkin.domain.eventfile import (
    _COLOUR_RE,
    _LIMITS,
    MAX_CAPACITY,
    EventDefinition,
    EventFileError,
    parse_event_definition,
)
from checkin.domain.folding import SPELLED_OUT
from checkin.i18n import _

# Colours offered for new categories, in turn (readable as a band behind white text).
CATEGORY_COLOURS = ("#1f5fa8", "#b3261e", "#6a3d9a", "#1b7f3b", "#b35c00", "#00707a")
MAX_DAYS = 14
_CATEGORY_NAME_LIMIT = 200


@dataclass(frozen=True)
class SessionDraft:
    """One programme item as typed: ``capacity`` None is "no limit"."""

    title: str
    day: dt.date
    start: dt.time | None = None
    end: dt.time | None = None
    room: str = ""
    capacity: int | None = None
    kind: str = "plenary"  # or "workshop"


@dataclass(frozen=True)
class CategoryDraft:
    name: str
    colour: str = CATEGORY_COLOURS[0]
    badge_label: str = ""


@dataclass(frozen=True)
class EventDraft:
    """What the "new event" dialog holds; the first category is the default one."""

    name: str
    days: tuple[dt.date, ...]
    venue: str = ""
    address: str = ""
    sessions: tuple[SessionDraft, ...] = ()
    categories: tuple[CategoryDraft, ...] = ()
    timezone: str = "Europe/Berlin"
    badge_layout: str = "a6"
    slug: str = ""  # empty: made from the name

    @property
    def event_slug(self) -> str:
        return self.slug or make_key(self.name, fallback="event")


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field: ``field`` names it ("name", "days", "session.end"...),
    ``index`` the session or category it belongs to (None for the event's own fields)."""

    field: str
    message: str
    index: int | None = None


@dataclass(frozen=True)
class _Checked:
    problems: list[FieldProblem] = field(default_factory=list)

    def add(self, name: str, message: str, index: int | None = None) -> None:
        self.problems.append(FieldProblem(name, message, index))


def make_key(text: str, *, fallback: str) -> str:
    """A key for the file from a name: "Zukunftswerkstatt Süd" -> "zukunftswerkstatt-sued"."""
    folded = "".join(SPELLED_OUT.get(ch, ch) for ch in text.strip())
    folded = folded.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    folded = folded.replace("Ä", "ae").replace("Ö", "oe").replace("Ü", "ue")
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return key or fallback


def _unique(keys: Iterable[str]) -> list[str]:
    """The keys with a number added where one repeats ("ws", "ws-2")."""
    seen: set[str] = set()
    result = []
    for key in keys:
        candidate, number = key, 1
        while candidate in seen:
            number += 1
            candidate = f"{key}-{number}"
        seen.add(candidate)
        result.append(candidate)
    return result


def _too_long(value: str, limit: int) -> str:
    return _("At most {limit} characters (now {count}).").format(limit=limit, count=len(value))


def check_draft(draft: EventDraft, *, existing_slugs: Collection[str] = ()) -> list[FieldProblem]:
    """Every problem of the draft, each at its field; an empty list when it can be written."""
    checked = _Checked()
    if not draft.name.strip():
        checked.add("name", _("The event needs a name."))
    elif len(draft.name.strip()) > _LIMITS["name"]:
        checked.add("name", _too_long(draft.name.strip(), _LIMITS["name"]))
    elif draft.event_slug in existing_slugs:
        checked.add(
            "name",
            _("This database already holds an event '{slug}': choose another name.").format(
                slug=draft.event_slug
            ),
        )
    for name in ("venue", "address"):
        value = getattr(draft, name).strip()
        if len(value) > _LIMITS[name]:
            checked.add(name, _too_long(value, _LIMITS[name]))
    if not draft.days:
        checked.add("days", _("The event needs at least one day."))
    elif len(set(draft.days)) != len(draft.days):
        checked.add("days", _("A day is given twice."))
    elif len(draft.days) > MAX_DAYS:
        checked.add("days", _("At most {count} days.").format(count=MAX_DAYS))
    for index, session in enumerate(draft.sessions):
        title = session.title.strip()
        if not title:
            checked.add("session.title", _("The session needs a title."), index)
        elif len(title) > _LIMITS["title"]:
            checked.add("session.title", _too_long(title, _LIMITS["title"]), index)
        if session.day not in draft.days:
            checked.add("session.day", _("This day is not one of the event's days."), index)
        if session.start is not None and session.end is not None and session.end <= session.start:
            checked.add("session.end", _("The session must end after it starts."), index)
        if len(session.room.strip()) > _LIMITS["room"]:
            checked.add("session.room", _too_long(session.room.strip(), _LIMITS["room"]), index)
        if session.capacity is not None and not 0 <= session.capacity <= MAX_CAPACITY:
            checked.add(
                "session.capacity",
                _("A whole number from 0 to {limit}.").format(limit=MAX_CAPACITY),
                index,
            )
        if session.kind not in ("plenary", "workshop"):
            checked.add("session.kind", _("Plenary or workshop."), index)
    if not draft.categories:
        checked.add("categories", _("The event needs at least one category."))
    names: dict[str, int] = {}
    for index, category in enumerate(draft.categories):
        name = category.name.strip()
        if not name:
            checked.add("category.name", _("The category needs a name."), index)
        elif len(name) > _CATEGORY_NAME_LIMIT:
            checked.add("category.name", _too_long(name, _CATEGORY_NAME_LIMIT), index)
        elif make_key(name, fallback="category") in names:
            checked.add("category.name", _("Two categories have this name."), index)
        else:
            names[make_key(name, fallback="category")] = index
        if not _COLOUR_RE.match(category.colour.strip()):
            checked.add("category.colour", _("A colour like #1f5fa8."), index)
        if len(category.badge_label.strip()) > _LIMITS["badge_label"]:
            checked.add(
                "category.badge_label", _too_long(category.badge_label.strip(), _LIMITS["badge_label"]), index
            )
    return checked.problems


def _time_text(value: dt.time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def event_document(draft: EventDraft) -> dict[str, Any]:
    """The TOML tables of the event file for ``draft`` (a secret is made when the file is loaded)."""
    days = sorted(draft.days)
    head: dict[str, Any] = {
        "slug": draft.event_slug,
        "name": draft.name.strip(),
        "venue": draft.venue.strip(),
        "address": draft.address.strip(),
        "timezone": draft.timezone,
        "badge_layout": draft.badge_layout,
        "deny_unregistered_session": False,
    }
    session_keys = _unique(make_key(s.title, fallback="session") for s in draft.sessions)
    sessions = []
    for key, session in zip(session_keys, draft.sessions, strict=True):
        item: dict[str, Any] = {"key": key, "title": session.title.strip(), "kind": session.kind}
        item["day"] = session.day
        for name, value in (("start", _time_text(session.start)), ("end", _time_text(session.end))):
            if value is not None:
                item[name] = value
        if session.room.strip():
            item["room"] = session.room.strip()
        if session.capacity is not None:
            item["capacity"] = session.capacity
        sessions.append(item)
    category_keys = _unique(make_key(c.name, fallback="category") for c in draft.categories)
    categories = []
    for position, (key, category) in enumerate(zip(category_keys, draft.categories, strict=True)):
        entry: dict[str, Any] = {
            "key": key,
            "name": category.name.strip(),
            "badge_label": category.badge_label.strip(),
            "colour": category.colour.strip().lower(),
        }
        if position == 0:
            entry["default"] = True
        categories.append(entry)
    document: dict[str, Any] = {"event": head, "days": [{"date": day} for day in days]}
    if sessions:
        document["sessions"] = sessions
    document["categories"] = categories
    return document


# --------------------------------------------------------------------------- TOML


def _string(value: str) -> str:
    """A TOML basic string: backslash, quote and every control character escaped."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _bare_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, dt.datetime):
        raise TypeError("date-times are not part of the event file")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)) and all(not isinstance(v, dict) for v in value):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def _pairs(table: dict[str, Any]) -> list[str]:
    return [f"{_bare_key(key)} = {_value(value)}" for key, value in table.items()]


def toml_text(document: dict[str, Any], *, comment: str = "") -> str:
    """The document as TOML: top-level tables and arrays of tables holding plain values."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    for key, value in document.items():
        if isinstance(value, dict):
            if lines:
                lines.append("")
            lines.append(f"[{_bare_key(key)}]")
            lines.extend(_pairs(value))
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            for item in value:
                lines.extend(["", f"[[{_bare_key(key)}]]"])
                lines.extend(_pairs(item))
        else:
            raise TypeError(f"top-level '{key}' must be a table or an array of tables")
    return "\n".join(lines) + "\n"


def write_event_file(
    path: str | Path, draft: EventDraft, *, layout_keys: Collection[str] | None = None
) -> EventDefinition:
    """Write ``draft`` as an event file at ``path`` (refused if the file exists) and return what it
    defines, read back from the very text written."""
    path = Path(path)
    text = toml_text(
        event_document(draft),
        comment=_('Event file written by checkin. Format: see README.md, "The event file".'),
    )
    definition = parse_event_definition(tomllib.loads(text), source=path.name, layout_keys=layout_keys)
    try:  # "x": never overwrites an event file; closed by the "with handle" below
        handle = open(path, "x", encoding="utf-8", newline="\n")  # noqa: SIM115
    except FileExistsError as exc:
        raise EventFileError(
            _("The file {path} exists already: choose another name.").format(path=path)
        ) from exc
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:  # a full disk: no half-written event file is left behind
        path.unlink(missing_ok=True)
        raise _write_error(path, exc) from exc
    return definition


def _write_error(path: Path, exc: OSError) -> EventFileError:
    return EventFileError(_("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc))
