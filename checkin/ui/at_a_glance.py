"""What staff need at a glance beside the verdict: the person's attention note, today's count.

``AttentionNote`` shows the note kept with a registration ("VIP — bitte Frau X rufen",
imported from a notes column or typed in the person dialog) big and amber under the
verdict of a scan. ``DeskCounter`` says how many of the people expected on the working
day have arrived; it reads the figures again when the desk's ``ChangeBus`` says they
moved (this desk's scans and, through the poller, other desks').
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from checkin.domain.changes import Changes
from checkin.domain.errors import UserError
from checkin.domain.verdicts import ScanVerdict, VerdictKind
from checkin.i18n import _
from checkin.presentation.formats import format_number
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext

NOTE_LENGTH = 300
COUNTER_DELAY_MS = 500  # a burst of scans reads the figures once


class AttentionNote(QLabel):
    """The person's note, shown prominently while their verdict is on screen."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("attentionNote")
        self.setWordWrap(True)
        self.setFont(theme.font(16, bold=True))
        colours = theme.SEVERITY_COLOURS[theme.Severity.WARNING]
        self.setStyleSheet(
            f"#attentionNote {{ background: {colours.tint}; color: {colours.text};"
            f" border: 2px solid {colours.strong}; border-radius: 6px; padding: 8px 14px; }}"
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_for(self, verdict: ScanVerdict) -> None:
        """The note of the verdict's person, or nothing."""
        notes = ""
        if verdict.person is not None:
            try:
                notes = self.context.checkin.person(verdict.person.registration_id).notes.strip()
            except UserError:
                notes = ""
        if not notes:
            self.hide()
            return
        text = notes if len(notes) <= NOTE_LENGTH else notes[:NOTE_LENGTH] + " …"
        self.setText(_("⚑ Note: {note}").format(note=text))
        self.show()


class DeskCounter(QLabel):
    """ "Arrived today: 123 of 456 expected" for the working day ``day()``."""

    def __init__(
        self, context: DeskContext, day: Callable[[], dt.date | None], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.context = context
        self._day = day
        self.setObjectName("deskCounter")
        self.setFont(theme.font(12, bold=True))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COUNTER_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        context.changes.changed.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.figures:
            self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        day = self._day()
        if day is None:
            self.clear()
            return
        figures = self.context.checkin.stats().day(day)
        if figures is None:
            self.clear()
            return
        self.setText(
            _("Here today: {arrived} of {expected}").format(
                arrived=format_number(figures.arrived_registered), expected=format_number(figures.registered)
            )
        )
        self.setToolTip(
            _(
                "{arrived} of the {expected} people expected today have arrived; {count} present in all"
            ).format(
                arrived=format_number(figures.arrived_registered),
                expected=format_number(figures.registered),
                count=format_number(figures.arrived),
            )
        )


# Refusals staff may overrule (a supervisor's decision when a PIN is set).
OVERRIDABLE = frozenset(
    {
        VerdictKind.CANCELLED,
        VerdictKind.UNPAID,
        VerdictKind.NOT_REGISTERED_TODAY,
        VerdictKind.SESSION_FULL,
        VerdictKind.NOT_REGISTERED_FOR_SESSION,
    }
)


def next_step_text(verdict: ScanVerdict) -> str:
    """What to do after a refusal, in one sentence ("" when nothing is refused)."""
    if verdict.admitted:
        return ""
    texts = {
        VerdictKind.CANCELLED: _(
            "Next: ask whether they registered again (search the name, F2); or let them in anyway."
        ),
        VerdictKind.UNPAID: _(
            "Next: send them to the cash desk or the organiser to pay; or let them in anyway."
        ),
        VerdictKind.NOT_REGISTERED_TODAY: _(
            "Next: check the days in the person window (Ctrl+O), or let them in anyway."
        ),
        VerdictKind.SESSION_FULL: _(
            "Next: send them to another workshop, or let them in anyway if a seat is free."
        ),
        VerdictKind.NOT_REGISTERED_FOR_SESSION: _("Next: check their booking, or let them in anyway."),
        VerdictKind.UNKNOWN: _(
            "Next: search the name (type it into the field), or register a walk-in (Ctrl+N)."
        ),
        VerdictKind.INVALID: _("Next: scan again, or search the name (type it into the field)."),
    }
    return texts.get(verdict.kind, "")


class RefusalHelp(QWidget):
    """Under a refusal: the next step, and "Let in anyway" where a refusal may be overruled."""

    override_requested = Signal(object)  # the refused ScanVerdict

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refusalHelp")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setFont(theme.font(12, bold=True))
        self.override_button = QPushButton()
        self.override_button.setObjectName("overrideButton")
        self.override_button.clicked.connect(self._on_override)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.override_button)
        self._verdict: ScanVerdict | None = None
        self.retranslate()
        self.hide()

    def show_for(self, verdict: ScanVerdict) -> None:
        text = next_step_text(verdict)
        self._verdict = verdict if text else None
        self.label.setText(text)
        self.override_button.setVisible(verdict.kind in OVERRIDABLE and verdict.person is not None)
        self.setVisible(bool(text))

    def _on_override(self) -> None:
        if self._verdict is not None:
            self.override_requested.emit(self._verdict)

    def retranslate(self) -> None:
        self.override_button.setText(_("Let in anyway …"))
        if self._verdict is not None:
            self.label.setText(next_step_text(self._verdict))
