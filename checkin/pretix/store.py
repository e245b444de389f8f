"""The pretix tables of the local database: the connection, the mapping, positions → registrations.

Every function runs inside the caller's write session (``Database.write()``), so one page of a
download — registrations, links and the resume point — is committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from checkin.domain.events import EventInfo
from checkin.domain.models import (
    PretixConnection,
    PretixMapping,
    PretixPosition,
    Registration,
    registration_days,
    registration_sessions,
)
from checkin.pretix.mapping import MappingRow
from checkin.pretix.positions import PositionValues, Skipped


@dataclass
class DownloadCounts:
    """What a download did: new, changed and unchanged registrations, cancelled ones, and what it
    could not turn into a person (products without admission, unmapped products) by product."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    positions: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    registration_ids: set[int] = field(default_factory=set)

    def skip(self, product: str) -> None:
        self.skipped[product] = self.skipped.get(product, 0) + 1


def connection_of(session: Session, event_id: int) -> PretixConnection | None:
    return session.scalars(
        select(PretixConnection).where(PretixConnection.event_id == event_id)
    ).one_or_none()


def load_mapping(session: Session, event_id: int) -> list[MappingRow]:
    rows = session.scalars(
        select(PretixMapping).where(PretixMapping.event_id == event_id).order_by(PretixMapping.id)
    ).all()
    return [
        MappingRow(r.source_kind, r.source_id, r.label, r.target_kind, r.target, bool(r.edited)) for r in rows
    ]


def save_mapping(session: Session, event_id: int, rows: Iterable[MappingRow]) -> None:
    """Replace the event's mapping with ``rows`` (defaults and edited rows alike)."""
    session.execute(delete(PretixMapping).where(PretixMapping.event_id == event_id))
    session.add_all(
        PretixMapping(
            event_id=event_id,
            source_kind=row.source_kind,
            source_id=row.source_id,
            label=row.label[:500],
            target_kind=row.target_kind,
            target=row.target[:500],
            edited=row.edited,
        )
        for row in rows
    )


def set_mapping(
    session: Session, event_id: int, source_kind: str, source_id: int, target_kind: str, target: str
) -> bool:
    """Edit one mapping row (it then stays as set); False if there is no such row. The next download
    reads every order again."""
    row = session.scalars(
        select(PretixMapping).where(
            PretixMapping.event_id == event_id,
            PretixMapping.source_kind == source_kind,
            PretixMapping.source_id == source_id,
        )
    ).one_or_none()
    if row is None:
        return False
    row.target_kind, row.target, row.edited = target_kind, target, True
    connection = connection_of(session, event_id)
    if connection is not None:  # the next download reads every order again, to apply it to everyone
        connection.downloaded_at, connection.resume_url = None, None
    return True


def apply_positions(
    session: Session,
    event: EventInfo,
    items: Sequence[PositionValues | Skipped],
    source: str,
    counts: DownloadCounts,
) -> None:
    """Insert or update the registrations of one page of positions (an idempotent upsert)."""
    people = [v for v in items if isinstance(v, PositionValues)]
    counts.positions += len(items)
    for skipped in items:
        if isinstance(skipped, Skipped):
            counts.skip(skipped.product)
    if not people and not any(isinstance(s, Skipped) and s.session_key for s in items):
        return
    ids = [v.position_id for v in people] + [
        s.parent_position_id for s in items if isinstance(s, Skipped) and s.parent_position_id
    ]
    links = dict(
        session.execute(
            select(PretixPosition.position_id, PretixPosition.registration_id).where(
                PretixPosition.event_id == event.id, PretixPosition.position_id.in_(ids)
            )
        ).all()
    )
    unlinked_codes = [v.code for v in people if v.position_id not in links and v.code]
    by_code = (
        {
            r.code: r
            for r in session.scalars(
                select(Registration).where(
                    Registration.event_id == event.id, Registration.code.in_(unlinked_codes)
                )
            )
        }
        if unlinked_codes
        else {}
    )
    linked = (
        {
            r.id: r
            for r in session.scalars(select(Registration).where(Registration.id.in_(list(links.values()))))
        }
        if links
        else {}
    )
    categories = {c.key: c.id for c in event.categories}
    day_ids = {d.date: d.id for d in event.days}
    session_ids = {s.key: s.id for s in event.sessions}
    pretix_session_ids = {s.id for s in event.sessions if s.key.startswith("pretix-")} | {
        session_ids[key] for v in people for key in v.session_keys if key in session_ids
    }
    now = dt.datetime.now(dt.UTC)
    placed: list[tuple[PositionValues, Registration, bool]] = []
    for values in people:
        registration = linked.get(links.get(values.position_id, -1)) or by_code.get(values.code)
        fields: dict[str, Any] = {
            "code": values.code,
            "order_code": values.order_code or None,
            "title": values.title,
            "first_name": values.first_name,
            "last_name": values.last_name,
            "organisation": values.organisation,
            "email": values.email,
            "category_id": categories.get(values.category_key, event.default_category.id),
            "status": values.status,
        }
        if registration is None:
            registration = Registration(
                event_id=event.id, source=source, extra=dict(values.extra), created_at=now, **fields
            )
            session.add(registration)
            by_code[values.code] = registration  # the same secret twice in one page: one person
            placed.append((values, registration, True))
            counts.added += 1
            continue
        changed = {k: v for k, v in fields.items() if getattr(registration, k) != v}
        if registration.purged_at is not None:
            changed = {}  # data removed for data protection stays removed
        extra = {**(registration.extra or {}), **values.extra}
        if changed or extra != registration.extra:
            for key, value in changed.items():
                setattr(registration, key, value)
            registration.extra = extra
            counts.updated += 1
        else:
            counts.unchanged += 1
        placed.append((values, registration, False))
    session.flush()  # one flush per page gives every new registration its id
    all_days = set(day_ids.values())
    new_days: list[dict[str, int]] = []
    new_sessions: list[dict[str, int]] = []
    for values, registration, is_new in placed:
        if values.cancelled or values.unpaid:
            counts.cancelled += 1
        if values.position_id not in links:
            session.add(
                PretixPosition(
                    event_id=event.id, position_id=values.position_id, registration_id=registration.id
                )
            )
            links[values.position_id] = registration.id
        counts.registration_ids.add(registration.id)
        wanted_days = {day_ids[d] for d in (values.days or ()) if d in day_ids} or all_days
        wanted = {session_ids[k] for k in values.session_keys if k in session_ids}
        if is_new:
            new_days += [{"registration_id": registration.id, "day_id": d} for d in wanted_days]
            new_sessions += [{"registration_id": registration.id, "session_id": s} for s in wanted]
        else:
            _replace_links(session, registration_days, "day_id", registration.id, wanted_days, all_days)
            _replace_links(
                session, registration_sessions, "session_id", registration.id, wanted, pretix_session_ids
            )
    if new_days:
        session.execute(registration_days.insert(), new_days)
    if new_sessions:
        session.execute(registration_sessions.insert(), new_sessions)
    for skipped in items:  # add-ons standing for a session: the session of the person they belong to
        if isinstance(skipped, Skipped) and skipped.session_key and skipped.parent_position_id in links:
            sid = session_ids.get(skipped.session_key)
            reg_id = links[skipped.parent_position_id]
            if sid is not None:
                _replace_links(session, registration_sessions, "session_id", reg_id, {sid}, set())


def _replace_links(
    session: Session, table: Any, column: str, registration_id: int, wanted: set[int], managed: set[int]
) -> None:
    """Make the links of ``registration_id`` among ``managed`` ids equal ``wanted`` (others stay)."""
    have = set(
        session.scalars(select(getattr(table.c, column)).where(table.c.registration_id == registration_id))
    )
    remove = (have & managed) - wanted
    if remove:
        session.execute(
            delete(table).where(
                table.c.registration_id == registration_id, getattr(table.c, column).in_(remove)
            )
        )
    add = wanted - have
    if add:
        session.execute(
            table.insert(), [{"registration_id": registration_id, column: value} for value in add]
        )
