"""Attendance export after scripted check-ins: the files read back match the log exactly."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from export_scenario import PEOPLE, Scenario, build_scenario, expected_from_log

from checkin.domain.checkin_service import CheckInService
from checkin.domain.collation import german_key
from checkin.domain.db import Database, open_database
from checkin.domain.progress import Cancelled, RecordingProgress
from checkin.domain.statistics import event_stats
from checkin.i18n import _
from checkin.io.export_filters import ExportError
from checkin.io.exports import ExportFilters, export_attendance
from checkin.io.participants import attendance_statistics


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


def _sheet_rows(path: Path, title: str) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path)
    try:
        rows = list(book[title].iter_rows(values_only=True))
    finally:
        book.close()
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def test_participants_sheet_matches_the_log_exactly(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "anwesenheit.xlsx"
    summary = export_attendance(db, scenario.event, out)
    expected = expected_from_log(db, scenario.event)
    rows = _sheet_rows(out, _("Participants"))

    assert summary.participants == len(PEOPLE) + 1 == len(rows)  # + the walk-in
    assert summary.log_entries == expected.log_rows
    for row in rows:
        code = row[_("Code")]
        for day in scenario.event.days:
            label = day.date.strftime("%d.%m.")
            arrived = expected.present.get((code, day.date))
            assert row[_("Present {day}").format(day=label)] == (_("yes") if arrived else _("no")), (
                code,
                day,
            )
            assert row[_("First check-in {day}").format(day=label)] == arrived
        attended = {key for c, key in expected.attended if c == code}
        shown = row[_("Sessions attended")] or ""
        assert {s.key for s in scenario.event.sessions if s.title in shown} == attended


def test_the_scripted_day_reads_back_as_it_happened(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "a.xlsx"
    export_attendance(db, scenario.event, out)
    by_last = {r[_("Last name")]: r for r in _sheet_rows(out, _("Participants"))}
    yes, no = _("yes"), _("no")
    assert by_last["Müller"][_("Present {day}").format(day="19.09.")] == yes
    assert by_last["Müller"][_("First check-in {day}").format(day="19.09.")] == dt.datetime(2024, 9, 19, 9, 2)
    assert by_last["Müller"][_("Sessions attended")] == "Zukunftswerkstatt 5: IT-Sicherheit"  # moved there
    assert by_last["Öztürk"][_("Present {day}").format(day="19.09.")] == no  # undone
    assert by_last["Abel"][_("Present {day}").format(day="19.09.")] == yes  # workshop scan records entrance
    assert by_last["Storno"][_("Present {day}").format(day="19.09.")] == no
    assert by_last["Storno"][_("Status")] == _("cancelled")
    assert by_last["Spontan"][_("Source")] == _("walk-in")
    assert by_last["Иванова"][_("Present {day}").format(day="20.09.")] == yes
    assert by_last["Groß"][_("Registered {day}").format(day="20.09.")] == yes  # no days: every day
    assert by_last["Иванова"][_("Registered {day}").format(day="19.09.")] == no


def test_rows_are_in_german_dictionary_order(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "a.xlsx"
    export_attendance(db, scenario.event, out)
    names = [r[_("Last name")] for r in _sheet_rows(out, _("Participants"))]
    assert names == sorted(names, key=german_key)
    assert names.index("Abel") < names.index("Ärger") < names.index("Groß") < names.index("Müller")
    assert names.index("Müller") < names.index("Öztürk") < names.index("Spontan")


def test_log_sheet_holds_every_check_in_and_undo(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "a.xlsx"
    export_attendance(db, scenario.event, out)
    log = _sheet_rows(out, _("Check-in log"))
    assert len(log) == expected_from_log(db, scenario.event).log_rows
    times = [r[_("Time")] for r in log]
    assert times == sorted(times)
    assert all(isinstance(t, dt.datetime) for t in times)
    undo = [r for r in log if r[_("Action")] == _("undo")]
    assert {(r[_("Name")], r[_("Time")]) for r in undo} == {
        ("Jürgen Öztürk", dt.datetime(2024, 9, 19, 9, 40)),
        ("Dr. Anna Müller", dt.datetime(2024, 9, 19, 14, 20)),  # moved out of zw-digitalisierung
    }
    undone_check_in = next(
        r for r in log if r[_("Name")] == "Jürgen Öztürk" and r[_("Action")] == _("check-in")
    )
    assert undone_check_in[_("In force")] == _("no")
    moved = next(r for r in log if r[_("Action")] == _("undo") and "Müller" in r[_("Name")])
    assert moved[_("Note")] == _("moved to {session}").format(session="Zukunftswerkstatt 5: IT-Sicherheit")
    assert {r[_("Desk")] for r in log} == {"Eingang 1", "Tür Spree", "Eingang 2"}


def test_statistics_agree_with_the_engine(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "a.xlsx"
    export_attendance(db, scenario.event, out)
    sessions = {r[_("Session")]: r for r in _sheet_rows(out, _("Sessions"))}
    with db.read() as session:
        engine = event_stats(session, scenario.event)
    counted = attendance_statistics(db, scenario.event)  # the export's own pass over its rows
    assert counted.days == engine.days
    assert counted.sessions == engine.sessions
    for item in engine.sessions:
        assert sessions[item.title][_("Attended")] == item.attended
        assert sessions[item.title][_("Registered")] == item.registered
    book = openpyxl.load_workbook(out)
    try:
        cells = [row for row in book[_("Statistics")].iter_rows(values_only=True)]
    finally:
        book.close()
    for day in engine.days:
        row = next(r for r in cells if r[0] == dt.datetime.combine(day.date, dt.time()))
        assert row[1] == day.registered
        assert row[2] == day.arrived


def test_formula_like_text_comes_back_as_text(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "a.xlsx"
    export_attendance(db, scenario.event, out)
    book = openpyxl.load_workbook(out)
    try:
        sheet = book[_("Participants")]
        header = [c.value for c in sheet[1]]
        column = header.index(_("Organisation"))
        cells = {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}
    finally:
        book.close()
    hyperlink = cells['\'=HYPERLINK("http://x","y")']
    assert hyperlink.data_type == "s"
    assert "'-Anna GmbH" in cells
    assert "'@Kreis Kleve" in cells
    assert all(not str(value).startswith(("=", "+", "-", "@")) for value in cells)


@pytest.mark.parametrize(("dialect", "delimiter", "bom"), [("excel-de", ";", True), ("comma", ",", False)])
def test_csv_round_trip_keeps_umlauts_and_neutralises_formulas(
    db: Database, scenario: Scenario, tmp_path: Path, dialect: str, delimiter: str, bom: bool
):
    out = tmp_path / "a.csv"
    summary = export_attendance(db, scenario.event, out, dialect=dialect)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") is bom
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    assert len(rows) == summary.participants == len(PEOPLE) + 1
    names = {(r[_("First name")], r[_("Last name")]) for r in rows}
    assert {("Łukasz", "Ärger"), ("Straße", "Groß"), ("Ольга", "Иванова"), ("Jürgen", "Öztürk")} <= names
    organisations = {r[_("Organisation")] for r in rows}
    assert '\'=HYPERLINK("http://x","y")' in organisations
    expected = expected_from_log(db, scenario.event)
    for row in rows:
        arrived = expected.present.get((row[_("Code")], scenario.day1))
        assert row[_("Present {day}").format(day="19.09.")] == (_("yes") if arrived else _("no"))
        if arrived and dialect == "excel-de":
            assert row[_("First check-in {day}").format(day="19.09.")] == arrived.strftime(
                "%d.%m.%Y %H:%M:%S"
            )
        elif arrived:
            assert row[_("First check-in {day}").format(day="19.09.")] == arrived.strftime(
                "%Y-%m-%d %H:%M:%S"
            )


def test_csv_log_table(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "log.csv"
    summary = export_attendance(db, scenario.event, out, table="log")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == summary.log_entries == expected_from_log(db, scenario.event).log_rows


def test_filters_select_people_and_log_rows(db: Database, scenario: Scenario, tmp_path: Path):
    event = scenario.event
    out = tmp_path / "f.csv"

    def last_names(filters: ExportFilters) -> set[str]:
        export_attendance(db, event, out, filters=filters)
        with out.open(encoding="utf-8-sig", newline="") as handle:
            return {r[_("Last name")] for r in csv.DictReader(handle, delimiter=";")}

    assert last_names(ExportFilters(organisation="jobcenter köln")) == {
        "Müller",
        "Ärger",
        "Иванова",
        "Spontan",
    }
    assert last_names(ExportFilters(category_key="speaker")) == {"Ärger"}
    # Registered for zw-it-sicherheit: nobody; attended: Müller (moved in).
    assert last_names(ExportFilters(session_key="zw-it-sicherheit")) == {"Müller"}
    day2 = last_names(ExportFilters(day=scenario.day2))
    assert "Öztürk" not in day2
    assert "Abel" not in day2
    assert {"Müller", "Иванова", "Groß", "Yılmaz", "Storno"} <= day2

    xlsx = tmp_path / "f.xlsx"
    summary = export_attendance(db, event, xlsx, filters=ExportFilters(day=scenario.day2))
    log = _sheet_rows(xlsx, _("Check-in log"))
    assert summary.log_entries == len(log) == 2
    assert {r[_("Day")] for r in log} == {dt.datetime(2024, 9, 20)}


@pytest.mark.parametrize(
    ("filters", "fragment"),
    [
        (ExportFilters(day=dt.date(2024, 9, 21)), "21.09.2024"),
        (ExportFilters(session_key="nope"), "nope"),
        (ExportFilters(category_key="vip"), "vip"),
    ],
)
def test_unknown_filters_are_refused_and_write_nothing(
    db: Database, scenario: Scenario, tmp_path: Path, filters: ExportFilters, fragment: str
):
    out = tmp_path / "x.xlsx"
    with pytest.raises(ExportError, match=fragment):
        export_attendance(db, scenario.event, out, filters=filters)
    assert not out.exists()


def test_bad_names_and_folders_are_refused(db: Database, scenario: Scenario, tmp_path: Path):
    with pytest.raises(ExportError, match=r"\.xlsx"):
        export_attendance(db, scenario.event, tmp_path / "a.ods")
    with pytest.raises(ExportError, match="missing"):
        export_attendance(db, scenario.event, tmp_path / "missing" / "a.xlsx")
    with pytest.raises(ExportError, match="comma"):
        export_attendance(db, scenario.event, tmp_path / "a.csv", dialect="tab")


def test_cancelling_leaves_no_file_and_keeps_an_older_one(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "a.xlsx"
    out.write_bytes(b"older export")
    with pytest.raises(Cancelled):
        export_attendance(db, scenario.event, out, progress=RecordingProgress(cancel_after=1), fmt="xlsx")
    assert out.read_bytes() == b"older export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_progress_is_reported(db: Database, scenario: Scenario, tmp_path: Path):
    progress = RecordingProgress()
    export_attendance(db, scenario.event, tmp_path / "a.xlsx", progress=progress)
    done, total, _message = progress.updates[-1]
    assert done == total
    assert total > 0


def test_an_open_export_does_not_block_a_desk(db: Database, scenario: Scenario, tmp_path: Path, clock):
    """The export reads in a deferred transaction: another desk can check in meanwhile."""
    from checkin.io.export_filters import resolve_filters
    from checkin.io.participants import ordered_registration_ids

    other = open_database(db.url.removeprefix("sqlite:///"))
    try:
        with db.read() as session:
            ids = ordered_registration_ids(
                session, scenario.event, resolve_filters(scenario.event, ExportFilters())
            )
            assert ids
            desk = CheckInService(other, scenario.event, desk="Eingang 3", clock=clock)
            assert desk.scan(scenario.codes["Groß"], day=scenario.day2).admitted
    finally:
        other.dispose()


def test_bulk_and_chunked_reads_give_the_same_file(
    db: Database, scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Large exports read attendance in one pass per table, small ones per chunk: same result."""
    from checkin.io import participants

    chunked = tmp_path / "chunked.csv"
    export_attendance(db, scenario.event, chunked)
    monkeypatch.setattr(participants, "BULK_THRESHOLD", 1)
    monkeypatch.setattr(participants, "CHUNK_SIZE", 3)
    bulk = tmp_path / "bulk.csv"
    export_attendance(db, scenario.event, bulk)
    assert bulk.read_bytes() == chunked.read_bytes()


def test_log_notes_read_as_words_in_every_case(db: Database, scenario: Scenario, tmp_path: Path):
    """Undoing Müller's move writes ``restored_from:<key>``; the Note column must say it in words."""
    moment = dt.datetime(2024, 9, 19, 14, 30, tzinfo=dt.UTC)
    door = CheckInService(db, scenario.event, desk="Tür Spree", clock=lambda: moment)
    day1 = scenario.event.days[0].date
    assert door.undo(scenario.ids["Müller"], day=day1, session_key="zw-it-sicherheit").undone
    out = tmp_path / "log.xlsx"
    export_attendance(db, scenario.event, out)
    notes = [str(r[_("Note")] or "") for r in _sheet_rows(out, _("Check-in log"))]
    it_security = scenario.event.session_by_key("zw-it-sicherheit").title
    assert _("back from {session} (move undone)").format(session=it_security) in notes
    raw = ("restored_from", "moved_to", "moved_from", "auto:", "walk_in", "yz_swapped", "order_code")
    assert not [n for n in notes if any(kind in n for kind in raw)]  # no machine note left


def test_session_no_shows_only_where_the_door_was_scanned(db: Database, scenario: Scenario, tmp_path: Path):
    """As on the dashboard: nobody scanned at the keynote's door, so no one "missed" it."""
    out = tmp_path / "a.xlsx"
    export_attendance(db, scenario.event, out)
    sessions = {r[_("Session")]: r for r in _sheet_rows(out, _("Sessions"))}
    keynote = scenario.event.session_by_key("keynote")
    bass = scenario.event.session_by_key("zw-bass")
    assert sessions[keynote.title][_("Attended")] == 0
    assert sessions[keynote.title][_("No-shows")] is None
    assert (sessions[bass.title][_("Registered")], sessions[bass.title][_("Attended")]) == (1, 1)
    assert sessions[bass.title][_("No-shows")] == 0  # Abel, registered for it, came
