"""Catch keyboard-wedge scans wherever the focus is in the main window.

A USB scanner "types" a code as a burst of keystrokes a few milliseconds
apart, followed by Enter. People type far slower (well over 30 ms between
keys even for fast typists, and they do not type 8 characters without a
pause). This filter watches key presses on the application:

* Keys for the scan field itself (any widget whose class sets
  ``is_scan_target``) pass untouched — the field handles them.
* Keys for other widgets of the watched window pass through as usual, but are
  also remembered. When Enter ends a burst (at least ``min_length``
  characters, every gap under ``max_gap_ms``) the Enter is swallowed, the
  burst's characters are taken back out of a line edit that received them,
  and the code is handed on.
* Dialogs and other windows are never touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

DEFAULT_MAX_GAP_MS = 40.0
DEFAULT_MIN_LENGTH = 6
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# Scanners send Shift (and sometimes AltGr) around characters: neither part of the code nor a pause.
_MODIFIER_KEYS = frozenset(
    (
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    )
)


class ScanCapture(QObject):
    """An application event filter that recognises scanner bursts in ``window``.

    Args:
        window: the top-level window whose keystrokes are watched.
        on_scan: called with the scanned text when a burst ends in Enter (its result is ignored).
        clock: seconds as a float (monotonic) for events without a time stamp; tests set their own.
    """

    def __init__(
        self,
        window: QWidget,
        on_scan: Callable[[str], object],
        *,
        max_gap_ms: float = DEFAULT_MAX_GAP_MS,
        min_length: int = DEFAULT_MIN_LENGTH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._on_scan = on_scan
        self.max_gap = max_gap_ms / 1000
        self.min_length = min_length
        self.clock = clock
        self._buffer: list[str] = []
        self._last_at = 0.0
        self._target: QWidget | None = None
        self._combo_index: int | None = None
        self._last_seen: tuple[int, int, str] | None = None
        self._last_widget: QWidget | None = None
        self.enabled = True

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def reset(self) -> None:
        self._buffer.clear()
        self._target = None
        self._combo_index = None

    @property
    def pending(self) -> str:
        return "".join(self._buffer)

    def _watches(self, widget: QObject) -> QWidget | None:
        if not isinstance(widget, QWidget):
            return None
        if widget.window() is not self._window:
            return None
        return widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.enabled:
            return False
        widget = self._watches(watched)
        if widget is None or not isinstance(event, QKeyEvent):
            return False
        # An unhandled key travels up to the parents and passes this filter again: count it once.
        focus = QApplication.focusWidget()
        if focus is not None and widget is not focus:
            return False
        seen = (event.timestamp(), event.key(), event.text())
        previous = self._last_widget
        if (
            seen == self._last_seen
            and previous is not None
            and widget is not previous
            and widget.isAncestorOf(previous)
        ):
            return False
        self._last_seen = seen
        self._last_widget = widget
        if getattr(widget, "is_scan_target", False):
            self.reset()
            return False
        # The window system stamps key events when they happen: a busy GUI thread delivering a
        # burst late does not stretch its gaps. Synthetic events carry no stamp; use the clock.
        now = event.timestamp() / 1000 if event.timestamp() else self.clock()
        if self._buffer and now - self._last_at > self.max_gap:
            self.reset()
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        if key in _ENTER_KEYS or event.text() in ("\r", "\n"):
            return self._finish(widget, now)
        modifiers = event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        text = event.text()
        if modifiers != Qt.KeyboardModifier.NoModifier or not text or not text.isprintable():
            self.reset()
            return False
        if self._target is not None and self._target is not widget:
            self.reset()
        if not self._buffer and isinstance(widget, QComboBox) and not widget.isEditable():
            # Letters typed into a closed combo box choose entries: remember the choice to restore it.
            self._combo_index = widget.currentIndex()
        self._target = widget
        self._buffer.append(text)
        self._last_at = now
        return False

    def _finish(self, widget: QWidget, now: float) -> bool:
        code = "".join(self._buffer)
        target = self._target
        combo_index = self._combo_index
        fast = bool(self._buffer) and now - self._last_at <= self.max_gap
        self.reset()
        if not fast or len(code) < self.min_length or target is not widget:
            return False
        self._take_back(widget, code)
        if combo_index is not None and isinstance(widget, QComboBox) and widget.currentIndex() != combo_index:
            widget.setCurrentIndex(combo_index)
        self._on_scan(code)
        return True

    @staticmethod
    def _take_back(widget: QWidget, code: str) -> None:
        """Remove the burst from the line edit it was typed into (it was a scan, not typing)."""
        edit: QLineEdit | None = None
        if isinstance(widget, QLineEdit):
            edit = widget
        elif isinstance(widget, QComboBox) and widget.isEditable():
            edit = widget.lineEdit()
        elif isinstance(widget, QAbstractSpinBox):
            edit = widget.findChild(QLineEdit)
        if edit is None or edit.isReadOnly():
            return
        text = edit.text()
        cursor = edit.cursorPosition()
        start = cursor - len(code)
        if start >= 0 and text[start:cursor] == code:
            edit.setText(text[:start] + text[cursor:])
            edit.setCursorPosition(start)
