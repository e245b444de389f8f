"""One place where the window learns what changed: ``ChangeBus`` carries ``Changes`` to the views.

Every write the window makes (a scan, an undo, a walk-in, an edit, a print, an import)
publishes its ``Changes``; ``DatabasePoller`` publishes what ``DatabaseWatcher`` saw other
desks write. Views connect to ``ChangeBus.changed`` and refresh only when the changes
touch them; nobody calls a view to refresh it.

The check-in service's results carry their own ``changes``; ``changes_of_print`` says what a
badge print changed (the badge service does not return it yet).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from checkin.domain.changes import Changes
from checkin.domain.watcher import DatabaseWatcher

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext

POLL_INTERVAL_MS = 2000


class ChangeBus(QObject):
    """Publishes ``Changes`` (never empty ones) to whoever connected to ``changed``."""

    changed = Signal(object)  # Changes

    def publish(self, changes: Changes) -> None:
        if not changes.is_empty:
            self.changed.emit(changes)


def changes_of_print(registration_ids: list[int]) -> Changes:
    """A badge print: the people's print record (and the badge figures) moved."""
    return Changes(registrations=frozenset(registration_ids), figures=True)


class DatabasePoller(QObject):
    """Every few seconds asks ``DatabaseWatcher`` in a worker what others wrote; publishes it.

    The first look (the baseline) is taken at once, so nothing written after the window
    opened is missed. A poll still running is never started twice.
    """

    failed = Signal(object)  # the error of a poll that could not read the database

    def __init__(
        self, context: DeskContext, parent: QObject | None = None, *, interval_ms: int = POLL_INTERVAL_MS
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._watcher = DatabaseWatcher(context.db, context.event.id)
        self._watcher.poll()
        self._polling = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)

    def start(self, on_tick: Callable[[], Any] | None = None) -> None:
        self.timer.timeout.connect(on_tick or self.poll)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self._polling:
            return
        # Read in a worker: while another desk holds the write lock (a long import), the
        # read waits for it, and the window must not.
        self._polling = True
        self._context.tasks.run(
            lambda _progress: self._watcher.poll(),
            on_done=self._on_polled,
            on_error=self._on_failed,
            quiet=True,
        )

    def _on_polled(self, changes: Changes) -> None:
        self._polling = False
        self._context.changes.publish(changes)

    def _on_failed(self, error: BaseException) -> None:
        self._polling = False
        self.failed.emit(error)
