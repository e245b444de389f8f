"""Type-ahead search: German folding, typos, prefixes, several words, ranking, updates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from checkin.domain.checkin_service import PersonChanges, WalkInRequest
from checkin.domain.models import Registration
from checkin.domain.search import SearchIndex
from tests.helpers import DAY1


@pytest.fixture
def crowd(people):
    """A small crowd with look-alike names."""
    return {
        "mueller": people.add(
            "Jürgen", "Müller", organisation="Jobcenter Kreis Offenbach", email="j.mueller@kreis-of.de"
        ),
        "muller": people.add("Hans", "Muller", organisation="Stadt Kassel"),
        "gross": people.add("Petra", "Groß", organisation="Landkreis Emsland"),
        "ozturk": people.add("Ayşe", "Öztürk", organisation="AWO Berlin"),
        "weber": people.add("Karin", "Weber", organisation="Diakonie Hessen"),
        "weber2": people.add("Klaus", "Weber", organisation="Caritas Köln"),
        "schmidt": people.add(
            "Anna", "Schmidt", organisation="Diakonie Hessen", code="PRETIXSECRET123", order_code="ORD42"
        ),
        "weberling": people.add("Maria", "Weberling", organisation="Stadt Jena"),
        "schmitt": people.add("Otto", "Schmitt", organisation="Jobcenter Jena"),
    }


@pytest.fixture
def index(db, demo_event, crowd):
    return SearchIndex(db, demo_event)


def ids(hits):
    return [h.registration_id for h in hits]


@pytest.mark.parametrize("query", ["Müller", "Mueller", "muller", "MÜLLER", "mül", "mue"])
def test_german_folding_finds_both_muellers(index, crowd, query):
    assert set(ids(index.search(query))[:2]) == {
        crowd["mueller"].registration_id,
        crowd["muller"].registration_id,
    }


@pytest.mark.parametrize(
    ("query", "key"),
    [("Gross", "gross"), ("groß", "gross"), ("Ozturk", "ozturk"), ("öztürk", "ozturk"), ("ayse", "ozturk")],
)
def test_sharp_s_and_accents(index, crowd, query, key):
    assert ids(index.search(query))[0] == crowd[key].registration_id


@pytest.mark.parametrize(
    ("query", "key"),
    [("Shcmidt", "schmidt"), ("Mülelr", "mueller"), ("Oztruk", "ozturk"), ("Weebr diakonie", "weber")],
)
def test_typos_are_tolerated(index, crowd, query, key):
    assert crowd[key].registration_id in ids(index.search(query))


def test_several_words_in_any_order(index, crowd):
    assert ids(index.search("weber diakonie")) == [crowd["weber"].registration_id]
    assert ids(index.search("diakonie weber")) == [crowd["weber"].registration_id]
    assert ids(index.search("karin weber")) == [crowd["weber"].registration_id]
    assert set(ids(index.search("diakonie hessen"))) == {
        crowd["weber"].registration_id,
        crowd["schmidt"].registration_id,
    }


def test_exact_before_prefix_before_typo(index, crowd):
    hits = ids(index.search("weber"))
    # the two exact Webers first (by name), then Weberling (prefix)
    assert hits[:3] == [
        crowd["weber"].registration_id,
        crowd["weber2"].registration_id,
        crowd["weberling"].registration_id,
    ]
    # "schmidt" exactly first, "Schmitt" only as a typo
    hits = ids(index.search("schmidt"))
    assert hits[0] == crowd["schmidt"].registration_id
    assert crowd["schmitt"].registration_id in hits


def test_name_match_ranks_above_organisation_match(people, db, demo_event):
    in_org = people.add("Anna", "Aalto", organisation="Jena Weber GmbH")
    in_name = people.add("Zoe", "Weber", organisation="Stadt")
    index = SearchIndex(db, demo_event)
    assert ids(index.search("weber")) == [in_name.registration_id, in_org.registration_id]


def test_email_code_and_order_code(index, crowd):
    assert ids(index.search("j.mueller@kreis"))[0] == crowd["mueller"].registration_id
    assert ids(index.search("pretixsecret"))[0] == crowd["schmidt"].registration_id
    assert ids(index.search("ORD42")) == [crowd["schmidt"].registration_id]


def test_hits_carry_the_person(index, crowd):
    (hit,) = index.search("öztürk", limit=1)
    assert hit.person.display_name == "Ayşe Öztürk"
    assert hit.person.organisation == "AWO Berlin"
    assert hit.person.category_key == "participant"
    assert hit.display_name == "Ayşe Öztürk"


def test_limit_and_empty_queries(index):
    assert len(index.search("s", limit=3)) == 3
    assert index.search("") == []
    assert index.search("   ,; ") == []
    assert index.search("weber", limit=0) == []
    assert index.search("xyzzy-nobody") == []
    assert index.search("x" * 10_000) == []


def test_upsert_after_walk_in_and_edit(index, desk):
    verdict = desk.walk_in(
        WalkInRequest(first_name="Zeynep", last_name="Kılıç", organisation="Jobcenter Ulm"), day=DAY1
    )
    new_id = verdict.person.registration_id
    assert index.search("kilic") == []  # not yet in the index
    index.upsert(new_id)
    assert ids(index.search("kilic")) == [new_id]
    assert ids(index.search("zeynep ulm")) == [new_id]
    desk.update_person(new_id, PersonChanges(last_name="Yıldız"))
    index.upsert(new_id)
    assert index.search("kilic") == []
    assert ids(index.search("yildiz")) == [new_id]
    assert ids(index.search("Yldiz")) == [new_id]  # typo in the new delta part too


def test_cancelled_people_are_found_and_marked(index, desk, crowd):
    desk.set_cancelled(crowd["gross"].registration_id, True)
    (hit,) = index.search("gross petra")
    assert hit.person.status == "cancelled"  # read fresh from the database


def test_purged_people_leave_the_index(index, db, crowd):
    import datetime as dt

    with db.session_factory.begin() as session:
        session.execute(
            update(Registration)
            .where(Registration.id == crowd["weber2"].registration_id)
            .values(purged_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
        )
    index.upsert(crowd["weber2"].registration_id)
    assert crowd["weber2"].registration_id not in ids(index.search("weber"))
    index.refresh()
    assert crowd["weber2"].registration_id not in ids(index.search("weber"))
    assert len(index) == 8


def test_refresh_sees_other_desks_registrations(index, people):
    other = people.add("Neu", "Importiert")
    assert index.search("importiert") == []
    index.refresh()
    assert ids(index.search("importiert")) == [other.registration_id]


def test_empty_event(db, demo_event):
    index = SearchIndex(db, demo_event)
    assert index.search("anna") == []
    assert len(index) == 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300), limit=st.integers(-1, 30))
def test_any_query_returns_a_short_list(index, query, limit):
    hits = index.search(query, limit=limit)
    assert len(hits) <= max(limit, 0)
    assert len({h.registration_id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
