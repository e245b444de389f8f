"""Per-organisation files as they go to employers: no private data unless asked, aliases merge
spellings, readable PDF headers, correct plurals, safe sheet names. Read back from the files."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import openpyxl
import pytest
from export_scenario import Scenario, build_scenario
from pypdf import PdfReader

from checkin.cli import main
from checkin.domain.db import Database
from checkin.i18n import _, ngettext
from checkin.io.export_filters import ExportError
from checkin.io.exports import write_per_organisation
from checkin.io.per_organisation import parse_aliases
from tests.helpers import NewPerson, People


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


def _all_cells(path: Path) -> list[object]:
    book = openpyxl.load_workbook(path)
    try:
        return [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    finally:
        book.close()


def test_no_codes_or_emails_unless_asked(db: Database, scenario: Scenario, tmp_path: Path):
    koeln = tmp_path / "xlsx" / "Jobcenter Köln.xlsx"
    write_per_organisation(db, scenario.event, tmp_path / "xlsx")
    cells = _all_cells(koeln)
    assert "Müller" in cells
    for private in (
        _("Email"),
        _("Code"),
        _("Source"),
        "anna.mueller@koeln.example",
        scenario.codes["Müller"],
    ):
        assert private not in cells
    assert not any(isinstance(v, str) and "@" in v for v in cells)
    write_per_organisation(db, scenario.event, tmp_path / "csv", fmt="csv")
    text = (tmp_path / "csv" / "Jobcenter Köln.csv").read_text(encoding="utf-8-sig")
    assert "anna.mueller@koeln.example" not in text
    assert scenario.codes["Müller"] not in text
    write_per_organisation(db, scenario.event, tmp_path / "pdf", fmt="pdf")
    pdf = " ".join(p.extract_text() for p in PdfReader(tmp_path / "pdf" / "Jobcenter Köln.pdf").pages)
    assert "Müller" in pdf
    assert "@" not in pdf
    assert scenario.codes["Müller"] not in pdf


def test_emails_and_codes_when_asked(db: Database, scenario: Scenario, tmp_path: Path):
    write_per_organisation(db, scenario.event, tmp_path / "x", with_email=True, with_codes=True)
    cells = _all_cells(tmp_path / "x" / "Jobcenter Köln.xlsx")
    assert "anna.mueller@koeln.example" in cells
    assert scenario.codes["Müller"] in cells
    write_per_organisation(db, scenario.event, tmp_path / "p", fmt="pdf", with_email=True)
    pdf = " ".join(p.extract_text() for p in PdfReader(tmp_path / "p" / "Jobcenter Köln.pdf").pages)
    assert "anna.mueller@koeln.example" in " ".join(pdf.split()).replace(" ", "")


def test_aliases_merge_spellings_from_the_event_file_and_the_command_line(
    db: Database, scenario: Scenario, tmp_path: Path
):
    People(db, scenario.event).add_all(
        [
            NewPerson("Jana", "Alias", organisation="JC Köln"),
            NewPerson("Kai", "Kurz", organisation="Kreisverwaltung Kleve"),
        ]
    )
    event = dataclasses.replace(
        scenario.event,
        definition={
            **scenario.event.definition,
            "documents": {"organisation_aliases": {"jc  köln": "Jobcenter Köln"}},
        },
    )
    paths = write_per_organisation(
        db, event, tmp_path / "o", fmt="csv", aliases={"Kreisverwaltung Kleve": "@Kreis Kleve"}
    )
    names = {p.name for p in paths}
    assert "JC Köln.csv" not in names
    assert "Kreisverwaltung Kleve.csv" not in names
    with (tmp_path / "o" / "Jobcenter Köln.csv").open(encoding="utf-8-sig", newline="") as handle:
        koeln = {r[_("Last name")] for r in csv.DictReader(handle, delimiter=";")}
    assert koeln == {"Müller", "Ärger", "Иванова", "Spontan", "Alias"}
    with (tmp_path / "o" / "@Kreis Kleve.csv").open(encoding="utf-8-sig", newline="") as handle:
        kleve = {r[_("Last name")] for r in csv.DictReader(handle, delimiter=";")}
    assert kleve == {"Yılmaz", "Kurz"}


def test_alias_syntax(tmp_path: Path):
    assert parse_aliases(["JC Köln = Jobcenter  Köln"]) == {"JC Köln": "Jobcenter Köln"}
    with pytest.raises(ExportError):
        parse_aliases(["JC Köln"])
    with pytest.raises(ExportError):
        parse_aliases(["=Jobcenter Köln"])


def test_pdf_headers_keep_their_words_and_counts_use_the_right_plural(
    db: Database, scenario: Scenario, tmp_path: Path
):
    write_per_organisation(db, scenario.event, tmp_path / "p", fmt="pdf")
    görlitz = PdfReader(tmp_path / "p" / "Kommunales Jobcenter Görlitz.pdf").pages[0].extract_text()
    words = görlitz.split()
    for day in ("19.09.", "20.09."):
        for word in _("Present {day}").format(day=day).split():
            assert word in words, word  # not broken inside the word ("Anwese/nd")
    for header in (_("Category"), _("Status"), _("Function")):
        assert header in words, header
    assert scenario.event.default_category.name in words  # narrow body cells keep their words too
    one = ngettext(
        "{count} registration, {present} of them present on at least one day.",
        "{count} registrations, {present} of them present on at least one day.",
        1,
    ).format(count=1, present=1)
    assert one in " ".join(words)
    koeln = " ".join(PdfReader(tmp_path / "p" / "Jobcenter Köln.pdf").pages[0].extract_text().split())
    four = ngettext(
        "{count} registration, {present} of them present on at least one day.",
        "{count} registrations, {present} of them present on at least one day.",
        4,
    ).format(count=4, present=4)
    assert four in koeln


def test_control_characters_in_an_organisation_do_not_break_the_workbook(
    db: Database, demo_event, tmp_path: Path
):
    People(db, demo_event).add_all([NewPerson("Bea", "Bell", organisation="Jobcenter\x07 Kleve\x1b[31m")])
    paths = write_per_organisation(db, demo_event, tmp_path / "o")
    assert len(paths) == 1
    book = openpyxl.load_workbook(paths[0])
    try:
        (sheet,) = book.worksheets
        assert sheet.title.isprintable()
        assert "Kleve" in sheet.title
        assert "Bell" in [v for row in sheet.iter_rows(values_only=True) for v in row]
    finally:
        book.close()


def test_cli_flags(db: Database, scenario: Scenario, tmp_path: Path):
    db_arg = ["--db", db.url.removeprefix("sqlite:///")]
    out = tmp_path / "cli"
    args = [*db_arg, "per-organisation", "--out-dir", str(out), "--format", "csv", "--with-email"]
    assert main([*args, "--alias", "Kommunales Jobcenter Görlitz=Jobcenter Köln"]) == 0
    assert not (out / "Kommunales Jobcenter Görlitz.csv").exists()
    text = (out / "Jobcenter Köln.csv").read_text(encoding="utf-8-sig")
    assert "gross@goerlitz.example" in text
    assert main([*db_arg, "per-organisation", "--out-dir", str(out), "--alias", "nonsense"]) == 1
