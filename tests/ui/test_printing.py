"""Printing a PDF through Qt: into a PDF printer (the offscreen platform has no real printers)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, A6, landscape
from reportlab.pdfgen import canvas

from checkin.ui.printing import NoPrinterError, PdfLoadError, print_pdf, render_pdf_to_printer, save_pdf


def _sample_pdf() -> bytes:
    """Two A6 badges with a QR code each, then one landscape A4 list page."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A6)
    for code in ("K7QP-3MXA", "ZZ9R-TT4B"):
        pdf.setFont("Helvetica-Bold", 20)
        pdf.drawString(30, 350, f"Badge {code}")
        widget = QrCodeWidget(code)
        drawing = Drawing(150, 150)
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, 70, 100)
        pdf.showPage()
    pdf.setPageSize(landscape(A4))
    pdf.drawString(40, 500, "Liste")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_printed_pdf_has_every_page_in_its_own_size(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    assert print_pdf(
        _sample_pdf(), parent=None, printer_name=None, show_dialog=False, printer=_pdf_printer(out)
    )
    pages = PdfReader(out).pages
    assert len(pages) == 3
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages]
    for (width, height), (want_w, want_h) in zip(sizes, [A6, A6, landscape(A4)], strict=True):
        assert width == pytest.approx(want_w, abs=1.5)
        assert height == pytest.approx(want_h, abs=1.5)


def test_printed_badge_still_scans(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    sent = render_pdf_to_printer(_sample_pdf(), _pdf_printer(out))
    assert sent == 3
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "2", "-l", "2", "-png", str(out), str(tmp_path / "p")], check=True
    )
    (png,) = tmp_path.glob("p*.png")
    with Image.open(png) as image:
        decoded = [b.text for b in zxingcpp.read_barcodes(image)]
    assert decoded == ["ZZ9R-TT4B"]


def test_page_range_from_the_dialog_is_respected(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "range.pdf"
    printer = _pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert render_pdf_to_printer(_sample_pdf(), printer) == 2
    assert len(PdfReader(out).pages) == 2


@pytest.mark.skipif(bool(QPrinterInfo.availablePrinterNames()), reason="a real printer is installed")
def test_without_printers_a_clear_error(qtbot) -> None:
    with pytest.raises(NoPrinterError, match="Kein Drucker"):
        print_pdf(_sample_pdf(), parent=None, printer_name=None, show_dialog=False)
    with pytest.raises(NoPrinterError, match="Etikett-3"):
        print_pdf(_sample_pdf(), parent=None, printer_name="Etikett-3", show_dialog=False)


def test_garbage_is_not_printed(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "never.pdf"
    with pytest.raises(PdfLoadError):
        render_pdf_to_printer(b"not a pdf", _pdf_printer(out))
    assert not out.exists()


def test_save_pdf_writes_the_chosen_file(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "badges"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), "PDF"))
    data = _sample_pdf()
    saved = save_pdf(data, None, "badges.pdf")
    assert saved == tmp_path / "badges.pdf"
    assert saved.read_bytes() == data
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert save_pdf(data, None, "badges.pdf") is None


def test_batch_printing_in_a_worker_reports_progress_and_can_be_cancelled(qtbot, tmp_path: Path) -> None:
    from checkin.domain.progress import Cancelled, RecordingProgress
    from checkin.ui.tasks import TaskRunner

    runner = TaskRunner(show_progress=False)
    out = tmp_path / "worker.pdf"
    printer = _pdf_printer(out)
    progress = RecordingProgress()
    results: list[int] = []
    handle = runner.run(
        lambda _p: render_pdf_to_printer(_sample_pdf(), printer, progress), on_done=results.append
    )
    qtbot.waitUntil(handle.is_finished, timeout=10000)
    assert results == [3]
    assert progress.updates[-1][:2] == (3, 3)
    assert len(PdfReader(out).pages) == 3

    with pytest.raises(Cancelled):
        render_pdf_to_printer(
            _sample_pdf(), _pdf_printer(tmp_path / "cut.pdf"), RecordingProgress(cancel_after=2)
        )
    runner.deleteLater()


# -- BadgePrinting: one badge from the desk ---------------------------------------------------------


def _badge_printing(qtbot, desk_context, tmp_path: Path, **settings):
    import dataclasses

    from checkin.ui.badge_printing import BadgePrinting
    from checkin.ui.checkin_panel import CheckInPanel
    from checkin.ui.settings import WorkingDay

    desk_context.settings = dataclasses.replace(desk_context.settings, **settings)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "badge.pdf"))
    panel = CheckInPanel(desk_context)
    qtbot.addWidget(panel)
    panel.set_working_day(WorkingDay(desk_context.event.days[0].date, is_today=True))
    return panel, BadgePrinting(desk_context, panel, panel, printer=printer)


def test_a_printed_badge_is_recorded_and_published(qtbot, desk_context, people, tmp_path: Path) -> None:
    panel, printing = _badge_printing(qtbot, desk_context, tmp_path)
    seen = []
    desk_context.changes.changed.connect(seen.append)
    person = people["mueller"]
    assert printing.print_badge(person.registration_id)
    assert len(PdfReader(tmp_path / "badge.pdf").pages) == 1
    assert desk_context.badges.last_print(person.registration_id).reason == "single"
    assert seen[-1].registrations == frozenset({person.registration_id})
    assert panel.print_status.text() == "Namensschild an den Drucker geschickt."


def test_auto_print_follows_the_desk_check_in(qtbot, desk_context, people, tmp_path: Path) -> None:
    panel, _printing = _badge_printing(qtbot, desk_context, tmp_path, auto_print=True)
    person = people["schmidt"]
    panel.submit_scan(person.code)  # the desk's checked_in signal starts the print
    assert desk_context.badges.last_print(person.registration_id).reason == "auto"
    assert "an den Drucker geschickt" in panel.print_status.text()


def test_nothing_shown_nothing_printed(qtbot, desk_context, people, tmp_path: Path) -> None:
    panel, printing = _badge_printing(qtbot, desk_context, tmp_path)
    printing.print_shown_badge()
    assert not (tmp_path / "badge.pdf").exists()
    assert panel.verdict_view.band.text() == "Niemand zum Drucken"
