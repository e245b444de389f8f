"""The database watcher reports another writer's changes, and nothing when nothing moved."""

from __future__ import annotations

from checkin.domain.changes import Changes
from checkin.domain.watcher import ChangeMarker, changes_between


def _marker(log: int = 1, count: int = 5, last_id: int = 5, audit: int = 0) -> ChangeMarker:
    return ChangeMarker(log, count, last_id, None, audit)


def test_no_move_is_no_change() -> None:
    assert changes_between(_marker(), _marker()).is_empty


def test_a_new_log_row_moves_the_figures_but_not_the_people_list() -> None:
    changes = changes_between(_marker(log=1), _marker(log=2))
    assert changes.figures
    assert not changes.people_list
    assert changes.touches_registration(123)


def test_a_new_registration_rebuilds_the_people_list() -> None:
    changes = changes_between(_marker(count=5, last_id=5), _marker(count=6, last_id=6))
    assert changes.people_list
    assert changes != Changes.everything()


def test_the_watcher_sees_a_check_in_written_by_another_connection(db, demo_event, people, desk) -> None:  # type: ignore[no-untyped-def]
    from checkin.domain.watcher import DatabaseWatcher
    from tests.helpers import DAY1

    person = people.add("Jürgen", "Weiß")
    watcher = DatabaseWatcher(db, demo_event.id)
    assert watcher.poll().is_empty  # the first poll sets the baseline
    assert watcher.poll().is_empty
    desk.scan(person.code, day=DAY1)
    changes = watcher.poll()
    assert changes.figures
    assert watcher.poll().is_empty
