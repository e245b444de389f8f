"""One scan station: the scan field, the verdict, the last scans and the sound, for desk and door.

The entrance desk and a workshop door take a scan the same way: the field hands the
text on Enter (a line feed too), the station asks the panel's ``submit`` for a verdict,
shows it big and in the list, plays its sound, clears the field and publishes what the
scan changed on the desk's ``ChangeBus``. What differs is the panel's: which check-in
(entrance or session) and what sits around the station.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from checkin.domain.changes import Changes
from checkin.domain.scanning import END_OF_SCAN, KeyboardWedge
from checkin.domain.verdicts import ScanVerdict, Severity, VerdictKind
from checkin.ui import theme
from checkin.ui.scan_capture import is_modifier_key, key_input

if TYPE_CHECKING:
    from checkin.domain.checkin_service import UndoResult
    from checkin.ui.checkin_panel import RecentScansView, VerdictView
    from checkin.ui.context import DeskContext
    from checkin.ui.sounds import SoundPlayer


class ScanField(QLineEdit):
    """The scan field: leaves the window's shortcuts (Ctrl+Z undo last, Ctrl+P print) to the window.

    Its keys go to a ``KeyboardWedge`` too, so the field knows where the last burst began:
    a badge scanned while half a name is still in the field is read as the scan alone
    (``scanned_text``).
    """

    is_scan_target = True  # ScanCapture leaves keys for this field to the field itself

    _WINDOW_KEYS = (
        QKeySequence.StandardKey.Undo,
        QKeySequence.StandardKey.Redo,
        QKeySequence.StandardKey.Print,
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "scan")
        self.clock: Callable[[], float] = time.monotonic  # for key events without a time stamp
        self.wedge = KeyboardWedge()
        self._burst_start = 0

    def ends_with_scan(self) -> bool:
        """True when the text ends in a scanner burst (fast keys, at least a code's worth)."""
        return len(self.text()[self._burst_start :].strip()) >= self.wedge.min_length

    def scanned_text(self) -> str:
        """The text to check in: the last scanner burst when typing came before it, else everything."""
        text = self.text()
        return (
            text[self._burst_start :] if 0 < self._burst_start < len(text) and self.ends_with_scan() else text
        )

    def _note_key(self, event: QKeyEvent) -> None:
        text, at = key_input(event, self.clock)
        # Only characters count; arrows, Backspace or Shift between them neither end nor start a burst.
        if is_modifier_key(event) or not text or not text.isprintable():
            return
        self.wedge.feed(text, at)
        if self.wedge.started_burst:
            self._burst_start = self.selectionStart() if self.hasSelectedText() else self.cursorPosition()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.text() in END_OF_SCAN and event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Some scanners (and xdotool) end a code with a line feed, not the Return key.
                self.returnPressed.emit()
                return True
            self._note_key(event)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(key) for key in self._WINDOW_KEYS)
        ):
            event.ignore()
            return False
        return super().event(event)


class ScanStation(QWidget):
    """Scan field above, the big verdict (with the print status under it) and the last scans beside.

    Args:
        context: the desk's services; scans publish their changes on ``context.changes``.
        verdict_view, recent: the verdict display and the list of last scans to fill.
        submit: checks in what was scanned (entrance or session); None when it cannot now.
        sounds: plays the verdict's sound.

    Signals:
        presented(ScanVerdict): a verdict is on screen (the panel updates its buttons, the focus).
        admitted(ScanVerdict): a person was checked in here (auto-print listens).
    """

    presented = Signal(object)
    admitted = Signal(object)

    def __init__(
        self,
        context: DeskContext,
        verdict_view: VerdictView,
        recent: RecentScansView,
        *,
        submit: Callable[[str], ScanVerdict | None],
        sounds: SoundPlayer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.sounds = sounds
        self._submit = submit
        # Enter on typed letters may choose a search match instead (the desk's popup).
        self.take_return: Callable[[], bool] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.scan_label = QLabel()
        self.scan_label.setProperty("role", "muted")
        self.scan_field = ScanField()
        self.scan_field.returnPressed.connect(self._on_return)
        self.scan_label.setBuddy(self.scan_field)
        layout.addWidget(self.scan_label)
        layout.addWidget(self.scan_field)

        middle = QHBoxLayout()
        middle.setSpacing(14)
        self.verdict_view = verdict_view
        verdict_box = QVBoxLayout()
        verdict_box.setSpacing(6)
        verdict_box.addWidget(verdict_view, 1)
        self.print_status = QLabel()
        self.print_status.setObjectName("printStatus")
        self.print_status.setWordWrap(True)
        self.print_status.hide()
        verdict_box.addWidget(self.print_status)
        middle.addLayout(verdict_box, 3)
        recent_box = QVBoxLayout()
        self.recent_label = QLabel()
        self.recent_label.setProperty("role", "heading")
        self.recent = recent
        recent_box.addWidget(self.recent_label)
        recent_box.addWidget(recent, 1)
        middle.addLayout(recent_box, 2)
        layout.addLayout(middle, 1)

    def _on_return(self) -> None:
        # A scanner's Enter is always a scan, even while matches for typed letters are shown.
        field = self.scan_field
        if not field.ends_with_scan() and self.take_return is not None and self.take_return():
            return
        text = field.scanned_text()
        if text.strip():
            self.submit_scan(text)

    def submit_scan(self, raw: str) -> ScanVerdict | None:
        """Check in whatever a scanner (or a person) typed, and show the verdict."""
        verdict = self._submit(raw)
        if verdict is not None:
            self.present(verdict)
        return verdict

    def present(self, verdict: ScanVerdict) -> None:
        """Show a verdict (scanned here, chosen in the search, or a walk-in) and say what changed."""
        self.print_status.hide()
        self.verdict_view.show_verdict(verdict)
        self.recent.add(self.context.clock(), verdict)
        self.sounds.play(verdict.severity)
        self.scan_field.clear()
        self.context.changes.publish(verdict.changes)
        self.presented.emit(verdict)
        if verdict.admitted and verdict.kind is VerdictKind.CHECKED_IN:
            self.admitted.emit(verdict)

    def record_undo(self, result: UndoResult | None) -> None:
        """An undo made here (the verdict view already says so): publish what it changed."""
        self.context.changes.publish(result.changes if result is not None else Changes.none())

    def show_print_status(self, text: str, ok: bool) -> None:
        """Under the result: whether the badge went to the printer (the check-in stays either way)."""
        colours = theme.SEVERITY_COLOURS[Severity.OK if ok else Severity.REFUSED]
        self.print_status.setStyleSheet(
            f"color: {colours.text}; background: {colours.tint}; border: 1px solid {colours.strong};"
            " border-radius: 4px; padding: 6px 10px; font-weight: 600;"
        )
        self.print_status.setText(text)
        self.print_status.show()
