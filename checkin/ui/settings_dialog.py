"""Settings of this desk: name, database, event day, badges and printer, sound, language."""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.db import resolve_db_url
from checkin.domain.secrets import url_without_password
from checkin.domain.supervisor import MIN_PIN_LENGTH, hash_pin
from checkin.i18n import _
from checkin.presentation.formats import format_date
from checkin.ui import theme
from checkin.ui.settings import MAX_HUB_WAIT_MS, MIN_HUB_WAIT_MS, DeskSettings, resolve_working_day
from checkin.ui.translations import LANGUAGE_NAMES

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext


class HintLabel(QLabel):
    """A muted, word-wrapped explanation under a field, exactly as tall as its text at its width.

    A plain word-wrapped label in a form inside a scroll area is given the height of its
    text wrapped at a narrow guess of a width: with the wider real row the text sits in the
    middle of an empty band (the gap once seen under the database field).
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setProperty("role", "muted")

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.width() > hint.width():
            return QSize(hint.width(), self.heightForWidth(self.width()))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # wrapped at another width: the form asks for the height again


def layout_choices(context: DeskContext) -> list[tuple[str, str]]:
    """(key, title) of every badge layout the badge engine offers for this event."""
    from checkin.badges.layouts import available_layouts

    return [(info.key, info.title) for info in available_layouts(context.event)]


class SettingsDialog(QDialog):
    """Edits a copy of the desk's settings; ``result_settings()`` hands it back after OK."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._settings = dataclasses.replace(context.settings)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(620)
        event = context.event
        settings = self._settings

        # The groups scroll: the dialog fits a 1024×600 screen, buttons always in view.
        outer = QVBoxLayout(self)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        desk_box = QGroupBox(_("This desk"))
        desk_form = QFormLayout(desk_box)
        self.desk_edit = QLineEdit(settings.desk_name)
        self.desk_edit.setObjectName("deskName")
        self.desk_edit.setMaxLength(100)
        desk_form.addRow(self._label(_("Desk &name"), self.desk_edit), self.desk_edit)
        db_row = QHBoxLayout()
        self.database_edit = QLineEdit(settings.database)
        self.database_edit.setObjectName("database")
        self.database_edit.setPlaceholderText(context.db.display_url())
        browse = QPushButton(_("Choose file …"))
        browse.clicked.connect(self._choose_database)
        db_row.addWidget(self.database_edit, 1)
        db_row.addWidget(browse)
        desk_form.addRow(self._label(_("&Database"), self.database_edit), db_row)
        db_hint = HintLabel(
            _(
                "A file (SQLite) for one desk, or a server URL such as "
                "postgresql+psycopg://user:password@server/checkin for several desks. "
                "Takes effect at the next start."
            )
        )
        desk_form.addRow("", db_hint)
        # Join a hub: the desk then works from its own copy, also without network.
        self.joined_database: str | None = None
        self.join_button = QPushButton(_("Join a &hub …"))
        self.join_button.setObjectName("joinHub")
        self.join_button.clicked.connect(self._join_hub)
        join_row = QHBoxLayout()
        join_row.addWidget(self.join_button)
        join_row.addStretch(1)
        desk_form.addRow("", join_row)
        self._add_hub_wait(desk_form, settings, joined=context.sync is not None)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        self.language_combo.addItem(_("As the system"), "")
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        desk_form.addRow(self._label(_("&Language"), self.language_combo), self.language_combo)
        self.sound_check = QCheckBox(_("Play a &sound for each scan"))
        self.sound_check.setChecked(settings.sound)
        desk_form.addRow("", self.sound_check)
        from checkin.ui.camera_view import camera_combo  # Qt Multimedia loads when the dialog opens

        self.camera_combo = camera_combo(settings.camera)
        desk_form.addRow(self._label(_("&Camera"), self.camera_combo), self.camera_combo)
        layout.addWidget(desk_box)

        day_box = QGroupBox(_("Event day"))
        day_form = QFormLayout(day_box)
        self.day_combo = QComboBox()
        self.day_combo.setObjectName("eventDay")
        for info in event.days:
            self.day_combo.addItem(info.label or format_date(info.date), info.date.isoformat())
        now = context.clock()
        working = resolve_working_day(event, now, settings.chosen_day())
        self.day_combo.setCurrentIndex(max(0, self.day_combo.findData(working.date.isoformat())))
        day_form.addRow(self._label(_("&Work on"), self.day_combo), self.day_combo)
        today = event.today(now)
        if today is not None:
            day_text = _("Today is an event day: the desk always works on today.")
            self.day_combo.setEnabled(False)
        else:
            day_text = _("Today ({date}) is not an event day: choose the day to check people in for.").format(
                date=format_date(now, tz=event.tz)
            )
        self.day_hint = HintLabel(day_text)
        day_form.addRow("", self.day_hint)
        layout.addWidget(day_box)

        badge_box = QGroupBox(_("Badges"))
        badge_form = QFormLayout(badge_box)
        self.layout_combo = QComboBox()
        self.layout_combo.setObjectName("badgeLayout")
        self.layout_combo.addItem(_("As in the event file ({key})").format(key=event.badge_layout), "")
        for key, title in layout_choices(context):
            self.layout_combo.addItem(title, key)
        self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(settings.badge_layout)))
        badge_form.addRow(self._label(_("&Layout"), self.layout_combo), self.layout_combo)
        self.printer_combo = QComboBox()
        self.printer_combo.setObjectName("printer")
        from PySide6.QtPrintSupport import QPrinterInfo  # loaded when the dialog opens, not at start

        self.printer_combo.addItem(_("System default printer"), "")
        for name in QPrinterInfo.availablePrinterNames():
            self.printer_combo.addItem(name, name)
        if settings.printer and self.printer_combo.findData(settings.printer) < 0:
            self.printer_combo.addItem(
                _("{name} (not available)").format(name=settings.printer), settings.printer
            )
        self.printer_combo.setCurrentIndex(max(0, self.printer_combo.findData(settings.printer)))
        badge_form.addRow(self._label(_("&Printer"), self.printer_combo), self.printer_combo)
        self.auto_print_check = QCheckBox(_("Print the badge &automatically on check-in"))
        self.auto_print_check.setObjectName("autoPrint")
        self.auto_print_check.setChecked(settings.auto_print)
        self.only_unprinted_check = QCheckBox(_("… &only if no badge was printed for the person yet"))
        self.only_unprinted_check.setChecked(settings.auto_print_only_unprinted)
        self.auto_print_check.toggled.connect(self.only_unprinted_check.setEnabled)
        self.only_unprinted_check.setEnabled(settings.auto_print)
        badge_form.addRow("", self.auto_print_check)
        badge_form.addRow("", self.only_unprinted_check)
        layout.addWidget(badge_box)

        scan_box = QGroupBox(_("Scans"))
        scan_form = QFormLayout(scan_box)
        self.verdict_spin = QSpinBox()
        self.verdict_spin.setObjectName("verdictSeconds")
        self.verdict_spin.setRange(0, 600)
        self.verdict_spin.setSuffix(_(" s"))
        self.verdict_spin.setSpecialValueText(_("never"))
        self.verdict_spin.setValue(settings.verdict_seconds)
        scan_form.addRow(
            self._label(_("Result back to “Ready” &after"), self.verdict_spin), self.verdict_spin
        )
        self.undo_spin = QSpinBox()
        self.undo_spin.setObjectName("undoMinutes")
        self.undo_spin.setRange(1, 240)
        self.undo_spin.setSuffix(_(" min"))
        self.undo_spin.setValue(max(1, settings.undo_minutes))
        scan_form.addRow(self._label(_("&Undo scans of the last"), self.undo_spin), self.undo_spin)
        self.hold_spin = QSpinBox()
        self.hold_spin.setObjectName("seatHoldMinutes")
        self.hold_spin.setRange(0, 240)
        self.hold_spin.setSuffix(_(" min"))
        self.hold_spin.setSpecialValueText(_("not held"))
        self.hold_spin.setValue(settings.seat_hold_minutes)
        self.hold_spin.setToolTip(
            _("Until this long after a workshop's start, others get only the seats not kept")
        )
        scan_form.addRow(
            self._label(_("Workshop seats &held for booked people"), self.hold_spin), self.hold_spin
        )
        layout.addWidget(scan_box)

        pin_box = QGroupBox(_("Supervisor"))
        pin_form = QFormLayout(pin_box)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("newPin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText(
            _("empty: keep the PIN") if settings.supervisor_pin else _("empty: no PIN, nothing is asked")
        )
        pin_form.addRow(self._label(_("New supervisor &PIN"), self.pin_edit), self.pin_edit)
        self.remove_pin_check = QCheckBox(_("&Remove the PIN (nothing is asked any more)"))
        self.remove_pin_check.setVisible(bool(settings.supervisor_pin))
        pin_form.addRow("", self.remove_pin_check)
        pin_hint = HintLabel(
            _(
                "With a PIN, overriding a refusal, undoing old check-ins, printing a cancelled person's "
                "badge, the settings and export ask for it; every use is noted in the audit log."
            )
        )
        pin_form.addRow("", pin_hint)
        layout.addWidget(pin_box)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        colours = theme.SEVERITY_COLOURS[theme.Severity.REFUSED]
        self.error_label.setStyleSheet(f"color: {colours.text};")
        self.error_label.hide()
        outer.addWidget(self.error_label)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.desk_edit.setFocus()
        self._fit_screen(body)

    def _fit_screen(self, body: QWidget) -> None:
        """As tall as the settings need, but never taller than the screen (then they scroll)."""
        screen = self.screen()
        available = screen.availableGeometry().height() - 60 if screen is not None else 540
        self.resize(self.sizeHint().width(), min(body.sizeHint().height() + 90, max(400, available)))

    def _add_hub_wait(self, form: QFormLayout, settings: DeskSettings, *, joined: bool) -> None:
        """How long a scan waits for the hub: only at a desk joined to one (elsewhere nothing waits)."""
        self.hub_wait_spin = QDoubleSpinBox()
        self.hub_wait_spin.setObjectName("hubWait")
        self.hub_wait_spin.setDecimals(1)
        self.hub_wait_spin.setRange(MIN_HUB_WAIT_MS / 1000, MAX_HUB_WAIT_MS / 1000)
        self.hub_wait_spin.setSingleStep(0.1)
        self.hub_wait_spin.setSuffix(_(" s"))
        self.hub_wait_spin.setValue(settings.hub_wait_seconds())
        hint = HintLabel(
            _(
                "A scan asks the hub first; when it has not answered within this time, the desk "
                "decides from its own copy and marks the result “offline”. Takes effect at the next start."
            )
        )
        label = self._label(_("Wait for the hub at &most"), self.hub_wait_spin)
        form.addRow(label, self.hub_wait_spin)
        form.setRowVisible(form.rowCount() - 1, joined)
        form.addRow("", hint)
        form.setRowVisible(form.rowCount() - 1, joined)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _choose_database(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Database file"),
            self.database_edit.text(),
            _("Databases (*.db *.sqlite);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.database_edit.setText(path)

    def _join_hub(self) -> None:
        """Join a hub (a dialog of its own); after a join the window switches to the local copy."""
        from checkin.ui.join_dialog import JoinHubDialog

        dialog = JoinHubDialog(self.context, self, desk_name=self.desk_edit.text().strip())
        if not dialog.exec() or dialog.joined_path is None or dialog.result_of_join is None:
            return
        self.joined_database = str(dialog.joined_path)
        self.desk_edit.setText(dialog.result_of_join.desk_name)
        if self.context.switch_database is None:  # no desk to rebuild: the next start uses the copy
            self.database_edit.setText(self.joined_database)
        self.accept()

    def exec(self) -> int:
        """As QDialog's; after a join, the window switches to the local copy once this has closed."""
        result = super().exec()
        switch = self.context.switch_database
        if self.joined_database is not None and switch is not None:
            # Later, on the main loop: the window that opened this dialog first takes the other settings.
            QTimer.singleShot(0, partial(switch, self.joined_database))
        return result

    def result_settings(self) -> DeskSettings:
        settings = dataclasses.replace(self._settings)
        settings.desk_name = self.desk_edit.text().strip()
        # A server's password goes to the keyring (or the private secrets file), not the settings.
        settings.database = url_without_password(self.database_edit.text().strip())
        settings.language = self.language_combo.currentData() or ""
        settings.sound = self.sound_check.isChecked()
        settings.camera = self.camera_combo.currentData() or ""
        settings.day = self.day_combo.currentData() or "" if self.day_combo.isEnabled() else settings.day
        settings.badge_layout = self.layout_combo.currentData() or ""
        settings.printer = self.printer_combo.currentData() or ""
        settings.auto_print = self.auto_print_check.isChecked()
        settings.auto_print_only_unprinted = self.only_unprinted_check.isChecked()
        settings.verdict_seconds = self.verdict_spin.value()
        settings.undo_minutes = self.undo_spin.value()
        settings.seat_hold_minutes = self.hold_spin.value()
        settings.hub_wait_ms = round(self.hub_wait_spin.value() * 1000)
        if self.remove_pin_check.isChecked():
            settings.supervisor_pin = ""
        elif self.pin_edit.text():
            settings.supervisor_pin = hash_pin(self.pin_edit.text())
        return settings

    def validate(self) -> str | None:
        """A message when a field cannot be used, else None."""
        if not self.desk_edit.text().strip():
            return _("Give this desk a name (it appears in the check-in log).")
        if self.pin_edit.text() and len(self.pin_edit.text()) < MIN_PIN_LENGTH:
            return _("The supervisor PIN needs at least {count} characters.").format(count=MIN_PIN_LENGTH)
        database = self.database_edit.text().strip()
        if database:
            try:
                resolve_db_url(database)
            except (ValueError, OSError) as error:
                return _("The database setting cannot be used: {reason}").format(reason=str(error))
        return None

    def _on_accept(self) -> None:
        problem = self.validate()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        self.accept()
