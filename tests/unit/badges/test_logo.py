"""The event logo is scaled, flattened onto white and embedded as JPEG without re-encoding."""

from __future__ import annotations

import logging

from badge_helpers import pdf_reader
from PIL import Image

from checkin.badges.layouts import get_layout
from checkin.badges.logo import MAX_PIXELS, load_logo
from checkin.badges.pages import BadgePageWriter
from checkin.badges.pdfstream import single_pdf
from checkin.badges.render import BadgeData, BadgeRenderer, BadgeStyle


def test_no_logo_or_a_missing_file_gives_none(tmp_path):
    assert load_logo(None) is None
    assert load_logo("") is None
    assert load_logo(tmp_path / "missing.png") is None


def test_an_unreadable_logo_is_logged_and_left_out(tmp_path, caplog):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"this is not a picture")
    with caplog.at_level(logging.WARNING, logger="checkin.badges.logo"):
        assert load_logo(broken) is None
    assert "logo.png" in caplog.text


def test_large_transparent_logo_is_scaled_and_flattened_onto_white(tmp_path):
    path = tmp_path / "logo.png"
    image = Image.new("RGBA", (3000, 1000), (0, 0, 0, 0))
    image.paste((200, 20, 20, 255), (0, 0, 1000, 1000))
    image.save(path)
    reader = load_logo(path)
    assert reader is not None
    assert reader.getSize() == (MAX_PIXELS, round(MAX_PIXELS / 3))
    assert reader.jpeg_fh() is not None  # JPEG: reportlab copies it into each PDF as is
    right = reader.getRGBData()  # the transparent right part became white
    width, _height = reader.getSize()
    row = 50 * width * 3
    assert tuple(right[row + 3 * (width - 5) : row + 3 * (width - 5) + 3]) == (255, 255, 255)
    assert right[row] > 180  # the red part stays red


def test_logo_is_embedded_as_jpeg(tmp_path):
    path = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (20, 90, 160)).save(path)
    renderer = BadgeRenderer(BadgeStyle("Event", logo=path))

    def draw(canvas):
        writer = BadgePageWriter(canvas, get_layout("a6"), renderer)
        writer.add(BadgeData("K7PX3MQ9WTRV4N", "Anna", "Müller"))
        writer.close()

    for _ in range(2):  # the same reader serves every document
        page = pdf_reader(single_pdf(draw)).pages[0]
        images = page["/Resources"]["/XObject"]
        (image,) = (ref.get_object() for ref in images.values())
        assert "/DCTDecode" in str(image["/Filter"])
