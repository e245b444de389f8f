"""The after-the-event commands from the command line, on the demo event with scripted check-ins."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from checkin.cli import main
from checkin.domain.db import Database
from checkin.i18n import _
from tests.unit.io.export_scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


def _db_arg(db: Database) -> list[str]:
    return ["--db", db.url.removeprefix("sqlite:///")]


def test_export_xlsx_and_filtered_csv(db: Database, scenario: Scenario, tmp_path: Path, capsys):
    out = tmp_path / "anwesenheit.xlsx"
    assert main([*_db_arg(db), "export", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    try:
        assert _("Check-in log") in book.sheetnames
    finally:
        book.close()
    csv_out = tmp_path / "koeln.csv"
    assert (
        main(
            [
                *_db_arg(db),
                "export",
                "--out",
                str(csv_out),
                "--organisation",
                "Jobcenter Köln",
                "--dialect",
                "comma",
            ]
        )
        == 0
    )
    with csv_out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r[_("Last name")] for r in rows} == {"Müller", "Ärger", "Иванова", "Spontan"}


def test_export_refuses_an_unknown_day_with_exit_1(db: Database, scenario: Scenario, tmp_path: Path, capsys):
    assert main([*_db_arg(db), "export", "--out", str(tmp_path / "a.xlsx"), "--day", "2024-09-22"]) == 1
    assert "22.09.2024" in capsys.readouterr().err
    assert not (tmp_path / "a.xlsx").exists()


def test_report_lists_and_per_organisation(db: Database, scenario: Scenario, tmp_path: Path):
    assert main([*_db_arg(db), "report", "--out", str(tmp_path / "bericht.pdf")]) == 0
    assert (tmp_path / "bericht.pdf").read_bytes().startswith(b"%PDF")
    assert (
        main([*_db_arg(db), "signature-lists", "--out", str(tmp_path / "l.pdf"), "--session", "zw-bass"]) == 0
    )
    assert (tmp_path / "l.pdf").exists()
    assert (
        main([*_db_arg(db), "per-organisation", "--out-dir", str(tmp_path / "orgs"), "--format", "csv"]) == 0
    )
    assert (tmp_path / "orgs" / "Jobcenter Köln.csv").exists()


def test_person_data_and_purge(db: Database, scenario: Scenario, tmp_path: Path, capsys):
    out = tmp_path / "auskunft.json"
    assert main([*_db_arg(db), "person-data", "--code", scenario.codes["Müller"], "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["registrations"][0]["last_name"] == "Müller"
    # An explicit cut-off after the event and before any day this test can run on.
    assert main([*_db_arg(db), "purge", "--before", "2024-10-01"]) == 1  # no --yes
    assert "--yes" in capsys.readouterr().err
    assert main([*_db_arg(db), "purge", "--before", "2024-10-01", "--yes"]) == 0
    assert "01.10.2024" in capsys.readouterr().out
    assert (
        main([*_db_arg(db), "person-data", "--email", "anna.mueller@koeln.example", "--out", str(out)]) == 1
    )


def test_signature_lists_attended_variant(db: Database, scenario: Scenario, tmp_path: Path, capsys):
    from pypdf import PdfReader

    out = tmp_path / "anwesend.pdf"
    args = [*_db_arg(db), "signature-lists", "--out", str(out), "--day", "2024-09-19", "--attended"]
    assert main(args) == 0
    assert str(out) in capsys.readouterr().out
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert _("Attendance list – entrance (checked in)") in first
    assert "Müller, Dr. Anna" in first
    assert "Öztürk" not in first  # the check-in was undone
