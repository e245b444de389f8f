"""Data protection: purge leaves no personal data in the database file; counts stay; right of access."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.domain.checkin_service import CheckInService, WalkInRequest
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    AuditEntry,
    BadgePrint,
    CheckInLogEntry,
    Registration,
)
from checkin.domain.privacy import PURGE_ACTION, PrivacyError, PrivacyService
from checkin.domain.statistics import event_stats
from tests.helpers import NewPerson, People

BERLIN = dt.timezone(dt.timedelta(hours=2))
AFTER_RETENTION = dt.datetime(2025, 4, 2, 10, 0, tzinfo=BERLIN)  # demo event: retention_until 2025-03-31

PEOPLE = [
    ("Anna", "Müller-Lüdenscheidt", "Jobcenter Köln", "anna.mueller@koeln.example", "Referatsleitung"),
    ("Jürgen", "Öztürk", "Kommunales Jobcenter Görlitz", "juergen.oeztuerk@goerlitz.example", "Fallmanager"),
    ("Łukasz", "Wiśniewski", "Jobcenter Heidekreis", "lukasz.wisniewski@heidekreis.example", "Teamleitung"),
    ("Ольга", "Иванова", "GGFA AöR Erlangen", "olga.ivanova@erlangen.example", "Sachbearbeiterin"),
    (
        "Straße",
        "Großmann",
        "Jobcenter Uckermark",
        "strasse.grossmann@uckermark.example",
        "Integrationsfachkraft",
    ),
]
WALK_IN = ("Walburga", "Spontanbesucherin", "Landkreis Zufallsfeld", "walburga@zufall.example")


@pytest.fixture
def people(db: Database, demo_event: EventInfo) -> dict[str, str]:
    """Registrations with personal data everywhere it can be, check-ins, a walk-in and a badge print."""
    added = People(db, demo_event).add_all(
        NewPerson(
            first,
            last,
            order_code=f"ORDER-{last.upper()}",
            organisation=org,
            function=function,
            email=email,
            notes=f"Rollstuhl, Begleitung {first} {last}",
            extra={"Telefon": "+49 30 1234567", "Anmerkung": f"{first} kommt später"},
            source=f"import:anmeldungen-{last}.csv",
            days=(demo_event.days[0].date,),
            workshops=(demo_event.workshops[0].key,),
        )
        for first, last, org, email, function in PEOPLE
    )
    codes = {row[1]: person.code for row, person in zip(PEOPLE, added, strict=True)}
    with db.session_factory.begin() as session:
        for person in added:
            session.add(
                BadgePrint(
                    event_id=demo_event.id,
                    registration_id=person.registration_id,
                    desk="Eingang",
                    reason="batch",
                )
            )
    now = [dt.datetime(2024, 9, 19, 9, 0, tzinfo=BERLIN)]
    desk = CheckInService(db, demo_event, desk="Eingang 1", clock=lambda: now[0])
    day = demo_event.days[0].date
    for last in ("Müller-Lüdenscheidt", "Öztürk", "Иванова"):
        now[0] += dt.timedelta(minutes=3)
        assert desk.scan(codes[last], day=day).admitted
    now[0] += dt.timedelta(hours=5)
    assert desk.scan(codes["Wiśniewski"], day=day, session_key=demo_event.workshops[0].key).admitted
    assert desk.undo(_registration_id(db, codes["Öztürk"]), day=day).undone
    first, last, org, email = WALK_IN
    desk.walk_in(WalkInRequest(first_name=first, last_name=last, organisation=org, email=email), day=day)
    return codes


def _registration_id(db: Database, code: str) -> int:
    with db.session_factory() as session:
        return session.scalar(select(Registration.id).where(Registration.code == code))


def _personal_strings() -> list[str]:
    values = []
    for first, last, org, email, _function in PEOPLE:
        values += [first, last, org, email]
    values += list(WALK_IN)
    return values


def _file_bytes(db: Database) -> bytes:
    path = Path(db.url.removeprefix("sqlite:///"))
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        sibling = path.with_name(path.name + suffix)
        if sibling.exists():
            data += sibling.read_bytes()
    return data


def _found(data: bytes, text: str) -> bool:
    return any(form in data for form in (text.encode("utf-8"), text.encode("utf-16-le")))


def _counts(db: Database, event: EventInfo) -> object:
    with db.session_factory() as session:
        stats = event_stats(session, event)
    return dataclasses.replace(stats)


def test_purge_leaves_no_name_or_email_in_the_file_and_keeps_every_count(
    db: Database, demo_event: EventInfo, people: dict[str, str], tmp_path: Path
):
    from checkin.io.participants import attendance_statistics

    with db.session_factory.begin() as session:
        session.add(
            AuditEntry(
                event_id=demo_event.id,
                action="import",
                detail={"file": "Nachmeldung Anna Müller-Lüdenscheidt.xlsx", "new": 1, "updated": 0},
            )
        )
    before_file = _file_bytes(db)
    assert all(_found(before_file, text) for text in _personal_strings())  # the search itself works
    stats_before = _counts(db, demo_event)
    export_stats_before = attendance_statistics(db, demo_event)
    with db.session_factory() as session:
        log_before = session.scalar(select(func.count()).select_from(CheckInLogEntry))

    report = PrivacyService(db, demo_event, clock=lambda: AFTER_RETENTION, desk="Büro").purge(confirm=True)

    assert report.registrations_anonymised == len(PEOPLE) + 1
    assert report.cutoff == dt.date(2025, 3, 31)
    assert report.file_scrubbed
    data = _file_bytes(db)
    leaked = [text for text in _personal_strings() if _found(data, text)]
    assert leaked == []
    for code in people.values():
        assert not _found(data, code)
    assert _counts(db, demo_event) == stats_before
    assert attendance_statistics(db, demo_event) == export_stats_before
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(CheckInLogEntry)) == log_before
        rows = session.execute(select(Registration)).scalars().all()
        assert all(r.purged_at is not None and r.code.startswith("anon-") for r in rows)
        assert all(r.order_code is None and r.extra == {} and r.notes == "" for r in rows)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == PURGE_ACTION)).one()
    assert audit.detail["registrations_anonymised"] == len(PEOPLE) + 1
    assert audit.detail["audit_file_names_removed"] == 1
    assert audit.desk == "Büro"
    assert not any(
        _found(json.dumps(audit.detail, ensure_ascii=False).encode(), t) for t in _personal_strings()
    )


def test_exports_after_a_purge_hold_no_personal_data(
    db: Database, demo_event: EventInfo, people: dict[str, str], tmp_path: Path
):
    from checkin.io.exports import export_attendance

    PrivacyService(db, demo_event, clock=lambda: AFTER_RETENTION).purge(confirm=True)
    out_csv, out_xlsx = tmp_path / "after.csv", tmp_path / "after.xlsx"
    summary = export_attendance(db, demo_event, out_csv)
    export_attendance(db, demo_event, out_xlsx)
    assert summary.participants == len(PEOPLE) + 1
    text = out_csv.read_text(encoding="utf-8-sig")
    assert [t for t in _personal_strings() if t in text] == []
    import zipfile

    with zipfile.ZipFile(out_xlsx) as package:
        xml = b"".join(package.read(name) for name in package.namelist())
    assert [t for t in _personal_strings() if _found(xml, t)] == []


def test_deleting_registrations_keeps_the_figures_in_the_audit_log(
    db: Database, demo_event: EventInfo, people: dict[str, str]
):
    stats_before = _counts(db, demo_event)
    report = PrivacyService(db, demo_event, clock=lambda: AFTER_RETENTION).purge(
        confirm=True, keep_statistics=False
    )
    assert report.registrations_deleted == len(PEOPLE) + 1
    assert report.check_ins_deleted > 0
    assert report.badge_prints_deleted == len(PEOPLE)
    data = _file_bytes(db)
    assert [t for t in _personal_strings() if _found(data, t)] == []
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Registration)) == 0
        assert session.scalar(select(func.count()).select_from(CheckInLogEntry)) == 0
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == PURGE_ACTION)).one()
    kept = audit.detail["statistics"]
    assert kept["active"] == stats_before.active
    assert [d["arrived"] for d in kept["days"]] == [d.arrived for d in stats_before.days]
    assert [s["attended"] for s in kept["sessions"]] == [s.attended for s in stats_before.sessions]


def test_purge_refuses_without_confirmation_and_changes_nothing(
    db: Database, demo_event: EventInfo, people: dict[str, str]
):
    before = _file_bytes(db)
    with pytest.raises(PrivacyError, match="--yes"):
        PrivacyService(db, demo_event, clock=lambda: AFTER_RETENTION).purge()
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).where(Registration.purged_at.is_not(None))) == 0
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == PURGE_ACTION)
            )
            == 0
        )
    assert all(_found(before, t) for t in _personal_strings())


@pytest.mark.parametrize(
    ("today", "before", "fragment"),
    [
        (dt.datetime(2024, 12, 1, 12, 0, tzinfo=BERLIN), None, "31.03.2025"),  # retention not reached
        (AFTER_RETENTION, dt.date(2025, 5, 1), "01.05.2025"),  # --before in the future
        (AFTER_RETENTION, dt.date(2024, 9, 20), "20.09.2024"),  # not after the event
    ],
)
def test_purge_refuses_dates_that_are_not_allowed(
    db: Database,
    demo_event: EventInfo,
    people: dict[str, str],
    today: dt.datetime,
    before: dt.date | None,
    fragment: str,
):
    with pytest.raises(PrivacyError, match=fragment):
        PrivacyService(db, demo_event, clock=lambda: today).purge(before=before, confirm=True)
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).where(Registration.purged_at.is_not(None))) == 0


def test_an_explicit_earlier_date_purges_before_the_retention_date(
    db: Database, demo_event: EventInfo, people: dict[str, str]
):
    today = dt.datetime(2024, 10, 15, 9, 0, tzinfo=BERLIN)
    report = PrivacyService(db, demo_event, clock=lambda: today).purge(
        before=dt.date(2024, 10, 1), confirm=True
    )
    assert report.cutoff == dt.date(2024, 10, 1)
    assert report.registrations_anonymised == len(PEOPLE) + 1
    again = PrivacyService(db, demo_event, clock=lambda: today).purge(
        before=dt.date(2024, 10, 1), confirm=True
    )
    assert again.registrations_anonymised == 0
    assert again.already_purged == len(PEOPLE) + 1


def test_right_of_access_lists_everything_about_one_person(
    db: Database, demo_event: EventInfo, people: dict[str, str]
):
    service = PrivacyService(db, demo_event, clock=lambda: dt.datetime(2024, 9, 21, 10, 0, tzinfo=BERLIN))
    data = service.person_data(code=people["Öztürk"].lower())
    json.dumps(data)  # JSON-ready
    (person,) = data["registrations"]
    assert person["first_name"] == "Jürgen"
    assert person["email"] == "juergen.oeztuerk@goerlitz.example"
    assert person["notes"].startswith("Rollstuhl")
    assert person["extra"]["Telefon"] == "+49 30 1234567"
    assert person["days"] == ["2024-09-19"]
    assert [s["key"] for s in person["sessions"]] == [demo_event.workshops[0].key]
    assert [c["action"] for c in person["check_ins"]] == ["check_in", "undo"]
    assert person["check_ins"][0]["at"] == "2024-09-19T09:06:00+02:00"
    assert len(person["badge_prints"]) == 1
    by_email = service.person_data(email="Juergen.Oeztuerk@Goerlitz.example")
    assert by_email["registrations"][0]["code"] == people["Öztürk"]
    with db.session_factory() as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy_access_export")).all()
    assert [a.detail for a in audits] == [{"registrations": 1}, {"registrations": 1}]


@pytest.mark.parametrize(
    ("code", "email"), [(None, None), ("X", "x@y.z"), ("", None), (None, "nobody@example.org")]
)
def test_right_of_access_refuses_unclear_or_unknown_requests(
    db: Database, demo_event: EventInfo, people: dict[str, str], code: str | None, email: str | None
):
    with pytest.raises(PrivacyError):
        PrivacyService(db, demo_event).person_data(code=code, email=email)
