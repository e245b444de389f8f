"""Run slow work (import, batch badges, export) off the GUI thread, with progress and cancel.

``TaskRunner.run(fn, on_done=...)`` calls ``fn(progress)`` on a ``QThreadPool``
worker. ``progress`` follows ``checkin.domain.progress.Progress``: its updates
move a progress dialog, its ``is_cancelled()`` turns true when the user
presses Cancel (the domain code then raises ``Cancelled``). The result or the
error comes back on the GUI thread through queued signals, so ``on_done`` and
``on_error`` may touch widgets. ``SyncTaskRunner`` has the same API and runs
inline, for tests.

Database sessions are opened by the services inside ``fn``, i.e. in the
worker thread; never hand a live ORM object or session to ``fn``.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from checkin.domain.errors import UserError
from checkin.domain.progress import Cancelled, Progress
from checkin.i18n import _

T = TypeVar("T")

log = logging.getLogger(__name__)

# Updates from a worker are coalesced: a bar does not need more than ~20 frames a second,
# and a flood of queued signals would itself stall the event loop.
_UPDATE_INTERVAL_S = 0.05


def show_task_error(error: BaseException, parent: QWidget | None = None, title: str | None = None) -> None:
    """The default way a failed task is shown: a message box with a complete sentence.

    ``Cancelled`` is not shown at all (the user asked for it); a ``UserError``
    shows its own message; anything else is a bug and says so, with details.
    """
    if isinstance(error, Cancelled):
        return
    box = QMessageBox(parent)
    box.setWindowTitle(title or _("Error"))
    if isinstance(error, UserError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(str(error))
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(_("An unexpected error occurred; nothing further was done."))
        box.setInformativeText(f"{type(error).__name__}: {error}")
        box.setDetailedText("".join(traceback.format_exception(error)))
    box.exec()


class TaskHandle(QObject):
    """One running (or finished) task: lets the caller cancel it or ask whether it ended.

    Lives on the GUI thread; the worker talks to it only through queued signals
    and the thread-safe cancel flag.
    """

    finished = Signal()

    def __init__(self, title: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._cancel_event = threading.Event()
        self._finished = False
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """Ask the work to stop; it stops at its next progress check and raises ``Cancelled``."""
        self._cancel_event.set()

    def is_cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    def is_finished(self) -> bool:
        return self._finished

    def _mark_finished(self) -> None:
        self._finished = True
        self.finished.emit()


class _WorkerSignals(QObject):
    progressed = Signal(int, int, str)  # done, total (-1: unknown), message
    succeeded = Signal(object)
    failed = Signal(object)


class _WorkerProgress:
    """The ``Progress`` the worker sees: thread-safe cancel flag, coalesced updates."""

    def __init__(self, signals: _WorkerSignals, cancel_event: threading.Event) -> None:
        self._signals = signals
        self._cancel_event = cancel_event
        self._last_emit = 0.0
        self._last_total: int | None = None

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        total_changed = total != self._last_total
        if final or total_changed or now - self._last_emit >= _UPDATE_INTERVAL_S:
            self._last_emit = now
            self._last_total = total
            self._signals.progressed.emit(int(done), -1 if total is None else int(total), message)

    def is_cancelled(self) -> bool:
        return self._cancel_event.is_set()


class _Worker(QRunnable, Generic[T]):
    """Runs ``fn`` on a pool thread.

    Not auto-deleted: the GUI-thread controller keeps this object (and with it
    ``fn``'s closure, which may hold widgets, and the signals object) and lets
    it go only after ``exited`` is set. Otherwise the pool thread could drop the
    last reference to a QObject of the GUI thread and delete it there while the
    GUI thread deletes it too (a crash seen in about one run in four).
    """

    def __init__(
        self, fn: Callable[[Progress], T], signals: _WorkerSignals, cancel_event: threading.Event
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self._signals = signals
        self._progress = _WorkerProgress(signals, cancel_event)
        self.exited = threading.Event()

    def run(self) -> None:
        try:
            try:
                result = self._fn(self._progress)
            except BaseException as error:  # every failure must reach the GUI thread
                if not isinstance(error, UserError):
                    log.exception("background task failed")
                self._signals.failed.emit(error)
            else:
                # Results are plain values (services return frozen dataclasses): whichever
                # thread drops them last does no harm.
                self._signals.succeeded.emit(result)
        finally:
            self.exited.set()


class _TaskController(QObject):
    """GUI-thread side of one task: owns the progress dialog and calls back the caller."""

    def __init__(
        self,
        runner: TaskRunner,
        handle: TaskHandle,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        title: str | None,
        parent_widget: QWidget | None,
        quiet: bool = False,
    ) -> None:
        super().__init__(runner)
        self._runner = runner
        self.handle = handle
        self._handle = handle
        self._on_done = on_done
        self._on_error = on_error
        self._title = title
        self._parent_widget = parent_widget
        self.signals = _WorkerSignals()  # created here: lives on the GUI thread, emits from the worker
        self.signals.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.signals.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._quiet = quiet
        self.worker: _Worker[Any] | None = None
        self._dispose_timer: QTimer | None = None
        self.dialog: QProgressDialog | None = None
        if runner.show_progress and not quiet:
            self.dialog = self._make_dialog()
            # QProgressDialog shows itself only from setValue(); work that reports no progress
            # (reading one big file) would show nothing at all. This timer shows it anyway.
            self._show_timer = QTimer(self)
            self._show_timer.setSingleShot(True)
            self._show_timer.timeout.connect(self._show_if_running)
            self._show_timer.start(runner.dialog_delay_ms)

    def _make_dialog(self) -> QProgressDialog:
        label = self._title or _("Working …")
        dialog = QProgressDialog(label, _("Cancel"), 0, 0, self._parent_widget)
        dialog.setWindowTitle(self._title or _("Please wait"))
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(self._runner.dialog_delay_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(self._on_cancel_clicked)
        return dialog

    def dispose_when_worker_exited(self) -> None:
        """Delete this controller (and its signals, the worker and ``fn``) on the GUI thread,
        once the pool thread has left ``run()`` for good (we are inside one of our slots now)."""
        self._dispose_timer = QTimer(self)
        self._dispose_timer.setInterval(5)
        self._dispose_timer.timeout.connect(self._dispose_if_exited)
        self._dispose_timer.start(0)

    @Slot()
    def _dispose_if_exited(self) -> None:
        if self.worker is not None and not self.worker.exited.is_set():
            return  # a few microseconds more; the timer fires again
        if self._dispose_timer is not None:
            self._dispose_timer.stop()
        self.worker = None
        self.deleteLater()

    @Slot()
    def _show_if_running(self) -> None:
        if self.dialog is not None and not self._handle.is_finished():
            self.dialog.show()

    @Slot()
    def _on_cancel_clicked(self) -> None:
        self._handle.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(_("Cancelling …"))
            self.dialog.show()  # keep it up until the worker has really stopped

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self.dialog is None or self._handle.is_finished():
            return
        if total < 0:
            self.dialog.setRange(0, 0)
        else:
            self.dialog.setRange(0, max(total, 1))
            self.dialog.setValue(min(done, max(total, 1)))
        if message and not self._handle.is_cancel_requested():
            self.dialog.setLabelText(message)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self._on_cancel_clicked)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._close_dialog()
        self._handle.result = result
        self._handle._mark_finished()
        try:
            self._on_done(result)
        finally:
            self._runner._forget(self)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        self._close_dialog()
        self._handle.error = error
        self._handle._mark_finished()
        try:
            if self._on_error is not None:
                self._on_error(error)
            elif self._quiet:
                log.warning("background task %r failed: %s", self._title, error)
            else:
                self._runner.error_presenter(error, self._parent_widget, self._title)
        finally:
            self._runner._forget(self)


class TaskRunner(QObject):
    """Runs ``fn(progress)`` on a thread pool and hands the outcome back on the GUI thread.

    Args:
        parent: owner of the runner (the main window or the application).
        max_threads: worker threads; slow work is mostly I/O and SQLite, two is plenty.
        show_progress: show a progress dialog (with Cancel) for each task.
        dialog_delay_ms: a task that ends sooner shows no dialog at all (no flicker).
        error_presenter: how errors without an ``on_error`` are shown (default: a message box).
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_threads: int = 2,
        show_progress: bool = True,
        dialog_delay_ms: int = 300,
        error_presenter: Callable[[BaseException, QWidget | None, str | None], None] = show_task_error,
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self.show_progress = show_progress
        self.dialog_delay_ms = dialog_delay_ms
        self.error_presenter = error_presenter
        self._running: list[_TaskController] = []

    def run(
        self,
        fn: Callable[[Progress], T],
        *,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        title: str | None = None,
        parent: QWidget | None = None,
        quiet: bool = False,
    ) -> TaskHandle:
        """Start ``fn`` in a worker; ``on_done(result)`` or ``on_error(error)`` run on the GUI thread.

        Without ``on_error`` a ``UserError`` is shown as its message, ``Cancelled``
        silently ends the task, any other exception is shown as an unexpected error.
        ``quiet`` is for background refreshes (the dashboard): no progress dialog,
        and errors without ``on_error`` are only logged.
        """
        handle = TaskHandle(title)
        controller = _TaskController(self, handle, on_done, on_error, title, parent, quiet)
        self._running.append(controller)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        controller.worker = _Worker(fn, controller.signals, handle._cancel_event)
        self._pool.start(controller.worker)
        return handle

    def is_busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        for controller in list(self._running):
            controller.handle.cancel()

    def wait_until_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until every task has ended and its callbacks ran (tests, shutdown)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._running:
            self._pool.waitForDone(20)
            QApplication.processEvents()
            if time.monotonic() > deadline:
                return False
        return True

    def _forget(self, controller: _TaskController) -> None:
        if controller in self._running:
            self._running.remove(controller)
        controller.dispose_when_worker_exited()
        if not self._running:
            self.busy_changed.emit(False)


class SyncTaskRunner:
    """Same API as ``TaskRunner`` but runs ``fn`` inline, on the calling thread (for tests).

    Keeps every progress update in ``updates`` and every error in ``errors``.
    ``cancel_after=n`` makes ``is_cancelled()`` true after ``n`` updates, as if
    the user pressed Cancel. Errors without ``on_error``: a ``UserError`` is
    recorded (as the window would show it); any other exception is re-raised so
    a test sees the bug.
    """

    def __init__(self, *, cancel_after: int | None = None) -> None:
        self.cancel_after = cancel_after
        self.updates: list[tuple[int, int | None, str]] = []
        self.errors: list[BaseException] = []
        self.titles: list[str | None] = []

    def run(
        self,
        fn: Callable[[Progress], T],
        *,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        title: str | None = None,
        parent: QWidget | None = None,
        quiet: bool = False,
    ) -> TaskHandle:
        handle = TaskHandle(title)
        self.titles.append(title)
        progress = _SyncProgress(self, handle)
        try:
            result = fn(progress)
        except BaseException as error:
            handle.error = error
            handle._mark_finished()
            self.errors.append(error)
            if on_error is not None:
                on_error(error)
            elif not isinstance(error, UserError):
                raise
            return handle
        handle.result = result
        handle._mark_finished()
        on_done(result)
        return handle

    def is_busy(self) -> bool:
        return False

    def cancel_all(self) -> None:
        pass

    def wait_until_idle(self, timeout_ms: int = 30_000) -> bool:
        return True


class _SyncProgress:
    def __init__(self, runner: SyncTaskRunner, handle: TaskHandle) -> None:
        self._runner = runner
        self._handle = handle
        self._count = 0

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        self._count += 1
        self._runner.updates.append((done, total, message))

    def is_cancelled(self) -> bool:
        limit = self._runner.cancel_after
        return self._handle.is_cancel_requested() or (limit is not None and self._count >= limit)
