"""The verdict's clock time in its band, and the verdict going back to "Ready" after a while.

After a lost scan (a scanner out of range, a code not read) the previous person's
green band must not look like the answer to the scan just made: the band carries the
clock time of its scan, and after ``DeskSettings.verdict_seconds`` the view shows
"Ready" again. A message shown meanwhile (an undo, a print failure) is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel

from checkin.domain.verdicts import ScanVerdict
from checkin.presentation.formats import format_time
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.ui.checkin_panel import VerdictView
    from checkin.ui.scan_station import ScanStation

# Room at the band's right for the time (the band's own margins are 24 px).
_TIME_MARGIN = 110


class VerdictTimeout(QObject):
    """Watches one scan station: stamps each verdict's band with its time, clears it when stale.

    Args:
        station: the scan station (its ``presented`` signal starts the clock).
        seconds: how long a verdict stays (read at each scan; 0 or less: it stays).
        clock: the desk's clock (the time shown).
        tz: the event's time zone.
        ready: shows the station's "Ready" (default: the verdict view's own).
    """

    def __init__(
        self,
        station: ScanStation,
        seconds: Callable[[], int],
        clock: Callable[[], dt.datetime],
        tz: dt.tzinfo,
        ready: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(station)
        self.view: VerdictView = station.verdict_view
        self._seconds = seconds
        self._clock = clock
        self._tz = tz
        self._ready = ready or self.view.show_ready
        self._verdict: ScanVerdict | None = None
        band = self.view.band
        margins = band.contentsMargins()
        band.setContentsMargins(margins.left(), margins.top(), _TIME_MARGIN, margins.bottom())
        self.time_label = QLabel(band)
        self.time_label.setObjectName("verdictTime")
        self.time_label.setFont(theme.font(14, bold=True))
        self.time_label.setStyleSheet("color: white; background: transparent;")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.time_label.hide()
        band.installEventFilter(self)  # placed in the band's right margin whenever the band resizes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.expire)
        station.presented.connect(self.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.band and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        label, band = self.time_label, self.view.band
        label.adjustSize()
        label.move(band.width() - label.width() - 16, 14)

    def start(self, verdict: ScanVerdict) -> None:
        """A verdict is on screen: show its time and start counting."""
        self._verdict = verdict
        self.time_label.setText(format_time(self._clock(), tz=self._tz))
        self._place()
        self.time_label.show()
        seconds = self._seconds()
        if seconds > 0:
            self.timer.start(seconds * 1000)
        else:
            self.timer.stop()

    def expire(self) -> None:
        """Time is up: "Ready" again, unless something else is shown by now."""
        self.timer.stop()
        self.time_label.hide()
        if self._verdict is not None and self.view.verdict is self._verdict:
            self._ready()
        self._verdict = None
