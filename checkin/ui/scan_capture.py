"""The Qt side of the keyboard wedge: key events in, ``KeyboardWedge`` decides.

``checkin.domain.scanning.KeyboardWedge`` is the one detector of scanner bursts;
this module only turns Qt key events into its (text, seconds) input:

* ``key_input`` reads one key event (the window system's time stamp, else a clock).
* ``ScanCapture`` watches key presses everywhere in one window and in the dialogs and
  message boxes opened over it. Keys for the scan field itself (any widget whose class
  sets ``is_scan_target``) pass untouched — the field handles them. Keys for text fields
  pass through as usual but are fed to the wedge; when Enter ends a scan the Enter is
  swallowed (a dialog's default button is not pressed), the field gets back the text it
  had before the burst (a selected first name the burst replaced included), and the code
  is handed on. In a dialog, character keys for anything but a text field (a message
  box's buttons answer to plain letters) are held back for the length of a burst and
  delivered only when no scan follows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

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


def _line_edit_of(widget: QWidget) -> QLineEdit | None:
    if isinstance(widget, QLineEdit):
        return widget
    if isinstance(widget, QComboBox) and widget.isEditable():
        return widget.lineEdit()
    if isinstance(widget, QAbstractSpinBox):
        return widget.findChild(QLineEdit)
    return None


def _is_text_field(widget: QWidget) -> bool:
    return _line_edit_of(widget) is not None or isinstance(widget, QTextEdit | QPlainTextEdit)


@dataclass(frozen=True)
class _FieldState:
    """What a text field held before a burst began: given back when the burst was a scan."""

    text: str
    cursor: int
    selection_start: int
    selection_length: int

    @staticmethod
    def of(widget: QWidget) -> _FieldState | None:
        edit = _line_edit_of(widget)
        if edit is not None:
            if edit.isReadOnly():
                return None
            return _FieldState(
                edit.text(), edit.cursorPosition(), edit.selectionStart(), len(edit.selectedText())
            )
        if isinstance(widget, QTextEdit | QPlainTextEdit) and not widget.isReadOnly():
            cursor = widget.textCursor()
            return _FieldState(widget.toPlainText(), cursor.position(), cursor.anchor(), -1)
        return None

    def restore(self, widget: QWidget) -> None:
        edit = _line_edit_of(widget)
        if edit is not None:
            if edit.text() != self.text:
                edit.setText(self.text)
            if self.selection_length > 0:
                edit.setSelection(self.selection_start, self.selection_length)
            else:
                edit.setCursorPosition(self.cursor)
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            if widget.toPlainText() != self.text:
                widget.setPlainText(self.text)
            cursor = widget.textCursor()
            cursor.setPosition(min(self.selection_start, len(self.text)))
            cursor.setPosition(min(self.cursor, len(self.text)), QTextCursor.MoveMode.KeepAnchor)
            widget.setTextCursor(cursor)


@dataclass(frozen=True)
class _HeldKey:
    widget: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScanCapture(QObject):
    """An application event filter that recognises scanner bursts in ``window`` and its dialogs.

    Args:
        window: the top-level window whose keystrokes are watched (with the dialogs over it).
        on_scan: called with the scanned text when a burst ends in Enter (its result is ignored).
        on_dialog_scan: called instead with the text and the dialog when the burst was typed
            into a dialog or message box (default: ``on_scan``).
        clock: seconds as a float (monotonic) for events without a time stamp; tests set their own.
    """

    def __init__(
        self,
        window: QWidget,
        on_scan: Callable[[str], object],
        *,
        on_dialog_scan: Callable[[str, QWidget], object] | None = None,
        max_gap_ms: float = DEFAULT_MAX_GAP_MS,
        min_length: int = DEFAULT_MIN_LENGTH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._on_scan = on_scan
        self._on_dialog_scan = on_dialog_scan
        self.wedge = KeyboardWedge(max_gap_ms=max_gap_ms, min_length=min_length)
        self.clock = clock
        self._target: QWidget | None = None
        self._combo_index: int | None = None
        self._field_state: _FieldState | None = None
        self._held: list[_HeldKey] = []
        self._delivering = False
        self._last_seen: tuple[int, int, str] | None = None
        self._last_widget: QWidget | None = None
        self.enabled = True
        # Held keys go to their widget when the burst does not go on (a person typing, not a scanner).
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        self._release_timer.setInterval(int(max_gap_ms) + 15)
        self._release_timer.timeout.connect(self.release_held_keys)

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uninstall(self) -> None:
        self.release_held_keys()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def reset(self) -> None:
        self.wedge.reset()
        self._target = None
        self._combo_index = None
        self._field_state = None

    @property
    def pending(self) -> str:
        return self.wedge.pending

    @property
    def held_text(self) -> str:
        """The characters held back from a dialog's button or list until it is clear they were typed."""
        return "".join(held.text for held in self._held)

    def dialog_of(self, window: QWidget) -> QWidget | None:
        """``window`` when it is a dialog or message box over the watched window, else None."""
        if window is self._window or not window.isWindow():
            return None
        parent = window.parentWidget()
        while parent is not None:
            if parent is self._window:
                return window
            parent = parent.parentWidget()
        return window if QApplication.activeModalWidget() is window and self._window.isVisible() else None

    def _watched_key(self, watched: QObject, event: QEvent) -> tuple[QWidget, QKeyEvent] | None:
        """The widget and key press to look at, or None (not a key press for this window, or seen)."""
        if event.type() != QEvent.Type.KeyPress or not self.enabled or not isinstance(event, QKeyEvent):
            return None
        if self._delivering or not isinstance(watched, QWidget):
            return None
        window = watched.window()
        if window is not self._window and self.dialog_of(window) is None:
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
            self.release_held_keys()
            self.reset()
            return False
        if is_modifier_key(key_event):
            return False
        text, at = key_input(key_event, self.clock)
        if text in ("\r", "\n"):
            return self._finish(widget, self.wedge.feed(text, at))
        if self._target is not None and self._target is not widget:
            self.release_held_keys()
            self.reset()
        self.wedge.feed(text, at)
        if not self.wedge.pending:  # no character (an arrow, a shortcut): the burst is broken off
            self.release_held_keys()
            self.reset()
            return False
        if self.wedge.started_burst:
            self.release_held_keys()
            # Letters typed into a closed combo box choose entries: remember the choice to restore it.
            closed_combo = isinstance(widget, QComboBox) and not widget.isEditable()
            self._combo_index = (
                widget.currentIndex() if isinstance(widget, QComboBox) and closed_combo else None
            )
            self._field_state = _FieldState.of(widget)
        self._target = widget
        if widget.window() is not self._window and not _is_text_field(widget):
            self._held.append(_HeldKey(widget, key_event.key(), key_event.modifiers(), key_event.text()))
            self._release_timer.start()
            return True
        return False

    def _finish(self, widget: QWidget, code: str | None) -> bool:
        target, combo_index, state = self._target, self._combo_index, self._field_state
        self.reset()
        if code is None or target is not widget:
            self.release_held_keys()
            return False
        self._held.clear()
        self._release_timer.stop()
        if state is not None:
            state.restore(widget)
        if combo_index is not None and isinstance(widget, QComboBox) and widget.currentIndex() != combo_index:
            widget.setCurrentIndex(combo_index)
        dialog = self.dialog_of(widget.window())
        if dialog is not None and self._on_dialog_scan is not None:
            self._on_dialog_scan(code, dialog)
        else:
            self._on_scan(code)
        return True

    def release_held_keys(self) -> None:
        """Deliver the keys held back from a dialog: they were typed, not scanned."""
        self._release_timer.stop()
        held, self._held = self._held, []
        self._delivering = True
        try:
            for key in held:
                if not shiboken6.isValid(key.widget):
                    continue
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(key.widget, QKeyEvent(kind, key.key, key.modifiers, key.text))
        finally:
            self._delivering = False
