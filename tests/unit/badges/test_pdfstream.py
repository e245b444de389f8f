"""The streaming PDF writer joins reportlab parts into one valid file."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from badge_helpers import embedded_fonts, pdf_reader
from PIL import Image
from pypdf import PdfReader

from checkin.badges.fonts import draw_runs, register_fonts
from checkin.badges.pdfstream import StreamingPdfWriter, single_pdf


def pages(label: str, count: int, image_path=None):
    fonts = register_fonts()

    def draw(canvas):
        for number in range(count):
            canvas.setPageSize((200 + number, 300))
            draw_runs(canvas, 20, 200, f"{label} {number} Łódź שרה", fonts, 12)
            if image_path is not None:
                canvas.drawImage(str(image_path), 20, 20, 50, 50)
            canvas.showPage()

    return draw


def test_parts_are_joined_in_order(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (20, 20), (0, 90, 200)).save(logo)
    out = tmp_path / "joined.pdf"
    with StreamingPdfWriter(out, title="Namensschilder") as writer:
        assert writer.add_part(pages("part-a", 3, logo)) == 3
        assert writer.add_part(pages("part-b", 2)) == 2
        assert writer.add_part(lambda canvas: None) == 0  # no page, nothing added
    reader = PdfReader(out, strict=True)
    assert len(reader.pages) == 5
    texts = [page.extract_text() for page in reader.pages]
    assert [t.split()[0:2] for t in texts] == [
        ["part-a", "0"],
        ["part-a", "1"],
        ["part-a", "2"],
        ["part-b", "0"],
        ["part-b", "1"],
    ]
    assert all("Łódź" in t for t in texts)
    assert [float(p.mediabox.width) for p in reader.pages] == [200, 201, 202, 200, 201]
    assert reader.metadata.title == "Namensschilder"
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+5$", info.stdout, re.MULTILINE)
    assert not info.stderr


def test_binary_file_output(tmp_path):
    buffer = io.BytesIO()
    with StreamingPdfWriter(buffer) as writer:
        writer.add_part(pages("x", 1))
    assert len(pdf_reader(buffer.getvalue()).pages) == 1


def test_a_pdf_without_pages_is_refused(tmp_path):
    writer = StreamingPdfWriter(io.BytesIO())
    with pytest.raises(ValueError, match="page"):
        writer.close()


def test_single_pdf_is_a_plain_reportlab_document():
    data = single_pdf(pages("single", 2), title="t")
    assert data.startswith(b"%PDF-1.4")
    assert len(pdf_reader(data).pages) == 2


def _subset_names(reader: PdfReader) -> list[str]:
    """BaseFont of every distinct font object the pages use."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts[ref.idnum] = str(ref.get_object()["/BaseFont"])
    return list(fonts.values())


def test_every_font_subset_of_a_streamed_file_has_its_own_name(tmp_path):
    fonts = register_fonts()

    def part(canvas):
        canvas.setFont(fonts.regular, 12)
        canvas.drawString(72, 720, "Jürgen Müller")
        canvas.setFont(fonts.bold, 12)
        canvas.drawString(72, 700, "Şebnem Yılmaz")
        canvas.showPage()

    out = tmp_path / "parts.pdf"
    with StreamingPdfWriter(out) as pdf:
        for _ in range(3):
            pdf.add_part(part)
    reader = PdfReader(out)
    names = _subset_names(reader)
    assert len(names) == 6  # two faces in each of three parts
    tags = [name.split("+")[0] for name in names]
    assert len(set(tags)) == 6
    assert all(len(tag) == 7 and tag[1:].isalpha() and tag[1:].isupper() for tag in tags)  # "/ABCDEF"
    # The text still extracts and the fonts are still embedded under their new names.
    assert "Şebnem Yılmaz" in reader.pages[2].extract_text()
    assert all(embedded_fonts(reader).values())


def test_a_single_pdf_gives_each_subset_its_own_tag():
    fonts = register_fonts()

    def draw(canvas):
        canvas.setFont(fonts.regular, 12)
        canvas.drawString(72, 720, "Regular")
        canvas.setFont(fonts.bold, 12)
        canvas.drawString(72, 700, "Bold")
        canvas.showPage()

    reader = PdfReader(io.BytesIO(single_pdf(draw)))
    tags = [name.split("+")[0] for name in _subset_names(reader)]
    assert len(tags) == 2
    assert len(set(tags)) == 2
    assert reader.pages[0].extract_text().split() == ["Regular", "Bold"]
