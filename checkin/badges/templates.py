"""Badge templates: the default design of every layout as a template, and which template a badge uses.

A template (``checkin.domain.badge_templates``, read from the event file's
``[[badge.templates]]``) lists the elements of each side of a badge in mm.
Without one, a badge uses the default template built here from the badge's
size: the design badges always had. Portrait badges (A6, A7, fold) stack
header, rule and the person block, with the QR code bottom right and the
workshops beside it; landscape badges (cards, labels) put the QR code on the
right of the text. A colour band with the category label runs along the
bottom of both (an outlined box on thermal labels, see ``render.py``).

Some defaults depend on what is printed: the QR code grows so that the code
itself stays at least 23 mm wide (a longer code has more modules), the
person block starts below the event name however many lines that took
(``follow``), and the workshops start below the person block. The inside of
a fold badge (blank before templates) carries the personal plan by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from checkin.badges.layouts import MM
from checkin.badges.qr import QUIET_ZONE_MODULES, qr_matrix
from checkin.domain.badge_templates import (
    BadgeTemplate,
    BadgeTemplateError,
    TemplateElement,
    parse_templates,
)

MIN_QR_CODE_MM = 23.0  # the code itself (A6's size, which survives the blur test), without quiet zone

E = TemplateElement


def min_qr_square_mm(code: str, code_mm: float = MIN_QR_CODE_MM) -> float:
    """mm of the square (quiet zone included) whose code itself is ``code_mm`` wide."""
    modules = len(qr_matrix(code))
    return code_mm * (modules + 2 * QUIET_ZONE_MODULES) / modules


def min_qr_square(code: str) -> float:
    """Points of the square (quiet zone included) whose code itself is ``MIN_QR_CODE_MM`` wide."""
    return min_qr_square_mm(code) * MM


def _portrait(w: float, h: float, code: str, workshops: bool) -> tuple[TemplateElement, ...]:
    scale = w / 105
    pad = 7.5 * scale
    inner = w - 2 * pad
    band_h = 14 * scale
    qr = max(32 * scale, min_qr_square_mm(code))
    qr_x = w - pad - qr + 1.4 * scale  # the quiet zone may reach into the margin a bit
    qr_top = h - band_h - 2.5 * scale - qr
    elements = [
        E("band", 0.0, h - band_h, w, band_h, size=14 * scale, pad=pad),
        E("header", pad, pad, inner, 11 * scale, size=9 * scale, scale=scale),
        E("rule", pad, pad, inner, 0.6 * scale / MM, follow="header", gap=3 * scale),
        E("person", pad, pad, inner, qr_top - pad, follow="rule", gap=7 * scale, scale=scale, centre=0.3),
        E("qr", qr_x, qr_top, qr, qr, min_code=MIN_QR_CODE_MM),
    ]
    if workshops:
        # Left of the QR code, from the lower of (QR top, end of the person block).
        width = qr_x - pad - 2 * scale
        elements.append(
            E("workshops", pad, qr_top, width, qr - scale, size=8 * scale, follow="person", gap=4 * scale)
        )
    return tuple(elements)


def _landscape(w: float, h: float, code: str, workshops: bool) -> tuple[TemplateElement, ...]:
    scale = min(h / 54, w / 85.6)
    pad = 4.2 * scale
    band_h = max(h * 0.15, 6.5 * scale)
    body_top = pad * 0.85
    body_bottom = h - band_h
    body_h = body_bottom - body_top
    qr = min(body_h - scale, max(w * 0.36, min_qr_square_mm(code)))
    qr_x = w - qr - pad * 0.35
    text_w = qr_x - pad - 0.5 * scale
    text_bottom = body_bottom - scale  # white between the last line and the band
    elements = [
        E("band", 0.0, body_bottom, w, band_h, size=9.5 * scale, pad=pad),
        E("qr", qr_x, body_top + (body_h - qr) / 2, qr, qr),
        E("header", pad, body_top, text_w, 6 * scale, size=6.5 * scale, scale=scale),
        E(
            "person",
            pad,
            body_top,
            text_w,
            text_bottom - body_top,
            follow="header",
            gap=2.2 * scale,
            scale=scale * 0.62,
        ),
    ]
    if workshops:
        elements.append(
            E(
                "workshops",
                pad,
                body_top,
                text_w,
                text_bottom - body_top,
                size=6 * scale,
                follow="person",
                gap=1.5 * scale,
            )
        )
    return tuple(elements)


def default_front(
    width: float, height: float, code: str, *, workshops: bool = False
) -> tuple[TemplateElement, ...]:
    """The default front of a ``width`` × ``height`` mm badge (``workshops``: list them)."""
    return (_portrait if height >= width else _landscape)(width, height, code, workshops)


def default_inside(width: float, height: float) -> tuple[TemplateElement, ...]:
    """The inside of a fold badge: the name and the personal workshop plan."""
    scale = width / 105
    pad = 7.5 * scale
    return (
        E("text", pad, pad, width - 2 * pad, 12 * scale, id="name", field="name", size=14 * scale, bold=True),
        E(
            "workshops",
            pad,
            pad + 12 * scale,
            width - 2 * pad,
            height - 2 * pad - 12 * scale,
            size=11 * scale,
            follow="name",
            gap=4 * scale,
        ),
    )


def default_template(
    layout: str, width: float, height: float, code: str = "", *, workshops: bool = False, fold: bool = False
) -> BadgeTemplate:
    """The default template of ``layout`` (what the designer starts from), for a badge of this size."""
    return BadgeTemplate(
        layout=layout,
        front=default_front(width, height, code or "SAMPLE-CODE-0000", workshops=workshops),
        width=width,
        height=height,
        inside=default_inside(width, height) if fold else None,
    )


def scaled(elements: Sequence[TemplateElement], sx: float, sy: float) -> tuple[TemplateElement, ...]:
    """``elements`` stretched by ``sx`` across and ``sy`` down (a template drawn on another badge size)."""
    if abs(sx - 1) < 1e-9 and abs(sy - 1) < 1e-9:
        return tuple(elements)
    return tuple(replace(e, x=e.x * sx, y=e.y * sy, w=e.w * sx, h=e.h * sy, gap=e.gap * sy) for e in elements)


_YES = {"1", "x", "ja", "yes", "true", "wahr", "j", "y", "✓", "✔"}
_PRONOUN_KEYS = ("pronouns", "pronomen", "pronoun")


def flag_key(name: str) -> str:
    """How a flag is named in templates: the column name in lower case, spaces as underscores."""
    return "_".join(name.lower().split())


def person_marks(extra: object) -> tuple[str, tuple[str, ...]]:
    """Pronouns and flags from a registration's imported extra columns.

    A column whose value reads as yes ("ja", "x", "1", "true"...) is a flag a
    ribbon can show ("Fotoverzicht" → ``photo``-style ribbons name ``fotoverzicht``).
    """
    if not isinstance(extra, dict):
        return "", ()
    pronouns = ""
    flags: list[str] = []
    for name, value in extra.items():
        text = str(value).strip() if value is not None else ""
        if flag_key(str(name)) in _PRONOUN_KEYS:
            pronouns = text
        elif value is True or text.lower() in _YES:
            flags.append(flag_key(str(name)))
    return pronouns, tuple(flags)


@dataclass(frozen=True)
class TemplateBook:
    """The event's templates; answers which elements one side of one badge shows."""

    templates: tuple[BadgeTemplate, ...] = ()
    show_workshops: bool = False

    @classmethod
    def from_badge_table(cls, badge: object, *, show_workshops: bool = False) -> TemplateBook:
        """From the ``[badge]`` table of an event file (checked again; ``BadgeTemplateError`` if wrong)."""
        return cls(parse_templates(badge), show_workshops)

    def stored(self, layout: str, category: str = "") -> BadgeTemplate | None:
        """The event file's template for ``layout`` and ``category`` (or for all its categories)."""
        layout = layout.lower()
        exact = [t for t in self.templates if t.layout == layout and t.category == category and category]
        general = [t for t in self.templates if t.layout == layout and not t.category]
        found = exact or general
        return found[0] if found else None

    def elements(
        self,
        layout: str,
        category: str,
        side: str,
        width: float,
        height: float,
        code: str,
        *,
        has_plan: bool = False,
    ) -> tuple[TemplateElement, ...]:
        """What ``side`` ("front", "back", "inside") of a ``width`` × ``height`` mm badge shows.

        A back without its own design repeats the front (the badge printed twice,
        as double-sided printing always did); an inside without one shows the
        personal plan when the person has one.
        """
        template = self.stored(layout, category)
        chosen: Sequence[TemplateElement] | None = template.side(side) if template is not None else None
        if chosen is None and side == "back" and template is not None:
            chosen = template.front
        if chosen is None:
            if side == "inside":
                return default_inside(width, height) if has_plan else ()
            return default_front(width, height, code, workshops=self.show_workshops)
        assert template is not None
        if template.width and template.height:
            return scaled(chosen, width / template.width, height / template.height)
        return tuple(chosen)


__all__ = [
    "MIN_QR_CODE_MM",
    "BadgeTemplate",
    "BadgeTemplateError",
    "TemplateBook",
    "TemplateElement",
    "default_front",
    "default_inside",
    "default_template",
    "flag_key",
    "min_qr_square",
    "min_qr_square_mm",
    "person_marks",
    "scaled",
]
