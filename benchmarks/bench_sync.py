"""Hub and replicas: join, online and offline scans, propagation, a backlog upload (JSON).

Needs a PostgreSQL server (``$CHECKIN_BENCH_POSTGRES_URL``, default the CI one); works in
a schema of its own, dropped at the end. Baselines from the same run, beside each figure:

- join: a bare read of every registration row from the hub (no local writes);
- online scan: the same check-in service straight on the hub (no replica, no bound);
- offline scan: the check-in service on the replica (no online-first wrapper);
- backlog upload: a bare multi-row INSERT of the same number of log rows at the hub.

    .venv/bin/python benchmarks/bench_sync.py [--registrations 100000] [--scans 1000] [--backlog 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import FIXED_NOW, fill_registrations, open_benchmark_db, summarize_ms

from checkin.domain.checkin_service import CheckInService
from checkin.domain.checkin_store import refresh_lookup_statistics
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.domain.models import CheckInLogEntry, LogAction, Registration
from checkin.sync.online import OnlineFirstDesk
from checkin.sync.worker import SyncWorker

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql+psycopg://ci:ci@localhost:5432/ci"
JOIN_SCRIPT = """
import sys, time
from checkin.domain.db import open_database
from checkin.sync.join import join
db = open_database(sys.argv[1])
started = time.perf_counter()
result = join(db, sys.argv[2], "bench-join")
print(time.perf_counter() - started, result.registrations)
"""


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000, 3)


def _join_in_child(local: Path, url: str) -> tuple[float, int, int]:
    """Join in a process of its own: seconds, registrations, and its peak RSS in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", JOIN_SCRIPT, str(local), url],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    seconds, count = done.stdout.split()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return float(seconds), int(count), peak_kb // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--propagations", type=int, default=100)
    args = parser.parse_args()
    base = os.environ.get("CHECKIN_BENCH_POSTGRES_URL", DEFAULT_URL)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    os.environ.setdefault("CHECKIN_SECRETS_FILE", str(Path(tempfile.gettempdir()) / f"{schema}-secrets.json"))
    result: dict[str, object] = {"benchmark": "sync", "registrations": args.registrations}
    try:
        with tempfile.TemporaryDirectory() as folder:
            hub_db, event = open_benchmark_db(url)  # type: ignore[arg-type]
            started = time.perf_counter()
            codes = fill_registrations(hub_db, event, args.registrations)
            with hub_db.write() as session:  # as an import does: the planner knows the new rows
                refresh_lookup_statistics(session)
            result["hub_fill_seconds"] = round(time.perf_counter() - started, 2)

            started = time.perf_counter()
            with hub_db.read() as session:
                rows = session.execute(select(Registration.__table__)).all()
            result["baseline_bare_read_of_all_registrations_seconds"] = round(
                time.perf_counter() - started, 2
            )
            del rows
            seconds, count, peak_mb = _join_in_child(Path(folder) / "join.db", url)
            assert count == args.registrations
            result["first_join"] = {
                "seconds": round(seconds, 2),
                "peak_rss_mb": peak_mb,
                "targets": {"seconds": 30, "peak_rss_mb": 500},
            }

            # Two desks joined (copies of the joined file would do; joining is what is measured above).
            desks = {}
            for name in ("A", "B"):
                db = open_database(Path(folder) / f"{name}.db")
                from checkin.sync.join import join

                join(db, url, name)
                desks[name] = db
            a_db, b_db = desks["A"], desks["B"]
            hub_service = CheckInService(hub_db, event, desk="baseline", clock=lambda: FIXED_NOW)
            day1, day2 = event.days[0].date, event.days[1].date

            online = OnlineFirstDesk(a_db, desk="A", clock=lambda: FIXED_NOW)
            online_times, baseline_times, offline_flags = [], [], 0
            sample = codes[: args.scans * 2]
            for own, base_code in zip(sample[: args.scans], sample[args.scans :], strict=True):
                t0 = time.perf_counter()
                hub_service.scan(base_code, day=day2)
                baseline_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                scanned = online.scan(own, day=day1)
                online_times.append(time.perf_counter() - t0)
                offline_flags += scanned.offline
            online.close()
            result["online_scan"] = {
                **summarize_ms(online_times),
                "offline_verdicts": offline_flags,
                "baseline_service_on_hub": summarize_ms(baseline_times),
                "targets": {"median_ms": 5, "p99_ms": 20},
            }

            # Offline: a hub address nobody answers at; two failures switch the desk to offline mode.
            dead = url.replace("localhost:5432", "127.0.0.1:9")
            offline = OnlineFirstDesk(b_db, desk="B", clock=lambda: FIXED_NOW, hub_url=dead)
            local = CheckInService(b_db, EventService(b_db).get(), desk="B", clock=lambda: FIXED_NOW)
            offline_codes = codes[args.scans * 2 : args.scans * 4]
            for code in offline_codes[:2]:
                offline.scan(code, day=day2)
            assert offline.offline_mode
            offline_times, local_times = [], []
            for own, base_code in zip(
                offline_codes[2 : args.scans + 2], offline_codes[args.scans + 2 :], strict=False
            ):
                t0 = time.perf_counter()
                offline.scan(own, day=day2)
                offline_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                local.scan(base_code, day=day2)
                local_times.append(time.perf_counter() - t0)
            offline.close()
            result["offline_scan"] = {
                **summarize_ms(offline_times),
                "baseline_service_on_replica": summarize_ms(local_times),
                "targets": {"median_ms": 2},
            }

            # Backlog: B's offline scans plus more local check-ins, uploaded in one go.
            more = args.backlog - len(offline_times) - len(local_times) - 2
            for code in codes[args.scans * 4 : args.scans * 4 + max(0, more)]:
                local.scan(code, day=day2)
            worker_b = SyncWorker(b_db)
            t0 = time.perf_counter()
            sent, _changes = worker_b.upload()
            upload_seconds = time.perf_counter() - t0
            rows_for_baseline = [
                {
                    "event_id": event.id,
                    "registration_id": 1,
                    "day_id": event.days[1].id,
                    "scope": 1_000_000 + i,
                    "seq": 0,
                    "action": LogAction.CHECK_IN,
                    "at": FIXED_NOW,
                    "desk": "baseline",
                    "note": "",
                }
                for i in range(sent)
            ]
            t0 = time.perf_counter()
            with hub_db.write() as session:
                session.execute(insert(CheckInLogEntry.__table__), rows_for_baseline)
                session.rollback()
            result["backlog_upload"] = {
                "facts": sent,
                "seconds": round(upload_seconds, 2),
                "baseline_bare_insert_seconds": round(time.perf_counter() - t0, 2),
                "targets": {"seconds": 10},
            }

            # Propagation: a check-in at A (online, at the hub) until it is in B's replica. Both desks
            # run their sync loops (a verdict A had to make alone travels by A's upload).
            stop = threading.Event()
            workers = [SyncWorker(a_db, interval=30), SyncWorker(b_db, interval=30)]
            for worker in workers:  # catch up first (B gets its 10,000 backlog facts back, confirmed)
                worker.run_once()
            threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in workers]
            for thread in threads:
                thread.start()
            time.sleep(1.5)
            online = OnlineFirstDesk(a_db, desk="A", clock=lambda: FIXED_NOW, on_recorded=workers[0].wake)
            delays, offline_in_propagation = [], 0
            for code in codes[args.scans * 4 + max(0, more) :][: args.propagations]:
                t0 = time.perf_counter()
                scanned = online.scan(code, day=day1)
                offline_in_propagation += scanned.offline
                while True:
                    with b_db.read() as session:
                        arrived = session.scalar(
                            select(func.count())
                            .select_from(CheckInLogEntry)
                            .where(CheckInLogEntry.nonce == scanned.nonce)
                        )
                    if arrived or time.perf_counter() - t0 > 10:
                        break
                    time.sleep(0.002)
                delays.append(time.perf_counter() - t0)
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
            online.close()
            result["propagation_a_to_b"] = {
                **summarize_ms(delays),
                "p95_ms": _p95(delays),
                "targets": {"p95_ms": 1000},
                "offline_verdicts": offline_in_propagation,
                "median_of_online_scan_ms": round(statistics.median(online_times) * 1000, 3),
            }
            for db in (a_db, b_db, hub_db):
                db.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
