"""The guest list (no Qt): who is on it, in which order, who has arrived, and every filter."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from checkin.domain.checkin_service import CheckInService
from checkin.domain.guest_list import GuestFilter, GuestList, Presence
from checkin.domain.models import Registration
from tests.helpers import DAY1, DAY2, People


@pytest.fixture
def crowd(db, demo_event):
    add = People(db, demo_event).add
    return {
        "mueller": add("Jürgen", "Müller", organisation="Diakonie Hessen", title="Dr.", days=()),
        "muller": add("Anna", "Muller", organisation="Jobcenter Kreis Offenbach", workshops=("zw-bass",)),
        "stein": add("Karl", "Freiherr von Stein", organisation="Diakonie Kassel", category="speaker"),
        "abel": add("Berta", "Abel", organisation="Caritas Fulda", days=(DAY2,)),
        "weber": add("Petra", "Weber", organisation="Diakonie Hessen", cancelled=True),
        "babich": add("Ольга", "Бабич", organisation="Администрация", email="olga@example.org"),
        "none": add("Nora", "Niemand", organisation="Stadt Jena", days=()),
    }


@pytest.fixture
def service(db, demo_event, clock):
    return CheckInService(db, demo_event, desk="Platz 1", clock=clock)


def _guest_list(db, demo_event, day=DAY1) -> GuestList:
    day_id = demo_event.day_by_date(day).id
    return GuestList(db, demo_event, day_id)


def _names(guests: GuestList, rows: list[int]) -> list[str]:
    return [guests.guests[i].last_name for i in rows]


def test_everyone_in_german_list_order_with_particles_ignored(db, demo_event, crowd):
    guests = _guest_list(db, demo_event)
    # Abel, Бабич (after the Latin letters), Muller before Müller, Niemand, Stein (not "von"), Weber.
    assert _names(guests, guests.filter(GuestFilter())) == [
        "Abel",
        "Muller",
        "Müller",
        "Niemand",
        "Freiherr von Stein",
        "Weber",
        "Бабич",
    ]


def test_not_arrived_is_who_is_expected_today_and_not_checked_in(db, demo_event, crowd, service, clock):
    service.scan(crowd["muller"].code, day=DAY1)
    guests = _guest_list(db, demo_event)
    missing = _names(guests, guests.filter(GuestFilter(presence=Presence.NOT_ARRIVED)))
    # Not Abel (second day only), not Weber (cancelled), not Muller (arrived).
    assert missing == ["Müller", "Niemand", "Freiherr von Stein", "Бабич"]
    arrived = guests.filter(GuestFilter(presence=Presence.ARRIVED))
    assert _names(guests, arrived) == ["Muller"]
    assert guests.guests[arrived[0]].arrived_at == clock()  # the desk's clock, as an aware time


def test_an_undone_check_in_is_not_arrived_and_the_day_matters(db, demo_event, crowd, service):
    service.scan(crowd["mueller"].code, day=DAY1)
    service.undo(crowd["mueller"].registration_id, day=DAY1)
    service.scan(crowd["abel"].code, day=DAY2)
    day1 = _guest_list(db, demo_event, DAY1)
    assert day1.filter(GuestFilter(presence=Presence.ARRIVED)) == []
    day2 = _guest_list(db, demo_event, DAY2)
    assert _names(day2, day2.filter(GuestFilter(presence=Presence.ARRIVED))) == ["Abel"]


def test_category_workshop_and_organisation_filters(db, demo_event, crowd):
    guests = _guest_list(db, demo_event)
    speaker = demo_event.category_by_key("speaker").id
    assert _names(guests, guests.filter(GuestFilter(category_id=speaker))) == ["Freiherr von Stein"]
    bass = demo_event.session_by_key("zw-bass").id
    assert _names(guests, guests.filter(GuestFilter(session_id=bass))) == ["Muller"]
    # Type-ahead: part of a word, any case, umlauts folded.
    assert _names(guests, guests.filter(GuestFilter(organisation="diakon"))) == [
        "Müller",
        "Freiherr von Stein",
        "Weber",
    ]
    assert _names(guests, guests.filter(GuestFilter(organisation="Diakonie Hes"))) == ["Müller", "Weber"]
    both = GuestFilter(organisation="diakonie", presence=Presence.NOT_ARRIVED)
    assert _names(guests, guests.filter(both)) == ["Müller", "Freiherr von Stein"]


def test_text_finds_names_codes_and_e_mails_folded_and_transliterated(db, demo_event, crowd):
    guests = _guest_list(db, demo_event)
    assert _names(guests, guests.filter(GuestFilter(text="mueller"))) == ["Muller", "Müller"]
    assert _names(guests, guests.filter(GuestFilter(text="jürgen dr"))) == ["Müller"]
    assert _names(guests, guests.filter(GuestFilter(text="babich"))) == ["Бабич"]
    assert _names(guests, guests.filter(GuestFilter(text="olga@example"))) == ["Бабич"]
    code = crowd["abel"].code
    assert _names(guests, guests.filter(GuestFilter(text=code.lower()))) == ["Abel"]
    assert guests.filter(GuestFilter(text="nobody-here")) == []


def test_typing_on_narrows_and_deleting_widens_again(db, demo_event, crowd):
    guests = _guest_list(db, demo_event)
    for text in ("k", "ka", "kas", "kas jena", "kas", "ka", "k", ""):
        fresh = _guest_list(db, demo_event)  # no earlier filter to start from
        assert guests.filter(GuestFilter(text=text)) == fresh.filter(GuestFilter(text=text)), text
    assert _names(guests, guests.filter(GuestFilter(text="kas"))) == ["Freiherr von Stein"]
    assert guests.filter(GuestFilter(text="kas jena")) == []
    assert len(guests.filter(GuestFilter(text=""))) == 7


def test_refresh_after_a_check_in_changes_one_row_in_place(db, demo_event, crowd, service):
    guests = _guest_list(db, demo_event)
    not_arrived = GuestFilter(presence=Presence.NOT_ARRIVED)
    assert len(guests.filter(not_arrived)) == 5
    verdict = service.scan(crowd["babich"].code, day=DAY1)
    changed = guests.refresh(verdict.changes.registrations or ())
    assert changed == [guests.row_of(crowd["babich"].registration_id)]
    assert "Бабич" not in _names(guests, guests.filter(not_arrived))
    assert guests.guests[changed[0]].arrived_at is not None


def test_refresh_moves_a_renamed_person_and_drops_a_purged_one(db, demo_event, crowd, clock):
    guests = _guest_list(db, demo_event)
    with db.write() as session:
        session.execute(
            update(Registration)
            .where(Registration.id == crowd["abel"].registration_id)
            .values(last_name="Zander")
        )
    assert guests.refresh([crowd["abel"].registration_id]) == []  # rebuilt: the row moved
    assert _names(guests, guests.filter(GuestFilter()))[-2:] == ["Zander", "Бабич"]
    with db.write() as session:  # what the data-protection purge leaves of a registration
        session.execute(
            update(Registration)
            .where(Registration.id == crowd["none"].registration_id)
            .values(first_name="", last_name="", purged_at=clock())
        )
    guests.refresh([crowd["none"].registration_id])
    assert guests.row_of(crowd["none"].registration_id) is None
    assert len(guests) == 6


def test_organisations_for_type_ahead_in_list_order(db, demo_event, crowd):
    assert _guest_list(db, demo_event).organisations() == [
        "Caritas Fulda",
        "Diakonie Hessen",
        "Diakonie Kassel",
        "Jobcenter Kreis Offenbach",
        "Stadt Jena",
        "Администрация",
    ]


def test_registered_days_are_facts(db, demo_event, crowd):
    guests = _guest_list(db, demo_event)
    mueller = guests.guests[guests.row_of(crowd["mueller"].registration_id)]
    abel = guests.guests[guests.row_of(crowd["abel"].registration_id)]
    assert mueller.every_day
    assert mueller.expected
    assert abel.day_ids == (demo_event.day_by_date(DAY2).id,)
    assert not abel.expected
