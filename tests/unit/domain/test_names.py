"""Name cleaning and splitting."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin.domain.names import (
    PersonName,
    clean_name_parts,
    clean_text,
    clean_title,
    join_titles,
    name_key,
    split_full_name,
    split_title,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Anna  ", "Anna"),
        ("Anna\u00a0Maria", "Anna Maria"),
        ("Anna\u202f \u2009Maria", "Anna Maria"),
        ("Sch\u200bö\ufeffb", "Schöb"),
        (unicodedata.normalize("NFD", "Nguyễn Jürgen"), "Nguyễn Jürgen"),
        ("Zeile\nzwei\tdrei", "Zeile zwei drei"),
        (None, ""),
        (1001, "1001"),
    ],
)
def test_clean_text(raw, expected):
    result = clean_text(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Prof. Dr. Ronnie Schöb", ("Prof. Dr.", "Ronnie", "Schöb")),
        ("Herr Prof. Dr. Ronnie Schöb", ("Prof. Dr.", "Ronnie", "Schöb")),
        ("Frau Dr. Corinna Funke", ("Dr.", "Corinna", "Funke")),
        ("Schöb, Ronnie", ("", "Ronnie", "Schöb")),
        ("Schöb, Prof. Dr. Ronnie", ("Prof. Dr.", "Ronnie", "Schöb")),
        ("Müller, Anna, Dr.", ("Dr.", "Anna", "Müller")),
        ("Dr. med. Hans-Peter Müller-Lüdenscheidt", ("Dr. med.", "Hans-Peter", "Müller-Lüdenscheidt")),
        ("Dipl.-Ing. Anna Maria Schulz", ("Dipl.-Ing.", "Anna Maria", "Schulz")),
        ("Dr.-Ing. habil. Karl Bauer", ("Dr.-Ing. habil.", "Karl", "Bauer")),
        ("Ursula von der Leyen", ("", "Ursula", "von der Leyen")),
        ("Anna-Katharina Freifrau von Hohenberg-Waldenfels",
         ("", "Anna-Katharina", "Freifrau von Hohenberg-Waldenfels")),
        ("Thị Minh Anh Nguyễn", ("", "Thị Minh Anh", "Nguyễn")),
        ("Ольга Иванова", ("", "Ольга", "Иванова")),
        ("Jun Li", ("", "Jun", "Li")),  # a given name, not "jun." (junior professor)
        ("Ing Marie Berg", ("", "Ing Marie", "Berg")),  # "Ing." only with its dot
        ("Madonna", ("", "", "Madonna")),
        ("Herr Müller", ("", "", "Müller")),
        ("Dr.", ("", "", "Dr.")),
        ("", ("", "", "")),
    ],
)  # fmt: skip
def test_split_full_name(full: str, expected: tuple[str, str, str]):
    assert split_full_name(full) == PersonName(*expected)


def test_split_title_keeps_a_lone_word():
    assert split_title("Prof. Dr. Schöb") == ("Prof. Dr.", "Schöb")
    assert split_title("Herr Schöb") == ("", "Schöb")
    assert split_title("Prof.") == ("", "Prof.")


def test_titles_and_salutations():
    assert clean_title("Herr Dr.") == "Dr."
    assert clean_title("Frau") == ""
    assert join_titles("Dr.", "Prof. Dr.") == "Prof. Dr."
    assert join_titles("", "") == ""
    assert clean_name_parts("Herr", "Dr. Anna", "Prof. Łukasiewicz") == PersonName(
        "Prof. Dr.", "Anna", "Łukasiewicz"
    )


def test_name_key_ignores_case_accents_and_spaces():
    assert name_key("Jürgen", "Weiß") == name_key("JÜRGEN ", "weiss")
    assert name_key("Anna", "Schulz") == name_key("ANNA", "schulz")
    assert name_key("Anna", "Schulz") != name_key("Anne", "Schulz")


@given(st.text())
def test_clean_text_is_idempotent_and_trimmed(text: str):
    once = clean_text(text)
    assert clean_text(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.text(alphabet=st.characters(categories=("L", "Zs", "P")), max_size=40))
def test_split_never_loses_letters(text: str):
    person = split_full_name(text)
    source = sorted(ch for ch in clean_text(text) if ch.isalpha())
    kept = sorted(ch for ch in f"{person.title}{person.first_name}{person.last_name}" if ch.isalpha())
    # salutations ("Herr", "Frau", "Mr") are the only words that may disappear
    assert len(kept) <= len(source)
    assert set(kept) <= set(source)
