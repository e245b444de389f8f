"""Drawing one badge into a rectangle of a reportlab canvas (``pages`` puts badges onto pages).

The renderer reports every box it drew (text lines, QR code, logo, colour
band) so tests can prove that nothing crosses the edge of its badge.

Portrait badges (A6, A7, fold) stack header, name, organisation and
function, with the QR code bottom right and the workshops beside it;
landscape badges (cards, labels) put the QR code on the right of the text.
A colour band with the category label runs along the bottom of both; on
thermal label rolls (``monochrome``) it is an outlined box instead, because a
solid band prints as a black bar there.

Names: the last name is set in bold at least as large as the first name
(people are addressed by it), or, with ``[badge] name_style = "one_line"``,
as "Title First LAST" in one block. Long names wrap to two lines before they
shrink. Small formats keep the organisation at 6 pt or more and the QR code
at 20 mm or more where the badge allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from checkin.badges import elements as elements_draw
from checkin.badges.colours import INK, parse_colour, text_colour_on
from checkin.badges.fonts import FontSet, base_direction, draw_runs, register_fonts, visual_text
from checkin.badges.layouts import MM
from checkin.badges.logo import load_logo
from checkin.badges.qr import draw_qr
from checkin.badges.templates import BadgeTemplate, TemplateBook, TemplateElement, min_qr_square_mm
from checkin.badges.textfit import FittedText, fit_text, wrap

GREY = (0.36, 0.37, 0.40)
RULE = (0.80, 0.81, 0.83)
MIN_SMALL_TEXT = 6.0  # pt: the smallest organisation or function that still reads at arm's length


@dataclass(frozen=True)
class BadgeData:
    """What one badge shows (plain strings, ready to print)."""

    code: str
    first_name: str
    last_name: str
    title: str = ""
    organisation: str = ""
    function: str = ""
    category_label: str = ""
    category_colour: str = "#1f5fa8"
    workshops: tuple[str, ...] = ()
    category_key: str = ""  # chooses the category's template and its ribbons
    pronouns: str = ""
    flags: tuple[str, ...] = ()  # markers the person carries (lower case), e.g. "photo_opt_out"


@dataclass(frozen=True)
class BadgeStyle:
    """What every badge of an event shares."""

    event_name: str
    logo: Path | None = None
    footer: str = ""
    workshop_heading: str = ""
    show_workshops: bool = False
    name_style: str = "stacked"  # or "one_line": "Title First LAST"
    sheet_offset_mm: tuple[float, float] = (0.0, 0.0)  # printer correction for label sheets (right, down)
    templates: tuple[BadgeTemplate, ...] = ()  # the event file's [[badge.templates]]


@dataclass(frozen=True)
class DrawnBox:
    """A rectangle the renderer filled, in points on the page (origin bottom-left)."""

    kind: str
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    badge: tuple[float, float, float, float]  # the badge it belongs to: x0, y0, x1, y1

    def inside_badge(self, tolerance: float = 0.01) -> bool:
        bx0, by0, bx1, by1 = self.badge
        return (
            self.x0 >= bx0 - tolerance
            and self.y0 >= by0 - tolerance
            and self.x1 <= bx1 + tolerance
            and self.y1 <= by1 + tolerance
        )


@dataclass
class _Frame:
    """The rectangle being filled, in points; ``top`` moves down as lines are placed."""

    x: float
    y: float
    w: float
    h: float
    top: float = field(init=False)

    def __post_init__(self) -> None:
        self.top = self.y + self.h


class BadgeRenderer:
    """Draws badges with one ``BadgeStyle``; keeps decoded logo images between badges."""

    def __init__(self, style: BadgeStyle, fonts: FontSet | None = None) -> None:
        self.style = style
        self.fonts = fonts or register_fonts()
        self._logo: ImageReader | None = load_logo(style.logo)
        self._logo_size: tuple[int, int] | None = self._logo.getSize() if self._logo is not None else None
        self.book = TemplateBook(style.templates, style.show_workshops)
        self.boxes: list[DrawnBox] | None = None  # set to [] to collect boxes
        self.drawn_tops: list[float] = []
        self._dry = False  # measuring pass: compute positions, draw nothing
        self._monochrome = False
        self.bleed = 0.0
        self._cut = False  # the last person block cut a name or the organisation

    # -- primitives ---------------------------------------------------------
    def _record(self, kind: str, text: str, x0: float, y0: float, x1: float, y1: float) -> None:
        if self.boxes is not None:
            self.boxes.append(DrawnBox(kind, text, x0, y0, x1, y1, self.badge_rect))

    def record(self, kind: str, text: str, x0: float, y0: float, x1: float, y1: float) -> None:
        """Note a drawn box (for the element drawers of ``elements.py``)."""
        self._record(kind, text, x0, y0, x1, y1)

    def _line_metrics(self, size: float, bold: bool) -> tuple[float, float]:
        """Ascent and descent (positive) of the main face at ``size``."""
        face = pdfmetrics.getFont(self.fonts.bold if bold else self.fonts.regular).face
        return face.ascent * size / 1000, -face.descent * size / 1000

    def _draw_lines(
        self,
        canvas: Canvas,
        fitted: FittedText,
        x: float,
        top: float,
        width: float,
        *,
        kind: str,
        bold: bool = False,
        colour: tuple[float, float, float] = INK,
        align: str = "left",
        leading: float = 1.18,
        tracking: float = 0.0,
    ) -> float:
        """Draw fitted lines from ``top`` down; return the y of the bottom of the last line.

        ``align`` is left, right, center, or start (right when the first strong character is right-to-left).
        """
        size = fitted.size
        ascent, descent = self._line_metrics(size, bold)
        if not self._dry:
            canvas.setFillColorRGB(*colour)
        y = top
        for index, line in enumerate(fitted.lines):
            baseline = y - ascent if index == 0 else y - size * leading + descent
            visual = visual_text(line)
            line_width = self.fonts.string_width(visual, size, bold) + tracking * max(len(visual) - 1, 0)
            if align == "center":
                line_x = x + (width - line_width) / 2
            elif align == "right" or (align == "start" and base_direction(line) == "rtl"):
                line_x = x + width - line_width
            else:
                line_x = x
            y = baseline - descent
            if self._dry:
                continue
            if tracking:
                canvas.saveState()
                text_object = canvas.beginText(line_x, baseline)
                text_object.setCharSpace(tracking)
                for font, run in self.fonts.runs(visual, bold):
                    text_object.setFont(font, size)
                    text_object.textOut(run)
                canvas.drawText(text_object)
                canvas.restoreState()
            else:
                draw_runs(canvas, line_x, baseline, visual, self.fonts, size, bold)
            self._record(kind, line, line_x, baseline - descent, line_x + line_width, baseline + ascent)
        return y

    def _fit(
        self,
        text: str,
        width: float,
        max_size: float,
        min_size: float,
        max_lines: int = 1,
        *,
        bold: bool = False,
        shrink_first: bool = False,
    ) -> FittedText:
        return fit_text(
            text,
            self.fonts,
            width,
            max_size=max_size,
            min_size=min_size,
            max_lines=max_lines,
            bold=bold,
            shrink_before_wrap=shrink_first,
        )

    line_metrics = _line_metrics
    draw_lines = _draw_lines
    fit = _fit

    # -- the badge ---------------------------------------------------------
    def draw(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        width: float,
        height: float,
        data: BadgeData,
        *,
        monochrome: bool = False,
        bleed: float = 0.0,
        layout: str = "",
        side: str = "front",
        elements: Sequence[TemplateElement] | None = None,
    ) -> None:
        """Draw ``side`` of ``data``'s badge into the rectangle (points, origin bottom-left).

        The elements come from the event's template for ``layout`` and the
        person's category, or from the default template (``templates.py``);
        ``elements`` draws these instead (the designer's preview).
        ``monochrome`` is the style for thermal labels: no solid colour, only black lines and text.
        ``bleed`` (points) lets the colour band run that far past the badge's edges, for a print shop
        that trims the sheet.
        """
        if elements is None:
            elements = self.book.elements(
                layout,
                data.category_key,
                side,
                width / MM,
                height / MM,
                data.code,
                has_plan=bool(data.workshops),
            )
        self.badge_rect = (x, y, x + width, y + height)
        self._monochrome = monochrome
        self.bleed = bleed
        canvas.saveState()
        self._draw_elements(canvas, x, y, height, data, elements)
        canvas.restoreState()

    def _draw_elements(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        height: float,
        data: BadgeData,
        elements: Sequence[TemplateElement],
    ) -> None:
        """Each element in its box (mm from the badge's top-left); ``follow`` starts below another."""
        ends: dict[str, float] = {}
        self.drawn_tops = []  # mm from the badge's top where each element started (after ``follow``)
        for e in elements:
            left, top, width, box_h = x + e.x * MM, y + height - e.y * MM, e.w * MM, e.h * MM
            bottom = top - box_h
            if e.follow in ends:
                top = min(top, ends[e.follow] - e.gap * MM)
            self.drawn_tops.append((y + height - top) / MM)
            end = bottom
            if e.kind == "band":
                self._draw_band(canvas, left, bottom, width, box_h, e.pad * MM, data, e.size or box_h * 0.4)
            elif e.kind == "header":
                end = self._draw_header(canvas, left, top, width, top - bottom, e.size or 9.0)
            elif e.kind == "rule":
                canvas.setStrokeColorRGB(*RULE)
                canvas.setLineWidth(box_h)
                canvas.line(left, top, left + width, top)
                self._record("rule", "", left, top - box_h / 2, left + width, top + box_h / 2)
                end = top
            elif e.kind == "person":
                frame = _Frame(left, bottom, width, top - bottom)
                self._draw_person(canvas, frame, data, e.scale, e.align, centre=e.centre)
                end = frame.top
            elif e.kind == "qr":
                size = min(width, box_h)
                if e.min_code:
                    size = max(size, min_qr_square_mm(data.code, e.min_code) * MM)
                draw_qr(canvas, data.code, left + width - size, bottom, size)
                self._record("qr", data.code, left + width - size, bottom, left + width, bottom + size)
                end = bottom
            elif e.kind == "workshops":
                self._draw_workshops(canvas, left, top, width, bottom, data, e.size or 8.0)
            elif e.kind == "text":
                end = elements_draw.draw_text(self, canvas, e, (left, bottom, width, top), data)
            elif e.kind in ("image", "background"):
                end = elements_draw.draw_image(self, canvas, e, (left, bottom, width, top))
            elif e.kind == "colour" or (e.kind == "ribbon" and elements_draw.ribbon_shown(e, data)):
                text = elements_draw.ribbon_text(e, data) if e.kind == "ribbon" else ""
                rect = (left, bottom, width, top)
                elements_draw.draw_colour(self, canvas, e, rect, data, monochrome=self._monochrome, text=text)
            ends[e.key] = end

    def _draw_band(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        width: float,
        band_h: float,
        pad: float,
        data: BadgeData,
        label_max: float,
    ) -> None:
        colour = parse_colour(data.category_colour)
        if self._monochrome:
            # An outlined box: a thermal printer turns any colour into a solid black bar.
            line = max(0.8, band_h * 0.04)
            canvas.setStrokeColorRGB(*INK)
            canvas.setLineWidth(line)
            canvas.rect(x + line / 2, y + line / 2, width - line, band_h - line, stroke=1, fill=0)
            on_band = INK
        else:
            canvas.setFillColorRGB(*colour)
            # With ``bleed`` (print-shop files) the colour runs past the trim on three sides.
            b = self.bleed
            canvas.rect(x - b, y - b, width + 2 * b, band_h + b, stroke=0, fill=1)
            on_band = text_colour_on(colour)
        self._record("band", data.category_label, x, y, x + width, y + band_h)
        inner_w = width - 2 * pad
        footer = self.style.footer.strip()
        label_fit = self._fit(
            data.category_label.upper(),
            inner_w * (0.62 if footer else 1.0),
            label_max,
            label_max * 0.55,
            bold=True,
        )
        label_w = max(
            (self.fonts.string_width(visual_text(t), label_fit.size, True) for t in label_fit.lines),
            default=0.0,
        )
        # Letter-spaced capitals look calmer; only if the spacing still fits.
        tracking = label_fit.size * 0.06
        spacing = tracking * max(len(label_fit.lines[0]) - 1, 0) if label_fit.lines else 0.0
        if label_w + spacing <= inner_w * (0.62 if footer else 1.0):
            label_w += spacing
        else:
            tracking = 0.0
        if label_fit.lines:
            ascent, descent = self._line_metrics(label_fit.size, True)
            top = y + band_h / 2 + (ascent + descent) / 2
            self._draw_lines(
                canvas,
                label_fit,
                x + pad,
                top,
                inner_w,
                kind="category",
                bold=True,
                colour=on_band,
                align="left" if footer else "center",
                tracking=tracking,
            )
            used = min(label_w, inner_w) if footer else 0.0
        else:
            used = 0.0
        if footer:
            gap = pad * 0.8 if used else 0.0
            footer_w = inner_w - used - gap
            footer_fit = self._fit(footer, footer_w, label_max * 0.55, label_max * 0.42, 2)
            ascent, descent = self._line_metrics(footer_fit.size, False)
            block = ascent + descent + footer_fit.size * 1.18 * (len(footer_fit.lines) - 1)
            self._draw_lines(
                canvas,
                footer_fit,
                x + pad + used + gap,
                y + band_h / 2 + block / 2,
                footer_w,
                kind="footer",
                colour=on_band,
                align="right",
            )

    def _draw_header(
        self, canvas: Canvas, x: float, top: float, width: float, max_h: float, size: float
    ) -> float:
        """Event name (and logo on the right); returns the y below the header."""
        text_w = width
        bottom = top - max_h
        if self._logo is not None and self._logo_size is not None:
            img_w, img_h = self._logo_size
            logo_h = max_h
            logo_w = logo_h * img_w / img_h
            if logo_w > width * 0.4:
                logo_w = width * 0.4
                logo_h = logo_w * img_h / img_w
            canvas.drawImage(self._logo, x + width - logo_w, top - logo_h, logo_w, logo_h)
            self._record("logo", "", x + width - logo_w, top - logo_h, x + width, top)
            text_w = width - logo_w - size
        fitted = self._fit(self.style.event_name, text_w, size, size * 0.7, 2, bold=True)
        end = self._draw_lines(canvas, fitted, x, top, text_w, kind="event", bold=True, colour=GREY)
        return min(end, bottom) if self._logo is not None else end

    def _draw_person(
        self,
        canvas: Canvas,
        frame: _Frame,
        data: BadgeData,
        scale: float,
        align: str = "start",
        *,
        centre: float = 0.0,
    ) -> None:
        """The person block inside ``frame``: shrunk as a whole until it fits the frame's height.

        What does not fit even then gives way in order: the function line, then
        the third line of the organisation. ``centre`` moves the block down by
        that share of the height left over (0 = top, 0.5 = vertically centred).
        ``frame.top`` ends below the block.
        """
        variants = ((3, True), (2, True), (3, False), (2, False), (1, False))
        choice: tuple[float, tuple[int, bool], float] | None = None
        for variant in variants:
            block_scale = scale
            for _attempt in range(10):
                used = self._measure(canvas, frame, data, block_scale, align, variant)
                if used <= frame.h or block_scale <= scale * 0.5:
                    break
                block_scale *= 0.92
            if used <= frame.h and choice is None:
                choice = (block_scale, variant, used)  # fits, perhaps with a cut organisation
            if used <= frame.h and not self._cut:
                choice = (block_scale, variant, used)  # fits whole: take it
                break
        block_scale, variant, used = choice or (block_scale, variant, used)
        offset = max(0.0, (frame.h - used) * centre)
        frame.top = self._person_lines(canvas, frame, frame.top - offset, data, block_scale, align, variant)

    def _measure(
        self,
        canvas: Canvas,
        frame: _Frame,
        data: BadgeData,
        scale: float,
        align: str,
        variant: tuple[int, bool],
    ) -> float:
        self._dry = True
        try:
            return frame.top - self._person_lines(canvas, frame, frame.top, data, scale, align, variant)
        finally:
            self._dry = False

    def _name_fields(
        self, data: BadgeData, width: float, scale: float
    ) -> list[tuple[str, FittedText, bool, tuple[float, float, float]]]:
        """(kind, fitted lines, bold, colour) of the name lines, in drawing order."""
        fields: list[tuple[str, FittedText, bool, tuple[float, float, float]]] = []
        if self.style.name_style == "one_line":
            text = " ".join(p for p in (data.title, data.first_name, data.last_name.upper()) if p.strip())
            fitted = self._fit(text, width, 22 * scale, 12 * scale, 3, bold=True, shrink_first=True)
            return [("name", fitted, True, INK)]
        if data.title.strip():
            fields.append(("title", self._fit(data.title, width, 11 * scale, 8 * scale, 1), False, GREY))
        # The last name leads: bold, and never smaller than the first name.
        last = (
            self._fit(data.last_name, width, 26 * scale, 13 * scale, 2, bold=True)
            if data.last_name.strip()
            else None
        )
        first_max = min(26 * scale, last.size) if last is not None else 26 * scale
        if data.first_name.strip():
            first = self._fit(data.first_name, width, first_max, min(13 * scale, first_max), 2)
            fields.append(("first_name", first, False, INK))
        if last is not None:
            fields.append(("last_name", last, True, INK))
        return fields

    def _name_fit(
        self, text: str, width: float, max_size: float, min_size: float, *, bold: bool
    ) -> FittedText | None:
        """One line down to 80 % of the size (a double name reads best unbroken), then two larger lines."""
        if not text.strip():
            return None
        one = self._fit(text, width, max_size, max(max_size * 0.8, min_size), 1, bold=bold)
        return one if not one.truncated else self._fit(text, width, max_size, min_size, 2, bold=bold)

    def _person_lines(
        self,
        canvas: Canvas,
        frame: _Frame,
        top: float,
        data: BadgeData,
        scale: float,
        align: str,
        variant: tuple[int, bool] = (3, True),
    ) -> float:
        """Name lines, organisation and function from ``top`` down; returns the end."""
        width = frame.w
        org_lines, show_function = variant
        for kind, fitted, bold, colour in self._name_fields(data, width, scale):
            self._cut = self._cut or fitted.truncated
            top = (
                self._draw_lines(
                    canvas,
                    fitted,
                    frame.x,
                    top,
                    width,
                    kind=kind,
                    bold=bold,
                    colour=colour,
                    align=align,
                    leading=1.08,
                )
                - fitted.size * 0.12
            )
        top -= 4.5 * scale
        if data.organisation.strip():
            size = max(11.5 * scale, MIN_SMALL_TEXT)
            fitted = self._fit(
                data.organisation, width, size, max(7.5 * scale, MIN_SMALL_TEXT), org_lines, bold=True
            )
            top = (
                self._draw_lines(
                    canvas, fitted, frame.x, top, width, kind="organisation", bold=True, align=align
                )
                - 1.5 * scale
            )
        if show_function and data.function.strip():
            size = max(9.5 * scale, MIN_SMALL_TEXT)
            fitted = self._fit(data.function, width, size, max(7 * scale, MIN_SMALL_TEXT), 2)
            top = self._draw_lines(
                canvas, fitted, frame.x, top, width, kind="function", colour=GREY, align=align
            )
        return top

    def _draw_workshops(
        self, canvas: Canvas, x: float, top: float, width: float, bottom: float, data: BadgeData, size: float
    ) -> None:
        """As many workshop lines as fit between ``top`` and ``bottom``; "+N" for the rest."""
        if not data.workshops:
            return
        ascent, descent = self._line_metrics(size, False)
        line_h = size * 1.18
        heading = self.style.workshop_heading
        y = top
        if heading:
            first_lines = min(len(wrap(data.workshops[0], self.fonts, size, width)), 2)
            if y - (ascent + descent) * 2 - size * 0.2 - line_h * (first_lines - 1) < bottom:
                return
            head_fit = self._fit(heading.upper(), width, size * 0.85, size * 0.6, bold=True)
            y = self._draw_lines(
                canvas,
                head_fit,
                x,
                y,
                width,
                kind="workshop_heading",
                bold=True,
                colour=GREY,
                tracking=head_fit.size * 0.05
                if self.fonts.string_width(head_fit.lines[0], head_fit.size, True) * 1.1 < width
                else 0.0,
            )
            y -= size * 0.2
        for index, workshop in enumerate(data.workshops):
            remaining = len(data.workshops) - index
            lines = wrap(workshop, self.fonts, size, width)
            needed = ascent + descent + line_h * (min(len(lines), 2) - 1)
            if y - needed < bottom:
                if index == 0:
                    return
                more = FittedText((f"+{remaining}",), size)
                if y - (ascent + descent) >= bottom:
                    self._draw_lines(canvas, more, x, y, width, kind="workshop", colour=GREY)
                return
            fitted = self._fit(workshop, width, size, size * 0.85, 2)
            y = self._draw_lines(canvas, fitted, x, y, width, kind="workshop", leading=1.12) - size * 0.3


__all__ = ["BadgeData", "BadgeRenderer", "BadgeStyle", "DrawnBox"]
