"""One file per organisation (e.g. each Jobcenter): its people and what they attended.

The files go to employers, so they hold what an employer may see: names,
function, category, presence and sessions; codes, e-mail addresses and the
registration source only when asked (``with_email``, ``with_codes``).

Organisations are grouped ignoring case and extra spaces, and aliases merge
other spellings ("JC Köln" = "Jobcenter Köln", from the event file's
``[documents.organisation_aliases]`` or the command line); the file is named
after the alias target, else the spelling most registrations use. File names keep umlauts and
other letters but lose everything a file system or Windows refuses
(``/ \\ : * ? " < > |``, control characters, trailing dots, reserved names
like ``CON``); two organisations that end up with the same name get
" (2)", " (3)"...
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from checkin.domain.collation import german_key, list_name_parts, person_sort_key
from checkin.domain.db import Database
from checkin.domain.document_options import document_options
from checkin.domain.events import EventInfo
from checkin.domain.models import Registration, utcnow
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _, ngettext
from checkin.io.export_csv import DIALECTS, write_rows
from checkin.io.export_filters import ExportError, ResolvedFilters, organisation_key
from checkin.io.export_tables import Column, participant_columns, safe_values, status_text
from checkin.io.outfile import atomic_output
from checkin.io.participants import ParticipantRow, iter_participants
from checkin.io.pdf_common import (
    INK,
    MARGIN,
    MUTED,
    TABLE_RULES,
    fonts,
    generated_text,
    markup,
    shaded_rows,
    text_width,
    write_story,
)
from checkin.io.xlsx_stream import XlsxStreamWriter
from checkin.presentation.formats import format_number, format_short_date, format_time

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
    name: str  # the alias target, else the spelling most of its registrations use ("" for none)
    registration_ids: tuple[int, ...]  # in German name order


def parse_aliases(texts: Sequence[str]) -> dict[str, str]:
    """``["JC Köln=Jobcenter Köln"]`` -> ``{"JC Köln": "Jobcenter Köln"}`` (command-line ``--alias``)."""
    aliases: dict[str, str] = {}
    for text in texts:
        spelling, sep, target = text.partition("=")
        if not sep or not spelling.strip() or not target.strip():
            raise ExportError(
                _('An alias looks like "JC Köln=Jobcenter Köln", not "{text}".').format(text=text)
            )
        aliases[" ".join(spelling.split())] = " ".join(target.split())
    return aliases


def organisation_groups(
    db: Database, event: EventInfo, aliases: Mapping[str, str] | None = None
) -> list[OrganisationGroup]:
    """Every organisation of the event with its registrations, sorted by name.

    ``aliases`` maps other spellings to the organisation's name (compared ignoring case and spaces).
    """
    targets = {organisation_key(k): v for k, v in (aliases or {}).items()}
    targets.update({organisation_key(v): v for v in (aliases or {}).values()})
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
            if key in targets:
                key = organisation_key(targets[key])
            spellings.setdefault(key, Counter())[" ".join((organisation or "").split())] += 1
            members.setdefault(key, []).append(
                (person_sort_key(last or "", first or "", code, registration_id), registration_id)
            )
    groups = []
    for key, people in members.items():
        people.sort()
        name = targets.get(key) or (spellings[key].most_common(1)[0][0] if key else "")
        groups.append(OrganisationGroup(name=name, registration_ids=tuple(i for _k, i in people)))
    groups.sort(key=lambda g: (g.name == "", german_key(g.name)))
    return groups


@dataclass(frozen=True)
class Privacy:
    """What else a file for an employer may hold: e-mail addresses, codes (and the source)."""

    with_email: bool = False
    with_codes: bool = False


def organisation_columns(event: EventInfo, privacy: Privacy) -> list[Column]:
    """The participant columns an organisation's file shows: no e-mail, code or source unless asked."""
    resolved = ResolvedFilters(day=None, session=None, organisation_key=None, category_id=None)
    hidden = set()
    if not privacy.with_email:
        hidden.add(_("Email"))
    if not privacy.with_codes:
        hidden |= {_("Code"), _("Source")}
    return [c for c in participant_columns(event, resolved) if c.header not in hidden]


_HEAD_SIZE = 8.0
_PADDING = 3.0


def column_widths(
    headers: Sequence[str], weights: Sequence[float], total: float, *, least: Sequence[float] = ()
) -> list[float]:
    """Widths in which no header word has to break: each column at least its widest header word
    (and ``least``); what is left goes to the columns with a weight, in proportion."""
    minimum = [
        max((text_width(word, _HEAD_SIZE, bold=True) for word in header.split()), default=0.0)
        + 2 * _PADDING
        + 1
        for header in headers
    ]
    minimum = [max(m, extra) for m, extra in zip(minimum, [*least, *[0.0] * len(headers)], strict=False)]
    widths = list(minimum)
    spare = total - sum(minimum)
    weight_sum = sum(weights)
    if spare > 0 and weight_sum:
        # Flexible columns get their share of the whole width, but never less than their minimum.
        flexible = [i for i, w in enumerate(weights) if w]
        budget = total - sum(m for i, m in enumerate(minimum) if not weights[i])
        for _round in range(len(flexible)):
            share = {i: budget * weights[i] / sum(weights[j] for j in flexible) for i in flexible}
            short = [i for i in flexible if share[i] < minimum[i]]
            if not short:
                for i in flexible:
                    widths[i] = share[i]
                break
            for i in short:
                widths[i] = minimum[i]
                budget -= minimum[i]
                flexible.remove(i)
    return widths


def _pdf_for(
    path: Path,
    event: EventInfo,
    organisation: str,
    rows: Sequence[ParticipantRow],
    created: str,
    privacy: Privacy,
) -> None:
    font_set = fonts()
    page = landscape(A4)
    width = page[0] - 2 * MARGIN - 12  # the frame's own padding: 6 pt on either side
    head = ParagraphStyle("head", fontName=font_set.bold, fontSize=_HEAD_SIZE, leading=10, textColor=INK)
    cell = ParagraphStyle("cell", fontName=font_set.regular, fontSize=8.5, leading=10.5, textColor=INK)
    title = ParagraphStyle("title", fontName=font_set.bold, fontSize=16, leading=20, textColor=INK)
    meta = ParagraphStyle("meta", fontName=font_set.regular, fontSize=9.5, leading=13, textColor=MUTED)
    days = event.days
    sessions = event.sessions
    header = [_("Name")]
    weights = [3.0]
    if privacy.with_email:
        header.append(_("Email"))
        weights.append(2.5)
    if privacy.with_codes:
        header.append(_("Code"))
        weights.append(0.0)
    header += [_("Function"), _("Category"), _("Status")]
    weights += [2.5, 0.0, 0.0]
    header += [_("Present {day}").format(day=format_short_date(d.date)) for d in days]
    weights += [0.0] * len(days)
    header += [_("Sessions registered"), _("Sessions attended")]
    weights += [2.5, 2.5]

    def widest_word(texts: Sequence[str]) -> float:
        words = [w for t in texts for w in t.split()]
        return max((text_width(w, 8.5) for w in words), default=0.0) + 2 * _PADDING + 1

    # Cells of the narrow columns keep their words too ("Teilnehmer/in", not "Teilnehm/er/in").
    least = [0.0] * (len(header) - len(days) - 5)
    least += [
        0.0,  # function: flexible
        widest_word([c.name for c in event.categories]),
        widest_word([status_text("active"), status_text("cancelled")]),
    ]
    least += [widest_word(["00:00"])] * len(days)
    widths = column_widths(header, weights, width, least=least)
    data: list[list[object]] = [[Paragraph(markup(h, bold=True), head) for h in header]]
    for row in rows:
        name = ", ".join(p for p in list_name_parts(row.title, row.first_name, row.last_name) if p)
        cells = [name or row.code]
        if privacy.with_email:
            cells.append(row.email)
        if privacy.with_codes:
            cells.append(row.code)
        cells += [row.function, row.category_name, status_text(row.status)]
        for d in days:
            first = row.first_seen.get(d.id)
            cells.append(format_time(first) if first else "–")
        cells.append("; ".join(s.title for s in sessions if s.id in row.registered_session_ids))
        cells.append("; ".join(s.title for s in sessions if s.id in row.attended))
        data.append([Paragraph(markup(str(c)), cell) for c in cells])
    # Tables of at most TABLE_ROWS rows each (header repeated): reportlab splits one huge table
    # across pages in quadratic time.
    tables = []
    for start in range(1, max(len(data), 2), TABLE_ROWS):
        part = [data[0], *data[start : start + TABLE_ROWS]]
        table = Table(part, colWidths=widths, repeatRows=1)
        style: list[tuple[object, ...]] = [
            *TABLE_RULES,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
        ]
        style += shaded_rows(len(part))
        table.setStyle(TableStyle(style))
        tables.append(table)
    present_any = sum(1 for r in rows if r.first_seen)
    summary = ngettext(
        "{count} registration, {present} of them present on at least one day.",
        "{count} registrations, {present} of them present on at least one day.",
        len(rows),
    ).format(count=format_number(len(rows)), present=format_number(present_any))
    story = [
        Paragraph(markup(organisation or _("without organisation"), bold=True), title),
        Spacer(1, 1.5 * mm),
        Paragraph(markup(f"{event.name} · {event.date_range_text()} · {event.venue}"), meta),
        Paragraph(markup(summary), meta),
        Spacer(1, 4 * mm),
        *tables,
    ]

    title = f"{organisation} – {event.name}"
    write_story(path, story, title=title, footer=created, pagesize=page, footer_y=7 * mm)


def write_per_organisation(
    db: Database,
    event: EventInfo,
    out_dir: Path,
    *,
    fmt: str = "xlsx",
    with_email: bool = False,
    with_codes: bool = False,
    aliases: Mapping[str, str] | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[Path]:
    """Write one ``fmt`` file per organisation into ``out_dir``; returns the paths written.

    ``aliases`` (other spelling -> name) add to the event file's ``[documents.organisation_aliases]``.
    """
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
    merged = {**document_options(event.definition).organisation_aliases, **(aliases or {})}
    groups = organisation_groups(db, event, merged)
    privacy = Privacy(with_email=with_email, with_codes=with_codes)
    columns = organisation_columns(event, privacy)
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
                    _pdf_for(temporary, event, group.name, rows, created, privacy)
            written.append(path)
    progress.update(len(groups), len(groups), _("Files per organisation written."))
    return written
