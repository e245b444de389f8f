"""Dashboard cost at a large event, beside the engine's own statistics query in the same run.

- poll: the change-marker query (``watcher.read_marker``) the panel runs every 5 s (off the GUI thread);
- load: ``load_dashboard`` (marker + ``event_stats`` + attended-registered per session),
  which runs in a worker only when something changed;
- baseline_event_stats: ``event_stats`` alone (what ``CheckInService.stats()`` does);
- floor_count: raw sqlite3 ``SELECT count(*) FROM checkin_log`` on the same file;
- gui_show: the part on the GUI thread (tables, tiles, chart) for one loaded dashboard;
  must stay far below 100 ms so scanning never stalls.

    QT_QPA_PLATFORM=offscreen /work/venv/bin/python benchmarks/bench_dashboard.py [--people 50000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import fill_registrations, open_benchmark_db, summarize_ms

from checkin.domain.models import AuditEntry, CheckInLogEntry, Registration
from checkin.domain.statistics import event_stats, load_dashboard
from checkin.domain.watcher import read_marker


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _writer_wait(db, load) -> float:
    """How long another desk's small write waits while ``load`` runs in a thread."""
    import threading

    started = threading.Event()

    def run() -> None:
        started.set()
        load()

    thread = threading.Thread(target=run)
    thread.start()
    started.wait()
    time.sleep(0.05)  # let the load take its locks
    begin = time.perf_counter()
    with db.session_factory.begin() as session:
        session.add(AuditEntry(event_id=None, desk="bench", action="bench", detail={}))
    waited = time.perf_counter() - begin
    thread.join()
    return waited


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from checkin.ui.dashboard_panel import DashboardPanel
    from checkin.ui.tasks import SyncTaskRunner

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db, event = open_benchmark_db(path)
        fill_registrations(db, event, args.people)
        day = event.days[0]
        tz = event.tz
        rng = random.Random(5)
        with db.session_factory.begin() as session:
            ids = list(session.scalars(select(Registration.id).order_by(Registration.id)))
            arrived = [rid for rid in ids if rng.random() < 0.7]
            opening = dt.datetime.combine(day.date, dt.time(7, 30), tzinfo=tz)
            rows = [
                {
                    "event_id": event.id,
                    "registration_id": rid,
                    "day_id": day.id,
                    "session_id": None,
                    "scope": 0,
                    "seq": 0,
                    "action": "check_in",
                    "at": opening + dt.timedelta(seconds=rng.uniform(0, 3 * 3600)),
                    "desk": "Desk 1",
                    "note": "",
                }
                for rid in arrived
            ]
            workshop = event.workshops[0]
            rows += [
                dict(row, session_id=workshop.id, scope=workshop.id, at=row["at"] + dt.timedelta(hours=5))
                for row in rows[: len(rows) // 10]
            ]
            for start in range(0, len(rows), 10_000):
                session.execute(insert(CheckInLogEntry), rows[start : start + 10_000])
        now = dt.datetime.combine(day.date, dt.time(11, 0), tzinfo=tz)

        poll = _timed(lambda: read_marker(db, event.id), args.repeat * 3)
        load = _timed(lambda: load_dashboard(db, event, now), args.repeat)
        wait_reader = [_writer_wait(db, lambda: load_dashboard(db, event, now)) for _ in range(3)]

        def stats_on_write_path() -> None:  # what a read through BEGIN IMMEDIATE would cost others
            with db.write() as session:
                event_stats(session, event)

        wait_desk_engine = [_writer_wait(db, stats_on_write_path) for _ in range(3)]

        def stats_only() -> None:
            with db.read() as session:
                event_stats(session, event)

        baseline = _timed(stats_only, args.repeat)
        raw = sqlite3.connect(path)
        floor = _timed(lambda: raw.execute("SELECT count(*) FROM checkin_log").fetchone(), args.repeat * 3)
        raw.close()

        class _Context:  # the panel only reads these fields
            pass

        context = _Context()
        context.db, context.event, context.clock, context.tasks = db, event, lambda: now, SyncTaskRunner()
        panel = DashboardPanel(context)  # type: ignore[arg-type]
        panel.resize(1600, 1000)
        dashboard = load_dashboard(db, event, now)
        gui = _timed(lambda: panel._show(dashboard), args.repeat)
        panel.deleteLater()
        app.processEvents()
        db.dispose()

    print(
        json.dumps(
            {
                "people": args.people,
                "entrance_checkins": len(arrived),
                "poll_ms": summarize_ms(poll),
                "load_dashboard_ms": summarize_ms(load),
                "baseline_event_stats_ms": summarize_ms(baseline),
                "floor_raw_count_ms": summarize_ms(floor),
                "gui_show_ms": summarize_ms(gui),
                "other_desk_write_during_load_ms": {
                    "read_path_deferred": summarize_ms(wait_reader),
                    "write_path_begin_immediate": summarize_ms(wait_desk_engine),
                },
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
