"""pretix's pending (unpaid) orders arrive as "not paid" registrations: refused at the desk with
their own verdict, let in by staff when they decide so, active once pretix says the order is paid.

Each test makes its own order through pretix's API (and its own local database), so it can run
again against the same server and in any order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin import i18n
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database, open_database
from checkin.domain.events import EventService
from checkin.domain.models import PretixPosition, Registration
from checkin.domain.verdicts import Severity, VerdictKind
from checkin.presentation.verdict_text import verdict_text
from checkin.pretix.service import PretixService
from tests.helpers.pretix import PretixServer, pretix_server

TUE = dt.date(2030, 9, 17)


@pytest.fixture
def pretix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PretixServer:
    server = pretix_server()
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets.json"))
    return server


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "desk.db")
    yield database
    database.dispose()


def _pending_order(pretix: PretixServer) -> dict:
    items = pretix.event_api("items/?page_size=50")["results"]
    item = next(i["id"] for i in items if "Teilnahme" in i["name"].values())
    family = f"Unbezahlt-{uuid.uuid4().hex[:6]}"
    order = pretix.event_api(
        "orders/",
        "POST",
        {
            "email": "offen@example.org",
            "locale": "de",
            "sales_channel": "web",
            "status": "n",
            "payment_provider": "manual",
            "positions": [
                {"item": item, "attendee_name_parts": {"given_name": "Olga", "family_name": family}}
            ],
        },
    )
    return {"code": order["code"], "secret": order["positions"][0]["secret"], "family": family}


def _registration(db: Database, secret: str) -> Registration:
    with db.read() as session:
        row = session.scalars(select(Registration).where(Registration.code == secret)).one()
        session.expunge(row)
        return row


def test_a_pending_order_is_not_paid_refused_and_active_once_paid(pretix: PretixServer, db: Database):
    order = _pending_order(pretix)
    service = PretixService(db)
    service.connect(pretix.url, pretix.token, pretix.organizer, pretix.event)
    olga = _registration(db, order["secret"])
    assert (olga.status.value, olga.extra["pretix_status"]) == ("unpaid", "pending")
    paul = _registration(db, pretix.shop["orders"]["Paul Offen"]["secret"])
    assert paul.status.value == "unpaid"  # the shop's own pending order, on a list without pending ones

    event = EventService(db).get(pretix.event)
    desk = CheckInService(db, event, desk="pretix-unpaid")
    refused = desk.scan(order["secret"], day=TUE)
    assert (refused.kind, refused.severity, refused.admitted) == (
        VerdictKind.UNPAID,
        Severity.REFUSED,
        False,
    )
    i18n.set_language("de")
    assert verdict_text(refused) == f"Nicht bezahlt: Olga {order['family']}."
    i18n.set_language("en")
    assert verdict_text(refused) == f"Not paid: Olga {order['family']}."
    i18n.set_language("de")
    assert desk.scan(order["code"], day=TUE).kind == VerdictKind.UNPAID  # by order code as well

    pretix.event_api(f"orders/{order['code']}/mark_paid/", "POST", {})
    result = service.download(pretix.event)
    assert result.updated >= 1
    assert _registration(db, order["secret"]).status.value == "active"
    assert desk.scan(order["secret"], day=TUE).kind == VerdictKind.CHECKED_IN


def test_staff_let_an_unpaid_person_in_anyway(pretix: PretixServer, db: Database):
    order = _pending_order(pretix)
    PretixService(db).connect(pretix.url, pretix.token, pretix.organizer, pretix.event)
    event = EventService(db).get(pretix.event)
    desk = CheckInService(db, event, desk="pretix-unpaid")
    person = desk.scan(order["secret"], day=TUE).person
    assert person is not None
    admitted = desk.check_in_registration(person.registration_id, day=TUE, override=True)
    assert (admitted.kind, admitted.admitted) == (VerdictKind.CHECKED_IN, True)
    # Letting in is a decision for this once (as for a cancelled registration): the status stays.
    assert desk.scan(order["secret"], day=TUE).kind == VerdictKind.UNPAID
    with db.read() as session:  # still the pretix position's registration, still not paid
        linked = session.scalar(
            select(PretixPosition.registration_id).where(
                PretixPosition.registration_id == person.registration_id
            )
        )
    assert linked == person.registration_id
    assert _registration(db, order["secret"]).status.value == "unpaid"
