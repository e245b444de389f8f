"""A joined desk in the window: its sync state in the status bar, the hub's changes on the bus.

``attach_sync(window, link)`` puts a ``SyncStatusWidget`` ("Online" / "Offline seit 10:42",
"3 warten", conflicts) into the window's status bar and forwards every sync round of the
``DeskLink`` (run on the worker's thread) through a queued signal to the GUI thread: what
the download changed is published on the desk's ``ChangeBus`` (search, counters and
dashboard refresh as for any other write), the widget shows the new state. A write made
at this desk (anything published on the bus) wakes the worker, so it is uploaded at once.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from checkin.domain.changes import Changes
from checkin.i18n import _
from checkin.presentation.sync_text import conflicts_text, online_text, queued_text, sync_tooltip
from checkin.ui import theme

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtWidgets import QMainWindow

    from checkin.sync.desk_link import DeskLink
    from checkin.sync.replica import SyncStatus
    from checkin.ui.change_bus import ChangeBus


class SyncStatusWidget(QWidget):
    """The sync state of a joined desk, for the status bar: a dot, online/offline, what waits."""

    def __init__(self, tz: dt.tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self._tz = tz
        self._status: SyncStatus | None = None
        self._offline_mode = False
        self._offline_since: dt.datetime | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(10)
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.state_label.setFont(theme.font(11, bold=True))
        self.queued_label = QLabel()
        self.queued_label.setObjectName("syncQueued")
        self.conflicts_label = QLabel()
        self.conflicts_label.setObjectName("syncConflicts")
        refused = theme.SEVERITY_COLOURS[theme.Severity.REFUSED]
        self.conflicts_label.setStyleSheet(f"color: {refused.text}; font-weight: 600;")
        for label in (self.state_label, self.queued_label, self.conflicts_label):
            layout.addWidget(label)
        self.conflicts_label.hide()

    @property
    def online(self) -> bool:
        """Online as the desk's scans see it: the hub answers and scans are not decided alone."""
        return self._status is not None and self._status.online and not self._offline_mode

    def show_status(
        self, status: SyncStatus, *, offline_mode: bool = False, offline_since: dt.datetime | None = None
    ) -> None:
        """Show ``status``; ``offline_mode``: scans are decided here without asking (since when)."""
        self._status = status
        self._offline_mode = offline_mode
        self._offline_since = offline_since
        self.retranslate()

    def retranslate(self) -> None:
        status = self._status
        if status is None:
            self.state_label.setText(_("Connecting to the hub …"))
            self.queued_label.clear()
            return
        since = status.offline_since or self._offline_since
        online = self.online
        colours = theme.SEVERITY_COLOURS[theme.Severity.OK if online else theme.Severity.WARNING]
        self.state_label.setStyleSheet(f"color: {colours.text};")
        self.state_label.setText("●  " + online_text(online, since, tz=self._tz))
        self.queued_label.setText(queued_text(status.queued))
        self.conflicts_label.setText(conflicts_text(status.conflicts))
        self.conflicts_label.setVisible(status.conflicts > 0)
        self.setToolTip(sync_tooltip(online, status.last_download, status.last_error, tz=self._tz))

    def state_text(self) -> str:
        """Everything the widget says, in one line (tests, screen readers)."""
        parts = [self.state_label.text().removeprefix("●  "), self.queued_label.text()]
        if self.conflicts_label.isVisibleTo(self):
            parts.append(self.conflicts_label.text())
        return " · ".join(p for p in parts if p)


class SyncBridge(QObject):
    """Carries a ``DeskLink``'s rounds from its thread to the GUI thread, and local writes to it.

    Signals:
        synced(SyncStatus, Changes): a sync round ended (on the GUI thread).
    """

    synced = Signal(object, object)
    _from_worker = Signal(object, object)

    def __init__(self, link: DeskLink, bus: ChangeBus, widget: SyncStatusWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.link = link
        self.bus = bus
        self.widget = widget
        self._publishing = False
        # Queued: the worker's thread emits, the GUI thread publishes and paints.
        self._from_worker.connect(self._on_round, Qt.ConnectionType.QueuedConnection)
        link.add_listener(self._emit_from_worker)
        bus.changed.connect(self._on_local_change)
        self.refresh()

    def _emit_from_worker(self, status: SyncStatus, changes: Changes) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone, the worker not yet
            self._from_worker.emit(status, changes)

    def _on_round(self, status: SyncStatus, changes: Changes) -> None:
        self._publishing = True
        try:
            self.bus.publish(changes)
        finally:
            self._publishing = False
        self._show(status)
        self.synced.emit(status, changes)

    def _on_local_change(self, _changes: Changes) -> None:
        """A write at this desk: upload it now, and show the queue it joined (a local read)."""
        if self._publishing:
            return
        self.link.worker.wake()
        self.refresh()

    def refresh(self) -> None:
        """Read the replica's sync state now (never waits for the hub or for a writer)."""
        try:
            status = self.link.status()
        except Exception:  # the file refuses reads just now: the next round shows it
            return
        self._show(status)

    def _show(self, status: SyncStatus) -> None:
        self.widget.show_status(
            status, offline_mode=self.link.offline_mode, offline_since=self.link.offline_since
        )


def attach_sync(window: QMainWindow, link: DeskLink, bus: ChangeBus, tz: dt.tzinfo) -> SyncBridge:
    """Show ``link``'s state in ``window``'s status bar and bring its changes onto ``bus``."""
    widget = SyncStatusWidget(tz)
    window.statusBar().addPermanentWidget(widget)
    bridge = SyncBridge(link, bus, widget, window)
    language_changed = getattr(window, "language_changed", None)
    if language_changed is not None:
        language_changed.connect(lambda _language: widget.retranslate())
    return bridge


__all__ = ["SyncBridge", "SyncStatusWidget", "attach_sync"]
