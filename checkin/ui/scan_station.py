"""One scan station: the scan field, the verdict, the last scans and the sound, for desk and door.

The entrance desk and a workshop door take a scan the same way: the field hands the
text on Enter (a line feed too), the station asks the panel's ``submit`` for a verdict,
shows it big and in the list, plays its sound, clears the field and publishes what the
scan changed on the desk's ``ChangeBus``. What differs is the panel's: which check-in
(entrance or session) and what sits around the station.

A scan the database does not take within the desk's short wait (another program holds
the write lock, the disk is full, the file is read-only) is never lost: the station
shows a red "NOT recorded" with the reason, keeps the scan in the desk's queue
(``checkin.domain.pending_scans``, a journal file beside the database) and lists it
under the last scans until ``ScanRetrier`` has recorded it, in a worker thread, never
on the GUI thread. Its result then joins the last scans.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.changes import Changes
from checkin.domain.checkin_service import ScanNotRecorded
from checkin.domain.db import DatabaseWriteError, WriteFailure
from checkin.domain.pending_scans import PendingScan, PendingScans, RetryOutcome, journal_path
from checkin.domain.scanning import END_OF_SCAN, KeyboardWedge
from checkin.domain.verdicts import PersonSummary, ScanVerdict, Severity, VerdictKind
from checkin.i18n import _
from checkin.presentation.formats import format_time
from checkin.presentation.pending_text import (
    failure_text,
    kept_text,
    not_recorded_headline,
    pending_state_text,
)
from checkin.ui import theme
from checkin.ui.scan_capture import is_modifier_key, key_input
from checkin.ui.station_refresh import StationRefresher

log = logging.getLogger(__name__)

# How often the queue of unrecorded scans is tried again.
RETRY_INTERVAL_MS = 1000

if TYPE_CHECKING:
    from checkin.domain.checkin_service import UndoResult
    from checkin.ui.checkin_panel import RecentScansView, VerdictView
    from checkin.ui.context import DeskContext
    from checkin.ui.sounds import SoundPlayer


class ScanField(QLineEdit):
    """The scan field: leaves the window's shortcuts (Ctrl+Z undo last, Ctrl+P print) to the window.

    Its keys go to a ``KeyboardWedge`` too, so the field knows where the last burst began:
    a badge scanned while half a name is still in the field is read as the scan alone
    (``scanned_text``).
    """

    is_scan_target = True  # ScanCapture leaves keys for this field to the field itself

    _WINDOW_KEYS = (
        QKeySequence.StandardKey.Undo,
        QKeySequence.StandardKey.Redo,
        QKeySequence.StandardKey.Print,
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "scan")
        self.clock: Callable[[], float] = time.monotonic  # for key events without a time stamp
        self.wedge = KeyboardWedge()
        self._burst_start = 0

    def ends_with_scan(self) -> bool:
        """True when the text ends in a scanner burst (fast keys, at least a code's worth)."""
        return len(self.text()[self._burst_start :].strip()) >= self.wedge.min_length

    def scanned_text(self) -> str:
        """The text to check in: the last scanner burst when typing came before it, else everything."""
        text = self.text()
        return (
            text[self._burst_start :] if 0 < self._burst_start < len(text) and self.ends_with_scan() else text
        )

    def _note_key(self, event: QKeyEvent) -> None:
        text, at = key_input(event, self.clock)
        # Only characters count; arrows, Backspace or Shift between them neither end nor start a burst.
        if is_modifier_key(event) or not text or not text.isprintable():
            return
        self.wedge.feed(text, at)
        if self.wedge.started_burst:
            self._burst_start = self.selectionStart() if self.hasSelectedText() else self.cursorPosition()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.text() in END_OF_SCAN and event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Some scanners (and xdotool) end a code with a line feed, not the Return key.
                self.returnPressed.emit()
                return True
            self._note_key(event)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(key) for key in self._WINDOW_KEYS)
        ):
            event.ignore()
            return False
        return super().event(event)


class ScanRetrier(QObject):
    """The desk's queue of unrecorded scans, tried again every second in a worker thread.

    One per desk (``DeskContext.scan_retrier``, made by the first scan station), shared
    by the entrance and the door. Results come back on the GUI thread.

    Signals:
        kept(PendingScan): a scan joined the queue.
        outcomes(list[RetryOutcome]): what a retry came to (recorded ones left the queue).
    """

    kept = Signal(object)
    outcomes = Signal(object)
    _finished = Signal(object)  # from the worker thread

    def __init__(self, context: DeskContext, queue: PendingScans | None = None) -> None:
        super().__init__()
        self.context = context
        self.queue = queue if queue is not None else PendingScans(journal_path(context.db))
        self.last_failure: WriteFailure | None = None
        self._worker: threading.Thread | None = None
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_INTERVAL_MS)
        self.timer.timeout.connect(self.retry_now)
        if len(self.queue):
            self.timer.start()

    def keep(self, error: ScanNotRecorded) -> PendingScan:
        pending = self.queue.keep(error.request)
        self.last_failure = error.failure
        self.timer.start()
        self.kept.emit(pending)
        return pending

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def retry_now(self) -> None:
        """Try the queue again now, in a worker thread (nothing when it is empty or running)."""
        if self.busy or not len(self.queue):
            if not len(self.queue):
                self.timer.stop()
            return
        service = self.context.checkin

        def work() -> None:
            try:
                outcomes = self.queue.retry(service)
            except Exception:  # the queue keeps the scans; the next tick tries again
                log.exception("retrying the queued scans failed")
                outcomes = []
            with contextlib.suppress(RuntimeError):  # the desk was closed meanwhile
                self._finished.emit(outcomes)

        self._worker = threading.Thread(target=work, name="scan-retry", daemon=True)
        self._worker.start()

    def wait(self, timeout: float = 5.0) -> None:
        """Wait for a running retry (closing the desk, tests)."""
        if self._worker is not None:
            self._worker.join(timeout)

    def stop(self) -> None:
        self.timer.stop()
        self.wait()

    def _on_finished(self, outcomes: list[RetryOutcome]) -> None:
        failures = [o.failure for o in outcomes if o.failure is not None]
        self.last_failure = failures[-1] if failures else None
        for outcome in outcomes:
            if outcome.verdict is not None:
                self.context.changes.publish(outcome.verdict.changes)
        if outcomes:
            self.outcomes.emit(outcomes)
        if not len(self.queue):
            self.timer.stop()


class PendingScansView(QTreeWidget):
    """The scans waiting to be recorded, newest first (hidden while there are none)."""

    def __init__(self, tz: dt.tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._rows: list[tuple[PendingScan, str]] = []  # (scan, who), in row order
        self.failure: WriteFailure | None = None
        self.setObjectName("pendingScans")
        self.setRootIsDecorated(False)
        self.setColumnCount(3)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setMaximumHeight(theme.pt(11) * 9)
        self.hide()
        self.retranslate()

    @property
    def nonces(self) -> list[str]:
        return [p.nonce for p, _who in self._rows]

    def add(self, pending: PendingScan, who: str) -> None:
        if pending.nonce in self.nonces:
            return
        self._rows.insert(0, (pending, who))
        self.insertTopLevelItem(0, self._item(pending, who))
        self.show()

    def remove(self, nonce: str) -> bool:
        for index, (pending, _who) in enumerate(self._rows):
            if pending.nonce == nonce:
                del self._rows[index]
                self.takeTopLevelItem(index)
                self.setVisible(bool(self._rows))
                return True
        return False

    def set_failure(self, failure: WriteFailure | None) -> None:
        self.failure = failure
        self.retranslate()

    def _item(self, pending: PendingScan, who: str) -> QTreeWidgetItem:
        at = format_time(pending.request.scanned_at, tz=self._tz)
        item = QTreeWidgetItem([at, who, "✕  " + pending_state_text(self.failure)])
        item.setToolTip(2, failure_text(self.failure or WriteFailure.OTHER))
        item.setForeground(2, QColor(theme.SEVERITY_COLOURS[Severity.REFUSED].text))
        return item

    def retranslate(self) -> None:
        self.setHeaderLabels([_("Time"), _("Name"), _("Not recorded yet")])
        for index, (pending, who) in enumerate(self._rows):
            item = self.topLevelItem(index)
            if item is not None:
                fresh = self._item(pending, who)
                item.setText(2, fresh.text(2))
                item.setToolTip(2, fresh.toolTip(2))


class ScanStation(QWidget):
    """Scan field above, the big verdict (with the print status under it) and the last scans beside.

    Args:
        context: the desk's services; scans publish their changes on ``context.changes``.
        verdict_view, recent: the verdict display and the list of last scans to fill.
        submit: checks in what was scanned (entrance or session); None when it cannot now.
        sounds: plays the verdict's sound.

    Signals:
        presented(ScanVerdict): a verdict is on screen (the panel updates its buttons, the focus).
        admitted(ScanVerdict): a person was checked in here (auto-print listens).
    """

    presented = Signal(object)
    admitted = Signal(object)

    def __init__(
        self,
        context: DeskContext,
        verdict_view: VerdictView,
        recent: RecentScansView,
        *,
        submit: Callable[[str], ScanVerdict | None],
        sounds: SoundPlayer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.sounds = sounds
        self._submit = submit
        # Enter on typed letters may choose a search match instead (the desk's popup).
        self.take_return: Callable[[], bool] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.scan_label = QLabel()
        self.scan_label.setProperty("role", "muted")
        self.scan_field = ScanField()
        self.scan_field.returnPressed.connect(self._on_return)
        self.scan_label.setBuddy(self.scan_field)
        layout.addWidget(self.scan_label)
        layout.addWidget(self.scan_field)

        middle = QHBoxLayout()
        middle.setSpacing(14)
        self.verdict_view = verdict_view
        verdict_box = QVBoxLayout()
        verdict_box.setSpacing(6)
        verdict_box.addWidget(verdict_view, 1)
        self.print_status = QLabel()
        self.print_status.setObjectName("printStatus")
        self.print_status.setWordWrap(True)
        self.print_status.hide()
        verdict_box.addWidget(self.print_status)
        middle.addLayout(verdict_box, 3)
        recent_box = QVBoxLayout()
        self.recent_label = QLabel()
        self.recent_label.setProperty("role", "heading")
        self.recent = recent
        recent_box.addWidget(self.recent_label)
        recent_box.addWidget(recent, 1)
        self.pending_view = PendingScansView(context.event.tz)
        recent_box.addWidget(self.pending_view)
        middle.addLayout(recent_box, 2)
        layout.addLayout(middle, 1)

        # The desk's one queue of unrecorded scans, shared with the other station.
        retrier = context.scan_retrier
        if retrier is None:
            retrier = context.scan_retrier = ScanRetrier(context)
            for pending in retrier.queue.pending():  # left from the last run: shown here
                self.pending_view.add(pending, pending.code)
        self.retrier = retrier
        self._shown_pending: tuple[str, str] | None = None  # (nonce, words) of a NOT recorded shown
        self.pending_view.set_failure(retrier.last_failure)
        retrier.outcomes.connect(self._on_retried)
        # Edits and undos elsewhere reach the result and "Last scans" (never stale text).
        self.refresher = StationRefresher(context, self)

    def _on_return(self) -> None:
        # A scanner's Enter is always a scan, even while matches for typed letters are shown.
        field = self.scan_field
        if not field.ends_with_scan() and self.take_return is not None and self.take_return():
            return
        text = field.scanned_text()
        if text.strip():
            self.submit_scan(text)

    def submit_scan(self, raw: str) -> ScanVerdict | None:
        """Check in whatever a scanner (or a person) typed, and show the verdict.

        None when there is no verdict: no session chosen at the door, or the database did
        not take the scan (then it is shown as NOT recorded and kept in the queue)."""
        try:
            verdict = self._submit(raw)
        except ScanNotRecorded as error:
            self.show_not_recorded(error)
            return None
        if verdict is not None:
            self.present(verdict)
            if len(self.retrier.queue):
                self.retrier.retry_now()  # the database answers again: the queue may follow
        return verdict

    def show_not_recorded(self, error: ScanNotRecorded) -> PendingScan:
        """The database did not take the scan: say so in red, keep the scan, list it as waiting."""
        pending = self.retrier.keep(error)
        # Who it is, from a read (it never waits for the write lock); not from a server that
        # does not answer (the read would wait for it too).
        unreachable = error.failure is WriteFailure.UNREACHABLE
        person = None if unreachable else self._lookup(error.request.raw)
        who = person.display_name if person is not None else pending.code
        self.print_status.hide()
        detail = [failure_text(error.failure), kept_text(self.retrier.queue.durable, len(self.retrier.queue))]
        if person is not None:
            detail.insert(0, _("{name} (code {code})").format(name=who, code=pending.code))
        else:
            detail.insert(0, _("Code read: {code}").format(code=pending.code))
        self.verdict_view.show_info("✕   " + not_recorded_headline(), "\n".join(detail), Severity.REFUSED)
        self._shown_pending = (pending.nonce, self.verdict_view.detail_label.text())
        self.pending_view.set_failure(error.failure)
        self.pending_view.add(pending, who)
        self.sounds.play(Severity.REFUSED)
        self.scan_field.clear()
        return pending

    def show_write_failure(self, error: DatabaseWriteError) -> None:
        """A check-in chosen by hand that the database did not take: NOT recorded, and why (it is
        not queued: the person is chosen again once the database answers)."""
        self.print_status.hide()
        detail = [
            failure_text(error.failure),
            _("Nothing was recorded: choose the person again in a moment."),
        ]
        self.verdict_view.show_info("✕   " + not_recorded_headline(), "\n".join(detail), Severity.REFUSED)
        self.sounds.play(Severity.REFUSED)

    def _lookup(self, raw: str) -> PersonSummary | None:
        try:
            return self.context.checkin.lookup(raw)
        except Exception:  # the disk may refuse reads too: the code alone is said then
            log.warning("the person of an unrecorded scan could not be read", exc_info=True)
            return None

    def _on_retried(self, outcomes: list[RetryOutcome]) -> None:
        """The queue was tried again: recorded scans leave the waiting list for the last scans."""
        self.pending_view.set_failure(self.retrier.last_failure)
        for outcome in outcomes:
            if not outcome.resolved or not self.pending_view.remove(outcome.pending.nonce):
                continue
            if outcome.verdict is not None:
                self.recent.add(outcome.pending.request.scanned_at, outcome.verdict)
                if self._shows_not_recorded(outcome.pending):  # nothing else shown since: say so
                    self.verdict_view.show_verdict(outcome.verdict)

    def _shows_not_recorded(self, pending: PendingScan) -> bool:
        """The big view still says that this scan was NOT recorded (nothing was shown since)."""
        nonce, detail = self._shown_pending or ("", "")
        view = self.verdict_view
        return nonce == pending.nonce and view.verdict is None and view.detail_label.text() == detail

    def present(self, verdict: ScanVerdict) -> None:
        """Show a verdict (scanned here, chosen in the search, or a walk-in) and say what changed."""
        self.print_status.hide()
        self.verdict_view.show_verdict(verdict)
        self.recent.add(self.context.clock(), verdict)
        self.sounds.play(verdict.severity)
        self.scan_field.clear()
        self.context.changes.publish(verdict.changes)
        self.presented.emit(verdict)
        if verdict.admitted and verdict.kind is VerdictKind.CHECKED_IN:
            self.admitted.emit(verdict)

    def record_undo(self, result: UndoResult | None) -> None:
        """An undo made here (the verdict view already says so): publish what it changed."""
        self.context.changes.publish(result.changes if result is not None else Changes.none())

    def show_print_status(self, text: str, ok: bool) -> None:
        """Under the result: whether the badge went to the printer (the check-in stays either way)."""
        colours = theme.SEVERITY_COLOURS[Severity.OK if ok else Severity.REFUSED]
        self.print_status.setStyleSheet(
            f"color: {colours.text}; background: {colours.tint}; border: 1px solid {colours.strong};"
            " border-radius: 4px; padding: 6px 10px; font-weight: 600;"
        )
        self.print_status.setText(text)
        self.print_status.show()
