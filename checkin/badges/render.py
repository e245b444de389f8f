"""Drawing one badge into a rectangle of a reportlab canvas, and badges onto the pages of a layout.

The renderer reports every box it drew (text lines, QR code, logo, colour
band) so tests can prove that nothing crosses the edge of its badge.

Portrait badges (A6, A7, fold) stack header, name, organisation and
function, with the QR code bottom right and the workshops beside it;
landscape badges (cards, labels) put the QR code on the right of the text.
A colour band with the category label runs along the bottom of both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.fonts import FontSet, draw_runs, has_rtl, register_fonts, visual_text
from checkin.badges.layouts import MM, BadgeLayout, Slot
from checkin.badges.logo import load_logo
from checkin.badges.qr import draw_qr
from checkin.badges.textfit import FittedText, fit_text, wrap

INK = (0.07, 0.07, 0.09)
GREY = (0.36, 0.37, 0.40)
RULE = (0.80, 0.81, 0.83)
CUT = (0.55, 0.55, 0.55)


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


@dataclass(frozen=True)
class BadgeStyle:
    """What every badge of an event shares."""

    event_name: str
    logo: Path | None = None
    footer: str = ""
    workshop_heading: str = ""
    show_workshops: bool = False


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


def parse_colour(value: str) -> tuple[float, float, float]:
    """'#1f5fa8' or '1f5fa8' or '#15a' -> RGB floats; unreadable colours become a calm blue."""
    text = (value or "").strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    try:
        if len(text) != 6:
            raise ValueError(text)
        return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return (0.12, 0.37, 0.66)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour_on(background: tuple[float, float, float]) -> tuple[float, float, float]:
    """White or near-black, whichever contrasts more with ``background`` (WCAG ratio)."""
    lum = _luminance(background)
    contrast_white = 1.05 / (lum + 0.05)
    contrast_black = (lum + 0.05) / 0.05
    return (1.0, 1.0, 1.0) if contrast_white >= contrast_black else INK


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
        self.boxes: list[DrawnBox] | None = None  # set to [] to collect boxes
        self._dry = False  # measuring pass: compute positions, draw nothing

    # -- primitives ---------------------------------------------------------
    def _record(self, kind: str, text: str, x0: float, y0: float, x1: float, y1: float) -> None:
        if self.boxes is not None:
            self.boxes.append(DrawnBox(kind, text, x0, y0, x1, y1, self._badge_rect))

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

        ``align`` is left, right, center, or start (right for lines in a right-to-left script).
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
            elif align == "right" or (align == "start" and has_rtl(line)):
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

    # -- the badge ---------------------------------------------------------
    def draw(self, canvas: Canvas, x: float, y: float, width: float, height: float, data: BadgeData) -> None:
        """Draw ``data`` as a badge into the rectangle (points, origin bottom-left)."""
        self._badge_rect = (x, y, x + width, y + height)
        canvas.saveState()
        if height >= width:
            self._draw_portrait(canvas, x, y, width, height, data)
        else:
            self._draw_landscape(canvas, x, y, width, height, data)
        canvas.restoreState()

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
        canvas.setFillColorRGB(*colour)
        canvas.rect(x, y, width, band_h, stroke=0, fill=1)
        self._record("band", data.category_label, x, y, x + width, y + band_h)
        on_band = text_colour_on(colour)
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

        ``centre`` moves the block down by that share of the height left over
        (0 = top, 0.5 = vertically centred). ``frame.top`` ends below the block.
        """
        block_scale = scale
        used = 0.0
        for _attempt in range(10):
            self._dry = True
            try:
                used = frame.top - self._person_lines(canvas, frame, frame.top, data, block_scale, align)
            finally:
                self._dry = False
            if used <= frame.h or block_scale <= scale * 0.5:
                break
            block_scale *= 0.92
        offset = max(0.0, (frame.h - used) * centre)
        frame.top = self._person_lines(canvas, frame, frame.top - offset, data, block_scale, align)

    def _person_lines(
        self, canvas: Canvas, frame: _Frame, top: float, data: BadgeData, scale: float, align: str
    ) -> float:
        """Title, first name, last name, organisation and function from ``top`` down; returns the end."""
        width = frame.w
        fonts_sizes = (
            ("title", data.title, 11 * scale, 8 * scale, 1, False, GREY, False),
            ("first_name", data.first_name, 30 * scale, 15 * scale, 2, True, INK, True),
            ("last_name", data.last_name, 20 * scale, 11 * scale, 2, False, INK, True),
        )
        for kind, text, max_size, min_size, lines, bold, colour, shrink_first in fonts_sizes:
            if not text.strip():
                continue
            fitted = self._fit(text, width, max_size, min_size, lines, bold=bold, shrink_first=shrink_first)
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
            fitted = self._fit(data.organisation, width, 11.5 * scale, 7.5 * scale, 2, bold=True)
            top = (
                self._draw_lines(
                    canvas, fitted, frame.x, top, width, kind="organisation", bold=True, align=align
                )
                - 1.5 * scale
            )
        if data.function.strip():
            fitted = self._fit(data.function, width, 9.5 * scale, 7 * scale, 2)
            top = self._draw_lines(
                canvas, fitted, frame.x, top, width, kind="function", colour=GREY, align=align
            )
        return top

    def _draw_workshops(
        self, canvas: Canvas, x: float, top: float, width: float, bottom: float, data: BadgeData, size: float
    ) -> None:
        """As many workshop lines as fit between ``top`` and ``bottom``; "+N" for the rest."""
        if not (self.style.show_workshops and data.workshops):
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

    def _draw_portrait(self, canvas: Canvas, x: float, y: float, w: float, h: float, data: BadgeData) -> None:
        scale = w / (105 * MM)
        pad = 7.5 * MM * scale
        band_h = 14 * MM * scale
        self._draw_band(canvas, x, y, w, band_h, pad, data, 14 * scale)
        inner_x, inner_w = x + pad, w - 2 * pad
        header_bottom = self._draw_header(canvas, inner_x, y + h - pad, inner_w, 11 * MM * scale, 9 * scale)
        rule_y = header_bottom - 3 * MM * scale
        canvas.setStrokeColorRGB(*RULE)
        canvas.setLineWidth(0.6 * scale)
        canvas.line(inner_x, rule_y, inner_x + inner_w, rule_y)
        self._record("rule", "", inner_x, rule_y - 0.3 * scale, inner_x + inner_w, rule_y + 0.3 * scale)
        qr_size = 32 * MM * scale
        qr_x = x + w - pad - qr_size + 4 * MM * scale * 0.35  # quiet zone may reach into the margin a bit
        qr_y = y + band_h + 2.5 * MM * scale
        qr_size = min(qr_size, x + w - qr_x)
        frame = _Frame(inner_x, qr_y + qr_size, inner_w, rule_y - 7 * MM * scale - (qr_y + qr_size))
        self._draw_person(canvas, frame, data, scale, centre=0.3)
        draw_qr(canvas, data.code, qr_x, qr_y, qr_size)
        self._record("qr", data.code, qr_x, qr_y, qr_x + qr_size, qr_y + qr_size)
        # Workshops: left of the QR code, from the lower of (QR top, end of the person block).
        top = min(frame.top - 4 * MM * scale, qr_y + qr_size)
        self._draw_workshops(
            canvas, inner_x, top, qr_x - inner_x - 2 * MM * scale, qr_y + 1 * MM * scale, data, 8 * scale
        )

    def _draw_landscape(
        self, canvas: Canvas, x: float, y: float, w: float, h: float, data: BadgeData
    ) -> None:
        scale = min(h / (54 * MM), w / (85.6 * MM))
        pad = 4.2 * MM * scale
        band_h = max(h * 0.15, 6.5 * MM * scale)
        self._draw_band(canvas, x, y, w, band_h, pad, data, 9.5 * scale)
        body_bottom = y + band_h
        body_top = y + h - pad * 0.85
        qr_size = min(body_top - body_bottom - 1 * MM * scale, w * 0.36)
        qr_x = x + w - qr_size - pad * 0.35
        qr_y = body_bottom + (body_top - body_bottom - qr_size) / 2
        draw_qr(canvas, data.code, qr_x, qr_y, qr_size)
        self._record("qr", data.code, qr_x, qr_y, qr_x + qr_size, qr_y + qr_size)
        text_x = x + pad
        text_w = qr_x - text_x - 0.5 * MM * scale
        header_bottom = self._draw_header(canvas, text_x, body_top, text_w, 6 * MM * scale, 6.5 * scale)
        frame = _Frame(text_x, body_bottom, text_w, header_bottom - 2.2 * MM * scale - body_bottom)
        self._draw_person(canvas, frame, data, scale * 0.62)
        self._draw_workshops(
            canvas,
            text_x,
            frame.top - 1.5 * MM * scale,
            text_w,
            body_bottom + 1 * MM * scale,
            data,
            6 * scale,
        )


class BadgePageWriter:
    """Places badges on the pages of a layout; one page is finished as soon as it is full.

    ``double_sided`` adds a back page after every front page (single
    badges: the same badge again; sheets: the same badges mirrored left to
    right so they land behind their fronts when printed duplex, turning the
    page around its vertical axis). Fold badges always carry the name on front and back.
    """

    def __init__(
        self, canvas: Canvas, layout: BadgeLayout, renderer: BadgeRenderer, *, double_sided: bool = False
    ) -> None:
        self.canvas = canvas
        self.layout = layout
        self.renderer = renderer
        self.double_sided = double_sided and layout.kind != "fold"
        self._pending: list[BadgeData] = []
        self.pages = 0
        self.badges = 0

    def add(self, data: BadgeData) -> None:
        self._pending.append(data)
        if len(self._pending) >= self.layout.per_page:
            self._flush()

    def add_all(self, items: Iterable[BadgeData]) -> None:
        for item in items:
            self.add(item)

    def close(self) -> None:
        """Finish the last (possibly partial) page; never adds a blank page."""
        if self._pending:
            self._flush()

    def _slot_rect(self, slot: Slot) -> tuple[float, float, float, float]:
        """Where the badge of ``slot`` is drawn, in points: the slot less the layout's safe margin."""
        slot = self.layout.artwork(slot)
        page_h = self.layout.page_height
        return (slot.x * MM, (page_h - slot.y - slot.height) * MM, slot.width * MM, slot.height * MM)

    def _page(self, items: list[BadgeData], *, back: bool) -> None:
        canvas = self.canvas
        canvas.setPageSize(self.layout.page_size_pt)
        slots = self.layout.slots(back=back)
        for data, slot in zip(items, slots, strict=False):
            self.renderer.draw(canvas, *self._slot_rect(slot), data)
            if self.layout.kind == "fold":
                self.renderer.draw(canvas, *self._slot_rect(self.layout.fold_back_slot()), data)
        if self.layout.cut_marks:
            self._draw_cut_marks()
        if self.layout.kind == "fold":
            self._draw_fold_marks()
        canvas.showPage()
        self.pages += 1

    def _flush(self) -> None:
        items, self._pending = self._pending, []
        self._page(items, back=False)
        if self.double_sided:
            self._page(items, back=True)
        self.badges += len(items)

    def _draw_cut_marks(self) -> None:
        """Hairlines where cut lines meet the page edge, small crosses where they meet inside."""
        canvas = self.canvas
        page_w, page_h = self.layout.page_width, self.layout.page_height
        xs, ys = self.layout.cut_lines()
        arm = 4.0
        # Edge marks start inside the printable area and stay in the white gap between badges.
        edge = self.layout.safe_margin + 1.0 if self.layout.safe_margin else 0.0
        canvas.saveState()
        canvas.setStrokeColorRGB(*CUT)
        canvas.setLineWidth(0.25)
        for cx in xs:
            if 0.5 < cx < page_w - 0.5:
                canvas.line(cx * MM, (page_h - edge) * MM, cx * MM, (page_h - edge - arm - 3) * MM)
                canvas.line(cx * MM, edge * MM, cx * MM, (edge + arm + 3) * MM)
        for cy in ys:
            if 0.5 < cy < page_h - 0.5:
                py = (page_h - cy) * MM
                canvas.line(edge * MM, py, (edge + arm + 3) * MM, py)
                canvas.line((page_w - edge) * MM, py, (page_w - edge - arm - 3) * MM, py)
        for cx in xs:
            for cy in ys:
                if 0.5 < cx < page_w - 0.5 and 0.5 < cy < page_h - 0.5:
                    px, py = cx * MM, (page_h - cy) * MM
                    canvas.line(px - arm / 2 * MM, py, px + arm / 2 * MM, py)
                    canvas.line(px, py - arm / 2 * MM, px, py + arm / 2 * MM)
        canvas.restoreState()

    def _draw_fold_marks(self) -> None:
        canvas = self.canvas
        page_w, page_h = self.layout.page_size_pt
        canvas.saveState()
        canvas.setStrokeColorRGB(*CUT)
        canvas.setLineWidth(0.25)
        canvas.setDash(2, 2)
        edge = self.layout.safe_margin * MM + 1 * MM if self.layout.safe_margin else 0.0
        canvas.line(edge, page_h / 2, edge + 8 * MM, page_h / 2)
        canvas.line(page_w - edge - 8 * MM, page_h / 2, page_w - edge, page_h / 2)
        canvas.line(page_w / 2, page_h - edge, page_w / 2, page_h - edge - 8 * MM)
        canvas.line(page_w / 2, edge, page_w / 2, edge + 8 * MM)
        canvas.restoreState()
