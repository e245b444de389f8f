"""The right-of-access letter (Art. 15 GDPR): what ``person-data`` found, as a PDF a person can read.

The JSON of ``PrivacyService.person_data`` is complete and machine-readable;
this letter says the same in sentences and tables: who holds the data and
why, every stored field of every registration, the days and sessions, each
check-in and badge print, how long the data is kept and which rights the
person has. Dates and times are written by ``checkin.presentation.formats``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from checkin.domain.document_options import DocumentOptions
from checkin.i18n import _
from checkin.io.export_tables import source_text
from checkin.io.outfile import atomic_output
from checkin.io.pdf_common import ACCENT, INK, MARGIN, MUTED, RULE, TABLE_RULES, fonts, markup, write_story
from checkin.presentation.formats import format_date, format_datetime, format_time

CONTENT_WIDTH = A4[0] - 2 * MARGIN - 12  # the frame pads 6 pt on either side


class _Styles:
    def __init__(self) -> None:
        f = fonts()
        self.kicker = ParagraphStyle("kicker", fontName=f.bold, fontSize=9.5, leading=12, textColor=ACCENT)
        self.title = ParagraphStyle("title", fontName=f.bold, fontSize=15, leading=19, textColor=INK)
        self.h2 = ParagraphStyle(
            "h2", fontName=f.bold, fontSize=11.5, leading=14, textColor=INK, spaceBefore=8, spaceAfter=3
        )
        self.body = ParagraphStyle("body", fontName=f.regular, fontSize=9.5, leading=13, textColor=INK)
        self.label = ParagraphStyle("label", fontName=f.bold, fontSize=8.5, leading=11, textColor=MUTED)
        self.cell = ParagraphStyle("cell", fontName=f.regular, fontSize=8.5, leading=11, textColor=INK)
        self.head = ParagraphStyle("head", fontName=f.bold, fontSize=8, leading=10, textColor=INK)


def _moment(value: str | None) -> str:
    return format_datetime(dt.datetime.fromisoformat(value)) if value else "–"


def _day(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else "–"


def _session(item: Mapping[str, Any]) -> str:
    """'Zukunftswerkstatt 1: … (19.09.2024 14:00)'."""
    when = " ".join(p for p in (_day(item.get("day")), item.get("start") or "") if p)
    return f"{item['title']} ({when})"


def _fields_table(pairs: Sequence[tuple[str, str]], styles: _Styles) -> Table:
    data = [[Paragraph(markup(k), styles.label), Paragraph(markup(v or "–"), styles.cell)] for k, v in pairs]
    table = Table(data, colWidths=[CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.7])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _list_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], styles: _Styles
) -> Table:
    data = [[Paragraph(markup(h, bold=True), styles.head) for h in header]]
    data += [[Paragraph(markup(c), styles.cell) for c in row] for row in rows]
    table = Table(data, colWidths=[CONTENT_WIDTH * w for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle([*TABLE_RULES, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3)])
    )
    return table


def _registration(record: Mapping[str, Any], styles: _Styles, number: int, count: int) -> list[Any]:
    check_in, undo = _("check-in"), _("undo")
    name = " ".join(p for p in (record.get("title"), record.get("first_name"), record.get("last_name")) if p)
    category = record.get("category") or {}
    extra = record.get("extra") or {}
    heading = (
        _("Registration {number} of {count}").format(number=number, count=count)
        if count > 1
        else _("Your registration")
    )
    status = _("cancelled") if record.get("status") == "cancelled" else _("active")
    pairs = [
        (_("Name"), name),
        (_("Organisation"), record.get("organisation") or ""),
        (_("Function"), record.get("function") or ""),
        (_("Email"), record.get("email") or ""),
        (_("Category"), category.get("name", "")),
        (_("Status"), status),
        (_("Code"), record.get("code") or ""),
        (_("Order code"), record.get("order_code") or ""),
        (_("Source"), source_text(record.get("source") or "")),
        (_("Notes"), record.get("notes") or ""),
        *((str(key), str(value)) for key, value in extra.items()),
        (_("Registered on"), _moment(record.get("created_at"))),
        (_("Last changed"), _moment(record.get("updated_at"))),
        (
            _("Days registered"),
            ", ".join(_day(d) for d in record.get("days") or [])
            or (
                _("none (no day ticked in the registration list)")
                if record.get("no_day_ticked")
                else _("every day of the event")
            ),
        ),
        (
            _("Sessions registered"),
            "; ".join(_session(s) for s in record.get("sessions") or []),
        ),
    ]
    story: list[Any] = [
        Paragraph(markup(heading, bold=True), styles.h2),
        _fields_table(pairs, styles),
        Spacer(1, 3 * mm),
    ]
    check_ins = [
        [
            _moment(c["at"]),
            c.get("place_title") or "",
            check_in if c.get("action") == "check_in" else undo,
            c.get("desk") or "",
        ]
        for c in record.get("check_ins") or []
    ]
    story.append(Paragraph(markup(_("Check-ins"), bold=True), styles.label))
    if check_ins:
        story.append(
            _list_table(
                [_("Time"), _("Place"), _("Action"), _("Desk")], check_ins, (0.25, 0.4, 0.15, 0.2), styles
            )
        )
    else:
        story.append(Paragraph(markup(_("None.")), styles.cell))
    prints = [
        [_moment(p["at"]), p.get("layout") or "", p.get("desk") or ""]
        for p in record.get("badge_prints") or []
    ]
    if prints:
        story += [
            Spacer(1, 2 * mm),
            Paragraph(markup(_("Badges printed"), bold=True), styles.label),
            _list_table([_("Time"), _("Layout"), _("Desk")], prints, (0.3, 0.4, 0.3), styles),
        ]
    return story


def build_letter(
    data: Mapping[str, Any], options: DocumentOptions, styles: _Styles | None = None
) -> list[Any]:
    """The story of the letter for ``data`` (the dict ``PrivacyService.person_data`` returns)."""
    styles = styles or _Styles()
    event = data["event"]
    days = [dt.date.fromisoformat(d) for d in event.get("days") or []]
    holder = options.organiser or event["name"]
    registrations = data.get("registrations") or []
    story: list[Any] = [
        Paragraph(markup(holder), styles.kicker),
        Spacer(1, 1.5 * mm),
        Paragraph(markup(_("Information on your personal data (Art. 15 GDPR)"), bold=True), styles.title),
        Spacer(1, 4 * mm),
        Paragraph(
            markup(
                _(
                    "You asked which personal data we store about you for the event {event} ({dates}, "
                    "{venue}). This letter lists all of it; the enclosed JSON file holds the same data "
                    "in a machine-readable form."
                ).format(
                    event=event["name"],
                    dates=", ".join(format_date(d) for d in days),
                    venue=event.get("venue") or "",
                )
            ),
            styles.body,
        ),
        Spacer(1, 2 * mm),
        Paragraph(
            markup(
                _(
                    "Purpose: registration, admission at the entrance and at the sessions, name badges, "
                    "and proof of attendance to the event's funders. The data was entered at "
                    "registration or imported from the registration list; it is not passed on to "
                    "anyone else except as proof of attendance."
                )
            ),
            styles.body,
        ),
    ]
    for number, record in enumerate(registrations, start=1):
        part = _registration(record, styles, number, len(registrations))
        story += [KeepTogether(part[:2]), *part[2:]]  # a heading never ends a page
    retention = event.get("retention_until")
    story += [
        Paragraph(markup(_("How long the data is kept"), bold=True), styles.h2),
        Paragraph(
            markup(
                _("The data is deleted after {date} at the latest.").format(date=_day(retention))
                if retention
                else _("The data is deleted when it is no longer needed as proof of attendance.")
            ),
            styles.body,
        ),
        Paragraph(markup(_("Your rights"), bold=True), styles.h2),
        Paragraph(
            markup(
                _(
                    "You may have wrong data corrected (Art. 16 GDPR), have your data deleted (Art. 17) "
                    "or its use restricted (Art. 18), object to its use (Art. 21), and complain to a data "
                    "protection supervisory authority (Art. 77)."
                )
            ),
            styles.body,
        ),
    ]
    return story


def write_person_letter(path: Path, data: Mapping[str, Any], options: DocumentOptions) -> None:
    """Write the letter for ``data`` (``PrivacyService.person_data``) to ``path``."""
    generated = dt.datetime.fromisoformat(data["generated_at"])
    footer = _("Created on {date} at {time}").format(date=format_date(generated), time=format_time(generated))
    story = build_letter(data, options)
    with atomic_output(path) as temporary:
        title = _("Information on your personal data (Art. 15 GDPR)")
        write_story(temporary, story, title=title, footer=footer)
