"""Signature lists: attendance lists to sign, for funders that ask for signed lists.

One list per workshop (its registered participants) and one per event day
for the entrance (everyone registered for that day), sorted by last name in
German dictionary order (Ä with A, ß as ss). Each page repeats the header
(event, list, date, time, room) and the table header, and says "Seite x von
y" of its list. Blank rows at the end take people who came unregistered.

Pages are drawn directly on the canvas with fixed row heights (long names
are shortened with an ellipsis), so the page count is known beforehand and
a list of 50,000 names renders quickly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import utcnow
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _
from checkin.io.export_filters import ExportError, ExportFilters, resolve_filters
from checkin.io.outfile import atomic_output
from checkin.io.participants import ParticipantRow, select_participants
from checkin.io.pdf_common import (
    ACCENT,
    ACCENT_LIGHT,
    INK,
    MARGIN,
    MUTED,
    RULE,
    draw_text,
    generated_text,
    page_of,
)
from checkin.presentation.formats import format_date, format_time_range

NO_PROGRESS = NullProgress()
PAGE_WIDTH, PAGE_HEIGHT = A4
ROW_HEIGHT = 9.5 * mm
HEADER_HEIGHT = 34 * mm
TABLE_HEADER_HEIGHT = 7 * mm
FOOTER_HEIGHT = 14 * mm
MIN_BLANK_ROWS = 5
FONT_SIZE = 9.5

# Column widths (number, name, organisation, signature); the signature column takes the rest.
_COLUMN_WIDTHS = (11 * mm, 56 * mm, 52 * mm)


@dataclass(frozen=True)
class SignatureList:
    """One list: what its header says and who is on it."""

    title: str
    date: dt.date
    day_label: str
    time: str
    room: str
    people: tuple[ParticipantRow, ...]


def rows_per_page() -> int:
    usable = PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - TABLE_HEADER_HEIGHT - FOOTER_HEIGHT
    return int(usable // ROW_HEIGHT)


def list_name(row: ParticipantRow) -> str:
    """'Müller, Dr. Anna' — as a list sorted by last name shows it."""
    first = " ".join(p for p in (row.title, row.first_name) if p)
    if row.last_name and first:
        return f"{row.last_name}, {first}"
    return row.last_name or first or row.code


def _time_range(start: dt.time | None, end: dt.time | None) -> str:
    return format_time_range(start, end) if start else ""


def collect_lists(
    db: Database,
    event: EventInfo,
    *,
    session_key: str | None = None,
    day: dt.date | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[SignatureList]:
    """The lists asked for: a session's; a day's entrance list and its workshops; or all of them."""
    resolved = resolve_filters(event, ExportFilters(day=day, session_key=session_key))
    wanted: list[tuple[str, int | None, int]] = []  # (kind, session id, day id)
    if resolved.session is not None:
        wanted.append(("session", resolved.session.id, resolved.session.day_id))
    else:
        for event_day in resolved.days(event):
            wanted.append(("day", None, event_day.id))
            wanted.extend(
                ("session", s.id, event_day.id) for s in event.workshops if s.day_id == event_day.id
            )
    lists: list[SignatureList] = []
    with db.read() as session:
        for number, (kind, session_id, day_id) in enumerate(wanted):
            check_cancelled(progress)
            progress.update(number, len(wanted), _("Collecting signature lists…"))
            day_info = event.day_by_id(day_id)
            assert day_info is not None
            if kind == "session":
                item = event.session_by_id(session_id or 0)
                assert item is not None
                filters = resolve_filters(event, ExportFilters(session_key=item.key))
                people = tuple(
                    r
                    for r in select_participants(session, event, filters)
                    if r.is_active and item.id in r.registered_session_ids
                )
                lists.append(
                    SignatureList(
                        title=item.title,
                        date=day_info.date,
                        day_label=day_info.label,
                        time=_time_range(item.start, item.end),
                        room=item.room,
                        people=people,
                    )
                )
            else:
                filters = resolve_filters(event, ExportFilters(day=day_info.date))
                people = tuple(
                    r
                    for r in select_participants(session, event, filters)
                    if r.is_active and r.registered_for_day(day_id)
                )
                lists.append(
                    SignatureList(
                        title=_("Attendance list – entrance"),
                        date=day_info.date,
                        day_label=day_info.label,
                        time="",
                        room=event.venue,
                        people=people,
                    )
                )
    everyone = [p for item in lists for p in item.people]
    if everyone and all(p.purged for p in everyone):
        raise ExportError(
            _("The personal data of this event has been deleted; signature lists cannot be made any more.")
        )
    return lists


def _draw_page(
    canvas: Canvas,
    event: EventInfo,
    item: SignatureList,
    rows: Sequence[ParticipantRow | None],
    first_number: int,
    page: int,
    pages: int,
    created: str,
) -> None:
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    top = PAGE_HEIGHT - MARGIN
    # Header: event, list title, date / time / room, page.
    draw_text(
        canvas, left, top - 4 * mm, event.name, 9, bold=True, color=ACCENT, width=right - left - 40 * mm
    )
    draw_text(canvas, right, top - 4 * mm, page_of(page, pages), 9, align="right", color=MUTED)
    draw_text(canvas, left, top - 12 * mm, item.title, 14, bold=True, width=right - left)
    details = [item.day_label or format_date(item.date)]
    if item.time:
        details.append(_("{time} h").format(time=item.time))
    if item.room:
        details.append(item.room)
    draw_text(canvas, left, top - 19 * mm, " · ".join(details), 10, color=INK, width=right - left)
    draw_text(
        canvas,
        left,
        top - 25 * mm,
        _("With my signature I confirm that I took part."),
        8.5,
        color=MUTED,
        width=right - left,
    )
    # Table header.
    x_positions = [left]
    for width in _COLUMN_WIDTHS:
        x_positions.append(x_positions[-1] + width)
    table_top = top - HEADER_HEIGHT
    canvas.setFillColor(ACCENT_LIGHT)
    canvas.rect(left, table_top - TABLE_HEADER_HEIGHT, right - left, TABLE_HEADER_HEIGHT, stroke=0, fill=1)
    headers = (_("No."), _("Name"), _("Organisation"), _("Signature"))
    baseline = table_top - TABLE_HEADER_HEIGHT + 2.3 * mm
    for index, text in enumerate(headers):
        column_right = x_positions[index + 1] if index + 1 < len(x_positions) else right
        draw_text(
            canvas,
            x_positions[index] + 1.5 * mm,
            baseline,
            text,
            8.5,
            bold=True,
            width=column_right - x_positions[index] - 3 * mm,
        )
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(left, table_top - TABLE_HEADER_HEIGHT, right, table_top - TABLE_HEADER_HEIGHT)
    # Rows.
    canvas.setLineWidth(0.4)
    y = table_top - TABLE_HEADER_HEIGHT
    for offset, row in enumerate(rows):
        bottom = y - ROW_HEIGHT
        text_y = bottom + ROW_HEIGHT / 2 - FONT_SIZE * 0.35
        number = first_number + offset
        draw_text(
            canvas, x_positions[1] - 2 * mm, text_y, str(number), FONT_SIZE - 1, align="right", color=MUTED
        )
        if row is not None:
            draw_text(
                canvas,
                x_positions[1] + 1.5 * mm,
                text_y,
                list_name(row),
                FONT_SIZE,
                width=_COLUMN_WIDTHS[1] - 3 * mm,
            )
            draw_text(
                canvas,
                x_positions[2] + 1.5 * mm,
                text_y,
                row.organisation,
                FONT_SIZE - 1,
                width=_COLUMN_WIDTHS[2] - 3 * mm,
            )
        canvas.setStrokeColor(RULE)
        canvas.line(left, bottom, right, bottom)
        y = bottom
    canvas.setStrokeColor(RULE)
    for x in x_positions[1:]:
        canvas.line(x, table_top - TABLE_HEADER_HEIGHT, x, y)
    canvas.line(left, table_top, left, y)
    canvas.line(right, table_top, right, y)
    canvas.line(left, table_top, right, table_top)
    # Footer.
    canvas.setStrokeColor(RULE)
    canvas.line(left, MARGIN + 6 * mm, right, MARGIN + 6 * mm)
    draw_text(canvas, left, MARGIN + 1.5 * mm, created, 7.5, color=MUTED, width=(right - left) * 0.7)
    draw_text(canvas, right, MARGIN + 1.5 * mm, page_of(page, pages), 7.5, align="right", color=MUTED)


def render_lists(canvas: Canvas, event: EventInfo, lists: Sequence[SignatureList], created: str) -> int:
    """Draw every list; returns the number of pages."""
    per_page = rows_per_page()
    total_pages = 0
    for item in lists:
        slots = len(item.people) + MIN_BLANK_ROWS
        pages = max(1, math.ceil(slots / per_page))
        rows: list[ParticipantRow | None] = list(item.people) + [None] * (pages * per_page - len(item.people))
        for page in range(pages):
            chunk = rows[page * per_page : (page + 1) * per_page]
            _draw_page(canvas, event, item, chunk, page * per_page + 1, page + 1, pages, created)
            canvas.showPage()
        total_pages += pages
    return total_pages


def write_signature_lists(
    db: Database,
    event: EventInfo,
    out: Path,
    *,
    session_key: str | None = None,
    day: dt.date | None = None,
    progress: Progress = NO_PROGRESS,
    now: dt.datetime | None = None,
) -> int:
    """Write the signature lists to one PDF; returns how many lists it holds."""
    lists = collect_lists(db, event, session_key=session_key, day=day, progress=progress)
    created = generated_text(now or utcnow(), event.tz)
    with atomic_output(out) as temporary:
        canvas = Canvas(str(temporary), pagesize=A4)
        canvas.setTitle(f"{_('Signature lists')} – {event.name}")
        canvas.setAuthor("checkin")
        render_lists(canvas, event, lists, created)
        canvas.save()
    progress.update(len(lists), len(lists), _("Signature lists written."))
    return len(lists)
