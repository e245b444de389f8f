"""Signature lists: who is on which list, in which order, with page numbers per list."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from export_scenario import Scenario, build_scenario
from pypdf import PdfReader

from checkin.domain.collation import german_key
from checkin.domain.db import Database
from checkin.domain.privacy import PrivacyService
from checkin.i18n import _
from checkin.io.export_filters import ExportError
from checkin.io.exports import write_signature_lists
from checkin.io.signature_lists import collect_lists, list_name, rows_per_page


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


def test_one_list_per_day_and_per_workshop(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "listen.pdf"
    count = write_signature_lists(db, scenario.event, out)
    assert count == len(scenario.event.days) + len(scenario.event.workshops)
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert len(pages) == count  # every list fits on one page here
    assert all(_("Page {page} of {pages}").format(page=1, pages=1) in page for page in pages)
    assert all(_("Signature") in page for page in pages)


def test_lists_hold_the_registered_active_people_sorted_german(db: Database, scenario: Scenario):
    lists = {(item.title, item.date): item for item in collect_lists(db, scenario.event)}
    entrance_day1 = lists[(_("Attendance list – entrance"), scenario.day1)]
    names = [p.last_name for p in entrance_day1.people]
    assert names == sorted(names, key=german_key)
    # Registered for day 1 or for no particular day, not cancelled (Storno), walk-in registered on the spot.
    assert set(names) == {"Müller", "Öztürk", "Ärger", "Abel", "Groß", "Spontan"}
    assert names.index("Abel") < names.index("Ärger") < names.index("Groß")
    bass = lists[("Zukunftswerkstatt 4: BASS-Studiengang der Hochschule Fulda", scenario.day1)]
    assert [p.last_name for p in bass.people] == ["Abel"]  # Storno is cancelled
    assert bass.room == "Raum Panke"
    assert bass.time == "14:00–16:00"
    assert list_name(bass.people[0]) == "Abel, Prof. Zoë"


def test_only_the_asked_list(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "bass.pdf"
    assert write_signature_lists(db, scenario.event, out, session_key="zw-bass") == 1
    text = PdfReader(out).pages[0].extract_text()
    assert "Abel, Prof. Zoë" in text
    assert "Raum Panke" in text
    assert "Storno" not in text
    day2 = tmp_path / "tag2.pdf"
    assert write_signature_lists(db, scenario.event, day2, day=scenario.day2) == 1  # no workshops on day 2


def test_long_lists_number_pages_per_list_and_repeat_the_header(db: Database, demo_event, tmp_path: Path):
    from sqlalchemy import insert

    from checkin.domain.codes import generate_code
    from checkin.domain.models import Registration

    total = rows_per_page() * 2 + 3
    with db.session_factory.begin() as session:
        session.execute(
            insert(Registration),
            [
                {
                    "event_id": demo_event.id,
                    "code": generate_code(demo_event.secret),
                    "first_name": "Vorname",
                    "last_name": f"Person{n:03d}",
                    "organisation": "Jobcenter Lang",
                    "category_id": demo_event.default_category.id,
                }
                for n in range(total)
            ],
        )
    out = tmp_path / "lang.pdf"
    write_signature_lists(db, demo_event, out, day=demo_event.days[0].date)
    all_pages = [p.extract_text() for p in PdfReader(out).pages]
    assert len(all_pages) == 3 + len(demo_event.workshops)  # the entrance list, then one page per workshop
    pages = all_pages[:3]
    for number, text in enumerate(pages, start=1):
        assert _("Page {page} of {pages}").format(page=number, pages=3) in text
        assert _("Organisation") in text
        assert _("Attendance list – entrance") in text
    listed = re.findall(r"Person\d{3}", "\n".join(pages))
    assert listed == [f"Person{n:03d}" for n in range(total)]
    assert "Person000" in pages[0]
    assert f"Person{total - 1:03d}" in pages[2]


def test_no_lists_once_the_data_is_purged(db: Database, scenario: Scenario, tmp_path: Path):
    now = dt.datetime(2025, 4, 2, 10, 0, tzinfo=dt.UTC)
    PrivacyService(db, scenario.event, clock=lambda: now).purge(confirm=True)
    with pytest.raises(ExportError):
        write_signature_lists(db, scenario.event, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
