"""A desk joins a hub, scans, and the hub has each fact once; other desks see it."""

from __future__ import annotations

from checkin.sync.replica import status
from tests.helpers.sync_hub import HubForTests


def test_join_copies_the_event_and_a_scan_reaches_the_hub_once(hub: HubForTests, make_desk):
    people = hub.people.add_many(5)
    a = make_desk("A")
    assert a.scan(people[0].code) == "checked_in"
    assert status(a.db).queued == 1
    result, _ = a.worker.run_once()
    assert result.online
    assert result.queued == 0
    assert hub.log_count() == 1
    a.worker.run_once()
    assert hub.log_count() == 1
    b = make_desk("B")
    assert b.scan(people[0].code) == "already_checked_in"
