"""``checkin import``: warnings, --strict, --map-value (run through ``checkin.cli.main``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.resources import demo_event_file

MESSY = (
    "Vorname;Nachname;E-Mail;Kategorie;Teilnahme 19.09.2024;Teilnahme 20.09.2024;Zukunftswerkstatt\n"
    "Anna;Schulz;a@x.example;Aussteller/in;ja;ja;\n"
    "Bernd;Roth;b@x.example;Teilnehmer;nein;ja;Zukunftswerkstatt 2\n"
    "Carla;Weiß;c@x.example;Teilnehmer;nein;nein;\n"
    "Dora;Lang;d@x.example;Aussteller/in;ja;ja;\n"
)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    assert main(["--db", path, "event", "load", str(demo_event_file())]) == 0
    return path


def run(db_path: str, *args: str) -> int:
    return main(["--db", db_path, *args])


def people(db_path: str, capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:
    capsys.readouterr()
    run(db_path, "list", "--json")
    return {p["last_name"]: p for p in json.loads(capsys.readouterr().out)}


def test_a_messy_list_imports_with_warnings(tmp_path: Path, db_path: str, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    capsys.readouterr()
    assert run(db_path, "import", str(path)) == 0
    captured = capsys.readouterr()
    assert "4 neu, 0 geändert, 0 unverändert, 4 Warnungen, 0 Fehler" in captured.out
    assert "Neue Kategorie „Aussteller/in“ (2 Zeilen)" in captured.out
    assert "Warnung: Unbekannte Kategorie (Zeile 2, 5)" in captured.err
    assert "Warnung: Workshop an einem nicht angekreuzten Tag (Zeile 3)" in captured.err
    assert "Warnung: Kein Tag angekreuzt (Zeile 4)" in captured.err
    stored = people(db_path, capsys)
    assert len(stored) == 4
    assert stored["Schulz"]["category"] == "import-ausstellerin"


def test_strict_refuses_and_changes_nothing(tmp_path: Path, db_path: str, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    capsys.readouterr()
    assert run(db_path, "import", str(path), "--strict") == 1
    assert "Es wurde nichts importiert: 4 Zeilen" in capsys.readouterr().err
    assert people(db_path, capsys) == {}


def test_map_value_is_remembered(tmp_path: Path, db_path: str, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    args = ["import", str(path), "--map-value", "category:Aussteller/in=Presse"]
    assert run(db_path, *args) == 0
    assert "Neue Kategorie" not in capsys.readouterr().out
    assert people(db_path, capsys)["Lang"]["category"] == "press"
    path.write_text(MESSY.replace("Dora;Lang;d@", "Emil;Kurz;e@"), encoding="utf-8")
    assert run(db_path, "import", str(path)) == 0
    assert people(db_path, capsys)["Kurz"]["category"] == "press"


@pytest.mark.parametrize(
    ("value", "needle"),
    [("category:Aussteller/in=Astronaut", "Astronaut"), ("Aussteller", "--map-value braucht")],
)
def test_bad_map_value_is_refused(
    tmp_path: Path, db_path: str, capsys: pytest.CaptureFixture[str], value: str, needle: str
):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    capsys.readouterr()
    assert run(db_path, "import", str(path), "--map-value", value) == 1
    assert needle in capsys.readouterr().err
