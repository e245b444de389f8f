"""Fitting text into boxes: wrap at spaces and hyphens, shrink, ellipsise; never wider than the box."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from checkin.badges.fonts import register_fonts, visual_text
from checkin.badges.textfit import ELLIPSIS, ellipsise, fit_text, tokens, wrap

ORGANISATION = " ".join(
    (
        "Kommunales Jobcenter des Landkreises Marburg-Biedenkopf –",
        "Kreisjobcenter (KJC) Anstalt des öffentlichen Rechts",
    )
)


def width(text: str, size: float, bold: bool = False) -> float:
    return register_fonts().string_width(visual_text(text), size, bold)


def test_tokens_break_after_spaces_and_hyphens():
    assert tokens("Marburg-Biedenkopf Kreis") == ["Marburg-", "Biedenkopf ", "Kreis"]
    assert "".join(tokens(ORGANISATION)) == ORGANISATION


def test_wrap_breaks_at_a_hyphen_when_the_word_is_too_long():
    fonts = register_fonts()
    lines = wrap("Hohenzollern-Sigmaringen", fonts, 12, width("Hohenzollern-", 12) + 1)
    assert lines == ["Hohenzollern-", "Sigmaringen"]


def test_short_text_keeps_its_full_size_on_one_line():
    fitted = fit_text("Anna", register_fonts(), 200, max_size=30, min_size=15)
    assert fitted.lines == ("Anna",)
    assert fitted.size == 30
    assert not fitted.truncated


def test_long_organisation_wraps_to_two_lines_before_shrinking():
    fonts = register_fonts()
    box = 255.0  # the text width of an A6 badge in points
    fitted = fit_text(ORGANISATION, fonts, box, max_size=11.5, min_size=7.5, max_lines=2, bold=True)
    assert len(fitted.lines) == 2
    assert " ".join(fitted.lines).replace("- ", "-") == ORGANISATION
    assert all(width(line, fitted.size, True) <= box for line in fitted.lines)
    assert not fitted.truncated


def test_shrink_before_wrap_keeps_a_first_name_on_one_line():
    fonts = register_fonts()
    fitted = fit_text(
        "Maximilian-Alexander",
        fonts,
        250,
        max_size=30,
        min_size=15,
        max_lines=2,
        bold=True,
        shrink_before_wrap=True,
    )
    assert fitted.lines == ("Maximilian-Alexander",)
    assert 15 <= fitted.size < 30


def test_ellipsis_is_the_last_resort():
    fonts = register_fonts()
    fitted = fit_text(ORGANISATION, fonts, 60, max_size=10, min_size=8, max_lines=2)
    assert fitted.truncated
    assert len(fitted.lines) == 2
    assert fitted.lines[-1].endswith(ELLIPSIS)
    assert all(width(line, 8) <= 60 for line in fitted.lines)


def test_ellipsise_keeps_accents_with_their_letters():
    fonts = register_fonts()
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Minh Khai"
    result = ellipsise(decomposed, fonts, 10, width("Nguyễn", 10) + width(ELLIPSIS, 10))
    kept = result[: -len(ELLIPSIS)]
    assert result.endswith(ELLIPSIS)
    assert decomposed.startswith(kept)
    assert kept  # something of the name survives
    assert not unicodedata.combining(decomposed[len(kept)])  # no accent cut off its letter


names = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzÄÖÜäöüßŁłŞşễịΑβγДжשרמحمد -–")),
    min_size=0,
    max_size=120,
)


@settings(max_examples=120, deadline=None)
@given(text=names, box=st.floats(min_value=20, max_value=300), lines=st.integers(min_value=1, max_value=3))
def test_fitted_text_never_leaves_its_box(text, box, lines):
    fonts = register_fonts()
    fitted = fit_text(text, fonts, box, max_size=20, min_size=6, max_lines=lines)
    assert len(fitted.lines) <= lines
    assert 6 <= fitted.size <= 20
    for line in fitted.lines:
        assert width(line, fitted.size) <= box + 1e-6
