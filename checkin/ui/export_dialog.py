"""Export from the window: attendance (XLSX/CSV), the report, signature lists, per organisation, certificates.

One dialog, one kind at a time: pick what, narrow it down, pick where, Export.
The work is done by ``checkin.io.exports`` and ``BadgeService.render_certificates``
in a ``TaskRunner`` worker with progress and cancel; those write atomically,
so a cancelled export leaves no half-written file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.errors import UserError
from checkin.domain.progress import Cancelled, Progress
from checkin.domain.verdicts import Severity
from checkin.i18n import N_, _
from checkin.io import exports
from checkin.io.per_organisation import parse_aliases
from checkin.presentation.formats import format_date, format_short_date, format_time
from checkin.ui import theme
from checkin.ui.context import DeskContext
from checkin.ui.printing import default_folder
from checkin.ui.tasks import TaskHandle, show_task_error


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str  # marked with N_, translated when shown
    suffix: str  # "" for a folder
    stem: str  # marked with N_: start of the suggested file name

    @property
    def is_folder(self) -> bool:
        return not self.suffix


KINDS: tuple[ExportKind, ...] = (
    ExportKind("xlsx", N_("Attendance list (Excel workbook)"), ".xlsx", N_("attendance")),
    ExportKind("csv", N_("Attendance list (CSV file)"), ".csv", N_("attendance")),
    ExportKind("report", N_("Report for the organisers (PDF)"), ".pdf", N_("report")),
    ExportKind("signatures", N_("Signature lists (PDF)"), ".pdf", N_("signature-lists")),
    ExportKind(
        "per_organisation", N_("One attendance list per organisation (folder)"), "", N_("per-organisation")
    ),
    ExportKind("certificates", N_("Certificates of attendance (PDF)"), ".pdf", N_("certificates")),
    ExportKind(
        "certificate_files",
        N_("Certificates of attendance, one PDF per person (folder)"),
        "",
        N_("certificates"),
    ),
)
_FILTERED = {"xlsx", "csv"}


@dataclass(frozen=True)
class ExportResult:
    """What was written, for the status line and the ``exported`` signal."""

    kind: str
    paths: tuple[Path, ...]
    message: str


class ExportDialog(QDialog):
    """Choose an export, its filters and target; run it in the background."""

    exported = Signal(object)  # ExportResult

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._event = context.event
        self._path_was_edited = False
        self.last_result: ExportResult | None = None
        self._task: TaskHandle | None = None
        self.setWindowTitle(_("Export"))
        self._build()
        self.set_kind("xlsx")

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        layout = QVBoxLayout(self)

        what = QGroupBox(_("What"))
        what_layout = QGridLayout(what)  # two columns: the dialog fits a 1024×600 screen
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for position, kind in enumerate(KINDS):
            button = QRadioButton(_(kind.label))
            self.kind_group.addButton(button, position)
            self.kind_buttons[kind.key] = button
            what_layout.addWidget(button, position % 4, position // 4)
        self.kind_group.idToggled.connect(self._on_kind_toggled)
        layout.addWidget(what)

        self.options_box = QGroupBox(_("Options"))
        form = QFormLayout(self.options_box)
        self.day_combo = QComboBox()
        self.day_combo.addItem(_("All days"), "")
        for day in self._event.days:
            self.day_combo.addItem(day.label or format_date(day.date), day.date.isoformat())
        self.day_label = QLabel(_("Day:"))
        form.addRow(self.day_label, self.day_combo)
        self.session_combo = QComboBox()
        self.session_combo.addItem(_("All sessions"), "")
        for session in self._event.sessions:
            when = format_time(session.start) if session.start else ""
            text = f"{format_short_date(session.day)} {when} {session.title}".strip()
            self.session_combo.addItem(text, session.key)
        self.session_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.session_combo.setMinimumContentsLength(36)
        self.session_label = QLabel(_("Session:"))
        form.addRow(self.session_label, self.session_combo)
        self.category_combo = QComboBox()
        self.category_combo.addItem(_("All categories"), "")
        for category in self._event.categories:
            self.category_combo.addItem(category.name, category.key)
        self.category_label = QLabel(_("Category:"))
        form.addRow(self.category_label, self.category_combo)
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText(_("All organisations (or type one exactly)"))
        self.organisation_label = QLabel(_("Organisation:"))
        form.addRow(self.organisation_label, self.organisation_edit)
        self.dialect_combo = QComboBox()
        self.dialect_combo.addItem(_("Excel (German): semicolons, UTF-8"), "excel-de")
        self.dialect_combo.addItem(_("Other programs: commas, UTF-8"), "comma")
        self.dialect_label = QLabel(_("CSV style:"))
        form.addRow(self.dialect_label, self.dialect_combo)
        self.table_combo = QComboBox()
        self.table_combo.addItem(_("Participants (one row per person)"), "participants")
        self.table_combo.addItem(_("Check-in log (one row per scan)"), "log")
        self.table_label = QLabel(_("Table:"))
        form.addRow(self.table_label, self.table_combo)
        self.folder_format_combo = QComboBox()
        self.folder_format_combo.addItem(_("Excel workbooks (.xlsx)"), "xlsx")
        self.folder_format_combo.addItem(_("CSV files (.csv)"), "csv")
        self.folder_format_combo.addItem(_("PDF documents (.pdf)"), "pdf")
        self.folder_format_label = QLabel(_("File type:"))
        form.addRow(self.folder_format_label, self.folder_format_combo)
        self.folder_format_combo.currentIndexChanged.connect(lambda _i: self._suggest_path())
        # Signature lists: those registered (to sign on the day) or those who came, with the time.
        self.attended_box = QCheckBox(_("Only those who checked in, with their check-in time"))
        self.attended_label = QLabel(_("List:"))
        form.addRow(self.attended_label, self.attended_box)
        # Per organisation: the files go to employers, so private details only when asked for.
        self.with_email_box = QCheckBox(_("Include e-mail addresses"))
        self.with_codes_box = QCheckBox(_("Include badge codes and the registration source"))
        self.private_label = QLabel(_("Also:"))
        private = QWidget()
        private_layout = QVBoxLayout(private)
        private_layout.setContentsMargins(0, 0, 0, 0)
        private_layout.addWidget(self.with_email_box)
        private_layout.addWidget(self.with_codes_box)
        form.addRow(self.private_label, private)
        self._private = private
        self.aliases_edit = QPlainTextEdit()
        self.aliases_edit.setTabChangesFocus(True)  # Tab leaves the field: usable without a mouse
        self.aliases_edit.setPlaceholderText(_("Other spellings, one per line: JC Köln=Jobcenter Köln"))
        self.aliases_edit.setFixedHeight(58)
        self.aliases_label = QLabel(_("Same organisation:"))
        self.aliases_label.setBuddy(self.aliases_edit)
        self.aliases_label.setToolTip(_("Adds to the event file's [documents.organisation_aliases]."))
        form.addRow(self.aliases_label, self.aliases_edit)
        layout.addWidget(self.options_box)

        where = QGroupBox(_("Save to"))
        where_layout = QHBoxLayout(where)
        self.path_edit = QLineEdit()
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.choose_button = QPushButton(_("Choose …"))
        self.choose_button.clicked.connect(self._choose_path)
        where_layout.addWidget(self.path_edit, 1)
        where_layout.addWidget(self.choose_button)
        layout.addWidget(where)

        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(_("Show in folder"))
        self.open_button.clicked.connect(self._open_folder)
        self.open_button.hide()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.export_button = QPushButton(_("Start export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        # Wide enough for the longest kind (Qt sizes a new dialog to at most 2/3 of the screen).
        self.setMinimumWidth(max(700, layout.sizeHint().width()))

    # ------------------------------------------------------------------ state
    def kind(self) -> ExportKind:
        return KINDS[max(self.kind_group.checkedId(), 0)]

    def set_kind(self, key: str) -> None:
        self.kind_buttons[key].setChecked(True)

    def _on_kind_toggled(self, _id: int, checked: bool) -> None:
        if not checked:
            return
        key = self.kind().key
        filtered = key in _FILTERED
        rows = {
            (self.day_label, self.day_combo): filtered or key == "signatures",
            (self.session_label, self.session_combo): filtered or key == "signatures",
            (self.category_label, self.category_combo): filtered,
            (self.organisation_label, self.organisation_edit): filtered,
            (self.dialect_label, self.dialect_combo): key == "csv",
            (self.table_label, self.table_combo): key == "csv",
            (self.folder_format_label, self.folder_format_combo): key == "per_organisation",
            (self.attended_label, self.attended_box): key == "signatures",
            (self.private_label, self._private): key == "per_organisation",
            (self.aliases_label, self.aliases_edit): key == "per_organisation",
        }
        for widgets, visible in rows.items():
            for widget in widgets:
                widget.setVisible(visible)
        self.options_box.setVisible(any(rows.values()))
        self.status_label.setText("")
        self.open_button.hide()
        self._suggest_path()
        self.adjustSize()

    def _suggested_name(self) -> str:
        kind = self.kind()
        stem = f"{_(kind.stem)}-{self._event.slug}"
        return stem if kind.is_folder else stem + kind.suffix

    def _suggest_path(self) -> None:
        folder = default_folder()
        if self._path_was_edited and self.path_edit.text().strip():
            current = Path(self.path_edit.text().strip()).expanduser()
            folder = current if current.is_dir() else current.parent  # keep the user's folder
        self.path_edit.setText(str(folder / self._suggested_name()))

    def _on_path_edited(self, _text: str) -> None:
        self._path_was_edited = True

    def _choose_path(self) -> None:
        kind = self.kind()
        current = self.path_edit.text().strip() or str(default_folder() / self._suggested_name())
        if kind.is_folder:
            chosen = QFileDialog.getExistingDirectory(self, _("Choose a folder"), str(Path(current).parent))
            if chosen:
                chosen = str(Path(chosen) / self._suggested_name())
        else:
            filters = {
                ".xlsx": _("Excel workbooks (*.xlsx)"),
                ".csv": _("CSV files (*.csv)"),
                ".pdf": _("PDF documents (*.pdf)"),
            }
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Export to"), current, filters[kind.suffix])
        if chosen:
            self._path_was_edited = True
            self.path_edit.setText(chosen)

    def target(self) -> Path:
        """The file (or folder) to write, with the kind's suffix added when missing."""
        text = self.path_edit.text().strip()
        if not text:
            raise UserError(_("Choose where to save the export."))
        path = Path(text).expanduser()
        kind = self.kind()
        if kind.suffix and path.suffix.lower() != kind.suffix:
            path = path.with_name(path.name + kind.suffix)
        return path

    def filters(self) -> exports.ExportFilters:
        day = self.day_combo.currentData()
        return exports.ExportFilters(
            day=dt.date.fromisoformat(day) if day else None,
            session_key=self.session_combo.currentData() or None,
            organisation=self.organisation_edit.text().strip() or None,
            category_key=self.category_combo.currentData() or None,
        )

    def aliases(self) -> dict[str, str]:
        """The typed spellings (``ExportError`` for a line that is not "spelling=name")."""
        lines = [line.strip() for line in self.aliases_edit.toPlainText().splitlines()]
        return parse_aliases([line for line in lines if line])

    # ------------------------------------------------------------------ running
    def _job(self, target: Path) -> Callable[[Progress], ExportResult]:
        """The worker function for the chosen kind (reads the widgets now, on the GUI thread)."""
        kind = self.kind().key
        attended = self.attended_box.isChecked()
        with_email, with_codes = self.with_email_box.isChecked(), self.with_codes_box.isChecked()
        aliases = self.aliases() if kind == "per_organisation" else {}
        db, event, badges = self._context.db, self._event, self._context.badges
        filters = self.filters()
        dialect = str(self.dialect_combo.currentData())
        table = str(self.table_combo.currentData())
        folder_format = str(self.folder_format_combo.currentData())
        day = self.day_combo.currentData()
        signature_day = dt.date.fromisoformat(day) if day else None
        signature_session = self.session_combo.currentData() or None

        def run(progress: Progress) -> ExportResult:
            if kind in _FILTERED:
                summary = exports.export_attendance(
                    db,
                    event,
                    target,
                    fmt=kind,
                    dialect=dialect,
                    filters=filters,
                    table=table,
                    progress=progress,
                )
                count = summary.log_entries if table == "log" and kind == "csv" else summary.participants
                message = _("Exported to {path} (rows: {count}).").format(count=count, path=summary.path)
                return ExportResult(kind, (summary.path,), message)
            if kind == "report":
                exports.write_report_pdf(db, event, target, progress=progress)
                return ExportResult(kind, (target,), _("Report saved to {path}.").format(path=target))
            if kind == "signatures":
                lists = exports.write_signature_lists(
                    db,
                    event,
                    target,
                    session_key=signature_session,
                    day=signature_day,
                    attended=attended,
                    progress=progress,
                )
                message = _("Signature lists saved to {path} (lists: {count}).").format(
                    count=lists, path=target
                )
                return ExportResult(kind, (target,), message)
            if kind == "per_organisation":
                folder = target
                paths = exports.write_per_organisation(
                    db,
                    event,
                    folder,
                    fmt=folder_format,
                    with_email=with_email,
                    with_codes=with_codes,
                    aliases=aliases,
                    progress=progress,
                )
                message = _("Files saved in {folder} (files: {count}).").format(
                    count=len(paths), folder=folder
                )
                return ExportResult(kind, tuple(paths), message)
            if kind == "certificate_files":
                files = badges.write_certificate_files(target, None, progress=progress)
                message = _("Files saved in {folder} (files: {count}).").format(
                    count=len(files), folder=target
                )
                return ExportResult(kind, tuple(files), message)
            count = badges.render_certificates(target, None, progress=progress)
            return ExportResult(
                kind,
                (target,),
                _("Certificates saved to {path} (certificates: {count}).").format(count=count, path=target),
            )

        return run

    def start_export(self) -> None:
        try:
            target = self.target()
            job = self._job(target)
        except UserError as error:
            self._status(str(error), Severity.REFUSED)
            return
        self.export_button.setEnabled(False)
        self._status(_("Exporting …"))
        self.open_button.hide()
        self._task = self._context.tasks.run(
            job, on_done=self._on_done, on_error=self._on_failed, title=_(self.kind().label), parent=self
        )

    def reject(self) -> None:
        """Esc/Close while exporting cancels the export first (no half file is left)."""
        if not self.export_button.isEnabled() and self._task is not None and not self._task.is_finished():
            self._task.cancel()
            return
        super().reject()

    def _on_done(self, result: ExportResult) -> None:
        self.export_button.setEnabled(True)
        self.last_result = result
        self._status(result.message, Severity.OK)
        self.open_button.setVisible(bool(result.paths))
        self.exported.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        if isinstance(error, Cancelled):
            self._status(_("Export cancelled; no file was written."), Severity.WARNING)
            return
        self._status(str(error), Severity.REFUSED)
        if not isinstance(error, UserError):
            show_task_error(error, self, _("Export"))

    def _status(self, text: str, severity: Severity | None = None) -> None:
        self.status_label.setText(text)
        colour = theme.SEVERITY_COLOURS[severity].text if severity else theme.INK
        self.status_label.setStyleSheet(f"color: {colour};")

    def _open_folder(self) -> None:
        if self.last_result is None or not self.last_result.paths:
            return
        first = self.last_result.paths[0]
        folder = first if first.is_dir() else first.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
