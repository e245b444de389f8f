"""Drawing the template elements that are not part of the classic design: text fields, images, ribbons.

``BadgeRenderer`` (``render.py``) walks a side's elements in order and
draws band, header, rule, person block, QR code and workshops itself; the
elements a designer adds (a single field of the person, a fixed text such as
the Wi-Fi password, an image or background, a plain colour, a ribbon for
VIP / Podium / photo opt-out / interpreting) are drawn here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.colours import INK, parse_colour, text_colour_on
from checkin.badges.layouts import MM
from checkin.badges.logo import load_logo
from checkin.badges.pdf_page import PdfPage, PdfPageError, draw_pdf_page, is_pdf, load_pdf_page
from checkin.domain.badge_templates import TemplateElement

if TYPE_CHECKING:
    from checkin.badges.render import BadgeData, BadgeRenderer

RIBBON_COLOUR = "#b3261e"


@lru_cache(maxsize=16)
def _image(path: str) -> ImageReader | None:
    """An image element's picture, flattened and kept once per file (see ``logo.load_logo``)."""
    return load_logo(path)


def _picture(element: TemplateElement) -> ImageReader | PdfPage | None:
    """The image or PDF page an element shows; ``None`` (drawn without it) when it cannot be used."""
    if not is_pdf(element.src):
        return _image(element.src)
    try:
        return load_pdf_page(element.src, element.page)
    except PdfPageError:
        return None  # logged once by pdf_page, named before printing by ``template_problems``


def _bleed_clip(
    renderer: BadgeRenderer, x: float, bottom: float, width: float, top: float
) -> tuple[float, float, float, float]:
    """The box, run out by the print-shop bleed on each side where it reaches the badge's edge."""
    bx0, by0, bx1, by1 = renderer.badge_rect
    bleed, near = renderer.bleed, 0.5
    return (
        x - bleed if abs(x - bx0) < near else x,
        bottom - bleed if abs(bottom - by0) < near else bottom,
        x + width + bleed if abs(x + width - bx1) < near else x + width,
        top + bleed if abs(top - by1) < near else top,
    )


def field_text(renderer: BadgeRenderer, element: TemplateElement, data: BadgeData) -> str:
    """The text a ``text`` element shows for ``data``: its field, or its fixed wording."""
    if element.text and not element.field:
        return element.text
    name = " ".join(p for p in (data.title, data.first_name, data.last_name) if p.strip())
    values = {
        "title": data.title,
        "first_name": data.first_name,
        "last_name": data.last_name,
        "name": name,
        "organisation": data.organisation,
        "function": data.function,
        "category": data.category_label,
        "pronouns": data.pronouns,
        "workshops": " · ".join(data.workshops),
        "event": renderer.style.event_name,
        "footer": renderer.style.footer,
        "code": data.code,
    }
    value = values.get(element.field, "")
    if element.text and value.strip():
        return f"{element.text} {value}"  # a fixed prefix: "Pronomen: sie/ihr"
    return value


def ribbon_shown(element: TemplateElement, data: BadgeData) -> bool:
    """A ribbon marks people of its categories or with its flag set."""
    if data.category_key and data.category_key in element.categories:
        return True
    return bool(element.flag) and element.flag.lower() in data.flags


def draw_text(
    renderer: BadgeRenderer,
    canvas: Canvas,
    element: TemplateElement,
    rect: tuple[float, float, float, float],
    data: BadgeData,
) -> float:
    """One field (or fixed text) fitted into its box from the top; returns the y below its last line."""
    x, bottom, width, top = rect
    text = field_text(renderer, element, data)
    if not text.strip():
        return top
    lines = max(element.max_lines, 1)
    size = element.size or (top - bottom) / (1.18 * lines)
    fitted = renderer.fit(text, width, size, max(size * 0.5, 5.0), lines, bold=element.bold)
    colour = parse_colour(element.colour) if element.colour else INK
    return renderer.draw_lines(
        canvas,
        fitted,
        x,
        top,
        width,
        kind=element.field or "text",
        bold=element.bold,
        colour=colour,
        align=element.align,
    )


def draw_image(
    renderer: BadgeRenderer,
    canvas: Canvas,
    element: TemplateElement,
    rect: tuple[float, float, float, float],
) -> float:
    """An image or PDF page in its box: a background fills it, others keep their proportions (top left)."""
    x, bottom, width, top = rect
    image = _picture(element)
    if image is None:
        return top
    height = top - bottom
    if element.kind == "background":
        if isinstance(image, PdfPage):
            draw_pdf_page(
                canvas, image, (x, bottom, width, height), _bleed_clip(renderer, x, bottom, width, top)
            )
        else:
            canvas.drawImage(image, x, bottom, width, height)
        renderer.record("background", "", x, bottom, x + width, top)
        return bottom
    img_w, img_h = image.getSize()
    scale = min(width / img_w, height / img_h)
    w, h = img_w * scale, img_h * scale
    left = x + {"center": (width - w) / 2, "right": width - w}.get(element.align, 0.0)
    if isinstance(image, PdfPage):
        draw_pdf_page(canvas, image, (left, top - h, w, h), (left, top - h, left + w, top))
    else:
        canvas.drawImage(image, left, top - h, w, h)
    renderer.record("image", "", left, top - h, left + w, top)
    return top - h


def draw_colour(
    renderer: BadgeRenderer,
    canvas: Canvas,
    element: TemplateElement,
    rect: tuple[float, float, float, float],
    data: BadgeData,
    *,
    monochrome: bool,
    text: str = "",
) -> None:
    """A plain colour field (or a ribbon with ``text``); on thermal labels an outline instead."""
    x, bottom, width, top = rect
    height = top - bottom
    fallback = RIBBON_COLOUR if element.kind == "ribbon" else data.category_colour
    colour = parse_colour(element.colour or fallback)
    if monochrome:
        line = max(0.8, min(width, height) * 0.04)
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineWidth(line)
        canvas.rect(x + line / 2, bottom + line / 2, width - line, height - line, stroke=1, fill=0)
        on = INK
    else:
        canvas.setFillColorRGB(*colour)
        canvas.rect(x, bottom, width, height, stroke=0, fill=1)
        on = text_colour_on(colour)
    renderer.record(element.kind, text, x, bottom, x + width, top)
    if not text:
        return
    pad = min(1.5 * MM, height * 0.15)
    size = element.size or (height - 2 * pad) * 0.8
    fitted = renderer.fit(text.upper(), width - 2 * pad, size, max(size * 0.5, 4.0), 1, bold=True)
    ascent, descent = renderer.line_metrics(fitted.size, True)
    line_top = bottom + height / 2 + (ascent + descent) / 2
    renderer.draw_lines(
        canvas,
        fitted,
        x + pad,
        line_top,
        width - 2 * pad,
        kind="ribbon",
        bold=True,
        colour=on,
        align="center",
    )


def ribbon_text(element: TemplateElement, data: BadgeData) -> str:
    return element.text or (element.flag if element.flag else data.category_label)
