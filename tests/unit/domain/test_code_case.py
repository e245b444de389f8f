"""Imported codes scanned in another case (caps lock, a scanner's setting): found when only one fits."""

from __future__ import annotations

from checkin.domain.verdicts import VerdictKind
from tests.helpers import DAY1


def test_a_mixed_case_imported_code_is_found_in_capitals(desk, people):
    person = people.add("Mara", "Klein", code="pX7kQm2Rt9vB", days=())
    verdict = desk.scan("PX7KQM2RT9VB", day=DAY1)
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.registration_id == person.registration_id


def test_two_codes_that_differ_only_in_case_are_not_guessed(desk, people):
    people.add("Eins", "Fall", code="aBcD-1234-xyz", days=())
    people.add("Zwei", "Fall", code="AbCd-1234-XYZ", days=())
    verdict = desk.scan("ABCD-1234-XYZ", day=DAY1)
    assert verdict.kind is VerdictKind.UNKNOWN
    assert verdict.person is None


def test_the_exact_spelling_still_wins(desk, people):
    exact = people.add("Genau", "So", code="aBcD-1234-xyz", days=())
    people.add("Anders", "Geschrieben", code="AbCd-1234-XYZ", days=())
    assert desk.scan("aBcD-1234-xyz", day=DAY1).person.registration_id == exact.registration_id
