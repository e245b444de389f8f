"""A workshop door: pick the session, scan people in, watch the room fill up.

Scans are taken and shown by the same ``ScanStation`` as at the entrance (same
colours, same words); the gauge shows attendance against capacity and turns
amber near the limit and red when the room is full. It refreshes itself when
the desk's ``ChangeBus`` says the figures of its session moved.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.changes import Changes
from checkin.domain.verdicts import ScanVerdict, Severity
from checkin.i18n import _
from checkin.presentation.formats import format_time_range
from checkin.ui import theme
from checkin.ui.at_a_glance import RefusalHelp
from checkin.ui.camera_view import with_camera
from checkin.ui.checkin_panel import RecentScansView, VerdictView
from checkin.ui.scan_station import ScanStation
from checkin.ui.settings import WorkingDay
from checkin.ui.sounds import SoundPlayer
from checkin.ui.undo_guard import UndoGuard

if TYPE_CHECKING:
    from checkin.domain.events import SessionInfo
    from checkin.domain.statistics import SessionGauge
    from checkin.ui.context import DeskContext

NEARLY_FULL = 0.9


def gauge_level(attended: int, capacity: int | None) -> str:
    """'ok', 'warning' (90 % or more) or 'refused' (full) for the gauge's colour."""
    if not capacity:
        return "ok"
    if attended >= capacity:
        return "refused"
    return "warning" if attended >= NEARLY_FULL * capacity else "ok"


class DoorPanel(QWidget):
    """The door of one session.

    Signals:
        person_requested(int): open the person dialog (double-click in the recent list).
    """

    person_requested = Signal(int)

    def __init__(
        self,
        context: DeskContext,
        parent: QWidget | None = None,
        *,
        sounds: SoundPlayer | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.sounds = sounds or SoundPlayer(self, enabled=context.settings.sound)
        self._working_day: WorkingDay | None = None
        self._gauge: SessionGauge | None = None
        self._session_keys: list[str | None] = []
        tz = context.event.tz

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)

        top = QHBoxLayout()
        self.session_label = QLabel()
        self.session_combo = QComboBox()
        self.session_combo.setObjectName("sessionCombo")
        self.session_combo.setFont(theme.font(13))
        self.session_combo.setMinimumContentsLength(30)
        self.session_combo.currentIndexChanged.connect(self._on_session_changed)
        self.session_label.setBuddy(self.session_combo)
        top.addWidget(self.session_label)
        top.addWidget(self.session_combo, 1)
        layout.addLayout(top)

        gauge_row = QHBoxLayout()
        self.gauge = QProgressBar()
        self.gauge.setObjectName("sessionGauge")
        self.gauge.setTextVisible(True)
        self.gauge_text = QLabel()
        self.gauge_text.setObjectName("gaugeText")
        self.gauge_text.setFont(theme.font(13))
        self.gauge_text.setMinimumWidth(theme.pt(11) * 20)
        gauge_row.addWidget(self.gauge, 3)
        gauge_row.addWidget(self.gauge_text, 2)
        layout.addLayout(gauge_row)

        self.station = ScanStation(
            context,
            VerdictView(tz, session_titles={s.key: s.title for s in context.event.sessions}),
            RecentScansView(tz),
            submit=self._check_in_scanned,
            sounds=self.sounds,
        )
        self.station.presented.connect(lambda _verdict: self.focus_scan_field())
        self.undo_guard = UndoGuard(context, self.station)
        self.scan_label = self.station.scan_label
        self.scan_field = self.station.scan_field
        self.scan_field.setObjectName("doorScanField")
        self.verdict_view = self.station.verdict_view
        self.recent_label = self.station.recent_label
        self.recent = self.station.recent
        self.recent.person_requested.connect(self.person_requested)
        layout.addWidget(with_camera(self.station, context), 1)
        self.refusal_help = RefusalHelp()
        self.station.presented.connect(self.refusal_help.show_for)
        layout.addWidget(self.refusal_help)
        context.changes.changed.connect(self._on_changes)

        self.setTabOrder(self.session_combo, self.scan_field)
        self.setTabOrder(self.scan_field, self.recent)
        self.retranslate()

    # -- sessions ------------------------------------------------------------------------------
    def set_working_day(self, working_day: WorkingDay) -> None:
        changed = self._working_day is None or working_day.date != self._working_day.date
        self._working_day = working_day
        if changed:
            self._fill_sessions()

    def _sessions_of_day(self) -> list[SessionInfo]:
        if self._working_day is None:
            return []
        day = self._working_day.date
        sessions = [s for s in self.context.event.sessions if s.day == day]
        # Workshops first (the usual reason for a door), then plenary sessions.
        return sorted(sessions, key=lambda s: (not s.is_workshop, s.start or dt.time(), s.title))

    @staticmethod
    def _session_text(session: SessionInfo) -> str:
        time_text = ""
        if session.start and session.end:
            time_text = f"{format_time_range(session.start, session.end)}  "
        room = f"  ({session.room})" if session.room else ""
        return f"{time_text}{session.title}{room}"

    def _fill_sessions(self) -> None:
        wanted = self.session_key or self.context.settings.door_session
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        # The keys live in a list beside the combo box: PySide6 6.12 miscounts references
        # to None read back from item data.
        self._session_keys = [None] + [s.key for s in self._sessions_of_day()]
        self.session_combo.addItem(_("— choose the session at this door —"))
        for session in self._sessions_of_day():
            self.session_combo.addItem(self._session_text(session))
        index = self._session_keys.index(wanted) if wanted in self._session_keys else -1
        self.session_combo.setCurrentIndex(max(0, index))
        self.session_combo.blockSignals(False)
        self._on_session_changed()

    @property
    def session_key(self) -> str | None:
        index = self.session_combo.currentIndex()
        return self._session_keys[index] if 0 <= index < len(self._session_keys) else None

    def select_session(self, key: str) -> bool:
        if key not in self._session_keys:
            return False
        index = self._session_keys.index(key)
        self.session_combo.setCurrentIndex(index)
        return True

    def _on_session_changed(self, _index: int = 0) -> None:
        key = self.session_key
        self.scan_field.setEnabled(key is not None)
        if key is not None:
            self.context.settings.door_session = key
        self.recent.clear()
        self.show_ready()
        self.refresh_gauge()

    # -- scanning ------------------------------------------------------------------------------
    def show_ready(self) -> None:
        """Ready for the next scan at this door (codes only: names are searched at the entrance)."""
        if self.session_key is None:
            self.verdict_view.show_info(
                _("Choose the session"), _("Pick the workshop or session at this door, then scan.")
            )
        else:
            self.verdict_view.show_info(
                _("Ready to scan"),
                _("Scan the participants' codes. Without a code: search by name at the entrance (F4)."),
            )

    def refuse_without_session(self) -> None:
        """A code scanned before a session was chosen: nobody is checked in anywhere; say so in red."""
        self.verdict_view.show_info(
            _("Choose the workshop first"),
            _("Nobody was checked in. Pick the session at this door, then scan again."),
            Severity.REFUSED,
        )
        self.sounds.play(Severity.REFUSED)
        self.focus_scan_field()

    def focus_scan_field(self) -> None:
        if self.session_key is None:
            self.session_combo.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scan_field.selectAll()

    def _check_in_scanned(self, raw: str) -> ScanVerdict | None:
        key = self.session_key
        if key is None or self._working_day is None:
            return None
        return self.context.checkin.scan(raw, day=self._working_day.date, session_key=key)

    def submit_scan(self, raw: str) -> ScanVerdict | None:
        """Check in at this door's session (None when no session is chosen)."""
        return self.station.submit_scan(raw)

    def undo_last(self) -> bool:
        """Undo this desk's last check-in (Ctrl+Z at the door) and update the gauge."""
        result = self.undo_guard.undo_last()
        self.station.record_undo(result)
        self.focus_scan_field()
        return result is not None

    def _on_changes(self, changes: Changes) -> None:
        """The bus says what changed: refresh the gauge when its session's figures may have moved."""
        key = self.session_key
        session = self.context.event.session_by_key(key) if key else None
        if session is not None and changes.figures and changes.touches_session(session.id):
            self.refresh_gauge()

    def refresh_gauge(self) -> None:
        key = self.session_key
        if key is None or self._working_day is None:
            self._gauge = None
            self.gauge.setRange(0, 1)
            self.gauge.setValue(0)
            self.gauge.setFormat("")
            self.gauge_text.clear()
            return
        gauge = self.context.checkin.session_gauge(key, self._working_day.date)
        self._gauge = gauge
        self._show_gauge()

    @property
    def shown_gauge(self) -> SessionGauge | None:
        return self._gauge

    def _show_gauge(self) -> None:
        gauge = self._gauge
        if gauge is None:
            return
        level = gauge_level(gauge.attended, gauge.capacity)
        if gauge.capacity:
            self.gauge.setRange(0, gauge.capacity)
            self.gauge.setValue(min(gauge.attended, gauge.capacity))
            self.gauge.setFormat(
                _("{attended} of {capacity} seats").format(attended=gauge.attended, capacity=gauge.capacity)
            )
        else:
            self.gauge.setRange(0, max(1, gauge.registered))
            self.gauge.setValue(min(gauge.attended, max(1, gauge.registered)))
            self.gauge.setFormat(_("{attended} present").format(attended=gauge.attended))
        self.gauge.setProperty("level", level)
        self.gauge.style().unpolish(self.gauge)
        self.gauge.style().polish(self.gauge)
        parts = [_("{registered} registered").format(registered=gauge.registered)]
        if gauge.capacity:
            free = max(0, gauge.capacity - gauge.attended)
            if free == 0:
                parts.append(_("Full"))
            elif gauge.held:
                parts.append(
                    _("{free} seats free for booked people, {unbooked} for others").format(
                        free=free, unbooked=gauge.free_unbooked
                    )
                )
            else:
                parts.append(_("{free} seats free").format(free=free))
        self.gauge_text.setText(" · ".join(parts))

    def retranslate(self) -> None:
        self.session_label.setText(_("&Session:"))
        if self.session_combo.count():
            self.session_combo.setItemText(0, _("— choose the session at this door —"))
        self.scan_label.setText(_("Scan the participants' &codes at this door"))
        self.scan_field.setPlaceholderText(_("Scan the QR code …"))
        self.recent_label.setText(_("Last scans at this door"))
        if self.verdict_view.verdict is None:
            self.show_ready()
        else:
            self.verdict_view.retranslate()
        self.recent.retranslate()
        self._show_gauge()
