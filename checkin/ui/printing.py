"""Print a PDF (badges, lists) through Qt, or save it.

The PDF bytes come from the badge or report code (reportlab). Qt cannot hand
a PDF to a printer as is, so every page is rendered with QtPdf (PDFium) into
an image at the printer's resolution (capped, see ``MAX_RENDER_DPI``) and
painted onto a page of the same size as the PDF page. Badges are mostly
text and a QR code; at 300 dpi both stay sharp and scan reliably.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, QStandardPaths
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QWidget

from checkin.domain.errors import UserError
from checkin.domain.progress import Progress, check_cancelled
from checkin.i18n import _

MAX_RENDER_DPI = 300


class PrintError(UserError):
    """Printing could not start or failed; the message says why."""


class NoPrinterError(PrintError):
    def __init__(self, printer_name: str | None = None) -> None:
        if printer_name:
            super().__init__(
                _(
                    "The printer “{name}” is not available. Check that it is switched on and installed."
                ).format(name=printer_name)
            )
        else:
            super().__init__(
                _("No printer is installed on this computer. Install a printer or save the badges as PDF.")
            )


class PdfLoadError(PrintError):
    def __init__(self) -> None:
        super().__init__(_("The document could not be read for printing."))


class _LoadedPdf:
    """A ``QPdfDocument`` over in-memory bytes; the buffer must live as long as the document."""

    def __init__(self, pdf_bytes: bytes) -> None:
        self._data = QByteArray(pdf_bytes)
        self._buffer = QBuffer()
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            self.close()
            raise PdfLoadError()

    def close(self) -> None:
        self.document.close()
        self._buffer.close()


def _page_layout(size_pt: QSizeF) -> QPageLayout:
    """A margin-less page layout of exactly the PDF page's size and orientation."""
    landscape = size_pt.width() > size_pt.height()
    portrait_size = QSizeF(size_pt.height(), size_pt.width()) if landscape else QSizeF(size_pt)
    page_size = QPageSize(portrait_size, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)


def render_pdf_to_printer(pdf_bytes: bytes, printer: QPrinter, progress: Progress | None = None) -> int:
    """Paint every page (or the range chosen in the print dialog) onto ``printer``; returns pages sent.

    Safe in a worker thread (Qt supports painting on a ``QPrinter`` outside the GUI thread).
    With ``progress``, reports each page and stops with ``Cancelled`` when asked; pages
    already painted are then still sent (a printer cannot take them back).

    Raises:
        PdfLoadError: the bytes are not a readable PDF.
        PrintError: the printer refused to start (e.g. the output file is not writable).
    """
    pdf = _LoadedPdf(pdf_bytes)
    try:
        document = pdf.document
        count = document.pageCount()
        first, last = 0, count - 1
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(0, printer.fromPage() - 1)
            last = min(count - 1, (printer.toPage() or count) - 1)
        printer.setFullPage(True)
        printer.setPageLayout(_page_layout(document.pagePointSize(first)))
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(_("The printer could not be started."))
        sent = 0
        try:
            dpi = min(printer.resolution(), MAX_RENDER_DPI)
            total = last - first + 1
            for index in range(first, last + 1):
                if progress is not None:
                    check_cancelled(progress)
                    progress.update(
                        sent, total, _("Printing page {page} of {total} …").format(page=sent + 1, total=total)
                    )
                size_pt = document.pagePointSize(index)
                if index > first:
                    printer.setPageLayout(_page_layout(size_pt))
                    if not printer.newPage():
                        raise PrintError(_("The printer stopped before the last page."))
                image_size = QSize(round(size_pt.width() / 72 * dpi), round(size_pt.height() / 72 * dpi))
                image = document.render(index, image_size)
                target = printer.pageRect(QPrinter.Unit.DevicePixel)
                painter.drawImage(QRectF(0, 0, target.width(), target.height()), image)
                sent += 1
            if progress is not None:
                progress.update(sent, total, _("Printed {count} pages.").format(count=sent))
        finally:
            painter.end()
        return sent
    finally:
        pdf.close()


def _find_printer(printer_name: str | None) -> QPrinterInfo:
    if printer_name:
        info = QPrinterInfo.printerInfo(printer_name)
        if info.isNull():
            raise NoPrinterError(printer_name)
        return info
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        available = QPrinterInfo.availablePrinters()
        if not available:
            raise NoPrinterError()
        info = available[0]
    return info


def prepare_printer(
    pdf_bytes: bytes, *, parent: QWidget | None, printer_name: str | None, show_dialog: bool
) -> QPrinter | None:
    """The printer to print on, after the print dialog if wanted; None when the user cancelled.

    Split from the painting so a long batch can be painted in a worker thread
    (``render_pdf_to_printer`` with a progress) while the dialog runs here, on the GUI thread.

    Raises:
        NoPrinterError: no printer exists, or the named one is not installed (without dialog).
    """
    if show_dialog:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if printer_name and not QPrinterInfo.printerInfo(printer_name).isNull():
            printer.setPrinterName(printer_name)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(_("Print"))
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        dialog.setMinMax(1, max(1, _page_count(pdf_bytes)))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return printer
    return QPrinter(_find_printer(printer_name), QPrinter.PrinterMode.HighResolution)


def print_pdf(
    pdf_bytes: bytes,
    *,
    parent: QWidget | None,
    printer_name: str | None,
    show_dialog: bool,
    printer: QPrinter | None = None,
) -> bool:
    """Print ``pdf_bytes`` on the GUI thread; True when sent to the printer, False when cancelled.

    Meant for a few pages (one badge, a reprint); a batch goes through
    ``prepare_printer`` + ``render_pdf_to_printer`` in a ``TaskRunner`` worker.

    Args:
        parent: the window the print dialog belongs to.
        printer_name: the configured printer; None (or empty) means the system default.
        show_dialog: let the user choose printer, copies and pages first (Qt's print dialog).
        printer: an already configured printer to use instead (e.g. PDF output in tests).

    Raises:
        NoPrinterError: no printer exists, or the named one is not installed.
        PrintError: the PDF could not be read or the printer did not start.
    """
    if printer is None:
        printer = prepare_printer(
            pdf_bytes, parent=parent, printer_name=printer_name, show_dialog=show_dialog
        )
        if printer is None:
            return False
    render_pdf_to_printer(pdf_bytes, printer)
    return True


def _page_count(pdf_bytes: bytes) -> int:
    pdf = _LoadedPdf(pdf_bytes)
    try:
        return pdf.document.pageCount()
    finally:
        pdf.close()


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def write_pdf_file(pdf_bytes: bytes, path: Path) -> Path:
    """Write atomically (temp file, then rename), so a half-written badge file never appears."""
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    temporary = path.with_name(f".{path.name}.part")
    try:
        temporary.write_bytes(pdf_bytes)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise PrintError(
            _("The file “{path}” could not be saved: {reason}").format(path=path, reason=error.strerror)
        ) from error
    return path


def save_pdf(pdf_bytes: bytes, parent: QWidget | None, suggested_name: str) -> Path | None:
    """Ask where to save and write the PDF there; None when the user cancelled."""
    suggested = default_folder() / suggested_name
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, _("Save PDF"), str(suggested), _("PDF documents (*.pdf)")
    )
    if not chosen:
        return None
    return write_pdf_file(pdf_bytes, Path(chosen))
