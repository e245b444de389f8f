"""The badge designer: move and size the elements of a badge template with the mouse or the arrow keys.

The preview is the real badge: ``TemplateDraft`` (``checkin/badges/design.py``)
renders one badge with the badge renderer into a PDF, and QtPdf draws it
here, with the element boxes on top. Arrow keys move the selected element by
0.5 mm (Shift: 1 mm), Ctrl + arrow keys size it; dragging moves it, dragging
its bottom-right corner sizes it. "Save" writes the templates into the event
file and loads the file again, so the next badge printed uses them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin.badges.design import BIG_STEP_MM, STEP_MM, TemplateDraft, preview_people
from checkin.badges.layouts import iter_layouts
from checkin.badges.pdf_page import is_pdf, pdf_problem
from checkin.badges.render import BadgeData
from checkin.badges.service import badge_style
from checkin.domain.badge_templates import FIELDS, KINDS, TemplateElement, parse_templates
from checkin.domain.errors import UserError
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.i18n import _
from checkin.ui.context import DeskContext

HANDLE_PX = 9


def kind_title(kind: str) -> str:
    return {
        "band": _("Colour band"),
        "colour": _("Colour field"),
        "header": _("Event name and logo"),
        "rule": _("Line"),
        "person": _("Name block"),
        "text": _("Text"),
        "qr": _("QR code"),
        "image": _("Image"),
        "background": _("Background image"),
        "ribbon": _("Ribbon"),
        "workshops": _("Workshops (personal plan)"),
    }[kind]


def side_title(side: str) -> str:
    return {"front": _("Front"), "back": _("Back"), "inside": _("Inside (fold badge)")}[side]


class BadgeCanvasView(QWidget):
    """The preview image with the element boxes; selects, drags and nudges elements."""

    selected = Signal(int)
    moved = Signal(int, float, float)  # index, dx mm, dy mm
    resized = Signal(int, float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(360, 300)
        self.image = QImage()
        self.size_mm = (105.0, 148.0)
        self.boxes: list[QRectF] = []  # mm
        self.current = -1
        self._drag: tuple[str, QPointF, float, float] | None = None  # mode, start (mm), done dx, dy

    def page_rect(self) -> QRectF:
        w, h = self.size_mm
        scale = min((self.width() - 20) / w, (self.height() - 20) / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale)

    def scale(self) -> float:
        return self.page_rect().width() / self.size_mm[0]

    def to_mm(self, point: QPointF) -> QPointF:
        page = self.page_rect()
        return QPointF((point.x() - page.x()) / self.scale(), (point.y() - page.y()) / self.scale())

    def box_px(self, box: QRectF) -> QRectF:
        page, s = self.page_rect(), self.scale()
        return QRectF(page.x() + box.x() * s, page.y() + box.y() * s, box.width() * s, box.height() * s)

    def render_size(self) -> QSize:
        page = self.page_rect()
        ratio = self.devicePixelRatioF()
        return QSize(max(int(page.width() * ratio), 1), max(int(page.height() * ratio), 1))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#8a949e"))
        page = self.page_rect()
        painter.fillRect(page, QColor("white"))
        if not self.image.isNull():
            painter.drawImage(page, self.image)
        for index, box in enumerate(self.boxes):
            rect = self.box_px(box)
            chosen = index == self.current
            pen = QPen(QColor("#1565c0" if chosen else "#9aa3ad"), 2 if chosen else 1)
            pen.setStyle(Qt.PenStyle.SolidLine if chosen else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
            if chosen:
                handle = QRectF(
                    rect.right() - HANDLE_PX / 2, rect.bottom() - HANDLE_PX / 2, HANDLE_PX, HANDLE_PX
                )
                painter.fillRect(handle, QColor("#1565c0"))
        painter.end()

    def _hit(self, point: QPointF) -> tuple[int, str]:
        if 0 <= self.current < len(self.boxes):
            rect = self.box_px(self.boxes[self.current])
            if abs(point.x() - rect.right()) <= HANDLE_PX and abs(point.y() - rect.bottom()) <= HANDLE_PX:
                return self.current, "size"
        # The smallest box under the pointer: a text on a background is picked before the background.
        hits = [
            (b.width() * b.height(), i) for i, b in enumerate(self.boxes) if self.box_px(b).contains(point)
        ]
        return (min(hits)[1], "move") if hits else (-1, "")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus()
        index, mode = self._hit(event.position())
        if index >= 0:
            self.selected.emit(index)
            self._drag = (mode, self.to_mm(event.position()), 0.0, 0.0)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or self.current < 0:
            return
        mode, start, done_x, done_y = self._drag
        now = self.to_mm(event.position())
        # Whole half millimetres, as the arrow keys move.
        dx = round((now.x() - start.x()) / STEP_MM) * STEP_MM - done_x
        dy = round((now.y() - start.y()) / STEP_MM) * STEP_MM - done_y
        if dx or dy:
            (self.resized if mode == "size" else self.moved).emit(self.current, dx, dy)
            self._drag = (mode, start, done_x + dx, done_y + dy)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if event.key() not in steps or self.current < 0:
            super().keyPressEvent(event)
            return
        mods = event.modifiers()
        step = BIG_STEP_MM if mods & Qt.KeyboardModifier.ShiftModifier else STEP_MM
        sx, sy = steps[Qt.Key(event.key())]
        signal = self.resized if mods & Qt.KeyboardModifier.ControlModifier else self.moved
        signal.emit(self.current, sx * step, sy * step)


class BadgeDesignerDialog(QDialog):
    """Design the badges of the event: pick a layout, category and side, then place the elements."""

    def __init__(
        self, context: DeskContext, parent: QWidget | None = None, *, event_file: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Badge designer"))
        self.event_file = event_file
        style = badge_style(context.event)
        self.layouts = {layout.key: layout for layout in iter_layouts(context.event)}
        first = self.layouts.get(context.event.badge_layout.lower()) or next(iter(self.layouts.values()))
        self.draft = TemplateDraft(style.templates, style, first)
        self.people = preview_people(context.badges)
        self._document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._refresh = QTimer(self, singleShot=True, interval=40)
        self._refresh.timeout.connect(self.refresh_preview)
        self._filling = False

        self.canvas = BadgeCanvasView(self)
        self.canvas.selected.connect(self.select)
        self.canvas.moved.connect(lambda i, dx, dy: self._edit(self.draft.move(i, dx, dy)))
        self.canvas.resized.connect(lambda i, dw, dh: self._edit(self.draft.resize(i, dw, dh)))
        root = QHBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)
        side_panel = QScrollArea(self)
        side_panel.setWidgetResizable(True)
        side_panel.setFixedWidth(360)
        side_panel.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_panel.setWidget(self._controls())
        root.addWidget(side_panel)
        right = QVBoxLayout()
        right.addWidget(self.canvas, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        for button in (self.reset_button, self.save_button, self.close_button):
            bottom.addWidget(button)
        right.addLayout(bottom)
        root.addLayout(right, 1)
        self.resize(1000, 580)
        self._fill_sides()
        self._show_draft()

    # -- building -------------------------------------------------------------
    def _controls(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 4, 0)
        choose = QFormLayout()
        self.layout_box = QComboBox()
        for layout in self.layouts.values():
            self.layout_box.addItem(layout.title, layout.key)
        self.layout_box.setCurrentIndex(list(self.layouts).index(self.draft.layout.key))
        self.category_box = QComboBox()
        self.category_box.addItem(_("All categories"), "")
        for category in self.context.event.categories:
            self.category_box.addItem(category.name, category.key)
        self.side_box = QComboBox()
        self.person_box = QComboBox()
        for title, _data in self.people:
            self.person_box.addItem(title)
        choose.addRow(_("Layout"), self.layout_box)
        choose.addRow(_("Category"), self.category_box)
        choose.addRow(_("Side"), self.side_box)
        choose.addRow(_("Preview"), self.person_box)
        column.addLayout(choose)
        self.element_list = QListWidget()
        self.element_list.setMaximumHeight(110)
        column.addWidget(self.element_list)
        add_row = QHBoxLayout()
        self.kind_box = QComboBox()
        for kind in KINDS:
            self.kind_box.addItem(kind_title(kind), kind)
        self.add_button = QPushButton(_("Add"))
        self.remove_button = QPushButton(_("Remove"))
        add_row.addWidget(self.kind_box, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        column.addLayout(add_row)
        column.addLayout(self._properties())
        for combo in panel.findChildren(QComboBox):
            # Long layout titles must not widen the panel beyond the screen.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        column.addStretch(1)
        self.keys_hint = _("Arrow keys: 0.5 mm, Shift: 1 mm, Ctrl: size. Drag the corner to size.")
        self.hint = QLabel(self.keys_hint)
        self.hint.setWordWrap(True)
        self.reset_button = QPushButton(_("Default design"))
        self.save_button = QPushButton(_("Save"))
        self.close_button = QPushButton(_("Close"))
        for button in (self.reset_button, self.save_button, self.close_button):
            button.setAutoDefault(False)

        self.layout_box.currentIndexChanged.connect(lambda _i: self._choose())
        self.category_box.currentIndexChanged.connect(lambda _i: self._choose())
        self.side_box.currentIndexChanged.connect(lambda _i: self._choose())
        self.person_box.currentIndexChanged.connect(lambda _i: self._show_draft())
        self.element_list.currentRowChanged.connect(self.select)
        self.add_button.clicked.connect(self.add_element)
        self.remove_button.clicked.connect(self.remove_element)
        self.reset_button.clicked.connect(self.reset_design)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        return panel

    def _properties(self) -> QGridLayout:
        grid = QGridLayout()
        self.geometry_boxes: dict[str, QDoubleSpinBox] = {}
        for index, (key, title) in enumerate((("x", "x"), ("y", "y"), ("w", _("Width")), ("h", _("Height")))):
            box = QDoubleSpinBox()
            box.setRange(0.0, 1000.0)
            box.setDecimals(1)
            box.setSingleStep(STEP_MM)
            box.setSuffix(" mm")
            box.setMaximumWidth(100)
            box.valueChanged.connect(lambda _v: self._properties_changed())
            self.geometry_boxes[key] = box
            grid.addWidget(QLabel(title), index // 2, (index % 2) * 2)
            grid.addWidget(box, index // 2, (index % 2) * 2 + 1)
        self.size_box = QDoubleSpinBox()
        self.size_box.setRange(0.0, 200.0)
        self.size_box.setDecimals(1)
        self.size_box.setSuffix(" pt")
        self.size_box.setSpecialValueText(_("auto"))
        self.bold_box = QCheckBox(_("Bold"))
        self.field_box = QComboBox()
        self.field_box.addItem(_("(fixed text)"), "")
        for name in FIELDS:
            self.field_box.addItem(name, name)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(_("Fixed text or prefix"))
        self.show_for = QLineEdit()
        self.show_for.setPlaceholderText(_("Categories, comma-separated"))
        self.flag_edit = QLineEdit()
        self.flag_edit.setPlaceholderText(_("or a yes/no column, e.g. Fotoverzicht"))
        self.page_box = QSpinBox()  # which page of a PDF background
        self.page_box.setRange(1, 9999)
        grid.addWidget(QLabel(_("Size")), 2, 0)
        grid.addWidget(self.size_box, 2, 1)
        grid.addWidget(self.bold_box, 2, 2, 1, 2)
        for row, (title, widget) in enumerate(
            (
                (_("Field"), self.field_box),
                (_("Text"), self.text_edit),
                (_("Shown for"), self.show_for),
                ("", self.flag_edit),
                (_("PDF page"), self.page_box),
            ),
            start=3,
        ):
            grid.addWidget(QLabel(title), row, 0)
            grid.addWidget(widget, row, 1, 1, 3)
        self.size_box.valueChanged.connect(lambda _v: self._properties_changed())
        self.page_box.valueChanged.connect(lambda _v: self._properties_changed())
        self.bold_box.toggled.connect(lambda _v: self._properties_changed())
        self.field_box.currentIndexChanged.connect(lambda _v: self._properties_changed())
        for edit in (self.text_edit, self.show_for, self.flag_edit):
            edit.editingFinished.connect(self._properties_changed)
        return grid

    # -- state into widgets ---------------------------------------------------
    def _fill_sides(self) -> None:
        self._filling = True
        self.side_box.clear()
        for side in self.draft.sides():
            self.side_box.addItem(side_title(side), side)
        self._filling = False

    def _choose(self) -> None:
        if self._filling:
            return
        layout = self.layouts[self.layout_box.currentData()]
        changed = layout is not self.draft.layout
        self.draft.layout = layout
        self.draft.category = self.category_box.currentData() or ""
        if changed:
            self._fill_sides()
        self.draft.side = self.side_box.currentData() or "front"
        self._show_draft()

    def _show_draft(self) -> None:
        self.refresh_preview()
        self._fill_elements()

    def _fill_elements(self) -> None:
        self._filling = True
        current = self.canvas.current
        self.element_list.clear()
        elements = self.draft.elements()
        for element in elements:
            label = kind_title(element.kind)
            if element.kind == "text":
                label += f": {element.field or element.text}"
            self.element_list.addItem(label)
        self._filling = False
        self.select(current if current < len(elements) else -1)

    def select(self, index: int) -> None:
        """Select element ``index`` (-1: none) in the list, on the canvas and in the fields."""
        if self._filling:
            return
        self.canvas.current = index
        self._filling = True
        self.element_list.setCurrentRow(index)
        element = self.draft.drawn(index) if index >= 0 else None
        for key, box in self.geometry_boxes.items():
            box.setEnabled(element is not None)
            box.setValue(getattr(element, key) if element else 0.0)
        kind = element.kind if element else ""
        self.size_box.setValue(element.size if element else 0.0)
        self.bold_box.setChecked(bool(element and element.bold))
        self.field_box.setCurrentIndex(max(self.field_box.findData(element.field if element else ""), 0))
        self.text_edit.setText(element.text if element else "")
        self.show_for.setText(", ".join(element.categories) if element else "")
        self.flag_edit.setText(element.flag if element else "")
        self.page_box.setValue(element.page if element else 1)
        self.page_box.setEnabled(bool(element and kind in ("image", "background") and is_pdf(element.src)))
        for widget, kinds in (
            (self.size_box, ("text", "ribbon", "band", "header", "workshops")),
            (self.bold_box, ("text",)),
            (self.field_box, ("text",)),
            (self.text_edit, ("text", "ribbon")),
            (self.show_for, ("ribbon",)),
            (self.flag_edit, ("ribbon",)),
        ):
            widget.setEnabled(kind in kinds)
        self.remove_button.setEnabled(element is not None)
        self._filling = False
        self.canvas.update()

    # -- edits ----------------------------------------------------------------
    def _edit(self, element: TemplateElement) -> None:
        """After an element changed: its fields, the boxes now, the preview a moment later."""
        self._filling = True
        for key, box in self.geometry_boxes.items():
            box.setValue(getattr(element, key))
        self._filling = False
        self.canvas.boxes = [QRectF(e.x, e.y, e.w, e.h) for e in self._drawn_elements()]
        self.canvas.update()
        self._refresh.start()

    def _drawn_elements(self) -> list[TemplateElement]:
        return [self.draft.drawn(i) for i in range(len(self.draft.elements()))]

    def _properties_changed(self) -> None:
        index = self.canvas.current
        if self._filling or index < 0:
            return
        element = self.draft.drawn(index)
        values = {key: box.value() for key, box in self.geometry_boxes.items()}
        categories = tuple(c.strip() for c in self.show_for.text().split(",") if c.strip())
        if element.kind == "ribbon" and not (categories or self.flag_edit.text().strip()):
            categories = element.categories  # a ribbon needs to know when it shows
        updated = replace(
            element,
            x=values["x"],
            y=values["y"],
            w=values["w"],
            h=values["h"],
            size=self.size_box.value(),
            bold=self.bold_box.isChecked(),
            field=self.field_box.currentData() if element.kind == "text" else element.field,
            text=self.text_edit.text().strip(),
            categories=categories if element.kind == "ribbon" else element.categories,
            flag=self.flag_edit.text().strip() if element.kind == "ribbon" else element.flag,
            page=self.page_box.value() if is_pdf(element.src) else element.page,
        )
        if element.kind == "text" and not updated.field and not updated.text:
            updated = replace(updated, text=_("Text"))
        if updated != element:
            self._edit(self.draft.update(index, updated))
            self._fill_elements()
            self._say_pdf_problem(updated)

    def _say_pdf_problem(self, element: TemplateElement) -> None:
        """A PDF that cannot be used shows as no background; the hint line says why."""
        if is_pdf(element.src):
            self.hint.setText(pdf_problem(element.src, element.page) or self.keys_hint)

    def add_element(self) -> None:
        kind = self.kind_box.currentData()
        values: dict[str, str] = {}
        if kind in ("image", "background"):
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Choose an image"), "", _("Images or PDF pages (*.png *.jpg *.jpeg *.pdf)")
            )
            if not path:
                return
            values["src"] = path
        index = self.draft.add(kind, **values)
        self._say_pdf_problem(self.draft.drawn(index))
        self.refresh_preview()
        self._fill_elements()
        self.select(index)
        self.canvas.setFocus()

    def remove_element(self) -> None:
        if self.canvas.current >= 0:
            self.draft.remove(self.canvas.current)
            self.canvas.current = -1
            self._show_draft()

    def reset_design(self) -> None:
        self.draft.reset()
        self.canvas.current = -1
        self._show_draft()

    # -- preview and saving ---------------------------------------------------
    def preview_data(self) -> BadgeData:
        """The person chosen for the preview, as a member of the category being designed."""
        data = self.people[max(self.person_box.currentIndex(), 0)][1]
        category = next((c for c in self.context.event.categories if c.key == self.draft.category), None)
        if category is None:
            return data
        label = category.badge_label or category.name
        return replace(data, category_key=category.key, category_label=label, category_colour=category.colour)

    def refresh_preview(self) -> None:
        """Render the badge with the renderer and show it (QtPdf draws the page into an image)."""
        pdf = self.draft.preview_pdf(self.preview_data())
        self.canvas.size_mm = self.draft.badge_size
        self._document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(self._buffer)
        self.canvas.image = self._document.render(0, self.canvas.render_size())
        self.canvas.boxes = [QRectF(e.x, e.y, e.w, e.h) for e in self._drawn_elements()]
        self.canvas.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refresh.start()

    def save(self) -> bool:
        """Write the templates into the event file and load it again; False if that did not happen."""
        if self.event_file is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Event file"), "", _("Event files (*.toml)"))
            if not path:
                return False
            self.event_file = Path(path)
        try:
            slug = load_event_file(self.event_file, layout_keys=list(self.layouts)).slug
            if slug != self.context.event.slug:
                raise UserError(
                    _("{path} describes another event ({slug}).").format(path=self.event_file, slug=slug)
                )
            self.draft.save(self.event_file)
            definition = load_event_file(self.event_file, layout_keys=list(self.layouts))
            event = EventService(self.context.db).load_definition(definition)
        except UserError as exc:
            QMessageBox.warning(self, _("Badge designer"), str(exc))
            return False
        self.context.event = event
        self.context.badges.use_event(event)
        self.draft.templates = list(parse_templates(definition.raw.get("badge")))
        self.hint.setText(_("Saved to {path}.").format(path=self.event_file))
        return True
