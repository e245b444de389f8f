"""The right-of-access letter (Art. 15 GDPR): everything the JSON holds, readable, from the PDF itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from export_scenario import Scenario, build_scenario
from pypdf import PdfReader

from checkin.cli import main
from checkin.domain.db import Database
from checkin.domain.document_options import DocumentOptions
from checkin.domain.privacy import PrivacyService
from checkin.i18n import _
from checkin.io.person_letter import write_person_letter
from checkin.presentation.formats import format_date, format_datetime


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_the_letter_lists_every_field_and_every_check_in(db: Database, scenario: Scenario, tmp_path: Path):
    now = dt.datetime(2024, 10, 1, 9, 0, tzinfo=dt.UTC)
    data = PrivacyService(db, scenario.event, clock=lambda: now).person_data(code=scenario.codes["Müller"])
    out = tmp_path / "auskunft.pdf"
    write_person_letter(out, data, DocumentOptions(organiser="Deutscher Landkreistag"))
    text = _text(out)
    assert _("Information on your personal data (Art. 15 GDPR)") in text
    assert "Deutscher Landkreistag" in text
    record = data["registrations"][0]
    for value in (
        "Dr. Anna Müller",
        "Jobcenter Köln",
        "Teamleitung",
        "anna.mueller@koeln.example",
        record["code"],
        "ORD-Müller",
        "Notiz zu Müller",
        "Telefon",
        record["extra"]["Telefon"],
        "Zukunftswerkstatt 1: Ganzheitliche Digitalisierung",
    ):
        assert value in text, value
    # Every check-in, at its local time, with its place and desk.
    assert len(record["check_ins"]) >= 4
    for check_in in record["check_ins"]:
        assert format_datetime(dt.datetime.fromisoformat(check_in["at"])) in text
        assert check_in["desk"] in text
    assert format_datetime(dt.datetime(2024, 9, 19, 9, 2)) in text  # 09:02 local, not 07:02 UTC
    assert _("Your rights") in text
    retention = scenario.event.retention_until
    if retention is not None:
        assert format_date(retention) in text


def test_person_data_writes_the_letter_beside_the_json(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "auskunft.json"
    db_arg = ["--db", db.url.removeprefix("sqlite:///")]
    assert main([*db_arg, "person-data", "--code", scenario.codes["Abel"], "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    letter = tmp_path / "auskunft.pdf"
    assert letter.exists()
    text = _text(letter)
    assert "Prof. Zoë Abel" in text
    assert data["registrations"][0]["email"] in text
    chosen = tmp_path / "brief.pdf"
    args = [
        *db_arg,
        "person-data",
        "--email",
        "zoe.abel@example.org",
        "--out",
        str(out),
        "--letter",
        str(chosen),
    ]
    assert main(args) == 0
    assert "Prof. Zoë Abel" in _text(chosen)
