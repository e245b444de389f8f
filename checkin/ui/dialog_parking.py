"""Scans made while a dialog is open: checked in at once, shown over the dialog, the dialog kept.

``ScanCapture`` hands a burst typed into a dialog or message box here instead of into
the dialog's field. The desk's scan station takes the scan (recorded, sound, verdict in
the window behind), and ``DialogParking`` shows the verdict in a notice over the dialog:
the dialog itself stays as it was — its unsaved entries kept, its buttons not pressed —
and is "parked" until staff come back to it.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from checkin.domain.verdicts import ScanVerdict
from checkin.i18n import _
from checkin.presentation.formats import format_time
from checkin.presentation.verdict_text import verdict_text
from checkin.ui import theme
from checkin.ui.checkin_panel import SEVERITY_SYMBOLS

NOTICE_SECONDS = 8


class ScanNotice(QFrame):
    """A coloured note that floats over a dialog (it never takes the focus) and goes by itself."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("scanNotice")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        self.headline = QLabel()
        self.headline.setFont(theme.font(15, bold=True))
        self.headline.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def show_text(self, headline: str, detail: str, colours: theme.SeverityColours, seconds: int) -> None:
        self.setStyleSheet(
            f"#scanNotice {{ background: {colours.strong}; border: 2px solid {colours.text}; }}"
            " #scanNotice QLabel { color: white; }"
        )
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.adjustSize()
        self.show()
        self.raise_()
        if seconds > 0:
            self._timer.start(seconds * 1000)

    def mousePressEvent(self, event: object) -> None:  # a click puts it away
        self.hide()


class DialogParking:
    """Shows what became of a scan made while ``dialog`` is open, over that dialog.

    Args:
        seconds: how long the notice stays (read when shown; 0: until clicked).
        at: the clock of the desk (the time of the scan in the notice).
    """

    def __init__(self, seconds: Callable[[], int], tz: object, at: Callable[[], object]) -> None:
        self._seconds = seconds
        self._tz = tz
        self._at = at
        self.notice: ScanNotice | None = None
        self.parked: QWidget | None = None

    def show(self, verdict: ScanVerdict, dialog: QWidget) -> None:
        if (
            self.notice is None
            or not shiboken6.isValid(self.notice)
            or self.notice.parentWidget() is not dialog
        ):
            self.notice = ScanNotice(dialog)
        self.parked = dialog
        when = format_time(self._at(), tz=self._tz)  # type: ignore[arg-type]
        headline = f"{SEVERITY_SYMBOLS[verdict.severity]}  {verdict_text(verdict)}"
        name = verdict.person.display_name if verdict.person is not None else (verdict.code or "")
        detail = _(
            "Scan at {time}: {name}. Recorded at the desk; this window stays open and keeps what you typed."
        ).format(time=when, name=name)
        notice = self.notice
        notice.setFixedWidth(max(380, dialog.width()))
        notice.show_text(headline, detail, theme.SEVERITY_COLOURS[verdict.severity], self._seconds())
        top_left = dialog.mapToGlobal(QPoint(0, 0))
        notice.move(
            top_left.x() + (dialog.width() - notice.width()) // 2, max(0, top_left.y() - notice.height())
        )

    @property
    def text(self) -> str:
        """What the notice says now (empty when it is not shown)."""
        notice = self.notice
        if notice is None or not shiboken6.isValid(notice) or not notice.isVisible():
            return ""
        return f"{notice.headline.text()}\n{notice.detail.text()}"
