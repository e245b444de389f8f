"""Names in other scripts found from a German keyboard (issue 13): the transliterated key."""

from __future__ import annotations

import pytest

from checkin.domain.search import SearchIndex, transliterated


@pytest.fixture
def index(db, demo_event, people):
    people.add("Олена", "Бабич", organisation="Київ")
    people.add("Γιώργος", "Παπαδόπουλος")
    people.add("Anna", "Babic")
    return SearchIndex(db, demo_event)


def names(hits):
    return [h.person.last_name for h in hits]


def test_babich_finds_the_cyrillic_name(index):
    assert "Бабич" in names(index.search("Babich"))
    assert names(index.search("Olena Babich")) == ["Бабич"]


def test_the_name_as_written_still_finds_it(index):
    assert names(index.search("Бабич")) == ["Бабич"]


def test_greek_names_are_found_in_latin_letters(index):
    assert names(index.search("Georgios Papadopoulos")) == ["Παπαδόπουλος"]


def test_latin_names_get_no_second_key():
    assert transliterated(("muller",), "Müller") == ()
    assert transliterated(("бабич",), "Бабич") == ("babich",)


def test_a_new_registration_is_found_transliterated_at_once(db, demo_event, people):
    index = SearchIndex(db, demo_event)
    person = people.add("Іван", "Шевченко")
    index.upsert(person.registration_id)
    assert names(index.search("Shevchenko")) == ["Шевченко"]
