"""The hub takes facts from desks: each once (unique desk and nonce), decided against its own state.

``ingest`` runs in one hub transaction per batch. The journal row (``sync_facts``) is
inserted with ``ON CONFLICT DO NOTHING``: a fact already received answers with its
stored outcome and changes nothing, so an upload retried after any crash is safe.

Check-ins are numbered by the hub: a desk's own ``seq`` is only its local order (two
desks apart both write seq 0 for one person). The hub locks the registration row,
reads the state in force and appends the fact after it; a second admission while the
person is in, or an undo of a check-in that is not the one in force, is kept as a
conflict in the journal only, so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from checkin.domain.models import (
    BadgePrint,
    CheckInLogEntry,
    EventDay,
    EventSession,
    LogAction,
    Registration,
    RegistrationStatus,
    SyncFact,
    registration_days,
    registration_sessions,
    utcnow,
)
from checkin.sync.columns import (
    LOG_FIELDS,
    PRINT_FIELDS,
    REGISTRATION_EDITABLE,
    from_payload,
    registration_values,
)
from checkin.sync.facts import APPLIED, CONFLICT, REJECTED, Fact, Outcome

_REG = cast(Table, Registration.__table__)
_LOG = cast(Table, CheckInLogEntry.__table__)
_PRINT = cast(Table, BadgePrint.__table__)
_FACTS = cast(Table, SyncFact.__table__)
# A walk-in brings every field a desk may edit, and where it came from.
_NEW_FIELDS = (*REGISTRATION_EDITABLE, "source")


class _Batch:
    """What one upload's facts need from the hub, read with a few statements for the whole batch.

    The registrations are locked (``FOR UPDATE``, in id order: no deadlock between desks);
    the state of each person's log is then kept here as facts are decided, and the new
    log rows are written together at the end.
    """

    def __init__(self, session: Session, event_id: int, facts: list[Fact]) -> None:
        self.session, self.event_id = session, event_id
        ids = {f.hub_registration_id for f in facts if f.hub_registration_id is not None}
        codes = {f.code for f in facts if f.hub_registration_id is None and f.code}
        query = select(_REG.c.id, _REG.c.code, _REG.c.status, _REG.c.purged_at).where(
            _REG.c.event_id == event_id, _REG.c.id.in_(ids) | _REG.c.code.in_(codes)
        )
        rows = session.execute(query.order_by(_REG.c.id).with_for_update()).all()
        self.by_id: dict[int, Any] = {r.id: r for r in rows}
        self.by_code: dict[str, Any] = {r.code: r for r in rows}
        self.latest: dict[tuple[int, int, int], tuple[int, str, str | None]] = {}
        if rows:
            latest_rows = session.execute(
                select(_LOG.c.registration_id, _LOG.c.day_id, _LOG.c.scope, _LOG.c.seq, _LOG.c.action)
                .add_columns(_LOG.c.nonce)
                .where(_LOG.c.registration_id.in_(list(self.by_id)))
                .order_by(_LOG.c.registration_id, _LOG.c.day_id, _LOG.c.scope, _LOG.c.seq.desc())
                .ext(distinct_on(_LOG.c.registration_id, _LOG.c.day_id, _LOG.c.scope))
            )
            for r in latest_rows:
                action = str(getattr(r.action, "value", r.action))
                self.latest[(r.registration_id, r.day_id, r.scope)] = (r.seq, action, r.nonce)
        log_nonces = [f.nonce for f in facts if f.kind == "log"]
        self.in_log: set[tuple[str, str]] = set()
        if log_nonces:
            found = session.execute(
                select(_LOG.c.desk_id, _LOG.c.nonce).where(
                    _LOG.c.desk_id.in_({f.desk_id for f in facts}), _LOG.c.nonce.in_(log_nonces)
                )
            )
            self.in_log = {(d, n) for d, n in found}
        self.log_rows: list[dict[str, Any]] = []

    def registration(self, fact: Fact) -> Any:
        if fact.hub_registration_id is not None:
            return self.by_id.get(fact.hub_registration_id)
        return self.by_code.get(fact.code)

    def add_registration(self, row: Any) -> None:
        self.by_id[row.id] = row
        self.by_code[row.code] = row

    def flush(self) -> None:
        """Write the log rows decided so far (before anything that could read them)."""
        if self.log_rows:
            self.session.execute(insert(_LOG), self.log_rows)
            self.log_rows = []


def _apply_log(batch: _Batch, fact: Fact) -> tuple[str, str, bool]:
    reg = batch.registration(fact)
    if reg is None:
        return REJECTED, "unknown_registration", False
    if (fact.desk_id, fact.nonce) in batch.in_log:
        # The desk's online attempt reached the hub after all (its answer did not reach the desk).
        return APPLIED, "", False
    data = fact.data
    key = (reg.id, int(data["day_id"]), int(data["scope"]))
    latest = batch.latest.get(key)
    in_force = latest is not None and latest[1] == LogAction.CHECK_IN.value
    action = data["action"]
    reason, applied_anyway = "", False
    if action == LogAction.CHECK_IN.value:
        if in_force:
            return CONFLICT, "already_checked_in", False
        if str(getattr(reg.status, "value", reg.status)) == RegistrationStatus.CANCELLED.value:
            reason, applied_anyway = "cancelled", True
    else:
        if latest is None or not in_force:
            return CONFLICT, "not_checked_in", False
        if data.get("undoes") and data["undoes"] != latest[2]:
            return CONFLICT, "undoes_other", False
    seq = 0 if latest is None else latest[0] + 1
    batch.latest[key] = (seq, action, fact.nonce)
    batch.in_log.add((fact.desk_id, fact.nonce))
    batch.log_rows.append(
        {
            **{f: from_payload(_LOG.c[f], data.get(f)) for f in LOG_FIELDS if f in data},
            "event_id": batch.event_id,
            "registration_id": reg.id,
            "day_id": key[1],
            "session_id": data.get("session_id"),
            "scope": key[2],
            "seq": seq,
            "action": action,
            "at": fact.happened_at,
            "desk": fact.desk_name[:100],
            "note": str(data.get("note", ""))[:300],
            "desk_id": fact.desk_id,
            "nonce": fact.nonce,
            "desk_seq": fact.desk_seq,
        }
    )
    return (CONFLICT, reason, True) if applied_anyway else (APPLIED, "", False)


def _apply_print(batch: _Batch, fact: Fact) -> tuple[str, str, bool]:
    session, event_id = batch.session, batch.event_id
    reg = batch.registration(fact)
    if reg is None:
        return REJECTED, "unknown_registration", False
    session.execute(
        pg_insert(_PRINT)
        .values(
            event_id=event_id,
            registration_id=reg.id,
            at=fact.happened_at,
            desk=fact.desk_name[:100],
            **{
                **{f: from_payload(_PRINT.c[f], fact.data.get(f)) for f in PRINT_FIELDS if f in fact.data},
                "layout": str(fact.data.get("layout", ""))[:100],
                "reason": str(fact.data.get("reason", ""))[:100],
            },
            desk_id=fact.desk_id,
            nonce=fact.nonce,
            desk_seq=fact.desk_seq,
        )
        .on_conflict_do_nothing(index_elements=["desk_id", "nonce"])
    )
    return APPLIED, "", False


def _known(session: Session, event_id: int, model: Any, ids: list[int]) -> list[int]:
    if not ids:
        return []
    return list(session.scalars(select(model.id).where(model.event_id == event_id, model.id.in_(ids))))


def _apply_new(batch: _Batch, fact: Fact) -> tuple[str, str, bool]:
    """A walk-in: a registration made at the desk (its code is random, 50 bits: desks cannot
    collide in practice, and if they did the second is refused, never merged)."""
    session, event_id = batch.session, batch.event_id
    taken = session.scalar(select(func.count()).where(_REG.c.event_id == event_id, _REG.c.code == fact.code))
    if taken:
        return REJECTED, "code_taken", False
    given = registration_values(fact.data["row"], _NEW_FIELDS)
    row = {f: v for f, v in given.items() if v is not None or _REG.c[f].nullable}
    row.update(
        event_id=event_id,
        code=fact.code,
        source=row.get("source") or "walk-in",
        created_at=fact.happened_at,
        updated_at=fact.happened_at,
    )
    new_row = session.execute(
        insert(_REG).values(**row).returning(_REG.c.id, _REG.c.code, _REG.c.status, _REG.c.purged_at)
    ).one()
    batch.add_registration(new_row)
    new_id = new_row.id
    days = _known(session, event_id, EventDay, list(fact.data.get("day_ids", [])))
    sessions = _known(session, event_id, EventSession, list(fact.data.get("session_ids", [])))
    if days:
        session.execute(insert(registration_days), [{"registration_id": new_id, "day_id": d} for d in days])
    if sessions:
        session.execute(
            insert(registration_sessions), [{"registration_id": new_id, "session_id": s} for s in sessions]
        )
    return APPLIED, "", False


def _apply_edit(batch: _Batch, fact: Fact) -> tuple[str, str, bool]:
    """A person edit: only the fields the desk changed, so an edit made offline does not undo
    another change made meanwhile at the hub (a cancellation, another desk's correction)."""
    session = batch.session
    reg = batch.registration(fact)
    if reg is None:
        return REJECTED, "unknown_registration", False
    if reg.purged_at is not None:
        return REJECTED, "purged", False
    old, new = fact.data.get("old", {}), fact.data.get("new", {})
    changed = [f for f in REGISTRATION_EDITABLE if f in new and old.get(f) != new.get(f)]
    values = registration_values(new, tuple(changed))
    if values:
        values["updated_at"] = fact.happened_at
        edited = session.execute(
            update(_REG)
            .where(_REG.c.id == reg.id)
            .values(**values)
            .returning(_REG.c.id, _REG.c.code, _REG.c.status, _REG.c.purged_at)
        ).one()
        batch.add_registration(edited)
    return APPLIED, "", False


def _apply_link(batch: _Batch, fact: Fact) -> tuple[str, str, bool]:
    session, event_id = batch.session, batch.event_id
    reg = batch.registration(fact)
    if reg is None:
        return REJECTED, "unknown_registration", False
    table, column, model = (
        (registration_days, "day_id", EventDay)
        if fact.kind.startswith("reg_day")
        else (registration_sessions, "session_id", EventSession)
    )
    target = int(fact.data[column])
    if fact.kind.endswith("_delete"):
        session.execute(delete(table).where(table.c.registration_id == reg.id, table.c[column] == target))
        return APPLIED, "", False
    if not _known(session, event_id, model, [target]):
        return REJECTED, "unknown_" + column, False
    session.execute(
        pg_insert(table).values(registration_id=reg.id, **{column: target}).on_conflict_do_nothing()
    )
    return APPLIED, "", False


_APPLY = {
    "log": _apply_log,
    "print": _apply_print,
    "reg_new": _apply_new,
    "reg_edit": _apply_edit,
    "reg_day_insert": _apply_link,
    "reg_day_delete": _apply_link,
    "reg_session_insert": _apply_link,
    "reg_session_delete": _apply_link,
}


def ingest(
    session: Session, event_id: int, facts: list[Fact], *, now: dt.datetime | None = None
) -> list[Outcome]:
    """Record and apply ``facts`` in order, inside the caller's hub transaction.

    One desk's uploads are serialised (an advisory lock on its id), so a fact found new
    here is new until this transaction ends; the unique (desk, nonce) of the journal and
    of the log would refuse a second copy anyway.
    """
    received = now or utcnow()
    for desk_id in sorted({f.desk_id for f in facts}):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:d))"), {"d": "checkin-desk:" + desk_id})
    stored = {
        (r.desk_id, r.nonce): r
        for r in session.execute(
            select(_FACTS.c.desk_id, _FACTS.c.nonce, _FACTS.c.outcome, _FACTS.c.reason).where(
                _FACTS.c.desk_id.in_({f.desk_id for f in facts}), _FACTS.c.nonce.in_([f.nonce for f in facts])
            )
        )
    }
    fresh = [f for f in facts if (f.desk_id, f.nonce) not in stored]
    batch = _Batch(session, event_id, fresh)
    decided: dict[tuple[str, str], Outcome] = {}
    journal: list[dict[str, Any]] = []
    for fact in fresh:
        if (fact.desk_id, fact.nonce) in decided:
            continue  # the same fact twice in one batch
        outcome, reason, anyway = _decide(batch, fact)
        decided[(fact.desk_id, fact.nonce)] = Outcome(fact.nonce, outcome, reason, anyway)
        journal.append(
            {
                "event_id": event_id,
                "desk_id": fact.desk_id,
                "desk_name": fact.desk_name[:100],
                "nonce": fact.nonce,
                "desk_seq": fact.desk_seq,
                "kind": fact.kind,
                "happened_at": fact.happened_at,
                "received_at": received,
                "outcome": APPLIED if anyway else outcome,
                "conflict": outcome == CONFLICT,
                "reason": reason,
                "registration_code": fact.code[:200],
                "payload": fact.data,
            }
        )
    batch.flush()
    if journal:
        session.execute(insert(_FACTS), journal)
    return [
        decided.get((f.desk_id, f.nonce)) or _stored_outcome(f.nonce, stored[(f.desk_id, f.nonce)])
        for f in facts
    ]


def _decide(batch: _Batch, fact: Fact) -> tuple[str, str, bool]:
    """Apply one fact. Anything but a check-in runs in a savepoint: a fact the hub's schema
    refuses (a category deleted meanwhile...) is rejected alone, it does not block the queue."""
    apply = _APPLY.get(fact.kind)
    if apply is None:
        return REJECTED, "unknown_kind", False
    if fact.kind == "log":
        return apply(batch, fact)
    batch.flush()
    try:
        with batch.session.begin_nested():
            return apply(batch, fact)
    except (IntegrityError, DataError):
        return REJECTED, "invalid", False


def _stored_outcome(nonce: str, stored: Any) -> Outcome:
    """The answer to a fact received before: the same as the first time."""
    if stored.outcome == APPLIED and stored.reason:
        return Outcome(nonce, CONFLICT, stored.reason, True)
    return Outcome(nonce, stored.outcome, stored.reason)


__all__ = ["ingest"]
