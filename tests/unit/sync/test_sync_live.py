"""Desks running their sync loops: another desk's fact reaches a replica within about a second."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from checkin.domain.models import CheckInLogEntry
from checkin.sync.worker import SyncWorker
from tests.helpers.sync_hub import HubForTests


def _log_rows(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(CheckInLogEntry)) or 0)


def test_a_fact_at_desk_a_reaches_desk_b_within_two_seconds_by_notify(hub: HubForTests, make_desk):
    people = hub.people.add_many(3)
    a = make_desk("A")
    b = make_desk("B")
    # Long intervals: only the wake-ups (a's own write, the hub's NOTIFY) can be this fast.
    seen: list[float] = []
    worker_a = SyncWorker(a.db, interval=30)
    worker_b = SyncWorker(b.db, interval=30, on_result=lambda s, c: seen.append(time.monotonic()))
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in (worker_a, worker_b)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)  # both listening
        for person in people:
            started = time.monotonic()
            assert a.scan(person.code) == "checked_in"
            worker_a.wake()
            expected = people.index(person) + 1
            while _log_rows(b.db) < expected and time.monotonic() - started < 5:
                time.sleep(0.02)
            assert _log_rows(b.db) == expected
            assert time.monotonic() - started < 2.0
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert b.scan(people[0].code) == "already_checked_in"
    assert hub.log_count() == 3


def test_the_loop_goes_offline_and_comes_back_by_itself(hub: HubForTests, make_desk):
    from tests.helpers.tcp_proxy import proxy_to

    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        a = make_desk("A", connect_url=proxy.url_for(hub.url))
        states: list[bool] = []
        worker = SyncWorker(a.db, interval=0.2, timeout=1.0, hub_url=proxy.url_for(hub.url))
        worker_states = worker
        stop = threading.Event()
        original = worker_states.run_once

        def run_once():  # type: ignore[no-untyped-def]
            result = original()
            states.append(result[0].online)
            return result

        worker.run_once = run_once  # type: ignore[method-assign]
        thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
        thread.start()
        try:
            time.sleep(0.5)
            proxy.cut()
            a.scan(person.code)
            deadline = time.monotonic() + 10
            while (not states or states[-1]) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert states[-1] is False
            assert hub.log_count() == 0
            proxy.restore()
            deadline = time.monotonic() + 20
            while hub.log_count() == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            stop.set()
            thread.join(timeout=10)
    assert hub.log_count() == 1
    assert states[-1] is True
