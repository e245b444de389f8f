"""Import behaviour: re-import counts, dry run, all-or-nothing, refusals, duplicates, matching rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from import_expectations import IMPORTS, load_expectations
from sqlalchemy import func, select

from checkin.domain.codes import verify_code
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import AuditEntry, Registration
from checkin.domain.progress import Cancelled, RecordingProgress
from checkin.i18n import set_language
from checkin.io.importing import (
    FIELDS,
    ImportConflictError,
    ImportFileError,
    ImportMappingError,
    ImportRejectedError,
    ImportService,
    ProblemKind,
    fields_for_event,
)
from checkin.io.importing import plan as planning
from checkin.io.importing import report as words

HEADER = "Vorname;Nachname;E-Mail;Buchungsnummer;Kategorie;Zukunftswerkstatt\n"


stored_registrations = load_expectations().stored_registrations
audit_entries = load_expectations().audit_entries


def write(tmp_path: Path, text: str, name: str = "list.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def run(db: Database, event: EventInfo, path: Path, **options):
    service = ImportService(db, event, clock=lambda: dt.datetime(2024, 9, 1, 8, 0, tzinfo=dt.UTC))
    return service.apply(service.read(path), **options)


def count(db: Database) -> int:
    with db.session_factory() as session:
        return session.scalar(select(func.count(Registration.id)))


def test_reimport_counts_new_updated_unchanged(tmp_path: Path, db: Database, demo_event: EventInfo):
    first = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\nBernd;Roth;b@x.example;B2;;\n", "v1.csv")
    report = run(db, demo_event, first)
    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    second = write(
        tmp_path,
        HEADER
        + "Anna;Schulz;a@x.example;B1;;\nBernd;Roth-Ehrhardt;b@x.example;B2;;\nCarla;Weiß;;B3;Presse;\n",
        "v2.csv",
    )
    report = run(db, demo_event, second)
    assert (report.new, report.updated, report.unchanged, len(report.errors)) == (1, 1, 1, 0)
    assert words.summary(report) == "1 neu, 1 geändert, 1 unverändert, 0 Warnungen, 0 Fehler"
    set_language("en")
    assert words.summary(report) == "1 new, 1 updated, 1 unchanged, 0 warnings, 0 errors"
    stored = stored_registrations(db, demo_event)
    assert stored["B2"]["last_name"] == "Roth-Ehrhardt"
    assert stored["B3"]["category"] == "press"
    assert stored["B1"]["category"] == "participant"  # empty cell: the default category
    again = run(db, demo_event, second)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_only_columns_in_the_file_are_updated(tmp_path: Path, db: Database, demo_event: EventInfo):
    run(
        db,
        demo_event,
        write(tmp_path, "Vorname;Nachname;E-Mail;Code;Funktion\nAnna;Schulz;a@x.example;C1;Leitung\n"),
    )
    report = run(db, demo_event, write(tmp_path, "Vorname;Nachname;Code\nAnna;Schulz-Berg;C1\n", "short.csv"))
    assert report.updated == 1
    stored = stored_registrations(db, demo_event)["C1"]
    assert stored["last_name"] == "Schulz-Berg"
    assert stored["email"] == "a@x.example"
    assert stored["function"] == "Leitung"


def test_dry_run_changes_nothing(tmp_path: Path, db: Database, demo_event: EventInfo):
    path = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\n")
    report = run(db, demo_event, path, dry_run=True)
    assert report.dry_run
    assert report.new == 1
    assert count(db) == 0
    assert audit_entries(db) == []


def test_strict_refuses_the_whole_file(tmp_path: Path, db: Database, demo_event: EventInfo):
    path = write(
        tmp_path,
        HEADER
        + "Anna;Schulz;a@x.example;B1;;\n"
        + "Bernd;Roth;b@x.example;B2;Ehrengast;\n"
        + "Carla;Weiß;c@x.example;B3;;Zukunftswerkstatt 9: Raumfahrt\n"
        + "Dora;Lang;kein-at-zeichen;B4;;\n"
        + ";;;B5;;\n",
    )
    set_language("en")
    with pytest.raises(ImportRejectedError) as caught:
        run(db, demo_event, path, strict=True)
    errors = {e.line: words.row_message(e) for e in caught.value.report.errors}
    assert set(errors) == {3, 4, 5, 6}
    assert "Ehrengast" in errors[3]
    assert "Speaker" not in errors[3]
    assert "Referent/in" in errors[3]
    assert "Zukunftswerkstatt 9: Raumfahrt" in errors[4]
    assert "Zukunftswerkstatt" in errors[4].split("closest")[1]
    assert "kein-at-zeichen" in errors[5]
    assert "no name" in errors[6]
    assert words.describe_row(caught.value.report.errors[0]).startswith("Line 3: ")
    assert count(db) == 0
    assert audit_entries(db) == []


def test_skip_invalid_imports_the_valid_rows(tmp_path: Path, db: Database, demo_event: EventInfo):
    path = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\nBernd;Roth;b@x.example;B2;Ehrengast;\n")
    report = run(db, demo_event, path, skip_invalid=True, strict=True)
    assert (report.new, report.skipped, [e.line for e in report.errors]) == (1, 1, [3])
    assert set(stored_registrations(db, demo_event)) == {"B1"}


def test_dry_run_reports_errors_without_raising(tmp_path: Path, db: Database, demo_event: EventInfo):
    path = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\nBernd;Roth;b@x.example;B2;Ehrengast;\n")
    report = run(db, demo_event, path, dry_run=True, strict=True)
    assert report.new == 1
    assert len(report.errors) == 1
    assert count(db) == 0


def test_line_numbers_count_title_rows_and_multiline_cells(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    text = (
        "Anmeldungen Stand 1.9.;;;;;\n"
        "\n"
        + HEADER
        + 'Anna;Schulz;a@x.example;B1;;"Workshop\nmit Zeilenumbruch"\n'
        + "Bernd;Roth;b@x.example;B2;Ehrengast;\n"
    )
    with pytest.raises(ImportRejectedError) as caught:
        run(db, demo_event, write(tmp_path, text), strict=True)
    assert [e.line for e in caught.value.report.errors] == [4, 6]


def test_duplicate_codes_in_one_file(tmp_path: Path, db: Database, demo_event: EventInfo):
    path = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\nBernd;Roth;b@x.example;B1;;\n")
    set_language("en")
    with pytest.raises(ImportRejectedError) as caught:
        run(db, demo_event, path)
    assert caught.value.report.errors[0].line == 3
    assert "line 2" in words.row_message(caught.value.report.errors[0])


def test_same_person_under_two_codes_is_reported_not_merged(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    run(db, demo_event, write(tmp_path, HEADER + "Anna;Schulz;anna@x.example;B1;;\n", "a.csv"))
    report = run(
        db,
        demo_event,
        write(tmp_path, HEADER + "Anna;Schulz;Anna@X.example;B9;;\nJo;Lang;j@x.example;B8;;\n"),
    )
    assert report.new == 2
    assert len(report.duplicates) == 1
    assert set(report.duplicates[0].codes) == {"B1", "B9"}
    assert report.duplicates[0].lines == (2,)
    assert set(stored_registrations(db, demo_event)) == {"B1", "B8", "B9"}


def test_list_without_codes_gets_signed_codes_and_reimport_matches(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    text = (
        "Vorname;Nachname;E-Mail;Organisation\n"
        "Anna;Schulz;anna@x.example;Jobcenter A\n"
        "Bernd;Roth;;Jobcenter B\n"
    )
    service = ImportService(db, demo_event)
    preview = service.read(write(tmp_path, text))
    assert preview.generates_codes
    report = service.apply(preview)
    assert (report.new, report.generated_codes) == (2, 2)
    stored = stored_registrations(db, demo_event)
    assert all(verify_code(code, demo_event.secret) for code in stored)
    changed = text.replace("Jobcenter A", "Jobcenter Landkreis A").replace("schulz", "SCHULZ")
    report = service.apply(service.read(write(tmp_path, changed.replace("Anna;", "ANNA;"), "again.csv")))
    assert (report.new, report.updated, report.unchanged, report.generated_codes) == (0, 1, 1, 0)
    after = stored_registrations(db, demo_event)
    assert set(after) == set(stored)
    assert {r["organisation"] for r in after.values()} == {"Jobcenter Landkreis A", "Jobcenter B"}


def test_unique_order_codes_serve_as_codes(tmp_path: Path, db: Database, demo_event: EventInfo):
    preview = ImportService(db, demo_event).read(
        write(tmp_path, "Order code,Name\nAB1,Anna Schulz\nAB2,Jo Lang\n")
    )
    assert preview.mapping["code"] == preview.mapping["order_code"] == "Order code"
    shared = ImportService(db, demo_event).read(
        write(tmp_path, "Order code,Name\nAB1,Anna Schulz\nAB1,Jo Lang\n")
    )
    assert "code" not in shared.mapping
    assert shared.generates_codes


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.csv", b"", "leer"),
        ("programme.pdf", None, "PDF"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
        ("photo.csv", bytes(range(256)) * 40, "weder eine Text- noch eine Excel-Datei"),
        ("no_name_column.csv", None, "keine Spalte mit Namen"),
        ("header_only.csv", None, "keine Anmeldungen"),
        ("broken.xlsx", b"PK\x03\x04" + b"not really a zip" * 10, "weder eine CSV"),
    ],
)
def test_files_that_are_not_lists_are_refused_and_change_nothing(
    tmp_path: Path, db: Database, demo_event: EventInfo, name: str, content: bytes | None, needle: str
):
    run(db, demo_event, write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\n", "ok.csv"))
    before = stored_registrations(db, demo_event)
    path = IMPORTS / name if content is None else tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        ImportService(db, demo_event).read(path)
    assert needle in str(caught.value)
    assert stored_registrations(db, demo_event) == before
    assert len(audit_entries(db)) == 1


def test_audit_entry_per_applied_import(tmp_path: Path, db: Database, demo_event: EventInfo):
    run(db, demo_event, write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\n"))
    with db.session_factory() as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert entry.action == "import"
        assert entry.at == dt.datetime(2024, 9, 1, 8, 0, tzinfo=dt.UTC)
        assert entry.detail["file"] == "list.csv"
        assert (entry.detail["new"], entry.detail["updated"], entry.detail["errors"]) == (1, 0, 0)


def test_overrides_and_with_mapping(tmp_path: Path, db: Database, demo_event: EventInfo):
    path = write(tmp_path, "Spalte A;Spalte B;Spalte C\nSchulz;Anna;X1\n")
    service = ImportService(db, demo_event)
    with pytest.raises(ImportFileError):
        service.read(path)
    preview = service.read(
        path, overrides={"last_name": "spalte a", "first_name": "Spalte B", "code": "Spalte C"}
    )
    assert preview.mapping == {"last_name": "Spalte A", "first_name": "Spalte B", "code": "Spalte C"}
    assert preview.sample[0] == {"last_name": "Schulz", "first_name": "Anna", "code": "X1"}
    remapped = preview.with_mapping({"last_name": "Spalte B", "first_name": "Spalte A", "code": ""})
    assert remapped.sample[0] == {"last_name": "Anna", "first_name": "Schulz"}
    assert remapped.generates_codes
    with pytest.raises(ImportMappingError):
        preview.with_mapping({"shoe_size": "Spalte A"})
    with pytest.raises(ImportMappingError):
        preview.with_mapping({"last_name": "Spalte Z"})
    with pytest.raises(ImportMappingError):
        service.read(path, overrides={"last_name": "Nachname"})
    # a field may be named by its label, in German or English
    by_label = service.read(path, overrides={"Nachname": "Spalte A", "First name": "Spalte B"})
    assert by_label.mapping == {"last_name": "Spalte A", "first_name": "Spalte B"}
    report = service.apply(remapped)
    assert report.new == 1
    (stored,) = stored_registrations(db, demo_event).values()
    assert (stored["first_name"], stored["last_name"]) == ("Schulz", "Anna")


@pytest.fixture
def two_slot_event(db: Database) -> EventInfo:
    """The demo programme with Zukunftswerkstatt 4 and 5 moved to a later slot and 2 to the second day."""
    import tomllib

    from checkin.domain.eventfile import parse_event_definition
    from checkin.domain.events import EventService
    from checkin.resources import demo_event_file

    data = tomllib.loads(demo_event_file().read_text(encoding="utf-8"))
    data["event"]["slug"] = "two-slots"
    for session in data["sessions"]:
        if session["key"] in ("zw-bass", "zw-it-sicherheit"):
            session["start"], session["end"] = "16:30", "18:00"
        if session["key"] == "zw-interkommunal":
            session["day"] = dt.date(2024, 9, 20)
    return EventService(db).load_definition(parse_event_definition(data))


def test_workshops_several_per_cell_and_tolerant(tmp_path: Path, db: Database, two_slot_event: EventInfo):
    text = (
        "Name;Code;Workshops\n"
        "Anna Schulz;W1;zw-digitalisierung, Zukunftswerkstatt 5\n"
        "Bernd Roth;W2;Schnittstellenmanagement FbW/Reha\n"
        "Carla Weiß;W3;interkomunale Zusammenarbeit\n"
        "Dora Lang;W4;ZW 4 / ZW 2\n"
        "Emil Kurz;W5;keine\n"
        'Frida Ost;W6;"Zukunftswerkstatt 1\nZukunftswerkstatt 4"\n'
    )
    run(db, two_slot_event, write(tmp_path, text))
    stored = stored_registrations(db, two_slot_event)
    assert stored["W1"]["workshops"] == ("zw-digitalisierung", "zw-it-sicherheit")
    assert stored["W2"]["workshops"] == ("zw-schnittstellen",)
    assert stored["W3"]["workshops"] == ("zw-interkommunal",)
    assert stored["W4"]["workshops"] == ("zw-bass", "zw-interkommunal")
    assert stored["W5"]["workshops"] == ()
    assert stored["W6"]["workshops"] == ("zw-bass", "zw-digitalisierung")


def test_workshops_at_the_same_time_or_on_a_day_not_booked(
    tmp_path: Path, db: Database, two_slot_event: EventInfo
):
    text = (
        "Name;Code;Teilnahme 19.09.;Teilnahme 20.09.;Workshops\n"
        "Anna Schulz;W1;ja;ja;ZW 1, ZW 3\n"
        "Bernd Roth;W2;ja;nein;ZW 2\n"
        "Carla Weiß;W3;ja;ja;ZW 1, ZW 2\n"
    )
    set_language("en")
    with pytest.raises(ImportRejectedError) as caught:
        run(db, two_slot_event, write(tmp_path, text), strict=True)
    errors = {e.line: words.row_message(e) for e in caught.value.report.errors}
    assert set(errors) == {2, 3}
    assert "same time" in errors[2]
    assert "Zukunftswerkstatt 1: Ganzheitliche Digitalisierung" in errors[2]
    assert "20.09.2024" in errors[3]
    # without --strict both rows are imported: both workshops kept, the workshop's day added
    report = run(db, two_slot_event, write(tmp_path, text))
    assert report.new == 3
    assert [w.line for w in report.warnings] == [2, 3]
    assert "registered for that day too" in words.describe_row(report.warnings[1], assumed=True)
    stored = stored_registrations(db, two_slot_event)
    assert stored["W1"]["workshops"] == ("zw-digitalisierung", "zw-schnittstellen")
    assert stored["W2"]["days"] == ("2024-09-19", "2024-09-20")


def test_ambiguous_workshop_is_an_error_naming_the_closest(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    with pytest.raises(ImportRejectedError) as caught:
        run(db, demo_event, write(tmp_path, "Name;Workshop\nAnna Schulz;Zukunftswerkstatt\n"), strict=True)
    assert "Zukunftswerkstatt" in words.row_message(caught.value.report.errors[0])


def test_yes_no_day_columns_refuse_other_values(tmp_path: Path, db: Database, demo_event: EventInfo):
    text = "Name;Teilnahme 19.09.;Teilnahme 20.09.\nAnna Schulz;vielleicht;ja\nBernd Roth;nein;nein\n"
    with pytest.raises(ImportRejectedError) as caught:
        run(db, demo_event, write(tmp_path, text), strict=True)
    assert [e.line for e in caught.value.report.errors] == [2, 3]
    assert "vielleicht" in words.row_message(caught.value.report.errors[0])
    # by default: "vielleicht" is taken as yes, no day ticked imports without days
    report = run(db, demo_event, write(tmp_path, text))
    assert [(w.line, w.kinds) for w in report.warnings] == [
        (2, (ProblemKind.NOT_YES_NO,)),
        (3, (ProblemKind.NO_DAY,)),
    ]
    days = {r["last_name"]: r["days"] for r in stored_registrations(db, demo_event).values()}
    assert days == {"Schulz": ("2024-09-19", "2024-09-20"), "Roth": ()}


def test_cancelled_rows_and_status_words(tmp_path: Path, db: Database, demo_event: EventInfo):
    text = (
        "Name,Code,Status\n"
        "Anna Schulz,S1,Paid\nBernd Roth,S2,Canceled\nCarla Weiß,S3,storniert\nDora Lang,S4,???\n"
    )
    with pytest.raises(ImportRejectedError) as caught:
        run(db, demo_event, write(tmp_path, text), strict=True)
    assert [e.line for e in caught.value.report.errors] == [5]
    report = run(db, demo_event, write(tmp_path, text), dry_run=True)
    assert [(w.line, w.kinds) for w in report.warnings] == [(5, (ProblemKind.UNKNOWN_STATUS,))]
    run(db, demo_event, write(tmp_path, text.replace("???", "Pending")))
    stored = stored_registrations(db, demo_event)
    assert [stored[c]["status"] for c in ("S1", "S2", "S3", "S4")] == [
        "active",
        "cancelled",
        "cancelled",
        "unpaid",  # "Pending": registered, not paid
    ]


def test_cancel_leaves_nothing_changed(tmp_path: Path, db: Database, demo_event: EventInfo):
    rows = "".join(f"Person{n};Nachname{n};p{n}@x.example;C{n};;\n" for n in range(2500))
    service = ImportService(db, demo_event)
    preview = service.read(write(tmp_path, HEADER + rows))
    with pytest.raises(Cancelled):
        service.apply(preview, progress=RecordingProgress(cancel_after=4))
    assert count(db) == 0
    progress = RecordingProgress()
    report = service.apply(preview, progress=progress)
    assert report.new == 2500
    assert count(db) == 2500
    assert progress.updates[-1][0] == progress.updates[-1][1] == 2500


def test_fields_for_the_wizard_are_translated(demo_event: EventInfo):
    keys = [f.key for f in FIELDS]
    for key in ("code", "order_code", "title", "first_name", "last_name", "full_name", "organisation",
                "function", "email", "category", "status", "days", "workshops", "notes"):  # fmt: skip
        assert key in keys
    labels = {f.key: f.label for f in fields_for_event(demo_event)}
    assert labels["first_name"] == "Vorname"
    assert labels["day:2024-09-19"] == "Teilnahme am 19.09.2024 (ja/nein)"
    set_language("en")
    assert {f.key: f.label for f in FIELDS}["first_name"] == "First name"


def test_preview_is_for_one_event(tmp_path: Path, db: Database, demo_event: EventInfo):
    preview = ImportService(db, demo_event).read(write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\n"))
    other = demo_event.__class__(**{**demo_event.__dict__, "id": demo_event.id + 1})
    with pytest.raises(ImportMappingError):
        ImportService(db, other).apply(preview)


def test_a_conflict_in_the_database_rolls_everything_back(
    tmp_path: Path, db: Database, demo_event: EventInfo, monkeypatch: pytest.MonkeyPatch
):
    run(db, demo_event, write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\n", "first.csv"))
    # As if B1 had appeared after the plan was made: the plan sees no registrations at all.
    monkeypatch.setattr(planning, "load_existing", lambda *args: ({}, {}))
    path = write(tmp_path, HEADER + "Carla;Weiß;c@x.example;B3;;\nAnna;Schulz;a@x.example;B1;;\n")
    with pytest.raises(ImportConflictError):
        run(db, demo_event, path)
    assert set(stored_registrations(db, demo_event)) == {"B1"}
    assert len(audit_entries(db)) == 1


def test_a_list_without_titles_keeps_stored_titles(tmp_path: Path, db: Database, demo_event: EventInfo):
    run(db, demo_event, write(tmp_path, "Titel;Vorname;Nachname;Code\nProf. Dr.;Ronnie;Schöb;R1\n", "a.csv"))
    report = run(db, demo_event, write(tmp_path, "Vorname;Nachname;Code\nRonnie;Schöb;R1\n", "b.csv"))
    assert report.unchanged == 1
    assert stored_registrations(db, demo_event)["R1"]["title"] == "Prof. Dr."
    # a title column that is empty does clear it
    report = run(db, demo_event, write(tmp_path, "Titel;Vorname;Nachname;Code\n;Ronnie;Schöb;R1\n", "c.csv"))
    assert report.updated == 1
    assert stored_registrations(db, demo_event)["R1"]["title"] == ""


def test_messy_rows_import_with_warnings_and_only_nameless_rows_are_errors(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    path = write(
        tmp_path,
        HEADER
        + "Anna;Schulz;a@x.example;B1;Aussteller/in;\n"
        + "Bernd;Roth;b@x.example;B2;Aussteller/in;Zukunftswerkstatt 9: Raumfahrt\n"
        + "Dora;Lang;kein-at-zeichen;B4;;\n"
        + ";;;B5;;\n",
    )
    set_language("en")
    with pytest.raises(ImportRejectedError) as caught:
        run(db, demo_event, path)
    report = caught.value.report
    assert [(e.line, e.kinds) for e in report.errors] == [(5, (ProblemKind.NO_NAME,))]
    assert [w.line for w in report.warnings] == [2, 3, 4]
    assert count(db) == 0
    report = run(db, demo_event, path, skip_invalid=True)
    assert (report.new, report.skipped, len(report.warnings)) == (3, 1, 3)
    assert [(c.name, c.rows) for c in report.created_categories] == [("Aussteller/in", 2)]
    assert words.summary(report) == "3 new, 0 updated, 0 unchanged, 3 warnings, 1 errors"
    stored = stored_registrations(db, demo_event)
    assert stored["B1"]["category"] == stored["B2"]["category"] == "import-ausstellerin"
    assert stored["B2"]["workshops"] == ()
    assert stored["B4"]["email"] == ""
    groups = {title: lines for title, lines, _messages in words.grouped_warnings(report)}
    assert groups == {"Unknown category": [2, 3], "Unknown workshop": [3], "Not an email address": [4]}
    # the next import of the list knows the category now
    again = run(db, demo_event, path, skip_invalid=True)
    assert (again.unchanged, again.created_categories) == (3, ())
    assert [w.line for w in again.warnings] == [3, 4]


def test_values_mapped_once_are_remembered_for_the_event(tmp_path: Path, db: Database, demo_event: EventInfo):
    from checkin.io.importing import parse_value_maps

    path = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;Aussteller/in;\nBo;Li;b@x.example;B2;VIP;\n")
    choices = parse_value_maps(demo_event, ["category:aussteller/IN=Teilnehmer/in", "category:VIP=press"])
    service = ImportService(db, demo_event)
    report = service.apply(service.read(path), choices=choices)
    assert report.created_categories == ()
    stored = stored_registrations(db, demo_event)
    assert (stored["B1"]["category"], stored["B2"]["category"]) == ("participant", "press")
    set_language("en")
    assert "mapped to Presse" in words.describe_row(report.warnings[1], assumed=True)
    # a later import of an updated list needs no choices
    updated = write(
        tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;Aussteller/in;\nCy;Ko;c@x.example;B3;VIP;\n"
    )
    report = service.apply(service.read(updated))
    assert report.created_categories == ()
    assert stored_registrations(db, demo_event)["B3"]["category"] == "press"
    with pytest.raises(ImportMappingError, match="Astronaut"):
        parse_value_maps(demo_event, ["category:VIP=Astronaut"])
    with pytest.raises(ImportMappingError, match="FIELD:VALUE=TARGET"):
        parse_value_maps(demo_event, ["VIP=press"])


def test_product_column_gives_category_and_days(tmp_path: Path, db: Database, demo_event: EventInfo):
    text = (
        "Attendee name,Ticket type,Ticket ID\n"
        "Anna Schulz,Speaker ticket,T1\n"
        "Bernd Roth,Tagesticket 20.09.,T2\n"
        "Carla Weiß,Kombiticket beide Tage,T3\n"
        "Dora Lang,Presse – Tagesticket Donnerstag,T4\n"
        "Emil Kurz,Early Bird,T5\n"
    )
    report = run(db, demo_event, write(tmp_path, text))
    assert [(w.line, w.kinds) for w in report.warnings] == [(6, (ProblemKind.UNKNOWN_PRODUCT,))]
    stored = stored_registrations(db, demo_event)
    both = ("2024-09-19", "2024-09-20")
    assert [(stored[c]["category"], stored[c]["days"]) for c in ("T1", "T2", "T3", "T4", "T5")] == [
        ("speaker", both),
        ("participant", ("2024-09-20",)),
        ("participant", both),
        ("press", ("2024-09-19",)),
        ("participant", both),
    ]


def test_same_person_twice_under_one_code_is_a_warning(tmp_path: Path, db: Database, demo_event: EventInfo):
    path = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;;\nAnna;Schulz;anna@x.example;B1;;\n")
    report = run(db, demo_event, path)
    assert (report.new, [(w.line, w.kinds) for w in report.warnings]) == (
        1,
        [(3, (ProblemKind.SAME_ROW_REPEATED,))],
    )
    assert stored_registrations(db, demo_event)["B1"]["email"] == "anna@x.example"  # the later line


def test_a_choice_wins_over_a_category_created_earlier(tmp_path: Path, db: Database, demo_event: EventInfo):
    from checkin.io.importing import parse_value_maps

    path = write(tmp_path, HEADER + "Anna;Schulz;a@x.example;B1;Aussteller/in;\n")
    service = ImportService(db, demo_event)
    service.apply(service.read(path))
    assert stored_registrations(db, demo_event)["B1"]["category"] == "import-ausstellerin"
    choices = parse_value_maps(demo_event, ["category:Aussteller/in=Presse"])
    report = service.apply(service.read(path), choices=choices)
    assert (report.updated, report.warnings) == (1, ())
    assert stored_registrations(db, demo_event)["B1"]["category"] == "press"
