"""The event, demo, import and list commands, run through ``checkin.cli.main``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.resources import demo_event_file

IMPORTS = Path(__file__).resolve().parents[2] / "data" / "imports"


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def run(db_path: str, *args: str) -> int:
    return main(["--db", db_path, *args])


def test_event_load_and_list(db_path: str, capsys: pytest.CaptureFixture[str]):
    assert run(db_path, "event", "load", str(demo_event_file())) == 0
    out = capsys.readouterr().out
    assert "Tag der kommunalen Jobcenter 2024" in out
    assert "19./20.09.2024" in out
    assert run(db_path, "event", "list", "--json") == 0
    events = json.loads(capsys.readouterr().out)
    assert events == [
        {
            "slug": "tag-der-kommunalen-jobcenter-2024",
            "name": "Tag der kommunalen Jobcenter 2024",
            "registrations": 0,
        }
    ]


def test_event_load_bad_file(tmp_path: Path, db_path: str, capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "bad.toml"
    bad.write_text("[event]\nname = 'x'\n", encoding="utf-8")
    assert run(db_path, "event", "load", str(bad)) == 1
    assert capsys.readouterr().err.startswith("Fehler: ")


def test_event_load_refuses_an_unknown_badge_layout(
    tmp_path: Path, db_path: str, capsys: pytest.CaptureFixture[str]
):
    text = (
        demo_event_file()
        .read_text(encoding="utf-8")
        .replace('badge_layout = "a6"', 'badge_layout = "a12"', 1)
    )
    bad = tmp_path / "event.toml"
    bad.write_text(text, encoding="utf-8")
    assert run(db_path, "event", "load", str(bad)) != 0
    assert "a12" in capsys.readouterr().err
    run(db_path, "event", "list")
    assert "Jobcenter" not in capsys.readouterr().out  # nothing was loaded


def test_demo_then_list_json(db_path: str, capsys: pytest.CaptureFixture[str]):
    assert run(db_path, "demo", "--registrations", "40", "--seed", "3") == 0
    assert "40" in capsys.readouterr().out
    assert run(db_path, "list", "--json") == 0
    people = json.loads(capsys.readouterr().out)
    assert len(people) == 40
    assert {"code", "title", "first_name", "last_name", "organisation", "category", "status", "days",
            "workshops"} <= set(people[0])  # fmt: skip
    schoeb = next(p for p in people if p["last_name"] == "Schöb")
    assert schoeb["title"] == "Prof. Dr."
    assert schoeb["category"] == "speaker"
    assert schoeb["days"] == ["2024-09-19"]


def test_demo_twice_says_so_and_changes_nothing(db_path: str, capsys: pytest.CaptureFixture[str]):
    assert run(db_path, "demo", "--registrations", "20") == 0
    capsys.readouterr()
    run(db_path, "list", "--json")
    before = capsys.readouterr().out
    assert run(db_path, "demo", "--registrations", "30") == 1
    assert "--reset" in capsys.readouterr().err
    run(db_path, "list", "--json")
    assert capsys.readouterr().out == before
    assert run(db_path, "demo", "--registrations", "30", "--reset") == 0
    capsys.readouterr()
    run(db_path, "list", "--json")
    assert len(json.loads(capsys.readouterr().out)) == 30


def test_import_dry_run_then_import_then_list(db_path: str, capsys: pytest.CaptureFixture[str]):
    run(db_path, "event", "load", str(demo_event_file()))
    capsys.readouterr()
    assert run(db_path, "import", str(IMPORTS / "german_excel.csv"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Probelauf" in out
    assert "8 neu, 0 geändert, 0 unverändert, 0 Warnungen, 0 Fehler" in out
    assert "Nachname ← Nachname" in out
    run(db_path, "list", "--json")
    assert json.loads(capsys.readouterr().out) == []
    assert run(db_path, "import", str(IMPORTS / "german_excel.csv")) == 0
    assert "Importiert: 8 neu" in capsys.readouterr().out
    assert run(db_path, "import", str(IMPORTS / "german_excel.csv")) == 0
    assert "0 neu, 0 geändert, 8 unverändert, 0 Warnungen, 0 Fehler" in capsys.readouterr().out
    assert run(db_path, "list") == 0
    table = capsys.readouterr().out
    assert "TDKJ-0006" in table
    assert "Ольга Иванова" in table
    assert "8 Anmeldungen" in table
    assert "[storniert]" in table


def test_import_with_map_and_format(db_path: str, capsys: pytest.CaptureFixture[str]):
    run(db_path, "event", "load", str(demo_event_file()))
    args = ["import", str(IMPORTS / "pretix_orders.csv"), "--format", "pretix", "--map", "category=Product"]
    assert run(db_path, *args) == 0
    assert "8 neu" in capsys.readouterr().out
    run(db_path, "list", "--json")
    people = json.loads(capsys.readouterr().out)
    assert {p["category"] for p in people} == {"speaker", "participant", "press", "staff"}


def test_import_errors_exit_1_and_change_nothing(
    tmp_path: Path, db_path: str, capsys: pytest.CaptureFixture[str]
):
    run(db_path, "event", "load", str(demo_event_file()))
    bad = tmp_path / "bad.csv"
    bad.write_text("Name;Kategorie\nAnna Schulz;Teilnehmer\nBernd Roth;Ehrengast\n", encoding="utf-8")
    capsys.readouterr()
    assert run(db_path, "import", str(bad), "--strict") == 1
    err = capsys.readouterr().err
    assert "Zeile 3: unbekannte Kategorie „Ehrengast“" in err
    assert "--skip-invalid" in err
    run(db_path, "list", "--json")
    assert json.loads(capsys.readouterr().out) == []
    assert run(db_path, "import", str(bad), "--skip-invalid", "--strict") == 0
    out = capsys.readouterr().out
    assert "1 neu" in out
    assert "1 fehlerhafte Zeilen wurden übersprungen" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["import", str(IMPORTS / "programme.pdf")], "PDF"),
        (["import", str(IMPORTS / "no_name_column.csv")], "keine Spalte mit Namen"),
        (["import", str(IMPORTS / "german_excel.csv"), "--map", "nachname"], "--map"),
        (["import", str(IMPORTS / "german_excel.csv"), "--map", "shoe_size=Vorname"], "shoe_size"),
    ],
)
def test_import_refusals(db_path: str, capsys: pytest.CaptureFixture[str], args: list[str], needle: str):
    run(db_path, "event", "load", str(demo_event_file()))
    capsys.readouterr()
    assert run(db_path, *args) == 1
    assert needle in capsys.readouterr().err


def test_commands_without_event(db_path: str, capsys: pytest.CaptureFixture[str]):
    assert run(db_path, "list") == 1
    assert "checkin demo" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["event"], ["event", "load"], ["demo"], ["import"], ["list"]])
def test_help_for_every_command(command: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    assert caught.value.code == 0
    assert "usage: checkin" in capsys.readouterr().out


def test_help_does_not_import_the_heavy_libraries():
    code = (
        "import sys\n"
        "from checkin.cli import build_parser\n"
        "build_parser()\n"
        "names = ('sqlalchemy', 'openpyxl', 'rapidfuzz', 'reportlab', 'PySide6')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_list_survives_a_stdout_without_unicode(db_path: str, monkeypatch: pytest.MonkeyPatch):
    import io

    run(db_path, "event", "load", str(demo_event_file()))
    run(db_path, "import", str(IMPORTS / "german_excel.csv"))
    for args in (["list"], ["list", "--json"]):
        raw = io.BytesIO()
        stdout = io.TextIOWrapper(raw, encoding="cp1252", newline="\n")
        monkeypatch.setattr(sys, "stdout", stdout)
        assert run(db_path, *args) == 0
        stdout.flush()
        text = raw.getvalue().decode("cp1252")
        monkeypatch.undo()
        if args == ["list", "--json"]:
            names = {p["last_name"] for p in json.loads(text)}
            assert {"Иванова", "Nguyễn", "Wiśniewski", "Schöb"} <= names
        else:
            assert "Schöb" in text
            assert "\\u0418" in text  # Иванова, escaped instead of crashing
