"""Print-shop files: trim and bleed boxes, colour into the bleed, crop marks outside it."""

from __future__ import annotations

import pytest
from badge_helpers import MM, decode_qr, pdf_reader, render_pngs

from checkin.badges.printshop import BLEED_MM, MARK_GAP_MM, SLUG_MM
from checkin.domain.errors import UserError
from tests.unit.cli.test_badge_commands import run

DPI = 150


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def box_mm(box) -> list[float]:
    return [round(float(v) / MM, 2) for v in (box.left, box.bottom, box.right, box.top)]


def test_print_shop_pdf_has_boxes_bleed_and_crop_marks(db, demo_event, hard_people, tmp_path, capsys):
    out = tmp_path / "druckerei.pdf"
    assert run(db, ["badges", "--out", str(out), "--layout", "a6", "--print-shop", "--no-log"]) == 0
    assert "10 Namensschilder" in capsys.readouterr().out
    reader = pdf_reader(out)
    assert len(reader.pages) == len(hard_people)
    edge = BLEED_MM + SLUG_MM
    page = reader.pages[0]
    assert box_mm(page.mediabox) == [0, 0, 105 + 2 * edge, 148 + 2 * edge]
    assert box_mm(page.trimbox) == [edge, edge, edge + 105, edge + 148]
    assert box_mm(page.bleedbox) == [edge - 3, edge - 3, edge + 108, edge + 151]

    image = render_pngs(out, tmp_path, dpi=DPI)[0].convert("L")
    width, height = image.size
    trim_left, trim_bottom = px(edge), height - px(edge)
    band_row = trim_bottom - px(5)  # inside the 14 mm colour band
    # The colour runs through the bleed to its outer edge, not further.
    assert image.getpixel((trim_left - px(BLEED_MM) + 2, band_row)) < 200
    assert image.getpixel((trim_left - px(BLEED_MM) - 3, band_row)) > 250
    # Between the bleed edge and the crop marks there is no ink at all, on every side.
    gap = (px(edge - BLEED_MM - MARK_GAP_MM) + 1, px(edge - BLEED_MM) - 1)
    for strip in (
        (gap[0], 0, gap[1], height),  # left
        (width - gap[1], 0, width - gap[0], height),  # right
        (0, gap[0], width, gap[1]),  # top
        (0, height - gap[1], width, height - gap[0]),  # bottom
    ):
        assert image.crop(strip).getextrema()[0] > 250, strip
    # A crop mark lies on the extension of the left trim edge, in the slug below the badge.
    mark = image.crop(
        (trim_left - 1, height - px(edge - BLEED_MM - MARK_GAP_MM - 1), trim_left + 2, height - 2)
    )
    assert mark.getextrema()[0] < 160

    codes = [
        text for page_image in render_pngs(out, tmp_path, dpi=200) for text, _x, _y in decode_qr(page_image)
    ]
    assert sorted(codes) == sorted(code for _, code in hard_people)


def test_print_shop_double_sided_and_refusals(db, demo_event, hard_people, tmp_path):
    out = tmp_path / "beidseitig.pdf"
    assert run(db, ["badges", "--out", str(out), "--print-shop", "--double-sided", "--no-log"]) == 0
    assert len(pdf_reader(out).pages) == 2 * len(hard_people)
    with pytest.raises(UserError, match="Druckerei"):
        run(db, ["badges", "--out", str(out), "--print-shop", "--start-at", "2", "--no-log"])
