"""The words ``scan``, ``undo``, ``walk-in`` and ``stats`` print come from the presentation layer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.domain.db import open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.resources import demo_event_file


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "desk.db"
    db = open_database(path)
    EventService(db).load_definition(load_event_file(demo_event_file()))
    db.dispose()
    monkeypatch.delenv("CHECKIN_DESK", raising=False)
    return str(path)


def run(db_path: str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["--db", db_path, *argv])
    return code, capsys.readouterr().out


def _walk_in(db_path: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, out = run(
        db_path, capsys, "walk-in", "--last-name", "Schmidt", "--first-name", "Anna",
        "--day", "2024-09-19", "--no-check-in", "--json",
    )  # fmt: skip
    assert code == 0
    return json.loads(out)["code"]


@pytest.mark.parametrize(
    ("language", "checked_in", "again", "undone", "not_in"),
    [
        (
            "de",
            "Eingecheckt: Anna Schmidt.",
            r"Bereits um \d\d:\d\d Uhr eingecheckt \(Platz Eingang 1\): Anna Schmidt\.",
            "Check-in zurückgenommen: Anna Schmidt.",
            "Anna Schmidt ist nicht eingecheckt; es gibt nichts zurückzunehmen.",
        ),
        (
            "en",
            "Checked in: Anna Schmidt.",
            r"Already checked in at \d\d:\d\d \(desk Eingang 1\): Anna Schmidt\.",
            "Check-in undone: Anna Schmidt.",
            "Anna Schmidt is not checked in; nothing to undo.",
        ),
    ],
)
def test_scan_and_undo_print_sentences_in_the_chosen_language(
    db_path, capsys, monkeypatch, language, checked_in, again, undone, not_in
):
    monkeypatch.setenv("CHECKIN_LANG", language)
    code = _walk_in(db_path, capsys)
    day = ("--day", "2024-09-19", "--desk", "Eingang 1")
    assert run(db_path, capsys, "scan", code, *day) == (0, checked_in + "\n")
    status, out = run(db_path, capsys, "scan", code, *day)
    assert status == 1
    assert re.fullmatch(again + "\n", out)
    _status, out = run(db_path, capsys, "scan", code, *day, "--json")
    assert re.fullmatch(again, json.loads(out)["message"])
    assert run(db_path, capsys, "undo", code, *day) == (0, undone + "\n")
    code_undo, out = run(db_path, capsys, "undo", code, *day, "--json")
    assert (code_undo, json.loads(out)["message"]) == (1, not_in)


def test_stats_write_dates_through_the_formats(db_path, capsys, monkeypatch):
    monkeypatch.setenv("CHECKIN_LANG", "en")
    _walk_in(db_path, capsys)
    code, out = run(db_path, capsys, "stats")
    assert code == 0
    assert "19.09.2024: 0 checked in, 1 of 1 registered still expected" in out
    assert "19.09. zw-bass: 0 attended, 0 registered, capacity 60" in out
