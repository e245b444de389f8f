"""Shipped fonts: registration, per-character fallback, NFC and right-to-left shaping."""

from __future__ import annotations

import unicodedata

import pytest
from reportlab.pdfbase import pdfmetrics

from checkin.badges.fonts import has_rtl, register_fonts, visual_text
from checkin.resources import resource_path
from tests.helpers import HARD_NAMES


def test_register_fonts_is_idempotent_and_registers_every_face():
    first = register_fonts()
    assert register_fonts() is first
    registered = set(pdfmetrics.getRegisteredFontNames())
    assert set(first.regular_chain) | set(first.bold_chain) <= registered
    assert first.regular == first.regular_chain[0]
    assert first.bold == first.bold_chain[0]


def test_fonts_ship_with_their_licences():
    folder = resource_path("fonts")
    assert (folder / "LICENSE-DejaVu.txt").is_file()
    assert (folder / "LICENSE-Noto.txt").is_file()
    assert "Open Font License" in (folder / "LICENSE-Noto.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("person", HARD_NAMES, ids=lambda p: p.last_name)
def test_every_character_of_the_test_names_has_a_glyph(person):
    fonts = register_fonts()
    for field in (person.title, person.first_name, person.last_name, person.organisation, person.function):
        for char in visual_text(field):
            if not char.isspace():
                assert fonts.has_glyph(char), f"no glyph for {char!r} (U+{ord(char):04X}) in {field!r}"


def test_runs_fall_back_per_character_and_keep_all_text():
    fonts = register_fonts()
    text = "Ольга ☃ Łukasz שרה"
    runs = fonts.runs(visual_text(text))
    assert "".join(run for _, run in runs) == visual_text(text)
    assert {font for font, _ in runs} >= {fonts.regular, "CheckinSansFallback", "CheckinSansHebrew"}
    for font, run in runs:
        face = pdfmetrics.getFont(font).face
        assert all(ord(c) in face.charToGlyph for c in run if not c.isspace()), (font, run)


def test_latin_text_stays_in_one_run_of_the_main_face():
    fonts = register_fonts()
    assert fonts.runs("Nguyễn Thị Minh Khai") == [(fonts.regular, "Nguyễn Thị Minh Khai")]
    assert fonts.runs("Müller", bold=True) == [(fonts.bold, "Müller")]


def test_visual_text_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Müller Şebnem Nguyễn")
    assert decomposed != "Müller Şebnem Nguyễn"
    assert visual_text(decomposed) == "Müller Şebnem Nguyễn"


def test_arabic_is_shaped_into_joined_forms_in_visual_order():
    shaped = visual_text("محمد")
    # Presentation forms (U+FE70..U+FEFF) are the joined letters; visual order is reversed.
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped)
    assert unicodedata.normalize("NFKC", shaped)[::-1] == "محمد"


def test_hebrew_is_reordered_and_latin_untouched():
    assert visual_text("שרה לוי") == "יול הרש"
    assert visual_text("Jobcenter") == "Jobcenter"
    assert has_rtl("שרה")
    assert has_rtl("محمد")
    assert not has_rtl("Ελένη")


@pytest.mark.parametrize("bold", [False, True])
def test_characters_no_font_has_become_a_visible_replacement_not_a_box(bold):
    fonts = register_fonts()
    runs = fonts.runs("王 Li\U000e0001\u180e", bold)  # Chinese, then invisible format marks no font has
    drawn = "".join(run for _, run in runs)
    assert drawn == "\ufffd Li"
    for font, run in runs:
        face = pdfmetrics.getFont(font).face
        assert all(ord(c) in face.charToGlyph for c in run), (font, run)
