"""The desk's ChangeBus: what each write says it changed, and the poller for other desks' writes."""

from __future__ import annotations

import datetime as dt

from checkin.domain.changes import Changes
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import open_database
from checkin.domain.walk_in import WalkInRequest
from checkin.ui.change_bus import ChangeBus, DatabasePoller, changes_of_print

DAY1 = dt.date(2024, 9, 19)


def _collect(bus: ChangeBus) -> list[Changes]:
    seen: list[Changes] = []
    bus.changed.connect(seen.append)
    return seen


def test_empty_changes_are_not_published():
    bus = ChangeBus()
    seen = _collect(bus)
    bus.publish(Changes.none())
    assert seen == []
    bus.publish(Changes.everything())
    assert seen == [Changes.everything()]


def test_what_an_entrance_scan_changed(desk_context, people):
    verdict = desk_context.checkin.scan(people["mueller"].code, day=DAY1)
    changes = verdict.changes
    assert changes == Changes.check_in(people["mueller"].registration_id)
    assert not changes.people_list


def test_what_a_session_scan_changed(desk_context, demo_event, people):
    verdict = desk_context.checkin.scan(people["schmidt"].code, day=DAY1, session_key="zw-digitalisierung")
    session_id = demo_event.session_by_key("zw-digitalisierung").id
    assert verdict.changes == Changes.check_in(people["schmidt"].registration_id, session_id)


def test_a_refused_or_repeated_scan_changed_nothing(desk_context, people):
    cancelled = desk_context.checkin.scan(people["weber"].code, day=DAY1)
    garbage = desk_context.checkin.scan("HELLO-WORLD", day=DAY1)
    desk_context.checkin.scan(people["mueller"].code, day=DAY1)
    again = desk_context.checkin.scan(people["mueller"].code, day=DAY1)
    assert again.admitted  # let in again, but nothing new was recorded
    for verdict in (cancelled, garbage, again):
        assert verdict.changes.is_empty, verdict.kind


def test_a_walk_in_is_a_new_person_for_the_search(desk_context):
    verdict = desk_context.checkin.walk_in(WalkInRequest("Jürgen", "Weiß"), day=DAY1)
    assert verdict.person is not None
    changes = verdict.changes
    assert changes.people_list
    assert changes.figures
    assert changes.registrations == frozenset({verdict.person.registration_id})


def test_what_an_undo_changed(desk_context, people):
    desk_context.checkin.scan(people["mueller"].code, day=DAY1)
    result = desk_context.checkin.undo_last()
    assert result is not None
    assert result.changes == Changes.check_in(people["mueller"].registration_id)


def test_a_print_moves_the_person_and_the_figures():
    changes = changes_of_print([3, 5])
    assert changes.registrations == frozenset({3, 5})
    assert changes.figures
    assert not changes.people_list


def test_the_poller_publishes_what_another_desk_wrote(qtbot, desk_context, db, demo_event, people, clock):
    seen = _collect(desk_context.changes)
    poller = DatabasePoller(desk_context)  # takes the baseline at once
    poller.poll()
    assert seen == []
    other_db = open_database(db.url)
    try:
        CheckInService(other_db, demo_event, desk="Theke 2", clock=clock).scan(
            people["schmidt"].code, day=DAY1
        )
    finally:
        other_db.dispose()
    poller.poll()
    assert len(seen) == 1
    assert seen[0].figures
    assert seen[0].touches_registration(people["schmidt"].registration_id)
    poller.poll()
    assert len(seen) == 1  # nothing new


def test_a_poll_that_cannot_read_says_so_and_polls_again(qtbot, desk_context, monkeypatch):
    poller = DatabasePoller(desk_context)
    errors: list[BaseException] = []
    poller.failed.connect(errors.append)

    def broken() -> Changes:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(poller._watcher, "poll", broken)
    poller.poll()
    poller.poll()  # the failed poll does not block the next one
    assert [str(e) for e in errors] == ["database is locked", "database is locked"]
