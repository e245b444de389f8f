"""A printer's sheet offset: measured with the calibration page, undone on every label sheet."""

from __future__ import annotations

import dataclasses

import pytest
from badge_helpers import decode_qr, pdf_reader, render_pngs

from checkin.badges.layouts import get_layout, sheet_offset
from checkin.badges.service import BadgeService
from checkin.domain.errors import UserError
from tests.unit.cli.test_badge_commands import run

DPI = 200


def px(mm: float) -> float:
    return mm / 25.4 * DPI


def with_offset(event, x: float, y: float):
    badge = {**event.definition.get("badge", {}), "offset_x": x, "offset_y": y}
    return dataclasses.replace(event, definition={**event.definition, "badge": badge})


def test_sheet_offset_is_read_and_clamped():
    assert sheet_offset({"offset_x": 1.5, "offset_y": -2}) == (1.5, -2.0)
    assert sheet_offset({"offset_x": 40, "offset_y": "x"}) == (10.0, 0.0)
    assert sheet_offset({}) == (0.0, 0.0)


def test_the_offset_moves_every_badge_of_a_sheet(db, demo_event, hard_people, tmp_path):
    ids = [registration_id for registration_id, _ in hard_people[:4]]
    plain = render_pngs(BadgeService(db, demo_event).render_badges(ids, layout="avery-l4785"), tmp_path, DPI)[
        0
    ]
    moved_event = with_offset(demo_event, 2.0, 1.5)
    moved = render_pngs(
        BadgeService(db, moved_event).render_badges(ids, layout="avery-l4785"), tmp_path, DPI
    )[0]
    before = {text: (x, y) for text, x, y in decode_qr(plain)}
    after = {text: (x, y) for text, x, y in decode_qr(moved)}
    assert set(before) == set(after) == {code for _, code in hard_people[:4]}
    for code, (x, y) in before.items():
        assert after[code][0] - x == pytest.approx(px(2.0), abs=2)
        assert after[code][1] - y == pytest.approx(px(1.5), abs=2)  # down on the page
    # Single badges are not sheets: no offset.
    plain_a6 = BadgeService(db, demo_event).render_badges(ids[:1], layout="a6")
    moved_a6 = BadgeService(db, moved_event).render_badges(ids[:1], layout="a6")
    ((_t1, x1, y1),) = decode_qr(render_pngs(plain_a6, tmp_path, DPI)[0])
    ((_t2, x2, y2),) = decode_qr(render_pngs(moved_a6, tmp_path, DPI)[0])
    assert (x2, y2) == pytest.approx((x1, y1), abs=1)


def test_calibration_page_outlines_every_label(db, demo_event, tmp_path, capsys):
    out = tmp_path / "kalibrierung.pdf"
    assert run(db, ["badges", "--out", str(out), "--layout", "avery-l4785", "--calibration"]) == 0
    printed = capsys.readouterr().out
    assert "Kalibrierseite" in printed
    assert "offset_x / offset_y" in printed
    reader = pdf_reader(out)
    assert len(reader.pages) == 1
    assert "Versatz jetzt 0 mm nach rechts, 0 mm nach unten." in reader.pages[0].extract_text()
    (image,) = render_pngs(out, tmp_path, DPI)
    gray = image.convert("L")
    layout = get_layout("avery-l4785")
    for slot in layout.slots():
        # The left edge of every outline is inked halfway down the label.
        x, y = round(px(slot.x)), round(px(slot.y + slot.height / 2))
        assert min(gray.getpixel((x + dx, y)) for dx in (-1, 0, 1)) < 128, slot
    with pytest.raises(UserError, match="Etikettenbögen"):
        run(db, ["badges", "--out", str(out), "--layout", "a6", "--calibration"])
