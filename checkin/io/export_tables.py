"""The tables the exports show: headers and cell values, the same for XLSX, CSV and per-organisation files.

Cells are plain Python values (text, numbers, naive local datetimes); each
writer renders them its own way (XLSX: real dates; CSV: formatted text) and
neutralises formula-like text on the way out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from checkin.domain.events import EventInfo, SessionInfo
from checkin.i18n import _
from checkin.io.export_filters import ResolvedFilters
from checkin.io.log_rows import LogRow
from checkin.io.participants import ParticipantRow
from checkin.io.sanitize import safe_cell
from checkin.presentation.conflict_text import conflict_notes
from checkin.presentation.formats import format_short_date
from checkin.presentation.note_text import describe_notes

Cell = str | int | float | dt.datetime | dt.date | dt.time | None


def yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def status_text(status: str) -> str:
    return _("cancelled") if status == "cancelled" else _("active")


def source_text(source: str) -> str:
    kind = source.split(":", 1)[0]
    return {"walk-in": _("walk-in"), "import": _("import"), "demo": _("demo data")}.get(kind, kind)


def session_label(item: SessionInfo) -> str:
    return item.title


def programme_order(event: EventInfo) -> Callable[[str, dt.date, dt.time | None], tuple[Any, ...]]:
    """A sort key for programme items as the programme lists them: by day, then start time
    (untimed items last), then in the event file's order (parallel workshops "1, 2, 3", not by
    their internal keys)."""
    raw = event.definition.get("sessions")
    listed = raw if isinstance(raw, list) else []
    position = {item.get("key"): index for index, item in enumerate(listed) if isinstance(item, dict)}

    def key(session_key: str, day: dt.date, start: dt.time | None) -> tuple[Any, ...]:
        return (day, start is None, start or dt.time(), position.get(session_key, len(position)), session_key)

    return key


def in_programme_order(event: EventInfo, sessions: Sequence[SessionInfo]) -> tuple[SessionInfo, ...]:
    key = programme_order(event)
    return tuple(sorted(sessions, key=lambda s: key(s.key, s.day, s.start)))


@dataclass(frozen=True)
class Column:
    """One column: its header and how to get the cell from a row.

    ``kind``: "text" (neutralised on the way out), "own" (text this program wrote itself, e.g.
    "ja"/"nein": never formula-like, written as is), "datetime", "date" or "number".
    """

    header: str
    value: Callable[[Any], Cell]
    kind: str = "text"


def participant_columns(event: EventInfo, resolved: ResolvedFilters) -> list[Column]:
    """Columns of the participants table: one row per registration."""
    yes, no = _("yes"), _("no")  # translated once, not per cell
    statuses = {"active": _("active"), "cancelled": _("cancelled"), "unpaid": _("not paid")}
    sources: dict[str, str] = {}

    def source(row: ParticipantRow) -> str:
        if row.source not in sources:
            sources[row.source] = source_text(row.source)
        return sources[row.source]

    columns = [
        Column(_("Code"), attrgetter("code")),
        Column(_("Title"), attrgetter("title")),
        Column(_("First name"), attrgetter("first_name")),
        Column(_("Last name"), attrgetter("last_name")),
        Column(_("Organisation"), attrgetter("organisation")),
        Column(_("Function"), attrgetter("function")),
        Column(_("Email"), attrgetter("email")),
        Column(_("Category"), attrgetter("category_name")),
        Column(_("Status"), lambda r: statuses.get(r.status, r.status), "own"),
        Column(_("Source"), source),
    ]
    for day in resolved.days(event):
        label = format_short_date(day.date)

        # The day id is bound as a default so that each column keeps its own day.
        def registered_on(r: ParticipantRow, d: int = day.id) -> str:
            return yes if r.registered_for_day(d) else no

        def present_on(r: ParticipantRow, d: int = day.id) -> str:
            return yes if d in r.first_seen else no

        def first_check_in_on(r: ParticipantRow, d: int = day.id) -> dt.datetime | None:
            return r.first_seen.get(d)

        columns += [
            Column(_("Registered {day}").format(day=label), registered_on, "own"),
            Column(_("Present {day}").format(day=label), present_on, "own"),
            Column(_("First check-in {day}").format(day=label), first_check_in_on, "datetime"),
        ]
    sessions = resolved.sessions(event)

    def registered(row: ParticipantRow) -> str:
        return "; ".join(s.title for s in sessions if s.id in row.registered_session_ids)

    def attended(row: ParticipantRow) -> str:
        return "; ".join(s.title for s in sessions if s.id in row.attended)

    columns += [
        Column(_("Sessions registered"), registered),
        Column(_("Sessions attended"), attended),
    ]
    return columns


def session_member_columns() -> list[Column]:
    """Columns of one session's sheet: everyone registered for it or attending it."""
    yes, no = _("yes"), _("no")
    return [
        Column(_("Last name"), lambda m: m[0].last_name),
        Column(_("First name"), lambda m: m[0].first_name),
        Column(_("Title"), lambda m: m[0].title),
        Column(_("Organisation"), lambda m: m[0].organisation),
        Column(_("Category"), lambda m: m[0].category_name),
        Column(_("Code"), lambda m: m[0].code),
        Column(
            _("Registered"),
            lambda m: yes if m[0].is_active and m[1].id in m[0].registered_session_ids else no,
            "own",
        ),
        Column(_("Attended"), lambda m: yes if m[1].id in m[0].attended else no, "own"),
        Column(_("Check-in time"), lambda m: m[0].attended.get(m[1].id), "datetime"),
    ]


def log_columns(event: EventInfo) -> list[Column]:
    """Columns of the check-in log: every check-in and every undo."""

    entrance, check_in, undo, yes, no = _("Entrance"), _("check-in"), _("undo"), _("yes"), _("no")
    notes: dict[str, str] = {}
    titles = {s.key: s.title for s in event.sessions}

    def note(row: LogRow) -> str:
        if row.note not in notes:
            notes[row.note] = describe_notes(row.note, lambda key: titles.get(key, key))
        if row.conflicts:  # another desk admitted them too while the desks were apart
            return "; ".join(w for w in (notes[row.note], conflict_notes(list(row.conflicts), event.tz)) if w)
        return notes[row.note]

    return [
        Column(_("Time"), lambda r: r.at, "datetime"),
        Column(_("Day"), lambda r: r.day, "date"),
        Column(_("Place"), lambda r: r.session_title or entrance),
        Column(_("Action"), lambda r: check_in if r.action == "check_in" else undo, "own"),
        Column(_("In force"), lambda r: (yes if r.in_force else no) if r.action == "check_in" else "", "own"),
        Column(_("Note"), note),
        Column(_("Desk"), lambda r: r.desk),
        Column(_("Code"), lambda r: r.code),
        Column(_("Name"), lambda r: r.display_name),
        Column(_("Organisation"), lambda r: r.organisation),
    ]


def headers(columns: Sequence[Column]) -> list[str]:
    return [c.header for c in columns]


def values(columns: Sequence[Column], row: Any) -> list[Cell]:
    return [c.value(row) for c in columns]


def safe_values(columns: Sequence[Column]) -> Callable[[Any], list[Cell]]:
    """A function giving a row's cells with every "text" cell neutralised (for XLSX)."""
    getters = [(c.value, c.kind == "text") for c in columns]

    def row_values(row: Any) -> list[Cell]:
        return [safe_cell(get(row)) if is_text else get(row) for get, is_text in getters]

    return row_values
