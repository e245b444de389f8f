"""Every layout rendered for real: page sizes, fonts embedded, boxes inside, QR decodes, names extract."""

from __future__ import annotations

import math
import unicodedata

import pytest
from badge_helpers import MM, decode_qr, embedded_fonts, pdf_reader, render_pngs

from checkin.badges.layouts import BUILTIN_LAYOUTS
from checkin.badges.service import BadgeService
from tests.helpers import HARD_NAMES


def squash(text: str) -> str:
    """Compatibility-normalised text without whitespace (line breaks may fall anywhere)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def expected_pages(layout, count: int, double_sided: bool = False) -> int:
    if layout.kind == "fold":
        return count
    pages = math.ceil(count / layout.per_page)
    return pages * 2 if double_sided else pages


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS, ids=lambda layout: layout.key)
def test_layout_renders_hard_names_correctly(db, demo_event, hard_people, tmp_path, layout):
    service = BadgeService(db, demo_event)
    service.renderer.boxes = []
    ids = [registration_id for registration_id, _ in hard_people]
    codes = [code for _, code in hard_people]
    pdf = service.render_badges(ids, layout=layout.key)

    reader = pdf_reader(pdf)
    assert len(reader.pages) == expected_pages(layout, len(ids))
    for page in reader.pages:
        width_mm = float(page.mediabox.width) / MM
        height_mm = float(page.mediabox.height) / MM
        assert width_mm == pytest.approx(layout.page_width, abs=0.1)
        assert height_mm == pytest.approx(layout.page_height, abs=0.1)

    fonts = embedded_fonts(reader)
    assert fonts
    assert all(fonts.values()), fonts

    boxes = service.renderer.boxes
    assert {"first_name", "last_name", "qr", "band", "organisation"} <= {box.kind for box in boxes}
    outside = [box for box in boxes if not box.inside_badge()]
    assert not outside

    text = squash("".join(page.extract_text() for page in reader.pages))
    for person in HARD_NAMES:
        assert squash(person.first_name) in text
        assert squash(person.last_name) in text

    decoded: list[str] = []
    for image in render_pngs(pdf, tmp_path):
        decoded.extend(text for text, _x, _y in decode_qr(image))
    if layout.kind == "fold":
        assert decoded == [code for code in codes for _ in (0, 1)]
    else:
        assert sorted(decoded) == sorted(codes)


def test_single_badges_come_in_the_given_order(db, demo_event, hard_people, tmp_path):
    service = BadgeService(db, demo_event)
    chosen = [hard_people[3], hard_people[0], hard_people[7]]
    pdf = service.render_badges([registration_id for registration_id, _ in chosen], layout="a6")
    pages = render_pngs(pdf, tmp_path)
    assert [[text for text, _x, _y in decode_qr(page)] for page in pages] == [[code] for _, code in chosen]


def test_sheet_fills_rows_left_to_right(db, demo_event, hard_people, tmp_path):
    service = BadgeService(db, demo_event)
    ids = [registration_id for registration_id, _ in hard_people[:4]]
    (page,) = render_pngs(service.render_badges(ids, layout="a4-4xa6"), tmp_path)
    found = sorted(decode_qr(page), key=lambda hit: (round(hit[2] / 100), hit[1]))
    assert [text for text, _x, _y in found] == [code for _, code in hard_people[:4]]


def test_double_sided_sheet_mirrors_the_back(db, demo_event, hard_people, tmp_path):
    service = BadgeService(db, demo_event)
    ids = [registration_id for registration_id, _ in hard_people[:3]]
    pdf = service.render_badges(ids, layout="avery-l4785", double_sided=True)
    front, back = render_pngs(pdf, tmp_path)
    page_width = front.width
    front_hits = {text: (x, y) for text, x, y in decode_qr(front)}
    back_hits = {text: (x, y) for text, x, y in decode_qr(back)}
    assert set(front_hits) == set(back_hits) == {code for _, code in hard_people[:3]}
    for code, (x, y) in front_hits.items():
        back_x, back_y = back_hits[code]
        assert back_y == pytest.approx(y, abs=3)
        # Mirrored badge: same badge behind, so its slot is mirrored (QR sits right in both).
        assert (x < page_width / 2) != (back_x < page_width / 2)


def test_double_sided_single_badge_repeats_the_name(db, demo_event, hard_people, tmp_path):
    service = BadgeService(db, demo_event)
    pdf = service.render_badges([hard_people[1][0]], layout="a6", double_sided=True)
    reader = pdf_reader(pdf)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert "Wróblewski" in page.extract_text()


def test_partial_last_sheet_has_no_blank_page(db, demo_event, hard_people):
    service = BadgeService(db, demo_event)
    ids = [registration_id for registration_id, _ in hard_people[:9]]
    reader = pdf_reader(service.render_badges(ids, layout="a4-8xa7"))
    assert len(reader.pages) == 2
    assert all(page.extract_text().strip() for page in reader.pages)


def test_badge_shows_title_organisation_function_category_and_workshop(db, demo_event, hard_people):
    service = BadgeService(db, demo_event)
    text = pdf_reader(service.render_badges([hard_people[0][0]])).pages[0].extract_text()
    assert "Prof. Dr." in text
    assert "REFERENT/IN" in text
    assert squash("Kommunales Jobcenter des Landkreises Marburg-") in squash(text)
    assert "Zukunftswerkstatt 1: Ganzheitliche" in text
    assert "Tag der kommunalen Jobcenter 2024" in text
    assert "19./20.09.2024 · Tagungswerk Berlin" in text


def test_nothing_is_truncated_for_the_hard_names_on_a6(db, demo_event, hard_people):
    service = BadgeService(db, demo_event)
    service.renderer.boxes = []
    service.render_badges([registration_id for registration_id, _ in hard_people], layout="a6")
    assert not [box for box in service.renderer.boxes if box.text.endswith("…")]


def test_logo_from_the_event_file_is_drawn(db, demo_event, hard_people, tmp_path):
    import dataclasses

    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (200, 30, 30)).save(logo)
    definition = {**demo_event.definition, "badge": {**demo_event.definition["badge"], "logo": str(logo)}}
    event = dataclasses.replace(demo_event, definition=definition)
    service = BadgeService(db, event)
    service.renderer.boxes = []
    service.render_badges([hard_people[0][0]], layout="cr80")
    logos = [box for box in service.renderer.boxes if box.kind == "logo"]
    assert len(logos) == 1
    assert logos[0].inside_badge()


def test_label_sheet_from_the_event_file_renders(db, demo_event, hard_people, tmp_path):
    import dataclasses

    sheet = {
        "key": "herma-4412",
        "title": "HERMA 4412",
        "page_size": "A4",
        "label_width": 96.5,
        "label_height": 67.7,
        "columns": 2,
        "rows": 4,
        "margin_left": 8.0,
        "margin_top": 13.0,
        "cut_marks": True,
    }
    definition = {**demo_event.definition, "badge": {**demo_event.definition["badge"], "sheets": [sheet]}}
    event = dataclasses.replace(demo_event, definition=definition)
    service = BadgeService(db, event)
    service.renderer.boxes = []
    pdf = service.render_badges([registration_id for registration_id, _ in hard_people], layout="herma-4412")
    reader = pdf_reader(pdf)
    assert len(reader.pages) == 2
    assert float(reader.pages[0].mediabox.width) / MM == pytest.approx(210, abs=0.1)
    assert all(box.inside_badge() for box in service.renderer.boxes)
    qr_boxes = [box for box in service.renderer.boxes if box.kind == "qr"]
    assert len(qr_boxes) == len(hard_people)
    first_badge = qr_boxes[0].badge
    assert first_badge[0] / MM == pytest.approx(8.0, abs=0.1)
    assert (first_badge[2] - first_badge[0]) / MM == pytest.approx(96.5, abs=0.1)
    decoded = [text for image in render_pngs(pdf, tmp_path) for text, _x, _y in decode_qr(image)]
    assert sorted(decoded) == sorted(code for _, code in hard_people)
