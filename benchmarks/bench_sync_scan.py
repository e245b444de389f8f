"""Scans at joined desks: latency online and offline, and 8 desk processes through one hub (JSON).

Needs a PostgreSQL server (``$CHECKIN_BENCH_POSTGRES_URL``, default the CI one); works in a
schema of its own, dropped at the end. Every figure is measured for this tree ("after") and,
as its baseline in the same run, for the code of ``--baseline`` ("before", a git revision
exported into a temporary folder): child processes of the two alternate, round by round,
on the same hub and replicas (the machine's load then weighs on both alike).

- latency: one desk scanning people one after another: online (``OnlineFirstDesk``,
  decided by the hub), the check-in service straight on the hub, and offline (the desk in
  offline mode, decided by its replica);
- throughput: 8 desk processes scanning different people online at once (total scans per
  second, double admissions at the hub); then all 8 scanning the same people (each admitted
  exactly once).

The hub's planner statistics are refreshed after filling it, as an import does now (before
that, a freshly filled hub looked empty to the planner and every lookup filtered the
whole event: ``--stale-statistics`` measures that too).

    .venv/bin/python benchmarks/bench_sync_scan.py [--baseline REV] [--registrations 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import FIXED_NOW, fill_registrations, open_benchmark_db, summarize_ms

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql+psycopg://ci:ci@localhost:5432/ci"
DESKS = 8

# One child: scans ``codes`` (a JSON file) in the given mode; prints its timings as JSON.
CHILD = r"""
import datetime as dt, json, sys, time
mode, replica, codes_file, day, start_at = sys.argv[1:6]
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.sync.online import OnlineFirstDesk
now = dt.datetime.fromisoformat(sys.argv[6])
day = dt.date.fromisoformat(day)
codes = json.load(open(codes_file))
db = open_database(replica)
dead = sys.argv[7] if len(sys.argv) > 7 else None
desk = OnlineFirstDesk(db, desk="bench", clock=lambda: now, hub_url=dead)
if mode == "hub":
    service = desk._service()
    scan = lambda code: (service.scan(code, day=day), False)
else:
    def scan(code):
        result = desk.scan(code, day=day)
        return result.verdict, result.offline
if mode == "offline":
    for _ in range(2):  # two failures: the desk switches to offline mode by itself
        desk.scan("WARMUP-NOBODY", day=day)
    assert desk.offline_mode
else:
    for _ in range(5):  # connections and compiled statements warm (nobody is admitted)
        scan("WARMUP-NOBODY")
start = float(start_at)
while time.time() < start:
    time.sleep(0.001)
times, kinds, offline = [], {}, 0
began = time.time()
for code in codes:
    t0 = time.perf_counter()
    verdict, was_offline = scan(code)
    times.append(time.perf_counter() - t0)
    kinds[verdict.kind.value] = kinds.get(verdict.kind.value, 0) + 1
    offline += was_offline
ended = time.time()
desk.close()
import checkin
found = {"code": checkin.__file__, "times": times, "kinds": kinds, "offline": offline}
print(json.dumps({**found, "began": began, "ended": ended}))
"""


def _export(revision: str, folder: Path) -> Path:
    """The code of ``revision`` (its checkin package and resources) in ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "checkin", "resources"], check=True, capture_output=True
    ).stdout
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _child(
    root: Path, mode: str, replica: Path, codes: list[str], day: str, start: float, **extra: str
) -> Any:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(codes, handle)
    argv = [
        sys.executable,
        "-c",
        CHILD,
        mode,
        str(replica),
        handle.name,
        day,
        str(start),
        FIXED_NOW.isoformat(),
    ]
    if "dead" in extra:
        argv.append(extra["dead"])
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root
    )


def _result(process: subprocess.Popen[str], root: Path) -> dict[str, Any]:
    out, err = process.communicate(timeout=900)
    if process.returncode != 0:
        raise RuntimeError(err)
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    assert found["code"].startswith(str(root)), (found["code"], root)  # the variant's own code ran
    return found


def _copy_desk(joined: Path, target: Path, name: str) -> Path:
    """Another desk of the hub: a copy of a joined replica with its own identity (and the hub's
    password kept under it, as ``desk join`` does)."""
    import sqlite3

    from checkin.domain.secrets import load_secret, store_secret
    from checkin.sync.join import password_key

    shutil.copy(joined, target)
    desk_id = uuid.uuid4().hex
    with sqlite3.connect(target) as conn:
        (old,) = conn.execute("SELECT desk_id FROM sync_state").fetchone()
        conn.execute("UPDATE sync_state SET desk_id = ?, desk_name = ?", (desk_id, name))
    password = load_secret(password_key(old))
    if password is not None:
        store_secret(password_key(desk_id), password)
    return target


def _double_admissions(url: str) -> tuple[int, int]:
    """(people admitted more than once, check-in rows) at the hub."""
    engine = create_engine(url)
    with engine.connect() as conn:
        doubles = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT registration_id FROM checkin_log WHERE action = 'check_in' "
                "GROUP BY registration_id, day_id, scope HAVING count(*) > 1) d"
            )
        ).scalar_one()
        rows = conn.execute(text("SELECT count(*) FROM checkin_log WHERE action = 'check_in'")).scalar_one()
    engine.dispose()
    return int(doubles), int(rows)


def _throughput(
    root: Path, desks: list[Path], codes_per_desk: list[list[str]], day: str, url: str
) -> dict[str, Any]:
    before = _double_admissions(url)
    start = time.time() + 8.0  # every child imported and warm before the common start
    children = [_child(root, "online", d, c, day, start) for d, c in zip(desks, codes_per_desk, strict=True)]
    results = [_result(c, root) for c in children]
    doubles, rows = _double_admissions(url)
    began = min(r["began"] for r in results)
    ended = max(r["ended"] for r in results)
    scans = sum(len(r["times"]) for r in results)
    kinds: dict[str, int] = {}
    for r in results:
        for kind, count in r["kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    return {
        "desks": len(desks),
        "scans": scans,
        "seconds": round(ended - began, 3),
        "scans_per_second": round(scans / (ended - began), 1),
        "verdicts": kinds,
        "offline_verdicts": sum(r["offline"] for r in results),
        "check_ins_written": rows - before[1],
        "people_admitted_twice": doubles - before[0],
        "per_scan": summarize_ms([t for r in results for t in r["times"]]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default="HEAD~1", help="git revision measured as 'before'")
    parser.add_argument("--registrations", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=600, help="per latency figure and variant")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--throughput-scans", type=int, default=400, help="per desk process")
    parser.add_argument("--stale-statistics", action="store_true", help="also measure before ANALYZE")
    args = parser.parse_args()
    base = os.environ.get("CHECKIN_BENCH_POSTGRES_URL", DEFAULT_URL)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-scan-"))
    os.environ.setdefault("CHECKIN_SECRETS_FILE", str(folder / "secrets.json"))
    revision = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.baseline],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    result: dict[str, Any] = {
        "benchmark": "sync_scan",
        "registrations": args.registrations,
        "baseline_revision": revision,
        "load_average_at_start": list(os.getloadavg()),
    }
    # This tree as it is now (edits made while the benchmark runs do not reach its children).
    after = folder / "after"
    for part in ("checkin", "resources"):
        shutil.copytree(ROOT / part, after / part, ignore=shutil.ignore_patterns("__pycache__"))
    roots = {"before": _export(args.baseline, folder / "before"), "after": after}
    try:
        hub_db, event = open_benchmark_db(url)  # type: ignore[arg-type]
        codes = fill_registrations(hub_db, event, args.registrations)
        from checkin.sync.join import join

        joined = folder / "desk-0.db"
        from checkin.domain.db import open_database

        replica = open_database(joined)
        join(replica, url, "desk-0")
        replica.dispose()
        day1, day2 = (d.date.isoformat() for d in event.days[:2])
        pool = iter(codes)

        def take(n: int) -> list[str]:
            return [next(pool) for _ in range(n)]

        def latency(mode: str, replica_file: Path, day: str, **extra: str) -> dict[str, Any]:
            per = max(1, args.scans // args.rounds)
            samples: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(args.rounds):
                for variant in ("before", "after"):
                    root = roots[variant]
                    out = _result(_child(root, mode, replica_file, take(per), day, 0.0, **extra), root)
                    assert out["offline"] == (per if mode == "offline" else 0), out["offline"]
                    samples[variant] += out["times"]
            return {
                "after": summarize_ms(samples["after"]),
                "before": summarize_ms(samples["before"]),
            }

        if args.stale_statistics:
            result["online_scan_stale_statistics"] = latency("online", joined, day1)
        with hub_db.write() as session:
            session.execute(text("ANALYZE registrations, registration_days, registration_sessions"))
        result["online_scan"] = {
            **latency("online", joined, day1),
            "targets": {"median_ms": 5, "p99_ms": 20},
        }
        result["service_on_hub"] = latency("hub", joined, day1)
        dead = url.replace("localhost:5432", "127.0.0.1:9")
        offline_desk = _copy_desk(joined, folder / "offline.db", "offline")
        result["offline_scan"] = {
            **latency("offline", offline_desk, day2, dead=dead),
            "targets": {"median_ms": 2},
        }

        desks = [_copy_desk(joined, folder / f"desk-{i + 1}.db", f"desk-{i + 1}") for i in range(DESKS)]
        n = args.throughput_scans
        throughput: dict[str, dict[str, Any]] = {"before": {}, "after": {}}
        for variant in ("before", "after"):  # alternating, as the latency rounds
            codes_per_desk = [take(n) for _ in desks]
            throughput[variant]["different_people"] = _throughput(
                roots[variant], desks, codes_per_desk, day1, url
            )
        for variant in ("before", "after"):
            same_people = take(n)
            same = _throughput(roots[variant], desks, [list(same_people) for _ in desks], day2, url)
            throughput[variant]["same_people"] = {**same, "people": n}
        result["throughput_after"] = throughput["after"]
        result["throughput_before"] = throughput["before"]
        result["throughput_targets"] = {"scans_per_second": 500, "people_admitted_twice": 0}
        result["load_average_at_end"] = list(os.getloadavg())
        hub_db.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
