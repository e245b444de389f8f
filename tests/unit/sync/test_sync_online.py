"""Online first at a joined desk: the hub decides within the bound, else the replica, same nonce."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from checkin.cli import main
from checkin.domain.models import CheckInLogEntry
from checkin.sync.online import OnlineFirstDesk
from checkin.sync.replica import status
from tests.helpers.people import DAY1
from tests.helpers.sync_hub import NOW, HubForTests
from tests.helpers.tcp_proxy import proxy_to


def _rows(db) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return [
            (r.desk_id, r.nonce)
            for r in session.execute(select(CheckInLogEntry.desk_id, CheckInLogEntry.nonce))
        ]


def test_online_the_hub_decides_and_the_replica_gets_the_fact_by_download(hub: HubForTests, make_desk):
    people = hub.people.add_many(2)
    a = make_desk("A")
    b = make_desk("B")
    desk = OnlineFirstDesk(a.db, desk="A", clock=lambda: NOW)
    try:
        result = desk.scan(people[0].code, day=DAY1)
        assert result.verdict.kind.value == "checked_in"
        assert result.offline is False
        # Exact online: the other desk is asked through the hub too and sees the admission at once.
        other = OnlineFirstDesk(b.db, desk="B", clock=lambda: NOW)
        try:
            assert other.scan(people[0].code, day=DAY1).verdict.kind.value == "already_checked_in"
        finally:
            other.close()
    finally:
        desk.close()
    (row,) = _rows(hub.db)
    assert row[1] == result.nonce
    assert status(a.db).queued == 0
    a.worker.run_once()
    assert _rows(a.db) == [row]
    assert hub.log_count() == 1


def test_hub_cut_off_decides_locally_then_stops_asking_and_uploads_later(hub: HubForTests, make_desk):
    people = hub.people.add_many(4)
    with proxy_to(hub.url) as proxy:
        url = proxy.url_for(hub.url)
        a = make_desk("A", connect_url=url)
        desk = OnlineFirstDesk(a.db, desk="A", clock=lambda: NOW, hub_url=url, bound=0.5)
        try:
            proxy.cut()
            first = desk.scan(people[0].code, day=DAY1)
            second = desk.scan(people[1].code, day=DAY1)
            assert (first.offline, second.offline) == (True, True)
            assert desk.offline_mode
            started = time.monotonic()
            third = desk.scan(people[2].code, day=DAY1)
            assert time.monotonic() - started < 0.2  # no more waiting for the hub
            assert (third.offline, third.reason) == (True, "offline_mode")
            assert {n for _, n in _rows(a.db)} == {first.nonce, second.nonce, third.nonce}
            proxy.restore()
            a.worker.run_once()
        finally:
            desk.close()
    assert hub.log_count() == 3


def test_a_silent_hub_costs_one_bound_and_no_more(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        url = proxy.url_for(hub.url)
        a = make_desk("A", connect_url=url)
        desk = OnlineFirstDesk(a.db, desk="A", clock=lambda: NOW, hub_url=url, bound=0.5)
        try:
            desk.scan("warm-up: opens the connection", day=DAY1)
            proxy.hang()
            started = time.monotonic()
            result = desk.scan(person.code, day=DAY1)
            assert time.monotonic() - started < 1.5
            assert result.offline
            assert result.verdict.kind.value == "checked_in"
        finally:
            proxy.restore()
            desk.close()


def test_an_online_attempt_that_arrives_late_and_its_offline_twin_count_once(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        url = proxy.url_for(hub.url)
        a = make_desk("A", connect_url=url)
        desk = OnlineFirstDesk(a.db, desk="A", clock=lambda: NOW, hub_url=url, bound=0.3)
        try:
            desk.scan("warm-up", day=DAY1)
            proxy.delay(0.15)  # the hub gets the scan, but its answer comes after the bound
            result = desk.scan(person.code, day=DAY1)
            assert result.offline
            deadline = time.monotonic() + 30
            while hub.log_count() == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert hub.log_count() == 1  # the online attempt did commit at the hub
            proxy.restore()
            a.worker.run_once()
        finally:
            desk.close()
    assert hub.log_count() == 1
    assert hub.conflicts() == []
    assert _rows(a.db) == _rows(hub.db)
    assert status(a.db).queued == 0


def test_scan_json_says_whether_the_verdict_was_made_offline(hub: HubForTests, make_desk, capsys):
    people = hub.people.add_many(2)
    with proxy_to(hub.url) as proxy:
        url = proxy.url_for(hub.url)
        a = make_desk("A", connect_url=url)
        local = a.db.url.removeprefix("sqlite:///")
        a.db.dispose()
        assert main(["--db", local, "scan", people[0].code, "--day", DAY1.isoformat(), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["offline"] is False
        proxy.cut()
        assert main(["--db", local, "scan", people[1].code, "--day", DAY1.isoformat(), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["offline"] is True
    with a.db.read() as session:
        assert session.scalar(select(func.count()).select_from(CheckInLogEntry)) == 1
