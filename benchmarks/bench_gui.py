"""Desk speed: start to a focused scan field, and a scanner burst to the result on screen.

1. Start: a fresh ``python`` process runs the app's composition root
   (``checkin.app.build_desk``) on the demo database until the scan field has
   the focus. Baseline in the same run: a fresh process that only opens a Qt
   window with a focused line edit. The first start (which creates the demo
   database) is reported on its own.
2. Scan: at 100,000 registrations, the code is sent to the scan field as key
   events (one press and release per character, then Enter, as a keyboard
   wedge scanner types it) and the event loop runs until the result is
   painted. Baselines in the same run: the engine's ``scan()`` alone, and the
   same key events into a bare QLineEdit.

    QT_QPA_PLATFORM=offscreen /work/venv/bin/python benchmarks/bench_gui.py [--registrations 100000]

Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIXED_NOW, fill_registrations, open_benchmark_db, summarize_ms

START_CHILD = r"""
import sys, time
from PySide6.QtWidgets import QApplication
from checkin.app import build_desk, build_parser
app = QApplication(sys.argv[:1])
args = build_parser().parse_args(["--db", sys.argv[1], "--settings", sys.argv[2], "--lang", "de"])
desk = build_desk(app, args)
app.processEvents()
field = desk.window.checkin_panel.scan_field
assert desk.window.focusWidget() is field, "scan field has no focus"
print("READY", flush=True)
desk.window.close()
desk.db.dispose()
"""

BASELINE_CHILD = r"""
import sys
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
field = QLineEdit()
window.setCentralWidget(field)
window.resize(1280, 800)
window.show()
field.setFocus()
app.processEvents()
assert window.focusWidget() is field
print("READY", flush=True)
"""


def _child_env(pycache: Path) -> dict[str, str]:
    """Children keep compiled bytecode (in a temporary folder), as an installed app has its .pyc files.

    Without it (``PYTHONDONTWRITEBYTECODE`` is set on some machines) every start compiles
    SQLAlchemy and friends from source, which says nothing about the app.
    """
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _time_child(code: str, *child_args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *child_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.wait(timeout=60)
    if line.strip() != "READY":
        raise RuntimeError(f"child did not get ready (exit {process.returncode})")
    return elapsed


def bench_start(folder: Path, runs: int) -> dict[str, object]:
    db_path = str(folder / "start.db")
    env = _child_env(folder / "pycache")
    first = _time_child(START_CHILD, db_path, str(folder / "desk.ini"), env=env)
    _time_child(BASELINE_CHILD, env=env)  # fills the bytecode cache for the baseline too
    starts, baselines = [], []
    for _run in range(runs):  # interleaved, so both see the same machine load
        starts.append(_time_child(START_CHILD, db_path, str(folder / "desk.ini"), env=env))
        baselines.append(_time_child(BASELINE_CHILD, env=env))
    median = statistics.median(starts)
    baseline = statistics.median(baselines)
    return {
        "first_start_with_demo_creation_s": round(first, 3),
        "note": "children keep .pyc files like an installed app; the first start also compiles them",
        "start_to_focused_scan_field_median_s": round(median, 3),
        "start_runs_s": [round(s, 3) for s in starts],
        "baseline_bare_qt_window_median_s": round(baseline, 3),
        "overhead_over_baseline_s": round(median - baseline, 3),
        "target_s": 1.5,
        "meets_target": median < 1.5,
    }


def _send_scan(app, widget, code: str) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for char in code:
        key = getattr(Qt.Key, f"Key_{char}", 0) if char.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            app.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        app.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))
    app.processEvents()


def bench_scan(folder: Path, registrations: int, scans: int) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication, QLineEdit

    from checkin.badges.service import BadgeService
    from checkin.domain.checkin_service import CheckInService
    from checkin.domain.search import SearchIndex
    from checkin.ui.context import DeskContext
    from checkin.ui.main_window import MainWindow
    from checkin.ui.qt_compat import protect_singletons
    from checkin.ui.settings import DeskSettings, SettingsStore
    from checkin.ui.tasks import TaskRunner
    from checkin.ui.theme import apply_theme

    protect_singletons()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app, scale=1.0)
    db, event = open_benchmark_db(folder / "scan.db")
    started = time.perf_counter()
    codes = fill_registrations(db, event, registrations)
    fill_seconds = time.perf_counter() - started

    def clock():
        return FIXED_NOW

    settings = DeskSettings(desk_name="Bench", sound=False)
    started = time.perf_counter()
    search = SearchIndex(db, event)
    index_seconds = time.perf_counter() - started
    context = DeskContext(
        db=db,
        event=event,
        checkin=CheckInService(db, event, desk="Bench", clock=clock),
        search=search,
        badges=BadgeService(db, event, desk="Bench", clock=clock),
        settings=settings,
        tasks=TaskRunner(app),
        clock=clock,
    )
    window = MainWindow(context, store=SettingsStore(folder / "bench.ini"))
    window.resize(1366, 768)
    window.show()
    window.focus_scan_field()
    app.processEvents()
    field = window.checkin_panel.scan_field
    view = window.checkin_panel.verdict_view

    window_samples = []
    for code in codes[:scans]:
        started = time.perf_counter()
        _send_scan(app, field, code)
        window_samples.append(time.perf_counter() - started)
        assert view.verdict is not None, "scan not shown"
        assert view.verdict.code == code
        assert view.verdict.admitted

    engine = CheckInService(db, event, desk="Bench engine", clock=clock)
    engine_samples = []
    for code in codes[scans : 2 * scans]:
        started = time.perf_counter()
        engine.scan(code, day=FIXED_NOW.date())
        engine_samples.append(time.perf_counter() - started)

    bare = QLineEdit()
    bare.resize(800, 40)
    bare.show()
    bare.returnPressed.connect(bare.clear)
    app.processEvents()
    bare_samples = []
    for code in codes[:scans]:
        started = time.perf_counter()
        _send_scan(app, bare, code)
        bare_samples.append(time.perf_counter() - started)

    window.close()
    bare.close()
    app.processEvents()
    db.dispose()
    result = summarize_ms(window_samples)
    return {
        "registrations": registrations,
        "fill_seconds": round(fill_seconds, 2),
        "search_index_build_s": round(index_seconds, 2),
        "keystrokes_enter_to_result_painted": result,
        "baseline_engine_scan_only": summarize_ms(engine_samples),
        "baseline_bare_qlineedit_keystrokes": summarize_ms(bare_samples),
        "target_median_ms": 50,
        "meets_target": result["median_ms"] < 50,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--start-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = {
            "start": bench_start(Path(folder), args.start_runs),
            "scan": bench_scan(Path(folder), args.registrations, args.scans),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
