"""kill -9 at a pretix desk: every check-in reaches pretix exactly once (pretix's API is the witness).

Real processes, killed with SIGKILL: after the local commits and before any upload, and in the
middle of an upload (slowed by a proxy so that the kill lands inside it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from checkin.domain.db import open_database
from checkin.domain.models import CheckInLogEntry, SyncOutbox
from checkin.pretix.service import PretixService
from tests.helpers.desk_process import desk_env, finish_sync, sync_once
from tests.helpers.pretix import PretixServer
from tests.helpers.pretix import entries_at_pretix as entries
from tests.helpers.pretix import make_tickets as tickets
from tests.helpers.tcp_proxy import TcpProxy

SCANNER = """
import sys, datetime as dt
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.domain.checkin_service import CheckInService
db = open_database(sys.argv[1], migrate=False)
service = CheckInService(db, EventService(db).get(), desk="K")
for code in sys.argv[2:]:
    service.scan(code, day=dt.date(2030, 9, 17))
    print("committed", code, flush=True)
print("all committed", flush=True)
import time
time.sleep(60)
"""


@pytest.fixture
def proxy(pretix: PretixServer):  # type: ignore[no-untyped-def]
    parts = urlsplit(pretix.url)
    made = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 80)
    yield made
    made.close()


@pytest.fixture
def pretix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PretixServer:
    from tests.helpers.pretix import pretix_server

    server = pretix_server()
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))
    return server


def _scan_and_kill(local: Path, codes: list[str]) -> None:
    """A desk process records every scan (offline: a plain local check-in), then dies by SIGKILL."""
    process = subprocess.Popen(
        [sys.executable, "-c", SCANNER, str(local), *codes], stdout=subprocess.PIPE, text=True, env=desk_env()
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("all committed"):
            break
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()


def _counts(local: Path) -> tuple[int, int]:
    """Check-ins in the local log, and outbox rows pretix has acknowledged."""
    db = open_database(local, migrate=False)
    try:
        with db.read() as session:
            log = int(session.scalar(select(func.count()).select_from(CheckInLogEntry)) or 0)
            acked = int(session.scalar(select(func.count()).where(SyncOutbox.acked == 1)) or 0)
        return log, acked
    finally:
        db.dispose()


def _connected(pretix: PretixServer, tmp_path: Path, url: str) -> Path:
    local = tmp_path / "desk.db"
    db = open_database(local)
    PretixService(db).connect(url, pretix.token, pretix.organizer, pretix.event, desk_name="K")
    db.dispose()
    return local


def test_kill_between_local_commit_and_upload(pretix: PretixServer, tmp_path: Path):
    made = tickets(pretix, 12)
    local = _connected(pretix, tmp_path, pretix.url)
    _scan_and_kill(local, [t["secret"] for t in made])
    assert _counts(local) == (12, 0)
    finish_sync(local, timeout=180)
    assert _counts(local) == (12, 12)
    assert [len(entries(pretix, t["id"])) for t in made] == [1] * 12


def test_kill_during_upload_then_the_next_sync_sends_the_rest_once(
    pretix: PretixServer, proxy: TcpProxy, tmp_path: Path
):
    made = tickets(pretix, 24)
    local = _connected(pretix, tmp_path, f"http://127.0.0.1:{proxy.port}")
    _scan_and_kill(local, [t["secret"] for t in made])
    proxy.delay(0.05)  # every chunk late: the upload takes seconds
    acked_at_kill = []
    for _round in range(2):
        before = _counts(local)[1]
        syncing = sync_once(local)
        deadline = time.monotonic() + 60
        while _counts(local)[1] < before + 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(syncing.pid, signal.SIGKILL)
        syncing.communicate()
        acked_at_kill.append(_counts(local)[1])
    # The kills did land inside the upload: some check-ins were acknowledged, not all.
    assert 0 < acked_at_kill[0] < acked_at_kill[-1] < 24, acked_at_kill
    proxy.restore()
    finish_sync(local, timeout=180)
    assert _counts(local) == (24, 24)
    assert [len(entries(pretix, t["id"])) for t in made] == [1] * 24
