"""Scans answered by the real pretix (checkinrpc/redeem): nonces, reasons, offline uploads with force.

Every test makes its own orders through pretix's API, so a test can run again against the same
server and in any order.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from checkin import i18n
from checkin.domain.verdicts import Severity, VerdictKind
from checkin.pretix.client import PretixClient
from checkin.pretix.redeem import reason_text, redeem
from tests.helpers.pretix import PretixServer, pretix_server

MOMENT = dt.datetime(2030, 9, 17, 8, 30, tzinfo=dt.UTC)


@pytest.fixture
def pretix() -> PretixServer:
    return pretix_server()


def _item(pretix: PretixServer, name: str) -> int:
    items = pretix.event_api("items/?page_size=50")["results"]
    return next(i["id"] for i in items if i["name"].get("de") == name or i["name"].get("en") == name)


def _ticket(pretix: PretixServer, *, status: str = "p", product: str = "Teilnahme") -> dict:
    order = pretix.event_api(
        "orders/",
        "POST",
        {
            "email": "scan@example.org",
            "locale": "de",
            "sales_channel": "web",
            "status": status,
            "payment_provider": "manual",
            "positions": [
                {
                    "item": _item(pretix, product),
                    "attendee_name_parts": {
                        "given_name": "Jörg",
                        "family_name": f"Scan-{uuid.uuid4().hex[:6]}",
                    },
                }
            ],
        },
    )
    return {
        "code": order["code"],
        "secret": order["positions"][0]["secret"],
        "id": order["positions"][0]["id"],
    }


def _checkins(pretix: PretixServer, position_id: int) -> list[dict]:
    return pretix.event_api(f"orderpositions/{position_id}/")["checkins"]


def _redeem(pretix: PretixServer, secret: str, nonce: str, **kwargs):
    client = PretixClient(pretix.url, pretix.token)
    return redeem(
        client, pretix.organizer, secret=secret, list_id=pretix.shop["checkin_list"], nonce=nonce,
        happened_at=kwargs.pop("happened_at", MOMENT), **kwargs,
    )  # fmt: skip


def test_a_nonce_sent_twice_is_one_check_in_and_a_second_scan_is_already_used(pretix: PretixServer):
    ticket = _ticket(pretix)
    nonce = uuid.uuid4().hex
    first = _redeem(pretix, ticket["secret"], nonce)
    assert (first.kind, first.severity, first.order_code) == (
        VerdictKind.CHECKED_IN,
        Severity.OK,
        ticket["code"],
    )
    again = _redeem(pretix, ticket["secret"], nonce)
    assert again.admitted
    second = _redeem(pretix, ticket["secret"], uuid.uuid4().hex)
    assert (second.kind, second.reason) == (VerdictKind.ALREADY_CHECKED_IN, "already_redeemed")
    assert len(_checkins(pretix, ticket["id"])) == 1


def test_pretix_reasons_become_the_desks_verdicts(pretix: PretixServer):
    pending = _ticket(pretix, status="n")
    unpaid = _redeem(pretix, pending["secret"], uuid.uuid4().hex)
    assert (unpaid.kind, unpaid.reason) == (VerdictKind.UNPAID, "unpaid")
    cancelled = _ticket(pretix)
    pretix.event_api(f"orders/{cancelled['code']}/mark_canceled/", "POST", {"send_email": False})
    answer = _redeem(pretix, cancelled["secret"], uuid.uuid4().hex)
    assert (answer.kind, answer.reason) == (VerdictKind.CANCELLED, "canceled")
    garbage = _redeem(pretix, "not-a-ticket-" + uuid.uuid4().hex, uuid.uuid4().hex)
    assert (garbage.kind, garbage.reason, garbage.severity) == (
        VerdictKind.UNKNOWN,
        "invalid",
        Severity.REFUSED,
    )
    i18n.set_language("de")
    assert reason_text("unpaid") == "pretix: Die Bestellung ist nicht bezahlt."
    i18n.set_language("en")
    assert reason_text("product") == "pretix: this ticket's product is not admitted on this check-in list."
    assert reason_text("something_new") == "pretix refused the check-in (something_new)."
    i18n.set_language("de")


def test_an_offline_scan_is_uploaded_with_force_and_its_time(pretix: PretixServer):
    ticket = _ticket(pretix)
    assert _redeem(pretix, ticket["secret"], uuid.uuid4().hex).admitted  # another desk, online
    offline_moment = MOMENT + dt.timedelta(minutes=5)
    forced = _redeem(pretix, ticket["secret"], uuid.uuid4().hex, force=True, happened_at=offline_moment)
    assert forced.admitted  # pretix records it and flags it, never loses it
    checkins = _checkins(pretix, ticket["id"])
    assert len(checkins) == 2
    assert any(dt.datetime.fromisoformat(c["datetime"]) == offline_moment for c in checkins)
