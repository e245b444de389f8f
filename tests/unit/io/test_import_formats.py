"""The same eight people from an Excel-style German CSV, an English CSV, an XLSX and a pretix
export end up identical in the database, field by field, letters intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_expectations import IMPORTS, load_expectations

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.io.importing import ImportService

EXPECTED = load_expectations().EXPECTED
stored_registrations = load_expectations().stored_registrations

FIELDS = ("title", "first_name", "last_name", "organisation", "function", "email", "category", "status",
          "days", "workshops")  # fmt: skip


def _import(db: Database, event: EventInfo, name: str, **read_options) -> dict[str, dict]:
    service = ImportService(db, event)
    preview = service.read(IMPORTS / name, **read_options)
    report = service.apply(preview)
    assert report.errors == ()
    assert report.new == len(EXPECTED)
    return stored_registrations(db, event)


def _by_name(stored: dict[str, dict]) -> dict[tuple[str, str], dict]:
    return {(r["first_name"], r["last_name"]): {**r, "code": code} for code, r in stored.items()}


@pytest.mark.parametrize(
    ("file_name", "read_options", "codes"),
    [
        ("german_excel.csv", {}, [f"TDKJ-000{n}" for n in range(1, 9)]),
        ("english.csv", {}, [f"EN-{n}" for n in range(1, 9)]),
        ("registrations.xlsx", {}, [str(1000 + n) for n in range(1, 9)]),
        ("pretix_orders.csv", {"overrides": {"category": "Product"}}, None),
    ],
)
def test_every_format_stores_the_same_people(
    db: Database, demo_event: EventInfo, file_name: str, read_options: dict, codes: list[str] | None
):
    stored = _by_name(_import(db, demo_event, file_name, **read_options))
    assert len(stored) == len(EXPECTED)
    for index, expected in enumerate(EXPECTED):
        row = stored[(expected["first_name"], expected["last_name"])]
        if file_name == "pretix_orders.csv" and expected["last_name"] == "Großmann-Weißenböck":
            # the pretix export alone says this order is "Pending": not paid (the others say active)
            expected = {**expected, "status": "unpaid"}
        for field in FIELDS:
            assert row[field] == expected[field], (file_name, expected["last_name"], field)
        if codes is not None:
            assert row["code"] == codes[index]


def test_pretix_codes_secrets_and_order_codes(db: Database, demo_event: EventInfo):
    service = ImportService(db, demo_event)
    preview = service.read(IMPORTS / "pretix_orders.csv", overrides={"category": "Product"})
    assert preview.format == "pretix"
    assert preview.mapping["code"] == "Ticket secret"
    assert preview.mapping["order_code"] == "Order code"
    assert preview.mapping["email"] == "Attendee email"
    service.apply(preview)
    stored = _by_name(stored_registrations(db, demo_event))
    schoeb = stored[("Ronnie", "Schöb")]
    assert schoeb["code"] == "k7px3mq9wtrv4nab2c3d4e5f6g7h8j9k"
    assert schoeb["order_code"] == "ABC12"
    # one order, two positions: two registrations with their own secrets and the same order code
    assert (
        stored[("Łukasz", "Wiśniewski")]["order_code"] == stored[("Ayşe", "Yılmaz")]["order_code"] == "XY7QZ"
    )
    # the attendee email is empty for the cancelled position: the order email is taken
    assert stored[("Şükrü", "Çelik")]["email"] == "s.celik@komba-abi.example"
    # pretix columns without a field of their own are kept
    assert schoeb["extra"]["Pseudonymization ID"] == "PSEUDOk7px3m"


def test_german_excel_file_details(db: Database, demo_event: EventInfo):
    service = ImportService(db, demo_event)
    preview = service.read(IMPORTS / "german_excel.csv")
    assert (preview.encoding, preview.delimiter, preview.header_line) == ("utf-8-sig", ";", 2)
    assert preview.mapping["day:2024-09-19"] == "Teilnahme 19.09.2024"
    assert preview.mapping["workshops"] == "Zukunftswerkstatt"
    assert preview.mapping["organisation"] == "Behörde"
    assert preview.row_count == 8  # the empty ";;;;" rows Excel leaves at the end are not rows
    service.apply(preview)
    stored = stored_registrations(db, demo_event)
    assert stored["TDKJ-0001"]["extra"] == {"Anrede": "Herr"}
    assert stored["TDKJ-0001"]["notes"] == "Keynote 10:30"
    assert stored["TDKJ-0001"]["source"] == "import:german_excel.csv"


def test_windows_1252_csv(db: Database, demo_event: EventInfo):
    service = ImportService(db, demo_event)
    preview = service.read(IMPORTS / "german_cp1252.csv")
    assert preview.encoding == "cp1252"
    service.apply(preview)
    stored = stored_registrations(db, demo_event)
    assert stored["A-17"]["first_name"] == "Jürgen"
    assert stored["A-17"]["last_name"] == "Weiß"
    assert stored["A-18"]["last_name"] == "Strauß-Müller"
    assert stored["A-19"]["organisation"] == "GGFA AöR – Jobcenter Stadt Erlangen"
    # "Teilnahme Donnerstag" / "Teilnahme Freitag" are the two event days
    assert stored["A-17"]["days"] == ("2024-09-19",)
    assert stored["A-19"]["days"] == ("2024-09-20",)


def test_tab_separated_text(db: Database, demo_event: EventInfo):
    service = ImportService(db, demo_event)
    preview = service.read(IMPORTS / "tab_separated.txt")
    assert preview.delimiter == "\t"
    service.apply(preview)
    stored = stored_registrations(db, demo_event)
    assert (stored["T-2"]["first_name"], stored["T-2"]["last_name"]) == ("Дмитрий", "Соколов")
    assert stored["T-1"]["days"] == ("2024-09-19", "2024-09-20")  # no day column: all days


def test_eventbrite_attendee_report(db: Database, demo_event: EventInfo):
    service = ImportService(db, demo_event)
    preview = service.read(IMPORTS / "eventbrite_attendees.csv", overrides={"category": ""})
    assert preview.format == "eventbrite"
    assert preview.mapping["code"] == "Barcode #"
    assert preview.mapping["order_code"] == "Order #"
    assert preview.mapping["function"] == "Job Title"
    assert "full_name" not in preview.mapping  # "Attendee #" is a number, not the attendee's name
    assert "Attendee #" in preview.unmapped_headers
    service.apply(preview)
    stored = stored_registrations(db, demo_event)
    assert stored["987654321012345678002"]["last_name"] == "Wójcik"
    assert stored["987654321012345678002"]["organisation"] == "Jobcenter Kreis Borken"
    assert stored["987654321012345678003"]["status"] == "cancelled"  # "Not Attending"
    assert stored["987654321012345678003"]["order_code"] == "1234567891"


def test_old_eventbrite_report_with_date_attending(db: Database, demo_event: EventInfo):
    service = ImportService(db, demo_event)
    preview = service.read(IMPORTS / "eventbrite_old.csv")
    assert preview.format == "eventbrite"
    assert preview.mapping["code"] == "Attendee #"
    assert preview.mapping["days"] == "Date Attending"
    assert "Amount (USD)" in preview.unmapped_headers
    service.apply(preview)
    stored = stored_registrations(db, demo_event)
    assert stored["5550001"]["days"] == ("2024-09-19",)
    assert stored["5550002"]["first_name"] == "Željko"
    assert stored["5550002"]["days"] == ("2024-09-20",)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # Indico
        (["ID", "Name", "Email Address", "First Name", "Last Name", "Affiliation", "Title", "Position"],
         {"code": "ID", "full_name": "Name", "email": "Email Address", "first_name": "First Name",
          "last_name": "Last Name",
          "organisation": "Affiliation", "title": "Title", "function": "Position"}),
        # Hi.Events
        (["ID", "First Name", "Last Name", "Email", "Status", "Check Ins", "Product ID", "Product Name",
          "Event ID", "Public ID", "Short ID", "Created Date", "Notes"],
         {"code": "Public ID", "first_name": "First Name", "last_name": "Last Name", "email": "Email",
          "status": "Status", "notes": "Notes", "product": "Product Name"}),
        # Attendize
        (["First Name", "Last Name", "Email", "Ticket ID", "Order Ref", "Ticket Type", "Order Date",
          "Has Arrived", "Arrival Time"],
         {"code": "Ticket ID", "order_code": "Order Ref", "first_name": "First Name",
          "last_name": "Last Name", "email": "Email", "product": "Ticket Type"}),
        # alf.io
        (["ID", "Category", "Event", "Status", "OriginalPrice", "PaidPrice", "Discount", "VAT",
          "ReservationID", "Full Name", "First Name", "Last Name", "E-Mail", "Locked", "Language"],
         {"code": "ID", "order_code": "ReservationID", "first_name": "First Name", "last_name": "Last Name",
          "full_name": "Full Name", "email": "E-Mail", "status": "Status", "category": "Category"}),
        # hand-made, with prefixes and a German "Name" meaning the family name
        (["lfd. Nr.", "Vorname", "Name", "E-Mail-Adresse (dienstlich)", "Total Paid (USD)", "Dienststelle"],
         {"first_name": "Vorname", "last_name": "Name", "email": "E-Mail-Adresse (dienstlich)",
          "organisation": "Dienststelle"}),
    ],
)  # fmt: skip
def test_headers_of_other_tools_are_recognised(
    tmp_path: Path, db: Database, demo_event: EventInfo, headers: list[str], expected: dict[str, str]
):
    path = tmp_path / "list.csv"
    path.write_text(",".join(headers) + "\n" + ",".join(f"v{i}" for i in range(len(headers))) + "\n", "utf-8")
    preview = ImportService(db, demo_event).read(path)
    for field, header in expected.items():
        assert preview.mapping.get(field) == header, field
    assert set(preview.mapping) == set(expected)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("offen", "unpaid"), ("unbezahlt", "unpaid"), ("Nicht bezahlt", "unpaid"), ("Pending", "unpaid"),
        ("awaiting_payment", "unpaid"), ("bezahlt", "active"), ("Paid", "active"), ("storniert", "cancelled"),
        ("vielleicht", None),
    ],
)  # fmt: skip
def test_a_status_column_reads_unpaid_values_as_unpaid(value: str, status: str | None):
    from checkin.io.importing.values import parse_status

    assert parse_status(value) == status
