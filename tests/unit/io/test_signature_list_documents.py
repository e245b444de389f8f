"""Signature lists as handed out: nothing cut, particles sorted, funder details, the attended variant.

Every assertion reads the PDF itself (pypdf's extracted text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from export_scenario import Scenario, build_scenario
from pypdf import PdfReader

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.i18n import _
from checkin.io.exports import write_signature_lists
from checkin.presentation.formats import format_time
from tests.helpers import NewPerson, People, Person


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _flat(text: str) -> str:
    """Extracted text with every line break and run of spaces as one space (wrapped lines joined)."""
    return " ".join(text.split())


def _with_documents(event: EventInfo, **documents: object) -> EventInfo:
    return dataclasses.replace(event, definition={**event.definition, "documents": documents})


def test_long_names_and_organisations_wrap_and_appear_whole(
    db: Database, demo_event: EventInfo, hard_people: list[Person], tmp_path: Path
):
    out = tmp_path / "lists.pdf"
    write_signature_lists(db, demo_event, out, session_key="zw-digitalisierung")
    text = _flat(_pages(out)[0])
    assert "…" not in text
    # The longest test person: shown family name first, particles after the first name.
    assert "Hohenzollern-Sigmaringen, Prof. Dr. Maximilian-Alexander Freiherr von" in text
    assert (
        "Kommunales Jobcenter des Landkreises Marburg-Biedenkopf – Kreisjobcenter (KJC) "
        "Anstalt des öffentlichen Rechts"
    ) in text


def test_every_hard_name_on_the_entrance_list_is_whole(
    db: Database, demo_event: EventInfo, hard_people: list[Person], tmp_path: Path
):
    out = tmp_path / "day.pdf"
    write_signature_lists(db, demo_event, out, day=demo_event.days[0].date)
    text = _flat(_pages(out)[0])
    for family, rest, organisation in (
        ("Wróblewski", "Łukasz", "Miasto Wrocław"),
        ("Minh Khai", "Nguyễn Thị", "Jobcenter Landkreis Fulda"),
        ("Кузнецова", "Ольга Сергеевна", "Администрация"),
        ("Müller-Lüdenscheidt", "Dr. Jürgen", "Jobcenter Märkischer Kreis"),
        ("Strauß", "Æsa", "Kreis Schleswig-Flensburg"),
    ):
        assert f"{family}, {rest}" in text
        assert organisation in text


def test_name_particles_sort_under_the_family_name(db: Database, demo_event: EventInfo, tmp_path: Path):
    People(db, demo_event).add_all(
        [
            NewPerson("Richard", "von Weizsäcker", organisation="Bund"),
            NewPerson("Karl", "Freiherr vom Stein", organisation="Preußen"),
            NewPerson("Anna", "Vogel", organisation="Jobcenter Vogelsberg"),
            NewPerson("Eva", "Fischer", organisation="Jobcenter Kiel"),
            NewPerson("Max", "Stern", organisation="Jobcenter Lahn"),
            NewPerson("Ilse", "Weber", organisation="Jobcenter Ulm"),
        ]
    )
    out = tmp_path / "order.pdf"
    write_signature_lists(db, demo_event, out, day=demo_event.days[0].date)
    text = _flat(_pages(out)[0])
    shown = [
        "Fischer, Eva",
        "Stein, Karl Freiherr vom",
        "Stern, Max",
        "Vogel, Anna",
        "Weber, Ilse",
        "Weizsäcker, Richard von",
    ]
    positions = [text.index(name) for name in shown]
    assert positions == sorted(positions)


def test_grant_reference_funder_and_confirmation(db: Database, demo_event: EventInfo, tmp_path: Path):
    People(db, demo_event).add_all([NewPerson("Anna", f"Person{n:03d}") for n in range(60)])
    event = _with_documents(
        demo_event,
        grant_reference="ESF Plus 01/2024-KJC",
        funder="Gefördert vom Bundesministerium für Arbeit und Soziales aus Mitteln des ESF Plus",
        organiser="Deutscher Landkreistag",
        confirmation=True,
    )
    out = tmp_path / "funded.pdf"
    write_signature_lists(db, event, out, day=event.days[0].date)
    pages = _pages(out)
    entrance = [p for p in pages if _("Attendance list – entrance") in p]
    assert len(entrance) >= 2
    confirmation = _("The organiser confirms that the persons listed above took part in this event.")
    for number, page in enumerate(entrance, start=1):
        flat = _flat(page)
        assert _("Grant reference: {reference}").format(reference="ESF Plus 01/2024-KJC") in flat
        assert "Gefördert vom Bundesministerium für Arbeit und Soziales aus Mitteln des ESF Plus" in flat
        last = number == len(entrance)
        assert (confirmation in flat) is last  # only under the last row of the list
        assert ("Deutscher Landkreistag" in flat) is last
    # Without the options none of it appears.
    plain = tmp_path / "plain.pdf"
    write_signature_lists(db, demo_event, plain, day=demo_event.days[0].date)
    flat = _flat(" ".join(_pages(plain)))
    assert "ESF Plus" not in flat
    assert confirmation not in flat


def test_attended_variant_lists_who_checked_in_with_the_time(
    db: Database, demo_event: EventInfo, tmp_path: Path
):
    scenario: Scenario = build_scenario(db, demo_event)
    out = tmp_path / "attended.pdf"
    assert write_signature_lists(db, scenario.event, out, day=scenario.day1, attended=True) >= 1
    pages = _pages(out)
    entrance = _flat(pages[0])
    assert _("Attendance list – entrance (checked in)") in entrance
    assert _("Check-in") in entrance
    # Checked in on day 1: Müller 09:02, Ärger 09:16, Groß 09:31, Abel 14:03 (at the door), walk-in 10:05;
    # Öztürk's check-in was undone, Storno was refused.
    for name, hour, minute in (
        ("Müller, Dr. Anna", 9, 2),
        ("Ärger, Łukasz", 9, 16),
        ("Groß, Straße", 9, 31),
        ("Abel, Prof. Zoë", 14, 3),
        ("Spontan, Walter", 10, 5),
    ):
        assert f"{name}" in entrance
        time = format_time(dt.time(hour, minute))
        assert entrance.index(time) > entrance.index(name)
    assert "Öztürk" not in entrance
    assert "Storno" not in entrance
    bass = next(_flat(p) for p in pages if "BASS" in p)
    assert "Abel, Prof. Zoë" in bass
    assert format_time(dt.time(14, 3)) in bass
