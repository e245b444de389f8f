"""A pretix-connected database as a desk of the sync engine, and scans answered by pretix online.

Connecting makes the database a desk like one joined to a PostgreSQL hub: the one ``sync_state``
row (its hub address starts with ``pretix:``) and the outbox triggers, so every check-in, undo and
badge print made here is recorded locally at once and enters the outbox in the same transaction.
``checkin.pretix.upload.PretixLink`` sends the outbox to pretix; ``PretixOnlineHub`` lets
``OnlineFirstDesk`` ask pretix first (``checkinrpc/redeem``) and fall back to the local copy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import cast

from sqlalchemy import Table, insert, select, text, update

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventService
from checkin.domain.identity import fact_identity
from checkin.domain.models import CheckInLogEntry, SyncState, utcnow
from checkin.domain.verdicts import PersonSummary, ScanVerdict, Severity, UnknownReason, VerdictKind
from checkin.i18n import _
from checkin.pretix.catalog import event_path
from checkin.pretix.client import PretixClient
from checkin.pretix.redeem import RedeemAnswer, redeem
from checkin.sync.hub_link import PRETIX_PREFIX
from checkin.sync.replica_schema import install_outbox_triggers

_STATE = cast(Table, SyncState.__table__)
_LOG = cast(Table, CheckInLogEntry.__table__)
HUB_PREFIX = PRETIX_PREFIX


def pretix_hub_url(base_url: str, organizer: str, event: str) -> str:
    """What ``sync_state.hub_url`` holds for a pretix desk (no token: that is in the secrets store)."""
    return f"{HUB_PREFIX}{base_url}/{organizer}/{event}"


def is_pretix_hub(hub_url: str) -> bool:
    return hub_url.startswith(HUB_PREFIX)


def attach_desk(db: Database, event_id: int, hub_url: str, desk_name: str) -> str:
    """Make ``db`` a desk whose hub is pretix (or update the one it is); returns the desk's id.

    A database that is the copy of a PostgreSQL hub stays that: it is refused here.
    """
    with db.write() as session:
        conn = session.connection()
        row = conn.execute(select(_STATE.c.desk_id, _STATE.c.hub_url).where(_STATE.c.id == 1)).first()
        if row is not None and not is_pretix_hub(row.hub_url):
            raise UserError(
                _(
                    "This database is the local copy of a checkin hub; it cannot be connected to pretix "
                    "as well. Use a new database file for the pretix desk."
                )
            )
        if row is not None:
            conn.execute(update(_STATE).where(_STATE.c.id == 1).values(hub_url=hub_url, event_id=event_id))
            return str(row.desk_id)
        desk_id = uuid.uuid4().hex
        conn.execute(
            insert(_STATE).values(
                id=1,
                desk_id=desk_id,
                desk_name=(desk_name.strip() or "pretix")[:100],
                hub_url=hub_url,
                event_id=event_id,
                applying=0,
                join_done=True,
                join_after_id=0,
                join_stage="done",
                cursor_xid=0,
                cursor_xip=[],
                last_error="",
                online=True,
                last_download=utcnow(),
            )
        )
        install_outbox_triggers(conn)
        return desk_id


def mark_sent(db: Database, nonce: str) -> None:
    """pretix has this fact already (it decided it online): it leaves the outbox unsent."""
    with db.write() as session:
        session.execute(text("UPDATE sync_outbox SET acked = 1 WHERE nonce = :n"), {"n": nonce})


class PretixOnlineHub:
    """``OnlineFirstDesk``'s hub for a pretix desk: pretix decides an entrance scan, the desk records it.

    The ticket's secret is taken from the local copy when the scan matches someone there (an order
    code scanned works as well); pretix's answer decides. Admitted, the check-in is recorded locally
    with the scan's nonce and marked as sent (pretix has it); refused, nothing is recorded and the
    verdict carries pretix's reason (``pretix:<reason>`` in its notes). Workshop doors are decided
    by the local copy: pretix's check-in list is the entrance.
    """

    def __init__(
        self,
        db: Database,
        client: PretixClient,
        *,
        organizer: str,
        event: str,
        list_id: int | None,
        desk: str,
        desk_id: str,
        timeout: float,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._db = db
        self._client = client
        self._organizer = organizer
        self._event_path = event_path(organizer, event)
        self._list_id = list_id
        self._desk_id = desk_id
        self._timeout = timeout
        self._clock = clock
        self.local = CheckInService(db, EventService(db).get(), desk=desk, clock=clock)

    def scan(self, raw: str, *, day: dt.date, session_key: str | None, nonce: str) -> ScanVerdict:
        if session_key is not None or self._list_id is None:
            with fact_identity(self._desk_id, nonce):
                return self.local.scan(raw, day=day, session_key=session_key)
        self.local.resolve_day(day)  # a day the event does not have is the desk's error, not pretix's
        person = self.local.lookup(raw)
        secret = person.code if person is not None else raw.strip()
        answer = redeem(
            self._client,
            self._organizer,
            secret=secret,
            list_id=self._list_id,
            nonce=nonce,
            happened_at=self._clock(),
            timeout=self._timeout,
        )
        if answer.admitted:
            return self._record(raw, person, answer, day, nonce)
        return _refusal(secret, person, answer, day)

    def _record(
        self, raw: str, person: PersonSummary | None, answer: RedeemAnswer, day: dt.date, nonce: str
    ) -> ScanVerdict:
        severity = Severity.WARNING if answer.require_attention else Severity.OK
        notes = ("pretix:attention",) if answer.require_attention else ()
        with self._db.read() as session:
            known = session.scalar(select(_LOG.c.id).where(_LOG.c.nonce == nonce))
        if person is None or known is not None:
            # Not (yet) in the local copy, or the offline fallback recorded it already: pretix has it.
            return ScanVerdict(
                VerdictKind.CHECKED_IN, severity, True, answer.position_secret or raw.strip(),
                person=person or _person_from(answer), day=day, notes=notes,
            )  # fmt: skip
        with fact_identity(self._desk_id, nonce):
            verdict = self.local.scan(raw, day=day)
            if not verdict.admitted:
                # pretix's decision stands (e.g. the local copy has not heard of an annulment yet).
                verdict = self.local.check_in_registration(person.registration_id, day=day, override=True)
        mark_sent(self._db, nonce)
        return dataclasses.replace(
            verdict, kind=VerdictKind.CHECKED_IN, severity=severity, admitted=True,
            person=verdict.person or person, notes=verdict.notes + notes,
        )  # fmt: skip

    def ping(self) -> None:
        self._client.request("GET", self._client.api_url(self._event_path), timeout=self._timeout)

    def dispose(self) -> None:
        """Nothing held open: every request is its own connection."""


def _person_from(answer: RedeemAnswer) -> PersonSummary | None:
    if not answer.attendee_name:
        return None
    first, _sep, last = answer.attendee_name.rpartition(" ")
    return PersonSummary(
        registration_id=0, code=answer.position_secret or "", title="", first_name=first, last_name=last,
        organisation="", function="", email="", category_key="", category_name="", category_colour="",
        status="active",
    )  # fmt: skip


def _refusal(secret: str, person: PersonSummary | None, answer: RedeemAnswer, day: dt.date) -> ScanVerdict:
    kind = answer.kind
    return ScanVerdict(
        kind,
        answer.severity,
        False,
        secret,
        person=person or _person_from(answer),
        day=day,
        first_checkin_at=answer.last_entry_at if kind is VerdictKind.ALREADY_CHECKED_IN else None,
        notes=(f"pretix:{answer.reason or answer.status}",),
        unknown_reason=UnknownReason.NO_SUCH_CODE if kind is VerdictKind.UNKNOWN else None,
    )


__all__ = ["HUB_PREFIX", "PretixOnlineHub", "attach_desk", "is_pretix_hub", "mark_sent", "pretix_hub_url"]
