"""A new event file from plain values: field problems, TOML escaping, the round trip, loading."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin.badges.layouts import BUILTIN_LAYOUTS
from checkin.domain.event_writer import (
    CategoryDraft,
    EventDraft,
    SessionDraft,
    check_draft,
    event_document,
    make_key,
    toml_text,
    write_event_file,
)
from checkin.domain.eventfile import EventFileError, load_event_file, parse_event_definition
from checkin.domain.events import EventService

LAYOUTS = [layout.key for layout in BUILTIN_LAYOUTS]
D1, D2 = dt.date(2025, 9, 18), dt.date(2025, 9, 19)


def _draft(**changes) -> EventDraft:
    values = {
        "name": "Fachtag Süd 2025",
        "days": (D1, D2),
        "venue": 'Haus "Am See"',
        "address": "Seestraße 1\\2, 80331 München",
        "sessions": (
            SessionDraft("Eröffnung", D1, dt.time(9), dt.time(10), "Großer Saal", 300),
            SessionDraft("Werkstatt A", D1, dt.time(11), dt.time(12, 30), "Raum 1", 25, "workshop"),
            SessionDraft("Werkstatt A", D2, dt.time(11), dt.time(12, 30), "Raum 1", None, "workshop"),
        ),
        "categories": (
            CategoryDraft("Teilnehmer/in", "#1F5FA8", "TEILNEHMER/IN"),
            CategoryDraft("Presse", "#6a3d9a", "PRESSE"),
        ),
    }
    values.update(changes)
    return EventDraft(**values)


def test_a_draft_round_trips_through_the_event_file_parser():
    draft = _draft()
    assert check_draft(draft) == []
    text = toml_text(event_document(draft))
    definition = parse_event_definition(tomllib.loads(text), layout_keys=LAYOUTS)
    assert definition.slug == "fachtag-sued-2025"
    assert definition.name == "Fachtag Süd 2025"
    assert definition.venue == 'Haus "Am See"'
    assert definition.address == "Seestraße 1\\2, 80331 München"
    assert [d.date for d in definition.days] == [D1, D2]
    assert [(s.key, s.kind, s.day, s.start, s.end, s.room, s.capacity) for s in definition.sessions] == [
        ("eroeffnung", "plenary", D1, dt.time(9), dt.time(10), "Großer Saal", 300),
        ("werkstatt-a", "workshop", D1, dt.time(11), dt.time(12, 30), "Raum 1", 25),
        ("werkstatt-a-2", "workshop", D2, dt.time(11), dt.time(12, 30), "Raum 1", None),
    ]
    assert [(c.key, c.name, c.colour, c.badge_label, c.default) for c in definition.categories] == [
        ("teilnehmer-in", "Teilnehmer/in", "#1f5fa8", "TEILNEHMER/IN", True),
        ("presse", "Presse", "#6a3d9a", "PRESSE", False),
    ]
    assert "secret" not in text  # made when the file is loaded, kept in the database


@given(st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_text_survives_the_toml_writer(name):
    document = {"event": {"name": name, "list": [name, "x"]}}
    assert tomllib.loads(toml_text(document)) == document


def test_control_characters_and_quotes_are_escaped():
    text = toml_text({"event": {"name": 'a"b\\c\nd\te\x1ff\x7f'}})
    for escaped in ('\\"', "\\\\", "\\n", "\\t", "\\u001f", "\\u007f"):
        assert escaped in text
    assert tomllib.loads(text)["event"]["name"] == 'a"b\\c\nd\te\x1ff\x7f'


def test_problems_are_named_at_their_fields():
    draft = _draft(
        name="  ",
        sessions=(
            SessionDraft("", D1),
            SessionDraft("Spät", dt.date(2030, 1, 1), dt.time(14), dt.time(13), capacity=2_000_000),
        ),
        categories=(
            CategoryDraft("Presse", "blau"),
            CategoryDraft("presse"),
            CategoryDraft("x", badge_label="L" * 101),
        ),
    )
    problems = {(p.field, p.index): p.message for p in check_draft(draft)}
    assert problems == {
        ("name", None): "Die Veranstaltung braucht einen Namen.",
        ("session.title", 0): "Der Programmpunkt braucht einen Titel.",
        ("session.day", 1): "Dieser Tag gehört nicht zur Veranstaltung.",
        ("session.end", 1): "Der Programmpunkt muss nach seinem Beginn enden.",
        ("session.capacity", 1): "Eine ganze Zahl von 0 bis 1000000.",
        ("category.colour", 0): "Eine Farbe wie #1f5fa8.",
        ("category.name", 1): "Zwei Kategorien haben diesen Namen.",
        ("category.badge_label", 2): "Höchstens 100 Zeichen (jetzt 101).",
    }


def test_no_day_no_category_and_an_existing_slug_are_refused():
    problems = {p.field: p.message for p in check_draft(_draft(days=(), sessions=(), categories=()))}
    assert problems == {
        "days": "Die Veranstaltung braucht mindestens einen Tag.",
        "categories": "Die Veranstaltung braucht mindestens eine Kategorie.",
    }
    taken = check_draft(_draft(), existing_slugs={"fachtag-sued-2025"})
    assert [p.field for p in taken] == ["name"]
    assert "fachtag-sued-2025" in taken[0].message


def test_keys_are_ascii_and_never_empty():
    assert (
        make_key("Zukunftswerkstatt Süd: Łódź & Ørsted", fallback="x") == "zukunftswerkstatt-sued-lodz-orsted"
    )
    assert make_key("!!!", fallback="session") == "session"
    assert make_key("日本語", fallback="event") == "event"


def test_the_written_file_loads_into_the_database(db, tmp_path):
    path = tmp_path / "fachtag.toml"
    definition = write_event_file(path, _draft(), layout_keys=LAYOUTS)
    loaded = load_event_file(path, layout_keys=LAYOUTS)
    assert (loaded.name, loaded.days, loaded.sessions, loaded.categories) == (
        definition.name,
        definition.days,
        definition.sessions,
        definition.categories,
    )
    info = EventService(db).load_definition(loaded)
    assert info.slug == "fachtag-sued-2025"
    assert [s.key for s in info.sessions] == ["eroeffnung", "werkstatt-a", "werkstatt-a-2"]
    assert info.default_category.name == "Teilnehmer/in"


def test_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "fachtag.toml"
    path.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(EventFileError, match="gibt es schon"):
        write_event_file(path, _draft(), layout_keys=LAYOUTS)
    assert path.read_text(encoding="utf-8") == "# mine\n"


def test_a_draft_the_parser_refuses_writes_nothing(tmp_path):
    path = tmp_path / "bad.toml"
    with pytest.raises(EventFileError, match="poster"):
        write_event_file(path, _draft(badge_layout="poster"), layout_keys=LAYOUTS)
    assert not path.exists()
