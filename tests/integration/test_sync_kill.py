"""kill -9 anywhere at a joined desk: every fact reaches the hub exactly once.

Real processes, killed with SIGKILL: while scanning (before or after a local commit),
between the local commit and the upload, and during the upload (slowed by a proxy so
that the kill lands in the middle of it).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.domain.db import open_database
from checkin.domain.models import CheckInLogEntry, SyncFact, SyncOutbox
from checkin.sync.join import join
from tests.helpers.desk_process import ROOT, desk_env, finish_sync, sync_once
from tests.helpers.sync_hub import HubForTests
from tests.helpers.tcp_proxy import proxy_to

SCANNER = """
import sys, datetime as dt
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.domain.checkin_service import CheckInService
db = open_database(sys.argv[1], migrate=False)
now = dt.datetime(2024, 9, 19, 8, tzinfo=dt.UTC)
service = CheckInService(db, EventService(db).get(), desk="K", clock=lambda: now)
for code in sys.argv[2:]:
    service.scan(code, day=dt.date(2024, 9, 19))
    print("committed", code, flush=True)
print("all committed", flush=True)
import time
time.sleep(60)
"""


@pytest.fixture
def hub(postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets.json"))
    made = HubForTests.create(postgres_url)
    yield made
    made.db.dispose()


def _scanner(local: Path, codes: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SCANNER, str(local), *codes],
        stdout=subprocess.PIPE,
        text=True,
        env=desk_env(),
        cwd=ROOT,
    )


def _counts(local: Path) -> tuple[int, int]:
    db = open_database(local, migrate=False)
    try:
        with db.read() as session:
            log = int(session.scalar(select(func.count()).select_from(CheckInLogEntry)) or 0)
            queued = int(session.scalar(select(func.count()).where(SyncOutbox.acked == 0)) or 0)
        return log, queued
    finally:
        db.dispose()


def _assert_exactly_once(hub: HubForTests, local: Path, expected: int) -> None:
    with hub.db.read() as session:
        facts = int(session.scalar(select(func.count()).select_from(SyncFact)) or 0)
        distinct = int(session.scalar(select(func.count(func.distinct(SyncFact.nonce)))) or 0)
    assert hub.log_count() == expected
    assert facts == distinct == expected
    assert _counts(local) == (expected, 0)


def _joined(hub: HubForTests, tmp_path: Path, url: str | None = None) -> Path:
    local = tmp_path / "desk.db"
    db = open_database(local)
    try:
        join(db, url or hub.url, "K")
    finally:
        db.dispose()
    return local


def test_kill_between_local_commit_and_upload(hub: HubForTests, tmp_path: Path):
    people = hub.people.add_many(20)
    local = _joined(hub, tmp_path)
    process = _scanner(local, [p.code for p in people])
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("all committed"):
            break
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    assert _counts(local) == (20, 20)
    finish_sync(local, timeout=120)
    _assert_exactly_once(hub, local, 20)


def test_kill_while_scanning_keeps_fact_and_outbox_together(hub: HubForTests, tmp_path: Path):
    people = hub.people.add_many(200)
    local = _joined(hub, tmp_path)
    process = _scanner(local, [p.code for p in people])
    assert process.stdout is not None
    seen = 0
    for line in process.stdout:
        seen += line.startswith("committed")
        if seen == 30:
            break
    time.sleep(random.uniform(0, 0.05))
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    log, queued = _counts(local)
    assert log == queued  # every committed check-in has its outbox row, and nothing else has one
    assert log >= 30
    finish_sync(local, timeout=120)
    _assert_exactly_once(hub, local, log)


def test_kill_during_upload_then_the_next_sync_sends_the_rest_once(hub: HubForTests, tmp_path: Path):
    people = hub.people.add_many(300)
    with proxy_to(hub.url) as proxy:
        local = _joined(hub, tmp_path, proxy.url_for(hub.url))
        process = _scanner(local, [p.code for p in people])
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("all committed"):
                break
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        proxy.delay(0.002)  # every packet a little late: the upload takes a while
        sent_before_kill = []
        for _round in range(3):
            before = hub.log_count()
            syncing = sync_once(local, "--batch", "20")
            deadline = time.monotonic() + 60
            while hub.log_count() == before and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(random.uniform(0, 0.2))  # somewhere inside a batch, or between two
            os.kill(syncing.pid, signal.SIGKILL)
            syncing.communicate()
            sent_before_kill.append(hub.log_count())
        proxy.restore()
        finish_sync(local, timeout=120)
    # The kills did land during the upload: some batches were in, not all.
    assert 0 < sent_before_kill[0] < sent_before_kill[-1] < 300, sent_before_kill
    _assert_exactly_once(hub, local, 300)
