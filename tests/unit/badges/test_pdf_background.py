"""A PDF page as a badge background: under the content, vector, in batch, print-shop file and designer."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.design import TemplateDraft
from checkin.badges.layouts import get_layout
from checkin.badges.pages import BadgePageWriter
from checkin.badges.pdf_page import load_pdf_page, pdf_problem, template_problems
from checkin.badges.pdfstream import StreamingPdfWriter, single_pdf
from checkin.badges.printshop import BLEED_MM, SLUG_MM, draw_badge_page
from checkin.badges.render import BadgeData, BadgeRenderer, BadgeStyle
from checkin.badges.templates import default_front
from checkin.domain.badge_templates import BadgeTemplate, TemplateElement
from tests.unit.badges.badge_helpers import MM, decode_qr

ARTWORK = (230, 200, 40)  # the background's yellow
DOT = (20, 130, 80)  # a green disc in the middle of the artwork
DATA = BadgeData(
    "BG-2026-0042", "Jürgen", "Müller-Lüdenscheidt", organisation="Jobcenter Köln", category_label="Gast"
)


def artwork(path: Path, *, width_mm: float = 105, height_mm: float = 148, bleed_mm: float = 0.0) -> Path:
    """A vector PDF: yellow all over (its bleed included), a green disc in the middle, TrimBox when bled."""
    width, height, bleed = width_mm * MM, height_mm * MM, bleed_mm * MM
    canvas = Canvas(str(path), pagesize=(width + 2 * bleed, height + 2 * bleed))
    canvas.setFillColorRGB(*(c / 255 for c in ARTWORK))
    canvas.rect(0, 0, width + 2 * bleed, height + 2 * bleed, stroke=0, fill=1)
    canvas.setFillColorRGB(*(c / 255 for c in DOT))
    canvas.circle(bleed + width / 2, bleed + height / 2, 12 * MM, stroke=0, fill=1)
    if bleed:
        canvas.setTrimBox((bleed, bleed, bleed + width, bleed + height))
    canvas.showPage()
    canvas.save()
    return path


def style_with(src: Path, layout: str = "a6", **values: object) -> BadgeStyle:
    background = TemplateElement("background", 0, 0, 105, 148, src=str(src), **values)  # type: ignore[arg-type]
    front = (background, *default_front(105, 148, DATA.code))
    template = BadgeTemplate(layout, front, width=105, height=148)
    return BadgeStyle(event_name="Fachtag Inklusion 2026", templates=(template,))


def rasterise(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[Image.Image]:
    """Every page in colour (pdftoppm)."""
    source = tmp_path / "raster.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "r")], check=True)
    pages = []
    for png in sorted(tmp_path.glob("r*.png")):
        with Image.open(png) as image:
            pages.append(image.convert("RGB"))
        png.unlink()
    return pages


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def share(
    image: Image.Image, box: tuple[int, int, int, int], colour: tuple[int, int, int], tolerance: int = 12
) -> float:
    """Share of the pixels in ``box`` (left, top, right, bottom) that are ``colour``."""
    pixels = list(image.crop(box).get_flattened_data())
    return sum(near(p, colour, tolerance) for p in pixels) / len(pixels)


def a6_badge(style: BadgeStyle) -> bytes:
    renderer = BadgeRenderer(style)

    def draw(canvas: Canvas) -> None:
        canvas.setPageSize((105 * MM, 148 * MM))
        renderer.draw(canvas, 0, 0, 105 * MM, 148 * MM, DATA, layout="a6")
        canvas.showPage()

    return single_pdf(draw)


def test_the_pdf_page_lies_under_the_name_and_the_qr_code_still_decodes(tmp_path):
    pdf = a6_badge(style_with(artwork(tmp_path / "art.pdf")))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Jürgen" in text
    assert "Müller-" in text
    assert "Lüdenscheidt" in text  # the name is still there, as text, on top
    (page,) = rasterise(pdf, tmp_path)
    px = page.width / 105  # pixels per mm
    # Around the name (upper third, left): mostly artwork, with dark glyphs on it.
    name_area = (int(8 * px), int(30 * px), int(95 * px), int(60 * px))
    assert share(page, name_area, ARTWORK) > 0.4
    assert share(page, name_area, (0, 0, 0), tolerance=90) > 0.02
    # The disc in the middle, drawn as vectors: its centre is solid green.
    centre = page.getpixel((int(52.5 * px), int(74 * px)))
    assert near(centre, DOT), centre
    # The badge content is drawn after the background: the band is the category colour, not yellow.
    assert not near(page.getpixel((int(50 * px), int(145 * px))), ARTWORK)
    assert [code for code, _x, _y in decode_qr(page)] == [DATA.code]


def test_the_qr_code_keeps_a_light_quiet_zone_on_busy_artwork(tmp_path):
    dark = tmp_path / "busy.pdf"
    canvas = Canvas(str(dark), pagesize=(105 * MM, 148 * MM))
    canvas.setFillColorRGB(0.1, 0.15, 0.35)
    for step in range(0, 150, 2):  # a dark grid finer than the code's modules
        canvas.rect(step * MM, 0, 0.9 * MM, 148 * MM, stroke=0, fill=1)
        canvas.rect(0, step * MM, 105 * MM, 0.9 * MM, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    (page,) = rasterise(a6_badge(style_with(dark)), tmp_path)
    assert [code for code, _x, _y in decode_qr(page)] == [DATA.code]


def test_the_background_stays_vector_and_is_embedded_once_per_document(tmp_path):
    style = style_with(artwork(tmp_path / "art.pdf"), layout="a4-4xa6")
    renderer = BadgeRenderer(style)
    layout = get_layout("a4-4xa6")

    def draw(canvas: Canvas) -> None:
        writer = BadgePageWriter(canvas, layout, renderer)
        for number in range(8):
            writer.add(BadgeData(f"BG-{number}", "Ada", f"Person {number}"))
        writer.close()

    out = tmp_path / "batch.pdf"
    with StreamingPdfWriter(out, title="Badges") as stream:
        stream.add_part(draw)
        stream.add_part(draw)
    reader = PdfReader(out, strict=True)
    assert len(reader.pages) == 4
    forms = set()
    for page in reader.pages:
        xobjects = page["/Resources"]["/XObject"]
        for name in xobjects:
            obj = xobjects.raw_get(name)
            if xobjects[name]["/Subtype"] == "/Form":
                forms.add(obj.idnum)
        assert not any(xobjects[n]["/Subtype"] == "/Image" for n in xobjects)  # no raster copy of it
    assert len(forms) == 2  # one form per rendered part, shared by its 8 badges
    images = rasterise(out.read_bytes(), tmp_path, dpi=40)
    for image in images:
        assert share(image, (0, 0, image.width, image.height), ARTWORK) > 0.4


def test_print_shop_file_runs_the_pdf_bleed_past_the_trim_and_no_further(tmp_path):
    style = style_with(artwork(tmp_path / "bled.pdf", bleed_mm=3))
    layout = get_layout("a6")
    pdf = single_pdf(lambda canvas: draw_badge_page(canvas, layout, BadgeRenderer(style), DATA))
    (page,) = rasterise(pdf, tmp_path)
    px = page.width / (105 + 2 * (BLEED_MM + SLUG_MM))
    trim = (BLEED_MM + SLUG_MM) * px
    mid_y = int(trim + 74 * px)
    # Inside the bleed (1.5 mm left of the trim): artwork; in the slug beyond it: paper.
    assert near(page.getpixel((int(trim - 1.5 * px), mid_y)), ARTWORK)
    assert near(page.getpixel((int(trim - 4.5 * px), mid_y)), (255, 255, 255))
    # The TrimBox of the artwork sits on the badge's trim: the disc is centred on the badge.
    centre = page.getpixel((int(trim + 52.5 * px), mid_y))
    assert near(centre, DOT), centre


def test_a_chosen_page_and_a_rotated_page(tmp_path):
    first = artwork(tmp_path / "one.pdf")
    green = tmp_path / "two.pdf"
    canvas = Canvas(str(green), pagesize=(148 * MM, 105 * MM))  # landscape, shown rotated on the badge
    canvas.setFillColorRGB(*(c / 255 for c in DOT))
    canvas.rect(0, 0, 74 * MM, 105 * MM, stroke=0, fill=1)  # left half green...
    canvas.showPage()
    canvas.save()
    writer = PdfWriter()
    writer.append(str(first))
    writer.append(str(green))
    writer.pages[1].rotate(90)  # ...which is the top half once turned clockwise
    both = tmp_path / "both.pdf"
    writer.write(both)
    assert load_pdf_page(str(both), 2).getSize() == pytest.approx((105 * MM, 148 * MM))
    (page,) = rasterise(a6_badge(style_with(both, page=2)), tmp_path)
    px = page.width / 105
    assert near(page.getpixel((int(3 * px), int(20 * px))), DOT)
    assert near(page.getpixel((int(3 * px), int(120 * px))), (255, 255, 255))


def _encrypted(path: Path) -> Path:
    writer = PdfWriter()
    writer.append(str(artwork(path.with_name("plain.pdf"))))
    writer.encrypt("secret", algorithm="AES-256")
    writer.write(path)
    return path


def _empty(path: Path) -> Path:
    PdfWriter().write(path)
    return path


def _damaged(path: Path) -> Path:
    whole = artwork(path.with_name("whole.pdf")).read_bytes()
    path.write_bytes(whole[:200] + b"\x00garbage" * 20)
    return path


@pytest.mark.parametrize(
    ("make", "page", "reason"),
    [
        (_encrypted, 1, "die Datei ist verschlüsselt"),
        (_empty, 1, "die Datei hat keine Seiten"),
        (_damaged, 1, "die Datei ist beschädigt oder kein PDF"),
        (lambda p: artwork(p), 3, "Seite 3 ist angegeben, die Datei hat 1"),
    ],
)
def test_an_unusable_pdf_is_named_and_the_badge_prints_without_it(tmp_path, make, page, reason):
    path = make(tmp_path / "bad.pdf")
    problem = pdf_problem(str(path), page)
    assert problem == (
        f"Der Hintergrund bad.pdf kann nicht verwendet werden ({reason}); "
        "die Namensschilder werden ohne ihn gedruckt."
    )
    style = style_with(path, page=page)
    assert template_problems(style.templates) == [problem]
    pdf = a6_badge(style)
    assert "Lüdenscheidt" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    (image,) = rasterise(pdf, tmp_path)
    assert share(image, (0, 0, image.width, image.height), ARTWORK) == 0
    assert [code for code, _x, _y in decode_qr(image)] == [DATA.code]


def test_a_usable_pdf_has_no_problem(tmp_path):
    style = style_with(artwork(tmp_path / "art.pdf"))
    assert template_problems(style.templates) == []


def test_the_designer_preview_shows_the_pdf_background(tmp_path):
    style = style_with(artwork(tmp_path / "art.pdf"))
    draft = TemplateDraft(style.templates, style, get_layout("a6"))
    assert draft.elements()[0].kind == "background"
    (page,) = rasterise(draft.preview_pdf(DATA), tmp_path, dpi=60)
    px = page.width / 105
    assert near(page.getpixel((int(52.5 * px), int(74 * px))), DOT)


TEMPLATE = """
[[badge.templates]]
layout = "a6"

[[badge.templates.front]]
kind = "background"
src = "{src}"
page = {page}
x = 0.0
y = 0.0
w = 105.0
h = 148.0
"""


@pytest.mark.parametrize(("page", "warned"), [(1, False), (2, True)])
def test_the_event_file_names_a_pdf_and_the_command_line_prints_with_it(db, tmp_path, capsys, page, warned):
    import shutil

    from checkin.domain.eventfile import load_event_file
    from checkin.domain.events import EventService
    from checkin.resources import demo_event_file
    from tests.helpers import People
    from tests.unit.cli.test_badge_commands import run

    event_file = tmp_path / "event.toml"
    shutil.copy(demo_event_file(), event_file)
    artwork(tmp_path / "Hintergrund.pdf")
    text = event_file.read_text(encoding="utf-8") + TEMPLATE.format(src="Hintergrund.pdf", page=page)
    event_file.write_text(text, encoding="utf-8")
    event = EventService(db).load_definition(load_event_file(event_file))
    People(db, event).add("Jürgen", "Müller", days=())
    out = tmp_path / "badges.pdf"
    assert run(db, ["badges", "--out", str(out), "--layout", "a6", "--no-log"]) == 0
    err = capsys.readouterr().err
    assert ("Der Hintergrund Hintergrund.pdf kann nicht verwendet werden" in err) is warned
    (image,) = rasterise(out.read_bytes(), tmp_path, dpi=40)
    assert (share(image, (0, 0, image.width, image.height), ARTWORK) > 0.4) is not warned


def test_a_pdf_protected_only_by_an_owner_password_is_used(tmp_path):
    writer = PdfWriter()
    writer.append(str(artwork(tmp_path / "plain.pdf")))
    writer.encrypt(user_password="", owner_password="druckerei", algorithm="AES-128")
    protected = tmp_path / "protected.pdf"
    writer.write(protected)
    assert pdf_problem(str(protected)) is None
    (page,) = rasterise(a6_badge(style_with(protected)), tmp_path)
    px = page.width / 105
    assert near(page.getpixel((int(52.5 * px), int(74 * px))), DOT)


def test_the_word_stream_inside_the_artwork_does_not_confuse_the_batch_writer(tmp_path):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.append(str(artwork(tmp_path / "plain.pdf")))
    marked = DictionaryObject({NameObject("/Title"): TextStringObject("livestream >> stream")})
    properties = DictionaryObject({NameObject("/MC0"): writer._add_object(marked)})
    writer.pages[0]["/Resources"][NameObject("/Properties")] = properties
    art = tmp_path / "stream-words.pdf"
    writer.write(art)
    renderer = BadgeRenderer(style_with(art))

    def draw(canvas: Canvas) -> None:
        canvas.setPageSize((105 * MM, 148 * MM))
        renderer.draw(canvas, 0, 0, 105 * MM, 148 * MM, DATA, layout="a6")
        canvas.showPage()

    out = tmp_path / "batch.pdf"
    with StreamingPdfWriter(out) as stream:
        stream.add_part(draw)
    assert "Lüdenscheidt" in PdfReader(out, strict=True).pages[0].extract_text()
    (page,) = rasterise(out.read_bytes(), tmp_path)
    px = page.width / 105
    assert near(page.getpixel((int(52.5 * px), int(74 * px))), DOT)


def test_a_broken_file_is_read_once_per_batch_not_once_per_badge(tmp_path, monkeypatch):
    import pypdf

    reads = []

    class CountingReader(pypdf.PdfReader):
        def __init__(self, *args: object, **kwargs: object) -> None:
            reads.append(args)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pypdf, "PdfReader", CountingReader)
    style = style_with(_damaged(tmp_path / "bad.pdf"))
    renderer = BadgeRenderer(style)

    def draw(canvas: Canvas) -> None:
        for _number in range(5):
            renderer.draw(canvas, 0, 0, 105 * MM, 148 * MM, DATA, layout="a6")
            canvas.showPage()

    single_pdf(draw)
    assert template_problems(style.templates)
    assert len(reads) == 1
