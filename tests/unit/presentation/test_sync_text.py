"""A joined desk's state and a failed join, in words (German by default, English on request)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from checkin import i18n
from checkin.domain.errors import UserError
from checkin.presentation.sync_text import (
    JoinFailure,
    classify_join_failure,
    conflicts_text,
    join_failure_text,
    online_text,
    queued_text,
)

BERLIN = dt.timezone(dt.timedelta(hours=2))


def _driver_error(message: str) -> BaseException:
    """What ``Hub`` raises: a UserError whose cause is the driver's error (libpq's English words)."""
    try:
        try:
            raise OperationalError("SELECT 1", {}, Exception(message))
        except OperationalError as exc:
            raise UserError("Der Hub hat nicht geantwortet") from exc
    except UserError as outer:
        return outer


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ('FATAL:  password authentication failed for user "desk"', JoinFailure.LOGIN),
        ('FATAL:  role "dsek" does not exist', JoinFailure.LOGIN),
        ('FATAL:  database "chekin" does not exist', JoinFailure.NO_DATABASE),
        ('could not translate host name "hub.invalid" to address', JoinFailure.UNKNOWN_HOST),
        ("connection refused\n\tIs the server running", JoinFailure.UNREACHABLE),
        ("server closed the connection unexpectedly", JoinFailure.UNREACHABLE),
    ],
)
def test_what_libpq_says_is_told_apart(message: str, kind: JoinFailure):
    assert classify_join_failure(_driver_error(message)) is kind


def test_an_address_that_cannot_be_read_is_said_so():
    with pytest.raises(ArgumentError) as caught:
        make_url("not a url at all")
    assert classify_join_failure(caught.value) is JoinFailure.BAD_URL
    assert "postgresql+psycopg://" in join_failure_text(caught.value)


def test_the_joins_own_sentences_are_shown_as_they_are():
    error = UserError("Der Hub hat noch keine Veranstaltung.")
    assert join_failure_text(error) == "Der Hub hat noch keine Veranstaltung."


def test_a_refused_password_in_german_and_english():
    error = _driver_error('password authentication failed for user "desk"')
    assert join_failure_text(error) == "Der Hub hat Benutzername oder Passwort abgelehnt."
    i18n.set_language("en")
    assert join_failure_text(error) == "The hub refused the user name or password."


def test_online_offline_since_and_what_waits():
    since = dt.datetime(2024, 9, 19, 8, 42, tzinfo=dt.UTC)
    assert online_text(True, since) == "Online"
    assert online_text(False, since, tz=BERLIN) == "Offline seit 10:42"
    assert online_text(False, None) == "Offline"
    assert queued_text(1) == "1 wartet"
    assert queued_text(1234) == "1.234 warten"
    assert conflicts_text(2) == "2 Konflikte"
    i18n.set_language("en")
    assert online_text(False, since, tz=BERLIN) == "Offline since 10:42"
    assert queued_text(3) == "3 waiting"
    assert conflicts_text(1) == "1 conflict"


def test_a_verdict_made_offline_says_so_in_the_band_the_list_and_the_notes():
    from checkin.domain.log_notes import NoteKind
    from checkin.domain.verdicts import ScanVerdict, Severity, VerdictKind
    from checkin.presentation.note_text import scan_note_sentence
    from checkin.presentation.verdict_text import short_verdict_text, verdict_text

    online = ScanVerdict(VerdictKind.UNKNOWN, Severity.REFUSED, False, "ABC123")
    offline = ScanVerdict(VerdictKind.UNKNOWN, Severity.REFUSED, False, "ABC123", notes=(NoteKind.OFFLINE,))
    assert verdict_text(offline) == f"{verdict_text(online)} (offline entschieden)"
    assert short_verdict_text(offline).endswith("·  offline")
    assert "ohne den Hub" in scan_note_sentence(NoteKind.OFFLINE.value)
    assert "offline" not in verdict_text(online)
