"""Desks apart and together again: conflicts kept, nothing counted twice, the hub's changes arrive.

Real PostgreSQL (the hub), real SQLite replicas; the network between desk and hub is a
TCP proxy the test cuts and restores.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from checkin.domain.checkin_service import CheckInService
from checkin.domain.models import CheckInLogEntry, Registration, RegistrationStatus, SyncFact
from checkin.domain.people import PersonChanges
from checkin.domain.privacy import PrivacyService
from checkin.domain.walk_in import WalkInRequest
from checkin.sync.replica import list_conflicts, outbox_batch, status
from checkin.sync.worker import SyncWorker
from tests.helpers.people import DAY1
from tests.helpers.sync_hub import NOW, HubForTests
from tests.helpers.tcp_proxy import proxy_to


def _log_rows(db, code: str) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(CheckInLogEntry)
                .join(Registration, Registration.id == CheckInLogEntry.registration_id)
                .where(Registration.code == code)
            )
            or 0
        )


def test_two_desks_apart_admit_one_person_one_conflict_nothing_lost(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        a = make_desk("A", connect_url=proxy.url_for(hub.url))
        b = make_desk("B", connect_url=proxy.url_for(hub.url))
        proxy.cut()
        assert a.scan(person.code) == "checked_in"
        assert b.scan(person.code) == "checked_in"
        assert not a.worker.run_once()[0].online
        assert status(b.db).queued == 1
        proxy.restore()
        a.worker.run_once()
        b_status, b_changes = b.worker.run_once()
        a.worker.run_once()
    assert hub.log_count() == 1
    conflicts = hub.conflicts()
    assert [(c.desk_name, c.reason) for c in conflicts] == [("B", "already_checked_in")]
    assert b_status.conflicts == 1
    assert b_status.queued == 0
    assert b_changes.touches_registration(1) or not b_changes.is_empty
    # Both replicas agree with the hub: one check-in in force, the conflict listed.
    assert _log_rows(a.db, person.code) == 1
    assert _log_rows(b.db, person.code) == 1
    assert status(a.db).conflicts == 1
    (listed,) = list_conflicts(a.db)
    assert (listed.kind, listed.code, listed.desk_name, listed.reason) == (
        "log",
        person.code,
        "B",
        "already_checked_in",
    )
    assert b.scan(person.code) == "already_checked_in"


def test_the_same_batch_uploaded_twice_changes_nothing(hub: HubForTests, make_desk):
    people = hub.people.add_many(3)
    a = make_desk("A")
    for person in people:
        a.scan(person.code)
    facts = outbox_batch(a.db, 100)
    hub_client = a.worker._get_hub()
    event_id = a.event.id
    first = hub_client.upload(event_id, "x", facts)
    again = hub_client.upload(event_id, "x", facts)
    assert first == again
    assert hub.log_count() == 3
    a.worker.run_once()  # the desk's own upload of the same facts: acknowledged, nothing new
    assert hub.log_count() == 3
    assert status(a.db).queued == 0
    with hub.db.read() as session:
        assert session.scalar(select(func.count()).select_from(SyncFact)) == 3


def test_a_desk_clock_ten_minutes_off_changes_no_order_and_loses_nothing(hub: HubForTests, make_desk):
    people = hub.people.add_many(2)
    a = make_desk("A")
    b = make_desk("B")
    b.clock_offset = dt.timedelta(minutes=-10)
    assert b.scan(people[0].code) == "checked_in"
    b.worker.run_once()
    assert a.scan(people[1].code) == "checked_in"
    a.worker.run_once()
    b.worker.run_once()
    assert a.scan(people[0].code) == "already_checked_in"
    assert b.scan(people[1].code) == "already_checked_in"
    with hub.db.read() as session:
        at = session.scalar(select(CheckInLogEntry.at).where(CheckInLogEntry.desk == "B"))
    assert at == NOW - dt.timedelta(minutes=10)  # the moment as the desk saw it, kept


def test_registration_cancelled_on_the_hub_while_a_desk_was_offline(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        a = make_desk("A", connect_url=proxy.url_for(hub.url))
        proxy.cut()
        assert a.scan(person.code) == "checked_in"
        CheckInService(hub.db, hub.event, desk="office").set_cancelled(person.registration_id, True)
        proxy.restore()
        result, _ = a.worker.run_once()
    # The admission happened at the door: recorded, and shown as a conflict with the cancellation.
    assert hub.log_count() == 1
    assert [c.reason for c in hub.conflicts()] == ["cancelled"]
    assert result.conflicts == 1
    with a.db.read() as session:
        local = session.scalar(select(Registration.status).where(Registration.code == person.code))
    assert local == RegistrationStatus.CANCELLED
    assert a.scan(person.code) != "checked_in"


def test_an_offline_edit_changes_only_its_fields_and_keeps_the_hubs_cancellation(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        a = make_desk("A", connect_url=proxy.url_for(hub.url))
        proxy.cut()
        local_id = a.service().lookup(person.code).registration_id  # type: ignore[union-attr]
        a.service().update_person(local_id, PersonChanges(organisation="Neue Firma GmbH"))
        CheckInService(hub.db, hub.event).set_cancelled(person.registration_id, True)
        proxy.restore()
        a.worker.run_once()
    with hub.db.read() as session:
        row = session.get_one(Registration, person.registration_id)
        assert (row.organisation, row.status) == ("Neue Firma GmbH", RegistrationStatus.CANCELLED)
    with a.db.read() as session:
        row = session.get_one(Registration, local_id)
        assert (row.organisation, row.status) == ("Neue Firma GmbH", RegistrationStatus.CANCELLED)


def test_an_offline_walk_in_reaches_the_hub_and_the_other_desks(hub: HubForTests, make_desk):
    a = make_desk("A")
    b = make_desk("B")
    request = WalkInRequest(first_name="Zoë", last_name="Nguyễn", workshop_keys=())
    verdict = a.service().walk_in(request, day=DAY1)
    assert verdict.admitted
    a.worker.run_once()
    b.worker.run_once()
    assert hub.log_count() == 1
    with hub.db.read() as session:
        assert (
            session.scalar(select(Registration.last_name).where(Registration.code == verdict.code))
            == "Nguyễn"
        )
    assert b.scan(verdict.code) == "already_checked_in"
    # Its hub id came back to desk A: a second sync sends nothing new.
    with a.db.read() as session:
        assert (
            session.scalar(select(Registration.hub_id).where(Registration.code == verdict.code)) is not None
        )
    a.worker.run_once()
    assert hub.log_count() == 1


def test_an_undo_at_the_desk_reaches_the_hub_and_a_conflicting_undo_annuls_nothing(
    hub: HubForTests, make_desk
):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        a = make_desk("A", connect_url=proxy.url_for(hub.url))
        b = make_desk("B", connect_url=proxy.url_for(hub.url))
        proxy.cut()
        a.scan(person.code)
        b.scan(person.code)
        local_b = b.service().lookup(person.code).registration_id  # type: ignore[union-attr]
        assert b.service().undo(local_b, day=DAY1).undone
        proxy.restore()
        # A's check-in reaches the hub first (B's is then the conflict), whatever the load.
        a.sync()
        b.sync()
        # B's check-in was the conflict; its undo annuls B's own check-in, not A's.
        assert hub.log_count() == 1
        assert a.scan(person.code) == "already_checked_in"
        b.sync()
        assert b.scan(person.code) == "already_checked_in"
    assert sorted(c.reason for c in hub.conflicts()) == ["already_checked_in", "undoes_other"]


def test_pending_facts_move_after_the_hubs_when_a_download_arrives_first(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        a = make_desk("A")
        b = make_desk("B", connect_url=proxy.url_for(hub.url))
        a.scan(person.code)
        local_a = a.service().lookup(person.code).registration_id  # type: ignore[union-attr]
        a.service().undo(local_a, day=DAY1)
        a.worker.run_once()  # hub: check-in seq 0, undo seq 1
        proxy.cut()
        assert b.scan(person.code) == "checked_in"  # B's own seq 0, pending
        proxy.restore()
        # Download first (the hub's seq 0 and 1 must not collide with B's pending seq 0).
        b.worker.download()
        assert b.scan(person.code) == "already_checked_in"
        b.worker.run_once()
    assert hub.log_count() == 3
    assert hub.conflicts() == []
    assert _log_rows(b.db, person.code) == 3


def test_a_purge_on_the_hub_reaches_the_replica(hub: HubForTests, make_desk):
    people = hub.people.add_many(3)
    a = make_desk("A")
    a.scan(people[0].code)
    a.worker.run_once()
    clock = lambda: dt.datetime(2025, 1, 10, tzinfo=dt.UTC)  # noqa: E731
    PrivacyService(hub.db, hub.event, clock=clock).purge(
        before=dt.date(2025, 1, 1), keep_statistics=False, confirm=True
    )
    a.worker.run_once()
    with a.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Registration)) == 0
        assert session.scalar(select(func.count()).select_from(CheckInLogEntry)) == 0


def test_an_anonymising_purge_clears_the_names_in_the_replica(hub: HubForTests, make_desk):
    hub.people.add_many(2)
    a = make_desk("A")
    clock = lambda: dt.datetime(2025, 1, 10, tzinfo=dt.UTC)  # noqa: E731
    PrivacyService(hub.db, hub.event, clock=clock).purge(before=dt.date(2025, 1, 1), confirm=True)
    a.worker.run_once()
    with a.db.read() as session:
        names = set(session.scalars(select(Registration.last_name)))
        count = session.scalar(select(func.count()).select_from(Registration))
    assert names == {""}
    assert count == 2


def test_a_silent_network_makes_the_desk_offline_within_the_bound(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        a = make_desk("A", connect_url=proxy.url_for(hub.url))
        a.worker.run_once()
        proxy.hang()
        assert a.scan(person.code) == "checked_in"
        import time

        started = time.monotonic()
        result, _ = a.worker.run_once()
        assert time.monotonic() - started < 6
        assert not result.online
        assert result.queued == 1
        proxy.restore()
        result, _ = a.worker.run_once()
    assert result.online
    assert result.queued == 0
    assert hub.log_count() == 1


@pytest.mark.parametrize("batch", [2, 1000])
def test_join_is_resumable_after_an_interruption(hub: HubForTests, tmp_path, batch: int):
    from checkin.domain.db import open_database
    from checkin.sync.join import join

    hub.people.add_many(7)
    db = open_database(tmp_path / "desk.db")
    calls = []

    def stop_after_first(stage: str, count: int) -> None:
        calls.append(count)
        if len(calls) == 1 and batch == 2:
            raise KeyboardInterrupt

    try:
        if batch == 2:
            with pytest.raises(KeyboardInterrupt):
                join(db, hub.url, "A", batch=batch, progress=stop_after_first)
            with db.read() as session:
                assert session.scalar(select(func.count()).select_from(Registration)) == 2
        result = join(db, hub.url, "A", batch=batch, progress=stop_after_first)
        assert result.registrations == 7
        assert result.resumed == (batch == 2)
        worker = SyncWorker(db)
        worker.run_once()
        worker.close()
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(Registration)) == 7
    finally:
        db.dispose()


def test_a_fact_the_hub_cannot_take_is_rejected_alone_and_the_queue_moves_on(hub: HubForTests, make_desk):
    from sqlalchemy import delete

    from checkin.domain.models import Category

    people = hub.people.add_many(2)
    a = make_desk("A")
    with hub.db.write() as session:  # the press category goes at the hub; desk A still has it
        session.execute(delete(Category).where(Category.key == "press"))
    a.scan(people[0].code)
    walk_in = a.service().walk_in(
        WalkInRequest(first_name="Pia", last_name="Presse", category_key="press"), day=DAY1
    )
    a.scan(people[1].code)
    result, _ = a.worker.run_once()
    assert result.online
    assert result.queued == 0
    assert result.conflicts == 4  # refused (the walk-in, its two days, its check-in): shown
    with hub.db.read() as session:
        assert session.scalar(select(func.count()).where(Registration.code == walk_in.code)) == 0
        rejected = set(
            session.execute(
                select(SyncFact.kind, SyncFact.reason).where(SyncFact.outcome == "rejected")
            ).all()
        )
    # The walk-in, and what hangs on it (its days, its check-in); nothing else.
    assert rejected == {
        ("reg_new", "invalid"),
        ("reg_day_insert", "unknown_registration"),
        ("log", "unknown_registration"),
    }
    assert hub.log_count() == 2


def test_a_badge_print_goes_up_once_and_a_workshop_added_at_the_hub_comes_down(hub: HubForTests, make_desk):
    from checkin.badges.service import BadgeService
    from checkin.domain.models import BadgePrint, EventSession, registration_sessions

    (person,) = hub.people.add_many(1)
    a = make_desk("A")
    local_id = a.service().lookup(person.code).registration_id  # type: ignore[union-attr]
    BadgeService(a.db, a.event, desk="A").record_print([local_id], layout="a6", reason="single")
    workshop = hub.event.workshops[0]
    with hub.db.write() as session:
        session.execute(
            registration_sessions.insert().values(
                registration_id=person.registration_id, session_id=workshop.id
            )
        )
    a.worker.run_once()
    a.worker.run_once()
    with hub.db.read() as session:
        prints = session.execute(select(BadgePrint.desk, BadgePrint.desk_id, BadgePrint.desk_seq)).all()
    assert len(prints) == 1
    assert prints[0].desk == "A"
    assert prints[0].desk_seq == 1
    with a.db.read() as session:
        keys = set(
            session.scalars(
                select(EventSession.key)
                .join(registration_sessions, registration_sessions.c.session_id == EventSession.id)
                .where(registration_sessions.c.registration_id == local_id)
            )
        )
        assert session.scalar(select(func.count()).select_from(BadgePrint)) == 1
    assert keys == {workshop.key}
