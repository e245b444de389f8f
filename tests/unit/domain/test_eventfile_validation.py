"""The event file refuses what would otherwise be read wrongly or fail later (issue 12)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from checkin.domain.eventfile import EventFileError, load_event_file, parse_event_definition
from checkin.resources import demo_event_file


def _demo() -> dict:
    return tomllib.loads(demo_event_file().read_text(encoding="utf-8"))


def _refused(data: dict) -> str:
    with pytest.raises(EventFileError) as caught:
        parse_event_definition(data)
    return str(caught.value)


def test_the_demo_file_is_valid():
    definition = parse_event_definition(_demo())
    assert definition.deny_unregistered_session is False


def test_a_quoted_false_is_not_true():
    data = _demo()
    data["event"]["deny_unregistered_session"] = "false"
    assert "true oder false" in _refused(data)


def test_two_default_categories():
    data = _demo()
    for category in data["categories"][:2]:
        category["default"] = True
    assert "participant, speaker" in _refused(data)


def test_a_session_ending_before_it_starts():
    data = _demo()
    data["sessions"][0]["start"], data["sessions"][0]["end"] = "12:00", "11:00"
    assert "endet (11:00), bevor er beginnt (12:00)" in _refused(data)


@pytest.mark.parametrize("capacity", [True, 2**63, -1, 1_000_001, "40"])
def test_capacity_must_be_a_sensible_whole_number(capacity: object):
    data = _demo()
    data["sessions"][0]["capacity"] = capacity
    assert "capacity" in _refused(data)


def test_unknown_badge_layout():
    from checkin.badges.layouts import BUILTIN_LAYOUTS

    data = _demo()
    data["event"]["badge_layout"] = "a12"
    with pytest.raises(EventFileError, match="a12"):
        parse_event_definition(data, layout_keys=[layout.key for layout in BUILTIN_LAYOUTS])
    parse_event_definition(data)  # the domain alone cannot know the layouts: it does not check


def test_retention_before_the_event():
    data = _demo()
    data["event"]["retention_until"] = data["days"][0]["date"].replace(year=2020)
    assert "retention_until" in _refused(data)


@pytest.mark.parametrize(
    ("table", "key", "limit"),
    [("event", "name", 300), ("sessions", "title", 500), ("categories", "name", 200), ("days", "label", 100)],
)
def test_texts_longer_than_their_database_column(table: str, key: str, limit: int):
    data = _demo()
    target = data[table] if table == "event" else data[table][0]
    target[key] = "x" * (limit + 1)
    assert f"länger als {limit} Zeichen" in _refused(data)


def test_deeply_nested_toml(tmp_path: Path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(EventFileError, match="verschachtelt"):
        load_event_file(path)


def _with_logo(tmp_path: Path, logo: str) -> Path:
    text = demo_event_file().read_text(encoding="utf-8")
    path = tmp_path / "event.toml"
    path.write_text(text.replace("[badge]", f'[badge]\nlogo = "{logo}"', 1), encoding="utf-8")
    return path


def test_logo_missing_or_not_an_image(tmp_path: Path):
    with pytest.raises(EventFileError, match="kann nicht gelesen werden"):
        load_event_file(_with_logo(tmp_path, "fehlt.png"))
    (tmp_path / "logo.png").write_text("kein Bild", encoding="utf-8")
    with pytest.raises(EventFileError, match="kein Bild"):
        load_event_file(_with_logo(tmp_path, "logo.png"))
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    definition = load_event_file(_with_logo(tmp_path, "logo.png"))
    assert definition.raw["badge"]["logo"] == str((tmp_path / "logo.png").resolve())
