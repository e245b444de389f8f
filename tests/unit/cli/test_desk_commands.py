"""The desk commands (``checkin scan/undo/search/walk-in/stats``) end to end through ``checkin.cli.main``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from checkin.cli import main
from checkin.domain.db import open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.resources import demo_event_file


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "desk.db"
    db = open_database(path)
    EventService(db).load_definition(load_event_file(demo_event_file()))
    db.dispose()
    monkeypatch.setenv("CHECKIN_LANG", "de")
    monkeypatch.delenv("CHECKIN_DESK", raising=False)
    return str(path)


def run(db_path, capsys, *argv):
    code = main(["--db", db_path, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def walk_in(db_path, capsys, first="Jürgen", last="Müller", *extra):
    code, out, _err = run(
        db_path,
        capsys,
        "walk-in",
        "--first-name",
        first,
        "--last-name",
        last,
        "--organisation",
        "Jobcenter Kreis Offenbach",
        "--day",
        "2024-09-19",
        "--desk",
        "Eingang 1",
        "--json",
        *extra,
    )
    assert code == 0
    return json.loads(out)


def test_walk_in_then_scan_exit_codes_and_json(db_path, capsys):
    person = walk_in(db_path, capsys, "Anna", "Schmidt", "--no-check-in")
    assert person["status"] == "registered"
    code, out, _ = run(
        db_path, capsys, "scan", person["code"], "--day", "2024-09-19", "--desk", "Eingang 2", "--json"
    )
    assert code == 0
    first = json.loads(out)
    assert first["status"] == "checked_in"
    assert first["name"] == "Anna Schmidt"
    assert first["organisation"] == "Jobcenter Kreis Offenbach"
    assert first["code"] == person["code"]
    code, out, _ = run(db_path, capsys, "scan", person["code"].lower(), "--day", "2024-09-19", "--json")
    assert code == 1
    again = json.loads(out)
    assert again["status"] == "already_checked_in"
    assert again["first_checkin_desk"] == "Eingang 2"
    assert again["first_checkin_at"].startswith("2")
    code, out, _ = run(db_path, capsys, "scan", "GIBTSNICHT", "--day", "2024-09-19", "--json")
    assert code == 3
    assert json.loads(out)["status"] == "unknown"


def test_scan_plain_text_output_is_german(db_path, capsys):
    person = walk_in(db_path, capsys, "Anna", "Schmidt", "--no-check-in")
    code, out, _ = run(db_path, capsys, "scan", person["code"], "--day", "2024-09-20")
    assert code == 0
    assert out.strip() == "Eingecheckt: Anna Schmidt."


def test_scan_usage_errors_exit_2(db_path, capsys):
    code, _out, err = run(db_path, capsys, "scan", "X", "--day", "2024-12-24")
    assert code == 2
    assert "kein Tag dieser Veranstaltung" in err
    code, _out, err = run(db_path, capsys, "scan", "X", "--day", "2024-09-19", "--session", "nope")
    assert code == 2
    with pytest.raises(SystemExit) as exc:
        main(["--db", db_path, "scan", "X", "--day", "19.09.2024"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_scan_without_day_outside_the_event_asks_for_a_day(db_path, capsys):
    # The test runs on any date but 19./20.09.2024.
    code, _out, err = run(db_path, capsys, "scan", "X")
    assert code == 2
    assert "--day" in err


def test_workshop_door_and_session_full_exit_3(db_path, capsys):
    person = walk_in(db_path, capsys, "Anna", "Schmidt", "--workshop", "zw-bass")
    code, out, _ = run(
        db_path, capsys, "scan", person["code"], "--day", "2024-09-19", "--session", "zw-bass", "--json"
    )
    assert code == 0
    assert json.loads(out)["session"] == "zw-bass"
    code, out, _ = run(
        db_path,
        capsys,
        "scan",
        person["code"],
        "--day",
        "2024-09-19",
        "--session",
        "zw-it-sicherheit",
        "--json",
    )
    assert code == 0
    moved = json.loads(out)
    assert moved["status"] == "not_registered_for_session"
    assert "moved_from:zw-bass" in moved["notes"]


def test_undo(db_path, capsys):
    person = walk_in(db_path, capsys)
    code, out, _ = run(db_path, capsys, "undo", person["code"], "--day", "2024-09-19", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["undone"] is True
    assert result["checked_in_desk"] == "Eingang 1"
    code, out, _ = run(db_path, capsys, "undo", person["code"], "--day", "2024-09-19")
    assert code == 1
    assert "nichts zurückzunehmen" in out
    code, _out, _ = run(db_path, capsys, "undo", "GIBTSNICHT", "--day", "2024-09-19")
    assert code == 3
    code, out, _ = run(db_path, capsys, "scan", person["code"], "--day", "2024-09-19")
    assert code == 0


def test_search(db_path, capsys):
    walk_in(db_path, capsys, "Jürgen", "Müller")
    walk_in(db_path, capsys, "Ayşe", "Öztürk")
    code, out, _ = run(db_path, capsys, "search", "mueller", "--json")
    assert code == 0
    hits = json.loads(out)
    assert [h["name"] for h in hits] == ["Jürgen Müller"]
    code, out, _ = run(db_path, capsys, "search", "ozturk offenbach")
    assert "Ayşe Öztürk" in out
    code, out, _ = run(db_path, capsys, "search", "niemand")
    assert code == 0
    assert "Niemand gefunden" in out
    code, out, _ = run(db_path, capsys, "search", "jobcenter", "--limit", "1", "--json")
    assert len(json.loads(out)) == 1


def test_walk_in_needs_a_name(db_path, capsys):
    code, _out, err = run(db_path, capsys, "walk-in", "--day", "2024-09-19")
    assert code == 1
    assert "mindestens einen Vor- oder Nachnamen" in err


def test_stats(db_path, capsys):
    person = walk_in(db_path, capsys, "Anna", "Schmidt", "--workshop", "zw-bass")
    run(db_path, capsys, "scan", person["code"], "--day", "2024-09-19", "--session", "zw-bass")
    code, out, _ = run(db_path, capsys, "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["registrations"] == 1
    assert stats["days"][0] == {"date": "2024-09-19", "registered": 1, "arrived": 1, "expected": 0}
    bass = next(s for s in stats["sessions"] if s["key"] == "zw-bass")
    assert (bass["registered"], bass["attended"], bass["capacity"]) == (1, 1, 60)
    code, out, _ = run(db_path, capsys, "stats")
    assert "Anmeldungen: 1" in out
    assert "zw-bass: 1 anwesend, 1 angemeldet, Kapazität 60" in out


def test_help_does_not_import_heavy_modules():
    probe = (
        "import sys; from checkin.cli import build_parser; build_parser();"
        "heavy = [m for m in ('sqlalchemy', 'rapidfuzz', 'numpy') if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "rapidfuzz" not in result.stdout
    assert "numpy" not in result.stdout
