"""First start: a bar at the top of the window asks for this desk's name.

Until a name is saved the desk is named after the computer, which says little in the
check-in log ("DESKTOP-4F2K9"). The bar does not take the focus: scanning works while
it is shown, and it goes once a name is entered (or it is dismissed).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from checkin.i18n import _
from checkin.ui import theme


class DeskNameBar(QFrame):
    """ "Name this desk: [____] [Save]"; ``on_name`` gets the name typed."""

    def __init__(self, current: str, on_name: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskNameBar")
        self._on_name = on_name
        colours = theme.BANNER
        self.setStyleSheet(
            f"#deskNameBar {{ background: {colours.tint}; border-bottom: 2px solid {colours.strong}; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        self.label = QLabel(_("Name this desk (it appears in the check-in log), e.g. “Entrance 1”:"))
        self.label.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName("firstDeskName")
        self.edit.setMaxLength(100)
        self.edit.setPlaceholderText(current)
        self.edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # never takes the scan field's focus by Tab
        self.edit.returnPressed.connect(self.save)
        self.save_button = QPushButton(_("Save name"))
        self.save_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.save_button.clicked.connect(self.save)
        self.later_button = QPushButton(_("Later"))
        self.later_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.later_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.edit)
        layout.addWidget(self.save_button)
        layout.addWidget(self.later_button)

    def save(self) -> None:
        name = self.edit.text().strip()
        if not name:
            self.edit.setFocus()
            return
        self._on_name(name)
        self.hide()
