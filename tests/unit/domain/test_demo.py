"""The demo event: seed programme plus plausible, deterministic synthetic registrations."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from checkin.domain.codes import verify_code
from checkin.domain.db import Database
from checkin.domain.demo import DemoExistsError, create_demo, demo_people, gendered
from checkin.domain.models import AuditEntry, Registration


def _people(db: Database, event_id: int) -> list[Registration]:
    with db.session_factory() as session:
        from sqlalchemy.orm import selectinload

        return list(
            session.scalars(
                select(Registration)
                .where(Registration.event_id == event_id)
                .options(selectinload(Registration.days), selectinload(Registration.sessions))
            )
        )


def test_demo_holds_the_seed_programme_and_500_registrations(db: Database):
    event = create_demo(db)
    assert event.name == "Tag der kommunalen Jobcenter 2024"
    assert sorted(w.title.split(":")[0] for w in event.workshops) == [
        f"Zukunftswerkstatt {n}" for n in range(1, 6)
    ]
    assert {s.key for s in event.sessions} >= {"keynote", "panel-1", "panel-2", "vortrag-funke"}
    people = _people(db, event.id)
    assert len(people) == 500
    categories = Counter(event.category_by_id(p.category_id).key for p in people)
    assert categories["speaker"] == 15
    assert categories["press"] == 10
    assert categories["staff"] == 15
    assert categories["participant"] == 460
    names = {(p.title, p.first_name, p.last_name) for p in people}
    assert ("Prof. Dr.", "Ronnie", "Schöb") in names
    assert ("Dr.", "Corinna", "Funke") in names
    assert len(names) == 500
    assert all(verify_code(p.code, event.secret) for p in people)
    assert len({p.code for p in people}) == 500
    assert all(p.source == "demo" and p.email and "@" in p.email for p in people)


def test_demo_names_and_organisations_are_varied(db: Database):
    event = create_demo(db)
    people = _people(db, event.id)
    text = " ".join(f"{p.first_name} {p.last_name} {p.organisation}" for p in people)
    for letter in ("ä", "ö", "ü", "ß", "Ł", "ş", "ễ"):
        assert letter in text, letter
    assert re.search("[А-Яа-я]", text)
    assert any(len(f"{p.first_name} {p.last_name}") > 45 for p in people)
    organisations = Counter(p.organisation for p in people)
    assert "Jobcenter Landkreis Osnabrück – MaßArbeit kAöR" in organisations
    assert "Kommunales Jobcenter Hamm" in organisations
    assert len(organisations) > 50
    assert max(len(o) for o in organisations) > 100
    titles = Counter(p.title for p in people)
    assert titles["Dr."] > 20
    assert titles["Prof. Dr."] >= 2


def test_days_and_workshops_fit_the_programme(db: Database):
    event = create_demo(db)
    people = _people(db, event.id)
    day1, day2 = (d.id for d in event.days)
    both = sum(1 for p in people if {d.id for d in p.days} == {day1, day2})
    assert both > 300
    assert all(p.days for p in people)
    per_workshop = Counter(s.key for p in people for s in p.sessions)
    for workshop in event.workshops:
        assert 0 < per_workshop[workshop.key] <= workshop.capacity
    for p in people:
        for s in p.sessions:
            assert s.day_id in {d.id for d in p.days}
    day1_participants = [
        p
        for p in people
        if day1 in {d.id for d in p.days} and event.category_by_id(p.category_id).key == "participant"
    ]
    with_workshop = sum(1 for p in day1_participants if p.sessions)
    assert with_workshop / len(day1_participants) > 0.8


def test_same_seed_same_people_other_seed_other_people(db: Database):
    event = create_demo(db, registrations=0)
    first = demo_people(event, 300, seed=7)
    assert demo_people(event, 300, seed=7) == first
    assert demo_people(event, 300, seed=8) != first
    assert len(first) == 300


def test_second_demo_does_nothing_unless_reset(db: Database):
    event = create_demo(db, registrations=50)
    codes = {p.code for p in _people(db, event.id)}
    with pytest.raises(DemoExistsError) as caught:
        create_demo(db, registrations=80)
    assert "50" in str(caught.value)
    assert {p.code for p in _people(db, event.id)} == codes
    create_demo(db, registrations=80, reset=True)
    people = _people(db, event.id)
    assert len(people) == 80
    assert not codes & {p.code for p in people}
    with db.session_factory() as session:
        assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "demo")) == 2


def test_small_and_large_counts(db: Database):
    event = create_demo(db, registrations=3)
    assert len(_people(db, event.id)) == 3
    people = demo_people(event, 50_000, seed=1)
    assert len(people) == 50_000
    assert len({(p.first_name, p.last_name) for p in people}) == 50_000
    per_workshop = Counter(p.workshop for p in people if p.workshop)
    assert all(per_workshop[w.key] <= w.capacity for w in event.workshops)


@pytest.mark.parametrize(
    ("function", "first", "expected"),
    [
        ("Geschäftsführer/in", "Anna", "Geschäftsführerin"),
        ("Geschäftsführer/in", "Thomas", "Geschäftsführer"),
        ("Datenschutzbeauftragte/r", "Anna", "Datenschutzbeauftragte"),
        ("Datenschutzbeauftragte/r", "Thomas", "Datenschutzbeauftragter"),
        ("Landrat/Landrätin", "Anna", "Landrätin"),
        ("Tagungsbüro", "Anna", "Tagungsbüro"),
    ],
)
def test_gendered_functions(function: str, first: str, expected: str):
    assert gendered(function, first) == expected
