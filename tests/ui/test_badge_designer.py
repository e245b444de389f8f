"""The badge designer: select an element, move it with the keys or the mouse, save into the event file."""

from __future__ import annotations

import io
import shutil
import tomllib

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt

from checkin.domain.badge_templates import parse_templates
from checkin.resources import demo_event_file
from checkin.ui.badge_designer import BadgeDesignerDialog


@pytest.fixture
def event_file(tmp_path):
    path = tmp_path / "event.toml"
    shutil.copy(demo_event_file(), path)
    return path


@pytest.fixture
def designer(qtbot, desk_context, event_file):
    dialog = BadgeDesignerDialog(desk_context, event_file=event_file)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def index_of(dialog: BadgeDesignerDialog, kind: str) -> int:
    return next(i for i, e in enumerate(dialog.draft.elements()) if e.kind == kind)


def test_arrow_keys_move_the_selected_element_and_save_writes_it(qtbot, designer, event_file):
    qr = index_of(designer, "qr")
    designer.element_list.setCurrentRow(qr)
    before = designer.draft.elements()[qr]
    designer.canvas.setFocus()
    qtbot.keyClick(designer.canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # 1 mm
    qtbot.keyClick(designer.canvas, Qt.Key.Key_Left)  # 0.5 mm
    qtbot.keyClick(designer.canvas, Qt.Key.Key_Up)
    qtbot.keyClick(designer.canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    after = designer.draft.elements()[qr]
    assert (after.x, after.y) == pytest.approx((before.x - 1.5, before.y - 1.5))
    assert designer.geometry_boxes["x"].value() == pytest.approx(after.x, abs=0.05)
    assert designer.draft.dirty
    assert designer.save()
    saved = parse_templates(tomllib.loads(event_file.read_text(encoding="utf-8"))["badge"])
    (template,) = saved
    assert template.layout == "a6"
    qr_saved = next(e for e in template.front if e.kind == "qr")
    assert (qr_saved.x, qr_saved.y) == pytest.approx((after.x, after.y), abs=0.001)
    # Loaded again: the desk prints with the new design.
    assert designer.context.badges.style.templates == saved


def test_ctrl_arrow_keys_size_the_element(qtbot, designer):
    qr = index_of(designer, "qr")
    designer.select(qr)
    before = designer.draft.elements()[qr]
    qtbot.keyClick(designer.canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    after = designer.draft.elements()[qr]
    assert (after.w, after.h) == pytest.approx((before.w - 0.5, before.h))


def test_clicking_selects_and_dragging_moves_by_whole_half_millimetres(qtbot, designer):
    designer.refresh_preview()
    qr = index_of(designer, "qr")
    box = designer.canvas.box_px(designer.canvas.boxes[qr])
    start = box.center().toPoint()
    qtbot.mousePress(designer.canvas, Qt.MouseButton.LeftButton, pos=start)
    assert designer.canvas.current == qr
    assert designer.element_list.currentRow() == qr
    before = designer.draft.elements()[qr]
    step = designer.canvas.scale() * 4  # 4 mm in pixels
    qtbot.mouseMove(designer.canvas, start - QPoint(round(step), 0))
    qtbot.mouseRelease(designer.canvas, Qt.MouseButton.LeftButton, pos=start - QPoint(round(step), 0))
    after = designer.draft.elements()[qr]
    assert after.x == pytest.approx(before.x - 4, abs=0.51)
    moved = (before.x - after.x) * 2
    assert moved == pytest.approx(round(moved))  # whole half millimetres


def test_a_moved_name_block_is_pinned_where_it_was_drawn(qtbot, designer):
    person = index_of(designer, "person")
    designer.select(person)
    drawn_top = designer.draft.tops[person]
    qtbot.keyClick(designer.canvas, Qt.Key.Key_Down)
    moved = designer.draft.elements()[person]
    assert moved.follow == ""
    assert moved.y == pytest.approx(drawn_top + 0.5, abs=0.001)


def test_elements_stay_inside_the_badge(qtbot, designer):
    qr = index_of(designer, "qr")
    designer.select(qr)
    for _ in range(40):
        qtbot.keyClick(designer.canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    element = designer.draft.elements()[qr]
    assert element.x + element.w == pytest.approx(designer.draft.badge_size[0])


def test_a_ribbon_added_for_a_category_is_saved_as_that_categorys_design(qtbot, designer, event_file):
    designer.category_box.setCurrentIndex(designer.category_box.findData("speaker"))
    designer.kind_box.setCurrentIndex(designer.kind_box.findData("ribbon"))
    designer.add_element()
    ribbon = designer.draft.elements()[designer.canvas.current]
    assert ribbon.kind == "ribbon"
    assert ribbon.categories == ("speaker",)
    designer.text_edit.setText("Podium")
    designer.text_edit.editingFinished.emit()
    assert designer.draft.elements()[designer.canvas.current].text == "Podium"
    # The preview shows its person as a speaker, so the ribbon is on it.
    preview = PdfReader(io.BytesIO(designer.draft.preview_pdf(designer.preview_data())))
    assert "PODIUM" in preview.pages[0].extract_text()
    assert designer.save()
    templates = parse_templates(tomllib.loads(event_file.read_text(encoding="utf-8"))["badge"])
    assert [(t.layout, t.category) for t in templates] == [("a6", "speaker")]


def test_layouts_sides_and_preview_people(qtbot, designer):
    designer.layout_box.setCurrentIndex(designer.layout_box.findData("a4-fold-a6"))
    sides = [designer.side_box.itemData(i) for i in range(designer.side_box.count())]
    assert sides == ["front", "back", "inside"]
    designer.side_box.setCurrentIndex(2)
    assert [e.kind for e in designer.draft.elements()] == ["text", "workshops"]
    designer.layout_box.setCurrentIndex(designer.layout_box.findData("dymo-11356"))
    assert designer.side_box.count() == 1
    assert designer.person_box.count() == 3
    designer.person_box.setCurrentIndex(2)
    assert not designer.canvas.image.isNull()


def test_the_designer_fits_a_small_screen(qtbot, designer):
    designer.resize(1024, 600)
    assert designer.minimumSizeHint().width() <= 1024
    assert designer.minimumSizeHint().height() <= 600


def test_the_window_offers_the_designer(main_window):
    assert main_window.act_designer.text()
