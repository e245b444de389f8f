"""The check-in engine: every verdict, the day rule, idempotence, undo, workshop doors, walk-ins."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from checkin import i18n
from checkin.domain.changes import Changes
from checkin.domain.checkin_service import (
    CheckInError,
    CheckInService,
    PersonChanges,
    Severity,
    VerdictKind,
    WalkInRequest,
)
from checkin.domain.codes import verify_code
from checkin.domain.events import EventService
from checkin.domain.models import CheckInLogEntry, LogAction
from checkin.domain.people import PersonError
from checkin.domain.verdicts import ScanVerdict, UndoResult
from checkin.presentation.verdict_text import undo_text, verdict_text
from tests.helpers import DAY1, DAY2


def _log(db):
    with db.session_factory() as session:
        return [
            (e.registration_id, e.day_id, e.scope, e.seq, e.action, e.desk, e.note)
            for e in session.scalars(select(CheckInLogEntry).order_by(CheckInLogEntry.id))
        ]


def _words(result: ScanVerdict | UndoResult, language: str) -> str:
    """The sentence the desk shows for ``result`` in ``language``."""
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        return verdict_text(result) if isinstance(result, ScanVerdict) else undo_text(result)
    finally:
        i18n.set_language(previous)


# ---------------------------------------------------------------------------- verdicts


def test_scan_checks_in_and_carries_what_the_screen_shows(desk, people, clock):
    person = people.add(
        "Jürgen", "Müller", title="Dr.", organisation="Jobcenter Kreis Offenbach", workshops=["zw-bass"]
    )
    verdict = desk.scan(person.code, day=DAY1)
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.severity is Severity.OK
    assert verdict.admitted
    assert verdict.code == person.code
    assert verdict.day == DAY1
    assert verdict.session_key is None
    assert verdict.person.display_name == "Dr. Jürgen Müller"
    assert verdict.person.organisation == "Jobcenter Kreis Offenbach"
    assert verdict.person.category_key == "participant"
    assert verdict.person.category_name == "Teilnehmer/in"
    assert verdict.person.workshops == ("Zukunftswerkstatt 4: BASS-Studiengang der Hochschule Fulda",)
    assert _words(verdict, "de") == "Eingecheckt: Dr. Jürgen Müller."
    assert _words(verdict, "en") == "Checked in: Dr. Jürgen Müller."
    assert verdict_text(verdict) == "Eingecheckt: Dr. Jürgen Müller."  # German is the default
    assert verdict.changes == Changes.check_in(person.registration_id)
    (row,) = _log(desk._db)
    assert row[2:] == (0, 0, LogAction.CHECK_IN, "Eingang 1", "")


def test_the_verdict_is_facts_worded_in_the_language_shown(desk, people):
    person = people.add("Anna", "Schmidt")
    i18n.set_language("en")
    verdict = desk.scan(person.code, day=DAY1)
    assert verdict_text(verdict) == "Checked in: Anna Schmidt."
    i18n.set_language("de")  # switched after the scan: the same verdict now reads in German
    assert verdict_text(verdict) == "Eingecheckt: Anna Schmidt."
    assert not any(f.name.startswith("message") for f in dataclasses.fields(verdict))


def test_second_scan_is_already_checked_in_with_first_time_and_desk(db, demo_event, desk, people, clock):
    person = people.add("Anna", "Schmidt")
    first = desk.scan(person.code, day=DAY1)
    clock.advance(minutes=20)
    other_desk = CheckInService(db, demo_event, desk="Eingang 2", clock=clock)
    again = other_desk.scan(person.code, day=DAY1)
    assert first.kind is VerdictKind.CHECKED_IN
    assert again.kind is VerdictKind.ALREADY_CHECKED_IN
    assert again.severity is Severity.WARNING
    assert again.first_checkin_desk == "Eingang 1"
    assert again.first_checkin_at == dt.datetime(2024, 9, 19, 7, 0, tzinfo=dt.UTC)
    assert _words(again, "de") == "Bereits um 09:00 Uhr eingecheckt (Platz Eingang 1): Anna Schmidt."
    assert _words(again, "en") == "Already checked in at 09:00 (desk Eingang 1): Anna Schmidt."
    assert people.log_rows() == 1  # idempotent: no second check-in row


def test_unknown_code_changes_nothing(desk, people):
    people.add()
    before = people.snapshot()
    verdict = desk.scan("TOTALLY-UNKNOWN", day=DAY1)
    assert verdict.kind is VerdictKind.UNKNOWN
    assert verdict.severity is Severity.REFUSED
    assert not verdict.admitted
    assert verdict.person is None
    assert verdict.code == "TOTALLY-UNKNOWN"
    assert _words(verdict, "de") == "Unbekannter Code TOTALLY-UNKNOWN."
    assert people.snapshot() == before


def test_code_with_our_shape_but_wrong_signature_is_invalid(desk, people, demo_event):
    person = people.add()
    tampered = person.code[:-1] + ("A" if person.code[-1] != "A" else "B")
    assert not verify_code(tampered, demo_event.secret)
    before = people.snapshot()
    verdict = desk.scan(tampered, day=DAY1)
    assert verdict.kind is VerdictKind.INVALID
    assert not verdict.admitted
    assert people.snapshot() == before


def test_signed_code_that_is_not_in_the_database_is_unknown_not_invalid(desk, demo_event):
    from checkin.domain.codes import generate_code

    verdict = desk.scan(generate_code(demo_event.secret), day=DAY1)
    assert verdict.kind is VerdictKind.UNKNOWN


def test_cancelled_registration_is_refused(desk, people):
    person = people.add("Anna", "Schmidt", cancelled=True)
    before = people.snapshot()
    verdict = desk.scan(person.code, day=DAY1)
    assert verdict.kind is VerdictKind.CANCELLED
    assert not verdict.admitted
    assert verdict.person.status == "cancelled"
    assert _words(verdict, "de") == "Anmeldung storniert: Anna Schmidt."
    assert people.snapshot() == before


def test_day_rule_each_day_once(desk, people, clock):
    both = people.add("Beide", "Tage")
    first_only = people.add("Nur", "Donnerstag", days=[DAY1])
    second_only = people.add("Nur", "Freitag", days=[DAY2])
    assert desk.scan(both.code, day=DAY1).kind is VerdictKind.CHECKED_IN
    assert desk.scan(first_only.code, day=DAY1).kind is VerdictKind.CHECKED_IN
    refused = desk.scan(second_only.code, day=DAY1)
    assert refused.kind is VerdictKind.NOT_REGISTERED_TODAY
    assert _words(refused, "de") == "Nur Freitag ist für den 19.09.2024 nicht angemeldet."
    clock.advance(days=1)
    assert desk.scan(both.code, day=DAY2).kind is VerdictKind.CHECKED_IN  # admitted again on day 2
    assert desk.scan(both.code, day=DAY2).kind is VerdictKind.ALREADY_CHECKED_IN
    assert desk.scan(first_only.code, day=DAY2).kind is VerdictKind.NOT_REGISTERED_TODAY
    assert desk.scan(second_only.code, day=DAY2).kind is VerdictKind.CHECKED_IN


def test_registration_without_days_counts_for_every_day(desk, people):
    person = people.add(days=())
    assert desk.scan(person.code, day=DAY1).kind is VerdictKind.CHECKED_IN
    assert desk.scan(person.code, day=DAY2).kind is VerdictKind.CHECKED_IN


def test_day_or_session_the_event_does_not_have_is_a_user_error(desk, people):
    person = people.add()
    with pytest.raises(CheckInError, match="2024-09-25 ist kein Tag dieser Veranstaltung"):
        desk.scan(person.code, day=dt.date(2024, 9, 25))
    with pytest.raises(CheckInError, match="keinen Programmpunkt »nope«"):
        desk.scan(person.code, day=DAY1, session_key="nope")
    with pytest.raises(CheckInError, match=r"findet am 20\.09\.2024 statt"):
        desk.scan(person.code, day=DAY1, session_key="panel-2")
    assert people.log_rows() == 0


def test_resolve_day(db, demo_event, clock):
    service = CheckInService(db, demo_event, clock=clock)
    assert service.resolve_day(None) == DAY1
    assert service.resolve_day(DAY2) == DAY2
    clock.advance(days=10)
    with pytest.raises(CheckInError, match=r"Heute \(29.09.2024\) ist kein Tag.*--day"):
        service.resolve_day(None)
    with pytest.raises(CheckInError):
        service.resolve_day(dt.date(2030, 1, 1))


# ---------------------------------------------------------------------------- scan input


@pytest.mark.parametrize(
    "decorate",
    [
        lambda c: c,
        lambda c: f"  {c}\r\n",
        lambda c: f"\t{c}\n",
        lambda c: f"\x02{c}\x03\r",  # STX/ETX framing some scanners add
        lambda c: f"\ufeff{c}\u200b",
        lambda c: c.lower(),
        lambda c: f"{c[:4]} {c[4:8]} {c[8:12]} {c[12:]}",  # as read aloud
        lambda c: f"https://tickets.example.org/checkin?code={c}",
        lambda c: f"https://tickets.example.org/t/{c}/",
        lambda c: f"HTTPS://EXAMPLE.ORG/badge?event=tdkj&c={c}&lang=de",
    ],
)
def test_scanner_noise_and_urls_are_cleaned(desk, people, decorate):
    person = people.add()
    verdict = desk.scan(decorate(person.code), day=DAY1)
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.code == person.code


def test_yz_swapped_code_is_admitted_with_a_note(desk, people):
    person = people.add(code="XY7Z-ABC-Y9Z")
    swapped = person.code.translate(str.maketrans("YZ", "ZY"))
    verdict = desk.scan(swapped, day=DAY1)
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert "yz_swapped" in verdict.notes
    assert "Y und Z" in _words(verdict, "de")
    assert _log(desk._db)[0][-1] == "yz_swapped"


def test_exact_code_wins_over_its_yz_swapped_twin(desk, people):
    exact = people.add("Exakt", "Person", code="ABCYZ")
    people.add("Vertauscht", "Person", code="ABCZY")
    verdict = desk.scan("ABCYZ", day=DAY1)
    assert verdict.person.registration_id == exact.registration_id
    assert verdict.notes == ()


def test_pretix_ticket_secret_and_order_code_both_find_the_person(desk, people):
    secret = "k7s9dxbqyhfw4tm2u3wncrzp8ae56vgj"
    person = people.add("Petra", "Pretix", code=secret, order_code="ABC12")
    by_order = desk.scan("ABC12", day=DAY1)
    assert by_order.kind is VerdictKind.CHECKED_IN
    assert by_order.person.registration_id == person.registration_id
    assert "order_code" in by_order.notes
    assert desk.scan(secret, day=DAY1).kind is VerdictKind.ALREADY_CHECKED_IN
    # a scanner with caps lock on
    assert desk.scan(secret.upper(), day=DAY1).kind is VerdictKind.ALREADY_CHECKED_IN


def test_order_code_of_several_tickets_is_refused_as_ambiguous(desk, people):
    people.add("Eins", "Gruppe", code="secret-one", order_code="GRP01")
    people.add("Zwei", "Gruppe", code="secret-two", order_code="GRP01")
    verdict = desk.scan("GRP01", day=DAY1)
    assert verdict.kind is VerdictKind.UNKNOWN
    assert "order_code_ambiguous" in verdict.notes
    assert "2 Tickets" in _words(verdict, "de")
    assert desk.scan("secret-two", day=DAY1).kind is VerdictKind.CHECKED_IN


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   \r\n\t",
        "\x00\x01\x02",
        "A" * 10_000,
        "x" * 250,
        "'; DROP TABLE registrations; --",
        '=HYPERLINK("http://evil")',
        "😀🎉",
        "\udcff",  # a lone surrogate
        "http://",
        "https://[::1",  # invalid URL
    ],
)
def test_garbage_gets_a_verdict_and_changes_nothing(desk, people, garbage):
    people.add()
    before = people.snapshot()
    verdict = desk.scan(garbage, day=DAY1)
    assert verdict.kind in (VerdictKind.UNKNOWN, VerdictKind.INVALID)
    assert not verdict.admitted
    assert len(verdict.code) <= 200
    assert people.snapshot() == before


def test_binary_input_gets_a_verdict(desk):
    verdict = desk.scan(b"\xff\xfe\x00binary", day=DAY1)  # type: ignore[arg-type]
    assert verdict.kind is VerdictKind.UNKNOWN


# ---------------------------------------------------------------------------- undo


def test_undo_appends_a_row_and_allows_a_new_check_in(desk, people, clock):
    person = people.add("Anna", "Schmidt")
    desk.scan(person.code, day=DAY1)
    clock.advance(minutes=1)
    result = desk.undo(person.registration_id, day=DAY1)
    assert result.undone
    assert result.checked_in_desk == "Eingang 1"
    assert _words(result, "de") == "Check-in zurückgenommen: Anna Schmidt."
    assert [r[3:5] for r in _log(desk._db)] == [(0, LogAction.CHECK_IN), (1, LogAction.UNDO)]
    again = desk.scan(person.code, day=DAY1)
    assert again.kind is VerdictKind.CHECKED_IN
    assert [r[3] for r in _log(desk._db)] == [0, 1, 2]


def test_undo_without_check_in_changes_nothing(desk, people):
    person = people.add("Anna", "Schmidt")
    result = desk.undo(person.registration_id, day=DAY1)
    assert not result.undone
    assert _words(result, "de") == "Anna Schmidt ist nicht eingecheckt; es gibt nichts zurückzunehmen."
    assert people.log_rows() == 0


def test_undo_last_is_per_desk_and_survives_a_restart(db, demo_event, people, clock):
    a, b = people.add("Anna", "A"), people.add("Bert", "B")
    desk1 = CheckInService(db, demo_event, desk="Eingang 1", clock=clock)
    desk2 = CheckInService(db, demo_event, desk="Eingang 2", clock=clock)
    desk1.scan(a.code, day=DAY1)
    clock.advance(minutes=1)
    desk2.scan(b.code, day=DAY1)
    restarted = CheckInService(db, demo_event, desk="Eingang 1", clock=clock)
    result = restarted.undo_last()
    assert result is not None
    assert result.undone
    assert result.registration_id == a.registration_id
    assert restarted.undo_last() is None  # nothing of this desk left in force
    assert desk2.scan(b.code, day=DAY1).kind is VerdictKind.ALREADY_CHECKED_IN


def test_undo_unknown_registration_is_a_user_error(desk):
    with pytest.raises(PersonError):
        desk.undo(999_999, day=DAY1)


# ---------------------------------------------------------------------------- workshop doors


def test_workshop_scan_records_attendance_and_the_entrance(desk, people):
    person = people.add(workshops=["zw-bass"])
    verdict = desk.scan(person.code, day=DAY1, session_key="zw-bass")
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.session_key == "zw-bass"
    assert "entrance_recorded" in verdict.notes
    assert _words(verdict, "de").startswith("Eingecheckt in Zukunftswerkstatt 4")
    scopes = {(r[2], r[6]) for r in _log(desk._db)}
    bass = desk.event.session_by_key("zw-bass")
    assert scopes == {(0, "auto:zw-bass"), (bass.id, "")}
    assert desk.scan(person.code, day=DAY1).kind is VerdictKind.ALREADY_CHECKED_IN
    assert desk.scan(person.code, day=DAY1, session_key="zw-bass").kind is VerdictKind.ALREADY_CHECKED_IN


def test_not_registered_for_session_admits_with_a_warning(desk, people):
    person = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    verdict = desk.scan(person.code, day=DAY1, session_key="zw-digitalisierung")
    assert verdict.kind is VerdictKind.NOT_REGISTERED_FOR_SESSION
    assert verdict.admitted
    assert verdict.severity is Severity.WARNING
    assert desk.session_gauge("zw-digitalisierung", DAY1).attended == 1


def test_not_registered_for_session_denied_when_the_event_says_so(db, demo_event, people, clock):
    strict = dataclasses.replace(demo_event, deny_unregistered_session=True)
    service = CheckInService(db, strict, desk="Tür", clock=clock)
    person = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    before = people.snapshot()
    verdict = service.scan(person.code, day=DAY1, session_key="zw-digitalisierung")
    assert verdict.kind is VerdictKind.NOT_REGISTERED_FOR_SESSION
    assert not verdict.admitted
    assert verdict.severity is Severity.REFUSED
    assert people.snapshot() == before


def test_plenary_sessions_need_no_registration(desk, people):
    person = people.add()
    assert desk.scan(person.code, day=DAY1, session_key="keynote").kind is VerdictKind.CHECKED_IN


def test_session_full_refuses_once_capacity_is_reached(db, demo_event, people, clock):
    small = next(s for s in demo_event.sessions if s.key == "zw-bass")
    event = dataclasses.replace(
        demo_event,
        sessions=tuple(
            dataclasses.replace(s, capacity=2) if s.key == "zw-bass" else s for s in demo_event.sessions
        ),
    )
    assert small.capacity == 60
    door = CheckInService(db, event, desk="Panke", clock=clock)
    guests = [people.add(f"Gast{i}", "Test", workshops=["zw-bass"]) for i in range(3)]
    assert door.scan(guests[0].code, day=DAY1, session_key="zw-bass").kind is VerdictKind.CHECKED_IN
    assert door.scan(guests[1].code, day=DAY1, session_key="zw-bass").kind is VerdictKind.CHECKED_IN
    before = people.snapshot()
    full = door.scan(guests[2].code, day=DAY1, session_key="zw-bass")
    assert full.kind is VerdictKind.SESSION_FULL
    assert not full.admitted
    assert "2 von 2 Plätzen" in _words(full, "de")
    assert people.snapshot() == before
    # someone already inside is still "already checked in", not "full"
    assert door.scan(guests[0].code, day=DAY1, session_key="zw-bass").kind is VerdictKind.ALREADY_CHECKED_IN
    # one leaves (undo) -> a place is free again
    door.undo(guests[0].registration_id, day=DAY1, session_key="zw-bass")
    assert door.scan(guests[2].code, day=DAY1, session_key="zw-bass").kind is VerdictKind.CHECKED_IN
    gauge = door.session_gauge("zw-bass", DAY1)
    assert (gauge.attended, gauge.registered, gauge.capacity, gauge.is_full) == (2, 3, 2, True)


def test_moving_to_an_overlapping_workshop_moves_attendance(desk, people, clock):
    person = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    desk.scan(person.code, day=DAY1, session_key="zw-bass")
    clock.advance(minutes=10)
    moved = desk.scan(person.code, day=DAY1, session_key="zw-it-sicherheit")
    assert moved.kind is VerdictKind.NOT_REGISTERED_FOR_SESSION  # admitted, with warning
    assert moved.admitted
    assert "moved_from:zw-bass" in moved.notes
    assert "Hierher gewechselt aus Zukunftswerkstatt 4" in _words(moved, "de")
    assert desk.session_gauge("zw-bass", DAY1).attended == 0
    assert desk.session_gauge("zw-it-sicherheit", DAY1).attended == 1
    notes = [(r[4], r[6]) for r in _log(desk._db)]
    assert (LogAction.UNDO, "moved_to:zw-it-sicherheit") in notes
    assert (LogAction.CHECK_IN, "moved_from:zw-bass") in notes
    # undoing the move puts the person back
    result = desk.undo(person.registration_id, day=DAY1, session_key="zw-it-sicherheit")
    assert result.notes == ("restored:zw-bass",)
    assert desk.session_gauge("zw-bass", DAY1).attended == 1
    assert desk.session_gauge("zw-it-sicherheit", DAY1).attended == 0


def test_non_overlapping_sessions_are_not_moved(desk, people):
    person = people.add()
    desk.scan(person.code, day=DAY1, session_key="keynote")
    desk.scan(person.code, day=DAY1, session_key="panel-1")
    assert desk.session_gauge("keynote", DAY1).attended == 1
    assert desk.session_gauge("panel-1", DAY1).attended == 1


def test_manual_check_in_from_the_search(desk, people):
    person = people.add("Anna", "Schmidt")
    verdict = desk.check_in_registration(person.registration_id, day=DAY1)
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert "manual" in verdict.notes
    assert _log(desk._db)[0][-1] == "manual"
    assert desk.check_in_registration(person.registration_id, day=DAY1).kind is VerdictKind.ALREADY_CHECKED_IN
    with pytest.raises(PersonError):
        desk.check_in_registration(424242, day=DAY1)


def test_lookup_finds_without_checking_in(desk, people):
    person = people.add("Anna", "Schmidt")
    assert desk.lookup(f" {person.code.lower()}\n").registration_id == person.registration_id
    assert desk.lookup("nope") is None
    assert people.log_rows() == 0


# ---------------------------------------------------------------------------- walk-ins and people


def test_walk_in_gets_a_signed_code_and_is_checked_in(desk, demo_event):
    verdict = desk.walk_in(
        WalkInRequest(
            first_name="Öykü", last_name="Yılmaz", organisation="Caritas", workshop_keys=["zw-bass"]
        ),
        day=DAY1,
    )
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert "walk_in" in verdict.notes
    assert verify_code(verdict.code, demo_event.secret)
    assert verdict.person.display_name == "Öykü Yılmaz"
    details = desk.person(verdict.person.registration_id)
    assert details.source == "walk-in"
    assert details.days == (DAY1, DAY2)
    assert details.session_keys == ("zw-bass",)
    assert details.history[0].note == "walk_in"
    assert desk.scan(verdict.code, day=DAY1).kind is VerdictKind.ALREADY_CHECKED_IN
    assert desk.stats().walk_ins == 1


def test_walk_in_without_check_in_and_for_one_day(desk, people):
    verdict = desk.walk_in(
        WalkInRequest(first_name="", last_name="Nur-Nachname", day_dates=[DAY2]), day=DAY1, check_in=False
    )
    assert verdict.kind is VerdictKind.REGISTERED
    assert not verdict.admitted
    assert people.log_rows() == 0
    assert desk.scan(verdict.code, day=DAY1).kind is VerdictKind.NOT_REGISTERED_TODAY


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (WalkInRequest(first_name=" ", last_name=""), "mindestens einen Vor- oder Nachnamen"),
        (WalkInRequest(first_name="A", last_name="B", email="kein-at"), "keine E-Mail-Adresse"),
        (WalkInRequest(first_name="A", last_name="B", category_key="vip"), "keine Kategorie »vip«"),
        (WalkInRequest(first_name="A", last_name="B", workshop_keys=["nope"]), "keinen Programmpunkt »nope«"),
        (
            WalkInRequest(first_name="A", last_name="B", workshop_keys=["zw-bass", "zw-it-sicherheit"]),
            "gleichzeitig",
        ),
        (WalkInRequest(first_name="A", last_name="B", day_dates=[dt.date(2024, 1, 1)]), "kein Tag"),
        (WalkInRequest(first_name="A" * 201, last_name="B"), "Vorname: zu lang"),
    ],
)
def test_bad_walk_ins_are_refused_and_change_nothing(desk, people, request_, message):
    before = people.snapshot()
    with pytest.raises(PersonError, match=message):
        desk.walk_in(request_, day=DAY1)
    assert people.snapshot() == before


def test_person_details_history_and_badge_prints(desk, people, clock):
    from checkin.domain.models import BadgePrint

    person = people.add("Anna", "Schmidt", order_code="ORD-1", workshops=["zw-bass"])
    desk.scan(person.code, day=DAY1)
    clock.advance(minutes=5)
    desk.undo(person.registration_id, day=DAY1)
    clock.advance(minutes=5)
    desk.scan(person.code, day=DAY1, session_key="zw-bass")
    with desk._db.session_factory.begin() as session:
        session.add(
            BadgePrint(
                event_id=desk.event.id,
                registration_id=person.registration_id,
                desk="E1",
                layout="a6",
                reason="single",
            )
        )
    details = desk.person(person.registration_id)
    assert details.summary.display_name == "Anna Schmidt"
    assert details.order_code == "ORD-1"
    assert [(h.action, h.session_key) for h in details.history] == [
        ("check_in", None),
        ("undo", None),
        ("check_in", None),
        ("check_in", "zw-bass"),
    ]
    assert details.checked_in_on(DAY1)
    assert details.checked_in_on(DAY1, "zw-bass")
    assert not details.checked_in_on(DAY2)
    assert [(p.desk, p.reason) for p in details.badge_prints] == [("E1", "single")]
    with pytest.raises(PersonError):
        desk.person(31337)


def test_update_person_changes_fields_and_choices(desk, people):
    person = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    summary = desk.update_person(
        person.registration_id,
        PersonChanges(
            last_name="  Schmidt-Weber ",
            organisation="Diakonie",
            category_key="speaker",
            workshop_keys=["zw-it-sicherheit"],
            day_dates=[DAY2],
        ),
    )
    assert summary.last_name == "Schmidt-Weber"
    assert summary.category_key == "speaker"
    assert summary.workshops == ("Zukunftswerkstatt 5: IT-Sicherheit",)
    details = desk.person(person.registration_id)
    assert details.days == (DAY2,)
    assert details.summary.first_name == "Anna"  # untouched
    with pytest.raises(PersonError):
        desk.update_person(person.registration_id, PersonChanges(first_name="", last_name=""))
    assert desk.person(person.registration_id).summary.last_name == "Schmidt-Weber"


def test_cancel_and_restore(desk, people):
    person = people.add("Anna", "Schmidt")
    assert desk.set_cancelled(person.registration_id, True).status == "cancelled"
    assert desk.scan(person.code, day=DAY1).kind is VerdictKind.CANCELLED
    assert desk.set_cancelled(person.registration_id, False).status == "active"
    assert desk.scan(person.code, day=DAY1).kind is VerdictKind.CHECKED_IN


# ---------------------------------------------------------------------------- numbers


def test_stats_per_day_session_and_quarter_hour(db, demo_event, desk, people, clock):
    a = people.add("Anna", "A", workshops=["zw-bass"])
    b = people.add("Bert", "B", days=[DAY1])
    c = people.add("Cora", "C", days=[DAY2])
    people.add("Dora", "D", cancelled=True)
    desk.scan(a.code, day=DAY1)
    clock.advance(minutes=16)
    desk.scan(b.code, day=DAY1)
    desk.scan(a.code, day=DAY1, session_key="zw-bass")
    desk.walk_in(WalkInRequest(first_name="Eva", last_name="E"), day=DAY1)
    desk.undo(b.registration_id, day=DAY1)
    stats = desk.stats()
    assert (stats.registrations, stats.active, stats.cancelled, stats.walk_ins) == (5, 4, 1, 1)
    day1, day2 = stats.days
    assert (day1.registered, day1.arrived, day1.not_arrived) == (3, 2, 1)  # a, b, walk-in; b undone
    assert (day2.registered, day2.arrived, day2.not_arrived) == (3, 0, 3)  # a, c, walk-in
    bass = stats.session("zw-bass")
    assert (bass.registered, bass.attended, bass.capacity) == (1, 1, 60)
    assert [(b.start, b.count) for b in stats.arrivals] == [
        (dt.datetime(2024, 9, 19, 7, 0, tzinfo=dt.UTC), 1),
        (dt.datetime(2024, 9, 19, 7, 15, tzinfo=dt.UTC), 1),
    ]
    assert c.registration_id


def test_event_info_is_read_once_per_service(db, demo_event, desk, people):
    # Loading the event file again (another desk edits the programme) does not disturb a running desk.
    from checkin.domain.eventfile import load_event_file
    from checkin.resources import demo_event_file

    EventService(db).load_definition(load_event_file(demo_event_file()))
    person = people.add()
    assert desk.scan(person.code, day=DAY1).kind is VerdictKind.CHECKED_IN


class _StaleReadDesk(CheckInService):
    """A desk whose first read of the log misses another desk's check-in (the race window)."""

    stale_reads = 1

    def _person_state(self, session, registration_id, day_id):  # type: ignore[no-untyped-def]
        session_ids, recorded = super()._person_state(session, registration_id, day_id)
        if self.stale_reads:
            self.stale_reads -= 1
            return session_ids, {}
        return session_ids, recorded


def test_losing_the_race_hits_the_constraint_and_answers_already_checked_in(db, demo_event, people, clock):
    person = people.add("Anna", "Schmidt")
    winner = CheckInService(db, demo_event, desk="Eingang 1", clock=clock)
    assert winner.scan(person.code, day=DAY1).kind is VerdictKind.CHECKED_IN
    loser = _StaleReadDesk(db, demo_event, desk="Eingang 2", clock=clock)
    verdict = loser.scan(person.code, day=DAY1)
    assert loser.stale_reads == 0  # the stale read happened
    assert verdict.kind is VerdictKind.ALREADY_CHECKED_IN
    assert verdict.first_checkin_desk == "Eingang 1"
    assert people.log_rows() == 1


def test_a_locked_database_gives_a_clear_error_and_records_nothing(db, demo_event, people, clock):
    import sqlite3

    from sqlalchemy import event as sa_event
    from sqlalchemy.orm import sessionmaker

    from checkin.domain.db import Database, DatabaseError, make_engine

    person = people.add("Anna", "Schmidt")
    engine = make_engine(db.url)

    @sa_event.listens_for(engine, "connect")
    def _short_timeout(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA busy_timeout=50")

    impatient = Database(
        url=db.url, engine=engine, session_factory=sessionmaker(engine, expire_on_commit=False)
    )
    blocker = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        service = CheckInService(impatient, demo_event, desk="Eingang 1", clock=clock)
        with pytest.raises(DatabaseError, match="nichts gespeichert"):
            service.scan(person.code, day=DAY1)
        blocker.execute("ROLLBACK")
        assert service.scan(person.code, day=DAY1).kind is VerdictKind.CHECKED_IN
    finally:
        blocker.close()
        engine.dispose()


def test_reads_do_not_wait_for_another_desks_write_lock(db, demo_event, desk, people):
    import sqlite3

    from checkin.domain.search import SearchIndex

    person = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    desk.scan(person.code, day=DAY1)
    blocker = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # e.g. an import running on another desk
        blocker.execute("UPDATE registrations SET last_name = 'Geändert'")  # not committed yet
        index = SearchIndex(db, demo_event)
        assert [h.person.last_name for h in index.search("schmidt")] == ["Schmidt"]  # the committed state
        assert desk.person(person.registration_id).checked_in_on(DAY1)
        assert desk.stats().days[0].arrived == 1
        assert desk.session_gauge("zw-bass", DAY1).registered == 1
        assert desk.lookup(person.code).last_name == "Schmidt"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_door_gauge_follows_this_desks_own_changes(desk, people):
    first = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    assert desk.session_gauge("zw-bass", DAY1).registered == 1
    verdict = desk.walk_in(
        WalkInRequest(first_name="Bert", last_name="B", workshop_keys=["zw-bass"]), day=DAY1
    )
    assert desk.session_gauge("zw-bass", DAY1).registered == 2
    desk.set_cancelled(first.registration_id, True)
    assert desk.session_gauge("zw-bass", DAY1).registered == 1
    desk.update_person(verdict.person.registration_id, PersonChanges(workshop_keys=[]))
    assert desk.session_gauge("zw-bass", DAY1).registered == 0
    desk.scan(verdict.code, day=DAY1, session_key="zw-bass")
    assert desk.session_gauge("zw-bass", DAY1).attended == 1  # attendance is always live


def test_our_own_code_typed_with_y_and_z_swapped(desk, people, demo_event):
    from checkin.domain.codes import generate_code

    code = next(c for c in iter(lambda: generate_code(demo_event.secret), None) if "Y" in c or "Z" in c)
    person = people.add("Zoë", "Yilmaz", code=code)
    verdict = desk.scan(code.translate(str.maketrans("YZ", "ZY")).lower(), day=DAY1)
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.registration_id == person.registration_id
    assert verdict.notes == ("yz_swapped",)


# ---------------------------------------------------------------------------- what each write changed


def test_every_write_says_what_it_changed(desk, people, demo_event):
    bass = demo_event.session_by_key("zw-bass")
    anna = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    assert desk.scan("TOTALLY-UNKNOWN", day=DAY1).changes.is_empty
    door = desk.scan(anna.code, day=DAY1, session_key="zw-bass")
    assert door.changes == Changes.check_in(anna.registration_id, bass.id)
    assert desk.scan(anna.code, day=DAY1, session_key="zw-bass").changes.is_empty  # already in
    undone = desk.undo(anna.registration_id, day=DAY1, session_key="zw-bass")
    assert undone.changes == Changes.check_in(anna.registration_id, bass.id)
    assert desk.undo(anna.registration_id, day=DAY1, session_key="zw-bass").changes.is_empty
    edited = desk.update_person(anna.registration_id, PersonChanges(organisation="Diakonie"))
    assert edited.changes == Changes.person(anna.registration_id)
    moved = desk.update_person(anna.registration_id, PersonChanges(day_dates=[DAY1]))
    assert moved.changes == Changes.person(anna.registration_id, figures=True)
    cancelled = desk.set_cancelled(anna.registration_id, True)
    assert cancelled.changes == Changes.person(anna.registration_id, figures=True)
    assert cancelled == desk.lookup(anna.code)  # the changes are not part of the summary's equality


def test_a_move_changes_both_sessions(desk, people, demo_event):
    anna = people.add("Anna", "Schmidt", workshops=["zw-bass"])
    desk.scan(anna.code, day=DAY1, session_key="zw-bass")
    moved = desk.scan(anna.code, day=DAY1, session_key="zw-it-sicherheit")
    ids = {demo_event.session_by_key(k).id for k in ("zw-bass", "zw-it-sicherheit")}
    assert moved.changes.sessions == frozenset(ids)
    assert moved.changes.figures
    assert moved.moved_from_titles == (demo_event.session_by_key("zw-bass").title,)
    back = desk.undo(anna.registration_id, day=DAY1, session_key="zw-it-sicherheit")
    assert back.changes.sessions == frozenset(ids)
    assert back.restored_title == demo_event.session_by_key("zw-bass").title


def test_a_walk_in_changes_the_people_list_and_the_figures(desk):
    registered = desk.walk_in(WalkInRequest(first_name="Eva", last_name="E"), day=DAY1, check_in=False)
    new_id = registered.person.registration_id
    assert registered.changes == Changes.person(new_id, figures=True)
    checked_in = desk.walk_in(WalkInRequest(first_name="Udo", last_name="U"), day=DAY1)
    other_id = checked_in.person.registration_id
    assert checked_in.changes == Changes.person(other_id, figures=True) | Changes.check_in(other_id)
    assert checked_in.changes.people_list
