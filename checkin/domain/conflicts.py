"""Conflicts between desks that were apart: facts the hub kept but did not take as they were.

A person admitted at two desks while they could not reach the hub is kept as two facts;
the hub takes the first and marks the later one as a conflict (``sync_facts.conflict``),
as it does for an admission of a registration cancelled meanwhile. A fact of a desk the
hub refused outright (``rejected``) is listed here too. The journal is the hub's
``sync_facts``; a desk's replica holds the conflicts the hub sent it and its own refused
facts. Read here, shown everywhere a check-in is shown: the dashboard, the person's
history, the export's check-in log, ``sync status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from checkin.domain.models import Registration, SyncFact
from checkin.domain.names import display_name

REJECTED = "rejected"


@dataclass(frozen=True)
class Conflict:
    """One fact kept as a conflict: whose, where and when it happened, and why."""

    kind: str  # "log" (check-in/undo), "print", "reg_edit", ...
    action: str  # for a "log" fact: "check_in" or "undo" ("" otherwise)
    reason: str  # "already_checked_in", "cancelled", "not_checked_in", "undoes_other", ...
    rejected: bool  # the hub did not record it at all (a conflict may still be recorded)
    desk_name: str
    happened_at: dt.datetime  # on the desk's clock
    code: str
    registration_id: int | None  # in this database (None: the person is not here)
    name: str
    day_id: int | None
    scope: int | None


def is_conflict() -> ColumnElement[bool]:
    """SQL: the ``SyncFact`` row is a conflict, or a fact the hub refused."""
    return SyncFact.conflict.is_(True) | (SyncFact.outcome == REJECTED)


def _query(event_id: int) -> Any:
    return (
        select(
            SyncFact.kind,
            SyncFact.payload,
            SyncFact.reason,
            SyncFact.outcome,
            SyncFact.desk_name,
            SyncFact.happened_at,
            SyncFact.registration_code,
            Registration.id,
            Registration.title,
            Registration.first_name,
            Registration.last_name,
        )
        .outerjoin(
            Registration,
            and_(Registration.event_id == SyncFact.event_id, Registration.code == SyncFact.registration_code),
        )
        .where(SyncFact.event_id == event_id, is_conflict())
        .order_by(SyncFact.happened_at, SyncFact.id)
    )


def _conflict(row: Any) -> Conflict:
    payload = row.payload if isinstance(row.payload, dict) else {}
    day_id, scope = payload.get("day_id"), payload.get("scope")
    return Conflict(
        kind=row.kind,
        action=str(payload.get("action") or "") if row.kind == "log" else "",
        reason=row.reason or "",
        rejected=row.outcome == REJECTED,
        desk_name=row.desk_name or "",
        happened_at=row.happened_at if row.happened_at.tzinfo else row.happened_at.replace(tzinfo=dt.UTC),
        code=row.registration_code or "",
        registration_id=row.id,
        name=display_name(row.title or "", row.first_name or "", row.last_name or "") if row.id else "",
        day_id=None if day_id is None else int(day_id),
        scope=None if scope is None else int(scope),
    )


def list_conflicts(session: Session, event_id: int) -> list[Conflict]:
    """Every conflict of the event, oldest first."""
    return [_conflict(r) for r in session.execute(_query(event_id))]


def count_conflicts(session: Session, event_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(SyncFact).where(SyncFact.event_id == event_id, is_conflict())
        )
        or 0
    )


def conflicts_of(session: Session, event_id: int, registration_ids: Iterable[int]) -> list[Conflict]:
    """The conflicts of some people (their ids in this database), oldest first."""
    ids = list(registration_ids)
    if not ids:
        return []
    return [_conflict(r) for r in session.execute(_query(event_id).where(Registration.id.in_(ids)))]


__all__ = ["Conflict", "conflicts_of", "count_conflicts", "is_conflict", "list_conflicts"]
