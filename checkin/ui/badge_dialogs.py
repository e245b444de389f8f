"""Badge dialogs: a PDF preview with print/save, and batch printing with filters.

Rendering is done by ``checkin.badges.service.BadgeService``; a batch is
rendered (streamed to a temporary file) and painted onto the printer in
``TaskRunner`` workers, so the desk never freezes. A print is logged only
after the printer took it (not when the print dialog was cancelled); a
saved PDF counts as printed, since it is saved to be printed elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin.badges.coverage import UnprintableName, describe, unprintable_registrations
from checkin.badges.layouts import available_layouts
from checkin.badges.pdf_page import template_problems
from checkin.badges.service import BadgeSelection
from checkin.domain.errors import UserError
from checkin.domain.progress import Cancelled, Progress
from checkin.domain.verdicts import Severity
from checkin.i18n import _, ngettext
from checkin.presentation.formats import format_date
from checkin.ui import theme
from checkin.ui.context import DeskContext
from checkin.ui.printing import (
    default_folder,
    prepare_printer,
    print_pdf,
    render_pdf_to_printer,
    save_pdf,
    write_pdf_file,
)
from checkin.ui.tasks import TaskHandle, show_task_error

PREVIEW_LIMIT = 24  # badges rendered for a batch preview


class PdfPreviewDialog(QDialog):
    """Shows a PDF (badges, lists) page by page, with Print and Save buttons.

    ``printed`` is emitted after the printer accepted the document, ``saved``
    (with the path) after it was written; callers log badge prints on those.
    With ``allow_output=False`` the dialog only shows (a batch preview shows a
    sample, which must not be printed instead of the batch).
    """

    printed = Signal()
    saved = Signal(object)  # Path

    def __init__(
        self,
        pdf_bytes: bytes,
        title: str,
        parent: QWidget | None = None,
        *,
        printer_name: str | None = None,
        suggested_name: str = "badges.pdf",
        allow_output: bool = True,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pdf_bytes = pdf_bytes
        self._printer_name = printer_name or None
        self._suggested_name = suggested_name
        self._data = QByteArray(pdf_bytes)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.pages_label = QLabel(_("Pages: {count}").format(count=self.document.pageCount()))
        top.addWidget(self.pages_label)
        if note:
            note_label = QLabel(note)
            note_label.setStyleSheet(f"color: {theme.MUTED};")
            top.addWidget(note_label)
        top.addStretch(1)
        self.view = QPdfView()
        self.fit_button = QPushButton(_("Fit page"))
        self.fit_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.width_button = QPushButton(_("Fit width"))
        self.width_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        for button in (self.fit_button, self.width_button):
            button.setAutoDefault(False)
            top.addWidget(button)
        layout.addLayout(top)

        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        self.view.setStyleSheet("background: #8a949e;")
        layout.addWidget(self.view, 1)

        self.buttons = QDialogButtonBox()
        # ActionRole, wired by hand: the box must not close the dialog by itself before printing.
        self.print_button = self.buttons.addButton(_("Print …"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = self.buttons.addButton(_("Save PDF …"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.setVisible(allow_output)
        self.save_button.setVisible(allow_output)
        self.print_button.clicked.connect(lambda: self.print_document())
        self.save_button.clicked.connect(lambda: self.save_document())
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        theme.resize_within_screen(self, 760, 860)

    def page_count(self) -> int:
        return self.document.pageCount()

    def print_document(self, printer: QPrinter | None = None) -> bool:
        """Print through the print dialog (or on ``printer`` as given); True when printed."""
        try:
            done = print_pdf(
                self.pdf_bytes,
                parent=self,
                printer_name=self._printer_name,
                show_dialog=printer is None,
                printer=printer,
            )
        except Exception as error:  # a UserError is shown as its sentence, anything else as a bug
            show_task_error(error, self, _("Print"))
            return False
        if done:
            self.printed.emit()
            self.accept()
        return done

    def save_document(self) -> Path | None:
        try:
            path = save_pdf(self.pdf_bytes, self, self._suggested_name)
        except Exception as error:
            show_task_error(error, self, _("Save PDF"))
            return None
        if path is not None:
            self.saved.emit(path)
        return path

    def done(self, result: int) -> None:
        self.document.close()
        self._buffer.close()
        super().done(result)


_CODE_SPLIT = re.compile(r"[\s,;]+")


def parse_code_list(text: str) -> tuple[str, ...]:
    """Codes typed or pasted one per line (or separated by commas/semicolons)."""
    return tuple(dict.fromkeys(c for c in _CODE_SPLIT.split(text) if c))


def batch_warning(people: Sequence[UnprintableName], problems: Sequence[str]) -> str:
    """What to say before a batch goes out ("" when all is well): the names, then the backgrounds."""
    parts = list(problems)
    if people:
        heading = ngettext(
            "{n} name has characters the font does not have:",
            "{n} names have characters the font does not have:",
            len(people),
        ).format(n=len(people))
        parts.insert(0, f"{heading}\n{describe(people)}")
    return "\n\n".join(parts)


@dataclass(frozen=True)
class _BatchFile:
    pdf_bytes: bytes
    ids: tuple[int, ...]
    layout: str


class BatchBadgeDialog(QDialog):
    """Print or save the badges of many people at once: filters, layout, order, preview."""

    finished_output = Signal(int)  # badges printed or saved

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._event = context.event
        self.setWindowTitle(_("Print badges"))
        self._busy = False
        self._task: TaskHandle | None = None
        self.match_count: int | None = None
        self._build()
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(250)
        self._count_timer.timeout.connect(self.update_count)
        self.update_count()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        layout = QVBoxLayout(self)

        who = QGroupBox(_("Whose badges"))
        who_form = QFormLayout(who)
        self.category_combo = QComboBox()
        self.category_combo.addItem(_("All categories"), "")
        for category in self._event.categories:
            self.category_combo.addItem(category.name, category.key)
        who_form.addRow(_("Category:"), self.category_combo)
        self.day_combo = QComboBox()
        self.day_combo.addItem(_("All days"), "")
        for day in self._event.days:
            self.day_combo.addItem(day.label or format_date(day.date), day.date.isoformat())
        who_form.addRow(_("Registered for:"), self.day_combo)
        self.codes_edit = QPlainTextEdit()
        self.codes_edit.setPlaceholderText(_("Optional: only these codes, one per line"))
        self.codes_edit.setFixedHeight(70)
        who_form.addRow(_("Codes:"), self.codes_edit)
        self.unprinted_box = QCheckBox(_("Only badges not printed yet"))
        who_form.addRow("", self.unprinted_box)
        self.cancelled_box = QCheckBox(_("Include cancelled registrations"))
        who_form.addRow("", self.cancelled_box)
        layout.addWidget(who)

        how = QGroupBox(_("Badge format"))
        how_form = QFormLayout(how)
        self.layout_combo = QComboBox()
        wanted = self._context.settings.badge_layout or self._event.badge_layout
        for info in available_layouts(self._event):
            self.layout_combo.addItem(info.title, info.key)
        index = self.layout_combo.findData(wanted)
        self.layout_combo.setCurrentIndex(max(index, 0))
        how_form.addRow(_("Badge layout:"), self.layout_combo)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem(_("Last name"), "last_name")
        self.sort_combo.addItem(_("Organisation, then last name"), "organisation")
        how_form.addRow(_("Order:"), self.sort_combo)
        self.double_sided_box = QCheckBox(_("Double-sided (back pages mirrored for duplex printing)"))
        badge_options = self._event.definition.get("badge") or {}
        self.double_sided_box.setChecked(
            bool(badge_options.get("double_sided", False)) if isinstance(badge_options, dict) else False
        )
        how_form.addRow("", self.double_sided_box)
        # Sheets only: a sheet whose first labels were used before starts at a later label.
        self.start_at_spin = QSpinBox()
        self.start_at_spin.setMinimum(1)
        self.start_at_spin.setToolTip(_("Labels before this one on the first sheet stay empty."))
        how_form.addRow(_("Start at label:"), self.start_at_spin)
        self.layout_combo.currentIndexChanged.connect(self._update_sheet_options)
        self._update_sheet_options()
        layout.addWidget(how)

        self.count_label = QLabel("")
        self.count_label.setFont(theme.font(12, bold=True))
        layout.addWidget(self.count_label)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        buttons = QHBoxLayout()
        self.preview_button = QPushButton(_("Preview"))
        self.save_button = QPushButton(_("Save PDF …"))
        self.print_button = QPushButton(_("Print …"))
        self.print_button.setDefault(True)
        self.close_button = QPushButton(_("Close"))
        self.preview_button.clicked.connect(self.show_preview)
        self.save_button.clicked.connect(lambda: self.save_batch())
        self.print_button.clicked.connect(lambda: self.print_batch())
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        for combo in (self.category_combo, self.day_combo, self.sort_combo):
            combo.currentIndexChanged.connect(self._schedule_count)
        self.codes_edit.textChanged.connect(self._schedule_count)
        self.unprinted_box.toggled.connect(self._schedule_count)
        self.cancelled_box.toggled.connect(self._schedule_count)
        self.resize(620, 0)

    # ------------------------------------------------------------------ state
    def selection(self) -> BadgeSelection:
        """The filters as the badge service takes them."""
        category = self.category_combo.currentData()
        day = self.day_combo.currentData()
        return BadgeSelection(
            codes=parse_code_list(self.codes_edit.toPlainText()),
            category_keys=(category,) if category else (),
            day=dt.date.fromisoformat(day) if day else None,
            unprinted_only=self.unprinted_box.isChecked(),
            include_cancelled=self.cancelled_box.isChecked(),
        )

    def layout_key(self) -> str:
        return str(self.layout_combo.currentData())

    def _update_sheet_options(self) -> None:
        """ "Start at label" only on sheets of several labels; no double-sided printing on label rolls."""
        chosen = self._context.badges.layout(self.layout_key())
        sheet = chosen.kind == "sheet" and chosen.per_page > 1
        self.start_at_spin.setMaximum(chosen.per_page if sheet else 1)
        self.start_at_spin.setEnabled(sheet)
        if not sheet:
            self.start_at_spin.setValue(1)
        self.double_sided_box.setEnabled(not chosen.label_roll)
        if chosen.label_roll:
            self.double_sided_box.setChecked(False)

    def start_at(self) -> int:
        return self.start_at_spin.value()

    def sort_order(self) -> str:
        return str(self.sort_combo.currentData())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        enabled = not busy and bool(self.match_count)
        for button in (self.preview_button, self.save_button, self.print_button):
            button.setEnabled(enabled)

    def _status(self, text: str, severity: Severity | None = None) -> None:
        self.status_label.setText(text)
        colour = theme.SEVERITY_COLOURS[severity].text if severity else theme.INK
        self.status_label.setStyleSheet(f"color: {colour};")

    def _schedule_count(self) -> None:
        self._count_timer.start()

    def update_count(self) -> None:
        """Count the matching badges in the background (German collation sort is not free at 50,000)."""
        selection, sort, badges = self.selection(), self.sort_order(), self._context.badges
        self.count_label.setText(_("Counting …"))

        def counted(ids: list[int]) -> None:
            if selection != self.selection():
                return  # the filters changed meanwhile; a newer count is on its way
            self.match_count = len(ids)
            self.count_label.setText(_("Badges selected: {count}").format(count=len(ids)))
            self._set_busy(self._busy)

        def failed(error: BaseException) -> None:
            self.match_count = 0
            self.count_label.setText(str(error))
            self._set_busy(self._busy)

        self._context.tasks.run(
            lambda _progress: badges.select_ids(selection, sort=sort),
            on_done=counted,
            on_error=failed,
            parent=self,
            quiet=True,
        )

    # ------------------------------------------------------------------ actions
    def show_preview(self) -> None:
        selection, sort, layout = self.selection(), self.sort_order(), self.layout_key()
        double_sided, start_at = self.double_sided_box.isChecked(), self.start_at()
        badges = self._context.badges

        def render(progress: Progress) -> tuple[bytes, int]:
            ids = badges.select_ids(selection, sort=sort)
            shown = ids[:PREVIEW_LIMIT]
            progress.update(0, None, _("Preparing the preview …"))
            pdf = badges.render_badges(shown, layout=layout, double_sided=double_sided, start_at=start_at)
            return pdf, len(ids)

        def rendered(result: tuple[bytes, int]) -> None:
            pdf_bytes, total = result
            note = (
                _("Showing the first {shown} of {total} badges.").format(shown=PREVIEW_LIMIT, total=total)
                if total > PREVIEW_LIMIT
                else ""
            )
            self.preview_dialog = PdfPreviewDialog(
                pdf_bytes, _("Preview of the badges"), self, allow_output=False, note=note
            )
            self.preview_dialog.open()

        self._run(render, rendered, _("Preparing the preview …"))

    def _batch_job(self, record: bool) -> Callable[[Progress], _BatchFile]:
        """A worker function rendering the whole batch (streamed to a temporary file, then read)."""
        selection, sort, layout = self.selection(), self.sort_order(), self.layout_key()
        double_sided, start_at = self.double_sided_box.isChecked(), self.start_at()
        badges = self._context.badges

        def job(progress: Progress) -> _BatchFile:
            ids = badges.select_ids(selection, sort=sort)
            with tempfile.TemporaryDirectory(prefix="checkin-badges-") as folder:
                path = Path(folder) / "badges.pdf"
                badges.render_batch(
                    path,
                    selection,
                    layout=layout,
                    sort=sort,
                    double_sided=double_sided,
                    progress=progress,
                    record=record,
                    start_at=start_at,
                )
                return _BatchFile(path.read_bytes(), tuple(ids), badges.layout(layout).key)

        return job

    def _after_check(self, proceed: Callable[[], None]) -> None:
        """Before a batch goes out: name whoever's badge would show "�", and unusable backgrounds.

        The people come from ``coverage.unprintable_registrations`` (what the
        command line warns with); printing goes on only when the user says so.
        """
        selection, sort, db, badges = (
            self.selection(),
            self.sort_order(),
            self._context.db,
            self._context.badges,
        )

        def check(_progress: Progress) -> str:
            people = unprintable_registrations(db, badges.select_ids(selection, sort=sort))
            return batch_warning(people, template_problems(badges.style.templates))

        def checked(warning: str) -> None:
            if not warning:
                proceed()
                return
            box = QMessageBox(QMessageBox.Icon.Warning, _("Print badges"), warning, parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)  # names are no markup
            box.setInformativeText(_("Print the badges anyway?"))
            self.print_anyway_button = box.addButton(_("Continue"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(self.print_anyway_button)

            def answered() -> None:
                if box.clickedButton() is self.print_anyway_button:
                    proceed()
                else:
                    self._status(_("Cancelled; nothing was printed or saved."), Severity.WARNING)

            box.finished.connect(lambda _result: answered())
            self.print_warning = box
            box.open()

        self._run(check, checked, _("Checking the names …"))

    def save_batch(self, path: Path | None = None) -> None:
        """Ask for a file (unless ``path`` is given), render the batch there and log the prints."""
        self._after_check(lambda: self._save_batch(path))

    def _save_batch(self, path: Path | None) -> None:
        if path is None:
            suggested = default_folder() / _("badges-{slug}.pdf").format(slug=self._event.slug)
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Save PDF"), str(suggested), _("PDF documents (*.pdf)")
            )
            if not chosen:
                return
            path = Path(chosen)
        job = self._batch_job(record=False)
        badges = self._context.badges

        def save(progress: Progress) -> tuple[Path, int]:
            batch = job(progress)
            written = write_pdf_file(batch.pdf_bytes, path)
            badges.record_print(batch.ids, layout=batch.layout, reason="batch")
            return written, len(batch.ids)

        def saved(result: tuple[Path, int]) -> None:
            written, count = result
            self._status(
                _("Badges saved to {path} (badges: {count}).").format(count=count, path=written), Severity.OK
            )
            self.finished_output.emit(count)
            self.update_count()

        self._run(save, saved, _("Rendering badges …"))

    def print_batch(self, printer: QPrinter | None = None) -> None:
        """Render the batch, then print it through the print dialog (or on ``printer`` as given)."""
        self._after_check(lambda: self._print_batch(printer))

    def _print_batch(self, printer: QPrinter | None) -> None:
        job = self._batch_job(record=False)

        def rendered(batch: _BatchFile) -> None:
            chosen = printer
            if chosen is None:
                try:
                    chosen = prepare_printer(
                        batch.pdf_bytes,
                        parent=self,
                        printer_name=self._context.settings.printer or None,
                        show_dialog=True,
                    )
                except Exception as error:
                    self._failed(error)
                    return
                if chosen is None:
                    self._status(_("Printing cancelled; nothing was printed."))
                    return
            self._paint(batch, chosen)

        self._run(job, rendered, _("Rendering badges …"))

    def _paint(self, batch: _BatchFile, printer: QPrinter) -> None:
        badges = self._context.badges

        def paint(progress: Progress) -> int:
            render_pdf_to_printer(batch.pdf_bytes, printer, progress)
            badges.record_print(batch.ids, layout=batch.layout, reason="batch")
            return len(batch.ids)

        def printed(count: int) -> None:
            self._status(_("Badges sent to the printer: {count}.").format(count=count), Severity.OK)
            self.finished_output.emit(count)
            self.update_count()

        self._run(paint, printed, _("Printing badges …"))

    def _run(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None], title: str) -> None:
        self._set_busy(True)
        self._status("")

        def done(result: object) -> None:
            self._set_busy(False)
            on_done(result)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self._failed(error)

        self._task = self._context.tasks.run(fn, on_done=done, on_error=failed, title=title, parent=self)

    def reject(self) -> None:
        """Esc/Close while rendering or printing cancels that first (nothing is logged then)."""
        if self._busy and self._task is not None:
            self._task.cancel()
            return
        super().reject()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            self._status(_("Cancelled; nothing was printed or saved."), Severity.WARNING)
            return
        self._status(str(error), Severity.REFUSED)
        if not isinstance(error, UserError):
            show_task_error(error, self, _("Print badges"))
