"""Answering the message boxes a window asks, as staff would click them (Qt).

Qt: import it only from tests that drive widgets (``tests.helpers`` itself stays Qt-free).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


class BoxAnswerer:
    """Clicks ``button`` in the next message box that opens; ``texts`` keeps what the boxes said."""

    def __init__(self, button: QMessageBox.StandardButton) -> None:
        self.button = button
        self.texts: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._answer)
        self._timer.start()

    def _answer(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            self.texts.append(box.text())
            self._timer.stop()
            target = box.button(self.button)
            if target is None:
                raise AssertionError(f"the box {box.text()!r} has no such button")
            target.click()

    def stop(self) -> None:
        self._timer.stop()


def answer_next_box(button: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes) -> BoxAnswerer:
    """Start watching for the next message box; call before the action that opens it."""
    return BoxAnswerer(button)
