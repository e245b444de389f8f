"""What an import will do: which rows are new, which update a registration, which change nothing,
and which look like the same person under two codes. Reads the database, writes nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from checkin.domain.codes import generate_code
from checkin.domain.events import EventInfo
from checkin.domain.names import name_key
from checkin.io.importing.facts import DuplicateWarning
from checkin.io.importing.rows import COLUMNS, INDEX, MISSING, Row, Scope


@dataclass(slots=True)
class Existing:
    id: int
    code: str
    values: tuple[Any, ...]  # aligned with COLUMNS
    # The stored extra columns as JSON text: parsed only when a row is compared or updated, since a
    # hundred thousand parsed dicts would take several hundred MB.
    extra_text: str
    status: str
    first_name: str
    last_name: str
    email: str
    days: frozenset[int] = frozenset()
    sessions: frozenset[int] = frozenset()
    no_day_ticked: bool = False  # stored from a list with day columns that ticked none


@dataclass
class Plan:
    inserts: list[Row] = field(default_factory=list)
    updates: list[tuple[int, Row, bool, bool]] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0
    generated: int = 0
    duplicates: list[DuplicateWarning] = field(default_factory=list)


def load_existing(
    session: Any, event: EventInfo, scope: Scope
) -> tuple[dict[str, Existing], dict[int, Existing]]:
    """The event's registrations by code and by id, with their days/workshops when ``scope`` needs them."""
    from sqlalchemy import Text, cast, select

    from checkin.domain.models import Registration, registration_days, registration_sessions

    columns = COLUMNS
    query = select(
        Registration.id,
        Registration.code,
        *(getattr(Registration, c) for c in columns),
        Registration.no_day_ticked,
        cast(Registration.extra, Text),
    ).where(Registration.event_id == event.id)
    by_code: dict[str, Existing] = {}
    by_id: dict[int, Existing] = {}
    status_index, order_index = INDEX["status"], INDEX["order_code"]
    for row in session.execute(query):
        values = list(row[2:-2])
        status = values[status_index]
        values[status_index] = status.value if hasattr(status, "value") else str(status)
        values[order_index] = values[order_index] or ""
        item = Existing(
            id=row[0],
            code=row[1],
            values=tuple(values),
            extra_text=row[-1] or "{}",
            status=values[status_index],
            first_name=values[INDEX["first_name"]],
            last_name=values[INDEX["last_name"]],
            email=values[INDEX["email"]],
            no_day_ticked=bool(row[-2]),
        )
        by_code[item.code] = item
        by_id[item.id] = item
    cache: dict[frozenset[int], frozenset[int]] = {}

    def load_pairs(table: Any, column: str, allowed: set[int] | None) -> dict[int, set[int]]:
        pairs: dict[int, set[int]] = defaultdict(set)
        stmt = (
            select(table.c.registration_id, table.c[column])
            .join(Registration, Registration.id == table.c.registration_id)
            .where(Registration.event_id == event.id)
        )
        for reg_id, other in session.execute(stmt):
            if allowed is None or other in allowed:
                pairs[reg_id].add(other)
        return pairs

    if scope.days:
        for reg_id, ids in load_pairs(registration_days, "day_id", None).items():
            key = frozenset(ids)
            by_id[reg_id].days = cache.setdefault(key, key)
    if scope.sessions:
        workshop_ids = {w.id for w in event.workshops}
        for reg_id, ids in load_pairs(registration_sessions, "session_id", workshop_ids).items():
            key = frozenset(ids)
            by_id[reg_id].sessions = cache.setdefault(key, key)
    return by_code, by_id


def make_plan(session: Any, event: EventInfo, rows: list[Row], scope: Scope) -> Plan:
    """Match ``rows`` to the stored registrations (see ``service`` for the rules); gives rows their codes."""
    by_code, by_id = load_existing(session, event, scope)
    manage_days, manage_sessions = scope.days, scope.sessions
    plan = Plan()
    # Registrations a row without code may claim, by (email, name).
    by_person: dict[tuple[str, str], list[Existing]] = defaultdict(list)
    coded = {r.code for r in rows if r.code}
    for item in by_id.values():
        if item.code not in coded:
            by_person[(item.email.casefold(), name_key(item.first_name, item.last_name))].append(item)
    claimed: set[int] = set()
    used_codes = set(by_code)
    managed_indices = [INDEX[c] for c in scope.columns]
    for row in rows:
        existing = by_code.get(row.code) if row.code else None
        if not row.code:
            candidates = by_person.get((row.email.casefold(), name_key(row.first_name, row.last_name)), [])
            while candidates and candidates[0].id in claimed:
                candidates.pop(0)
            if candidates:
                existing = candidates.pop(0)
                row.code = existing.code
            else:
                row.code = _new_code(event.secret, used_codes)
                plan.generated += 1
        used_codes.add(row.code)
        if existing is None:
            plan.inserts.append(row)
            continue
        claimed.add(existing.id)
        if MISSING in row.values:
            # what the row does not say (a title without a title column, a category a product
            # did not name) stays as it is stored
            row.values = tuple(
                existing.values[i] if value is MISSING else value for i, value in enumerate(row.values)
            )
        changed = any(
            existing.values[i] != row.values[i] for i in managed_indices if row.values[i] is not MISSING
        )
        stored_extra: dict[str, Any] | None = None
        if row.extra:
            stored_extra = _parse_extra(existing.extra_text)
            changed = changed or any(stored_extra.get(k, _ABSENT) != v for k, v in row.extra.items())
        # An empty set: the list has day columns and ticked none (stored as ``no_day_ticked``).
        days_changed = (
            manage_days
            and row.days is not None
            and (row.days != existing.days or (not row.days) != existing.no_day_ticked)
        )
        sessions_changed = manage_sessions and row.sessions is not None and row.sessions != existing.sessions
        if changed or days_changed or sessions_changed:
            if stored_extra is None:
                stored_extra = _parse_extra(existing.extra_text)
            row.extra = {**stored_extra, **row.extra}
            plan.updates.append((existing.id, row, days_changed, sessions_changed))
        else:
            plan.unchanged += 1
    plan.not_in_file = len(by_id) - len(claimed)
    plan.duplicates = _find_duplicates(by_id.values(), rows, claimed)
    return plan


_ABSENT = object()


def _parse_extra(text: str) -> dict[str, Any]:
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _new_code(secret: str, used: set[str]) -> str:
    while True:
        code = generate_code(secret)
        if code not in used:
            return code


def _find_duplicates(
    existing: Iterable[Existing], rows: list[Row], claimed: set[int]
) -> list[DuplicateWarning]:
    """Active registrations with the same email and name under different codes, one of them in the file."""
    groups: dict[tuple[str, str], list[tuple[str, int, str, str]]] = defaultdict(list)
    in_file: set[tuple[str, str]] = set()
    for row in rows:
        status = row.values[INDEX["status"]]
        if not row.email or status not in (MISSING, "active"):
            continue
        key = (row.email.casefold(), name_key(row.first_name, row.last_name))
        groups[key].append((row.code, row.line, f"{row.first_name} {row.last_name}".strip(), row.email))
        in_file.add(key)
    file_codes = {r.code for r in rows}
    for item in existing:
        if item.id in claimed or item.code in file_codes or not item.email or item.status != "active":
            continue
        key = (item.email.casefold(), name_key(item.first_name, item.last_name))
        if key in in_file:
            groups[key].append((item.code, 0, f"{item.first_name} {item.last_name}".strip(), item.email))
    warnings = []
    for key in in_file:
        members = groups[key]
        codes = tuple(dict.fromkeys(m[0] for m in members))
        if len(codes) > 1:
            warnings.append(
                DuplicateWarning(
                    name=members[0][2],
                    email=members[0][3],
                    codes=codes,
                    lines=tuple(sorted(m[1] for m in members if m[1])),
                )
            )
    warnings.sort(key=lambda w: w.lines)
    return warnings
