"""Whatever a file holds, reading and checking it ends in a result or a UserError, never a crash."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo
from checkin.io.importing import ImportService, ProblemKind

HEADERS = [
    "Vorname", "Nachname", "Name", "Titel", "Anrede", "E-Mail", "Buchungsnummer", "Kategorie", "Status",
    "Teilnahme 19.09.2024", "Teilnahme 20.09.2024", "Zukunftswerkstatt", "Tage", "Organisation", "Notizen",
    "Ticket secret", "Order code", "Attendee name", "Bemerkung", "", "Total Paid (USD)",
]  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(["ja", "nein", "x", "", "Referent", "Presse", "ZW 1", "IT-Sicherheit", "beide",
                     "storniert", "Prof. Dr. Ronnie Schöb", "Schöb, Ronnie", "Dr.", "Herr", "a@b.example",
                     "19.09.2024",
                     "Zukunftswerkstatt 1, ZW 3", "Ольга", "Nguyễn", "\u00a0", "=\"007\"", "Order #"]),
    st.text(max_size=30),
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=6),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    title_row=st.booleans(),
)
def test_any_table_reads_or_refuses_cleanly(
    tmp_path: Path,
    db: Database,
    demo_event: EventInfo,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
    title_row: bool,
):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if title_row:
        writer.writerow(["Anmeldeliste"])
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    service = ImportService(db, demo_event)
    message = ""
    try:
        preview = service.read(path)
        report = service.apply(preview, dry_run=True)
    except UserError as exc:
        message = str(exc)
        assert message  # a refusal says why
    else:
        # A row repeated word for word is one person: the later line is used, with a warning.
        repeated = sum(
            problem.kind is ProblemKind.SAME_ROW_REPEATED
            for row in report.warnings
            for problem in row.problems
        )
        assert (
            report.new + report.updated + report.unchanged + len(report.errors) + repeated
            == preview.row_count
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_any_bytes_read_or_refuse_cleanly(tmp_path: Path, db: Database, demo_event: EventInfo, data: bytes):
    path = tmp_path / "fuzz.bin"
    path.write_bytes(data)
    message = "read"
    try:
        ImportService(db, demo_event).read(path)
    except UserError as exc:
        message = str(exc)
    assert message  # a refusal says why
