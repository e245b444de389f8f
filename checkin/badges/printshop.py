"""Print-shop files: one badge per page with 3 mm bleed, TrimBox/BleedBox and crop marks outside the trim.

A print shop prints on larger sheets and cuts to the trim size, so the
colour band runs 3 mm past the badge edge (the bleed) and the crop marks
sit in the slug around it, never touching the artwork. The badge size is
the chosen layout's badge; sheets are imposed by the print shop itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.pdfgen.canvas import Canvas

from checkin.badges.layouts import MM, BadgeLayout
from checkin.badges.pdfstream import StreamingPdfWriter
from checkin.badges.render import BadgeData, BadgeRenderer
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _

if TYPE_CHECKING:
    from checkin.badges.service import BadgeSelection, BadgeService

BLEED_MM = 3.0
SLUG_MM = 9.0  # room for the crop marks outside the bleed
MARK_MM = 5.0  # length of a crop mark
MARK_GAP_MM = 1.0  # between the bleed edge and the start of a mark
REGISTRATION = (0.0, 0.0, 0.0)
_PART = 200


def page_size_mm(layout: BadgeLayout) -> tuple[float, float]:
    """Media size of a print-shop page for ``layout``'s badge."""
    margin = 2 * (BLEED_MM + SLUG_MM)
    return layout.badge_width + margin, layout.badge_height + margin


def draw_badge_page(
    canvas: Canvas, layout: BadgeLayout, renderer: BadgeRenderer, data: BadgeData, side: str = "front"
) -> None:
    """One badge on its own page: artwork at the trim, band into the bleed, boxes and crop marks set."""
    page_w, page_h = (v * MM for v in page_size_mm(layout))
    trim_x = trim_y = (BLEED_MM + SLUG_MM) * MM
    trim_w, trim_h = layout.badge_width * MM, layout.badge_height * MM
    bleed = BLEED_MM * MM
    canvas.setPageSize((page_w, page_h))
    canvas.setTrimBox((trim_x, trim_y, trim_x + trim_w, trim_y + trim_h))
    canvas.setBleedBox((trim_x - bleed, trim_y - bleed, trim_x + trim_w + bleed, trim_y + trim_h + bleed))
    renderer.draw(
        canvas,
        trim_x,
        trim_y,
        trim_w,
        trim_h,
        data,
        monochrome=layout.label_roll,
        bleed=bleed,
        layout=layout.key,
        side=side,
    )
    _crop_marks(canvas, trim_x, trim_y, trim_w, trim_h)
    canvas.showPage()


def _crop_marks(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """Eight hairlines on the extensions of the trim edges, starting outside the bleed."""
    start = (BLEED_MM + MARK_GAP_MM) * MM
    end = start + MARK_MM * MM
    canvas.saveState()
    canvas.setStrokeColorRGB(*REGISTRATION)
    canvas.setLineWidth(0.25)
    for cx in (x, x + w):
        canvas.line(cx, y - start, cx, y - end)
        canvas.line(cx, y + h + start, cx, y + h + end)
    for cy in (y, y + h):
        canvas.line(x - start, cy, x - end, cy)
        canvas.line(x + w + start, cy, x + w + end, cy)
    canvas.restoreState()


def write_print_shop_pdf(
    service: BadgeService,
    out: Path | BinaryIO,
    selection: BadgeSelection,
    *,
    layout: str | None = None,
    sort: str = "last_name",
    double_sided: bool = False,
    progress: Progress | None = None,
) -> tuple[list[int], BadgeLayout]:
    """Write the print-shop PDF of ``selection``; return the registration ids in it and the layout used.

    ``double_sided`` repeats every badge on a second page (its back). Nothing
    is logged as printed: the print shop prints it later.
    """
    from checkin.badges.service import BadgeSelectionError

    progress = progress or NullProgress()
    chosen = service.layout(layout)
    ids = service.select_ids(selection, sort=sort)
    if not ids:
        raise BadgeSelectionError(_("No badge to print: no registration matches the selection."))
    renderer = BadgeRenderer(service.style)
    done = 0
    with StreamingPdfWriter(out, title=_("Name badges")) as stream:
        for start in range(0, len(ids), _PART):
            check_cancelled(progress)
            chunk: Sequence[BadgeData] = service.badge_data(ids[start : start + _PART])

            def draw(canvas: Canvas, chunk: Sequence[BadgeData] = chunk) -> None:
                for data in chunk:
                    for side in ("front", "back") if double_sided else ("front",):
                        draw_badge_page(canvas, chosen, renderer, data, side)

            stream.add_part(draw)
            done += len(chunk)
            progress.update(done, len(ids), _("{done} of {total} badges").format(done=done, total=len(ids)))
    return ids, chosen
