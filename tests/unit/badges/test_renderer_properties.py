"""Whatever the data, every box the renderer draws stays inside its badge, on every layout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.colours import text_colour_on
from checkin.badges.layouts import BUILTIN_LAYOUTS
from checkin.badges.pages import BadgePageWriter
from checkin.badges.render import BadgeData, BadgeRenderer, BadgeStyle

LETTERS = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜäöüßŁłŞşễịΑβγДжשרמحمد-–. ()/") + [" "] * 8
)
field = st.text(alphabet=st.sampled_from(LETTERS), max_size=140)
short = st.text(alphabet=st.sampled_from(LETTERS), max_size=40)


@st.composite
def badges(draw: st.DrawFn) -> BadgeData:
    return BadgeData(
        code=draw(st.text(alphabet="23456789ABCDEFGHJKMNPQRSTUVWXYZ", min_size=1, max_size=60)),
        first_name=draw(short),
        last_name=draw(field),
        title=draw(short),
        organisation=draw(field),
        function=draw(field),
        category_label=draw(short),
        category_colour=draw(st.sampled_from(["#1f5fa8", "#ffff00", "#000", "nonsense", ""])),
        workshops=tuple(draw(st.lists(field, max_size=4))),
    )


@pytest.fixture(scope="module")
def logos(tmp_path_factory: pytest.TempPathFactory) -> list[Path | None]:
    """No logo, a wide one and a tall one."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("logos")
    result: list[Path | None] = [None]
    for name, size in (("wide.png", (600, 120)), ("tall.png", (100, 400))):
        Image.new("RGB", size, (20, 90, 160)).save(folder / name)
        result.append(folder / name)
    return result


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=badges(),
    layout=st.sampled_from(BUILTIN_LAYOUTS),
    footer=short,
    event=field,
    logo=st.integers(min_value=0, max_value=2),
)
def test_boxes_stay_inside_the_badge(logos, data, layout, footer, event, logo):
    style = BadgeStyle(
        event, logo=logos[logo], footer=footer, workshop_heading="Workshop", show_workshops=True
    )
    renderer = BadgeRenderer(style)
    renderer.boxes = []
    canvas = Canvas(io.BytesIO())
    writer = BadgePageWriter(canvas, layout, renderer)
    writer.add(data)
    writer.close()
    assert writer.pages == 1
    outside = [box for box in renderer.boxes if not box.inside_badge()]
    assert not outside
    qr = [box for box in renderer.boxes if box.kind == "qr"]
    assert qr
    # Nothing else is drawn on the QR code and its quiet zone.
    for box in renderer.boxes:
        if box.kind in {"qr", "band", "rule"} or box.badge != qr[0].badge:
            continue
        q = qr[0]
        assert (
            box.x1 <= q.x0 + 0.01 or box.x0 >= q.x1 - 0.01 or box.y1 <= q.y0 + 0.01 or box.y0 >= q.y1 - 0.01
        ), (
            box.kind,
            box.text,
        )


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        ((0.12, 0.37, 0.66), (1.0, 1.0, 1.0)),
        ((1.0, 1.0, 0.0), (0.07, 0.07, 0.09)),
        ((0.7, 0.15, 0.12), (1.0, 1.0, 1.0)),
    ],
)
def test_band_text_has_the_better_contrast(colour, expected):
    assert text_colour_on(colour) == expected
