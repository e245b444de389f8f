"""One file per organisation (e.g. each Jobcenter): its people and what they attended.

Organisations are grouped ignoring case and extra spaces; the file is named
after the spelling most registrations use. File names keep umlauts and
other letters but lose everything a file system or Windows refuses
(``/ \\ : * ? " < > |``, control characters, trailing dots, reserved names
like ``CON``); two organisations that end up with the same name get
" (2)", " (3)"...
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select

from checkin.domain.collation import german_key, person_sort_key
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import Registration, utcnow
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _
from checkin.io.export_csv import DIALECTS, write_rows
from checkin.io.export_filters import ExportError, ResolvedFilters, organisation_key
from checkin.io.export_tables import participant_columns, safe_values, status_text
from checkin.io.outfile import atomic_output
from checkin.io.participants import ParticipantRow, iter_participants
from checkin.io.pdf_common import (
    INK,
    MARGIN,
    MUTED,
    RULE,
    TABLE_RULES,
    NumberedCanvas,
    draw_text,
    fonts,
    generated_text,
    markup,
    page_of,
    shaded_rows,
)
from checkin.io.xlsx_stream import XlsxStreamWriter
from checkin.presentation.formats import format_short_date, format_time

NO_PROGRESS = NullProgress()
FORMATS = ("xlsx", "csv", "pdf")
MAX_NAME_LENGTH = 120
TABLE_ROWS = 1000

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def safe_file_name(name: str, fallback: str = "organisation") -> str:
    """A file name (without suffix) made from an organisation's name; umlauts stay."""
    text = " ".join(unicodedata.normalize("NFC", name).split())  # tabs, line breaks -> one space
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())
    text = text.strip(" ._")
    if len(text) > MAX_NAME_LENGTH:
        text = text[:MAX_NAME_LENGTH].rstrip(" ._")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


@dataclass(frozen=True)
class OrganisationGroup:
    name: str  # the spelling most of its registrations use ("" for none)
    registration_ids: tuple[int, ...]  # in German name order


def organisation_groups(db: Database, event: EventInfo) -> list[OrganisationGroup]:
    """Every organisation of the event with its registrations, sorted by name."""
    spellings: dict[str, Counter[str]] = {}
    members: dict[str, list[tuple[tuple[object, ...], int]]] = {}
    with db.read() as session:
        query = select(
            Registration.id,
            Registration.organisation,
            Registration.last_name,
            Registration.first_name,
            Registration.code,
        ).where(Registration.event_id == event.id)
        for registration_id, organisation, last, first, code in session.execute(query):
            key = organisation_key(organisation or "")
            spellings.setdefault(key, Counter())[" ".join((organisation or "").split())] += 1
            members.setdefault(key, []).append(
                (person_sort_key(last or "", first or "", code, registration_id), registration_id)
            )
    groups = []
    for key, people in members.items():
        people.sort()
        name = spellings[key].most_common(1)[0][0] if key else ""
        groups.append(OrganisationGroup(name=name, registration_ids=tuple(i for _k, i in people)))
    groups.sort(key=lambda g: (g.name == "", german_key(g.name)))
    return groups


def _pdf_for(
    path: Path, event: EventInfo, organisation: str, rows: Sequence[ParticipantRow], created: str
) -> None:
    font_set = fonts()
    page = landscape(A4)
    width = page[0] - 2 * MARGIN
    head = ParagraphStyle("head", fontName=font_set.bold, fontSize=8, leading=10, textColor=INK)
    cell = ParagraphStyle("cell", fontName=font_set.regular, fontSize=8.5, leading=10.5, textColor=INK)
    title = ParagraphStyle("title", fontName=font_set.bold, fontSize=16, leading=20, textColor=INK)
    meta = ParagraphStyle("meta", fontName=font_set.regular, fontSize=9.5, leading=13, textColor=MUTED)
    days = event.days
    workshops = event.sessions
    header = [_("Name"), _("Function"), _("Category"), _("Status")]
    header += [_("Present {day}").format(day=format_short_date(d.date)) for d in days]
    header += [_("Sessions registered"), _("Sessions attended")]
    data: list[list[object]] = [[Paragraph(markup(h, bold=True), head) for h in header]]
    for row in rows:
        name = ", ".join(
            p for p in (row.last_name, " ".join(x for x in (row.title, row.first_name) if x)) if p
        )
        cells = [name or row.code, row.function, row.category_name, status_text(row.status)]
        for d in days:
            first = row.first_seen.get(d.id)
            cells.append(format_time(first) if first else "–")
        cells.append("; ".join(s.title for s in workshops if s.id in row.registered_session_ids))
        cells.append("; ".join(s.title for s in workshops if s.id in row.attended))
        data.append([Paragraph(markup(str(c)), cell) for c in cells])
    fixed = [0.16, 0.15, 0.08, 0.06] + [0.055] * len(days)
    rest = max(1.0 - sum(fixed), 0.2) / 2
    # Tables of at most TABLE_ROWS rows each (header repeated): reportlab splits one huge table
    # across pages in quadratic time.
    widths = [width * w for w in [*fixed, rest, rest]]
    tables = []
    for start in range(1, max(len(data), 2), TABLE_ROWS):
        part = [data[0], *data[start : start + TABLE_ROWS]]
        table = Table(part, colWidths=widths, repeatRows=1)
        style: list[tuple[object, ...]] = [
            *TABLE_RULES,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        style += shaded_rows(len(part))
        table.setStyle(TableStyle(style))
        tables.append(table)
    present_any = sum(1 for r in rows if r.first_seen)
    story = [
        Paragraph(markup(organisation or _("without organisation"), bold=True), title),
        Spacer(1, 1.5 * mm),
        Paragraph(markup(f"{event.name} · {event.date_range_text()} · {event.venue}"), meta),
        Paragraph(
            markup(
                _("{count} registrations, {present} of them present on at least one day.").format(
                    count=len(rows), present=present_any
                )
            ),
            meta,
        ),
        Spacer(1, 4 * mm),
        *tables,
    ]

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, 11 * mm, page[0] - MARGIN, 11 * mm)
        draw_text(canvas, MARGIN, 7 * mm, created, 7.5, color=MUTED, width=width * 0.6)
        draw_text(canvas, page[0] - MARGIN, 7 * mm, page_of(number, total), 7.5, align="right", color=MUTED)
        canvas.restoreState()

    document = SimpleDocTemplate(
        str(path),
        pagesize=page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
        title=f"{organisation} – {event.name}",
        author="checkin",
    )
    document.build(story, canvasmaker=functools.partial(NumberedCanvas, decorate=decorate))


def write_per_organisation(
    db: Database,
    event: EventInfo,
    out_dir: Path,
    *,
    fmt: str = "xlsx",
    progress: Progress = NO_PROGRESS,
) -> list[Path]:
    """Write one ``fmt`` file per organisation into ``out_dir``; returns the paths written."""
    if fmt not in FORMATS:
        raise ExportError(
            _("Unknown format '{name}'; use one of: {names}.").format(name=fmt, names=", ".join(FORMATS))
        )
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            _("Cannot create the folder {folder}: {error}").format(folder=out_dir, error=exc.strerror or exc)
        ) from exc
    groups = organisation_groups(db, event)
    resolved = ResolvedFilters(day=None, session=None, organisation_key=None, category_id=None)
    columns = participant_columns(event, resolved)
    created = f"{event.name} · {generated_text(utcnow(), event.tz)}"
    taken: set[str] = set()
    written: list[Path] = []
    with db.read() as session:
        for number, group in enumerate(groups):
            check_cancelled(progress)
            progress.update(number, len(groups), _("Writing files per organisation…"))
            base = safe_file_name(group.name, _("without organisation"))
            candidate, counter = base, 2
            while candidate.casefold() in taken:
                candidate = f"{base} ({counter})"
                counter += 1
            taken.add(candidate.casefold())
            path = out_dir / f"{candidate}.{fmt}"
            rows = list(iter_participants(session, event, group.registration_ids))
            if fmt == "csv":
                write_rows(path, columns, rows, DIALECTS["excel-de"])
            elif fmt == "xlsx":
                with atomic_output(path) as temporary, XlsxStreamWriter(temporary, title=group.name) as book:
                    sheet = book.add_sheet(group.name or _("without organisation"))
                    sheet.header([c.header for c in columns])
                    cells = safe_values(columns)
                    for row in rows:
                        sheet.append(cells(row))
            else:
                with atomic_output(path) as temporary:
                    _pdf_for(temporary, event, group.name, rows, created)
            written.append(path)
    progress.update(len(groups), len(groups), _("Files per organisation written."))
    return written
