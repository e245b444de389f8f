"""Import a registration list from the window: file -> column mapping -> check -> import -> report.

All work is done by ``checkin.io.importing.ImportService``; reading the file,
the dry run and the import run in ``TaskRunner`` workers (a 50,000-row XLSX
takes seconds). The dry run is what the user confirms: the import itself is
all-or-nothing unless they choose to skip the rows with errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from checkin.domain.progress import Cancelled, Progress
from checkin.domain.verdicts import Severity
from checkin.i18n import _
from checkin.io.importing import (
    ImportPreview,
    ImportRejectedError,
    ImportReport,
    ImportService,
    ValueChoices,
    fields_for_event,
)
from checkin.ui import theme
from checkin.ui.context import DeskContext
from checkin.ui.import_views import (
    ReportView,
    SampleTableModel,
    ValueMappingBox,
    error_style,
    format_label,
    grouped,
    warning_style,
)
from checkin.ui.tasks import TaskHandle

_NOT_IMPORTED = ""  # combo data of "(not imported)"


class _TaskPage(QWizardPage):
    """A page that can run a task and show its error inline."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.import_wizard = wizard
        self.error_label = QLabel("")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style())
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


class FilePage(_TaskPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Choose the registration list"))
        self.setSubTitle(
            _(
                "An Excel (.xlsx) or CSV file with one person per row, "
                "e.g. an export from pretix or Eventbrite."
            )
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(_("Path of the file"))
        self.path_edit.textChanged.connect(self._on_input_changed)
        self.browse_button = QPushButton(_("Browse …"))
        self.browse_button.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(_("File:"), row)
        self.format_combo = QComboBox()
        for key in ("auto", "pretix", "eventbrite", "generic"):
            self.format_combo.addItem(format_label(key), key)
        self.format_combo.currentIndexChanged.connect(self._on_input_changed)
        form.addRow(_("Kind of list:"), self.format_combo)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self._read_for: tuple[str, str] | None = None

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose the registration list"),
            self.path_edit.text() or str(Path.home()),
            _("Registration lists (*.xlsx *.csv *.txt *.tsv);;All files (*)"),
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _on_input_changed(self) -> None:
        self.show_error("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        """Read the file in a worker; the page is left once the preview is there."""
        wanted = (self.path_edit.text().strip(), self.format_combo.currentData())
        wizard = self.import_wizard
        if wizard.preview is not None and self._read_for == wanted:
            return True
        if wizard.busy:
            return False
        path = Path(wanted[0]).expanduser()
        if not path.is_file():
            self.show_error(_("There is no file “{path}”.").format(path=path))
            return False
        finished_inline = False

        def done(preview: ImportPreview) -> None:
            nonlocal finished_inline
            wizard.set_preview(preview)
            self._read_for = wanted
            finished_inline = in_call
            if not in_call:
                QTimer.singleShot(0, wizard.next)

        in_call = True
        wizard.run_task(
            lambda _progress: wizard.service.read(path, format=wanted[1]),
            done,
            self,
            _("Reading {name} …").format(name=path.name),
        )
        in_call = False
        return finished_inline


class MappingPage(_TaskPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Check the columns"))
        self.setSubTitle(
            _("Each field shows the column of the file it is read from. Change it where the guess is wrong.")
        )
        layout = QVBoxLayout(self)
        self.info_label = QLabel("")
        self.info_label.setWordWrap(True)
        layout.addWidget(self.info_label)
        self.codes_label = QLabel("")
        self.codes_label.setWordWrap(True)
        self.codes_label.setStyleSheet(warning_style())
        layout.addWidget(self.codes_label)

        combos_box = QWidget()
        self.combo_grid = QGridLayout(combos_box)
        self.combo_grid.setContentsMargins(0, 0, 0, 0)
        self.combo_grid.setHorizontalSpacing(12)
        self.combos: dict[str, QComboBox] = {}
        self.fields = fields_for_event(wizard.context.event)
        columns = 2
        per_column = (len(self.fields) + columns - 1) // columns
        for position, spec in enumerate(self.fields):
            combo = QComboBox()
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            self.combos[spec.key] = combo
            column = 2 * (position // per_column)
            row = position % per_column
            label = QLabel(spec.label + ":")
            label.setBuddy(combo)
            self.combo_grid.addWidget(label, row, column)
            self.combo_grid.addWidget(combo, row, column + 1)
        for column in range(columns):
            self.combo_grid.setColumnStretch(2 * column + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(combos_box)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)
        combos_box.setAutoFillBackground(False)
        scroll.setMinimumHeight(min(combos_box.sizeHint().height() + 4, 320))
        layout.addWidget(scroll, 3)

        layout.addWidget(QLabel(_("How the first rows will be read:")))
        self.sample_model = SampleTableModel(self)
        self.sample_view = QTableView()
        self.sample_view.setModel(self.sample_model)
        self.sample_view.setAlternatingRowColors(True)
        self.sample_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.sample_view.setWordWrap(False)
        layout.addWidget(self.sample_view, 2)
        self.unmapped_label = QLabel("")
        self.unmapped_label.setWordWrap(True)
        self.unmapped_label.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.unmapped_label)
        layout.addWidget(self.error_label)
        self._filling = False

    def initializePage(self) -> None:
        preview = self.import_wizard.preview
        if preview is None:
            return
        self._filling = True
        try:
            for key, combo in self.combos.items():
                combo.clear()
                combo.addItem(_("(not imported)"), _NOT_IMPORTED)
                for header in preview.headers:
                    combo.addItem(header, header)
                combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(key, _NOT_IMPORTED))))
        finally:
            self._filling = False
        self._show_preview(preview)

    def mapping(self) -> dict[str, str]:
        """Field -> column as chosen in the combo boxes (unmapped fields left out)."""
        chosen = {key: combo.currentData() for key, combo in self.combos.items()}
        return {key: header for key, header in chosen.items() if header}

    def set_field_column(self, field: str, header: str) -> None:
        """Choose a column for a field, as the user would in its combo box ("" = not imported)."""
        combo = self.combos[field]
        combo.setCurrentIndex(combo.findData(header))

    def _on_mapping_changed(self) -> None:
        wizard = self.import_wizard
        if self._filling or wizard.preview is None:
            return
        try:
            preview = wizard.preview.with_mapping(self.mapping())
        except Exception as error:  # ImportMappingError: cannot happen from the combos, but say so
            self.show_error(str(error))
            return
        wizard.set_preview(preview)
        self._show_preview(preview)

    def _show_preview(self, preview: ImportPreview) -> None:
        details = [
            _("{rows} rows from {name}").format(rows=grouped(preview.row_count), name=preview.path.name),
            _("header in line {line}").format(line=preview.header_line),
            _("kind: {format}").format(format=format_label(preview.format)),
        ]
        if preview.sheet:
            details.append(_("sheet “{sheet}”").format(sheet=preview.sheet))
        if preview.encoding:
            details.append(_("encoding {encoding}").format(encoding=preview.encoding))
        self.info_label.setText(" · ".join(details))
        self.codes_label.setText(
            _(
                "The file has no code column: every new person gets a new code, and people already "
                "imported are recognised by email and name."
            )
            if preview.generates_codes
            else ""
        )
        self.codes_label.setVisible(preview.generates_codes)
        self.sample_model.set_preview(preview, self.fields)
        unmapped = preview.unmapped_headers
        self.unmapped_label.setText(
            _("Columns not imported: {columns}").format(columns=", ".join(unmapped)) if unmapped else ""
        )
        if preview.has_name_column:
            self.show_error("")
        else:
            self.show_error(_("Choose the column that holds the names (full name, or first and last name)."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        preview = self.import_wizard.preview
        return preview is not None and preview.has_name_column


class CheckPage(_TaskPage):
    """The dry run: what the import would do. Confirming it starts the import (commit page)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Check before importing"))
        self.setSubTitle(_("Nothing has been changed yet. This is what the import would do."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        layout = QVBoxLayout(self)
        self.values_box = ValueMappingBox()
        self.values_box.hide()
        self.values_box.changed.connect(self._check)
        layout.addWidget(self.values_box)
        self.report_view = ReportView()
        layout.addWidget(self.report_view, 1)
        self.strict_box = QCheckBox(_("Treat warnings as errors (rows with warnings are not imported)"))
        self.strict_box.toggled.connect(self._check)
        layout.addWidget(self.strict_box)
        self.skip_box = QCheckBox(_("Import the valid rows and skip the rows with errors"))
        self.skip_box.toggled.connect(self.completeChanged)
        layout.addWidget(self.skip_box)
        layout.addWidget(self.error_label)
        self.report: ImportReport | None = None

    def initializePage(self) -> None:
        self.report = None
        self.skip_box.setChecked(False)
        self.skip_box.hide()
        self.show_error("")
        self._check()

    def _check(self) -> None:
        """The dry run, with the value choices made so far."""
        if self.import_wizard.busy:
            return
        self.report = None
        self.report_view.summary_label.setText(_("Checking …"))
        wizard = self.import_wizard
        preview = wizard.preview
        assert preview is not None
        choices, strict = self.choices(), self.strict()
        wizard.run_task(
            lambda progress: wizard.service.apply(
                preview, dry_run=True, strict=strict, choices=choices, progress=progress
            ),
            self._on_checked,
            self,
            _("Checking {count} rows …").format(count=preview.row_count),
        )

    def _on_checked(self, report: ImportReport) -> None:
        self.report = report
        self.values_box.show_values(report, self.import_wizard.service.categories())
        self.report_view.show_report(report)
        if report.errors:
            self.report_view.summary_label.setText(
                _("Rows that cannot be imported: {count}. Fix the file, or skip these rows.").format(
                    count=len(report.errors)
                )
            )
            self.report_view.summary_label.setStyleSheet(warning_style())
        else:
            self.report_view.summary_label.setText(_("All rows can be imported."))
            self.report_view.summary_label.setStyleSheet("")
        self.skip_box.setVisible(bool(report.errors))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.report is None or self.import_wizard.busy:
            return False
        if self.report.errors:
            return self.skip_box.isChecked() and (self.report.new + self.report.updated) > 0
        return True

    def skip_invalid(self) -> bool:
        return self.skip_box.isChecked()

    def choices(self) -> ValueChoices:
        return self.values_box.choices()

    def strict(self) -> bool:
        return self.strict_box.isChecked()


class ResultPage(_TaskPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Import"))
        layout = QVBoxLayout(self)
        self.report_view = ReportView()
        layout.addWidget(self.report_view, 1)
        layout.addWidget(self.error_label)
        self.report: ImportReport | None = None
        self._ended = False

    def initializePage(self) -> None:
        self.report = None
        self._ended = False
        wizard = self.import_wizard
        preview = wizard.preview
        assert preview is not None
        skip = wizard.check_page.skip_invalid()
        choices, strict = wizard.check_page.choices(), wizard.check_page.strict()
        self.report_view.summary_label.setText(_("Importing …"))
        wizard.run_task(
            lambda progress: wizard.service.apply(
                preview, skip_invalid=skip, strict=strict, choices=choices, progress=progress
            ),
            self._on_imported,
            self,
            _("Importing {count} rows …").format(count=preview.row_count),
            on_error=self._on_failed,
        )

    def _on_imported(self, report: ImportReport) -> None:
        self.report = report
        self._ended = True
        self.setSubTitle(_("The import is finished."))
        self.report_view.summary_label.setText(
            _("Done: {new} new and {updated} updated registrations.").format(
                new=report.new, updated=report.updated
            )
        )
        self.report_view.summary_label.setStyleSheet(f"color: {theme.SEVERITY_COLOURS[Severity.OK].text};")
        self.report_view.show_report(report)
        self.completeChanged.emit()
        self.import_wizard.imported.emit(report)

    def _on_failed(self, error: BaseException) -> None:
        self._ended = True
        self.setSubTitle(_("Nothing was changed."))
        self.report_view.summary_label.setText(
            _("The import was cancelled.") if isinstance(error, Cancelled) else _("The import failed.")
        )
        self.report_view.summary_label.setStyleSheet(error_style())
        if isinstance(error, ImportRejectedError):
            self.report_view.show_report(error.report)
        self.show_error(str(error) if not isinstance(error, Cancelled) else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._ended


class ImportWizard(QWizard):
    """File -> mapping -> dry run -> import; ``imported`` carries the ``ImportReport`` when done."""

    imported = Signal(object)

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = ImportService(context.db, context.event, clock=context.clock)
        self.preview: ImportPreview | None = None
        self.busy = False
        self._task: TaskHandle | None = None
        self.setWindowTitle(_("Import registrations"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.result_page):
            self.addPage(page)
        theme.resize_within_screen(self, 1100, 720)

    def set_preview(self, preview: ImportPreview) -> None:
        self.preview = preview

    def run_task(
        self,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        page: _TaskPage,
        title: str,
        *,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn`` in the desk's task runner; errors land on ``page`` (unless ``on_error``)."""
        self.busy = True
        page.show_error("")
        self.button(QWizard.WizardButton.NextButton).setEnabled(False)

        def finished(result: Any) -> None:
            self.busy = False
            on_done(result)
            page.completeChanged.emit()

        def failed(error: BaseException) -> None:
            self.busy = False
            if on_error is not None:
                on_error(error)
            else:
                page.show_error(str(error))  # Cancelled says "Cancelled; nothing was changed."
            page.completeChanged.emit()

        self._task = self.context.tasks.run(fn, on_done=finished, on_error=failed, title=title, parent=self)

    def reject(self) -> None:
        """Esc/Cancel while a task runs cancels the task first (an import then changes nothing)."""
        if self.busy and self._task is not None:
            self._task.cancel()
            return
        super().reject()
