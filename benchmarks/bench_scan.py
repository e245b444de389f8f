"""Scan to verdict, including the durable commit, at 100,000 registrations (SQLite).

Baseline in the same run: a bare indexed SQLAlchemy lookup of the code plus
one insert and commit, on the same database file and engine settings.

    /work/venv/bin/python benchmarks/bench_scan.py [--registrations 100000] [--scans 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIXED_NOW, fill_registrations, open_benchmark_db, summarize_ms

from checkin.domain.checkin_service import CheckInService
from checkin.domain.models import CheckInLogEntry, LogAction, Registration
from checkin.domain.verdicts import VerdictKind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db, event = open_benchmark_db(Path(folder) / "bench.db")
        try:
            started = time.perf_counter()
            codes = fill_registrations(db, event, args.registrations)
            fill_seconds = time.perf_counter() - started
            rng = random.Random(7)
            sample = rng.sample(codes, min(args.scans * 2, len(codes)))
            first_day, second_day = event.days[0], event.days[1]

            service = CheckInService(db, event, desk="bench", clock=lambda: FIXED_NOW)

            def bare_scan(code: str) -> None:
                """Baseline: bare indexed lookup by code + one insert + commit (second day)."""
                with db.session_factory.begin() as session:
                    registration_id = session.scalar(
                        select(Registration.id).where(
                            Registration.event_id == event.id, Registration.code == code
                        )
                    )
                    session.execute(
                        insert(CheckInLogEntry.__table__).values(
                            event_id=event.id,
                            registration_id=registration_id,
                            day_id=second_day.id,
                            session_id=None,
                            scope=0,
                            seq=0,
                            action=LogAction.CHECK_IN,
                            at=FIXED_NOW,
                            desk="baseline",
                            note="",
                        )
                    )

            # Interleaved, so that the machine's load and the disk hit both alike.
            baseline, first_scans, repeat_scans, unknown_scans = [], [], [], []
            kinds: dict[str, int] = {}
            for bare_code, code in zip(sample[: args.scans], sample[args.scans :], strict=True):
                t0 = time.perf_counter()
                bare_scan(bare_code)
                baseline.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                verdict = service.scan(code + "\r\n", day=first_day.date)
                first_scans.append(time.perf_counter() - t0)
                kinds[verdict.kind.value] = kinds.get(verdict.kind.value, 0) + 1
            for code in sample[args.scans : args.scans + 500]:
                t0 = time.perf_counter()
                verdict = service.scan(code, day=first_day.date)
                repeat_scans.append(time.perf_counter() - t0)
                assert verdict.kind is VerdictKind.ALREADY_CHECKED_IN
            for index in range(500):
                t0 = time.perf_counter()
                service.scan(f"NOPE{index}", day=first_day.date)
                unknown_scans.append(time.perf_counter() - t0)
            stats_times = []
            for _ in range(5):
                t0 = time.perf_counter()
                stats = service.stats()
                stats_times.append(time.perf_counter() - t0)
            assert stats.days[0].arrived == len(first_scans)
            gauge_times = []
            for _ in range(50):
                t0 = time.perf_counter()
                service.session_gauge("zw-bass", first_day.date)
                gauge_times.append(time.perf_counter() - t0)
            result = {
                "benchmark": "scan",
                "registrations": args.registrations,
                "fill_seconds": round(fill_seconds, 2),
                "scan_check_in": summarize_ms(first_scans),
                "scan_already_checked_in": summarize_ms(repeat_scans),
                "scan_unknown": summarize_ms(unknown_scans),
                "baseline_bare_lookup_insert_commit": summarize_ms(baseline),
                "stats_dashboard": summarize_ms(stats_times),
                "session_gauge": summarize_ms(gauge_times),
                "verdicts": kinds,
                "targets": {"median_ms": 5, "p99_ms": 20},
            }
            result["overhead_median_ms"] = round(
                result["scan_check_in"]["median_ms"]
                - result["baseline_bare_lookup_insert_commit"]["median_ms"],
                3,
            )
            print(json.dumps(result, indent=2))
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
