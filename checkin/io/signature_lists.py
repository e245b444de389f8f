"""Signature lists: attendance lists to sign, for funders that ask for signed lists.

One list per workshop (its registered participants) and one per event day
for the entrance (everyone registered for that day), sorted by family name
in German dictionary order (Ä with A, ß as ss, "von Weizsäcker" under W and
shown as "Weizsäcker, Richard von"). The ``attended`` variant lists those who
actually came, with their check-in time, instead of those registered.

Each page repeats the header (event, list, date, time, room, grant
reference) and the table header, says "Seite x von y" of its list and,
when the event file asks for it, the funder. Names and organisations wrap
onto further lines of their row instead of being cut. Blank rows at the end
of a registration list take people who came unregistered; the last page of
each list can carry the organiser's confirmation (``[documents]`` in the
event file, see ``checkin.domain.document_options``).

Pages are drawn directly on the canvas: rows are measured first, so the
page count of each list is known before its first page is drawn, and a list
of 50,000 names renders quickly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from checkin.domain.collation import list_name_parts
from checkin.domain.db import Database
from checkin.domain.document_options import DocumentOptions, document_options
from checkin.domain.events import EventInfo
from checkin.domain.models import utcnow
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _
from checkin.io.export_filters import ExportError, ExportFilters, resolve_filters
from checkin.io.export_tables import in_programme_order
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
    wrap_lines,
)
from checkin.presentation.formats import format_date, format_number, format_time, format_time_range

NO_PROGRESS = NullProgress()
PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
ROW_HEIGHT = 9.5 * mm  # the least a row takes: room for a signature
TABLE_HEADER_HEIGHT = 7 * mm
FOOTER_HEIGHT = 14 * mm
MIN_BLANK_ROWS = 5
FONT_SIZE = 9.5
ORG_SIZE = FONT_SIZE - 1
LEADING = FONT_SIZE * 1.18
ROW_PADDING = 1.6 * mm
CELL_PADDING = 1.5 * mm
CONFIRMATION_HEIGHT = 30 * mm

# Column widths: number, name, organisation (, check-in time); the signature column takes the rest.
_COLUMNS = (10 * mm, 54 * mm, 56 * mm)
_COLUMNS_ATTENDED = (10 * mm, 50 * mm, 50 * mm, 17 * mm)


@dataclass(frozen=True)
class SignatureList:
    """One list: what its header says and who is on it (with the check-in time on an attended list)."""

    title: str
    date: dt.date
    day_label: str
    time: str
    room: str
    people: tuple[ParticipantRow, ...]
    attended: bool = False
    check_ins: tuple[dt.datetime | None, ...] = ()


@dataclass(frozen=True)
class _Row:
    number: int
    name: tuple[str, ...]  # lines
    organisation: tuple[str, ...]
    time: str
    height: float
    blank: bool = False


def rows_per_page() -> int:
    """Single-line rows on a page of a list without grant, funder or confirmation lines."""
    return int(_table_space(_header_lines_height(1, 0), 0) // ROW_HEIGHT)


def list_name(row: ParticipantRow) -> str:
    """'Müller, Dr. Anna', 'Weizsäcker, Richard von' — as a list sorted by family name shows it."""
    family, rest = list_name_parts(row.title, row.first_name, row.last_name)
    if family and rest:
        return f"{family}, {rest}"
    return family or rest or row.code


def _time_range(start: dt.time | None, end: dt.time | None) -> str:
    return format_time_range(start, end) if start else ""


def collect_lists(
    db: Database,
    event: EventInfo,
    *,
    session_key: str | None = None,
    day: dt.date | None = None,
    attended: bool = False,
    progress: Progress = NO_PROGRESS,
) -> list[SignatureList]:
    """The lists asked for: a session's; a day's entrance list and its workshops; or all of them.

    ``attended``: those who checked in (entrance of the day, or the session's door), with the time.
    """
    resolved = resolve_filters(event, ExportFilters(day=day, session_key=session_key))
    wanted: list[tuple[str, int | None, int]] = []  # (kind, session id, day id)
    if resolved.session is not None:
        wanted.append(("session", resolved.session.id, resolved.session.day_id))
    else:
        for event_day in resolved.days(event):
            wanted.append(("day", None, event_day.id))
            wanted.extend(
                ("session", s.id, event_day.id)
                for s in in_programme_order(event, event.workshops)
                if s.day_id == event_day.id
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
                rows = select_participants(session, event, filters)
                if attended:
                    people = tuple(r for r in rows if item.id in r.attended)
                    times = tuple(r.attended[item.id] for r in people)
                else:
                    people = tuple(r for r in rows if r.is_active and item.id in r.registered_session_ids)
                    times = ()
                title, when, room = item.title, _time_range(item.start, item.end), item.room
            else:
                filters = resolve_filters(event, ExportFilters(day=day_info.date))
                rows = select_participants(session, event, filters)
                if attended:
                    people = tuple(r for r in rows if r.present_on(day_id))
                    times = tuple(r.first_seen[day_id] for r in people)
                    title = _("Attendance list – entrance (checked in)")
                else:
                    people = tuple(r for r in rows if r.is_active and r.registered_for_day(day_id))
                    times = ()
                    title = _("Attendance list – entrance")
                when, room = "", event.venue
            lists.append(
                SignatureList(
                    title=title,
                    date=day_info.date,
                    day_label=day_info.label,
                    time=when,
                    room=room,
                    people=people,
                    attended=attended,
                    check_ins=times,
                )
            )
    everyone = [p for item in lists for p in item.people]
    if everyone and all(p.purged for p in everyone):
        raise ExportError(
            _("The personal data of this event has been deleted; signature lists cannot be made any more.")
        )
    return lists


# ---------------------------------------------------------------------------------------- layout
def _columns(item: SignatureList) -> tuple[float, ...]:
    return _COLUMNS_ATTENDED if item.attended else _COLUMNS


def _header_lines_height(title_lines: int, extra_lines: int) -> float:
    """Event line, title lines, details, extra lines (grant reference), the confirming sentence."""
    return 8 * mm + title_lines * 6 * mm + 6 * mm + extra_lines * 5 * mm + 7 * mm


def _footer_height(funder_lines: int) -> float:
    return FOOTER_HEIGHT + funder_lines * 3.4 * mm


def _table_space(header: float, funder_lines: int) -> float:
    return PAGE_HEIGHT - 2 * MARGIN - header - TABLE_HEADER_HEIGHT - _footer_height(funder_lines)


def _measure(item: SignatureList) -> list[_Row]:
    widths = _columns(item)
    name_width = widths[1] - 2 * CELL_PADDING
    org_width = widths[2] - 2 * CELL_PADDING
    rows = []
    for index, person in enumerate(item.people):
        name = tuple(wrap_lines(list_name(person), FONT_SIZE, name_width))
        organisation = tuple(wrap_lines(person.organisation, ORG_SIZE, org_width))
        lines = max(len(name), len(organisation))
        checked_in = item.check_ins[index] if item.attended else None
        rows.append(
            _Row(
                number=index + 1,
                name=name,
                organisation=organisation,
                time=format_time(checked_in) if checked_in else "",
                height=max(ROW_HEIGHT, lines * LEADING + 2 * ROW_PADDING),
            )
        )
    return rows


def _paginate(rows: list[_Row], space: float, *, blanks: int, confirmation: float) -> list[list[_Row]]:
    """Rows per page; registration lists end in at least ``blanks`` blank rows and fill their
    last page with more when it lists people; ``confirmation`` is kept free below the last row
    of the last page."""
    pages: list[list[_Row]] = [[]]
    used = 0.0
    number = len(rows)

    def place(row: _Row) -> None:
        nonlocal used
        if pages[-1] and used + row.height > space + 0.01:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height

    def blank() -> _Row:
        nonlocal number
        number += 1
        return _Row(number=number, name=(), organisation=(), time="", height=ROW_HEIGHT, blank=True)

    for row in rows:
        place(row)
    for _index in range(blanks):
        place(blank())
    if used + confirmation > space:
        pages.append([])
        used = 0.0
    if blanks and any(not row.blank for row in pages[-1]):  # no page of blank rows only
        while used + ROW_HEIGHT + confirmation <= space + 0.01:
            place(blank())
    return pages


# --------------------------------------------------------------------------------------- drawing
@dataclass(frozen=True)
class _Frame:
    """What every page of one list shares."""

    event: EventInfo
    item: SignatureList
    options: DocumentOptions
    title_lines: tuple[str, ...]
    funder_lines: tuple[str, ...]
    header_height: float
    created: str


def _frame(event: EventInfo, item: SignatureList, options: DocumentOptions, created: str) -> _Frame:
    title_lines = tuple(wrap_lines(item.title, 14, CONTENT_WIDTH, bold=True))
    funder_lines = tuple(wrap_lines(options.funder, 7.5, CONTENT_WIDTH)) if options.funder else ()
    extra = 1 if options.grant_reference else 0
    return _Frame(
        event=event,
        item=item,
        options=options,
        title_lines=title_lines,
        funder_lines=funder_lines,
        header_height=_header_lines_height(len(title_lines), extra),
        created=created,
    )


def _draw_header(canvas: Canvas, frame: _Frame, page: int, pages: int) -> None:
    item, left, right = frame.item, MARGIN, PAGE_WIDTH - MARGIN
    y = PAGE_HEIGHT - MARGIN - 4 * mm
    draw_text(canvas, left, y, frame.event.name, 9, bold=True, color=ACCENT, width=CONTENT_WIDTH - 40 * mm)
    draw_text(canvas, right, y, page_of(page, pages), 9, align="right", color=MUTED)
    y -= 2 * mm
    for line in frame.title_lines:
        y -= 6 * mm
        draw_text(canvas, left, y, line, 14, bold=True)
    details = [item.day_label or format_date(item.date)]
    if item.time:
        details.append(_("{time} h").format(time=item.time))
    if item.room:
        details.append(item.room)
    y -= 6 * mm
    draw_text(canvas, left, y, " · ".join(details), 10, width=CONTENT_WIDTH)
    if frame.options.grant_reference:
        y -= 5 * mm
        draw_text(
            canvas,
            left,
            y,
            _("Grant reference: {reference}").format(reference=frame.options.grant_reference),
            9,
            width=CONTENT_WIDTH,
        )
    y -= 5.5 * mm
    sentence = (
        _("Everyone who checked in, with the time of the check-in.")
        if item.attended
        else _("With my signature I confirm that I took part.")
    )
    draw_text(canvas, left, y, sentence, 8.5, color=MUTED, width=CONTENT_WIDTH)


def _headers(item: SignatureList) -> tuple[str, ...]:
    if item.attended:
        return (_("No."), _("Name"), _("Organisation"), _("Check-in"), _("Signature"))
    return (_("No."), _("Name"), _("Organisation"), _("Signature"))


def _draw_table(canvas: Canvas, frame: _Frame, rows: Sequence[_Row]) -> float:
    """The table header and ``rows``; returns the y of the table's bottom edge."""
    item, left, right = frame.item, MARGIN, PAGE_WIDTH - MARGIN
    x_positions = [left]
    for width in _columns(item):
        x_positions.append(x_positions[-1] + width)
    table_top = PAGE_HEIGHT - MARGIN - frame.header_height
    head_bottom = table_top - TABLE_HEADER_HEIGHT
    canvas.setFillColor(ACCENT_LIGHT)
    canvas.rect(left, head_bottom, right - left, TABLE_HEADER_HEIGHT, stroke=0, fill=1)
    for index, text in enumerate(_headers(item)):
        column_right = x_positions[index + 1] if index + 1 < len(x_positions) else right
        draw_text(
            canvas,
            x_positions[index] + CELL_PADDING,
            head_bottom + 2.3 * mm,
            text,
            8.5,
            bold=True,
            width=column_right - x_positions[index] - 2 * CELL_PADDING,
        )
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(left, head_bottom, right, head_bottom)
    canvas.setLineWidth(0.4)
    y = head_bottom
    for row in rows:
        bottom = y - row.height
        lines = max(len(row.name), len(row.organisation), 1)
        # The block of lines sits in the middle of its row; its first baseline:
        first = y - (row.height - lines * LEADING) / 2 - FONT_SIZE * 0.95
        draw_text(
            canvas,
            x_positions[1] - 2 * mm,
            first,
            format_number(row.number),
            FONT_SIZE - 1,
            align="right",
            color=MUTED,
        )
        for offset, line in enumerate(row.name):
            draw_text(canvas, x_positions[1] + CELL_PADDING, first - offset * LEADING, line, FONT_SIZE)
        for offset, line in enumerate(row.organisation):
            draw_text(canvas, x_positions[2] + CELL_PADDING, first - offset * LEADING, line, ORG_SIZE)
        if row.time:
            draw_text(canvas, x_positions[3] + CELL_PADDING, first, row.time, FONT_SIZE)
        canvas.setStrokeColor(RULE)
        canvas.line(left, bottom, right, bottom)
        y = bottom
    canvas.setStrokeColor(RULE)
    for x in x_positions[1:]:
        canvas.line(x, head_bottom, x, y)
    canvas.line(left, table_top, left, y)
    canvas.line(right, table_top, right, y)
    canvas.line(left, table_top, right, table_top)
    return y


def _draw_confirmation(canvas: Canvas, frame: _Frame, top: float) -> None:
    """The organiser's confirmation under the last row: a sentence, then place/date and signature."""
    options, left = frame.options, MARGIN
    text = options.confirmation_text or _(
        "The organiser confirms that the persons listed above took part in this event."
    )
    y = top - 7 * mm
    for line in wrap_lines(text, 9, CONTENT_WIDTH)[:2]:
        draw_text(canvas, left, y, line, 9)
        y -= 4.5 * mm
    line_y = top - CONFIRMATION_HEIGHT + 7 * mm
    half = CONTENT_WIDTH / 2 - 5 * mm
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.5)
    canvas.line(left, line_y, left + half, line_y)
    canvas.line(left + half + 10 * mm, line_y, left + CONTENT_WIDTH, line_y)
    draw_text(canvas, left, line_y - 4 * mm, _("Place, date"), 8, color=MUTED, width=half)
    signer = (
        _("Signature of the organiser ({name})").format(name=options.organiser)
        if options.organiser
        else _("Signature of the organiser")
    )
    draw_text(canvas, left + half + 10 * mm, line_y - 4 * mm, signer, 8, color=MUTED, width=half)


def _draw_footer(canvas: Canvas, frame: _Frame, page: int, pages: int) -> None:
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    rule_y = MARGIN + 6 * mm + len(frame.funder_lines) * 3.4 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(left, rule_y, right, rule_y)
    y = rule_y - 4 * mm
    for line in frame.funder_lines:
        draw_text(canvas, left, y, line, 7.5)
        y -= 3.4 * mm
    draw_text(canvas, left, MARGIN + 1.5 * mm, frame.created, 7.5, color=MUTED, width=CONTENT_WIDTH * 0.7)
    draw_text(canvas, right, MARGIN + 1.5 * mm, page_of(page, pages), 7.5, align="right", color=MUTED)


def render_lists(
    canvas: Canvas,
    event: EventInfo,
    lists: Sequence[SignatureList],
    created: str,
    options: DocumentOptions | None = None,
) -> int:
    """Draw every list; returns the number of pages."""
    options = options or DocumentOptions()
    total_pages = 0
    for item in lists:
        frame = _frame(event, item, options, created)
        space = _table_space(frame.header_height, len(frame.funder_lines))
        confirmation = CONFIRMATION_HEIGHT if options.confirm else 0.0
        pages = _paginate(
            _measure(item),
            space,
            blanks=0 if item.attended else MIN_BLANK_ROWS,
            confirmation=confirmation,
        )
        for number, rows in enumerate(pages, start=1):
            _draw_header(canvas, frame, number, len(pages))
            bottom = _draw_table(canvas, frame, rows)
            if confirmation and number == len(pages):
                _draw_confirmation(canvas, frame, bottom)
            _draw_footer(canvas, frame, number, len(pages))
            canvas.showPage()
        total_pages += len(pages)
    return total_pages


def write_signature_lists(
    db: Database,
    event: EventInfo,
    out: Path,
    *,
    session_key: str | None = None,
    day: dt.date | None = None,
    attended: bool = False,
    progress: Progress = NO_PROGRESS,
    now: dt.datetime | None = None,
) -> int:
    """Write the signature lists to one PDF; returns how many lists it holds."""
    lists = collect_lists(db, event, session_key=session_key, day=day, attended=attended, progress=progress)
    options = document_options(event.definition)
    created = generated_text(now or utcnow(), event.tz)
    with atomic_output(out) as temporary:
        canvas = Canvas(str(temporary), pagesize=A4)
        canvas.setTitle(f"{_('Signature lists')} – {event.name}")
        canvas.setAuthor("checkin")
        render_lists(canvas, event, lists, created, options)
        canvas.save()
    progress.update(len(lists), len(lists), _("Signature lists written."))
    return len(lists)
