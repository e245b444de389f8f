"""A person imported with no day ticked: imported with a warning, registered for no day (not every
day); the desk refuses on every day and says why, in German and in English. A later import that
ticks a day answers it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from checkin import i18n
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.document_options import DocumentOptions
from checkin.domain.events import EventInfo
from checkin.domain.models import Registration
from checkin.domain.people import PersonChanges, person_details
from checkin.domain.privacy import PrivacyService
from checkin.domain.statistics import event_stats
from checkin.domain.verdicts import NotRegisteredReason, VerdictKind
from checkin.io.importing import ImportService, ProblemKind
from checkin.io.importing import report as words
from checkin.io.person_letter import write_person_letter
from checkin.presentation.verdict_text import verdict_text

DAY1, DAY2 = dt.date(2024, 9, 19), dt.date(2024, 9, 20)
HEADER = "Name;Teilnahme 19.09.;Teilnahme 20.09.\n"


def _import(db: Database, event: EventInfo, path: Path, text: str):
    path.write_text(HEADER + text, encoding="utf-8")
    service = ImportService(db, event, clock=lambda: dt.datetime(2024, 9, 1, 8, 0, tzinfo=dt.UTC))
    return service.apply(service.read(path))


def _stored(db: Database) -> dict[str, tuple[str, bool]]:
    with db.read() as session:
        rows = session.execute(select(Registration.last_name, Registration.code, Registration.no_day_ticked))
        return {name: (code, flag) for name, code, flag in rows}


def _desk(db: Database, event: EventInfo) -> CheckInService:
    return CheckInService(db, event, desk="Theke 1", clock=lambda: dt.datetime(2024, 9, 20, 8, tzinfo=dt.UTC))


@pytest.fixture
def restore_language():
    yield
    i18n.set_language("de")


def test_no_day_ticked_imports_with_a_warning_and_is_registered_for_no_day(
    tmp_path: Path, db: Database, demo_event: EventInfo, restore_language
):
    report = _import(db, demo_event, tmp_path / "liste.csv", "Bernd Roth;nein;nein\nAnna Schulz;ja;nein\n")
    assert report.new == 2
    [warning] = report.warnings
    assert (warning.line, warning.kinds) == (2, (ProblemKind.NO_DAY,))
    assert words.describe_row(warning, assumed=True) == (
        "Zeile 2: kein Tag angekreuzt: "
        "importiert, aber am Eingang erst eingelassen, wenn ein Tag eingetragen ist"
    )
    i18n.set_language("en")
    assert words.describe_row(warning, assumed=True) == (
        "Line 2: no day is marked: imported, but not admitted at the entrance until a day is set"
    )
    stored = _stored(db)
    assert stored["Roth"][1] is True
    assert stored["Schulz"][1] is False

    desk = _desk(db, demo_event)
    for day in (DAY1, DAY2):
        verdict = desk.scan(stored["Roth"][0], day=day)
        assert (verdict.kind, verdict.admitted) == (VerdictKind.NOT_REGISTERED_TODAY, False)
        assert verdict.not_registered_reason is NotRegisteredReason.NO_DAY_TICKED
    assert verdict_text(verdict) == (
        "Bernd Roth is not registered for today: the registration list ticked no day for this person."
    )
    i18n.set_language("de")
    assert (
        verdict_text(verdict)
        == "Bernd Roth ist für heute nicht angemeldet: In der Anmeldeliste ist kein Tag angekreuzt."
    )
    # The one with a day ticked: refused on the other day for the ordinary reason.
    other = desk.scan(stored["Schulz"][0], day=DAY2)
    assert other.kind is VerdictKind.NOT_REGISTERED_TODAY
    assert other.not_registered_reason is NotRegisteredReason.OTHER_DAYS
    assert verdict_text(other) == "Anna Schulz ist für den 20.09.2024 nicht angemeldet."

    # Figures: registered for no day (Schulz counts on the 19th only).
    with db.read() as session:
        stats = event_stats(session, demo_event)
    assert [(d.date, d.registered) for d in stats.days] == [(DAY1, 1), (DAY2, 0)]


def test_a_later_import_ticking_a_day_answers_it_and_none_ticked_sets_it_again(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    path = tmp_path / "liste.csv"
    _import(db, demo_event, path, "Bernd Roth;nein;nein\n")
    code = _stored(db)["Roth"][0]

    report = _import(db, demo_event, path, "Bernd Roth;nein;ja\n")
    assert (report.updated, report.warnings) == (1, ())
    assert _stored(db)["Roth"] == (code, False)
    desk = _desk(db, demo_event)
    assert desk.scan(code, day=DAY1).kind is VerdictKind.NOT_REGISTERED_TODAY
    assert desk.scan(code, day=DAY2).kind is VerdictKind.CHECKED_IN

    report = _import(db, demo_event, path, "Bernd Roth;nein;nein\n")
    assert report.updated == 1
    assert _stored(db)["Roth"] == (code, True)
    assert desk.scan(code, day=DAY1).not_registered_reason is NotRegisteredReason.NO_DAY_TICKED


def test_a_registration_for_every_day_listed_again_with_no_day_ticked_is_registered_for_none(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    # A list without day columns registers for every day; one with day columns but none ticked
    # then says "no day", which is a change.
    path = tmp_path / "ohne_tage.csv"
    path.write_text("Name\nBernd Roth\n", encoding="utf-8")
    service = ImportService(db, demo_event, clock=lambda: dt.datetime(2024, 9, 1, 8, 0, tzinfo=dt.UTC))
    service.apply(service.read(path))
    code, flag = _stored(db)["Roth"]
    assert flag is False
    assert _desk(db, demo_event).scan(code, day=DAY1).kind is VerdictKind.CHECKED_IN

    report = _import(db, demo_event, tmp_path / "liste.csv", "Bernd Roth;nein;nein\n")
    assert report.updated == 1
    assert _stored(db)["Roth"] == (code, True)
    assert _desk(db, demo_event).scan(code, day=DAY2).kind is VerdictKind.NOT_REGISTERED_TODAY


def test_setting_days_at_the_desk_answers_it(tmp_path: Path, db: Database, demo_event: EventInfo):
    _import(db, demo_event, tmp_path / "liste.csv", "Bernd Roth;nein;nein\n")
    code, _flag = _stored(db)["Roth"]
    with db.read() as session:
        registration_id = session.scalar(select(Registration.id).where(Registration.code == code))
        assert registration_id is not None
        assert person_details(session, demo_event, registration_id).no_day_ticked is True
    desk = _desk(db, demo_event)
    desk.update_person(registration_id, PersonChanges(first_name="Bernd"))  # days untouched: still none
    assert _stored(db)["Roth"] == (code, True)

    desk.update_person(registration_id, PersonChanges(day_dates=[DAY2]))
    assert _stored(db)["Roth"] == (code, False)
    with db.read() as session:
        details = person_details(session, demo_event, registration_id)
    assert (details.days, details.no_day_ticked) == ((DAY2,), False)
    assert desk.scan(code, day=DAY2).kind is VerdictKind.CHECKED_IN
    refused = desk.scan(code, day=DAY1)
    assert refused.not_registered_reason is NotRegisteredReason.OTHER_DAYS


def test_the_access_letter_says_no_day_was_ticked(tmp_path: Path, db: Database, demo_event: EventInfo):
    _import(db, demo_event, tmp_path / "liste.csv", "Bernd Roth;nein;nein\n")
    code, _flag = _stored(db)["Roth"]
    now = dt.datetime(2024, 10, 1, 9, 0, tzinfo=dt.UTC)
    data = PrivacyService(db, demo_event, clock=lambda: now).person_data(code=code)
    assert (data["registrations"][0]["days"], data["registrations"][0]["no_day_ticked"]) == ([], True)
    out = tmp_path / "auskunft.pdf"
    write_person_letter(out, data, DocumentOptions(organiser="Deutscher Landkreistag"))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert "keine (in der Anmeldeliste ist kein Tag angekreuzt)" in text
    assert "alle Tage der Veranstaltung" not in text
