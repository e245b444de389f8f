"""The badge designer's working copy of an event's templates, without Qt.

``TemplateDraft`` holds the templates being edited and which layout,
category and side is shown; it moves, resizes, adds and removes elements
(always inside the badge), renders the preview PDF of one badge with the
real renderer, and saves into the event file. ``preview_people`` picks the
people a design must survive: the longest name, a Cyrillic and an Arabic one
(from the event's registrations where there are such, else samples).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from checkin.badges.layouts import MM, BadgeLayout
from checkin.badges.render import BadgeData, BadgeRenderer, BadgeStyle
from checkin.badges.service import BadgeService
from checkin.badges.template_file import save_templates
from checkin.badges.templates import TemplateBook, default_inside
from checkin.domain.badge_templates import BadgeTemplate, TemplateElement
from checkin.domain.models import Registration
from checkin.i18n import _

STEP_MM = 0.5  # an arrow key
BIG_STEP_MM = 1.0  # Shift + arrow key
MIN_SIZE_MM = 2.0

SAMPLES: tuple[tuple[str, BadgeData], ...] = (
    (
        "longest",
        BadgeData(
            code="SAMPLE-LONGEST-0001",
            title="Prof. Dr.",
            first_name="Maximilian-Alexander",
            last_name="Freiherr von Hohenzollern-Sigmaringen",
            organisation="Kommunales Jobcenter des Landkreises Marburg-Biedenkopf – Kreisjobcenter (KJC)",
            function="Leiter des Fachbereichs Arbeitsmarktintegration und Grundsatzangelegenheiten",
            category_label="Referent/in",
            workshops=("Digitalisierung im Jobcenter", "Interkommunale Zusammenarbeit"),
        ),
    ),
    (
        "cyrillic",
        BadgeData(
            code="SAMPLE-CYRILLIC-02",
            first_name="Ольга Сергеевна",
            last_name="Кузнецова",
            organisation="Администрация",
            category_label="Teilnehmer/in",
        ),
    ),
    (
        "arabic",
        BadgeData(
            code="SAMPLE-ARABIC-0003",
            first_name="محمد",
            last_name="عبد الله",
            organisation="Jobcenter Kreis Groß-Gerau",
            category_label="Teilnehmer/in",
        ),
    ),
)


def sample_title(kind: str) -> str:
    return {"longest": _("Longest name"), "cyrillic": _("Cyrillic name"), "arabic": _("Arabic name")}[kind]


def _script_of(text: str, script: str) -> bool:
    return any(unicodedata.name(c, "").startswith(script) for c in text if c.isalpha())


def preview_people(service: BadgeService) -> list[tuple[str, BadgeData]]:
    """(title, badge) of the longest name, a Cyrillic and an Arabic name of the event, else samples."""
    with service.db.read() as session:
        rows = session.execute(
            select(Registration.id, Registration.title, Registration.first_name, Registration.last_name)
            .where(Registration.event_id == service.event.id, Registration.purged_at.is_(None))
            .order_by(
                func.length(Registration.first_name)
                + func.length(Registration.last_name)
                + func.length(Registration.title)
            )
            .limit(5000)
        ).all()
    chosen: dict[str, int] = {}
    if rows:
        chosen["longest"] = rows[-1][0]
    for kind, script in (("cyrillic", "CYRILLIC"), ("arabic", "ARABIC")):
        found = next((r[0] for r in reversed(rows) if _script_of(f"{r[2]} {r[3]}", script)), None)
        if found is not None:
            chosen[kind] = found
    data = dict(zip(chosen, service.badge_data(list(chosen.values())), strict=False)) if chosen else {}
    return [(sample_title(kind), data.get(kind, sample)) for kind, sample in SAMPLES]


class TemplateDraft:
    """The templates being designed, and the layout, category and side in view."""

    def __init__(self, templates: Sequence[BadgeTemplate], style: BadgeStyle, layout: BadgeLayout) -> None:
        self.templates = list(templates)
        self.style = replace(style, templates=())
        self.layout = layout
        self.category = ""
        self.side = "front"
        self.code = SAMPLES[0][1].code
        self.dirty = False
        self.tops: list[float] = []  # mm from the top where each element was drawn in the last preview
        self._renderer = BadgeRenderer(self.style)

    # -- what is shown --------------------------------------------------------
    @property
    def badge_size(self) -> tuple[float, float]:
        """mm of the artwork of one badge of the layout (inside its safe margin)."""
        margin = 2 * self.layout.safe_margin
        if self.layout.kind == "fold":
            return self.layout.page_width / 2 - margin, self.layout.page_height / 2 - margin
        return self.layout.badge_width - margin, self.layout.badge_height - margin

    def sides(self) -> tuple[str, ...]:
        if self.layout.kind == "fold":
            return ("front", "back", "inside")
        return ("front",) if self.layout.label_roll else ("front", "back")

    def stored(self) -> BadgeTemplate | None:
        return next(
            (t for t in self.templates if t.layout == self.layout.key and t.category == self.category), None
        )

    def elements(self) -> tuple[TemplateElement, ...]:
        """The elements of the side in view: the stored design, or the default printed without one."""
        w, h = self.badge_size
        template = self.stored()
        if template is None and self.category:  # a category without its own design shows the layout's
            template = next(
                (t for t in self.templates if t.layout == self.layout.key and not t.category), None
            )
        book = TemplateBook((template,) if template else (), self.style.show_workshops)
        if self.side == "inside" and (template is None or template.inside is None):
            return default_inside(w, h)
        return book.elements(self.layout.key, self.category, self.side, w, h, self.code)

    def set_elements(self, elements: Sequence[TemplateElement]) -> None:
        """Store ``elements`` as the side in view (a new template takes the defaults for its other sides)."""
        w, h = self.badge_size
        template = self.stored()
        if template is None:
            front = self.elements() if self.side == "front" else self._front_now()
            template = BadgeTemplate(self.layout.key, front, category=self.category, width=w, height=h)
            self.templates.append(template)
        updated = template.with_side(self.side, tuple(elements))
        if updated.width and (updated.width, updated.height) != (w, h):
            updated = replace(updated, width=w, height=h)
        self.templates[self.templates.index(template)] = updated
        self.dirty = True

    def _front_now(self) -> tuple[TemplateElement, ...]:
        side, self.side = self.side, "front"
        try:
            return self.elements()
        finally:
            self.side = side

    # -- editing --------------------------------------------------------------
    def _clamped(self, element: TemplateElement) -> TemplateElement:
        """``element`` kept whole inside the badge."""
        w, h = self.badge_size
        width, height = min(max(element.w, MIN_SIZE_MM), w), min(max(element.h, MIN_SIZE_MM), h)
        x, y = min(max(element.x, 0.0), w - width), min(max(element.y, 0.0), h - height)
        return replace(element, x=round(x, 3), y=round(y, 3), w=round(width, 3), h=round(height, 3))

    def update(self, index: int, element: TemplateElement) -> TemplateElement:
        elements = list(self.elements())
        elements[index] = self._clamped(element)
        self.set_elements(elements)
        return elements[index]

    def drawn(self, index: int) -> TemplateElement:
        """The element as last drawn: one that follows another is pinned where it was drawn."""
        element = self.elements()[index]
        if not element.follow or index >= len(self.tops):
            return element
        top = self.tops[index]
        bottom = element.y + element.h
        return replace(
            element, y=round(top, 3), h=round(max(bottom - top, MIN_SIZE_MM), 3), follow="", gap=0.0
        )

    def move(self, index: int, dx: float, dy: float) -> TemplateElement:
        return self.update(index, self.drawn(index).moved(dx, dy))

    def resize(self, index: int, dw: float, dh: float) -> TemplateElement:
        return self.update(index, self.drawn(index).resized(dw, dh))

    def add(self, kind: str, **values: object) -> int:
        """A new element of ``kind`` in the middle of the badge; returns its index."""
        w, h = self.badge_size
        size = {
            "qr": (25.0, 25.0),
            "band": (w, 10.0),
            "rule": (w * 0.8, 0.3),
            "colour": (w, 8.0),
            "background": (w, h),
        }
        ew, eh = size.get(kind, (w * 0.6, 10.0))
        defaults: dict[str, object] = {
            "text": {"field": "name", "size": 14.0, "bold": True},
            "ribbon": {
                "categories": (self.category,) if self.category else (),
                "flag": "" if self.category else "vip",
                "text": "VIP",
            },
            "band": {"size": 10.0, "pad": 4.0},
            "header": {"size": 8.0},
            "workshops": {"size": 9.0},
            "person": {"scale": w / 105},
        }.get(kind, {})  # type: ignore[assignment]
        element = TemplateElement(kind, (w - ew) / 2, (h - eh) / 2, ew, eh, **{**defaults, **values})  # type: ignore[arg-type]
        elements = [*self.elements(), self._clamped(element)]
        if kind == "background":
            elements.insert(0, elements.pop())  # drawn first, under everything
        self.set_elements(elements)
        return elements.index(self._clamped(element))

    def remove(self, index: int) -> None:
        elements = list(self.elements())
        removed = elements.pop(index)
        # Whoever followed it starts at its own top now.
        self.set_elements([replace(e, follow="") if e.follow == removed.key else e for e in elements])

    def reset(self) -> None:
        """Back to the default design for this layout and category (all sides)."""
        template = self.stored()
        if template is not None:
            self.templates.remove(template)
            self.dirty = True

    # -- output ---------------------------------------------------------------
    def preview_pdf(self, data: BadgeData) -> bytes:
        """One page the size of the badge, drawn by the badge renderer with the elements in view."""
        self.code = data.code
        w, h = self.badge_size
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(w * MM, h * MM))
        canvas.setTitle(_("Badge preview"))
        self._renderer.draw(
            canvas, 0, 0, w * MM, h * MM, data, monochrome=self.layout.label_roll, elements=self.elements()
        )
        canvas.showPage()
        canvas.save()
        self.tops = list(self._renderer.drawn_tops)
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        save_templates(path, self.templates)
        self.dirty = False
