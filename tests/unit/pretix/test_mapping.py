"""Default mapping by name: days from weekdays and dates, role categories, the workshop question."""

from __future__ import annotations

import datetime as dt

from checkin.pretix.catalog import CheckinListInfo, PretixEvent, Product, Question, QuestionOption, Variation
from checkin.pretix.mapping import (
    LocalCategory,
    LocalSession,
    MappingRow,
    days_named,
    default_mapping,
    plan_event,
)

TUE, WED = dt.date(2030, 9, 17), dt.date(2030, 9, 18)
TZ = dt.timezone(dt.timedelta(hours=2))


def _event(questions: tuple[Question, ...] = ()) -> PretixEvent:
    return PretixEvent(
        organizer="org",
        slug="ev",
        name="Fachtag",
        venue="",
        timezone="Europe/Berlin",
        date_from=dt.datetime(2030, 9, 17, 9, tzinfo=TZ),
        date_to=dt.datetime(2030, 9, 18, 17, tzinfo=TZ),
        has_subevents=False,
        products=(
            Product(1, "Teilnahme", True),
            Product(2, "Referent/in", True),
            Product(3, "Tagesticket", True, (Variation(31, "Dienstag"), Variation(32, "18.09."))),
            Product(4, "Tagungsband", False),
        ),
        lists=(CheckinListInfo(7, "Einlass Mittwoch", True, (), False),),
        questions=questions,
    )


WS = Question(
    9,
    "Zukunftswerkstatt",
    "ZW",
    (QuestionOption(91, "WS1", "Digitale Verwaltung"), QuestionOption(92, "", "Netzwerke")),
)


def test_days_are_found_by_weekday_and_by_date():
    assert days_named("Tagesticket Dienstag", [TUE, WED]) == (TUE,)
    assert days_named("Ticket 18.09.", [TUE, WED]) == (WED,)
    assert days_named("2030-09-17 und Mittwoch", [TUE, WED]) == (TUE, WED)
    assert days_named("Teilnahme", [TUE, WED]) == ()


def test_the_plan_adds_the_days_a_speaker_category_and_a_session_per_workshop_option():
    plan = plan_event(_event((WS,)), [], [LocalCategory("participant", "Teilnehmer/in", (), True)], [], "")
    assert plan.days == (TUE, WED)
    assert [c[0] for c in plan.categories] == ["speaker"]
    assert [s.title for s in plan.sessions] == ["Digitale Verwaltung", "Netzwerke"]
    assert plan.sessions[0].key == "pretix-9-WS1"
    assert plan.sessions[1].key == "pretix-9-92"
    assert plan.workshop_label == "Zukunftswerkstatt"


def test_default_mapping_by_name_and_edited_rows_kept():
    categories = [
        LocalCategory("participant", "Teilnehmer/in", (), True),
        LocalCategory("speaker", "Referent/in"),
    ]
    sessions = [LocalSession("ws1", "Digitale Verwaltung", TUE)]
    kept = [MappingRow("item", 1, "Teilnahme", "category", "speaker", edited=True)]
    rows = {
        (r.source_kind, r.source_id): r
        for r in default_mapping(_event((WS,)), [TUE, WED], categories, sessions, "", kept)
    }
    assert rows[("item", 1)].target == "speaker"  # edited by a person: kept
    assert rows[("item", 2)].target == "speaker"
    assert rows[("item", 4)].target_kind == "ignore"
    assert rows[("var_days", 31)].target == TUE.isoformat()
    assert rows[("var_days", 32)].target == WED.isoformat()
    assert rows[("variation", 31)].target_kind == "inherit"
    assert rows[("list", 7)].target == WED.isoformat()
    assert rows[("question", 9)].target_kind == "workshops"
    assert rows[("option", 91)].target == "ws1"
    assert rows[("option", 92)].target_kind == "unmapped"


def test_a_question_that_is_not_about_workshops_is_ignored():
    food = Question(5, "Essenswunsch", "", (QuestionOption(51, "", "vegan"),))
    rows = default_mapping(_event((food,)), [TUE, WED], [LocalCategory("p", "P", (), True)], [], "")
    assert [r.target_kind for r in rows if r.source_kind == "question"] == ["ignore"]
    assert not [r for r in rows if r.source_kind == "option"]
