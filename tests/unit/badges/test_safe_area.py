"""Office-printer layouts keep a white margin: no ink where a printer cannot print (rendered pixels)."""

from __future__ import annotations

import pytest
from badge_helpers import render_pngs
from PIL import Image
from test_certificates import log

from checkin.badges.certificates import CertificateWriter
from checkin.badges.layouts import get_layout
from checkin.badges.service import BadgeService
from tests.helpers import HARD_NAMES, People

DPI = 200
SAFE_MM = 5.0
ANTIALIAS_MM = 0.3  # a glyph edge exactly on the margin may grey one pixel


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def ink_in(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Dark pixels (anything visibly printed) inside ``box`` (left, top, right, bottom)."""
    region = image.convert("L").crop(box)
    return sum(count for value, count in enumerate(region.histogram()) if value < 245)


def border_ink(image: Image.Image, margin_mm: float) -> dict[str, int]:
    w, h = image.size
    m = px(margin_mm - ANTIALIAS_MM)
    strips = {
        "top": (0, 0, w, m),
        "bottom": (0, h - m, w, h),
        "left": (0, 0, m, h),
        "right": (w - m, 0, w, h),
    }
    return {side: ink_in(image, box) for side, box in strips.items()}


@pytest.mark.parametrize("key", ["a4-4xa6", "a4-8xa7", "a4-fold-a6"])
def test_office_printer_sheets_leave_the_margin_white(db, demo_event, hard_people, tmp_path, key):
    layout = get_layout(key)
    assert layout.safe_margin >= SAFE_MM
    ids = [registration_id for registration_id, _ in hard_people[: max(layout.per_page, 1)]]
    pdf = BadgeService(db, demo_event).render_badges(ids, layout=key, double_sided=False)
    pages = render_pngs(pdf, tmp_path, dpi=DPI)
    for page in pages:
        assert border_ink(page, SAFE_MM) == {"top": 0, "bottom": 0, "left": 0, "right": 0}
        # Something was printed at all (the test would pass on a blank page otherwise).
        assert ink_in(page, (0, 0, *page.size)) > 10_000


@pytest.mark.parametrize("key", ["a4-4xa6", "a4-8xa7"])
def test_badges_on_cut_sheets_do_not_touch(db, demo_event, hard_people, tmp_path, key):
    """Between two badges there is white on both sides of the cut line; only the crop mark is on it."""
    layout = get_layout(key)
    ids = [registration_id for registration_id, _ in hard_people[: layout.per_page]]
    (page,) = render_pngs(BadgeService(db, demo_event).render_badges(ids, layout=key), tmp_path, dpi=DPI)
    xs, ys = layout.cut_lines()
    inner_x = [x for x in xs if 1 < x < layout.page_width - 1]
    inner_y = [y for y in ys if 1 < y < layout.page_height - 1]
    assert inner_x
    assert inner_y
    near, far = px(0.6), px(SAFE_MM - 0.4)  # the mark is a hairline on the cut line itself
    cross = px(2.6)  # the arms of a crop-mark cross where two cut lines meet
    w, h = page.size

    def stretches(cuts: list[float], length: int) -> list[tuple[int, int]]:
        """Runs along a cut line that stay clear of the crosses on the other lines."""
        edges = [0, *(e for c in cuts for e in (px(c) - cross, px(c) + cross)), length]
        return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]

    for x in inner_x:
        for lo, hi in ((px(x) - far, px(x) - near), (px(x) + near, px(x) + far)):
            for top, bottom in stretches(inner_y, h):
                assert ink_in(page, (lo, top, hi, bottom)) == 0, (x, lo, top)
    for y in inner_y:
        for lo, hi in ((px(y) - far, px(y) - near), (px(y) + near, px(y) + far)):
            for left, right in stretches(inner_x, w):
                assert ink_in(page, (left, lo, right, hi)) == 0, (y, lo, left)


def test_crop_marks_lie_outside_the_artwork(demo_event):
    layout = get_layout("a4-4xa6")
    xs, _ys = layout.cut_lines()
    for slot in layout.slots():
        art = layout.artwork(slot)
        for x in xs:
            assert not (art.x < x < art.x + art.width)


def test_certificate_keeps_the_margin_white(db, demo_event, tmp_path):
    ((person, _code),) = People(db, demo_event).add_all(HARD_NAMES[:1])
    log(db, demo_event, person, 0, "zw-digitalisierung")
    log(db, demo_event, person, 1)
    (page,) = render_pngs(CertificateWriter(db, demo_event).render(person), tmp_path, dpi=DPI)
    assert border_ink(page, SAFE_MM) == {"top": 0, "bottom": 0, "left": 0, "right": 0}
    assert ink_in(page, (0, 0, *page.size)) > 10_000
