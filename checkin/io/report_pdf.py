"""The attendance report: a PDF an organiser can attach to their report to the funder.

Contents: the event (name, venue, dates), key figures, registered vs.
arrived per day with the no-show rate, arrivals per 15 minutes, attendance
per session against capacity, and the categories. Charts are vector
graphics (reportlab.graphics) in the same fonts as the text. All figures
come from ``attendance_statistics`` (the same numbers as the XLSX export).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import utcnow
from checkin.domain.progress import NullProgress, Progress
from checkin.domain.statistics import AttendanceStatistics, SessionFigures
from checkin.i18n import _
from checkin.io.export_tables import programme_order
from checkin.io.outfile import atomic_output
from checkin.io.participants import attendance_statistics
from checkin.io.pdf_common import (
    ACCENT,
    ACCENT_LIGHT,
    ARRIVED,
    CAPACITY,
    INK,
    MARGIN,
    MUTED,
    RULE,
    TABLE_RULES,
    fonts,
    generated_text,
    markup,
    shaded_rows,
    write_story,
)
from checkin.presentation.formats import (
    format_date,
    format_number,
    format_percent,
    format_short_date,
    format_time,
)

NO_PROGRESS = NullProgress()
CONTENT_WIDTH = A4[0] - 2 * MARGIN


def percent(value: float | None) -> str:
    """'12,5 %' in German, '12.5%' in English; '–' when there is nothing to divide by."""
    return format_percent(value, decimals=1)


def number(value: int | None) -> str:
    return format_number(value)


def label_step(slots: int, plot_width: float, label_width: float) -> int:
    """Every how many 15-minute slots a time label goes so that labels never overlap: 1, 2
    (half hours), 4 (hours), 8, 12, 16... slots, the first that leaves a gap between labels."""
    slot_width = plot_width / max(slots, 1)
    for step in (1, 2, 4, 8, 12, 16, 24, 32, 48, 96):
        if step * slot_width >= label_width * 1.25:
            return step
    return 96


def short_title(title: str, limit: int = 34) -> str:
    """Chart label for a session: the part after 'Zukunftswerkstatt 1:' keeps its number."""
    head, sep, tail = title.partition(":")
    if sep and tail.strip():
        digits = "".join(ch for ch in head if ch.isdigit())
        title = f"{digits}. {tail.strip()}" if digits else tail.strip()
    return title if len(title) <= limit else title[: limit - 1] + "…"


class _Styles:
    def __init__(self) -> None:
        f = fonts()
        self.title = ParagraphStyle("title", fontName=f.bold, fontSize=20, leading=24, textColor=INK)
        self.kicker = ParagraphStyle("kicker", fontName=f.bold, fontSize=10, leading=13, textColor=ACCENT)
        self.meta = ParagraphStyle("meta", fontName=f.regular, fontSize=10, leading=14, textColor=MUTED)
        self.h2 = ParagraphStyle(
            "h2", fontName=f.bold, fontSize=13, leading=16, textColor=INK, spaceBefore=8, spaceAfter=4
        )
        self.body = ParagraphStyle("body", fontName=f.regular, fontSize=9, leading=12, textColor=INK)
        self.note = ParagraphStyle(
            "note", fontName=f.regular, fontSize=8, leading=10.5, textColor=MUTED, alignment=TA_LEFT
        )
        self.cell = ParagraphStyle("cell", fontName=f.regular, fontSize=8.5, leading=10.5, textColor=INK)
        self.head = ParagraphStyle("head", fontName=f.bold, fontSize=7.5, leading=9.5, textColor=INK)
        self.head_right = ParagraphStyle("head_right", parent=self.head, alignment=TA_RIGHT)


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    styles: _Styles,
    *,
    numeric_from: int = 1,
) -> Table:
    data: list[list[Any]] = [
        [
            Paragraph(markup(h, bold=True), styles.head if index < numeric_from else styles.head_right)
            for index, h in enumerate(header)
        ]
    ]
    for row in rows:
        data.append(
            [Paragraph(markup(c), styles.cell) if index < numeric_from else c for index, c in enumerate(row)]
        )
    table = Table(data, colWidths=list(widths), repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        *TABLE_RULES,
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("FONTNAME", (0, 1), (-1, -1), fonts().regular),
        ("FONTSIZE", (0, 1), (-1, -1), 8.5),
        ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
    ]
    commands += shaded_rows(len(data))
    table.setStyle(TableStyle(commands))
    return table


def _nice_max(value: float) -> tuple[float, float]:
    """An axis maximum and step that look tidy (1, 2, 5 × 10^n)."""
    value = max(value, 1.0)
    raw_step = value / 5
    magnitude = 10 ** (len(str(int(raw_step))) - 1)
    step = magnitude
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw_step:
            break
    top = step * (int(value / step) + 1)
    return float(top), float(step)


def _count_label(value: float) -> str:
    """A count on a chart (bar label, value axis) as the text writes it: ``1.200`` in German."""
    return format_number(round(value))


def _style_axes(chart: Any, font: str) -> None:
    chart.valueAxis.labelTextFormat = _count_label
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7.5
        axis.labels.fillColor = MUTED
        axis.strokeColor = RULE
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e7ec")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeWidth = 0.4


def _legend(items: Sequence[tuple[Any, str]], x: float, y: float, font: str) -> Legend:
    legend = Legend()
    legend.x, legend.y = x - len(items) * 95, y
    legend.fontName = font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dxTextSpace = 4
    legend.deltax = 95
    legend.dx = legend.dy = 7
    legend.colorNamePairs = list(items)
    legend.strokeColor = None
    return legend


def days_chart(stats: AttendanceStatistics) -> Drawing:
    """Registered vs. arrived, one pair of bars per day."""
    font = fonts().regular
    width, height = CONTENT_WIDTH, 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 32, 22, width - 50, height - 44
    chart.data = [[d.registered for d in stats.days], [d.arrived for d in stats.days]]
    chart.categoryAxis.categoryNames = [d.label or format_date(d.date) for d in stats.days]
    top, step = _nice_max(max((max(row) for row in chart.data if row), default=1))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.bars[0].fillColor = ACCENT_LIGHT
    chart.bars[0].strokeColor = ACCENT
    chart.bars[1].fillColor = ARRIVED
    chart.bars[1].strokeColor = None
    chart.barSpacing = 2
    chart.groupSpacing = 30
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7.5
    chart.barLabels.nudge = 6
    chart.barLabelFormat = _count_label
    _style_axes(chart, font)
    drawing.add(chart)
    drawing.add(
        _legend([(ACCENT_LIGHT, _("registered")), (ARRIVED, _("arrived"))], width - 10, height - 6, font)
    )
    return drawing


def arrivals_chart(stats: AttendanceStatistics, day: dt.date) -> Drawing | None:
    """People arriving per 15 minutes on ``day`` (first entrance check-in)."""
    buckets = [(start, n) for d, start, n in stats.arrivals if d == day]
    if not buckets:
        return None
    first = dt.datetime.combine(day, buckets[0][0])
    last = dt.datetime.combine(day, buckets[-1][0])
    counts = dict(buckets)
    slots = []
    moment = first
    while moment <= last:
        slots.append((moment.time(), counts.get(moment.time(), 0)))
        moment += dt.timedelta(minutes=15)
    font = fonts().regular
    width, height = CONTENT_WIDTH, 55 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 32, 20, width - 44, height - 34
    chart.data = [[n for _start, n in slots]]
    label_size = 7.5
    widest = max(stringWidth(format_time(start), font, label_size) for start, _n in slots)
    every = label_step(len(slots), chart.width, widest)
    # Labels on round times: with a label every hour, at full hours, not at 09:15, 10:15...
    chart.categoryAxis.categoryNames = [
        format_time(start) if (start.hour * 4 + start.minute // 15) % every == 0 else ""
        for start, _n in slots
    ]
    chart.categoryAxis.labels.angle = 0
    top, step = _nice_max(max(n for _s, n in slots))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barSpacing = 0
    chart.groupSpacing = 2 if len(slots) < 40 else 1
    _style_axes(chart, font)
    drawing.add(chart)
    drawing.add(
        String(
            width - 4,
            height - 8,
            _("arrivals per 15 minutes"),
            fontName=font,
            fontSize=8,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
    return drawing


def sessions_chart(sessions: Sequence[SessionFigures]) -> Drawing:
    """Capacity, registered and attended per session (horizontal bars, programme order top-down)."""
    font = fonts().regular
    ordered = list(reversed(sessions))  # HorizontalBarChart draws the first category at the bottom
    row_height = 9 * mm
    width, height = CONTENT_WIDTH, max(45 * mm, row_height * len(ordered) + 28 * mm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    label_width = 62 * mm
    chart.x, chart.y = label_width, 20
    chart.width, chart.height = width - label_width - 14, height - 42
    # Series drawn bottom-up inside a group: attended lowest, capacity on top (legend order).
    chart.data = [
        [s.attended for s in ordered],
        [s.registered for s in ordered],
        [s.capacity or 0 for s in ordered],
    ]
    chart.categoryAxis.categoryNames = [short_title(s.title) for s in ordered]
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    top, step = _nice_max(max((max(row) for row in chart.data if row), default=1))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.bars[2].fillColor = CAPACITY
    chart.bars[1].fillColor = ACCENT_LIGHT
    chart.bars[1].strokeColor = ACCENT
    chart.bars[0].fillColor = ARRIVED
    chart.bars[0].strokeColor = None
    chart.bars[2].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabelFormat = _count_label
    _style_axes(chart, font)
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    drawing.add(chart)
    drawing.add(
        _legend(
            [(CAPACITY, _("capacity")), (ACCENT_LIGHT, _("registered")), (ARRIVED, _("attended"))],
            width - 10,
            height - 6,
            font,
        )
    )
    return drawing


def build_story(event: EventInfo, stats: AttendanceStatistics, now: dt.datetime) -> list[Any]:
    styles = _Styles()
    story: list[Any] = [
        Paragraph(markup(_("Attendance report")), styles.kicker),
        Spacer(1, 2 * mm),
        Paragraph(markup(event.name, bold=True), styles.title),
        Spacer(1, 2 * mm),
        Paragraph(
            markup(" · ".join(p for p in (event.date_range_text(), event.venue, event.address) if p)),
            styles.meta,
        ),
        Paragraph(markup(generated_text(now, event.tz)), styles.meta),
        Spacer(1, 6 * mm),
    ]
    story.append(Paragraph(markup(_("Key figures")), styles.h2))
    key_rows = [
        [_("Registrations"), number(stats.registrations)],
        [_("of them active (not cancelled)"), number(stats.active)],
        [_("cancelled"), number(stats.cancelled)],
        [_("registered on the spot (walk-ins)"), number(stats.walk_ins)],
        [_("present on at least one day"), number(stats.arrived_any_day)],
    ]
    story.append(
        _table([_("Figure"), _("Number")], key_rows, [CONTENT_WIDTH * 0.7, CONTENT_WIDTH * 0.3], styles)
    )
    story.append(Spacer(1, 4 * mm))

    story.append(Paragraph(markup(_("Registered and arrived per day")), styles.h2))
    day_rows = [
        [
            d.label or format_date(d.date),
            number(d.registered),
            number(d.arrived),
            number(d.arrived_registered),
            number(d.unregistered_arrivals),
            number(d.no_shows),
            percent(d.no_show_rate),
        ]
        for d in stats.days
    ]
    widths = [CONTENT_WIDTH * w for w in (0.22, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13)]
    story.append(
        KeepTogether(
            [
                _table(
                    [
                        _("Day"),
                        _("Registered"),
                        _("Arrived"),
                        _("of them registered"),
                        _("without registration"),
                        _("No-shows"),
                        _("No-show rate"),
                    ],
                    day_rows,
                    widths,
                    styles,
                ),
                Spacer(1, 3 * mm),
                days_chart(stats),
                Paragraph(
                    markup(
                        _(
                            "Arrived: an entrance check-in of that day is in force (not undone). No-shows: "
                            "registered for the day (or for no particular day), not cancelled, not arrived."
                        )
                    ),
                    styles.note,
                ),
            ]
        )
    )

    story.append(Paragraph(markup(_("Arrivals per 15 minutes")), styles.h2))
    any_arrivals = False
    for day in stats.days:
        chart = arrivals_chart(stats, day.date)
        if chart is None:
            continue
        any_arrivals = True
        story.append(
            KeepTogether(
                [Paragraph(markup(day.label or format_date(day.date), bold=True), styles.body), chart]
            )
        )
    if not any_arrivals:
        story.append(Paragraph(markup(_("No check-ins yet.")), styles.body))

    story.append(Paragraph(markup(_("Attendance per session against capacity")), styles.h2))
    session_rows = [
        [
            s.title,
            f"{format_short_date(s.day)} {format_time(s.start) if s.start else ''}".strip(),
            s.room,
            number(s.capacity),
            number(s.registered),
            number(s.attended),
            percent(s.occupancy),
        ]
        for s in stats.sessions
    ]
    widths = [CONTENT_WIDTH * w for w in (0.34, 0.10, 0.13, 0.10, 0.11, 0.11, 0.11)]
    story.append(
        _table(
            [
                _("Session"),
                _("Day"),
                _("Room"),
                _("Capacity"),
                _("Registered"),
                _("Attended"),
                _("Utilisation"),
            ],
            session_rows,
            widths,
            styles,
            numeric_from=3,
        )
    )
    charted = [s for s in stats.sessions if s.kind == "workshop"] or [s for s in stats.sessions if s.attended]
    if charted:
        story.append(Spacer(1, 3 * mm))
        story.append(sessions_chart(charted))

    if stats.categories:
        category_rows = [
            [c.name, number(c.registered), number(c.cancelled), number(c.arrived)] for c in stats.categories
        ]
        widths = [CONTENT_WIDTH * w for w in (0.46, 0.18, 0.18, 0.18)]
        story.append(
            KeepTogether(
                [
                    Paragraph(markup(_("Categories")), styles.h2),
                    _table(
                        [_("Category"), _("Registered"), _("Cancelled"), _("Arrived")],
                        category_rows,
                        widths,
                        styles,
                    ),
                ]
            )
        )
    return story


def write_report_pdf(
    db: Database,
    event: EventInfo,
    out: Path,
    *,
    progress: Progress = NO_PROGRESS,
    now: dt.datetime | None = None,
) -> None:
    """Write the attendance report of ``event`` to ``out``."""
    stats = attendance_statistics(db, event, progress=progress)
    order = programme_order(event)
    stats = dataclasses.replace(
        stats, sessions=tuple(sorted(stats.sessions, key=lambda s: order(s.key, s.day, s.start)))
    )
    moment = now or utcnow()
    story = build_story(event, stats, moment)
    with atomic_output(out) as temporary:
        title = f"{_('Attendance report')} – {event.name}"
        write_story(temporary, story, title=title, footer=f"{event.name} · {_('Attendance report')}")
    progress.update(1, 1, _("Report written."))
