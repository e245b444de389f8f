"""A pretix-connected database as a desk: its hub kind, its outbox, and pretix's words at the desk."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from checkin import i18n
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo
from checkin.domain.models import SyncOutbox, SyncState
from checkin.domain.verdicts import ScanVerdict, Severity, VerdictKind
from checkin.presentation.verdict_text import verdict_text
from checkin.pretix.desk import attach_desk, pretix_hub_url
from checkin.sync.desk_link import hub_kind, online_hub_for, worker_for
from tests.helpers import People

URL = pretix_hub_url("https://pretix.example", "org", "fachtag")


def test_a_plain_database_is_no_desk_and_a_connected_one_is_a_pretix_desk(
    db: Database, demo_event: EventInfo
):
    assert hub_kind(db) is None
    assert online_hub_for(db, desk="A") is None  # OnlineFirstDesk is then not used at all
    desk_id = attach_desk(db, demo_event.id, URL, "Einlass 1")
    assert hub_kind(db) == "pretix"
    assert attach_desk(db, demo_event.id, URL, "other name") == desk_id  # connecting again: the same desk
    worker = worker_for(db)
    assert worker._link is not None  # the pretix link, not a PostgreSQL hub


def test_every_check_in_at_a_pretix_desk_enters_the_outbox_in_its_transaction(
    db: Database, demo_event: EventInfo, clock
):  # type: ignore[no-untyped-def]
    person = People(db, demo_event).add()
    desk = CheckInService(db, demo_event, desk="Eingang 1", clock=clock)
    attach_desk(db, demo_event.id, URL, "Einlass 1")
    desk.scan(person.code, day=demo_event.days[0].date)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(SyncOutbox).where(SyncOutbox.acked == 0)) == 1


def test_the_copy_of_a_postgresql_hub_is_not_connected_to_pretix(db: Database, demo_event: EventInfo):
    with db.write() as session:
        session.execute(
            insert(SyncState).values(
                id=1, desk_id="d", desk_name="A", hub_url="postgresql+psycopg://hub/db",
                event_id=demo_event.id, cursor_xip=[],
            )
        )  # fmt: skip
    assert hub_kind(db) == "postgres"
    with pytest.raises(UserError, match="lokale Kopie eines checkin-Hubs"):
        attach_desk(db, demo_event.id, URL, "Einlass 1")


@pytest.mark.parametrize(
    ("note", "words"),
    [
        ("pretix:unpaid", "pretix: the order is not paid."),
        ("pretix:product", "pretix: this ticket's product is not admitted on this check-in list."),
        ("pretix:something_new", "pretix refused the check-in (something_new)."),
    ],
)
def test_pretix_reasons_are_said_in_the_desks_words(note: str, words: str):
    i18n.set_language("en")
    verdict = ScanVerdict(
        VerdictKind.CANCELLED, Severity.REFUSED, False, "X", day=dt.date(2030, 9, 17), notes=(note,)
    )
    assert words in verdict_text(verdict)
    i18n.set_language("de")
    assert "pretix" in verdict_text(verdict)
    assert words not in verdict_text(verdict)
