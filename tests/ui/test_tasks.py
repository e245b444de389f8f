"""The background task runner: work off the GUI thread, results and errors back on it, cancel."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from checkin.domain.errors import UserError
from checkin.domain.progress import Cancelled, Progress, check_cancelled
from checkin.ui.tasks import SyncTaskRunner, TaskRunner


class _BadFile(UserError):
    pass


@pytest.fixture
def shown_errors() -> list[BaseException]:
    return []


@pytest.fixture
def runner(qtbot, shown_errors: list[BaseException]) -> TaskRunner:
    task_runner = TaskRunner(
        dialog_delay_ms=0, error_presenter=lambda error, parent, title: shown_errors.append(error)
    )
    yield task_runner
    task_runner.cancel_all()
    task_runner.wait_until_idle()
    task_runner.deleteLater()


def test_result_arrives_on_gui_thread_and_work_runs_in_worker(qtbot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker_thread"] = threading.current_thread()
        progress.update(1, 2, "half")
        progress.update(2, 2, "done")
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["done_thread"] = threading.current_thread()

    handle = runner.run(work, on_done=done, title="Rechnen")
    assert runner.is_busy()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert seen["result"] == 42
    assert handle.result == 42
    assert seen["worker_thread"] is not threading.main_thread()
    assert seen["done_thread"] is threading.main_thread()
    qtbot.waitUntil(lambda: not runner.is_busy())


def test_progress_moves_the_dialog_and_cancel_button_stops_the_work(qtbot, runner: TaskRunner) -> None:
    started = threading.Event()
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        progress.update(3, 10, "Zeile 3 von 10")
        started.set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            check_cancelled(progress)
            time.sleep(0.005)
        raise AssertionError("never cancelled")

    handle = runner.run(work, on_done=lambda _r: None, on_error=errors.append, title="Import")
    assert started.wait(5)

    def dialog() -> QProgressDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        return found[0] if found and found[0].isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None and dialog().value() == 3, timeout=5000)
    assert dialog().maximum() == 10
    assert dialog().labelText() == "Zeile 3 von 10"
    (cancel_button,) = dialog().findChildren(QPushButton)
    assert cancel_button.text() == "Abbrechen"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(handle.is_finished, timeout=5000)
    assert len(errors) == 1
    assert isinstance(errors[0], Cancelled)
    qtbot.waitUntil(lambda: dialog() is None, timeout=5000)


def test_user_error_goes_to_the_presenter_and_on_done_is_not_called(
    qtbot, runner: TaskRunner, shown_errors: list[BaseException]
) -> None:
    done: list[object] = []

    def work(progress: Progress) -> None:
        raise _BadFile("Die Datei hat keine Kopfzeile.")

    handle = runner.run(work, on_done=done.append)
    qtbot.waitUntil(handle.is_finished, timeout=5000)
    assert done == []
    assert [str(e) for e in shown_errors] == ["Die Datei hat keine Kopfzeile."]
    assert isinstance(handle.error, _BadFile)


def test_unexpected_error_is_also_reported(
    qtbot, runner: TaskRunner, shown_errors: list[BaseException]
) -> None:
    def work(progress: Progress) -> None:
        raise ZeroDivisionError("boom")

    handle = runner.run(work, on_done=lambda _r: None)
    qtbot.waitUntil(handle.is_finished, timeout=5000)
    assert len(shown_errors) == 1
    assert isinstance(shown_errors[0], ZeroDivisionError)


def test_busy_signal_toggles(qtbot, runner: TaskRunner) -> None:
    states: list[bool] = []
    runner.busy_changed.connect(states.append)
    gate = threading.Event()
    handle = runner.run(lambda p: gate.wait(5), on_done=lambda _r: None)
    assert states == [True]
    gate.set()
    qtbot.waitUntil(handle.is_finished, timeout=5000)
    qtbot.waitUntil(lambda: states == [True, False], timeout=5000)


def test_many_updates_do_not_flood_the_event_loop(qtbot, runner: TaskRunner) -> None:
    def work(progress: Progress) -> int:
        for i in range(200_000):
            progress.update(i + 1, 200_000)
        return 1

    handle = runner.run(work, on_done=lambda _r: None)
    qtbot.waitUntil(handle.is_finished, timeout=20000)
    assert handle.result == 1


def test_sync_runner_runs_inline_and_records_progress() -> None:
    runner = SyncTaskRunner()
    results: list[int] = []

    def work(progress: Progress) -> int:
        progress.update(1, 1, "fertig")
        return threading.get_ident()

    handle = runner.run(work, on_done=results.append, title="x")
    assert results == [threading.get_ident()]
    assert handle.is_finished()
    assert runner.updates == [(1, 1, "fertig")]


def test_sync_runner_cancel_after_and_errors() -> None:
    runner = SyncTaskRunner(cancel_after=2)
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        for i in range(10):
            check_cancelled(progress)
            progress.update(i, 10)

    runner.run(work, on_done=lambda _r: None, on_error=errors.append)
    assert isinstance(errors[0], Cancelled)
    assert len(runner.updates) == 2

    runner.run(lambda p: (_ for _ in ()).throw(_BadFile("kaputt")), on_done=lambda _r: None)
    assert str(runner.errors[-1]) == "kaputt"
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda p: 1 / 0, on_done=lambda _r: None)


def test_dialog_shows_even_without_progress_updates(qtbot, runner: TaskRunner) -> None:
    gate = threading.Event()
    handle = runner.run(lambda _p: gate.wait(10), on_done=lambda _r: None, title="Datei wird gelesen …")

    def visible_dialogs() -> list[QProgressDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]

    qtbot.waitUntil(lambda: len(visible_dialogs()) == 1, timeout=5000)
    assert visible_dialogs()[0].labelText() == "Datei wird gelesen …"
    gate.set()
    qtbot.waitUntil(handle.is_finished, timeout=5000)
    qtbot.waitUntil(lambda: not visible_dialogs(), timeout=5000)


def test_many_short_tasks_are_cleaned_up_on_the_gui_thread(qtbot) -> None:
    """Hundreds of tasks whose closures hold QObjects: no crash, nothing left behind."""
    from PySide6.QtCore import QObject

    from checkin.ui.tasks import _TaskController

    runner = TaskRunner(show_progress=False)
    results: list[int] = []
    for number in range(200):
        holder = QObject()  # only the task's closure keeps it alive
        runner.run(lambda _p, h=holder, n=number: (h.objectName(), n)[1], on_done=results.append)
        del holder
    assert runner.wait_until_idle(20000)
    assert sorted(results) == list(range(200))
    qtbot.waitUntil(lambda: not runner.findChildren(_TaskController), timeout=5000)
    runner.deleteLater()
