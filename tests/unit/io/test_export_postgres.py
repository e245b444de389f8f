"""The export and the purge on PostgreSQL (raw driver rows come back as datetimes there, not text)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from export_scenario import PEOPLE, build_scenario, expected_from_log

from checkin.domain.db import Database, open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.domain.privacy import PrivacyService
from checkin.i18n import _
from checkin.io import participants
from checkin.io.exports import export_attendance
from checkin.resources import demo_event_file


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[Database]:
    """A migrated database in its own PostgreSQL schema."""
    database = open_database(postgres_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("bulk", [False, True])
def test_export_matches_the_log_on_postgresql(
    pg_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool
):
    event = EventService(pg_db).load_definition(load_event_file(demo_event_file()))
    scenario = build_scenario(pg_db, event)
    if bulk:
        monkeypatch.setattr(participants, "BULK_THRESHOLD", 1)
    out = tmp_path / "a.csv"
    summary = export_attendance(pg_db, event, out)
    assert summary.participants == len(PEOPLE) + 1
    expected = expected_from_log(pg_db, event)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    for row in rows:
        arrived = expected.present.get((row[_("Code")], scenario.day1))
        assert row[_("Present {day}").format(day="19.09.")] == (_("yes") if arrived else _("no"))
        if arrived:
            assert row[_("First check-in {day}").format(day="19.09.")] == arrived.strftime(
                "%d.%m.%Y %H:%M:%S"
            )
    xlsx = tmp_path / "a.xlsx"
    summary = export_attendance(pg_db, event, xlsx)
    book = openpyxl.load_workbook(xlsx)
    try:
        log = list(book[_("Check-in log")].iter_rows(values_only=True))[1:]
    finally:
        book.close()
    assert len(log) == summary.log_entries == expected.log_rows
    assert log[0][0] == dt.datetime(2024, 9, 19, 9, 2)

    now = dt.datetime(2025, 4, 2, 10, 0, tzinfo=dt.UTC)
    report = PrivacyService(pg_db, event, clock=lambda: now).purge(confirm=True)
    assert report.registrations_anonymised == len(PEOPLE) + 1
    export_attendance(pg_db, event, out)
    content = out.read_text(encoding="utf-8-sig")
    assert "Müller" not in content
    assert "anna.mueller@koeln.example" not in content
