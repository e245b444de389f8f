"""The designer takes a PDF page as background: live preview, page choice, saved; a broken file is named."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog
from reportlab.pdfgen.canvas import Canvas

from checkin.domain.badge_templates import parse_templates
from checkin.resources import demo_event_file
from checkin.ui.badge_designer import BadgeDesignerDialog

MM = 72 / 25.4
PAGE_COLOURS = ((0.95, 0.80, 0.20), (0.20, 0.60, 0.35))  # yellow page 1, green page 2


def two_page_pdf(path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=(105 * MM, 148 * MM))
    for colour in PAGE_COLOURS:
        canvas.setFillColorRGB(*colour)
        canvas.rect(0, 0, 105 * MM, 148 * MM, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return path


@pytest.fixture
def designer(qtbot, desk_context, tmp_path):
    event_file = tmp_path / "event.toml"
    shutil.copy(demo_event_file(), event_file)
    dialog = BadgeDesignerDialog(desk_context, event_file=event_file)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def add_background(designer: BadgeDesignerDialog, pdf: Path, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(pdf), ""))
    designer.kind_box.setCurrentIndex(designer.kind_box.findData("background"))
    designer.add_element()


def preview_colour(designer: BadgeDesignerDialog) -> QColor:
    """The preview's colour a little inside the top-left corner (where no badge content is)."""
    designer.refresh_preview()
    image = designer.canvas.image
    return image.pixelColor(int(image.width() * 0.03), int(image.height() * 0.3))


def close_to(colour: QColor, rgb: tuple[float, float, float]) -> bool:
    """On paper: QtPdf leaves what the PDF does not paint transparent."""
    alpha = colour.alphaF()
    shown = [c * alpha + (1 - alpha) for c in colour.getRgbF()[:3]]
    return all(abs(a - b) < 0.06 for a, b in zip(shown, rgb, strict=True))


def test_a_pdf_page_fills_the_preview_and_its_page_is_saved(qtbot, designer, tmp_path, monkeypatch):
    pdf = two_page_pdf(tmp_path / "hintergrund.pdf")
    add_background(designer, pdf, monkeypatch)
    element = designer.draft.elements()[designer.canvas.current]
    assert (element.kind, element.src, element.page) == ("background", str(pdf), 1)
    assert designer.page_box.isEnabled()
    assert close_to(preview_colour(designer), PAGE_COLOURS[0])
    designer.page_box.setValue(2)
    assert designer.draft.elements()[designer.canvas.current].page == 2
    assert close_to(preview_colour(designer), PAGE_COLOURS[1])
    assert designer.save()
    saved = parse_templates(tomllib.loads(designer.event_file.read_text(encoding="utf-8"))["badge"])
    background = saved[0].front[0]
    assert (background.kind, background.page) == ("background", 2)
    assert Path(background.src).name == "hintergrund.pdf"


def test_the_page_field_is_only_for_pdfs(qtbot, designer):
    qr = next(i for i, e in enumerate(designer.draft.elements()) if e.kind == "qr")
    designer.element_list.setCurrentRow(qr)
    assert not designer.page_box.isEnabled()


def test_a_pdf_that_cannot_be_used_is_named_in_the_hint_line(qtbot, designer, tmp_path, monkeypatch):
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<")
    add_background(designer, broken, monkeypatch)
    assert designer.hint.text() == (
        "Der Hintergrund kaputt.pdf kann nicht verwendet werden (die Datei ist beschädigt oder kein PDF); "
        "die Namensschilder werden ohne ihn gedruckt."
    )
    assert close_to(preview_colour(designer), (1.0, 1.0, 1.0))  # the badge without it


def test_the_hint_says_so_until_a_page_that_exists_is_chosen(qtbot, designer, tmp_path, monkeypatch):
    add_background(designer, two_page_pdf(tmp_path / "zwei.pdf"), monkeypatch)
    designer.page_box.setValue(3)
    assert "Seite 3 ist angegeben, die Datei hat 2" in designer.hint.text()
    designer.page_box.setValue(2)
    assert designer.hint.text() == designer.keys_hint
