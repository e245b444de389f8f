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
import json
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
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
from checkin.sync.facts import APPLIED, CONFLICT, REJECTED, Fact, Outcome

_REG = cast(Table, Registration.__table__)
_LOG = cast(Table, CheckInLogEntry.__table__)
_PRINT = cast(Table, BadgePrint.__table__)
_FACTS = cast(Table, SyncFact.__table__)
_EDITABLE = ("order_code", "title", "first_name", "last_name", "organisation", "function", "email", "notes")


def _registration(session: Session, event_id: int, fact: Fact) -> Any:
    """The hub's registration row for the fact, locked for the rest of the transaction."""
    query = select(_REG.c.id, _REG.c.status, _REG.c.purged_at).where(_REG.c.event_id == event_id)
    if fact.hub_registration_id is not None:
        query = query.where(_REG.c.id == fact.hub_registration_id)
    else:
        query = query.where(_REG.c.code == fact.code)
    return session.execute(query.with_for_update()).one_or_none()


def _apply_log(session: Session, event_id: int, fact: Fact) -> tuple[str, str, bool]:
    reg = _registration(session, event_id, fact)
    if reg is None:
        return REJECTED, "unknown_registration", False
    data = fact.data
    already = session.scalar(
        select(func.count()).where(_LOG.c.desk_id == fact.desk_id, _LOG.c.nonce == fact.nonce)
    )
    if already:
        # The desk's online attempt reached the hub after all (its answer did not reach the desk).
        return APPLIED, "", False
    key = (
        _LOG.c.registration_id == reg.id,
        _LOG.c.day_id == data["day_id"],
        _LOG.c.scope == data["scope"],
    )
    latest = session.execute(
        select(_LOG.c.seq, _LOG.c.action, _LOG.c.nonce).where(*key).order_by(_LOG.c.seq.desc()).limit(1)
    ).one_or_none()
    in_force = latest is not None and str(getattr(latest.action, "value", latest.action)) == "check_in"
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
        if data.get("undoes") and data["undoes"] != latest.nonce:
            return CONFLICT, "undoes_other", False
    session.execute(
        insert(_LOG).values(
            event_id=event_id,
            registration_id=reg.id,
            day_id=data["day_id"],
            session_id=data.get("session_id"),
            scope=data["scope"],
            seq=0 if latest is None else latest.seq + 1,
            action=action,
            at=fact.happened_at,
            desk=fact.desk_name[:100],
            note=str(data.get("note", ""))[:300],
            desk_id=fact.desk_id,
            nonce=fact.nonce,
            desk_seq=fact.desk_seq,
        )
    )
    return (CONFLICT, reason, True) if applied_anyway else (APPLIED, "", False)


def _apply_print(session: Session, event_id: int, fact: Fact) -> tuple[str, str, bool]:
    reg = _registration(session, event_id, fact)
    if reg is None:
        return REJECTED, "unknown_registration", False
    session.execute(
        pg_insert(_PRINT)
        .values(
            event_id=event_id,
            registration_id=reg.id,
            at=fact.happened_at,
            desk=fact.desk_name[:100],
            layout=str(fact.data.get("layout", ""))[:100],
            reason=str(fact.data.get("reason", ""))[:100],
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


def _apply_new(session: Session, event_id: int, fact: Fact) -> tuple[str, str, bool]:
    """A walk-in: a registration made at the desk (its code is random, 50 bits: desks cannot
    collide in practice, and if they did the second is refused, never merged)."""
    taken = session.scalar(select(func.count()).where(_REG.c.event_id == event_id, _REG.c.code == fact.code))
    if taken:
        return REJECTED, "code_taken", False
    row = fact.data["row"]
    new_id = session.execute(
        insert(_REG)
        .values(
            event_id=event_id,
            code=fact.code,
            order_code=row.get("order_code"),
            **{f: row.get(f) or "" for f in _EDITABLE if f != "order_code"},
            category_id=row.get("category_id"),
            status=row.get("status") or RegistrationStatus.ACTIVE.value,
            source=row.get("source") or "walk-in",
            extra=row.get("extra") or {},
            created_at=fact.happened_at,
            updated_at=fact.happened_at,
        )
        .returning(_REG.c.id)
    ).scalar_one()
    days = _known(session, event_id, EventDay, list(fact.data.get("day_ids", [])))
    sessions = _known(session, event_id, EventSession, list(fact.data.get("session_ids", [])))
    if days:
        session.execute(insert(registration_days), [{"registration_id": new_id, "day_id": d} for d in days])
    if sessions:
        session.execute(
            insert(registration_sessions), [{"registration_id": new_id, "session_id": s} for s in sessions]
        )
    return APPLIED, "", False


def _apply_edit(session: Session, event_id: int, fact: Fact) -> tuple[str, str, bool]:
    """A person edit: only the fields the desk changed, so an edit made offline does not undo
    another change made meanwhile at the hub (a cancellation, another desk's correction)."""
    reg = _registration(session, event_id, fact)
    if reg is None:
        return REJECTED, "unknown_registration", False
    if reg.purged_at is not None:
        return REJECTED, "purged", False
    old, new = fact.data.get("old", {}), fact.data.get("new", {})
    values: dict[str, Any] = {
        f: new.get(f) for f in (*_EDITABLE, "category_id", "status") if old.get(f) != new.get(f)
    }
    if old.get("extra") != new.get("extra"):
        extra = new.get("extra")
        values["extra"] = json.loads(extra) if isinstance(extra, str) else (extra or {})
    if values:
        values["updated_at"] = fact.happened_at
        session.execute(update(_REG).where(_REG.c.id == reg.id).values(**values))
    return APPLIED, "", False


def _apply_link(session: Session, event_id: int, fact: Fact) -> tuple[str, str, bool]:
    reg = _registration(session, event_id, fact)
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
    """Record and apply ``facts`` in order, inside the caller's hub transaction."""
    received = now or utcnow()
    outcomes: list[Outcome] = []
    for fact in facts:
        new_id = session.execute(
            pg_insert(_FACTS)
            .values(
                event_id=event_id,
                desk_id=fact.desk_id,
                desk_name=fact.desk_name[:100],
                nonce=fact.nonce,
                desk_seq=fact.desk_seq,
                kind=fact.kind,
                happened_at=fact.happened_at,
                received_at=received,
                outcome="pending",
                conflict=False,
                reason="",
                registration_code=fact.code[:200],
                payload=fact.data,
            )
            .on_conflict_do_nothing(index_elements=["desk_id", "nonce"])
            .returning(_FACTS.c.id)
        ).scalar()
        if new_id is None:
            stored = session.execute(
                select(_FACTS.c.outcome, _FACTS.c.reason, _FACTS.c.kind).where(
                    _FACTS.c.desk_id == fact.desk_id, _FACTS.c.nonce == fact.nonce
                )
            ).one()
            outcomes.append(_stored_outcome(fact.nonce, stored))
            continue
        apply = _APPLY.get(fact.kind)
        if apply is None:
            result: tuple[str, str, bool] = (REJECTED, "unknown_kind", False)
        else:
            result = apply(session, event_id, fact)
        outcome, reason, anyway = result
        session.execute(
            update(_FACTS)
            .where(_FACTS.c.id == new_id)
            .values(outcome=APPLIED if anyway else outcome, conflict=outcome == CONFLICT, reason=reason)
        )
        outcomes.append(Outcome(fact.nonce, outcome, reason, anyway))
    return outcomes


def _stored_outcome(nonce: str, stored: Any) -> Outcome:
    """The answer to a fact received before: the same as the first time."""
    if stored.outcome == APPLIED and stored.reason:
        return Outcome(nonce, CONFLICT, stored.reason, True)
    return Outcome(nonce, stored.outcome, stored.reason)


__all__ = ["ingest"]
