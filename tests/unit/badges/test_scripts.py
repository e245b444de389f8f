"""Scripts the shipped fonts cannot draw, and lines that mix directions."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_certificates import log

from checkin.badges.certificates import CertificateWriter
from checkin.badges.coverage import UnprintableNameError, unprintable_registrations
from checkin.badges.fonts import base_direction, register_fonts, visual_text
from checkin.badges.service import BadgeService
from checkin.resources import resource_path
from tests.helpers import NewPerson, People
from tests.unit.cli.test_badge_commands import run

CHINESE = NewPerson("伟", "王", organisation="北京大学")


def test_the_first_strong_character_sets_the_direction():
    assert base_direction("Jobcenter عبد الله") == "ltr"
    assert base_direction("عبد الله, Jobcenter") == "rtl"
    assert base_direction("(42) שרה") == "rtl"
    assert base_direction("123") == "ltr"
    assert visual_text("Jobcenter عبد الله").startswith("Jobcenter ")
    # Right to left: the Arabic comes first in reading order, so on the right; the Latin word on the left.
    assert visual_text("عبد الله Jobcenter").startswith("Jobcenter ")


def test_a_latin_line_with_arabic_in_it_stays_left_aligned(db, demo_event):
    people = People(db, demo_event).add_all(
        [
            NewPerson("Sara", "Nasser", organisation="Jobcenter الرياض"),
            NewPerson("Omar", "Haddad", organisation="مركز التوظيف Jobcenter"),
        ],
    )
    service = BadgeService(db, demo_event)
    found = {}
    for registration_id, _code in people:
        service.renderer.boxes = []
        service.render_badges([registration_id], layout="a6")
        (org,) = [b for b in service.renderer.boxes if b.kind == "organisation"]
        (last,) = [b for b in service.renderer.boxes if b.kind == "last_name"]
        found[registration_id] = (org, last)
    (latin_org, latin_last), (arabic_org, _) = found.values()
    assert latin_org.x0 == pytest.approx(latin_last.x0, abs=0.5)  # left, like the Latin name above it
    badge_right = arabic_org.badge[2]
    assert badge_right - arabic_org.x1 < 25  # right-aligned (pad of 7.5 mm ≈ 21 pt)
    assert arabic_org.x0 > latin_org.x0 + 20


def test_unprintable_characters_are_named():
    fonts = register_fonts()
    assert fonts.unprintable("王 Li\u200d") == "王"
    assert fonts.unprintable("Łukasz Ελένη Ольга محمد") == ""


def test_badges_warn_before_printing_and_list_the_people(db, demo_event, tmp_path, capsys):
    people = People(db, demo_event).add_all([CHINESE, NewPerson("Anna", "Schmidt")])
    (wang,) = unprintable_registrations(db, [registration_id for registration_id, _ in people])
    assert wang.code == people[0][1]
    assert wang.characters == "伟王北京大学"
    assert run(db, ["badges", "--out", str(tmp_path / "b.pdf"), "--no-log"]) == 0
    err = capsys.readouterr().err
    assert f"伟 王 ({people[0][1]})" in err
    assert "Schmidt" not in err
    assert "CHECKIN_CJK_FONT" in err


def test_certificates_are_refused_rather_than_printed_with_a_replacement_character(db, demo_event):
    ((wang, code),) = People(db, demo_event).add_all([CHINESE])
    log(db, demo_event, wang, 0)
    with pytest.raises(UnprintableNameError, match=code) as caught:
        CertificateWriter(db, demo_event).render(wang)
    assert "伟 王" in str(caught.value)


def test_a_cjk_font_named_by_the_environment_joins_the_fallback_chain():
    """In a fresh process (fonts are registered once per process); any TrueType font proves the wiring."""
    font = resource_path("fonts", "DejaVuSans.ttf")
    code = "from checkin.badges.fonts import register_fonts; print(register_fonts().regular_chain[-1])"
    env = {**os.environ, "CHECKIN_CJK_FONT": str(font)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "CheckinSansCJK"
    env["CHECKIN_CJK_FONT"] = str(font.with_name("missing.ttf"))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "CheckinSansFallback"
