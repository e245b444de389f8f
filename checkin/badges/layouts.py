"""Badge layouts: single badges, sheets of badges with cut marks, label stock, fold badges.

A layout places badge rectangles on pages. Sizes are millimetres; the
origin of a slot is its top-left corner measured from the top-left corner
of the page (the way label makers print their specifications).

Label sheets an event brings can be described in the event file::

    [[badge.sheets]]
    key = "herma-4412"          # name used with --layout and in the UI
    title = "HERMA 4412, 8 per A4"
    page_size = "A4"            # "A4", "A5", "A6", "Letter", or [width, height] in mm
    label_width = 96.5          # mm
    label_height = 67.7
    columns = 2
    rows = 4
    margin_left = 8.0           # mm from the left page edge to the first label
    margin_top = 13.0           # mm from the top page edge to the first label
    gap_x = 0.0                 # mm between two labels side by side (default 0)
    gap_y = 0.0                 # mm between two labels one above the other (default 0)
    cut_marks = false           # draw cut marks on the margins (default false)
    safe_margin = 0.0           # mm of white inside every label edge (default 0)

Layouts printed on an office printer (4 × A6, 8 × A7, the fold badge) keep
a ``safe_margin`` of 5 mm: the artwork of every badge is inset by that much
on every side, so nothing falls into the 4–5 mm a printer cannot print,
neighbouring badges never touch, and a cut that misses by a millimetre
leaves no colour of the neighbour behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checkin.domain.errors import UserError
from checkin.i18n import _

if TYPE_CHECKING:
    from checkin.domain.events import EventInfo

MM = 72.0 / 25.4  # points per millimetre

PAGE_SIZES_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "A7": (74.0, 105.0),
    "LETTER": (215.9, 279.4),
}
INCH = 25.4


class LayoutError(UserError, ValueError):
    """An unknown layout name or a label sheet in the event file that cannot work."""


@dataclass(frozen=True)
class LayoutInfo:
    """What the UI shows in a layout chooser."""

    key: str
    title: str
    page_size_mm: tuple[float, float]
    per_page: int


@dataclass(frozen=True)
class Slot:
    """One badge rectangle on a page, in millimetres from the page's top-left corner."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BadgeLayout:
    """How badges are placed on pages.

    ``kind`` is ``"single"`` (one badge per page, page = badge), ``"sheet"``
    (a grid of badges or labels) or ``"fold"`` (an A4 sheet folded twice to
    A6: the badge is printed on the bottom-left quarter, which becomes the
    front, and on the bottom-right quarter, which becomes the back).
    """

    key: str
    title_source: str
    page_width: float
    page_height: float
    badge_width: float
    badge_height: float
    columns: int = 1
    rows: int = 1
    margin_left: float = 0.0
    margin_top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0
    cut_marks: bool = False
    kind: str = "single"
    translate_title: bool = True
    safe_margin: float = 0.0
    # A thermal label roll (Dymo, Zebra, Brother): one label per page, no back side to print
    # on, black only (``monochrome`` style: no colour band).
    label_roll: bool = False

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def title(self) -> str:
        return _(self.title_source) if self.translate_title else self.title_source

    @property
    def page_size_mm(self) -> tuple[float, float]:
        return (self.page_width, self.page_height)

    @property
    def page_size_pt(self) -> tuple[float, float]:
        return (self.page_width * MM, self.page_height * MM)

    def info(self) -> LayoutInfo:
        return LayoutInfo(self.key, self.title, self.page_size_mm, self.per_page)

    def slots(self, *, back: bool = False) -> list[Slot]:
        """Badge rectangles of one page in filling order (rows top to bottom, left to right).

        For the back of a duplex sheet every rectangle is mirrored left to
        right, so that the back of each badge lands behind its front when
        the sheet is turned around its vertical axis (flip on the long edge
        for portrait pages, on the short edge for landscape pages).
        """
        if self.kind == "fold":
            half_w, half_h = self.page_width / 2, self.page_height / 2
            return [Slot(0.0, half_h, half_w, half_h)]
        result = []
        for row in range(self.rows):
            for col in range(self.columns):
                x = self.margin_left + col * (self.badge_width + self.gap_x)
                y = self.margin_top + row * (self.badge_height + self.gap_y)
                if back:
                    x = self.page_width - x - self.badge_width
                result.append(Slot(x, y, self.badge_width, self.badge_height))
        return result

    def artwork(self, slot: Slot) -> Slot:
        """The part of ``slot`` the badge is drawn into: the slot minus the safe margin."""
        m = self.safe_margin
        return Slot(slot.x + m, slot.y + m, slot.width - 2 * m, slot.height - 2 * m)

    def fold_back_slot(self) -> Slot:
        """Where the back of a fold badge goes (bottom-right quarter, upright)."""
        half_w, half_h = self.page_width / 2, self.page_height / 2
        return Slot(half_w, half_h, half_w, half_h)

    def cut_lines(self) -> tuple[list[float], list[float]]:
        """x positions of vertical and y positions of horizontal cut lines (mm from top-left)."""
        xs: set[float] = set()
        ys: set[float] = set()
        for slot in self.slots():
            xs.update((round(slot.x, 3), round(slot.x + slot.width, 3)))
            ys.update((round(slot.y, 3), round(slot.y + slot.height, 3)))
        return sorted(xs), sorted(ys)


def _single(key: str, title: str, width: float, height: float, *, roll: bool = False) -> BadgeLayout:
    return BadgeLayout(key, title, width, height, width, height, label_roll=roll)


def _sheet(
    key: str,
    title: str,
    page: tuple[float, float],
    label: tuple[float, float],
    grid: tuple[int, int],
    first: tuple[float, float],
    pitch: tuple[float, float],
    *,
    cut_marks: bool = False,
    safe_margin: float = 0.0,
) -> BadgeLayout:
    return BadgeLayout(
        key,
        title,
        page[0],
        page[1],
        label[0],
        label[1],
        columns=grid[0],
        rows=grid[1],
        margin_left=first[0],
        margin_top=first[1],
        gap_x=round(pitch[0] - label[0], 4),
        gap_y=round(pitch[1] - label[1], 4),
        cut_marks=cut_marks,
        kind="sheet",
        safe_margin=safe_margin,
    )


A4 = PAGE_SIZES_MM["A4"]
A4_LANDSCAPE = (A4[1], A4[0])
LETTER = PAGE_SIZES_MM["LETTER"]
OFFICE_PRINTER_MARGIN = 5.0  # mm an office printer may leave unprinted at the sheet's edges
PERFORATION_MARGIN = 2.0  # mm of white along a perforation, so a torn edge shows no neighbour's colour

# Titles are English source strings, translated when shown (see badges.po).
BUILTIN_LAYOUTS: tuple[BadgeLayout, ...] = (
    _single("a6", "A6 portrait (105 × 148 mm)", 105.0, 148.0),
    _single("a7", "A7 portrait (74 × 105 mm)", 74.0, 105.0),
    _single("cr80", "Credit card CR80 (85.6 × 54 mm)", 85.6, 54.0),
    _sheet(
        "a4-4xa6",
        "4 × A6 on A4 with cut marks",
        A4,
        (105.0, 148.0),
        (2, 2),
        (0.0, 0.5),
        (105.0, 148.0),
        cut_marks=True,
        safe_margin=OFFICE_PRINTER_MARGIN,
    ),
    _sheet(
        "a4-8xa7",
        "8 × A7 on A4 landscape with cut marks",
        A4_LANDSCAPE,
        (74.0, 105.0),
        (4, 2),
        (0.5, 0.0),
        (74.0, 105.0),
        cut_marks=True,
        safe_margin=OFFICE_PRINTER_MARGIN,
    ),
    BadgeLayout(
        "a4-fold-a6",
        "A4 folded to A6 (name on front and back)",
        A4[0],
        A4[1],
        105.0,
        148.5,
        kind="fold",
        safe_margin=OFFICE_PRINTER_MARGIN,
    ),
    _sheet(
        "a4-10x90x54",
        "Perforated A4 sheet, 10 inserts 90 × 54 mm",
        A4,
        (90.0, 54.0),
        (2, 5),
        (15.0, 13.5),
        (90.0, 54.0),
        safe_margin=PERFORATION_MARGIN,
    ),
    _sheet(
        "avery-l4785",
        "Avery L4785 name badge labels 80 × 50 mm (10 per A4)",
        A4,
        (80.0, 50.0),
        (2, 5),
        (18.0, 13.0),
        (95.0, 55.0),
    ),
    _sheet(
        "avery-c32011",
        "Avery C32011 / Zweckform 32010 cards 85 × 54 mm (10 per A4)",
        A4,
        (85.0, 54.0),
        (2, 5),
        (15.0, 13.5),
        (95.0, 54.0),
    ),
    _sheet(
        "avery-5395",
        "Avery 5395 name badges 3⅜ × 2⅓ in (8 per Letter)",
        LETTER,
        (3.375 * INCH, 2.333 * INCH),
        (2, 4),
        (0.6875 * INCH, 0.583 * INCH),
        (3.75 * INCH, 2.5 * INCH),
    ),
    _single("dymo-11356", "Dymo 11356 label roll 89 × 41 mm", 89.0, 41.0, roll=True),
    _single("dymo-30374", "Dymo 30374 label roll 89 × 51 mm", 89.0, 51.0, roll=True),
    _single("dymo-99015", "Dymo 99015 label roll 70 × 54 mm", 70.0, 54.0, roll=True),
    _single("zebra-57x102", "Zebra label roll 102 × 57 mm", 102.0, 57.0, roll=True),
    _single("brother-dk1202", "Brother DK-1202 label roll 100 × 62 mm", 100.0, 62.0, roll=True),
)

# The strings above, marked for the translation check (they are translated in ``BadgeLayout.title``).
_LAYOUT_TITLES = (
    _("A6 portrait (105 × 148 mm)"),
    _("A7 portrait (74 × 105 mm)"),
    _("Credit card CR80 (85.6 × 54 mm)"),
    _("4 × A6 on A4 with cut marks"),
    _("8 × A7 on A4 landscape with cut marks"),
    _("A4 folded to A6 (name on front and back)"),
    _("Perforated A4 sheet, 10 inserts 90 × 54 mm"),
    _("Avery L4785 name badge labels 80 × 50 mm (10 per A4)"),
    _("Avery C32011 / Zweckform 32010 cards 85 × 54 mm (10 per A4)"),
    _("Avery 5395 name badges 3⅜ × 2⅓ in (8 per Letter)"),
    _("Dymo 11356 label roll 89 × 41 mm"),
    _("Dymo 30374 label roll 89 × 51 mm"),
    _("Dymo 99015 label roll 70 × 54 mm"),
    _("Zebra label roll 102 × 57 mm"),
    _("Brother DK-1202 label roll 100 × 62 mm"),
)


def _number(spec: dict[str, Any], name: str, where: str, default: float | None = None) -> float:
    value = spec.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LayoutError(
            _("Label sheet {sheet}: '{field}' must be a number of millimetres.").format(
                sheet=where, field=name
            )
        )
    if value < 0:
        raise LayoutError(
            _("Label sheet {sheet}: '{field}' must not be negative.").format(sheet=where, field=name)
        )
    return float(value)


def _page_size(spec: dict[str, Any], where: str) -> tuple[float, float]:
    value = spec.get("page_size", "A4")
    if isinstance(value, str) and value.strip().upper() in PAGE_SIZES_MM:
        return PAGE_SIZES_MM[value.strip().upper()]
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        return (float(value[0]), float(value[1]))
    raise LayoutError(
        _("Label sheet {sheet}: page_size must be A4, A5, A6, Letter or [width, height] in mm.").format(
            sheet=where
        )
    )


def sheet_from_spec(spec: dict[str, Any]) -> BadgeLayout:
    """Build a layout from one ``[[badge.sheets]]`` table of the event file (see module docstring)."""
    if not isinstance(spec, dict):
        raise LayoutError(_("Every [[badge.sheets]] entry of the event file must be a table."))
    key = spec.get("key")
    if not isinstance(key, str) or not key.strip():
        raise LayoutError(_("Every [[badge.sheets]] entry of the event file needs a 'key'."))
    key = key.strip()
    page_w, page_h = _page_size(spec, key)
    width = _number(spec, "label_width", key)
    height = _number(spec, "label_height", key)
    columns, rows = spec.get("columns", 1), spec.get("rows", 1)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in (columns, rows)):
        raise LayoutError(
            _("Label sheet {sheet}: columns and rows must be whole numbers of at least 1.").format(sheet=key)
        )
    margin_left = _number(spec, "margin_left", key, 0.0)
    margin_top = _number(spec, "margin_top", key, 0.0)
    gap_x = _number(spec, "gap_x", key, 0.0)
    gap_y = _number(spec, "gap_y", key, 0.0)
    safe_margin = _number(spec, "safe_margin", key, 0.0)
    if width < 20 or height < 15:
        raise LayoutError(
            _("Label sheet {sheet}: labels must be at least 20 × 15 mm to hold a name and a QR code.").format(
                sheet=key
            )
        )
    right = margin_left + columns * width + (columns - 1) * gap_x
    bottom = margin_top + rows * height + (rows - 1) * gap_y
    if right > page_w + 0.05 or bottom > page_h + 0.05:
        raise LayoutError(
            _("Label sheet {sheet}: the labels ({width} × {height} mm) do not fit on the page.").format(
                sheet=key, width=f"{right:g}", height=f"{bottom:g}"
            )
        )
    title = spec.get("title") or key
    return BadgeLayout(
        key=key,
        title_source=str(title),
        page_width=page_w,
        page_height=page_h,
        badge_width=width,
        badge_height=height,
        columns=columns,
        rows=rows,
        margin_left=margin_left,
        margin_top=margin_top,
        gap_x=gap_x,
        gap_y=gap_y,
        cut_marks=bool(spec.get("cut_marks", False)),
        kind="sheet",
        translate_title=False,
        safe_margin=min(safe_margin, width / 4, height / 4),
    )


def event_sheets(event: EventInfo | None) -> list[BadgeLayout]:
    """The label sheets described in the event file (``[[badge.sheets]]``)."""
    if event is None:
        return []
    badge = event.definition.get("badge") or {}
    sheets = badge.get("sheets") if isinstance(badge, dict) else None
    if not sheets:
        return []
    if not isinstance(sheets, list):
        raise LayoutError(_("In the event file, [badge] sheets must be a list of [[badge.sheets]] tables."))
    return [sheet_from_spec(spec) for spec in sheets]


def iter_layouts(event: EventInfo | None = None) -> Iterator[BadgeLayout]:
    """Built-in layouts, then the event's own sheets (an event sheet may replace a built-in key)."""
    own = {layout.key: layout for layout in event_sheets(event)}
    for layout in BUILTIN_LAYOUTS:
        if layout.key not in own:
            yield layout
    yield from own.values()


def available_layouts(event: EventInfo | None = None) -> list[LayoutInfo]:
    """Every layout the event can print on: built-ins plus the label sheets of its event file."""
    return [layout.info() for layout in iter_layouts(event)]


MAX_OFFSET_MM = 10.0


def sheet_offset(badge_options: dict[str, Any]) -> tuple[float, float]:
    """``[badge] offset_x / offset_y`` (mm, right and down positive): how far this printer's sheets land off.

    Found with the calibration page (``checkin badges --calibration``); applied to
    every label sheet, clamped to ±10 mm. Unreadable values count as 0.
    """

    def read(name: str) -> float:
        value = badge_options.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return 0.0
        return max(-MAX_OFFSET_MM, min(MAX_OFFSET_MM, float(value)))

    return read("offset_x"), read("offset_y")


def check_print_options(layout: BadgeLayout, *, double_sided: bool = False, start_at: int = 1) -> None:
    """Refuse print options that make no sense on ``layout`` (``LayoutError`` with a message for the user).

    A label roll has no back side to print on; "start at label N" (to use up
    a sheet whose first labels are gone) needs a sheet of several labels.
    """
    if double_sided and layout.label_roll:
        raise LayoutError(
            _(
                "'{layout}' is a label roll: its labels have no back side to print on "
                "(no double-sided printing)."
            ).format(layout=layout.title)
        )
    if start_at == 1:
        return
    if layout.kind != "sheet" or layout.per_page < 2:
        raise LayoutError(
            _(
                "Starting at a later label works only on sheets of several labels; "
                "'{layout}' has one badge per page."
            ).format(layout=layout.title)
        )
    if not 1 <= start_at <= layout.per_page:
        raise LayoutError(
            _("A sheet of '{layout}' has labels 1 to {count}; label {n} does not exist.").format(
                layout=layout.title, count=layout.per_page, n=start_at
            )
        )


def get_layout(key: str | None, event: EventInfo | None = None) -> BadgeLayout:
    """The layout called ``key`` (case-insensitive); ``None`` means the event's default layout."""
    wanted = (key or (event.badge_layout if event is not None else "") or "a6").strip().lower()
    for layout in iter_layouts(event):
        if layout.key.lower() == wanted:
            return layout
    known = ", ".join(layout.key for layout in iter_layouts(event))
    raise LayoutError(
        _("Unknown badge layout '{name}'. Known layouts: {known}.").format(name=wanted, known=known)
    )
