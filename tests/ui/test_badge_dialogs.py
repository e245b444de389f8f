"""Badge preview and batch printing: filters, real PDFs, prints logged only when they happened."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from checkin.ui.badge_dialogs import PREVIEW_LIMIT, BatchBadgeDialog, PdfPreviewDialog, parse_code_list
from checkin.ui.tasks import SyncTaskRunner, TaskRunner
from tests.helpers import People, registration_ids
from tests.helpers.desk import build_desk

A6_PT = (297.6, 419.5)


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def people(db, demo_event) -> dict[str, list[int]]:
    add_many = People(db, demo_event).add_many
    return {
        "participants": registration_ids(add_many(5, category="participant", days=())),
        "speakers": registration_ids(add_many(2, category="speaker", start=10, days=())),
    }


def _dialog(qtbot, db, demo_event, clock, tasks=None) -> BatchBadgeDialog:
    dialog = BatchBadgeDialog(build_desk(db, demo_event, clock, tasks=tasks))
    qtbot.addWidget(dialog)
    return dialog


def test_parse_code_list() -> None:
    assert parse_code_list("T000001\nT000002, T000001;  T000003 ") == ("T000001", "T000002", "T000003")
    assert parse_code_list("  \n") == ()


def test_filters_change_the_count(qtbot, db, demo_event, clock, people) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    assert dialog.match_count == 7
    assert dialog.count_label.text() == "Ausgewählte Namensschilder: 7"
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("speaker"))
    dialog.update_count()  # what the debounce timer does after 250 ms
    assert dialog.match_count == 2
    dialog.category_combo.setCurrentIndex(0)
    dialog.codes_edit.setPlainText("T000001\nT000010\n")
    dialog.update_count()
    assert dialog.match_count == 2
    dialog.codes_edit.setPlainText("NICHTDA")
    dialog.update_count()
    assert dialog.match_count == 0
    assert not dialog.print_button.isEnabled()


def test_save_batch_writes_every_badge_and_logs_the_prints(
    qtbot, db, demo_event, clock, people, tmp_path
) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    out = tmp_path / "namensschilder.pdf"
    dialog.save_batch(out)
    pages = PdfReader(out).pages
    assert len(pages) == 7
    assert float(pages[0].mediabox.width) == pytest.approx(A6_PT[0], abs=1)
    assert "gespeichert" in dialog.status_label.text()
    badges = dialog._context.badges
    assert badges.printed_ids() == set(people["participants"] + people["speakers"])
    dialog.unprinted_box.setChecked(True)
    dialog.update_count()
    assert dialog.match_count == 0


def test_save_asks_for_the_file(qtbot, db, demo_event, clock, people, tmp_path, monkeypatch) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "b"), ""))
    dialog.save_button.click()
    assert len(PdfReader(tmp_path / "b.pdf").pages) == 7
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    dialog.save_button.click()  # cancelled: nothing happens
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["b.pdf"]


def test_print_batch_on_a_sheet_layout_sorted_by_organisation(
    qtbot, db, demo_event, clock, people, tmp_path
) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("a4-4xa6"))
    dialog.sort_combo.setCurrentIndex(dialog.sort_combo.findData("organisation"))
    out = tmp_path / "printed.pdf"
    dialog.print_batch(_pdf_printer(out))
    pages = PdfReader(out).pages
    assert len(pages) == 2  # 7 badges, 4 per A4 sheet
    assert float(pages[0].mediabox.width) == pytest.approx(595.3, abs=1)
    assert "Drucker" in dialog.status_label.text()
    assert len(dialog._context.badges.printed_ids()) == 7


def test_cancel_logs_nothing(qtbot, db, demo_event, clock, people, tmp_path) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock, SyncTaskRunner(cancel_after=1))
    out = tmp_path / "never.pdf"
    dialog.save_batch(out)
    assert not out.exists()
    assert "Abgebrochen" in dialog.status_label.text()
    assert dialog._context.badges.printed_ids() == set()


def test_preview_shows_a_sample_without_print_buttons(qtbot, db, demo_event, clock, tmp_path) -> None:
    People(db, demo_event).add_many(PREVIEW_LIMIT + 3, days=())
    dialog = _dialog(qtbot, db, demo_event, clock)
    dialog.preview_button.click()
    preview = dialog.preview_dialog
    qtbot.addWidget(preview)
    assert preview.page_count() == PREVIEW_LIMIT
    assert not preview.print_button.isVisibleTo(preview)
    assert dialog._context.badges.printed_ids() == set()
    preview.reject()


def test_pdf_preview_prints_and_saves(qtbot, db, demo_event, clock, people, tmp_path, monkeypatch) -> None:
    context = build_desk(db, demo_event, clock)
    pdf = context.badges.render_badges(people["speakers"])
    dialog = PdfPreviewDialog(pdf, "Vorschau")
    qtbot.addWidget(dialog)
    assert dialog.page_count() == 2
    assert dialog.pages_label.text() == "Seiten: 2"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "s.pdf"), ""))
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save_button.click()
    assert saved.args[0].read_bytes() == pdf
    out = tmp_path / "p.pdf"
    with qtbot.waitSignal(dialog.printed):
        assert dialog.print_document(_pdf_printer(out))
    assert len(PdfReader(out).pages) == 2


def test_batch_in_worker_threads(qtbot, db, demo_event, clock, people, tmp_path) -> None:
    runner = TaskRunner(show_progress=False)
    dialog = _dialog(qtbot, db, demo_event, clock, runner)
    qtbot.waitUntil(lambda: dialog.match_count == 7, timeout=5000)
    out = tmp_path / "w.pdf"
    with qtbot.waitSignal(dialog.finished_output, timeout=20000) as done:
        dialog.print_batch(_pdf_printer(out))
    assert done.args == [7]
    assert len(PdfReader(out).pages) == 7
    runner.wait_until_idle()


def test_start_at_label_on_sheets_and_no_backs_on_label_rolls(
    qtbot, db, demo_event, clock, people, tmp_path
) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("a6"))
    assert not dialog.start_at_spin.isEnabled()
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("dymo-11356"))
    assert not dialog.double_sided_box.isEnabled()
    assert not dialog.double_sided_box.isChecked()
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("a4-4xa6"))
    assert dialog.double_sided_box.isEnabled()
    assert dialog.start_at_spin.isEnabled()
    assert dialog.start_at_spin.maximum() == 4
    dialog.start_at_spin.setValue(4)
    out = tmp_path / "sheet.pdf"
    dialog.save_batch(out)
    pages = PdfReader(out).pages
    assert len(pages) == 3  # 7 badges from label 4: 1 + 4 + 2
    assert len(dialog._context.badges.printed_ids()) == 7


def test_the_preview_and_the_import_wizard_fit_the_screen(qtbot, db, demo_event, clock, people) -> None:
    """Issue 13: the preview's buttons were below a 1366×768 screen (the offscreen screen is 800×800)."""
    from checkin.ui.import_wizard import ImportWizard

    context = build_desk(db, demo_event, clock)
    preview = PdfPreviewDialog(context.badges.render_badges(people["speakers"]), "Vorschau")
    wizard = ImportWizard(context)
    for dialog in (preview, wizard):
        qtbot.addWidget(dialog)
        available = dialog.screen().availableGeometry()
        assert dialog.height() <= available.height() - 48
        assert dialog.width() <= available.width()
