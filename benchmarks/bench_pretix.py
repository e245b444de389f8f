"""pretix against a real local pretix (``.ci/pretix-server start --bulk-orders N``), JSON out.

- first_download: ``pretix connect`` into an empty database, N + the shop's positions
  (issue 11's bound: 10,000 positions in < 60 s);
- incremental_download: a second ``download`` right after (nothing changed: one page);
- scan_online: ``checkinrpc/redeem`` of different tickets one after another, each with its
  own nonce (bound: p50 < 150 ms).

    .venv/bin/python benchmarks/bench_pretix.py [--positions 10000] [--scans 200]

Starts its own pretix (the first run installs it into the cache folder) and stops it at the end.
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
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import summarize_ms
from sqlalchemy import select

from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.domain.models import Registration
from checkin.pretix.client import PretixClient
from checkin.pretix.redeem import redeem
from checkin.pretix.service import PretixService

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "pretix-server"


class TimedClient(PretixClient):
    """The client, adding up the time spent waiting for pretix (the rest is checkin's own work)."""

    waited = 0.0

    def exchange(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return super().exchange(*args, **kwargs)
        finally:
            TimedClient.waited += time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--positions", type=int, default=10_000, help="orders of one ticket added to the shop"
    )
    parser.add_argument("--scans", type=int, default=200, help="online scans to time")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pretix-") as tmp:
        state = Path(tmp) / "pretix"
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                str(SCRIPT),
                "start",
                "--state",
                str(state),
                "--bulk-orders",
                str(args.positions),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        server_start_s = time.monotonic() - started
        env = dict(
            line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines() if "=" in line
        )
        os.environ["CHECKIN_SECRETS_DIR"] = str(Path(tmp) / "secrets")
        url, token = env["CHECKIN_TEST_PRETIX_URL"], env["CHECKIN_TEST_PRETIX_TOKEN"]
        organizer, event = env["CHECKIN_TEST_PRETIX_ORGANIZER"], env["CHECKIN_TEST_PRETIX_EVENT"]
        try:
            db = open_database(Path(tmp) / "desk.db")
            service = PretixService(db, client_factory=TimedClient)
            started = time.perf_counter()
            connected = service.connect(url, token, organizer, event)
            first_s = time.perf_counter() - started
            first_waited = TimedClient.waited
            started = time.perf_counter()
            again = service.download(event)
            incremental_s = time.perf_counter() - started

            info = EventService(db).get(event)
            list_id = connected.checkin_list[0] if connected.checkin_list else 0
            with db.read() as session:
                codes = list(
                    session.scalars(
                        select(Registration.code)
                        .where(Registration.event_id == info.id, Registration.order_code.like("B%"))
                        .limit(args.scans)
                    )
                )
            client = PretixClient(url, token)
            samples, admitted = [], 0
            for code in codes:
                started = time.perf_counter()
                answer = redeem(
                    client, organizer, secret=code, list_id=list_id, nonce=uuid.uuid4().hex,
                    happened_at=dt.datetime.now(dt.UTC),
                )  # fmt: skip
                samples.append(time.perf_counter() - started)
                admitted += answer.admitted
            db.dispose()
        finally:
            subprocess.run([sys.executable, str(SCRIPT), "stop", "--state", str(state)], check=False)
    report = {
        "benchmark": "pretix",
        "load_average": os.getloadavg()[0],
        "pretix_server_start_s": round(server_start_s, 1),
        "first_download": {
            "positions": connected.download.positions,
            "registrations": connected.download.added,
            "seconds": round(first_s, 2),
            "positions_per_s": round(connected.download.positions / first_s, 1),
            "waiting_for_pretix_s": round(first_waited, 2),
            "bound_s_for_10000": 60,
        },
        "incremental_download": {"positions": again.positions, "seconds": round(incremental_s, 3)},
        "scan_online": {**summarize_ms(samples), "admitted": admitted, "bound_p50_ms": 150},
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
