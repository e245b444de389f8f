"""Which sync a database gets (``worker_for``/``link_for``), and a link's life: start, resume, stop."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.domain.db import Database, open_database
from checkin.domain.models import Registration
from checkin.sync.desk_link import link_for, worker_for
from checkin.sync.join import join
from checkin.sync.replica import read_state, status
from tests.helpers.sync_hub import HubForTests


class _Interrupt(Exception):
    pass


def _registrations(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Registration)) or 0)


def test_a_single_desk_and_a_shared_server_get_no_sync(db: Database, hub: HubForTests):
    assert worker_for(db) is None
    assert link_for(db) is None
    assert link_for(hub.db) is None  # desks sharing the server directly


def test_a_link_finishes_an_interrupted_join_by_itself_then_syncs_until_stopped(
    hub: HubForTests, tmp_path: Path
):
    hub.people.add_many(25)
    replica = open_database(tmp_path / "desk.db")
    pages: list[int] = []

    def cut_off(_stage: str, count: int) -> None:
        pages.append(count)
        raise _Interrupt  # the network went away after the first page

    with pytest.raises(_Interrupt):
        join(replica, hub.url, "Eingang 2", batch=10, progress=cut_off)
    state = read_state(replica)
    assert state is not None
    assert not state.join_done
    assert _registrations(replica) == 10

    rounds = threading.Event()
    link = link_for(replica, interval=0.2)
    assert link is not None
    link.add_listener(lambda _status, _changes: rounds.set())
    link.start()
    try:
        assert rounds.wait(20)
        assert _registrations(replica) == 25
        assert status(replica).joined
    finally:
        started = time.monotonic()
        link.stop()
        assert time.monotonic() - started < 10
        replica.dispose()


def test_a_desk_links_only_the_hub_s_own_event(make_desk):
    """A file that holds the hub's event beside another one (a pretix event connected into the
    demo's file) syncs and asks the hub only while the desk works on the hub's event."""
    import dataclasses

    desk = make_desk("Eingang 1")
    hub_event = desk.event
    link = link_for(desk.db, event=hub_event)
    assert link is not None
    link.worker.close()
    assert link_for(desk.db, event=dataclasses.replace(hub_event, id=hub_event.id + 1, slug="demo")) is None
