"""Which columns of each synced table travel between a desk and its hub, read from the models.

One list per table, derived from the SQLAlchemy model: a column added to a model syncs by
itself, unless it is named here as not sent, with the reason. ``tests/unit/sync/
test_synced_columns.py`` fails for a column that is neither.

Downloads (hub → desk) carry whole rows (``checkin.sync.hub``), so every column reaches
the replica; these lists say what a desk sends *up* in its facts, and what the hub takes
from them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

from sqlalchemy import JSON, Boolean, Column, Table

from checkin.domain.models import BadgePrint, CheckInLogEntry, Registration, UTCDateTime

_BOOKKEEPING = {
    "id": "each database numbers its own rows (the hub's id travels as the registration's hub_id)",
    "event_id": "a desk belongs to one event: the hub's",
    "change_seq": "set by the hub's trigger",
    "change_xid": "set by the hub's trigger",
}
_FACT_IDENTITY = {
    "registration_id": "the fact names the person by hub id and code",
    "at": "the fact's moment (happened_at)",
    "desk": "the fact's desk name",
    "desk_id": "the fact's desk id",
    "nonce": "the fact's nonce",
    "desk_seq": "the fact's sequence number",
}

REGISTRATION_NOT_SENT: dict[str, str] = {
    **_BOOKKEEPING,
    "created_at": "a walk-in's is the fact's moment; the hub keeps its own",
    "updated_at": "the edit fact's moment",
    "hub_id": "a replica's own link to the hub's row",
}
LOG_NOT_SENT: dict[str, str] = {
    **_BOOKKEEPING,
    **_FACT_IDENTITY,
    "seq": "the hub numbers check-ins (two desks apart both write 0)",
}
PRINT_NOT_SENT: dict[str, str] = {**_BOOKKEEPING, **_FACT_IDENTITY}

# A desk's edit may change every sent field but these, which only the hub changes.
REGISTRATION_HUB_ONLY: dict[str, str] = {
    "code": "what the badge carries: never changed after the fact",
    "source": "where the row came from",
    "purged_at": "a purge is made at the hub and reaches every desk from there",
}


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _sent(model: Any, not_sent: dict[str, str]) -> tuple[str, ...]:
    return tuple(c.name for c in _table(model).columns if c.name not in not_sent)


REGISTRATION_FIELDS = _sent(Registration, REGISTRATION_NOT_SENT)
REGISTRATION_EDITABLE = tuple(f for f in REGISTRATION_FIELDS if f not in REGISTRATION_HUB_ONLY)
LOG_FIELDS = _sent(CheckInLogEntry, LOG_NOT_SENT)
PRINT_FIELDS = _sent(BadgePrint, PRINT_NOT_SENT)


def to_payload(value: Any) -> Any:
    """A column's value as JSON carries it (enums by value, moments as ISO text)."""
    value = getattr(value, "value", value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def from_payload(column: Column[Any], value: Any) -> Any:
    """A value from a fact's payload (or SQLite's ``json_object``) as the column takes it."""
    if value is None:
        return None
    if isinstance(column.type, Boolean):
        return bool(value)
    if isinstance(column.type, JSON):
        return json.loads(value) if isinstance(value, str) else value
    if isinstance(column.type, UTCDateTime) and isinstance(value, str):
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return value


def registration_values(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``fields`` of a payload's registration row, typed for the hub's columns."""
    columns = _table(Registration).columns
    return {f: from_payload(columns[f], row.get(f)) for f in fields if f in row}


__all__ = [
    "LOG_FIELDS",
    "LOG_NOT_SENT",
    "PRINT_FIELDS",
    "PRINT_NOT_SENT",
    "REGISTRATION_EDITABLE",
    "REGISTRATION_FIELDS",
    "REGISTRATION_HUB_ONLY",
    "REGISTRATION_NOT_SENT",
    "from_payload",
    "registration_values",
    "to_payload",
]
