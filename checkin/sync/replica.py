"""A desk's replica: who the desk is, its outbox as facts, acknowledgements, and its sync state.

Every function here is one local transaction (``Database.write``/``read``); the hub is
never called from here (``checkin.sync.worker`` does that in between).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, select, update

from checkin.domain import conflicts
from checkin.domain.changes import Changes
from checkin.domain.conflicts import Conflict
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.models import (
    BadgePrint,
    CheckInLogEntry,
    Registration,
    SyncFact,
    SyncOutbox,
    SyncState,
    utcnow,
)
from checkin.i18n import _
from checkin.sync.columns import LOG_FIELDS, PRINT_FIELDS, REGISTRATION_FIELDS, to_payload
from checkin.sync.facts import APPLIED, Fact, Outcome
from checkin.sync.hub import HubChanges
from checkin.sync.replica_apply import apply_changes, record_conflicts
from checkin.sync.replica_schema import refresh_outbox_triggers, set_applying

_REG = cast(Table, Registration.__table__)
_LOG = cast(Table, CheckInLogEntry.__table__)
_PRINT = cast(Table, BadgePrint.__table__)
_OUT = cast(Table, SyncOutbox.__table__)
_STATE = cast(Table, SyncState.__table__)
_FACTS = cast(Table, SyncFact.__table__)


class NotJoined(UserError):
    """The database is not a desk's replica (``desk join`` first)."""


@dataclass(frozen=True)
class ReplicaState:
    desk_id: str
    desk_name: str
    hub_url: str
    event_id: int
    join_done: bool
    join_stage: str
    join_after_id: int
    cursor_xid: int
    cursor_xip: list[int]
    last_upload: dt.datetime | None
    last_download: dt.datetime | None
    last_error: str
    online: bool
    offline_since: dt.datetime | None


@dataclass(frozen=True)
class SyncStatus:
    """What a window or ``sync status`` shows: online or not (since when), what waits, conflicts."""

    desk_name: str
    online: bool
    queued: int
    conflicts: int
    last_upload: dt.datetime | None
    last_download: dt.datetime | None
    offline_since: dt.datetime | None
    last_error: str
    joined: bool

    def as_json(self) -> dict[str, Any]:
        def when(moment: dt.datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "desk": self.desk_name,
            "online": self.online,
            "queued": self.queued,
            "conflicts": self.conflicts,
            "last_upload": when(self.last_upload),
            "last_download": when(self.last_download),
            "offline_since": when(self.offline_since),
            "last_error": self.last_error,
            "joined": self.joined,
        }


def read_state(db: Database) -> ReplicaState | None:
    with db.read() as session:
        row = session.execute(select(_STATE).where(_STATE.c.id == 1)).mappings().first()
    if row is None:
        return None
    return ReplicaState(**{k: row[k] for k in ReplicaState.__dataclass_fields__})


def require_state(db: Database) -> ReplicaState:
    state = read_state(db)
    if state is None:
        raise NotJoined(
            _("{db} is not a desk of a hub: join one first (checkin --db FILE desk join HUB_URL).").format(
                db=db.display_url()
            )
        )
    return state


def list_conflicts(db: Database) -> list[Conflict]:
    """Every conflict this desk knows (its own and those the hub reported), oldest first."""
    state = require_state(db)
    with db.read() as session:
        return conflicts.list_conflicts(session, state.event_id)


def status(db: Database) -> SyncStatus:
    state = require_state(db)
    with db.read() as session:
        queued = int(session.scalar(select(func.count()).where(_OUT.c.acked == 0)) or 0)
        # Conflicts, and this desk's facts the hub refused: shown, never hidden.
        conflict_count = conflicts.count_conflicts(session, state.event_id)
    return SyncStatus(
        desk_name=state.desk_name,
        online=state.online,
        queued=queued,
        conflicts=conflict_count,
        last_upload=state.last_upload,
        last_download=state.last_download,
        offline_since=state.offline_since,
        last_error=state.last_error,
        joined=state.join_done,
    )


# ---------------------------------------------------------------------- outbox -> facts
def _registration_ref(conn: Connection, local_id: int) -> tuple[int | None, str]:
    row = conn.execute(select(_REG.c.hub_id, _REG.c.code).where(_REG.c.id == local_id)).one_or_none()
    return (None, "") if row is None else (row.hub_id, row.code)


def _log_data(conn: Connection, row_id: int) -> tuple[int | None, dict[str, Any]]:
    entry = conn.execute(select(_LOG).where(_LOG.c.id == row_id)).mappings().one_or_none()
    if entry is None:
        return None, {}
    data: dict[str, Any] = {f: to_payload(entry[f]) for f in LOG_FIELDS}
    if data["action"] == "undo":
        data["undoes"] = conn.execute(
            select(_LOG.c.nonce).where(
                _LOG.c.registration_id == entry["registration_id"],
                _LOG.c.day_id == entry["day_id"],
                _LOG.c.scope == entry["scope"],
                _LOG.c.seq == entry["seq"] - 1,
            )
        ).scalar()
    return entry["registration_id"], data


def _fact(conn: Connection, state: ReplicaState, out: Any) -> Fact:
    kind, data = out.kind, dict(out.payload or {})
    registration_id: int | None = out.row_id
    if kind == "log":
        registration_id, data = _log_data(conn, out.row_id)
    elif kind == "print":
        entry = conn.execute(select(_PRINT).where(_PRINT.c.id == out.row_id)).mappings().one_or_none()
        registration_id = None if entry is None else entry["registration_id"]
        data = {} if entry is None else {f: to_payload(entry[f]) for f in PRINT_FIELDS}
    elif kind == "reg_new":
        row = conn.execute(select(_REG).where(_REG.c.id == out.row_id)).mappings().one_or_none()
        if row is not None:
            from checkin.domain.models import registration_days, registration_sessions

            data = {
                "row": {f: to_payload(row[f]) for f in REGISTRATION_FIELDS},
                "day_ids": list(
                    conn.execute(
                        select(registration_days.c.day_id).where(
                            registration_days.c.registration_id == out.row_id
                        )
                    ).scalars()
                ),
                "session_ids": list(
                    conn.execute(
                        select(registration_sessions.c.session_id).where(
                            registration_sessions.c.registration_id == out.row_id
                        )
                    ).scalars()
                ),
            }
    hub_id, code = (None, "") if registration_id is None else _registration_ref(conn, registration_id)
    return Fact(
        desk_id=state.desk_id,
        desk_name=state.desk_name,
        nonce=out.nonce,
        desk_seq=out.id,
        kind=kind,
        happened_at=out.happened_at,
        hub_registration_id=hub_id,
        code=code,
        data=data,
    )


def outbox_batch(db: Database, limit: int) -> list[Fact]:
    """The oldest ``limit`` facts the hub has not acknowledged, in the desk's order."""
    state = require_state(db)
    with db.read() as session:
        conn = session.connection()
        rows = conn.execute(select(_OUT).where(_OUT.c.acked == 0).order_by(_OUT.c.id).limit(limit)).all()
        return [_fact(conn, state, row) for row in rows]


def acknowledge(db: Database, facts: list[Fact], outcomes: list[Outcome]) -> Changes:
    """The hub has these facts: out of the outbox. A check-in the hub kept only as a conflict
    leaves the replica's log too (the hub's log is the truth) and is listed as a conflict."""
    changes = Changes()
    with db.write() as session:
        conn = session.connection()
        set_applying(conn, True)
        conn.execute(update(_OUT).where(_OUT.c.nonce.in_([f.nonce for f in facts])).values(acked=1))
        for fact, outcome in zip(facts, outcomes, strict=True):
            if outcome.outcome == APPLIED:
                continue
            if fact.kind == "log" and not outcome.written:
                gone = conn.execute(
                    select(_LOG.c.registration_id, _LOG.c.session_id).where(
                        _LOG.c.desk_id == fact.desk_id, _LOG.c.nonce == fact.nonce
                    )
                ).one_or_none()
                conn.execute(delete(_LOG).where(_LOG.c.desk_id == fact.desk_id, _LOG.c.nonce == fact.nonce))
                if gone is not None:
                    changes = changes | Changes.check_in(gone.registration_id, gone.session_id)
            record_conflicts(
                conn,
                [
                    {
                        "event_id": (conn.execute(select(_STATE.c.event_id)).scalar_one()),
                        "desk_id": fact.desk_id,
                        "desk_name": fact.desk_name,
                        "nonce": fact.nonce,
                        "desk_seq": fact.desk_seq,
                        "kind": fact.kind,
                        "happened_at": fact.happened_at,
                        "received_at": utcnow(),
                        "outcome": "applied" if outcome.applied_anyway else outcome.outcome,
                        "conflict": outcome.outcome == "conflict",
                        "reason": outcome.reason,
                        "registration_code": fact.code,
                        "payload": fact.data,
                        "change_seq": None,
                        "change_xid": None,
                    }
                ],
            )
        conn.execute(update(_STATE).where(_STATE.c.id == 1).values(last_upload=utcnow()))
        set_applying(conn, False)
    return changes


def apply_download(db: Database, changes: HubChanges) -> Changes:
    """Write a download into the replica and move the cursor, in one local transaction."""
    with db.write() as session:
        conn = session.connection()
        refresh_outbox_triggers(conn)
        set_applying(conn, True)
        result = apply_changes(conn, changes)
        conn.execute(
            update(_STATE)
            .where(_STATE.c.id == 1)
            .values(cursor_xid=changes.cursor_xid, cursor_xip=changes.cursor_xip, last_download=utcnow())
        )
        set_applying(conn, False)
    return result


def set_online(db: Database, online: bool, error: str = "") -> None:
    """Remember whether the hub answered (and since when it has not)."""
    with db.write() as session:
        conn = session.connection()
        current = conn.execute(select(_STATE.c.online, _STATE.c.offline_since)).one()
        values: dict[str, Any] = {"online": online, "last_error": error[:500]}
        if online:
            values["offline_since"] = None
        elif current.online or current.offline_since is None:
            values["offline_since"] = utcnow()
        conn.execute(update(_STATE).where(_STATE.c.id == 1).values(**values))


__all__ = [
    "NotJoined",
    "ReplicaState",
    "SyncStatus",
    "acknowledge",
    "apply_download",
    "list_conflicts",
    "outbox_batch",
    "read_state",
    "require_state",
    "set_online",
    "status",
]
