"""Layouts: built-ins from FORMATS.md, event-file label sheets, mirrored backs."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from checkin.badges.layouts import (
    BUILTIN_LAYOUTS,
    LayoutError,
    available_layouts,
    get_layout,
    sheet_from_spec,
)
from checkin.domain.events import EventInfo

SHEET = {
    "key": "herma-4412",
    "title": "HERMA 4412",
    "page_size": "A4",
    "label_width": 96.5,
    "label_height": 67.7,
    "columns": 2,
    "rows": 4,
    "margin_left": 8.0,
    "margin_top": 13.0,
    "gap_x": 0.0,
    "gap_y": 0.0,
}


def with_sheets(event: EventInfo, sheets: list[dict]) -> EventInfo:
    definition = dict(event.definition)
    definition["badge"] = {**definition.get("badge", {}), "sheets": sheets}
    return dataclasses.replace(event, definition=definition)


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS, ids=lambda layout: layout.key)
def test_badges_lie_on_the_page_and_do_not_overlap(layout):
    for back in (False, True):
        slots = layout.slots(back=back)
        assert len(slots) == (1 if layout.kind == "fold" else layout.per_page)
        for slot in slots:
            assert slot.x >= -1e-9
            assert slot.y >= -1e-9
            assert slot.x + slot.width <= layout.page_width + 1e-9
            assert slot.y + slot.height <= layout.page_height + 1e-9
        for a, b in itertools.combinations(slots, 2):
            overlap_x = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
            overlap_y = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
            assert overlap_x <= 1e-9 or overlap_y <= 1e-9


@pytest.mark.parametrize(
    ("key", "page", "badge", "per_page", "first"),
    [
        ("a6", (105, 148), (105, 148), 1, (0, 0)),
        ("a7", (74, 105), (74, 105), 1, (0, 0)),
        ("cr80", (85.6, 54), (85.6, 54), 1, (0, 0)),
        ("a4-4xa6", (210, 297), (105, 148), 4, (0, 0.5)),
        ("a4-8xa7", (297, 210), (74, 105), 8, (0.5, 0)),
        ("a4-10x90x54", (210, 297), (90, 54), 10, (15, 13.5)),
        ("avery-l4785", (210, 297), (80, 50), 10, (18, 13)),
        ("avery-c32011", (210, 297), (85, 54), 10, (15, 13.5)),
        ("avery-5395", (215.9, 279.4), (85.725, 59.2582), 8, (17.4625, 14.8082)),
        ("dymo-11356", (89, 41), (89, 41), 1, (0, 0)),
        ("dymo-30374", (89, 51), (89, 51), 1, (0, 0)),
        ("dymo-99015", (70, 54), (70, 54), 1, (0, 0)),
        ("zebra-57x102", (102, 57), (102, 57), 1, (0, 0)),
        ("brother-dk1202", (100, 62), (100, 62), 1, (0, 0)),
    ],
)
def test_builtin_layout_dimensions(key, page, badge, per_page, first):
    layout = get_layout(key)
    assert layout.page_size_mm == pytest.approx(page, abs=0.05)
    assert (layout.badge_width, layout.badge_height) == pytest.approx(badge, abs=0.05)
    assert layout.per_page == per_page
    assert (layout.slots()[0].x, layout.slots()[0].y) == pytest.approx(first, abs=0.05)


def test_avery_pitch_matches_the_stock():
    slots = get_layout("avery-l4785").slots()
    assert slots[1].x - slots[0].x == pytest.approx(95.0)
    assert slots[2].y - slots[0].y == pytest.approx(55.0)


def test_fold_badge_has_front_bottom_left_and_back_bottom_right():
    layout = get_layout("a4-fold-a6")
    (front,) = layout.slots()
    back = layout.fold_back_slot()
    assert (front.x, front.y, front.width, front.height) == pytest.approx((0, 148.5, 105, 148.5))
    assert (back.x, back.y) == pytest.approx((105, 148.5))


def test_back_page_mirrors_every_badge_left_to_right():
    layout = get_layout("avery-l4785")
    for front, back in zip(layout.slots(), layout.slots(back=True), strict=True):
        assert back.y == front.y
        assert back.x == pytest.approx(layout.page_width - front.x - front.width)


def test_event_file_sheets_are_offered_and_usable(demo_event):
    event = with_sheets(demo_event, [SHEET])
    keys = [info.key for info in available_layouts(event)]
    assert keys[-1] == "herma-4412"
    assert "a6" in keys
    layout = get_layout("HERMA-4412", event)
    assert layout.per_page == 8
    assert layout.title == "HERMA 4412"
    assert layout.slots()[7].y == pytest.approx(13.0 + 3 * 67.7)


def test_default_layout_is_the_events(demo_event):
    assert get_layout(None, demo_event).key == demo_event.badge_layout == "a6"


def test_layout_titles_are_translated(demo_event):
    titles = {info.key: info.title for info in available_layouts(demo_event)}
    assert titles["a6"] == "A6 hoch (105 × 148 mm)"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"label_width": "wide"}, "label_width"),
        ({"columns": 0}, "columns"),
        ({"page_size": "B7"}, "page_size"),
        ({"margin_left": -1}, "margin_left"),
        ({"columns": 3}, "passen nicht"),
        ({"label_height": 10}, "mindestens"),
        ({"key": ""}, "key"),
    ],
)
def test_bad_sheets_get_a_clear_message(change, message):
    with pytest.raises(LayoutError, match=message):
        sheet_from_spec({**SHEET, **change})


def test_sheet_with_page_size_in_millimetres():
    layout = sheet_from_spec({**SHEET, "page_size": [100, 300], "columns": 1, "margin_left": 2})
    assert layout.page_size_mm == (100.0, 300.0)


def test_unknown_layout_lists_the_known_ones(demo_event):
    with pytest.raises(LayoutError, match="a4-4xa6"):
        get_layout("nope", demo_event)
