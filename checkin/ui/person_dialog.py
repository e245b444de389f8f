"""One person: details (editable), registration, check-in history, badge prints; cancel/restore, reprint.

Typical use at the desk: a name is misspelled — fix it here, save, print the
badge again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.errors import UserError
from checkin.domain.people import PersonChanges
from checkin.domain.verdicts import Severity
from checkin.i18n import _
from checkin.presentation.conflict_text import conflict_note
from checkin.presentation.formats import format_date, format_datetime
from checkin.presentation.note_text import describe_notes
from checkin.ui import theme
from checkin.ui.walkin_dialog import ProgrammeChoice

if TYPE_CHECKING:
    from checkin.domain.people import PersonDetails
    from checkin.ui.context import DeskContext


def reason_text(reason: str) -> str:
    texts = {
        "single": _("Single badge"),
        "reprint": _("Reprint"),
        "auto": _("Printed on check-in"),
        "batch": _("Batch"),
    }
    return texts.get(reason, reason)


def source_words(source: str) -> str:
    """Where a registration came from, in words (never the raw ``import:…`` or ``demo``)."""
    kind, _sep, name = source.partition(":")
    if kind == "import":
        return _("Import from {file}").format(file=name) if name else _("import")
    texts = {"walk-in": _("walk-in"), "demo": _("demo data"), "manual": _("entered by hand")}
    return texts.get(kind, source)


class PersonDialog(QDialog):
    """Details of one registration.

    Args:
        print_badge: prints one badge (the main window's printing); None hides the button.
        preview_badge: shows the badge in a preview with print and save; None hides the button.

    Attributes:
        changed: True after a save, cancel or restore (the search must learn it).
    """

    def __init__(
        self,
        context: DeskContext,
        registration_id: int,
        parent: QWidget | None = None,
        *,
        print_badge: Callable[[int], bool] | None = None,
        preview_badge: Callable[[int], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.registration_id = registration_id
        self._print_badge = print_badge
        self._preview_badge = preview_badge
        self.changed = False
        self.setObjectName("personDialog")
        self.setMinimumSize(760, 560)
        tz = context.event.tz

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.name_label = QLabel()
        self.name_label.setFont(theme.font(20, bold=True))
        self.name_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setFont(theme.font(12, bold=True))
        header.addWidget(self.name_label, 1)
        header.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        self.organisation_label = QLabel()
        self.organisation_label.setProperty("role", "muted")
        self.organisation_label.setWordWrap(True)
        layout.addWidget(self.organisation_label)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # Details (editable)
        details = QWidget()
        form = QFormLayout(details)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.title_edit = QLineEdit()
        self.first_edit = QLineEdit()
        self.first_edit.setObjectName("firstName")
        self.last_edit = QLineEdit()
        self.last_edit.setObjectName("lastName")
        self.organisation_edit = QLineEdit()
        self.function_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.category_combo = QComboBox()
        self.category_combo.setMinimumWidth(theme.pt(11) * 22)
        for category in context.event.categories:
            self.category_combo.addItem(category.name, category.key)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setMaximumHeight(theme.pt(11) * 7)
        self._form_labels: list[tuple[QLabel, Callable[[], str]]] = []
        for editor, text in (
            (self.title_edit, lambda: _("Title")),
            (self.first_edit, lambda: _("First name")),
            (self.last_edit, lambda: _("Last name")),
            (self.organisation_edit, lambda: _("Organisation")),
            (self.function_edit, lambda: _("Function")),
            (self.email_edit, lambda: _("E-mail")),
            (self.category_combo, lambda: _("Category")),
            (self.notes_edit, lambda: _("Notes")),
        ):
            label = QLabel(text())
            label.setBuddy(editor)
            form.addRow(label, editor)
            self._form_labels.append((label, text))
        self.tabs.addTab(details, _("Details"))

        # Days and workshops (editable: people switch workshops at the desk)
        self.programme = ProgrammeChoice(context.event)
        self.tabs.addTab(self.programme, _("Days and workshops"))

        # Registration (read-only facts)
        registration = QWidget()
        self.registration_form = QFormLayout(registration)
        self.tabs.addTab(registration, _("Registration"))

        # History
        self.history = QTreeWidget()
        self.history.setObjectName("history")
        self.history.setRootIsDecorated(False)
        self.history.setHeaderLabels([_("When"), _("Where"), _("What"), _("Desk"), _("Note")])
        self.history.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.history, _("Check-in history"))

        self.prints = QTreeWidget()
        self.prints.setObjectName("badgePrints")
        self.prints.setRootIsDecorated(False)
        self.prints.setHeaderLabels([_("When"), _("Desk"), _("Layout"), _("Why")])
        self.prints.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.prints, _("Badge prints"))

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        buttons = QDialogButtonBox()
        self.save_button = QPushButton(_("&Save changes"))
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(_("&Print badge"))
        self.print_button.clicked.connect(self._on_print)
        self.print_button.setVisible(print_badge is not None)
        self.preview_button = QPushButton(_("Pre&view …"))
        self.preview_button.clicked.connect(self._on_preview)
        self.preview_button.setVisible(preview_badge is not None)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self._on_toggle_cancelled)
        close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close_button.setText(_("Close"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for button in (
            self.save_button,
            self.print_button,
            self.preview_button,
            self.cancel_button,
            close_button,
        ):
            button.setAutoDefault(False)
            button.setDefault(False)

        self._tz = tz
        self.details: PersonDetails | None = None
        self.reload()
        self.first_edit.setFocus()

    # -- data ----------------------------------------------------------------------------------
    def reload(self) -> None:
        details = self.context.checkin.person(self.registration_id)
        self.details = details
        person = details.summary
        self.setWindowTitle(_("Person: {name}").format(name=person.display_name))
        self.name_label.setText(person.display_name)
        self.organisation_label.setText(" · ".join(p for p in (person.organisation, person.function) if p))
        cancelled = person.status == "cancelled"
        unpaid = person.status == "unpaid"
        colours = theme.SEVERITY_COLOURS[
            Severity.REFUSED if cancelled else Severity.WARNING if unpaid else Severity.OK
        ]
        self.status_label.setText(_("Cancelled") if cancelled else _("Not paid") if unpaid else _("Active"))
        self.status_label.setStyleSheet(
            f"background: {colours.strong}; color: white; border-radius: 4px; padding: 4px 10px;"
        )
        self.cancel_button.setText(_("&Restore registration") if cancelled else _("&Cancel registration"))
        self.title_edit.setText(person.title)
        self.first_edit.setText(person.first_name)
        self.last_edit.setText(person.last_name)
        self.organisation_edit.setText(person.organisation)
        self.function_edit.setText(person.function)
        self.email_edit.setText(person.email)
        index = self.category_combo.findData(person.category_key)
        self.category_combo.setCurrentIndex(max(0, index))
        self.notes_edit.setPlainText(details.notes)
        self.programme.set_choice(details.days, details.session_keys)
        if details.no_day_ticked:  # as the list had it: no day ticked (not every day)
            for check in self.programme.day_checks.values():
                check.setChecked(False)
        for widget in (self.title_edit, self.first_edit, self.last_edit, self.organisation_edit):
            widget.setEnabled(not details.purged)
        self.save_button.setEnabled(not details.purged)
        self._fill_registration(details)
        self._fill_history(details)

    def _fill_registration(self, details: PersonDetails) -> None:
        form = self.registration_form
        while form.rowCount():
            form.removeRow(0)
        event = self.context.event
        person = details.summary
        day_texts = [format_date(d) for d in details.days] if details.days else [_("all days")]
        if details.no_day_ticked:
            day_texts = [_("none (no day ticked in the registration list)")]
        titles = []
        for key in details.session_keys:
            session = event.session_by_key(key)
            titles.append(session.title if session else key)
        present = []
        for day, session_key in details.present:
            where = _("Entrance")
            if session_key:
                session = event.session_by_key(session_key)
                where = session.title if session else session_key
            present.append(f"{format_date(day)}: {where}")
        rows = [
            (_("Code"), person.code),
            (_("Order code"), details.order_code or "—"),
            (_("Category"), person.category_name or "—"),
            (_("Days"), ", ".join(day_texts)),
            (_("Workshops"), "\n".join(titles) or "—"),
            (_("Checked in now"), "\n".join(present) or _("not checked in")),
            (_("Source"), source_words(details.source) if details.source else "—"),
            (_("Registered on"), format_datetime(details.created_at, tz=self._tz)),
        ]
        for name, value in rows:
            label = QLabel(value)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(QLabel(name), label)

    def _fill_history(self, details: PersonDetails) -> None:
        event = self.context.event
        titles = {s.key: s.title for s in event.sessions}
        self.history.clear()
        rows: list[tuple[dt.datetime, list[str]]] = []
        for entry in details.history:
            where = _("Entrance")
            if entry.session_key:
                session = event.session_by_key(entry.session_key)
                where = session.title if session else entry.session_key
            what = _("Check-in") if entry.action == "check_in" else _("Undone")
            note = describe_notes(entry.note, lambda key: titles.get(key, key))
            rows.append((entry.at, [where, what, entry.desk, note]))
        for conflict in details.conflicts:  # shown, never hidden: another desk's admission too
            where = _("Entrance")
            if conflict.scope is not None and (item := event.session_by_id(conflict.scope)) is not None:
                where = item.title
            rows.append(
                (
                    conflict.happened_at,
                    [where, _("Conflict"), conflict.desk_name, conflict_note(conflict, self._tz)],
                )
            )
        for at, cells in sorted(rows, key=lambda r: r[0], reverse=True):
            self.history.addTopLevelItem(
                QTreeWidgetItem([format_datetime(at, tz=self._tz, seconds=True), *cells])
            )
        self.prints.clear()
        for info in reversed(details.badge_prints):
            self.prints.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        format_datetime(info.at, tz=self._tz),
                        info.desk,
                        info.layout,
                        reason_text(info.reason),
                    ]
                )
            )

    def _programme_changes(self) -> tuple[tuple[dt.date, ...] | None, tuple[str, ...] | None]:
        """(days, session keys) to save, each None when unchanged."""
        details = self.details
        if details is None:
            return None, None
        event = self.context.event
        chosen_days = tuple(self.programme.chosen_days())
        all_days = len(chosen_days) == len(event.days)
        registered_days = details.days or (() if details.no_day_ticked else tuple(d.date for d in event.days))
        days = None if set(chosen_days) == set(registered_days) else (() if all_days else chosen_days)
        # Plenary sessions are not chosen here: keep them.
        kept = tuple(k for k in details.session_keys if not self._is_workshop(k))
        chosen = kept + self.programme.chosen_workshops()
        sessions = None if set(chosen) == set(details.session_keys) else chosen
        return days, sessions

    def _is_workshop(self, key: str) -> bool:
        session = self.context.event.session_by_key(key)
        return session is not None and session.is_workshop

    def changes(self) -> PersonChanges:
        days, sessions = self._programme_changes()
        return PersonChanges(
            day_dates=days,
            workshop_keys=sessions,
            title=self.title_edit.text().strip(),
            first_name=self.first_edit.text().strip(),
            last_name=self.last_edit.text().strip(),
            organisation=self.organisation_edit.text().strip(),
            function=self.function_edit.text().strip(),
            email=self.email_edit.text().strip(),
            category_key=self.category_combo.currentData(),
            notes=self.notes_edit.toPlainText().strip(),
        )

    # -- actions -------------------------------------------------------------------------------
    def _show_message(self, text: str, ok: bool) -> None:
        colours = theme.SEVERITY_COLOURS[Severity.OK if ok else Severity.REFUSED]
        self.message.setStyleSheet(
            f"color: {colours.text}; background: {colours.tint}; border: 1px solid {colours.strong};"
            " border-radius: 4px; padding: 6px 10px;"
        )
        self.message.setText(text)
        self.message.show()

    def save(self) -> bool:
        try:
            summary = self.context.checkin.update_person(self.registration_id, self.changes())
        except UserError as error:
            self._show_message(str(error), ok=False)
            return False
        self.changed = True
        self.context.changes.publish(summary.changes)  # the desk behind says the new name at once
        self.reload()
        self._show_message(_("Saved."), ok=True)
        return True

    def _on_print(self) -> None:
        if self._print_badge is None:
            return
        if self._has_unsaved_changes() and not self.save():
            return
        if self._print_badge(self.registration_id):
            self.reload()
            self._show_message(_("Badge sent to the printer."), ok=True)

    def _on_preview(self) -> None:
        if self._preview_badge is None:
            return
        if self._has_unsaved_changes() and not self.save():
            return
        if self._preview_badge(self.registration_id):
            self.reload()

    def _has_unsaved_changes(self) -> bool:
        if self.details is None:
            return False
        person = self.details.summary
        changes = self.changes()
        return (
            changes.title != person.title
            or changes.first_name != person.first_name
            or changes.last_name != person.last_name
            or changes.organisation != person.organisation
            or changes.function != person.function
            or changes.email != person.email
            or changes.category_key != person.category_key
            or changes.notes != self.details.notes
            or changes.day_dates is not None
            or changes.workshop_keys is not None
        )

    def set_cancelled(self, cancelled: bool) -> bool:
        try:
            summary = self.context.checkin.set_cancelled(self.registration_id, cancelled)
        except UserError as error:
            self._show_message(str(error), ok=False)
            return False
        self.changed = True
        self.context.changes.publish(summary.changes)
        self.reload()
        self._show_message(
            _("Registration cancelled.") if cancelled else _("Registration restored."), ok=True
        )
        return True

    def _on_toggle_cancelled(self) -> None:
        if self.details is None:
            return
        cancelled = self.details.summary.status == "cancelled"
        if not cancelled:
            answer = QMessageBox.question(
                self,
                _("Cancel registration"),
                _("Cancel the registration of {name}? Scans of this code will be refused.").format(
                    name=self.details.summary.display_name
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.set_cancelled(not cancelled)
