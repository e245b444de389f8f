"""Asking for the supervisor PIN before a guarded step, and noting every use in the audit log.

``SupervisorGate.allow`` is the one way in: without a PIN set in the settings it says
yes at once (the desk works as it always did); with one it opens ``PinDialog``, which
stays open on a wrong PIN (after three wrong ones in a row it refuses every PIN for a
while: ``domain.supervisor.PinGuard``), and writes the audit row
(``domain.supervisor.record_use``) when the right one is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from checkin.domain.supervisor import PinCheck, PinGuard, PinOutcome, SupervisedStep, record_use
from checkin.i18n import _
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext


class PinDialog(QDialog):
    """One password field; OK only with the right PIN (a wrong one is said and cleared)."""

    def __init__(self, why: str, check: Callable[[str], PinCheck], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.setWindowTitle(_("Supervisor PIN"))
        self._check = check
        layout = QVBoxLayout(self)
        self.why_label = QLabel(why)
        self.why_label.setWordWrap(True)
        layout.addWidget(self.why_label)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText(_("Supervisor PIN"))
        layout.addWidget(self.pin_edit)
        self.error_label = QLabel()
        colours = theme.SEVERITY_COLOURS[theme.Severity.REFUSED]
        self.error_label.setStyleSheet(f"color: {colours.text}; font-weight: 600;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin_edit.setFocus()

    def _on_accept(self) -> None:
        check = self._check(self.pin_edit.text())
        if check.outcome is PinOutcome.OK:
            self.accept()
            return
        if check.wait_seconds:
            self.error_label.setText(
                _("Too many wrong PINs. Try again in {seconds} seconds.").format(
                    seconds=round(check.wait_seconds)
                )
            )
        else:
            self.error_label.setText(_("Wrong PIN."))
        self.error_label.show()
        self.pin_edit.clear()
        self.pin_edit.setFocus()


class SupervisorGate:
    """Guards the steps a supervisor must allow (see ``domain.supervisor.SupervisedStep``)."""

    def __init__(self, context: DeskContext) -> None:
        self.context = context
        self._guard: PinGuard | None = None  # kept between dialogs, so that the pause holds

    def guard(self) -> PinGuard:
        """The check for the PIN now set (a new one when the PIN was changed)."""
        stored = self.context.settings.supervisor_pin
        if self._guard is None or self._guard.stored != stored:
            self._guard = PinGuard(stored)
        return self._guard

    @property
    def active(self) -> bool:
        """A PIN is set: guarded steps ask for it."""
        return bool(self.context.settings.supervisor_pin)

    def allow(
        self, parent: QWidget | None, step: SupervisedStep, why: str, detail: dict[str, Any] | None = None
    ) -> bool:
        """True when the step may go on: no PIN set, or the right PIN typed (then audited)."""
        if not self.active:
            return True
        dialog = PinDialog(why, self.guard().check, parent)
        if not dialog.exec():
            return False
        context = self.context
        record_use(
            context.db,
            event_id=context.event.id,
            desk=context.settings.desk_name,
            step=step,
            at=context.clock(),
            detail=detail,
        )
        return True
