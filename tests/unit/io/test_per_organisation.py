"""One file per organisation: grouping, safe file names, contents."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from export_scenario import Scenario, build_scenario
from pypdf import PdfReader

from checkin.domain.db import Database
from checkin.i18n import _
from checkin.io.export_filters import ExportError
from checkin.io.exports import write_per_organisation
from checkin.io.per_organisation import safe_file_name


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jobcenter Köln", "Jobcenter Köln"),
        ("Pro Arbeit – Kreis Minden-Lübbecke (Jobcenter)", "Pro Arbeit – Kreis Minden-Lübbecke (Jobcenter)"),
        ("Amt für Arbeit/Soziales", "Amt für Arbeit_Soziales"),
        ('=HYPERLINK("http://x","y")', "=HYPERLINK(_http_x_,_y_)"),
        ("..\\..\\etc", "etc"),
        ("CON", "_CON"),
        ("   ", "organisation"),
        ("Kreis\tKleve\n", "Kreis Kleve"),
    ],
)
def test_safe_file_names_keep_letters_and_drop_what_file_systems_refuse(name: str, expected: str):
    assert safe_file_name(name) == expected


def test_one_xlsx_per_organisation_with_its_people(db: Database, scenario: Scenario, tmp_path: Path):
    paths = write_per_organisation(db, scenario.event, tmp_path / "orgs")
    names = sorted(p.name for p in paths)
    # "Jobcenter Köln" and "  jobcenter KÖLN " are one organisation.
    assert "Jobcenter Köln.xlsx" in names
    assert sum(1 for n in names if "köln" in n.casefold()) == 1
    assert all(p.parent == tmp_path / "orgs" and p.exists() for p in paths)
    book = openpyxl.load_workbook(tmp_path / "orgs" / "Jobcenter Köln.xlsx")
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    header = rows[0]
    last_names = {row[header.index(_("Last name"))] for row in rows[1:]}
    assert last_names == {"Müller", "Ärger", "Иванова", "Spontan"}
    müller = next(r for r in rows[1:] if r[header.index(_("Last name"))] == "Müller")
    assert müller[header.index(_("Present {day}").format(day="19.09."))] == _("yes")
    assert müller[header.index(_("Sessions attended"))] == "Zukunftswerkstatt 5: IT-Sicherheit"


def test_csv_and_pdf_formats(db: Database, scenario: Scenario, tmp_path: Path):
    csv_paths = write_per_organisation(db, scenario.event, tmp_path / "csv", fmt="csv")
    pdf_paths = write_per_organisation(db, scenario.event, tmp_path / "pdf", fmt="pdf")
    assert len(csv_paths) == len(pdf_paths)
    görlitz = tmp_path / "csv" / "Kommunales Jobcenter Görlitz.csv"
    with görlitz.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r[_("First name")], r[_("Last name")]) for r in rows] == [("Straße", "Groß")]
    text = PdfReader(tmp_path / "pdf" / "Jobcenter Köln.pdf").pages[0].extract_text()
    assert "Jobcenter Köln" in text
    assert "Müller, Dr. Anna" in text
    assert "Иванова, Ольга" in text


def test_unknown_format_is_refused(db: Database, scenario: Scenario, tmp_path: Path):
    with pytest.raises(ExportError, match="ods"):
        write_per_organisation(db, scenario.event, tmp_path / "x", fmt="ods")
    assert not (tmp_path / "x").exists()
