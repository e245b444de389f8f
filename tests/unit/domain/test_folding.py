"""German folding for search keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin.domain.folding import fold, tokens


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (("Müller", "Mueller", "Muller", "MÜLLER", "müller"), "muller"),
        (("Groß", "Gross", "GROSS", "groß", "Groẞ"), "gross"),
        (("Öztürk", "Ozturk", "Oeztuerk", "ÖZTÜRK"), "ozturk"),
        (("Schäfer", "Schaefer", "Schafer"), "schafer"),
        (("José", "Jose", "JOSÉ"), "jose"),
        (("Łukasz", "Lukasz"), "lukasz"),
        (("Nguyễn", "Nguyen"), "nguyen"),
        (("Søren", "Soren"), "soren"),
        (("Dvořák", "Dvorak"), "dvorak"),
        (("Şahin", "Sahin"), "sahin"),
    ],
)
def test_spellings_fold_to_one_key(spellings, key):
    assert {fold(s) for s in spellings} == {key}


def test_tokens_split_at_punctuation_and_keep_other_scripts():
    assert tokens("Weber, Diakonie e.V.") == ["weber", "diakonie", "e", "v"]
    assert tokens("Müller-Lüdenscheidt") == ["muller", "ludenscheidt"]
    assert tokens("Иван Петров") == ["иван", "петров"]
    assert tokens("anna.schmidt@jobcenter-kassel.de") == ["anna", "schmidt", "jobcenter", "kassel", "de"]
    assert tokens("  ") == []


@given(st.text(max_size=200))
def test_fold_is_idempotent_and_never_raises(text):
    once = fold(text)
    assert fold(once) == once
    assert all(t for t in tokens(text))
