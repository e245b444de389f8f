"""Writing what the hub sent into a desk's replica: idempotent upserts, inside one local transaction.

Event, days, sessions and categories keep the hub's ids (a desk never makes them).
Registrations are matched by the hub's id (``hub_id``); a walk-in made at this desk is
matched by its code the first time it comes back. Check-in log rows and prints are
matched by (desk id, nonce), so the desk's own facts come back as the same rows, now
numbered by the hub.

The check-in log's ``seq`` is the hub's order. Facts of this desk not yet confirmed by
the hub (pending) keep their relative order and are moved after the hub's rows for the
same person, day and scope, keeping parity (even: check-in, odd: undo) — what the hub
will do with them when they arrive.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, select, tuple_, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from checkin.domain.changes import Changes
from checkin.domain.models import (
    BadgePrint,
    Category,
    CheckInLogEntry,
    Event,
    EventDay,
    EventSession,
    Registration,
    SyncFact,
    registration_days,
    registration_sessions,
)
from checkin.sync.hub import HubChanges

_REG = cast(Table, Registration.__table__)
_LOG = cast(Table, CheckInLogEntry.__table__)
_PRINT = cast(Table, BadgePrint.__table__)
_FACTS = cast(Table, SyncFact.__table__)
_BY_ID: tuple[tuple[Any, str], ...] = (
    (Event, "events"),
    (EventDay, "days"),
    (EventSession, "sessions"),
    (Category, "categories"),
)


def _upsert_by_id(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = cast(Table, model.__table__)
    statement = sqlite_insert(table)
    columns = {c.name: statement.excluded[c.name] for c in table.columns if c.name != "id"}
    conn.execute(statement.on_conflict_do_update(index_elements=["id"], set_=columns), rows)


def local_ids(conn: Connection, hub_ids: set[int]) -> dict[int, int]:
    """hub registration id -> local id, for the given hub ids present here."""
    found: dict[int, int] = {}
    ids = list(hub_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        found.update(
            (h, i) for h, i in conn.execute(select(_REG.c.hub_id, _REG.c.id).where(_REG.c.hub_id.in_(chunk)))
        )
    return found


def _apply_registrations(conn: Connection, changes: HubChanges) -> set[int]:
    rows = changes.registrations
    if not rows:
        return set()
    known = local_ids(conn, {r["id"] for r in rows})
    touched: set[int] = set()
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        values["hub_id"] = row["id"]
        local = known.get(row["id"])
        if local is None:
            # A walk-in of this desk coming back: same event and code, no hub id yet.
            local = conn.execute(
                select(_REG.c.id).where(
                    _REG.c.event_id == row["event_id"], _REG.c.code == row["code"], _REG.c.hub_id.is_(None)
                )
            ).scalar()
        if local is None:
            local = conn.execute(insert(_REG).values(**values).returning(_REG.c.id)).scalar_one()
        else:
            conn.execute(update(_REG).where(_REG.c.id == local).values(**values))
        known[row["id"]] = local
        touched.add(local)
        days, sessions = changes.links.get(row["id"], ([], []))
        _replace_links(conn, registration_days, "day_id", local, days)
        _replace_links(conn, registration_sessions, "session_id", local, sessions)
    return touched


def _replace_links(conn: Connection, table: Table, column: str, local: int, wanted: list[int]) -> None:
    have = set(conn.execute(select(table.c[column]).where(table.c.registration_id == local)).scalars())
    if have == set(wanted):
        return
    gone = have - set(wanted)
    if gone:
        conn.execute(delete(table).where(table.c.registration_id == local, table.c[column].in_(gone)))
    for value in set(wanted) - have:
        conn.execute(insert(table).values(registration_id=local, **{column: value}))


def insert_registrations_fresh(conn: Connection, changes: HubChanges) -> None:
    """First download into an empty replica: plain bulk inserts (no matching needed)."""
    rows = changes.registrations
    if not rows:
        return
    conn.execute(
        insert(_REG), [{**{k: v for k, v in r.items() if k != "id"}, "hub_id": r["id"]} for r in rows]
    )
    known = local_ids(conn, {r["id"] for r in rows})
    days = [{"registration_id": known[h], "day_id": d} for h, (ds, _) in changes.links.items() for d in ds]
    sessions = [
        {"registration_id": known[h], "session_id": s} for h, (_, ss) in changes.links.items() for s in ss
    ]
    if days:
        conn.execute(insert(registration_days), days)
    if sessions:
        conn.execute(insert(registration_sessions), sessions)


def _log_values(row: dict[str, Any], local: int) -> dict[str, Any]:
    return {**{k: v for k, v in row.items() if k != "id"}, "registration_id": local}


def insert_log_fresh(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    known = local_ids(conn, {r["registration_id"] for r in rows})
    values = [_log_values(r, known[r["registration_id"]]) for r in rows if r["registration_id"] in known]
    if values:
        conn.execute(insert(_LOG), values)


def _apply_log(conn: Connection, rows: list[dict[str, Any]]) -> set[tuple[int, int | None]]:
    """Upsert the hub's log rows; pending local rows of the same key move after them."""
    if not rows:
        return set()
    known = local_ids(conn, {r["registration_id"] for r in rows})
    by_key: dict[tuple[int, int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        local = known.get(row["registration_id"])
        if local is not None:
            by_key[(local, row["day_id"], row["scope"])].append(_log_values(row, local))
    touched: set[tuple[int, int | None]] = set()
    for (local, day_id, scope), incoming in by_key.items():
        key = (_LOG.c.registration_id == local, _LOG.c.day_id == day_id, _LOG.c.scope == scope)
        existing = conn.execute(
            select(_LOG.c.id, _LOG.c.seq, _LOG.c.desk_id, _LOG.c.nonce, _LOG.c.change_seq).where(*key)
        ).all()
        touched.add((local, incoming[0]["session_id"]))
        if not existing:
            conn.execute(insert(_LOG), incoming)
            continue
        by_identity = {(e.desk_id, e.nonce): e for e in existing}
        matched = {
            by_identity[(r["desk_id"], r["nonce"])].id: r
            for r in incoming
            if (r["desk_id"], r["nonce"]) in by_identity
        }
        fresh = [r for r in incoming if (r["desk_id"], r["nonce"]) not in by_identity]
        kept = [e for e in existing if e.id not in matched and e.change_seq is not None]
        pending = sorted(
            (e for e in existing if e.id not in matched and e.change_seq is None), key=lambda e: e.seq
        )
        confirmed = [r["seq"] for r in incoming] + [e.seq for e in kept]
        offset = 0
        if pending and confirmed and pending[0].seq <= max(confirmed):
            offset = max(confirmed) - pending[0].seq + 1
            offset += offset % 2
        # Out of the way first (the unique key would trip half way through), then into place.
        conn.execute(update(_LOG).where(*key).values(seq=-_LOG.c.id - 1))
        for row_id, row in matched.items():
            conn.execute(update(_LOG).where(_LOG.c.id == row_id).values(**row))
        for e in kept:
            conn.execute(update(_LOG).where(_LOG.c.id == e.id).values(seq=e.seq))
        for e in pending:
            conn.execute(update(_LOG).where(_LOG.c.id == e.id).values(seq=e.seq + offset))
        if fresh:
            conn.execute(insert(_LOG), fresh)
    return touched


def apply_prints(conn: Connection, rows: list[dict[str, Any]]) -> set[int]:
    if not rows:
        return set()
    known = local_ids(conn, {r["registration_id"] for r in rows})
    values = [
        {**{k: v for k, v in r.items() if k != "id"}, "registration_id": known[r["registration_id"]]}
        for r in rows
        if r["registration_id"] in known
    ]
    for value in values:
        statement = sqlite_insert(_PRINT).values(**value)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["desk_id", "nonce"],
                set_={
                    "change_seq": statement.excluded.change_seq,
                    "change_xid": statement.excluded.change_xid,
                },
            )
        )
    return {v["registration_id"] for v in values}


def record_conflicts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """The hub's conflicts, kept here for ``sync status`` (and the desk's own, from its uploads)."""
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        statement = sqlite_insert(_FACTS).values(**values)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["desk_id", "nonce"],
                set_={
                    c: statement.excluded[c]
                    for c in ("outcome", "conflict", "reason", "change_seq", "change_xid")
                },
            )
        )


def _apply_tombstones(conn: Connection, rows: list[dict[str, Any]]) -> bool:
    """Rows the hub deleted (a purge, a changed programme) go here too."""
    removed = False
    for row in rows:
        kind = row["kind"]
        if kind == "registrations":
            result = conn.execute(delete(_REG).where(_REG.c.hub_id == row["row_id"]))
        elif kind in ("checkin_log", "badge_prints"):
            table = _LOG if kind == "checkin_log" else _PRINT
            result = conn.execute(
                delete(table).where(
                    tuple_(table.c.desk_id, table.c.nonce) == (row["desk_id"], row["nonce"]),
                    table.c.change_seq.is_not(None),
                )
            )
        else:
            model = {"sessions": EventSession, "categories": Category, "event_days": EventDay}.get(kind)
            if model is None:
                continue
            table = cast(Table, model.__table__)
            result = conn.execute(delete(table).where(table.c.id == row["row_id"]))
        removed = removed or bool(result.rowcount)
    return removed


def apply_changes(conn: Connection, changes: HubChanges) -> Changes:
    """Write ``changes`` into the replica (the caller holds the transaction, ``applying`` set)."""
    event_changed = False
    for model, name in _BY_ID:
        rows = getattr(changes, name)
        _upsert_by_id(conn, model, rows)
        event_changed = event_changed or bool(rows)
    registrations = _apply_registrations(conn, changes)
    log_keys = _apply_log(conn, changes.log)
    printed = apply_prints(conn, changes.prints)
    record_conflicts(conn, changes.conflicts)
    removed = _apply_tombstones(conn, changes.tombstones)
    if removed or event_changed:
        return Changes.everything()
    # A conflict is shown on the dashboard and in the person's history: both refresh.
    in_conflict = _registrations_of_codes(conn, {c["registration_code"] for c in changes.conflicts})
    people = registrations | printed | {reg for reg, _ in log_keys} | in_conflict
    if not people and not changes.conflicts:
        return Changes.none()
    sessions = frozenset(s for _, s in log_keys if s is not None)
    return Changes(
        registrations=frozenset(people),
        sessions=sessions,
        figures=bool(log_keys) or bool(registrations) or bool(changes.conflicts),
        people_list=bool(registrations),
    )


def _registrations_of_codes(conn: Connection, codes: set[str]) -> set[int]:
    codes.discard("")
    if not codes:
        return set()
    return set(conn.execute(select(_REG.c.id).where(_REG.c.code.in_(codes))).scalars())


__all__ = [
    "apply_changes",
    "apply_prints",
    "insert_log_fresh",
    "insert_registrations_fresh",
    "local_ids",
    "record_conflicts",
]
