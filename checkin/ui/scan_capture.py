"""The Qt side of the keyboard wedge: key events in, ``KeyboardWedge`` decides.

``checkin.domain.scanning.KeyboardWedge`` is the one detector of scanner bursts;
this module only turns Qt key events into its (text, seconds) input:

* ``key_input`` reads one key event (the window system's time stamp, else a clock).
* ``ScanCapture`` watches key presses everywhere in one window. Keys for the scan
  field itself (any widget whose class sets ``is_scan_target``) pass untouched — the
  field handles them. Keys for other widgets pass through as usual but are fed to the
  wedge; when Enter ends a scan the Enter is swallowed, the burst's characters are
  taken back out of a line edit that received them, and the code is handed on.
  Dialogs and other windows are never touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

from checkin.domain.scanning import DEFAULT_MAX_GAP_MS, DEFAULT_MIN_LENGTH, KeyboardWedge

__all__ = ["DEFAULT_MAX_GAP_MS", "DEFAULT_MIN_LENGTH", "ScanCapture", "is_modifier_key", "key_input"]

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


def is_modifier_key(event: QKeyEvent) -> bool:
    return event.key() in _MODIFIER_KEYS


def key_input(event: QKeyEvent, clock: Callable[[], float]) -> tuple[str, float]:
    """What the wedge is fed for one key press: its text and the moment in seconds.

    The window system stamps key events when they happen: a busy GUI thread delivering a
    burst late does not stretch its gaps. Synthetic events carry no stamp; then ``clock``.
    Enter is "\\r" whatever its text; a key with Ctrl, Alt or Meta held is no character.
    """
    at = event.timestamp() / 1000 if event.timestamp() else clock()
    if event.key() in _ENTER_KEYS:
        return "\r", at
    modifiers = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
    if modifiers != Qt.KeyboardModifier.NoModifier:
        return "", at
    return event.text(), at


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
        self.wedge = KeyboardWedge(max_gap_ms=max_gap_ms, min_length=min_length)
        self.clock = clock
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
        self.wedge.reset()
        self._target = None
        self._combo_index = None

    @property
    def pending(self) -> str:
        return self.wedge.pending

    def _watched_key(self, watched: QObject, event: QEvent) -> tuple[QWidget, QKeyEvent] | None:
        """The widget and key press to look at, or None (not a key press for this window, or seen)."""
        if event.type() != QEvent.Type.KeyPress or not self.enabled or not isinstance(event, QKeyEvent):
            return None
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return None
        # An unhandled key travels up to the parents and passes this filter again: count it once.
        focus = QApplication.focusWidget()
        if focus is not None and watched is not focus:
            return None
        seen = (event.timestamp(), event.key(), event.text())
        previous = self._last_widget
        if (
            seen == self._last_seen
            and previous is not None
            and watched is not previous
            and watched.isAncestorOf(previous)
        ):
            return None
        self._last_seen = seen
        self._last_widget = watched
        return watched, event

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        found = self._watched_key(watched, event)
        if found is None:
            return False
        widget, key_event = found
        if getattr(widget, "is_scan_target", False):
            self.reset()
            return False
        if is_modifier_key(key_event):
            return False
        text, at = key_input(key_event, self.clock)
        if text in ("\r", "\n"):
            return self._finish(widget, self.wedge.feed(text, at))
        if self._target is not None and self._target is not widget:
            self.reset()
        self.wedge.feed(text, at)
        if not self.wedge.pending:  # no character (an arrow, a shortcut): the burst is broken off
            self.reset()
            return False
        if self.wedge.started_burst:
            # Letters typed into a closed combo box choose entries: remember the choice to restore it.
            closed_combo = isinstance(widget, QComboBox) and not widget.isEditable()
            self._combo_index = (
                widget.currentIndex() if isinstance(widget, QComboBox) and closed_combo else None
            )
        self._target = widget
        return False

    def _finish(self, widget: QWidget, code: str | None) -> bool:
        target, combo_index = self._target, self._combo_index
        self.reset()
        if code is None or target is not widget:
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
