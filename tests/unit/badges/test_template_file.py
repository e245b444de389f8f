"""Templates in the event file: checked on load, written back without touching the rest of the file.

Tests run in German (tests/conftest.py), so the messages matched are German.
"""

from __future__ import annotations

import shutil
import tomllib

import pytest

from checkin.badges.template_file import TemplateFileError, save_templates
from checkin.badges.templates import default_template
from checkin.domain.badge_templates import BadgeTemplate, TemplateElement, parse_templates, template_spec
from checkin.domain.eventfile import EventFileError, load_event_file
from checkin.resources import demo_event_file

TEMPLATE = """
[[badge.templates]]
layout = "a6"
category = "speaker"

[[badge.templates.front]]
kind = "text"
field = "last_name"
x = 10.0
y = 20.0
w = 80.0
h = 12.0
size = 24.0
bold = true

[[badge.templates.front]]
kind = "image"
src = "logo.png"
x = 70.0
y = 5.0
w = 25.0
h = 10.0
"""


@pytest.fixture
def event_file(tmp_path):
    path = tmp_path / "event.toml"
    shutil.copy(demo_event_file(), path)
    from PIL import Image

    Image.new("RGB", (40, 16), (200, 30, 30)).save(tmp_path / "logo.png")
    return path


def test_templates_are_read_with_image_paths_beside_the_event_file(event_file):
    event_file.write_text(event_file.read_text(encoding="utf-8") + TEMPLATE, encoding="utf-8")
    definition = load_event_file(event_file)
    (template,) = parse_templates(definition.raw["badge"])
    assert (template.layout, template.category) == ("a6", "speaker")
    text, image = template.front
    assert (text.field, text.x, text.y, text.size, text.bold) == ("last_name", 10.0, 20.0, 24.0, True)
    assert image.src == str((event_file.parent / "logo.png").resolve())


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ('kind = "text"', "'kind' muss eines von"),
        ('field = "last_name"', "'field' muss eines von"),
        ("x = 10.0", "'x' muss eine Zahl"),
        ("w = 80.0", "'w' und 'h' müssen größer als 0"),
        ("bold = true", "'bold' hat einen falschen Typ"),
        ('src = "logo.png"', "event.toml"),  # the file named is no image
    ],
)
def test_a_wrong_template_is_refused_on_load(event_file, wrong, message):
    replacement = {
        'kind = "text"': 'kind = "sticker"',
        'field = "last_name"': 'field = "shoe_size"',
        "x = 10.0": 'x = "links"',
        "w = 80.0": "w = 0",
        "bold = true": 'bold = "ja"',
        'src = "logo.png"': 'src = "event.toml"',
    }[wrong]
    event_file.write_text(
        event_file.read_text(encoding="utf-8") + TEMPLATE.replace(wrong, replacement, 1), encoding="utf-8"
    )
    with pytest.raises(EventFileError, match=message):
        load_event_file(event_file)


def test_two_templates_for_one_layout_and_category_are_refused(event_file):
    event_file.write_text(event_file.read_text(encoding="utf-8") + TEMPLATE + TEMPLATE, encoding="utf-8")
    with pytest.raises(EventFileError, match="zwei Vorlagen"):
        load_event_file(event_file)


def test_saving_replaces_the_templates_and_keeps_the_rest_of_the_file(event_file):
    original = event_file.read_text(encoding="utf-8")
    event_file.write_text(original + TEMPLATE, encoding="utf-8")
    first = default_template("a6", 105, 148, "CODE", workshops=True)
    moved = first.with_side("front", (first.front[0].moved(1.5, -2), *first.front[1:]))
    back = BadgeTemplate("a7", (TemplateElement("text", 5, 5, 60, 10, text='WLAN „Gast“ \\ "x"'),), back=())
    save_templates(event_file, [moved, back])
    text = event_file.read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n"))  # comments and order of the rest stay
    assert 'category = "speaker"' not in text
    reread = parse_templates(tomllib.loads(text)["badge"])
    # As saved: every mm and pt to a thousandth.
    assert [template_spec(t) for t in reread] == [template_spec(moved), template_spec(back)]
    assert reread[0].front[0].x == pytest.approx(1.5)
    assert load_event_file(event_file).name == load_event_file(demo_event_file()).name
    save_templates(event_file, [])
    assert event_file.read_text(encoding="utf-8").rstrip("\n") == original.rstrip("\n")


def test_an_image_beside_the_event_file_is_saved_as_a_relative_path(event_file):
    image = TemplateElement("image", 5, 5, 20, 10, src=str(event_file.parent / "logo.png"))
    save_templates(event_file, [BadgeTemplate("a6", (image,))])
    assert 'src = "logo.png"' in event_file.read_text(encoding="utf-8")
    (template,) = parse_templates(load_event_file(event_file).raw["badge"])
    assert template.front[0].src == str((event_file.parent / "logo.png").resolve())


def test_templates_written_inline_cannot_be_replaced_and_the_file_stays(event_file):
    text = event_file.read_text(encoding="utf-8").replace("[badge]\n", "[badge]\ntemplates = []\n", 1)
    event_file.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateFileError):
        save_templates(event_file, [default_template("a6", 105, 148)])
    assert event_file.read_text(encoding="utf-8") == text
