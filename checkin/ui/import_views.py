"""Views the import wizard shows: the sample table, the report (counts, errors, warnings by kind).

Qt adapters over the importer's plain results; the words come from
``checkin.io.importing.report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from checkin.domain.verdicts import Severity
from checkin.i18n import _, current_language
from checkin.io.importing import FieldSpec, ImportPreview, ImportReport
from checkin.io.importing import report as words
from checkin.ui import theme

_ModelIndex = QModelIndex | QPersistentModelIndex


def grouped(value: int) -> str:
    """1.234 in German, 1,234 in English."""
    text = f"{value:,}"
    return text if current_language() == "en" else text.replace(",", ".")


def error_style() -> str:
    return f"color: {theme.SEVERITY_COLOURS[Severity.REFUSED].text};"


def warning_style() -> str:
    return f"color: {theme.SEVERITY_COLOURS[Severity.WARNING].text};"


def format_label(key: str) -> str:
    return {
        "auto": _("Detect automatically"),
        "pretix": "pretix",
        "eventbrite": "Eventbrite",
        "generic": _("Other list (Excel/CSV)"),
    }.get(key, key)


class SampleTableModel(QAbstractTableModel):
    """The first rows of the file as the import will read them: one column per mapped field."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields: list[FieldSpec] = []
        self._columns: list[str] = []
        self._rows: list[dict[str, str]] = []

    def set_preview(self, preview: ImportPreview | None, fields: Sequence[FieldSpec]) -> None:
        self.beginResetModel()
        if preview is None:
            self._fields, self._columns, self._rows = [], [], []
        else:
            self._fields = [f for f in fields if f.key in preview.mapping]
            self._columns = [preview.mapping[f.key] for f in self._fields]
            self._rows = list(preview.sample)
        self.endResetModel()

    def field_keys(self) -> list[str]:
        return [f.key for f in self._fields]

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._fields)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.row() >= len(self._rows) or index.column() >= len(self._fields):
            return None
        return self._rows[index.row()].get(self._fields[index.column()].key, "")

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._fields):
            return f"{self._fields[section].label}\n← {self._columns[section]}"
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


class ReportView(QWidget):
    """Counts, errors with line numbers and possible duplicates of one ``ImportReport``."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel("")
        self.summary_label.setFont(theme.font(13, bold=True))
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.counts_label = QLabel("")
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        self.errors_title = QLabel("")
        layout.addWidget(self.errors_title)
        self.errors_list = QListWidget()
        self.errors_list.setWordWrap(True)
        self.errors_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.errors_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.errors_list, 3)
        self.duplicates_title = QLabel(_("Possible duplicates (not merged; check them):"))
        layout.addWidget(self.duplicates_title)
        self.duplicates_list = QListWidget()
        self.duplicates_list.setWordWrap(True)
        self.duplicates_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.duplicates_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.duplicates_list, 1)

    def show_report(self, report: ImportReport) -> None:
        parts = [
            _("{count} new").format(count=report.new),
            _("{count} updated").format(count=report.updated),
            _("{count} unchanged").format(count=report.unchanged),
        ]
        if report.errors:
            parts.append(_("{count} with errors").format(count=len(report.errors)))
        self.counts_label.setText(" · ".join(parts))
        extra = []
        if report.generated_codes:
            extra.append(_("New codes generated: {count}").format(count=report.generated_codes))
        if report.not_in_file:
            extra.append(
                _("{count} registrations in the database are not in this file (left unchanged)").format(
                    count=report.not_in_file
                )
            )
        if report.skipped:
            extra.append(_("Rows skipped: {count}").format(count=report.skipped))
        if extra:
            self.counts_label.setText(self.counts_label.text() + "\n" + " · ".join(extra))
        self.errors_list.clear()
        for error in report.errors:
            self.errors_list.addItem(words.describe_row(error))
        self.errors_title.setText(
            _("Rows with errors ({count}):").format(count=len(report.errors)) if report.errors else ""
        )
        self.errors_title.setVisible(bool(report.errors))
        self.errors_list.setVisible(bool(report.errors))
        self.duplicates_list.clear()
        for duplicate in report.duplicates:
            self.duplicates_list.addItem(words.describe_duplicate(duplicate))
        self.duplicates_title.setVisible(bool(report.duplicates))
        self.duplicates_list.setVisible(bool(report.duplicates))
