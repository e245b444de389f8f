"""A pretix-connected desk on the sync engine, against the real pretix (.ci/pretix-server).

Online, pretix decides each scan; cut off (a TCP proxy between desk and pretix), the desk decides
from its copy and queues; restored, ``sync`` uploads the queue, and pretix's own API is the
witness that every check-in arrived exactly once, also when a batch is sent twice. A ticket that
someone else checked in at pretix while the desk was cut off, then checked in at the desk, is a
conflict there. Every test makes its own orders in pretix, so tests run in any order.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, update

from checkin import i18n
from checkin.cli import main
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database, open_database
from checkin.domain.events import EventService
from checkin.domain.models import BadgePrint, CheckInLogEntry, Registration, SyncOutbox
from checkin.presentation.verdict_text import verdict_text
from checkin.pretix.client import PretixClient
from checkin.pretix.redeem import redeem
from checkin.pretix.service import PretixService
from checkin.sync.desk_link import hub_kind, online_hub_for, worker_for
from checkin.sync.online import OnlineFirstDesk
from checkin.sync.replica import list_conflicts, status
from tests.helpers.pretix import PretixServer, entries_at_pretix, make_tickets, pretix_server
from tests.helpers.tcp_proxy import TcpProxy

TUE = dt.date(2030, 9, 17)


@pytest.fixture
def pretix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PretixServer]:
    server = pretix_server()
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))
    i18n.set_language("en")
    yield server
    i18n.set_language("de")


@pytest.fixture
def proxy(pretix: PretixServer) -> Iterator[TcpProxy]:
    parts = urlsplit(pretix.url)
    made = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 80)
    yield made
    made.close()


tickets = make_tickets
entries = entries_at_pretix


def connect(pretix: PretixServer, db_path: Path, url: str) -> Database:
    db = open_database(db_path)
    PretixService(db).connect(url, pretix.token, pretix.organizer, pretix.event, desk_name="Einlass Test")
    return db


def online_desk(db: Database, bound: float = 5.0) -> OnlineFirstDesk:
    """Online first; a generous bound, so that a busy test machine does not turn pretix "offline"."""
    return OnlineFirstDesk(db, desk="T", bound=bound, hub=online_hub_for(db, desk="T", bound=bound))


def test_online_offline_restore_sync_every_check_in_arrives_exactly_once(
    pretix: PretixServer, proxy: TcpProxy, tmp_path: Path
):
    a, b, c, d, e = tickets(pretix, 5)
    db = connect(pretix, tmp_path / "desk.db", f"http://127.0.0.1:{proxy.port}")
    assert hub_kind(db) == "pretix"
    desk = online_desk(db)
    try:
        first = desk.scan(a["secret"], day=TUE)
        assert (first.offline, first.verdict.kind.value, first.verdict.admitted) == (
            False,
            "checked_in",
            True,
        )
        assert len(entries(pretix, a["id"])) == 1  # pretix decided and recorded it at once
        again = desk.scan(a["order"], day=TUE)  # the order code works too: the desk knows its secret
        assert (again.offline, again.verdict.kind.value) == (False, "already_checked_in")
        assert "pretix: this ticket has already been used." in verdict_text(again.verdict)
        assert status(db).queued == 0  # pretix has the online check-in: nothing waits

        proxy.cut()
        offline = [desk.scan(t["secret"], day=TUE) for t in (b, c)]
        assert [(s.offline, s.verdict.admitted) for s in offline] == [(True, True), (True, True)]
        # Someone else checks d in at pretix meanwhile; then d is scanned at the cut-off desk.
        other = redeem(PretixClient(pretix.url, pretix.token), pretix.organizer, secret=d["secret"],
                       list_id=pretix.shop["checkin_list"], nonce=uuid.uuid4().hex,
                       happened_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))  # fmt: skip
        assert other.admitted
        late = desk.scan(d["secret"], day=TUE)
        assert (late.offline, late.verdict.admitted) == (True, True)
        assert status(db).queued == 3

        worker = worker_for(db)
        down, _changes = worker.run_once()
        assert down.online is False
        assert down.queued == 3
        assert [len(entries(pretix, t["id"])) for t in (b, c)] == [0, 0]

        proxy.restore()
        result, _changes = worker.run_once()
        worker.close()
        assert (result.online, result.queued, result.conflicts) == (True, 0, 1), result.last_error
        assert [len(entries(pretix, t["id"])) for t in (a, b, c)] == [1, 1, 1]
        assert len(entries(pretix, d["id"])) == 2  # theirs and ours (forced): both kept, and flagged
        (conflict,) = list_conflicts(db)
        assert (conflict.code, conflict.reason) == (d["secret"], "already_redeemed")

        # The same batch again (as after a crash before the acknowledgement): nothing twice.
        with db.write() as session:
            session.execute(update(SyncOutbox).values(acked=0))
        again_worker = worker_for(db)
        result, _changes = again_worker.run_once()
        again_worker.close()
        assert (result.online, result.queued) == (True, 0)
        assert [len(entries(pretix, t["id"])) for t in (a, b, c, d)] == [1, 1, 1, 2]
        assert len(entries(pretix, e["id"])) == 0
    finally:
        desk.close()
        db.dispose()


def test_an_undo_annuls_at_pretix_and_a_badge_print_reaches_its_print_log_once(
    pretix: PretixServer, proxy: TcpProxy, tmp_path: Path
):
    a, b = tickets(pretix, 2)
    db = connect(pretix, tmp_path / "desk.db", f"http://127.0.0.1:{proxy.port}")
    desk = online_desk(db)
    try:
        assert desk.scan(a["secret"], day=TUE).verdict.admitted  # online
        proxy.cut()
        assert desk.scan(b["secret"], day=TUE).offline  # offline
        with db.read() as session:
            ids = dict(session.execute(select(Registration.code, Registration.id)).all())
        for ticket in (a, b):
            assert desk.local.undo(ids[ticket["secret"]], day=TUE).undone
        event = EventService(db).get()
        with db.write() as session:
            session.add(
                BadgePrint(event_id=event.id, registration_id=ids[a["secret"]], layout="a6", reason="single")
            )
        proxy.restore()
        worker = worker_for(db)
        result, _changes = worker.run_once()
        assert (result.online, result.queued, result.conflicts) == (True, 0, 0)
        with db.write() as session:  # sent twice: still one print log entry
            session.execute(update(SyncOutbox).values(acked=0))
        worker.run_once()
        worker.close()
    finally:
        desk.close()
        db.dispose()
    assert entries(pretix, a["id"]) == []
    assert entries(pretix, b["id"]) == []
    logs = pretix.event_api(f"orderpositions/{a['id']}/")["print_logs"]
    assert [(log["type"], log["source"]) for log in logs] == [("badge", "checkin")]


def test_sync_once_and_status_json_for_a_pretix_desk(
    pretix: PretixServer, proxy: TcpProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    (a,) = tickets(pretix, 1)
    path = tmp_path / "desk.db"
    db = connect(pretix, path, f"http://127.0.0.1:{proxy.port}")
    desk = online_desk(db)
    proxy.cut()
    try:
        assert desk.scan(a["secret"], day=TUE).offline
    finally:
        desk.close()
        db.dispose()
    capsys.readouterr()
    assert main(["--db", str(path), "sync", "--once", "--json"]) == 4  # pretix not reachable
    down = json.loads(capsys.readouterr().out)
    assert (down["online"], down["queued"]) == (False, 1)
    assert "127.0.0.1" in down["last_error"]
    proxy.restore()
    assert main(["--db", str(path), "sync", "--once", "--json"]) == 0
    up = json.loads(capsys.readouterr().out)
    assert main(["--db", str(path), "sync", "status", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    for answer in (up, shown):
        assert {"online", "queued", "conflicts", "last_upload", "last_download"} <= answer.keys()
        assert (answer["online"], answer["queued"], answer["conflicts"]) == (True, 0, 0)
        assert answer["last_upload"]
        assert answer["last_download"]
    assert len(entries(pretix, a["id"])) == 1
    assert pretix.token not in json.dumps([down, up, shown])


def test_online_pretix_refuses_in_its_own_words_and_nothing_is_recorded(pretix: PretixServer, tmp_path: Path):
    shop = pretix.shop["orders"]
    db = connect(pretix, tmp_path / "desk.db", pretix.url)
    desk = online_desk(db)
    try:
        cancelled = desk.scan(shop["Clara Storniert"]["secret"], day=TUE)
        pending = desk.scan(shop["Paul Offen"]["secret"], day=TUE)
        unknown = desk.scan("not-a-ticket-" + uuid.uuid4().hex[:8], day=TUE)
    finally:
        desk.close()
    assert [s.offline for s in (cancelled, pending, unknown)] == [False, False, False]
    assert (cancelled.verdict.kind.value, cancelled.verdict.notes) == ("cancelled", ("pretix:canceled",))
    assert "pretix: the order was cancelled." in verdict_text(cancelled.verdict)
    assert pending.verdict.notes == ("pretix:unpaid",)
    assert "pretix: the order is not paid." in verdict_text(pending.verdict)
    assert pending.verdict.person is not None
    assert pending.verdict.person.last_name == "Offen"
    assert unknown.verdict.kind.value == "unknown"
    assert status(db).queued == 0
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(CheckInLogEntry)) == 0
    db.dispose()


def test_an_undo_too_late_for_pretix_is_a_conflict_and_the_check_in_stays(
    pretix: PretixServer, proxy: TcpProxy, tmp_path: Path
):
    (a,) = tickets(pretix, 1)
    db = connect(pretix, tmp_path / "desk.db", f"http://127.0.0.1:{proxy.port}")
    moment = [dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)]
    desk = CheckInService(db, EventService(db).get(), desk="T", clock=lambda: moment[0])
    assert desk.scan(a["secret"], day=TUE).admitted  # cut off: recorded here only
    moment[0] += dt.timedelta(minutes=20)
    person = desk.lookup(a["secret"])
    assert person is not None
    assert desk.undo(person.registration_id, day=TUE).undone  # 20 minutes later: pretix annuls within 15
    worker = worker_for(db)
    result, _changes = worker.run_once()
    worker.close()
    assert (result.online, result.queued, result.conflicts) == (True, 0, 1)
    (conflict,) = list_conflicts(db)
    assert conflict.reason == "annul_refused"
    assert len(entries(pretix, a["id"])) == 1  # pretix keeps the check-in ...
    again = CheckInService(db, EventService(db).get(), desk="T").scan(a["secret"], day=TUE)
    assert again.kind.value == "already_checked_in"  # ... and so does the desk's copy
    db.dispose()
