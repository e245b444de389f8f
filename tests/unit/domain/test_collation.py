"""German list order (DIN 5007-1): umlauts with their base letter, ß as ss, case-insensitive."""

from __future__ import annotations

from checkin.domain.collation import german_key, person_sort_key, primary_key


def test_primary_key_folds_umlauts_sharp_s_and_case():
    assert primary_key("Ärger") == "arger"
    assert primary_key("Strauß") == "strauss"
    assert primary_key("ŁUKASZ") == "lukasz"
    assert primary_key("Øre") == "ore"


def test_german_order():
    names = [
        "Zander",
        "Öztürk",
        "Oswald",
        "Ärger",
        "abel",
        "Abel",
        "Strauß",
        "Strausberg",
        "Muller",
        "Müller",
        "",
    ]
    assert sorted(names, key=german_key) == [
        "Abel",
        "abel",
        "Ärger",
        "Muller",
        "Müller",
        "Oswald",
        "Öztürk",
        "Strausberg",
        "Strauß",
        "Zander",
        "",
    ]


def test_first_name_breaks_ties():
    people = [("Meyer", "Zoe"), ("Meyer", "Anna"), ("Mayer", "Zoe")]
    assert sorted(people, key=lambda p: german_key(*p)) == [
        ("Mayer", "Zoe"),
        ("Meyer", "Anna"),
        ("Meyer", "Zoe"),
    ]


def test_people_sort_by_last_then_first_name_and_nameless_rows_go_last():
    people = [
        ("", "", "ZZZ", 1),
        ("Müller", "Anna", "A1", 2),
        ("Muller", "Zoe", "A2", 3),
        ("Ärger", "Ł", "A3", 4),
    ]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert [p[3] for p in ordered] == [4, 2, 3, 1]  # Ärger; muller+anna < muller+zoe; purged last
