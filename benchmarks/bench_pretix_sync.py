"""A pretix desk on the sync engine against a real local pretix (``.ci/pretix-server``), JSON out.

- first_download: ``PretixService.connect`` into an empty database: the shop's positions plus
  N bulk orders (issue 11's bound: 10,000 positions in < 60 s), with the time spent waiting for
  pretix's answers;
- scan_online: scans at a pretix desk through ``OnlineFirstDesk`` (pretix decides with
  ``checkinrpc/redeem``, the desk records the check-in locally): p50 < 150 ms;
- upload_queued: M check-ins recorded while offline (local scans, in the outbox), then one
  ``sync --once`` round (``worker_for(db).run_once()``) sends them: < 30 s for 1,000. pretix's
  check-in list count is the witness that every one arrived, once.

    .venv/bin/python benchmarks/bench_pretix_sync.py [--positions 10000] [--scans 200] [--queued 1000]

Starts its own pretix (the first run installs it into the cache folder) and stops it at the end.
pretix runs as ``runserver`` on SQLite (what ``.ci`` has): one process, its threads share one
core's worth of Python; a production pretix (gunicorn workers, PostgreSQL) answers faster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.helpers: the TCP proxy

from _common import summarize_ms
from sqlalchemy import func, select

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.domain.models import Registration, SyncOutbox
from checkin.pretix.client import PretixClient
from checkin.pretix.service import PretixService
from checkin.pretix.upload import DEFAULT_WORKERS, PretixLink
from checkin.sync.desk_link import online_hub_for, worker_for
from checkin.sync.online import OnlineFirstDesk
from checkin.sync.replica import status as sync_status
from checkin.sync.worker import SyncWorker
from tests.helpers.tcp_proxy import TcpProxy

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "pretix-server"
DAY = dt.date(2030, 9, 17)


class TimedClient(PretixClient):
    """The client, adding up the time spent waiting for pretix (the rest is checkin's own work)."""

    waited = 0.0
    requests = 0

    def exchange(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return super().exchange(*args, **kwargs)
        finally:
            TimedClient.waited += time.perf_counter() - started
            TimedClient.requests += 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--positions", type=int, default=10_000, help="orders of one ticket added to the shop"
    )
    parser.add_argument("--scans", type=int, default=200, help="online scans to time")
    parser.add_argument("--queued", type=int, default=1_000, help="offline check-ins to upload")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=25.0,
        help="delay each way for the upload over a slow network (a TCP proxy), by upload workers",
    )
    parser.add_argument("--latency-queued", type=int, default=200, help="check-ins per slow-network upload")
    parser.add_argument(
        "--server-workers",
        type=int,
        default=0,
        help="serve pretix with N gunicorn workers (default: runserver, as the tests do)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pretix-sync-") as tmp:
        state = Path(tmp) / "pretix"
        started = time.monotonic()
        extra = ["--workers", str(args.server_workers)] if args.server_workers else []
        command = [
            sys.executable,
            str(SCRIPT),
            "start",
            "--state",
            str(state),
            "--bulk-orders",
            str(args.positions),
            *extra,
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        server_start_s = time.monotonic() - started
        env = dict(
            line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines() if "=" in line
        )
        os.environ["CHECKIN_SECRETS_FILE"] = str(Path(tmp) / "secrets" / "secrets.json")
        url, token = env["CHECKIN_TEST_PRETIX_URL"], env["CHECKIN_TEST_PRETIX_TOKEN"]
        organizer, event = env["CHECKIN_TEST_PRETIX_ORGANIZER"], env["CHECKIN_TEST_PRETIX_EVENT"]
        try:
            report = _measure(Path(tmp), url, token, organizer, event, args)
        finally:
            subprocess.run([sys.executable, str(SCRIPT), "stop", "--state", str(state)], check=False)
    report = {
        "benchmark": "pretix_sync",
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "pretix_server": (
            f"gunicorn, {args.server_workers} workers" if args.server_workers else "runserver (threaded)"
        )
        + " on SQLite (WAL, BEGIN IMMEDIATE), loopback",
        "pretix_server_start_s": round(server_start_s, 1),
        **report,
    }
    print(json.dumps(report, indent=2))
    return 0


def _measure(tmp: Path, url: str, token: str, organizer: str, event: str, args: argparse.Namespace) -> dict:
    db = open_database(tmp / "desk.db")
    service = PretixService(db, client_factory=TimedClient)
    started = time.perf_counter()
    connected = service.connect(url, token, organizer, event, desk_name="Bench")
    first_s = time.perf_counter() - started
    first = {
        "positions": connected.download.positions,
        "registrations": connected.download.added,
        "seconds": round(first_s, 2),
        "positions_per_s": round(connected.download.positions / first_s, 1),
        # Summed over the requests, three of which are under way at once: more than the wall clock.
        "request_seconds_summed": round(TimedClient.waited, 2),
        "requests": TimedClient.requests,
        "bound_s_for_10000": 60,
    }
    info = EventService(db).get(event)
    list_id = connected.checkin_list[0] if connected.checkin_list else 0
    with db.read() as session:
        codes = list(
            session.scalars(
                select(Registration.code)
                .where(Registration.event_id == info.id, Registration.order_code.like("B%"))
                .order_by(Registration.id)
                .limit(args.scans + args.queued + 2 * args.latency_queued)
            )
        )
    online, queued = codes[: args.scans], codes[args.scans : args.scans + args.queued]
    slow = codes[args.scans + args.queued :]

    desk = OnlineFirstDesk(db, desk="Bench", hub=online_hub_for(db, desk="Bench"))
    samples, admitted, offline = [], 0, 0
    try:
        for code in online:
            started = time.perf_counter()
            scan = desk.scan(code, day=DAY)
            samples.append(time.perf_counter() - started)
            admitted += scan.verdict.admitted
            offline += scan.offline
    finally:
        desk.close()

    local = CheckInService(db, info, desk="Bench")
    for code in queued:  # recorded while "offline": straight into the local copy and its outbox
        local.scan(code, day=DAY)
    with db.read() as session:
        waiting = int(session.scalar(select(func.count()).where(SyncOutbox.acked == 0)) or 0)
    worker = worker_for(db)
    started = time.perf_counter()
    worker.upload()
    upload_s = time.perf_counter() - started
    worker.download()  # what a sync round does next: the orders the check-ins touched
    round_s = time.perf_counter() - started
    worker.close()
    status = sync_status(db)
    over_latency = {}
    if args.latency_ms > 0:
        host, port = url.removeprefix("http://").split(":")
        proxy = TcpProxy(host, int(port))
        proxy.delay(args.latency_ms / 1000)
        try:
            for index, workers in enumerate((1, DEFAULT_WORKERS)):
                part = slow[index * args.latency_queued : (index + 1) * args.latency_queued]
                for code in part:
                    local.scan(code, day=DAY)
                link = PretixLink(
                    db, workers=workers, client=PretixClient(f"http://{host}:{proxy.port}", token)
                )
                started = time.perf_counter()
                SyncWorker(db, link=link).upload()
                seconds = time.perf_counter() - started
                over_latency[f"workers_{workers}"] = {
                    "check_ins": len(part),
                    "seconds": round(seconds, 2),
                    "per_s": round(len(part) / seconds, 1),
                    "projected_1000_s": round(1000 * seconds / len(part), 1),
                }
        finally:
            proxy.close()
    witness = PretixClient(url, token).get(f"organizers/{organizer}/events/{event}/checkinlists/{list_id}/")
    db.dispose()
    return {
        "first_download": first,
        "scan_online": {
            **summarize_ms(samples),
            "admitted": admitted,
            "offline": offline,
            "bound_p50_ms": 150,
        },
        "upload_queued": {
            "check_ins": waiting,
            "upload_s": round(upload_s, 2),
            "sync_round_with_download_s": round(round_s, 2),
            "per_s": round(waiting / upload_s, 1),
            "left_queued": status.queued,
            "conflicts": status.conflicts,
            "pretix_checkin_count": witness.get("checkin_count"),
            # A scan decided offline (pretix slower than the bound) is also in the queue: counted once.
            "expected_checkin_count": admitted
            - offline
            + waiting
            + sum(v["check_ins"] for v in over_latency.values()),
            "bound_s_for_1000": 30,
        },
        "upload_over_latency": {"delay_each_way_ms": args.latency_ms, **over_latency},
    }


if __name__ == "__main__":
    sys.exit(main())
