"""The check-in log's note vocabulary: written and read by the same module."""

from __future__ import annotations

import pytest

from checkin.domain.log_notes import (
    LogNote,
    NoteKind,
    format_notes,
    note_fact,
    parse_notes,
    session_keys,
)
from checkin.i18n import _
from checkin.presentation.note_text import describe_notes, scan_note_sentence

TITLES = {"zw-bass": "Werkstatt Bass", "zw-it": "IT-Sicherheit: Grundlagen"}


def _title(key: str) -> str:
    return TITLES.get(key, key)


def test_written_notes_parse_back():
    text = format_notes(["manual", "", note_fact(NoteKind.MOVED_FROM, "zw-bass")])
    assert text == "manual,moved_from:zw-bass"
    assert parse_notes(text) == (LogNote("manual"), LogNote("moved_from", "zw-bass"))
    assert session_keys(text, NoteKind.MOVED_FROM) == ["zw-bass"]
    assert session_keys(["walk_in", "moved_from:zw-it"], NoteKind.MOVED_FROM) == ["zw-it"]
    assert parse_notes("") == parse_notes(None) == ()


def test_a_session_fact_needs_its_key_and_a_flag_takes_none():
    with pytest.raises(ValueError, match="needs"):
        note_fact(NoteKind.AUTO)
    with pytest.raises(ValueError, match="takes no"):
        note_fact(NoteKind.MANUAL, "zw-bass")


def test_every_kind_reads_as_words():
    with_session = {NoteKind.MOVED_TO, NoteKind.MOVED_FROM, NoteKind.RESTORED_FROM, NoteKind.AUTO}
    for kind in NoteKind:
        value = "zw-bass" if kind in with_session else "0f3a9c" if kind is NoteKind.QUEUED else ""
        fact = note_fact(kind, value)
        words = describe_notes(fact, _title)
        assert words, kind
        assert kind.value not in words, kind


def test_notes_in_words_use_session_titles_and_keep_unknown_facts():
    text = "restored_from:zw-it,yz_swapped,something_new"
    assert describe_notes(text, _title) == "; ".join(
        [
            _("back from {session} (move undone)").format(session="IT-Sicherheit: Grundlagen"),
            _("code read with Y/Z swapped"),
            "something_new",
        ]
    )


def test_notes_are_cut_to_the_column_width():
    assert len(format_notes(["manual"] * 200)) == 300


def test_every_fact_a_verdict_carries_reads_as_a_sentence_at_the_desk():
    with_session = {NoteKind.MOVED_TO, NoteKind.MOVED_FROM, NoteKind.RESTORED_FROM, NoteKind.AUTO}
    for kind in NoteKind:
        if kind in (NoteKind.RESTORED_FROM, NoteKind.AUTO, NoteKind.QUEUED):
            continue  # written to the log only, never shown with a verdict
        note = note_fact(kind, "zw-bass" if kind in with_session else "")
        sentence = scan_note_sentence(note, TITLES)
        assert sentence.endswith("."), kind
        assert kind.value not in sentence, kind
    assert "Werkstatt Bass" in scan_note_sentence("moved_from:zw-bass", TITLES)
    assert scan_note_sentence("something_new") == "something_new"
