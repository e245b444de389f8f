"""Badge templates: elements placed in mm, default templates as the design always was, sides, ribbons."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from badge_helpers import decode_qr, pdf_reader, render_pngs
from reportlab.pdfgen.canvas import Canvas
from test_safe_area import SAFE_MM, border_ink, ink_in

from checkin.badges.layouts import MM, get_layout, iter_layouts
from checkin.badges.pages import BadgePageWriter
from checkin.badges.render import BadgeData, BadgeRenderer, BadgeStyle
from checkin.badges.service import BadgeService
from checkin.badges.templates import TemplateBook, default_front, default_template, person_marks
from checkin.domain.badge_templates import BadgeTemplate, TemplateElement
from tests.helpers import HARD_NAMES, NewPerson, People

STYLE = BadgeStyle(
    event_name="Fachtagung Digitale Verwaltung 2024 im Tagungswerk",
    footer="19./20.09.2024 · Berlin",
    workshop_heading="Zukunftswerkstätten",
    show_workshops=True,
)
HARD = HARD_NAMES[0]
DATA = BadgeData(
    code="CODE-0000-XYZ",
    first_name=HARD.first_name,
    last_name=HARD.last_name,
    title=HARD.title,
    organisation=HARD.organisation,
    function=HARD.function,
    category_label="Referent/in",
    workshops=("Digitalisierung im Jobcenter: Wege und Irrwege", "Bass"),
)


def draw_pdf(
    style: BadgeStyle, layout_key: str, items: list[BadgeData], *, double_sided: bool = False
) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    writer = BadgePageWriter(canvas, get_layout(layout_key), BadgeRenderer(style), double_sided=double_sided)
    writer.add_all(items)
    writer.close()
    canvas.save()
    return buffer.getvalue()


def text_positions(pdf: bytes, page: int = 0) -> dict[str, tuple[float, float]]:
    """Text shown on ``page`` -> (x, y) of where it starts, in points (pypdf's text matrices)."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), (x, y))

    pdf_reader(pdf).pages[page].extract_text(visitor_text=visit)
    return found


def boxes(
    renderer: BadgeRenderer, width_mm: float, height_mm: float, data: BadgeData, **kwargs: object
) -> list:
    renderer.boxes = []
    renderer.draw(Canvas(io.BytesIO()), 0, 0, width_mm * MM, height_mm * MM, data, **kwargs)  # type: ignore[arg-type]
    return [
        (b.kind, b.text, round(b.x0, 3), round(b.y0, 3), round(b.x1, 3), round(b.y1, 3))
        for b in renderer.boxes
    ]


def test_the_default_a6_template_places_what_the_renderer_placed_before_templates():
    """Boxes measured on the renderer before it drew templates (commit a9da174), drawn at (10, 10)."""
    renderer = BadgeRenderer(STYLE)
    renderer.boxes = []
    renderer.draw(Canvas(io.BytesIO()), 10, 10, 105 * MM, 148 * MM, DATA, layout="a6")
    drawn = {
        (b.kind, b.text): (round(b.x0, 3), round(b.y0, 3), round(b.x1, 3), round(b.y1, 3))
        for b in renderer.boxes
    }
    assert drawn[("band", "Referent/in")] == (10, 10, 307.638, 49.685)
    assert drawn[("rule", "")] == (31.26, 387.206, 286.378, 387.806)
    assert drawn[("last_name", "Hohenzollern-Sigmaringen")] == (31.26, 260.577, 285.898, 286.455)
    assert drawn[("organisation", "Anstalt des öffentlichen Rechts")] == (31.26, 210.994, 210.418, 226.657)
    assert drawn[("qr", "CODE-0000-XYZ")] == (199.638, 56.772, 290.346, 147.48)
    assert drawn[("workshop", "Bass")] == (31.26, 103.467, 48.612, 114.363)


@pytest.mark.parametrize("layout", list(iter_layouts()), ids=lambda layout: layout.key)
def test_a_saved_default_template_draws_the_same_badge_as_no_template(layout):
    """What the designer starts from (and saves unchanged) is the badge as it is printed without one."""
    w, h = layout.badge_width - 2 * layout.safe_margin, layout.badge_height - 2 * layout.safe_margin
    saved = default_template(layout.key, w, h, DATA.code, workshops=True)
    plain = BadgeRenderer(STYLE)
    templated = BadgeRenderer(replace(STYLE, templates=(saved,)))
    for person in HARD_NAMES[:6]:
        data = replace(
            DATA, first_name=person.first_name, last_name=person.last_name, organisation=person.organisation
        )
        assert boxes(templated, w, h, data, layout=layout.key) == boxes(plain, w, h, data, layout=layout.key)


def test_moving_an_element_moves_its_text_in_the_pdf():
    front = (
        TemplateElement("text", 10, 20, 80, 12, field="last_name", size=20, bold=True),
        TemplateElement("text", 10, 40, 80, 8, field="organisation", size=10),
    )
    template = BadgeTemplate("a6", front)
    before = text_positions(draw_pdf(replace(STYLE, templates=(template,)), "a6", [DATA]))
    moved = replace(template, front=(front[0].moved(5, 12), front[1]))
    after = text_positions(draw_pdf(replace(STYLE, templates=(moved,)), "a6", [DATA]))
    name = "Freiherr von"  # the last name wraps to two lines in its 80 mm box
    assert after[name][0] - before[name][0] == pytest.approx(5 * MM, abs=0.01)
    assert after[name][1] - before[name][1] == pytest.approx(-12 * MM, abs=0.01)
    org = next(t for t in before if t.startswith("Kommunales"))
    assert after[org] == pytest.approx(before[org])
    # The element's box starts 10 mm from the badge's left edge and 20 mm below its top.
    assert before[name][0] == pytest.approx(10 * MM, abs=0.5)
    assert 148 * MM - before[name][1] == pytest.approx(20 * MM + 20 * 0.8, abs=3)


def test_a_back_side_of_its_own_is_printed_behind_the_front():
    wifi = TemplateElement(
        "text", 8, 10, 89, 30, text="WLAN Tagungswerk-Gast · Passwort Bürger2024", max_lines=3, size=12
    )
    plan = TemplateElement("workshops", 8, 45, 89, 80, size=11)
    template = BadgeTemplate("a6", default_front(105, 148, DATA.code), back=(wifi, plan))
    pdf = draw_pdf(replace(STYLE, templates=(template,)), "a6", [DATA], double_sided=True)
    reader = pdf_reader(pdf)
    assert len(reader.pages) == 2
    front, back = (page.extract_text() for page in reader.pages)
    assert "Hohenzollern-Sigmaringen" in front
    assert "WLAN" not in front
    assert "Passwort" in back
    assert "Bürger2024" in back
    assert "Digitalisierung im Jobcenter" in back
    assert "Hohenzollern-Sigmaringen" not in back


def test_without_a_back_of_its_own_the_back_repeats_the_front():
    pdf = draw_pdf(STYLE, "a6", [DATA], double_sided=True)
    front, back = (page.extract_text() for page in pdf_reader(pdf).pages)
    assert front == back


def test_the_inside_of_a_fold_badge_carries_the_personal_plan(tmp_path):
    pdf = draw_pdf(STYLE, "a4-fold-a6", [DATA, replace(DATA, workshops=())])
    with_plan, without = (page.extract_text() for page in pdf_reader(pdf).pages)
    assert with_plan.count("Digitalisierung im Jobcenter") == 3  # front, back, inside
    assert with_plan.count("Bass") == 3
    assert "Digitalisierung" not in without
    # The inside is the top-left quarter: ink there only for the person with a plan.
    first, second = render_pngs(pdf, tmp_path, dpi=60)
    quarter = (0, 0, first.size[0] // 2, first.size[1] // 2 - 10)
    assert ink_in(first, quarter) > 500
    assert ink_in(second, quarter) == 0


def test_an_inside_of_its_own_replaces_the_plan():
    template = BadgeTemplate(
        "a4-fold-a6",
        default_front(95, 138.5, DATA.code, workshops=True),
        inside=(TemplateElement("text", 10, 10, 75, 20, text="Programm: www.example.org/programm", size=12),),
    )
    pdf = draw_pdf(replace(STYLE, templates=(template,)), "a4-fold-a6", [DATA])
    text = pdf_reader(pdf).pages[0].extract_text()
    assert "www.example.org/programm" in text
    assert text.count("Bass") == 2


def test_a_template_for_a_category_wins_over_the_layouts_template():
    general = BadgeTemplate("a6", (TemplateElement("text", 10, 10, 80, 10, text="Allgemein"),))
    vip = BadgeTemplate("a6", (TemplateElement("text", 10, 10, 80, 10, text="Ehrengast"),), category="vip")
    book = TemplateBook((general, vip))
    assert book.elements("a6", "vip", "front", 105, 148, "X")[0].text == "Ehrengast"
    assert book.elements("a6", "press", "front", 105, 148, "X")[0].text == "Allgemein"
    assert book.elements("a7", "vip", "front", 74, 105, "X")[0].kind == "band"  # no template: the default


def test_a_template_designed_for_another_size_is_scaled():
    template = BadgeTemplate("a6", (TemplateElement("qr", 50, 70, 40, 40),), width=100, height=140)
    (qr,) = TemplateBook((template,)).elements("a6", "", "front", 50, 70, "X")
    assert (qr.x, qr.y, qr.w, qr.h) == pytest.approx((25, 35, 20, 20))


def test_ribbons_mark_categories_and_flags_and_pronouns_print():
    front = (
        TemplateElement("text", 8, 8, 89, 14, field="name", size=16, bold=True),
        TemplateElement("text", 8, 24, 89, 8, field="pronouns", text="Pronomen:", size=9),
        TemplateElement("ribbon", 0, 110, 105, 9, categories=("vip",), text="VIP"),
        TemplateElement("ribbon", 0, 120, 105, 9, flag="fotoverzicht", text="Keine Fotos"),
        TemplateElement("ribbon", 0, 130, 105, 9, flag="dolmetschen", text="Dolmetschen"),
    )
    style = replace(STYLE, templates=(BadgeTemplate("a6", front),))
    pronouns, flags = person_marks({"Pronomen": "sie/ihr", "Fotoverzicht": "ja", "Dolmetschen": "nein"})
    vip = replace(DATA, category_key="vip", pronouns=pronouns, flags=flags)
    text = pdf_reader(draw_pdf(style, "a6", [vip])).pages[0].extract_text()
    assert "Pronomen: sie/ihr" in text
    assert "VIP" in text
    assert "KEINE FOTOS" in text
    assert "DOLMETSCHEN" not in text
    plain = pdf_reader(draw_pdf(style, "a6", [DATA])).pages[0].extract_text()
    assert "VIP" not in plain
    assert "KEINE FOTOS" not in plain
    assert "Pronomen" not in plain


def test_the_service_passes_category_flags_and_pronouns_to_the_template(db, demo_event):
    person = People(db, demo_event).add(
        "Anna", "Schmidt", category="press", extra={"Pronomen": "sie/ihr", "Fotoverzicht": "x"}
    )
    service = BadgeService(db, demo_event)
    (data,) = service.badge_data([person.registration_id])
    assert (data.category_key, data.pronouns, data.flags) == ("press", "sie/ihr", ("fotoverzicht",))


def test_qr_codes_of_a_moved_template_still_decode_where_they_were_put(tmp_path):
    front = (
        TemplateElement("text", 8, 8, 89, 14, field="name", size=16, bold=True),
        TemplateElement("qr", 8, 30, 36, 36),
    )
    style = replace(STYLE, templates=(BadgeTemplate("a6", front),))
    (page,) = render_pngs(draw_pdf(style, "a6", [DATA]), tmp_path, dpi=200)
    ((text, cx, cy),) = decode_qr(page)
    assert text == DATA.code
    assert cx / 200 * 25.4 == pytest.approx(8 + 18, abs=0.5)
    assert cy / 200 * 25.4 == pytest.approx(30 + 18, abs=0.5)


def test_elements_at_the_badge_edge_stay_inside_the_safe_area(tmp_path):
    layout = get_layout("a4-4xa6")
    w, h = layout.badge_width - 2 * layout.safe_margin, layout.badge_height - 2 * layout.safe_margin
    front = (
        TemplateElement("colour", 0, 0, w, 10),
        TemplateElement("text", 0, 12, w, 14, field="last_name", size=30, bold=True),
        TemplateElement("qr", w - 30, h - 30, 30, 30),
        TemplateElement("ribbon", 0, h - 45, w, 8, categories=("vip",), text="VIP"),
    )
    style = replace(STYLE, templates=(BadgeTemplate("a4-4xa6", front, width=w, height=h),))
    items = [replace(DATA, category_key="vip", code=f"CODE-{i}") for i in range(4)]
    (page,) = render_pngs(draw_pdf(style, "a4-4xa6", items), tmp_path, dpi=200)
    assert border_ink(page, SAFE_MM) == {"top": 0, "bottom": 0, "left": 0, "right": 0}
    assert sorted(text for text, *_ in decode_qr(page)) == [f"CODE-{i}" for i in range(4)]


def test_thermal_labels_keep_the_monochrome_band_in_templates(tmp_path):
    front = (
        TemplateElement("colour", 0, 0, 89, 12),
        TemplateElement("text", 3, 15, 80, 10, field="last_name", size=14),
    )
    style = replace(STYLE, templates=(BadgeTemplate("dymo-11356", front),))
    (page,) = render_pngs(
        draw_pdf(style, "dymo-11356", [replace(DATA, category_colour="#1f5fa8")]), tmp_path, dpi=100
    )
    band = page.convert("L").crop((20, 12, 300, 38))
    assert band.getextrema()[0] > 200  # inside the outline: white, not a black bar


def test_people_of_the_hard_names_print_whole_with_a_custom_template(db, demo_event):
    front = (
        TemplateElement("text", 8, 8, 89, 12, field="first_name", size=18, max_lines=2),
        TemplateElement("text", 8, 30, 89, 24, field="last_name", size=24, bold=True, max_lines=2),
        TemplateElement("text", 8, 60, 89, 20, field="organisation", size=11, max_lines=3),
    )
    ids = [
        p.registration_id for p in People(db, demo_event).add_all([NewPerson("Ольга Сергеевна", "Кузнецова")])
    ]
    service = BadgeService(db, demo_event)
    service.style = replace(service.style, templates=(BadgeTemplate("a6", front),))
    text = pdf_reader(service.render_badges(ids, layout="a6")).pages[0].extract_text()
    assert "Ольга Сергеевна" in text
    assert "Кузнецова" in text


def test_print_shop_pages_use_the_layouts_template_and_its_back():
    from checkin.badges.printshop import draw_badge_page

    front = (TemplateElement("text", 10, 10, 80, 12, text="Vorderseite nach Vorlage", size=12),)
    back = (TemplateElement("text", 10, 10, 80, 12, text="Rückseite nach Vorlage", size=12),)
    renderer = BadgeRenderer(replace(STYLE, templates=(BadgeTemplate("a6", front, back=back),)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for side in ("front", "back"):
        draw_badge_page(canvas, get_layout("a6"), renderer, DATA, side)
    canvas.save()
    first, second = (page.extract_text() for page in pdf_reader(buffer.getvalue()).pages)
    assert "Vorderseite nach Vorlage" in first
    assert "Rückseite nach Vorlage" in second
