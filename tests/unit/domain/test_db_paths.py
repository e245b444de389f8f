"""The one read path (a snapshot that never waits for the write lock) and the one write path."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from checkin.domain.db import Database, open_database
from checkin.domain.models import AuditEntry

# Another process (another desk, the CLI) takes the write lock, writes, then waits for a line.
_HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute(f"INSERT INTO {sys.argv[2]} (event_id, at, desk, action, detail) "
             "VALUES (NULL, '2024-09-19 09:00:00', 'other', 'held', '{}')")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def _audit_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _add_audit(db: Database, action: str) -> None:
    with db.write() as session:
        session.add(AuditEntry(event_id=None, desk="Desk 1", action=action, detail={}))


@pytest.fixture
def locked_by_other_process(db: Database) -> Iterator[subprocess.Popen[str]]:
    path = db.engine.url.database
    assert path
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, path, AuditEntry.__tablename__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    if holder.poll() is None:
        holder.communicate("\n", timeout=10)


def test_a_read_completes_while_another_process_holds_the_write_lock(
    db: Database, locked_by_other_process: subprocess.Popen[str]
):
    started = time.monotonic()
    assert _audit_count(db) == 0  # the other process's uncommitted row is not seen
    # The lock is held until we say so: a read that waited for it would fail after busy_timeout (5 s).
    assert time.monotonic() - started < 4.0
    locked_by_other_process.communicate("\n", timeout=10)
    assert _audit_count(db) == 1  # committed now: the next read sees it


def test_a_write_waits_for_the_lock_and_then_succeeds(
    db: Database, locked_by_other_process: subprocess.Popen[str]
):
    def release_later() -> None:
        time.sleep(0.5)
        locked_by_other_process.communicate("\n", timeout=10)

    releaser = threading.Thread(target=release_later)
    releaser.start()
    started = time.monotonic()
    _add_audit(db, "mine")
    waited = time.monotonic() - started
    releaser.join()
    assert 0.4 <= waited < 5.0  # waited for the other writer (busy_timeout), did not fail
    assert _audit_count(db) == 2


def test_an_open_read_does_not_block_a_write_and_keeps_its_snapshot(db: Database):
    _add_audit(db, "first")
    with db.read() as reading:
        count = select(func.count()).select_from(AuditEntry)
        assert reading.scalar(count) == 1  # the read transaction is now open
        _add_audit(db, "second")  # another desk writes meanwhile, without waiting
        assert reading.scalar(count) == 1  # still the same moment
    assert _audit_count(db) == 2


def test_the_read_path_refuses_writes(db: Database):
    with db.read() as session:
        session.add(AuditEntry(event_id=None, desk="Desk 1", action="sneaky", detail={}))
        with pytest.raises(OperationalError, match="readonly"):
            session.flush()
    assert _audit_count(db) == 0


def test_write_commits_on_exit_and_rolls_back_on_error(db: Database):
    _add_audit(db, "kept")

    def fail_midway() -> None:
        with db.write() as session:
            session.add(AuditEntry(event_id=None, desk="Desk 1", action="dropped", detail={}))
            session.flush()  # written inside the transaction ...
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_midway()
    with db.read() as session:  # ... and gone after the error
        assert list(session.scalars(select(AuditEntry.action))) == ["kept"]


def test_objects_read_stay_readable_after_the_block(db: Database):
    _add_audit(db, "kept")
    with db.read() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert entry.action == "kept"


def test_in_memory_database_reads_through_its_one_connection(tmp_path: Path):
    database = open_database("sqlite://")
    try:
        _add_audit(database, "in memory")
        assert _audit_count(database) == 1
    finally:
        database.dispose()


def test_postgres_read_is_a_read_only_snapshot(postgres_url: str):
    database = open_database(postgres_url)
    try:
        _add_audit(database, "first")
        with database.read() as reading:
            assert reading.connection().exec_driver_sql("SHOW transaction_isolation").scalar() == (
                "repeatable read"
            )
            assert reading.connection().exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
            assert reading.scalar(select(func.count()).select_from(AuditEntry)) == 1
            _add_audit(database, "second")
            assert reading.scalar(select(func.count()).select_from(AuditEntry)) == 1
        assert _audit_count(database) == 2
    finally:
        database.dispose()
