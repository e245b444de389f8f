"""Shared pieces of the export PDFs (report, signature lists, per-organisation lists).

Text goes through the badge engineer's fonts (``checkin.badges.fonts``):
Noto Sans with per-character fallback, so names in any supported script
print instead of empty boxes, and right-to-left names are shaped first.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from checkin.badges.fonts import FontSet, draw_runs, register_fonts, visual_text
from checkin.badges.textfit import ellipsise
from checkin.i18n import _
from checkin.presentation.formats import format_date, format_time

INK = colors.HexColor("#1d2430")
MUTED = colors.HexColor("#5b6472")
RULE = colors.HexColor("#9aa3ad")
ACCENT = colors.HexColor("#1f5fa8")
ACCENT_LIGHT = colors.HexColor("#dde7f3")
ARRIVED = colors.HexColor("#2e7d4f")
CAPACITY = colors.HexColor("#c9ced6")
ROW_SHADE = colors.HexColor("#f3f5f8")

MARGIN = 15 * mm

# The tables of the export PDFs: header row shaded and underlined in the accent colour,
# thin rules between the body rows (each table adds its own alignment and padding).
TABLE_RULES: tuple[tuple[Any, ...], ...] = (
    ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
)


def shaded_rows(row_count: int) -> list[tuple[Any, ...]]:
    """Table style commands that shade every other body row (rows 2, 4, ...; row 0 is the header)."""
    return [("BACKGROUND", (0, index), (-1, index), ROW_SHADE) for index in range(2, row_count, 2)]


def fonts() -> FontSet:
    return register_fonts()


def fit(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """``text`` shaped for drawing and shortened with an ellipsis to fit ``width`` points."""
    return ellipsise(visual_text(text or ""), fonts(), size, width, bold=bold)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of ``text`` as drawn (shaped, with font fallback)."""
    return fonts().string_width(visual_text(text or ""), size, bold)


def _split_word(word: str, size: float, width: float, bold: bool) -> list[str]:
    """A word wider than ``width``: after its hyphens where possible, else between letters."""
    pieces: list[str] = []
    rest = word
    while rest and text_width(rest, size, bold=bold) > width:
        cut = 1
        for index in range(1, len(rest)):
            if unicodedata.combining(rest[index]):
                continue
            if text_width(rest[:index], size, bold=bold) > width:
                break
            cut = index
        hyphen = rest.rfind("-", 1, cut + 1)
        if hyphen > 0:
            cut = hyphen + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def wrap_lines(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points: at spaces, and inside a word
    only when the word alone is too wide (after a hyphen if it has one). Nothing is cut off;
    line breaks in ``text`` are kept. Returns at least one (possibly empty) line."""
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        if text_width(paragraph, size, bold=bold) <= width:  # most names: one measurement
            lines.append(" ".join(paragraph.split()))
            continue
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold=bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _split_word(word, size, width, bold)
            lines.extend(pieces[:-1])
            current = pieces[-1]
        lines.append(current)
    return lines


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    width: float | None = None,
    align: str = "left",
    color: Any = INK,
) -> None:
    """Draw one line with font fallback; ``width`` shortens it, ``align`` is left/right/centre."""
    font_set = fonts()
    shown = fit(text, size, width, bold=bold) if width is not None else visual_text(text or "")
    if align != "left":
        text_width = font_set.string_width(shown, size, bold)
        x = x - text_width if align == "right" else x - text_width / 2
    canvas.setFillColor(color)
    draw_runs(canvas, x, y, shown, font_set, size, bold)


def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for ``text`` with a ``<font>`` per fallback run (for platypus)."""
    font_set = fonts()
    return "".join(
        f'<font name="{font}">{escape(run)}</font>'
        for font, run in font_set.runs(visual_text(text or ""), bold)
    )


def page_of(number: int, total: int) -> str:
    return _("Page {page} of {pages}").format(page=number, pages=total)


def generated_text(now: dt.datetime, tz: Any) -> str:
    return _("Created on {date} at {time}").format(date=format_date(now, tz=tz), time=format_time(now, tz=tz))


class NumberedCanvas(Canvas):
    """A canvas that knows the page count when it decorates: it keeps each page until ``save()``.

    ``decorate(canvas, page_number, page_count)`` draws headers and footers
    (e.g. "Seite 2 von 5") on every page at the end.
    """

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []
        self._decorate = decorate

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


def write_story(
    path: Path,
    story: Sequence[Flowable],
    *,
    title: str,
    footer: str,
    pagesize: tuple[float, float] = A4,
    footer_y: float = 8 * mm,
) -> None:
    """The platypus ``story`` as a PDF at ``path``: margins, and on every page a rule with ``footer``
    on the left and "Page N of M" on the right, ``footer_y`` above the bottom edge."""
    page_w = pagesize[0]

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, footer_y + 4 * mm, page_w - MARGIN, footer_y + 4 * mm)
        draw_text(canvas, MARGIN, footer_y, footer, 7.5, color=MUTED, width=page_w * 0.6)
        draw_text(canvas, page_w - MARGIN, footer_y, page_of(page, pages), 7.5, align="right", color=MUTED)
        canvas.restoreState()

    document = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=footer_y + 10 * mm,
        title=title,
        author="checkin",
    )
    document.build(list(story), canvasmaker=functools.partial(NumberedCanvas, decorate=decorate))
