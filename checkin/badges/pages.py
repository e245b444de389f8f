"""Placing badges on the pages of a layout: sheets, duplex backs, fold badges, cut and fold marks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from reportlab.pdfgen.canvas import Canvas

from checkin.badges.fonts import FontSet, draw_runs
from checkin.badges.layouts import MM, BadgeLayout, Slot, check_print_options
from checkin.i18n import _

if TYPE_CHECKING:
    from checkin.badges.render import BadgeData, BadgeRenderer

CUT = (0.55, 0.55, 0.55)


class BadgePageWriter:
    """Places badges on the pages of a layout; one page is finished as soon as it is full.

    ``double_sided`` adds a back page after every front page (single
    badges: the same badge again; sheets: the same badges mirrored left to
    right so they land behind their fronts when printed duplex, turning the
    page around its vertical axis). Fold badges always carry the name on front and back.
    ``start_at`` (sheets only) leaves the first labels of the first sheet empty,
    for a sheet whose first labels were used before. Options that make no sense
    on the layout raise ``LayoutError`` (see ``check_print_options``).
    """

    def __init__(
        self,
        canvas: Canvas,
        layout: BadgeLayout,
        renderer: BadgeRenderer,
        *,
        double_sided: bool = False,
        start_at: int = 1,
    ) -> None:
        check_print_options(layout, double_sided=double_sided, start_at=start_at)
        self.canvas = canvas
        self.layout = layout
        self.renderer = renderer
        self.double_sided = double_sided and layout.kind != "fold"
        self._skip = start_at - 1  # empty slots at the start of the next page
        self._pending: list[BadgeData] = []
        self.pages = 0
        self.badges = 0

    def add(self, data: BadgeData) -> None:
        self._pending.append(data)
        if len(self._pending) >= self.layout.per_page - self._skip:
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
        canvas.saveState()
        if self.layout.kind == "sheet":
            # The printer's measured misplacement (calibration page), undone for the whole sheet.
            offset_x, offset_y = self.renderer.style.sheet_offset_mm
            canvas.translate(offset_x * MM, -offset_y * MM)
        slots = self.layout.slots(back=back)[self._skip :]
        key, mono = self.layout.key, self.layout.label_roll
        for data, slot in zip(items, slots, strict=False):
            side = "back" if back else "front"
            self.renderer.draw(canvas, *self._slot_rect(slot), data, monochrome=mono, layout=key, side=side)
            if self.layout.kind == "fold":
                back_rect = self._slot_rect(self.layout.fold_back_slot())
                self.renderer.draw(canvas, *back_rect, data, monochrome=mono, layout=key, side="back")
                self._draw_inside(data)
        if self.layout.cut_marks:
            self._draw_cut_marks()
        if self.layout.kind == "fold":
            self._draw_fold_marks()
        canvas.restoreState()
        canvas.showPage()
        self.pages += 1

    def _draw_inside(self, data: BadgeData) -> None:
        """The inside of a fold badge: the top-left quarter, upright as it reads with the badge unfolded."""
        half_w, half_h = self.layout.page_width / 2, self.layout.page_height / 2
        rect = self._slot_rect(Slot(0.0, 0.0, half_w, half_h))
        self.renderer.draw(self.canvas, *rect, data, layout=self.layout.key, side="inside")

    def _flush(self) -> None:
        items, self._pending = self._pending, []
        self._page(items, back=False)
        if self.double_sided:
            self._page(items, back=True)
        self._skip = 0
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


def draw_calibration_page(
    canvas: Canvas, layout: BadgeLayout, fonts: FontSet, offset_mm: tuple[float, float]
) -> None:
    """Outlines and centre crosses of every label of ``layout``, shifted by ``offset_mm`` like the badges.

    Printed on plain paper and laid on a label sheet against the light, it shows
    how far this printer places things off; that goes into ``[badge] offset_x /
    offset_y`` until the outlines match (the CLI prints these instructions).
    """
    canvas.setPageSize(layout.page_size_pt)
    canvas.setFillColorRGB(0, 0, 0)
    # One line in the top margin, below the 5 mm an office printer cannot print.
    heading = _("Calibration page: {layout}; offset now {x} mm right, {y} mm down.").format(
        layout=layout.title, x=f"{offset_mm[0]:g}", y=f"{offset_mm[1]:g}"
    )
    draw_runs(canvas, 10 * MM, (layout.page_height - 8) * MM, heading, fonts, 6)
    page_h = layout.page_height
    canvas.saveState()
    canvas.translate(offset_mm[0] * MM, -offset_mm[1] * MM)
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.3)
    canvas.setFillColorRGB(*CUT)
    for number, slot in enumerate(layout.slots(), start=1):
        x, y = slot.x * MM, (page_h - slot.y - slot.height) * MM
        w, h = slot.width * MM, slot.height * MM
        canvas.rect(x, y, w, h, stroke=1, fill=0)
        cx, cy = x + w / 2, y + h / 2
        canvas.line(cx - 3 * MM, cy, cx + 3 * MM, cy)
        canvas.line(cx, cy - 3 * MM, cx, cy + 3 * MM)
        draw_runs(canvas, x + 2 * MM, y + h - 5 * MM, str(number), fonts, 8)
    canvas.restoreState()
    canvas.showPage()
