"""A scan the database does not take is kept in a durable queue and recorded later, exactly once.

Real faults only: another process holding the write lock, a read-only database file, a
full disk (a file-size limit in a child process, the way a full disk answers a write).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.domain.checkin_service import CheckInService, ScanNotRecorded
from checkin.domain.db import WriteFailure
from checkin.domain.models import CheckInLogEntry, LogAction
from checkin.domain.pending_scans import PendingScans, ScanJournal, ScanRequest, journal_path
from checkin.domain.verdicts import VerdictKind
from tests.helpers import DAY1
from tests.helpers.faults import read_only_file, write_lock_held

SCANNED_AT = dt.datetime(2024, 9, 19, 7, 0, tzinfo=dt.UTC)


def _check_ins(db) -> list[tuple[int, str, dt.datetime, str]]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return [
            (row.registration_id, row.action.value, row.at, row.note)
            for row in session.execute(select(CheckInLogEntry).order_by(CheckInLogEntry.id)).scalars()
        ]


def _db_path(db) -> Path:  # type: ignore[no-untyped-def]
    return Path(db.url.removeprefix("sqlite:///"))


@pytest.fixture
def impatient(db, demo_event, clock) -> CheckInService:  # type: ignore[no-untyped-def]
    """A desk that waits 0.3 s for the write lock (the busy timeout is 5 s)."""
    return CheckInService(db, demo_event, desk="Eingang 1", clock=clock, scan_wait=0.3)


def test_a_scan_while_another_program_holds_the_lock_is_kept_and_recorded_once_later(
    db, impatient, people, clock
):
    person = people.add("Anna", "Schmidt")
    queue = PendingScans(journal_path(db))
    with write_lock_held(_db_path(db)) as holder:
        started = time.monotonic()
        with pytest.raises(ScanNotRecorded) as caught:
            impatient.scan(person.code + "\r\n", day=DAY1)
        assert time.monotonic() - started < 2.5  # the short wait, not the 5 s busy timeout
        assert caught.value.failure is WriteFailure.LOCKED
        pending = queue.keep(caught.value.request)
        assert queue.durable
        # Still locked: the retry fails the same way and keeps the scan.
        clock.advance(minutes=1)
        (outcome,) = queue.retry(impatient)
        assert outcome.failure is WriteFailure.LOCKED
        assert [p.nonce for p in queue.pending()] == [pending.nonce]
        # The journal on disk holds it: a desk started again now would find it.
        assert [p.nonce for p in PendingScans(journal_path(db)).pending()] == [pending.nonce]
        holder.release()
    assert _check_ins(db) == []
    clock.advance(minutes=1)
    (outcome,) = queue.retry(impatient)
    assert outcome.verdict is not None
    assert outcome.verdict.kind is VerdictKind.CHECKED_IN
    assert outcome.verdict.changes.registrations == {person.registration_id}
    ((registration_id, action, at, note),) = _check_ins(db)
    assert (registration_id, action) == (person.registration_id, LogAction.CHECK_IN.value)
    assert at == dt.datetime(2024, 9, 19, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))  # when scanned
    assert note == f"queued:{pending.nonce}"
    assert queue.pending() == []
    assert queue.retry(impatient) == []
    assert PendingScans(journal_path(db)).pending() == []


def test_a_retry_whose_earlier_attempt_was_recorded_after_all_records_nothing(db, impatient, people, clock):
    """The answer to a commit lost (or the desk killed before the journal said "done"): the nonce
    in the log makes the next retry record nothing, even after the check-in was undone."""
    person = people.add("Anna", "Schmidt")
    queue = PendingScans(journal_path(db))
    pending = queue.keep(ScanRequest(person.code, DAY1, None, SCANNED_AT))
    verdict = impatient.record_queued(
        person.code, day=DAY1, session_key=None, at=SCANNED_AT, nonce=pending.nonce
    )
    assert verdict is not None
    assert verdict.kind is VerdictKind.CHECKED_IN
    impatient.undo(person.registration_id, day=DAY1)  # staff undid it meanwhile
    restarted = PendingScans(journal_path(db))
    (outcome,) = restarted.retry(impatient)
    assert outcome.already_recorded
    assert outcome.verdict is None
    assert [action for _id, action, _at, _note in _check_ins(db)] == ["check_in", "undo"]
    assert restarted.pending() == []


def test_a_read_only_database_file_keeps_the_scan_until_it_may_be_written(db, impatient, people):
    person = people.add("Anna", "Schmidt")
    queue = PendingScans(journal_path(db))
    db.dispose()  # the desk (re)opens its connections while the file is read-only
    with read_only_file(_db_path(db)):
        with pytest.raises(ScanNotRecorded) as caught:
            impatient.scan(person.code, day=DAY1)
        assert caught.value.failure is WriteFailure.READ_ONLY
        queue.keep(caught.value.request)
        (outcome,) = queue.retry(impatient)
        assert outcome.failure is WriteFailure.READ_ONLY
    (outcome,) = queue.retry(impatient)
    assert outcome.verdict is not None
    assert outcome.verdict.kind is VerdictKind.CHECKED_IN
    assert len(_check_ins(db)) == 1


_FULL_DISK_DESK = """
import json, os, resource, signal, sys
import datetime as dt
from checkin.domain.checkin_service import CheckInService, ScanNotRecorded
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.domain.pending_scans import PendingScans, journal_path

path, code = sys.argv[1], sys.argv[2]
db = open_database(path, migrate=False)
event = EventService(db).get()
at = dt.datetime(2024, 9, 19, 7, 0, tzinfo=dt.UTC)
service = CheckInService(db, event, desk="Eingang 1", clock=lambda: at, scan_wait=0.5)
queue = PendingScans(journal_path(db))
assert service.lookup(code) is not None
# From here on no file may grow past 4 KiB: the database's next write fails as on a full disk.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    service.scan(code, day=dt.date(2024, 9, 19))
    result = {"first": "recorded"}
except ScanNotRecorded as error:
    pending = queue.keep(error.request)
    result = {"first": error.failure.value, "durable": queue.durable, "nonce": pending.nonce}
    result["retry"] = [o.failure.value if o.failure else "resolved" for o in queue.retry(service)]
print(json.dumps(result), flush=True)
os._exit(0)  # killed: nothing is closed or flushed further
"""


def test_a_full_disk_keeps_the_scan_in_the_journal_even_when_the_desk_is_killed(
    db, demo_event, people, clock
):
    person = people.add("Anna", "Schmidt")
    db.dispose()
    child = subprocess.run(
        [sys.executable, "-c", _FULL_DISK_DESK, str(_db_path(db)), person.code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert result["first"] in (WriteFailure.DISK_FULL.value, WriteFailure.DISK_ERROR.value), result
    assert result["durable"] is True
    assert result["retry"] in ([WriteFailure.DISK_FULL.value], [WriteFailure.DISK_ERROR.value])
    assert _check_ins(db) == []
    # The desk starts again with room on the disk: the kept scan is recorded, once.
    queue = PendingScans(journal_path(db))
    assert [p.nonce for p in queue.pending()] == [result["nonce"]]
    desk = CheckInService(db, demo_event, desk="Eingang 1", clock=clock)
    (outcome,) = queue.retry(desk)
    assert outcome.verdict is not None
    assert outcome.verdict.kind is VerdictKind.CHECKED_IN
    ((_id, action, at, note),) = _check_ins(db)
    assert (action, at, note) == ("check_in", SCANNED_AT, f"queued:{result['nonce']}")


def test_the_journal_is_private_and_reads_back_what_it_confirmed(tmp_path):
    path = tmp_path / "checkin.db-pending-scans"
    queue = PendingScans(path, new_nonce=iter(f"n{i}" for i in range(10)).__next__)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = [queue.keep(ScanRequest(f"CODE{i}", DAY1, None, SCANNED_AT)) for i in range(3)]
    assert [p.nonce for p in PendingScans(path).pending()] == ["n0", "n1", "n2"]
    for pending in first:
        queue._done(pending)  # recorded: the journal starts again at its beginning
    queue.keep(ScanRequest("LATER", DAY1, "zw-bass", SCANNED_AT))
    # The old, longer lines are still on disk after the new one; they are not read again.
    assert b"CODE2" in path.read_bytes()
    (again,) = PendingScans(path).pending()
    assert (again.nonce, again.code, again.request.session_key) == ("n3", "LATER", "zw-bass")
    # A line cut short by a crash (no newline, never confirmed) is ignored.
    journal = ScanJournal(path)
    journal.open()
    os.pwrite(journal._fd, b'{"op":"add","nonce":"torn"', journal._end)  # type: ignore[arg-type]
    journal.close()
    assert [p.nonce for p in PendingScans(path).pending()] == ["n3"]


def test_without_a_journal_file_the_queue_says_it_is_not_durable(tmp_path):
    folder = tmp_path / "gone"
    queue = PendingScans(folder / "checkin.db-pending-scans")  # the folder does not exist
    assert not queue.durable
    assert queue.journal_error
    queue.keep(ScanRequest("CODE", DAY1, None, SCANNED_AT))
    assert len(queue) == 1


@pytest.mark.postgres
def test_on_postgresql_a_scan_waits_only_its_bound_for_another_desks_lock(postgres_url, clock):
    from sqlalchemy import text

    from checkin.domain.db import open_database
    from checkin.domain.eventfile import load_event_file
    from checkin.domain.events import EventService
    from checkin.resources import demo_event_file
    from tests.helpers import People

    db = open_database(postgres_url)
    try:
        event = EventService(db).load_definition(load_event_file(demo_event_file()))
        person = People(db, event).add("Anna", "Schmidt")
        service = CheckInService(db, event, desk="Eingang 1", clock=clock, scan_wait=0.3)
        queue = PendingScans(None)  # a server's queue file lives in the user's folder: not here
        with db.engine.connect() as other_desk:
            other_desk.execute(  # another desk's transaction holds the person's row
                text("SELECT id FROM registrations WHERE id = :id FOR UPDATE"), {"id": person.registration_id}
            )
            started = time.monotonic()
            with pytest.raises(ScanNotRecorded) as caught:
                service.scan(person.code, day=DAY1)
            assert time.monotonic() - started < 2.5
            assert caught.value.failure is WriteFailure.LOCKED
            queue.keep(caught.value.request)
            other_desk.rollback()
        (outcome,) = queue.retry(service)
        assert outcome.verdict is not None
        assert outcome.verdict.kind is VerdictKind.CHECKED_IN
        assert len(_check_ins(db)) == 1
    finally:
        db.dispose()


def test_a_servers_queue_lives_in_the_users_private_data_folder(tmp_path, monkeypatch):
    from sqlalchemy.orm import sessionmaker

    from checkin.domain.db import Database, make_engine

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = "postgresql+psycopg://desk:Geheim99@hub.example/checkin"
    engine = make_engine(url)  # no connection is made
    try:
        path = journal_path(Database(url=url, engine=engine, session_factory=sessionmaker(engine)))
    finally:
        engine.dispose()
    assert path.parent == tmp_path / "data" / "checkin"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "Geheim99" not in str(path)
    queue = PendingScans(path)
    assert queue.durable
    queue.close()


_TMPFS_DESK = """
import json, os, shutil, subprocess, sys
import datetime as dt
from pathlib import Path
from checkin.domain.checkin_service import CheckInService, ScanNotRecorded
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.domain.pending_scans import PendingScans, journal_path

source, code, mount = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
size = source.stat().st_size + 512 * 1024
subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)
path = mount / "checkin.db"
shutil.copyfile(source, path)
db = open_database(path, migrate=False)
event = EventService(db).get()
at = dt.datetime(2024, 9, 19, 7, 0, tzinfo=dt.UTC)
service = CheckInService(db, event, desk="Eingang 1", clock=lambda: at, scan_wait=0.5)
queue = PendingScans(journal_path(db))
assert service.lookup(code) is not None
filler = mount / "filler"
fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)  # the disk fills up (another program's file)
try:
    while True:
        os.write(fd, b"x" * 4096)
except OSError:
    pass
try:
    while True:
        os.write(fd, b"x")
except OSError:
    pass
os.close(fd)
result = {}
try:
    service.scan(code, day=dt.date(2024, 9, 19))
    result["first"] = "recorded"
except ScanNotRecorded as error:
    result["first"] = error.failure.value
    result["nonce"] = queue.keep(error.request).nonce
    result["durable"] = queue.durable
    result["kept_after_restart"] = [p.nonce for p in PendingScans(journal_path(db)).pending()]
filler.unlink()  # room again
outcomes = queue.retry(service)
result["retry"] = [o.verdict.kind.value if o.verdict else str(o.failure) for o in outcomes]
from sqlalchemy import text
with db.read() as session:
    result["notes"] = list(session.execute(text("SELECT note FROM checkin_log")).scalars())
db.dispose()
print(json.dumps(result), flush=True)
"""


def test_a_really_full_disk_keeps_the_scan_and_records_it_when_there_is_room(db, people, tmp_path):
    """A tiny tmpfs filled to the last byte, in a mount namespace of its own (where permitted)."""
    import shutil

    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rm", "true"], check=False).returncode != 0:
        pytest.skip("no mount namespace here: the file-size limit test covers a full disk")
    person = people.add("Anna", "Schmidt")
    db.dispose()
    mount = tmp_path / "tiny"
    mount.mkdir()
    child = subprocess.run(
        [unshare, "-rm", sys.executable, "-c", _TMPFS_DESK, str(_db_path(db)), person.code, str(mount)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert result["first"] == WriteFailure.DISK_FULL.value, result
    assert result["durable"] is True
    assert result["kept_after_restart"] == [result["nonce"]]
    assert result["retry"] == [VerdictKind.CHECKED_IN.value]
    assert result["notes"] == [f"queued:{result['nonce']}"]


def test_a_scan_queued_on_another_event_waits_for_that_event(db, impatient, people):
    """A desk switched to another event of the same database must not retry (and so refuse and
    drop) a scan it queued for the first event: the scan stays queued for that event's desk."""
    person = people.add("Anna", "Schmidt")
    queue = PendingScans(journal_path(db))
    queue.keep(ScanRequest(person.code, DAY1, None, SCANNED_AT, event_slug="another-event"))
    assert queue.retry(impatient) == []
    assert len(PendingScans(journal_path(db)).pending()) == 1
    mine = queue.keep(ScanRequest(person.code, DAY1, None, SCANNED_AT, event_slug=impatient.event.slug))
    (outcome,) = queue.retry(impatient)
    assert outcome.pending == mine
    assert outcome.verdict is not None
    assert outcome.verdict.kind is VerdictKind.CHECKED_IN
