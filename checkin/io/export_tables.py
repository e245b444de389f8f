"""The tables the exports show: headers and cell values, the same for XLSX, CSV and per-organisation files.

Cells are plain Python values (text, numbers, naive local datetimes); each
writer renders them its own way (XLSX: real dates; CSV: formatted text) and
neutralises formula-like text on the way out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from checkin.domain.events import EventInfo, SessionInfo
from checkin.i18n import _
from checkin.io.attendance_data import LogRow, ParticipantRow, ResolvedFilters, describe_note

Cell = str | int | float | dt.datetime | dt.date | dt.time | None


def yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def status_text(status: str) -> str:
    return _("cancelled") if status == "cancelled" else _("active")


def source_text(source: str) -> str:
    kind = source.split(":", 1)[0]
    return {"walk-in": _("walk-in"), "import": _("import"), "demo": _("demo data")}.get(kind, kind)


def short_date(day: dt.date) -> str:
    return day.strftime("%d.%m.")


def session_label(item: SessionInfo) -> str:
    return item.title


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Cell]


def participant_columns(event: EventInfo, resolved: ResolvedFilters) -> list[Column]:
    """Columns of the participants table: one row per registration."""
    yes, no = _("yes"), _("no")  # translated once, not per cell
    columns = [
        Column(_("Code"), lambda r: r.code),
        Column(_("Title"), lambda r: r.title),
        Column(_("First name"), lambda r: r.first_name),
        Column(_("Last name"), lambda r: r.last_name),
        Column(_("Organisation"), lambda r: r.organisation),
        Column(_("Function"), lambda r: r.function),
        Column(_("Email"), lambda r: r.email),
        Column(_("Category"), lambda r: r.category_name),
        Column(_("Status"), lambda r: status_text(r.status)),
        Column(_("Source"), lambda r: source_text(r.source)),
    ]
    for day in resolved.days(event):
        label = short_date(day.date)
        columns += [
            Column(
                _("Registered {day}").format(day=label),
                lambda r, d=day.id: yes if r.registered_for_day(d) else no,
            ),
            Column(
                _("Present {day}").format(day=label), lambda r, d=day.id: yes if d in r.first_seen else no
            ),
            Column(_("First check-in {day}").format(day=label), lambda r, d=day.id: r.first_seen.get(d)),
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
    return [
        Column(_("Last name"), lambda m: m[0].last_name),
        Column(_("First name"), lambda m: m[0].first_name),
        Column(_("Title"), lambda m: m[0].title),
        Column(_("Organisation"), lambda m: m[0].organisation),
        Column(_("Category"), lambda m: m[0].category_name),
        Column(_("Code"), lambda m: m[0].code),
        Column(_("Registered"), lambda m: yes_no(m[0].is_active and m[1].id in m[0].registered_session_ids)),
        Column(_("Attended"), lambda m: yes_no(m[1].id in m[0].attended)),
        Column(_("Check-in time"), lambda m: m[0].attended.get(m[1].id)),
    ]


def log_columns(event: EventInfo) -> list[Column]:
    """Columns of the check-in log: every check-in and every undo."""

    def place(row: LogRow) -> str:
        return row.session_title or _("Entrance")

    def action(row: LogRow) -> str:
        return _("check-in") if row.action == "check_in" else _("undo")

    return [
        Column(_("Time"), lambda r: r.at),
        Column(_("Day"), lambda r: r.day),
        Column(_("Place"), place),
        Column(_("Action"), action),
        Column(_("In force"), lambda r: yes_no(r.in_force) if r.action == "check_in" else ""),
        Column(_("Note"), lambda r: describe_note(r.note, event)),
        Column(_("Desk"), lambda r: r.desk),
        Column(_("Code"), lambda r: r.code),
        Column(_("Name"), lambda r: r.display_name),
        Column(_("Organisation"), lambda r: r.organisation),
    ]


def headers(columns: Sequence[Column]) -> list[str]:
    return [c.header for c in columns]


def values(columns: Sequence[Column], row: Any) -> list[Cell]:
    return [c.value(row) for c in columns]
