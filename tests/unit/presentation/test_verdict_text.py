"""Check-in results put into words: every kind of verdict and undo, in German and in English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from checkin import i18n
from checkin.domain.verdicts import (
    NotRegisteredReason,
    PersonSummary,
    ScanVerdict,
    Severity,
    UndoResult,
    UnknownReason,
    VerdictKind,
)
from checkin.presentation.verdict_text import undo_text, verdict_text

ANNA = PersonSummary(
    registration_id=7,
    code="ABC",
    title="Dr.",
    first_name="Anna",
    last_name="Schmidt",
    organisation="",
    function="",
    email="",
    category_key="participant",
    category_name="Teilnehmer/in",
    category_colour="#000000",
    status="active",
)
DAY = dt.date(2024, 9, 19)
NINE_LOCAL = dt.datetime(2024, 9, 19, 9, 5, tzinfo=ZoneInfo("Europe/Berlin"))


def _verdict(kind: VerdictKind, *, admitted: bool = False, **values) -> ScanVerdict:
    values.setdefault("person", ANNA)
    return ScanVerdict(kind=kind, severity=Severity.OK, admitted=admitted, code="ABC", day=DAY, **values)


BASS = {"session_key": "zw-bass", "session_title": "Zukunftswerkstatt 4"}
CASES = [
    (
        _verdict(VerdictKind.CHECKED_IN, admitted=True),
        "Eingecheckt: Dr. Anna Schmidt.",
        "Checked in: Dr. Anna Schmidt.",
    ),
    (
        _verdict(VerdictKind.CHECKED_IN, admitted=True, **BASS),
        "Eingecheckt in Zukunftswerkstatt 4: Dr. Anna Schmidt.",
        "Checked in to Zukunftswerkstatt 4: Dr. Anna Schmidt.",
    ),
    (
        _verdict(
            VerdictKind.ALREADY_CHECKED_IN,
            admitted=True,
            first_checkin_at=NINE_LOCAL,
            first_checkin_desk="Eingang 1",
        ),
        "Bereits um 09:05 Uhr eingecheckt (Platz Eingang 1): Dr. Anna Schmidt.",
        "Already checked in at 09:05 (desk Eingang 1): Dr. Anna Schmidt.",
    ),
    (
        _verdict(
            VerdictKind.ALREADY_CHECKED_IN, admitted=True, first_checkin_at=NINE_LOCAL, first_checkin_desk=""
        ),
        "Bereits um 09:05 Uhr eingecheckt: Dr. Anna Schmidt.",
        "Already checked in at 09:05: Dr. Anna Schmidt.",
    ),
    (
        _verdict(VerdictKind.UNKNOWN, person=None, unknown_reason=UnknownReason.NO_SUCH_CODE),
        "Unbekannter Code ABC.",
        "Unknown code ABC.",
    ),
    (
        _verdict(VerdictKind.UNKNOWN, person=None, unknown_reason=UnknownReason.NOTHING_READABLE),
        "Es wurde nichts Lesbares gescannt.",
        "Nothing readable was scanned.",
    ),
    (
        _verdict(
            VerdictKind.UNKNOWN, person=None, unknown_reason=UnknownReason.ORDER_AMBIGUOUS, ticket_count=3
        ),
        "Zur Bestellung ABC gehören 3 Tickets: Bitte das Ticket selbst scannen oder nach dem Namen suchen.",
        "Order ABC holds 3 tickets: scan the ticket itself or search for the name.",
    ),
    (
        _verdict(VerdictKind.UNKNOWN, person=None, unknown_reason=UnknownReason.DATA_DELETED),
        "Die personenbezogenen Daten dieser Anmeldung wurden gelöscht.",
        "The personal data of this registration was deleted.",
    ),
    (
        _verdict(VerdictKind.INVALID, person=None),
        "Ungültiger Code ABC: Er wurde nicht für diese Veranstaltung ausgegeben (vertippt oder gefälscht).",
        "Invalid code ABC: it was not issued for this event (mistyped or forged).",
    ),
    (
        _verdict(VerdictKind.CANCELLED),
        "Anmeldung storniert: Dr. Anna Schmidt.",
        "Registration cancelled: Dr. Anna Schmidt.",
    ),
    (
        _verdict(VerdictKind.UNPAID),
        "Nicht bezahlt: Dr. Anna Schmidt.",
        "Not paid: Dr. Anna Schmidt.",
    ),
    (
        _verdict(VerdictKind.NOT_REGISTERED_TODAY),
        "Dr. Anna Schmidt ist für den 19.09.2024 nicht angemeldet.",
        "Dr. Anna Schmidt is not registered for 19.09.2024.",
    ),
    (
        _verdict(VerdictKind.NOT_REGISTERED_TODAY, not_registered_reason=NotRegisteredReason.OTHER_DAYS),
        "Dr. Anna Schmidt ist für den 19.09.2024 nicht angemeldet.",
        "Dr. Anna Schmidt is not registered for 19.09.2024.",
    ),
    (
        _verdict(VerdictKind.NOT_REGISTERED_TODAY, not_registered_reason=NotRegisteredReason.NO_DAY_TICKED),
        "Dr. Anna Schmidt ist für heute nicht angemeldet: In der Anmeldeliste ist kein Tag angekreuzt.",
        "Dr. Anna Schmidt is not registered for today: the registration list ticked no day for this person.",
    ),
    (
        _verdict(VerdictKind.SESSION_FULL, attended=60, capacity=60, **BASS),
        "Zukunftswerkstatt 4 ist voll (60 von 60 Plätzen belegt): Dr. Anna Schmidt.",
        "Zukunftswerkstatt 4 is full (60 of 60 places taken): Dr. Anna Schmidt.",
    ),
    (
        _verdict(VerdictKind.NOT_REGISTERED_FOR_SESSION, **BASS),
        "Dr. Anna Schmidt ist für Zukunftswerkstatt 4 nicht angemeldet.",
        "Dr. Anna Schmidt is not registered for Zukunftswerkstatt 4.",
    ),
    (
        _verdict(
            VerdictKind.NOT_REGISTERED_FOR_SESSION, admitted=True, moved_from_titles=("Panel 1",), **BASS
        ),
        "Eingelassen, aber Dr. Anna Schmidt ist für Zukunftswerkstatt 4 nicht angemeldet. "
        "Hierher gewechselt aus Panel 1.",
        "Admitted, but Dr. Anna Schmidt is not registered for Zukunftswerkstatt 4. Moved here from Panel 1.",
    ),
    (
        _verdict(VerdictKind.CHECKED_IN, admitted=True, notes=("yz_swapped",)),
        "Eingecheckt: Dr. Anna Schmidt. "
        "Der Code wurde mit vertauschtem Y und Z gelesen: Bitte das Tastaturlayout des Scanners prüfen.",
        "Checked in: Dr. Anna Schmidt. "
        "The code was read with Y and Z swapped: check the scanner's keyboard layout.",
    ),
    (
        _verdict(VerdictKind.REGISTERED, notes=("walk_in",)),
        "Angemeldet: Dr. Anna Schmidt.",
        "Registered: Dr. Anna Schmidt.",
    ),
]


@pytest.mark.parametrize(("verdict", "german", "english"), CASES, ids=[c[0].kind.value for c in CASES])
def test_verdict_in_both_languages(verdict: ScanVerdict, german: str, english: str):
    assert verdict_text(verdict) == german
    i18n.set_language("en")
    assert verdict_text(verdict) == english


def test_every_kind_and_reason_has_words():
    kinds = {c[0].kind for c in CASES}
    reasons = {c[0].unknown_reason for c in CASES} - {None}
    assert kinds == set(VerdictKind)
    assert reasons == set(UnknownReason)


def test_a_yz_swap_is_not_remarked_on_a_refusal():
    refused = _verdict(VerdictKind.CANCELLED, notes=("yz_swapped",))
    assert verdict_text(refused) == "Anmeldung storniert: Dr. Anna Schmidt."


def _undo(undone: bool, **values) -> UndoResult:
    return UndoResult(undone=undone, registration_id=7, person=ANNA, day=DAY, **values)


UNDO_CASES = [
    (
        _undo(True, session_key=None),
        "Check-in zurückgenommen: Dr. Anna Schmidt.",
        "Check-in undone: Dr. Anna Schmidt.",
    ),
    (
        _undo(True, session_key="zw-it", session_title="IT", restored_title="Zukunftswerkstatt 4"),
        "Check-in in IT zurückgenommen: Dr. Anna Schmidt. Wieder in Zukunftswerkstatt 4.",
        "Check-in to IT undone: Dr. Anna Schmidt. Back in Zukunftswerkstatt 4.",
    ),
    (
        _undo(False, session_key=None),
        "Dr. Anna Schmidt ist nicht eingecheckt; es gibt nichts zurückzunehmen.",
        "Dr. Anna Schmidt is not checked in; nothing to undo.",
    ),
    (
        _undo(False, session_key="zw-it", session_title="IT"),
        "Dr. Anna Schmidt ist nicht in IT eingecheckt; es gibt nichts zurückzunehmen.",
        "Dr. Anna Schmidt is not checked in to IT; nothing to undo.",
    ),
]


@pytest.mark.parametrize(("result", "german", "english"), UNDO_CASES)
def test_undo_in_both_languages(result: UndoResult, german: str, english: str):
    assert undo_text(result) == german
    i18n.set_language("en")
    assert undo_text(result) == english
