"""Menu shortcuts work while the scan field has the focus (it almost always has): the issue saw
Ctrl+E do nothing there."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog


def _press_and_catch(qtbot, window, key: Qt.Key) -> str:
    """Press Ctrl+key in the focused scan field; the class name of the dialog that opened ("" if none)."""
    seen: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            seen.append(type(dialog).__name__)
            dialog.reject()

    QTimer.singleShot(300, close_it)
    assert window.checkin_panel.scan_field.hasFocus()
    qtbot.keyClick(window.checkin_panel.scan_field, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not QApplication.activeModalWidget(), timeout=5000)
    return seen[0] if seen else ""


def test_ctrl_e_in_the_scan_field_opens_the_export(qtbot, main_window):
    assert _press_and_catch(qtbot, main_window, Qt.Key.Key_E) == "ExportDialog"
    # back where the next scan goes
    qtbot.waitUntil(lambda: main_window.focusWidget() is main_window.checkin_panel.scan_field, timeout=5000)


def test_ctrl_i_in_the_scan_field_opens_the_import(qtbot, main_window):
    assert _press_and_catch(qtbot, main_window, Qt.Key.Key_I) != ""
