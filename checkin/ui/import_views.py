"""Views the import wizard shows: the sample table, the report (counts, errors, warnings by kind).

Qt adapters over the importer's plain results; the words come from
``checkin.io.importing.report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.events import CategoryInfo
from checkin.domain.verdicts import Severity
from checkin.i18n import _, current_language, ngettext
from checkin.io.importing import FieldSpec, ImportPreview, ImportReport, ValueChoices, unknown_values
from checkin.io.importing import report as words
from checkin.io.importing.categories import NEW_CATEGORY
from checkin.io.importing.fields import normalise_header
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
        self.warnings_title = QLabel("")
        layout.addWidget(self.warnings_title)
        self.warnings_tree = QTreeWidget()
        self.warnings_tree.setHeaderHidden(True)
        self.warnings_tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.warnings_tree.setWordWrap(True)
        layout.addWidget(self.warnings_tree, 3)
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
        if report.warnings:
            parts.append(_("{count} with warnings").format(count=len(report.warnings)))
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
        extra.extend(words.describe_created(c) for c in report.created_categories)
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
        self.warnings_tree.clear()
        for title, messages in words.warnings_by_kind(report):
            group = QTreeWidgetItem([title])
            group.addChildren([QTreeWidgetItem([message]) for message in messages])
            self.warnings_tree.addTopLevelItem(group)
        self.warnings_title.setText(
            ngettext(
                "Imported with warnings ({n} row):",
                "Imported with warnings ({n} rows):",
                len(report.warnings),
            ).format(n=len(report.warnings))
        )
        self.warnings_title.setVisible(bool(report.warnings))
        self.warnings_tree.setVisible(bool(report.warnings))
        self.duplicates_list.clear()
        for duplicate in report.duplicates:
            self.duplicates_list.addItem(words.describe_duplicate(duplicate))
        self.duplicates_title.setVisible(bool(report.duplicates))
        self.duplicates_list.setVisible(bool(report.duplicates))


class ValueMappingBox(QWidget):
    """Every value of the list the event does not know, with its count and a choice of what it means.

    Category and product values: an existing category or a new one; status values: active,
    cancelled or not paid. ``changed`` is emitted when the user picks another meaning.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(_("Values the event does not know (choose what they mean; remembered):"))
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        grid_box = QWidget()
        self._grid = QGridLayout(grid_box)
        self._grid.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(grid_box)
        self.combos: dict[tuple[str, str], QComboBox] = {}
        self._chosen: dict[str, dict[str, str]] = {}

    def show_values(self, report: ImportReport, categories: Sequence[CategoryInfo]) -> None:
        """Offer a choice for each unknown value; choices already made stay selected."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos = {}
        row = 0
        labels = {"category": _("Category"), "product": _("Product / ticket type"), "status": _("Status")}
        for field, values in unknown_values(report).items():
            for value, count in values:
                label = QLabel(
                    ngettext("{field} “{value}” ({n} row)", "{field} “{value}” ({n} rows)", count).format(
                        field=labels[field], value=value, n=count
                    )
                )
                combo = self._combo(field, categories)
                current = self._chosen.get(field, {}).get(normalise_header(value))
                if current is not None:
                    combo.setCurrentIndex(max(0, combo.findData(current)))
                combo.currentIndexChanged.connect(self._on_changed)
                self.combos[(field, value)] = combo
                self._grid.addWidget(label, row, 0)
                self._grid.addWidget(combo, row, 1)
                row += 1
        self._grid.setColumnStretch(1, 1)
        self.setVisible(bool(self.combos))

    def _combo(self, field: str, categories: Sequence[CategoryInfo]) -> QComboBox:
        combo = QComboBox()
        if field == "status":
            combo.addItem(_("active"), "active")
            combo.addItem(_("cancelled"), "cancelled")
            combo.addItem(_("not paid"), "unpaid")
            return combo
        if field == "category":
            combo.addItem(_("New category"), NEW_CATEGORY)
        for category in categories:
            combo.addItem(category.name, category.key)
        if field == "product":
            combo.addItem(_("New category"), NEW_CATEGORY)
            default = next((c.key for c in categories if c.is_default), None)
            combo.setCurrentIndex(max(0, combo.findData(default)))
        return combo

    def choose(self, field: str, value: str, target: str) -> None:
        """Pick ``target`` (a category key, ``NEW_CATEGORY``, a status) for a value, as the user would."""
        combo = self.combos[(field, value)]
        combo.setCurrentIndex(combo.findData(target))

    def _on_changed(self) -> None:
        self._chosen = self.choices().by_field  # type: ignore[assignment]
        self.changed.emit()

    def choices(self) -> ValueChoices:
        """What the user chose for each value shown (and for values shown before)."""
        fields: dict[str, dict[str, str]] = {f: dict(v) for f, v in self._chosen.items()}
        for (field, value), combo in self.combos.items():
            fields.setdefault(field, {})[normalise_header(value)] = str(combo.currentData())
        return ValueChoices(fields)
