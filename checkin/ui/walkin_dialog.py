"""Walk-in: register a person at the desk, check them in and print the badge, in one go."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.checkin_service import WalkInRequest
from checkin.domain.errors import UserError
from checkin.domain.verdicts import ScanVerdict, Severity
from checkin.i18n import _
from checkin.presentation.formats import format_date, format_short_date, format_time
from checkin.ui import theme
from checkin.ui.walkin_duplicates import DuplicateHints

if TYPE_CHECKING:
    from collections.abc import Sequence

    from checkin.domain.events import EventInfo
    from checkin.ui.context import DeskContext


class ProgrammeChoice(QWidget):
    """Days and workshops of one person: one workshop per time slot, only on chosen days."""

    def __init__(self, event: EventInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._event = event
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        days_box = QGroupBox(_("Days"))
        days_layout = QHBoxLayout(days_box)
        self.day_checks: dict[dt.date, QCheckBox] = {}
        for info in event.days:
            check = QCheckBox(info.label or format_date(info.date))
            check.toggled.connect(self._update_workshops)
            self.day_checks[info.date] = check
            days_layout.addWidget(check)
        days_layout.addStretch(1)
        layout.addWidget(days_box)

        workshops_box = QGroupBox(event.workshop_label or _("Workshops"))
        workshops_layout = QVBoxLayout(workshops_box)
        self.workshop_checks: dict[str, QCheckBox] = {}
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        for session in event.workshops:
            time_text = format_time(session.start) if session.start else ""
            check = QCheckBox(f"{format_short_date(session.day)} {time_text}  {session.title}")
            check.toggled.connect(lambda on, key=session.key: self._on_workshop_toggled(key, on))
            self.workshop_checks[session.key] = check
            inner_layout.addWidget(check)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setMinimumHeight(theme.pt(11) * 9)
        workshops_layout.addWidget(scroll)
        workshops_box.setVisible(bool(event.workshops))
        layout.addWidget(workshops_box, 1)

    def set_choice(self, days: Sequence[dt.date], workshop_keys: Sequence[str]) -> None:
        """Tick ``days`` (empty: all days) and the workshops among ``workshop_keys``."""
        for date, check in self.day_checks.items():
            check.setChecked(not days or date in days)
        for key, check in self.workshop_checks.items():
            check.setChecked(key in workshop_keys)
        self._update_workshops()

    def chosen_days(self) -> list[dt.date]:
        return [date for date, check in self.day_checks.items() if check.isChecked()]

    def chosen_workshops(self) -> tuple[str, ...]:
        return tuple(key for key, check in self.workshop_checks.items() if check.isChecked())

    def _update_workshops(self) -> None:
        days = set(self.chosen_days())
        for key, check in self.workshop_checks.items():
            session = self._event.session_by_key(key)
            available = session is not None and session.day in days
            check.setEnabled(available)
            if not available:
                check.setChecked(False)

    def _on_workshop_toggled(self, key: str, on: bool) -> None:
        """One workshop per time slot: choosing one clears those that overlap it."""
        chosen = self._event.session_by_key(key)
        if not on or chosen is None:
            return
        for other_key, check in self.workshop_checks.items():
            other = self._event.session_by_key(other_key)
            if other_key != key and other is not None and chosen.overlaps(other) and check.isChecked():
                check.setChecked(False)


class WalkInDialog(QDialog):
    """Name, organisation, category, days and workshops of a person without a registration.

    Attributes:
        verdict: the engine's answer after a successful registration (else None).
        taken_registration_id: a person already registered whom staff took instead (else None).
        print_requested: the user wants the badge printed now.
    """

    def __init__(self, context: DeskContext, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.day = day
        self.verdict: ScanVerdict | None = None
        self.taken_registration_id: int | None = None
        self.print_requested = False
        self.setObjectName("walkInDialog")
        self.setWindowTitle(_("Register a walk-in"))
        self.setMinimumWidth(640)
        event = context.event

        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "For people without a registration: they are registered, checked in for {day} "
                "and get a badge."
            ).format(day=format_date(day))
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        layout.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(_("e.g. Dr."))
        self.first_edit = QLineEdit()
        self.first_edit.setObjectName("firstName")
        self.last_edit = QLineEdit()
        self.last_edit.setObjectName("lastName")
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setObjectName("organisation")
        self.function_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("category")
        self.category_combo.setMinimumWidth(theme.pt(11) * 22)
        for category in event.categories:
            self.category_combo.addItem(category.name, category.key)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(event.default_category.key)))
        for text, widget in (
            (_("&Title"), self.title_edit),
            (_("&First name *"), self.first_edit),
            (_("&Last name *"), self.last_edit),
            (_("&Organisation"), self.organisation_edit),
            (_("F&unction"), self.function_edit),
            (_("&E-mail"), self.email_edit),
            (_("&Category"), self.category_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout.addLayout(form)
        self.duplicates = DuplicateHints(
            context,
            day,
            lambda: (self.first_edit.text(), self.last_edit.text(), self.email_edit.text()),
        )
        self.duplicates.chosen.connect(self.take_existing)
        for edit in (self.first_edit, self.last_edit, self.email_edit):
            edit.textChanged.connect(self.duplicates.schedule)
        layout.addWidget(self.duplicates)

        self.programme = ProgrammeChoice(context.event)
        self.programme.set_choice((day,), ())
        layout.addWidget(self.programme, 1)
        # Shortcuts for callers and tests: the check boxes by day and by session key.
        self.day_checks = self.programme.day_checks
        self.workshop_checks = self.programme.workshop_checks

        self.print_check = QCheckBox(_("&Print the badge now"))
        self.print_check.setChecked(True)
        layout.addWidget(self.print_check)

        self.error_label = QLabel()
        self.error_label.setObjectName("walkInError")
        self.error_label.setWordWrap(True)
        colours = theme.SEVERITY_COLOURS[Severity.REFUSED]
        self.error_label.setStyleSheet(
            f"color: {colours.text}; background: {colours.tint}; border: 1px solid {colours.strong};"
            " border-radius: 4px; padding: 6px 10px;"
        )
        self.error_label.hide()
        layout.addWidget(self.error_label)

        buttons = QDialogButtonBox()
        self.ok_button = QPushButton(_("Register and check &in"))
        self.ok_button.setObjectName("registerButton")
        self.ok_button.setDefault(True)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        buttons.accepted.connect(self.register)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.first_edit.setFocus()

    def take_existing(self, registration_id: int) -> None:
        """Staff took a person already registered: no new person; the desk checks that one in."""
        self.taken_registration_id = registration_id
        self.print_requested = False
        self.accept()

    def _chosen_days(self) -> list[dt.date]:
        return self.programme.chosen_days()

    def request(self) -> WalkInRequest:
        days = self._chosen_days()
        all_days = len(days) == len(self.day_checks)
        return WalkInRequest(
            first_name=self.first_edit.text().strip(),
            last_name=self.last_edit.text().strip(),
            title=self.title_edit.text().strip(),
            organisation=self.organisation_edit.text().strip(),
            function=self.function_edit.text().strip(),
            email=self.email_edit.text().strip(),
            category_key=self.category_combo.currentData(),
            workshop_keys=self.programme.chosen_workshops(),
            day_dates=() if all_days else tuple(days),
        )

    def _fail(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def register(self) -> bool:
        """Register and check in; on a problem the dialog stays open and says what is wrong."""
        request = self.request()
        if not request.first_name and not request.last_name:
            self._fail(_("Enter at least a first or last name."))
            self.first_edit.setFocus()
            return False
        if not self._chosen_days():
            self._fail(_("Choose at least one day."))
            return False
        if self.day not in self._chosen_days():
            self._fail(
                _("The person must be registered for {day} to be checked in today.").format(
                    day=format_date(self.day)
                )
            )
            return False
        try:
            verdict = self.context.checkin.walk_in(request, day=self.day, check_in=True)
        except UserError as error:
            self._fail(str(error))
            return False
        self.verdict = verdict
        self.print_requested = self.print_check.isChecked()
        self.accept()
        return True
