"""Family names sort without their particles (DIN 5007-2): "von Weizsäcker" under W."""

from __future__ import annotations

import pytest

from checkin.domain.collation import family_name_parts, list_name_parts, name_key, person_sort_key


@pytest.mark.parametrize(
    ("last_name", "expected"),
    [
        ("von Weizsäcker", ("von", "Weizsäcker")),
        ("Freiherr von Stein", ("Freiherr von", "Stein")),
        ("Gräfin von und zu Dönhoff", ("Gräfin von und zu", "Dönhoff")),
        ("Von der Leyen", ("Von der", "Leyen")),
        ("van der Meer", ("van der", "Meer")),
        ("de Maizière", ("de", "Maizière")),
        ("De Gruyter", ("", "De Gruyter")),  # capitalised Romance particle: part of the name
        ("Graf", ("", "Graf")),  # a family name that is also a title
        ("Müller-Lüdenscheidt", ("", "Müller-Lüdenscheidt")),
        ("", ("", "")),
    ],
)
def test_family_name_parts(last_name: str, expected: tuple[str, str]):
    assert family_name_parts(last_name) == expected


def test_particles_sort_under_the_family_name():
    people = [
        ("Freiherr von Stein", "Karl"),
        ("Vogel", "Anna"),
        ("von Weizsäcker", "Richard"),
        ("Fischer", "Eva"),
        ("Stein", "Anna"),
        ("Weber", "Max"),
        ("Stein", "Karl"),
    ]
    ordered = [p[0] for p in sorted(people, key=lambda p: name_key(*p))]
    assert ordered == [
        "Fischer",
        "Stein",  # Anna Stein
        "Stein",  # Karl Stein: the plain name before the one with particles
        "Freiherr von Stein",
        "Vogel",
        "Weber",
        "von Weizsäcker",
    ]


def test_person_sort_key_agrees_with_name_key():
    people = [
        ("Freiherr von Stein", "Karl", "C1", 1),
        ("Stein", "Karl", "C2", 2),
        ("von Weizsäcker", "Richard", "C3", 3),
        ("Vogel", "Zoë", "C4", 4),
        ("Fröhlich", "Anna", "C5", 5),
    ]
    by_person = sorted(people, key=lambda p: person_sort_key(*p))
    by_name = sorted(people, key=lambda p: (name_key(p[0], p[1]), p[3]))
    assert by_person == by_name
    assert [p[3] for p in by_person] == [5, 2, 1, 4, 3]


def test_list_name_puts_the_particles_after_the_first_name():
    assert list_name_parts("Dr.", "Karl", "Freiherr von Stein") == ("Stein", "Dr. Karl Freiherr von")
    assert list_name_parts("", "Anna", "Müller") == ("Müller", "Anna")
