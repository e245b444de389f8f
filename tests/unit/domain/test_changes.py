"""The one "what changed" value: merging and the questions views ask of it."""

from __future__ import annotations

from checkin.domain.changes import Changes


def test_a_check_in_touches_its_person_and_session_and_the_figures() -> None:
    changes = Changes.check_in(7, session_id=3)
    assert changes.touches_registration(7)
    assert not changes.touches_registration(8)
    assert changes.touches_session(3)
    assert not changes.touches_session(4)
    assert changes.figures
    assert not changes.people_list


def test_merging_unions_the_ids_and_everything_absorbs_all() -> None:
    merged = Changes.check_in(1) | Changes.person(2)
    assert merged.registrations == frozenset({1, 2})
    assert merged.figures
    assert merged.people_list
    assert (merged | Changes.everything()).registrations is None
    assert (merged | Changes.everything()).touches_registration(999)


def test_nothing_changed_is_empty() -> None:
    assert Changes.none().is_empty
    assert not Changes.check_in(1).is_empty
