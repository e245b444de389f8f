"""The dashboard's line of conflicts between desks: "2 conflicts", then who, where and when.

Hidden while there is none. The facts come with the dashboard's figures
(``Dashboard.conflicts``, read in the same snapshot); the words from
``checkin.presentation.conflict_text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QWidget

from checkin.domain.conflicts import Conflict
from checkin.domain.verdicts import Severity
from checkin.i18n import ngettext
from checkin.presentation.conflict_text import conflict_count_text, conflict_line
from checkin.ui import theme

# Lines listed on the dashboard itself; the rest are in the tooltip and in the export.
SHOWN = 5


class ConflictsLine(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflicts")
        self.setWordWrap(True)
        colours = theme.SEVERITY_COLOURS[Severity.WARNING]
        self.setStyleSheet(
            f"QLabel#conflicts {{ color: {colours.text}; border: 1px solid {colours.text}; "
            "border-radius: 6px; padding: 6px; }"
        )
        self.hide()

    def show_conflicts(self, conflicts: Sequence[Conflict], tz: dt.tzinfo | None) -> None:
        if not conflicts:
            self.clear()
            self.setToolTip("")
            self.hide()
            return
        lines = [conflict_line(c, tz) for c in conflicts]
        shown = lines[-SHOWN:]  # the newest
        more = len(lines) - len(shown)
        text = [conflict_count_text(len(lines)), *shown]
        if more:
            text.append(ngettext("… and {n} more", "… and {n} more", more).format(n=more))
        self.setText("\n".join(text))
        self.setToolTip("\n".join(lines))
        self.show()


__all__ = ["ConflictsLine"]
