"""Badge templates from the event file's ``[[badge.templates]]`` tables: the plain data and its checks.

A template belongs to one layout (and optionally one category) and lists
the elements of each side of a badge, every one a rectangle in millimetres
from the badge's top-left corner::

    [[badge.templates]]
    layout = "a6"
    category = "vip"             # optional: only for this category
    width = 105.0                # mm the template was designed for (default: the badge)
    height = 148.0

    [[badge.templates.front]]
    kind = "text"
    field = "last_name"
    x = 7.5
    y = 40.0
    w = 90.0
    h = 12.0
    size = 24.0                  # pt; the text shrinks or wraps to fit its box
    bold = true

Drawing them is the badges' job (``checkin/badges/templates.py`` builds the
default templates and ``render.py`` draws); the domain only checks the
file, so a mistake is reported when the event file is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from checkin.domain.errors import UserError
from checkin.i18n import _

SECTION = "templates"
SIDES = ("front", "back", "inside")
KINDS = (
    "band",  # colour band with category label and footer
    "colour",  # a plain rectangle in the category's (or its own) colour
    "header",  # event name and logo
    "rule",  # a thin line
    "person",  # the name block: name, organisation, function, shrunk as a whole to fit
    "text",  # one field of the person or a fixed text
    "qr",
    "image",
    "background",  # an image filling its box, drawn first
    "ribbon",  # a marker strip (VIP, Podium, photo opt-out...) shown only when the person carries it
    "workshops",  # the personal plan: the person's workshops under the event's own heading
)
FIELDS = (
    "title",
    "first_name",
    "last_name",
    "name",
    "organisation",
    "function",
    "category",
    "pronouns",
    "workshops",
    "event",
    "footer",
    "code",
)
ALIGNS = ("start", "left", "center", "right")
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_MAX_MM = 1000.0
_MAX_ELEMENTS = 200


class BadgeTemplateError(UserError, ValueError):
    """A ``[[badge.templates]]`` table cannot be used; the message says where and why."""


@dataclass(frozen=True)
class TemplateElement:
    """One element of a badge side; positions and sizes in mm from the badge's top-left corner."""

    kind: str
    x: float
    y: float
    w: float
    h: float
    id: str = ""  # name other elements follow; defaults to the kind
    field: str = ""  # text: which value of the person
    text: str = ""  # text or ribbon: fixed wording ("{field}" placeholders are not expanded)
    size: float = 0.0  # pt; 0 = chosen from the box
    bold: bool = False
    align: str = "start"
    max_lines: int = 2
    colour: str = ""  # "#rrggbb"; "" = the category's colour (band, colour, ribbon) or ink
    src: str = ""  # image, background: file, relative to the event file (PNG, JPEG or PDF)
    page: int = 1  # image, background from a PDF: which page (from 1)
    categories: tuple[str, ...] = ()  # ribbon: shown for these category keys
    flag: str = ""  # ribbon: shown when the person carries this flag (an imported yes/no column)
    follow: str = ""  # start below the element with this id once it is drawn...
    gap: float = 0.0  # ...this many mm below its last line (never above the element's own top)
    scale: float = 1.0  # person, band, header, workshops: size relative to the A6 design
    centre: float = 0.0  # person: share of the spare height above the block (0 top, 0.5 middle)
    pad: float = 0.0  # band: mm from its ends to the label and footer
    min_code: float = 0.0  # qr: the code itself (without quiet zone) grows to at least this many mm

    @property
    def key(self) -> str:
        return self.id or self.kind

    def moved(self, dx: float, dy: float) -> TemplateElement:
        return replace(self, x=round(self.x + dx, 3), y=round(self.y + dy, 3))

    def resized(self, dw: float, dh: float) -> TemplateElement:
        return replace(self, w=round(max(1.0, self.w + dw), 3), h=round(max(1.0, self.h + dh), 3))


@dataclass(frozen=True)
class BadgeTemplate:
    """The elements of each side of one layout's badge (``back``/``inside``: ``None`` = the default)."""

    layout: str
    front: tuple[TemplateElement, ...]
    category: str = ""
    width: float = 0.0  # mm the template was designed for; 0 = the badge it is drawn on
    height: float = 0.0
    back: tuple[TemplateElement, ...] | None = None
    inside: tuple[TemplateElement, ...] | None = None

    def side(self, name: str) -> tuple[TemplateElement, ...] | None:
        return {"front": self.front, "back": self.back, "inside": self.inside}[name]

    def with_side(self, name: str, elements: tuple[TemplateElement, ...]) -> BadgeTemplate:
        if name == "front":
            return replace(self, front=elements)
        return replace(self, back=elements) if name == "back" else replace(self, inside=elements)


_DEFAULTS = {f.name: f.default for f in fields(TemplateElement) if f.name not in ("kind", "x", "y", "w", "h")}


def _fail(where: str, message: str) -> BadgeTemplateError:
    return BadgeTemplateError(f"{where}: {message}")


def _number(item: dict[str, Any], key: str, where: str, *, default: float | None = None) -> float:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, _("'{key}' must be a number (mm).").format(key=key))
    if not -_MAX_MM <= float(value) <= _MAX_MM:
        raise _fail(where, _("'{key}' is out of range.").format(key=key))
    return float(value)


def _element(item: Any, where: str) -> TemplateElement:
    if not isinstance(item, dict):
        raise _fail(where, _("must be a table."))
    unknown = sorted(set(item) - {"kind", "x", "y", "w", "h", *_DEFAULTS})
    if unknown:
        raise _fail(where, _("unknown key '{key}'.").format(key=unknown[0]))
    kind = item.get("kind")
    if kind not in KINDS:
        raise _fail(where, _("'kind' must be one of: {kinds}.").format(kinds=", ".join(KINDS)))
    x, y = _number(item, "x", where), _number(item, "y", where)
    w, h = _number(item, "w", where), _number(item, "h", where)
    if w <= 0 or h <= 0:
        raise _fail(where, _("'w' and 'h' must be greater than 0."))
    values: dict[str, Any] = {}
    for key, default in _DEFAULTS.items():
        if key not in item:
            continue
        value = item[key]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= _MAX_MM
            value = float(value) if ok else value
        elif isinstance(default, int):
            ok = (
                isinstance(value, int)
                and not isinstance(value, bool)
                and 1 <= value <= (9999 if key == "page" else 20)
            )
        elif isinstance(default, tuple):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            value = tuple(value) if ok else value
        else:
            ok = isinstance(value, str) and len(value) <= 2000
        if not ok:
            raise _fail(where, _("'{key}' has a wrong type or value.").format(key=key))
        values[key] = value
    if kind == "text" and values.get("field", "") not in ("", *FIELDS):
        raise _fail(where, _("'field' must be one of: {fields}.").format(fields=", ".join(FIELDS)))
    if kind == "text" and not values.get("field") and not values.get("text"):
        raise _fail(where, _("a text element needs 'field' or 'text'."))
    if kind in ("image", "background") and not values.get("src"):
        raise _fail(where, _("an image needs 'src' (a file name)."))
    if kind == "ribbon" and not (values.get("categories") or values.get("flag")):
        raise _fail(where, _("a ribbon needs 'categories' or 'flag' (when to show it)."))
    if values.get("align", "start") not in ALIGNS:
        raise _fail(where, _("'align' must be one of: {aligns}.").format(aligns=", ".join(ALIGNS)))
    if values.get("colour") and not _COLOUR_RE.match(values["colour"]):
        raise _fail(where, _("'colour' must look like #1f5fa8."))
    return TemplateElement(kind=kind, x=x, y=y, w=w, h=h, **values)


def _side(items: Any, where: str) -> tuple[TemplateElement, ...]:
    if not isinstance(items, list):
        raise _fail(where, _("must be a list of tables ([[...]])."))
    if len(items) > _MAX_ELEMENTS:
        raise _fail(where, _("more than {n} elements.").format(n=_MAX_ELEMENTS))
    elements = tuple(_element(item, f"{where} #{i}") for i, item in enumerate(items, start=1))
    keys = {e.key for e in elements}
    for element in elements:
        if element.follow and element.follow not in keys:
            raise _fail(where, _("'follow' names no element: '{key}'.").format(key=element.follow))
    return elements


def parse_template(item: Any, where: str) -> BadgeTemplate:
    """One ``[[badge.templates]]`` table."""
    if not isinstance(item, dict):
        raise _fail(where, _("must be a table."))
    unknown = sorted(set(item) - {"layout", "category", "width", "height", *SIDES})
    if unknown:
        raise _fail(where, _("unknown key '{key}'.").format(key=unknown[0]))
    layout, category = item.get("layout"), item.get("category", "")
    if not isinstance(layout, str) or not layout.strip():
        raise _fail(where, _("'layout' must name a badge layout."))
    if not isinstance(category, str):
        raise _fail(where, _("'category' must be a category key."))
    width = _number(item, "width", where, default=0.0)
    height = _number(item, "height", where, default=0.0)
    if "front" not in item:
        raise _fail(where, _("a template needs a front ([[badge.templates.front]])."))
    sides = {name: _side(item[name], f"{where} {name}") for name in SIDES if name in item}
    return BadgeTemplate(
        layout=layout.strip().lower(),
        category=category.strip(),
        width=max(width, 0.0),
        height=max(height, 0.0),
        front=sides["front"],
        back=sides.get("back"),
        inside=sides.get("inside"),
    )


def parse_templates(badge_table: Any) -> tuple[BadgeTemplate, ...]:
    """Every template of the ``[badge]`` table (none when it has no ``templates``)."""
    if not isinstance(badge_table, dict) or SECTION not in badge_table:
        return ()
    items = badge_table[SECTION]
    if not isinstance(items, list):
        raise _fail("[[badge.templates]]", _("must be a list of tables ([[...]])."))
    templates = tuple(parse_template(item, f"[[badge.templates]] #{i}") for i, item in enumerate(items, 1))
    seen: set[tuple[str, str]] = set()
    for template in templates:
        pair = (template.layout, template.category)
        if pair in seen:
            raise _fail(
                "[[badge.templates]]",
                _("two templates for layout '{layout}' and category '{category}'.").format(
                    layout=pair[0], category=pair[1] or "*"
                ),
            )
        seen.add(pair)
    return templates


def resolve_images(badge_table: Any, folder: Path, check: Callable[[Path], None]) -> None:
    """Make every image path of the templates absolute (relative to ``folder``) and ``check`` each file."""
    if not isinstance(badge_table, dict) or not isinstance(badge_table.get(SECTION), list):
        return
    for template in badge_table[SECTION]:
        for name in SIDES:
            for item in template.get(name) or ():
                if item.get("kind") in ("image", "background") and isinstance(item.get("src"), str):
                    item["src"] = str((folder / item["src"]).resolve())
                    check(Path(item["src"]))


def element_spec(element: TemplateElement) -> dict[str, Any]:
    """The TOML table of ``element``: position and size, then every value that differs from its default."""
    spec: dict[str, Any] = {"kind": element.kind}
    for key in ("x", "y", "w", "h"):
        spec[key] = round(getattr(element, key), 3)
    for key, default in _DEFAULTS.items():
        value = getattr(element, key)
        if isinstance(value, float):
            value = round(value, 3)
        if value != default:
            spec[key] = list(value) if isinstance(value, tuple) else value
    return spec


def template_spec(template: BadgeTemplate) -> dict[str, Any]:
    """The TOML table of ``template`` (what ``parse_template`` reads back)."""
    spec: dict[str, Any] = {"layout": template.layout}
    if template.category:
        spec["category"] = template.category
    if template.width and template.height:
        spec["width"], spec["height"] = round(template.width, 3), round(template.height, 3)
    for name in SIDES:
        elements = template.side(name)
        if elements is not None:
            spec[name] = [element_spec(e) for e in elements]
    return spec


__all__ = [
    "FIELDS",
    "KINDS",
    "SIDES",
    "BadgeTemplate",
    "BadgeTemplateError",
    "TemplateElement",
    "element_spec",
    "parse_template",
    "parse_templates",
    "resolve_images",
    "template_spec",
]
