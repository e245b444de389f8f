"""Every column of a synced table travels, or is named as not sent (``checkin.sync.columns``).

The values are made from each column's type, so a column added to a model is part of
these tests by itself: it fails here if it does not reach the other side.
Real PostgreSQL (the hub), real SQLite replicas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Enum,
    Integer,
    String,
    Table,
    Text,
    Time,
    select,
    text,
    update,
)

from checkin.domain.codes import generate_code
from checkin.domain.db import Database
from checkin.domain.models import (
    BadgePrint,
    Category,
    CheckInLogEntry,
    Event,
    EventDay,
    EventSession,
    Registration,
    UTCDateTime,
    registration_days,
)
from checkin.domain.verdicts import NotRegisteredReason, VerdictKind
from checkin.sync import columns
from checkin.sync.replica_schema import OUTBOX_TRIGGERS
from tests.helpers.people import DAY1
from tests.helpers.sync_hub import NOW, HubForTests

_REG = cast(Table, Registration.__table__)
_DOWNLOADED = (Event, EventDay, EventSession, Category)
# Columns a replica keeps for itself or the hub stamps: never equal on both sides.
_OWN = {"id", "hub_id", "change_seq", "change_xid"}


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


@pytest.mark.parametrize(
    ("model", "not_sent", "sent"),
    [
        (Registration, columns.REGISTRATION_NOT_SENT, columns.REGISTRATION_FIELDS),
        (CheckInLogEntry, columns.LOG_NOT_SENT, columns.LOG_FIELDS),
        (BadgePrint, columns.PRINT_NOT_SENT, columns.PRINT_FIELDS),
    ],
)
def test_every_column_is_sent_or_named_as_not_sent(model, not_sent, sent):
    names = [c.name for c in _table(model).columns]
    assert set(not_sent) <= set(names), "a column named as not sent no longer exists"
    assert sorted(sent) == sorted(set(names) - set(not_sent))
    assert all(reason for reason in not_sent.values())


def test_no_day_ticked_and_notes_are_sent():
    assert "no_day_ticked" in columns.REGISTRATION_EDITABLE
    assert "notes" in columns.REGISTRATION_EDITABLE
    assert set(columns.REGISTRATION_HUB_ONLY) <= set(columns.REGISTRATION_FIELDS)


def _other_value(db: Database, column: Column[Any], current: Any) -> Any:
    """A value of the column's type that differs from ``current``."""
    if column.foreign_keys:
        (fk,) = column.foreign_keys
        target = fk.column.table
        with db.read() as session:
            ids = list(session.scalars(select(target.c.id).order_by(target.c.id)))
        return next(i for i in ids if i != current)
    kind = column.type
    if isinstance(kind, Enum):
        return next(v for v in kind.enums if v != str(getattr(current, "value", current)))
    if isinstance(kind, Boolean):
        return not current
    if isinstance(kind, JSON):
        return {"Spalte": f"Wert {column.name}"}
    if isinstance(kind, UTCDateTime):
        return NOW - dt.timedelta(days=3)
    if isinstance(kind, Date):
        return dt.date(2024, 9, 30)
    if isinstance(kind, Time):
        return dt.time(7, 45)
    if isinstance(kind, Integer):
        return (current or 0) + 7
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or 40
        return f"neu-{column.name}"[:length]
    raise AssertionError(f"no test value for {column.name}: {kind!r}")


def _row(db: Database, table: Table, *where: Any) -> dict[str, Any]:
    with db.read() as session:
        return dict(session.execute(select(table).where(*where)).mappings().one())


def _change_every(db: Database, table: Table, fields: tuple[str, ...], *where: Any) -> dict[str, Any]:
    before = _row(db, table, *where)
    values = {f: _other_value(db, table.c[f], before[f]) for f in fields}
    with db.write() as session:
        session.execute(update(table).where(*where).values(**values))
    return _row(db, table, *where)


def _differences(expected: dict[str, Any], actual: dict[str, Any], fields: Any) -> dict[str, Any]:
    return {f: (expected[f], actual[f]) for f in fields if expected[f] != actual[f]}


def test_every_registration_field_changed_at_the_hub_reaches_a_desk(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    a = make_desk("A")
    fields = tuple(c.name for c in _REG.columns if c.name not in (*_OWN, "event_id"))
    assert "no_day_ticked" in fields
    wanted = _change_every(hub.db, _REG, fields, _REG.c.id == person.registration_id)
    a.sync()
    local = _row(a.db, _REG, _REG.c.hub_id == person.registration_id)
    assert _differences(wanted, local, fields) == {}


def test_no_day_ticked_at_the_hub_makes_a_desk_say_no_day(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    a = make_desk("A")
    with hub.db.write() as session:
        session.execute(update(_REG).where(_REG.c.id == person.registration_id).values(no_day_ticked=True))
        session.execute(
            registration_days.delete().where(registration_days.c.registration_id == person.registration_id)
        )
    a.sync()
    verdict = a.service().scan(person.code, day=DAY1)
    assert verdict.kind == VerdictKind.NOT_REGISTERED_TODAY
    assert verdict.not_registered_reason == NotRegisteredReason.NO_DAY_TICKED


def test_every_field_a_desk_may_edit_reaches_the_hub(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    a = make_desk("A")
    edited = _change_every(a.db, _REG, columns.REGISTRATION_EDITABLE, _REG.c.hub_id == person.registration_id)
    a.sync()
    at_hub = _row(hub.db, _REG, _REG.c.id == person.registration_id)
    assert _differences(edited, at_hub, columns.REGISTRATION_EDITABLE) == {}


def test_a_walk_in_reaches_the_hub_with_every_field(hub: HubForTests, make_desk):
    hub.people.add_many(1)  # the values of a walk-in are made to differ from this person's
    a = make_desk("A")
    event = a.event
    values: dict[str, Any] = {}
    with a.db.read() as session:
        base = dict(session.execute(select(_REG).limit(1)).mappings().one())
    for name in columns.REGISTRATION_EDITABLE:
        values[name] = _other_value(a.db, _REG.c[name], base[name])
    code = generate_code(event.secret)
    with a.db.write() as session:
        session.execute(
            _REG.insert().values(**values, event_id=event.id, code=code, source="walk-in", created_at=NOW)
        )
    a.sync()
    at_hub = _row(hub.db, _REG, _REG.c.code == code)
    assert _differences(values, at_hub, columns.REGISTRATION_EDITABLE) == {}


@pytest.mark.parametrize("model", _DOWNLOADED, ids=lambda m: m.__tablename__)
def test_every_column_of_the_programme_changed_at_the_hub_reaches_a_desk(hub: HubForTests, make_desk, model):
    a = make_desk("A")
    table = _table(model)
    with hub.db.read() as session:
        row_id = session.scalar(select(table.c.id).order_by(table.c.id.desc()).limit(1))
    fields = tuple(
        c.name for c in table.columns if c.name not in _OWN and c.name not in ("event_id", "slug", "secret")
    )
    wanted = _change_every(hub.db, table, fields, table.c.id == row_id)
    a.sync()
    local = _row(a.db, table, table.c.id == row_id)
    assert _differences(wanted, local, [c.name for c in table.columns if c.name not in _OWN]) == {}


@pytest.mark.parametrize(
    ("model", "sent"), [(CheckInLogEntry, columns.LOG_FIELDS), (BadgePrint, columns.PRINT_FIELDS)]
)
def test_a_desks_log_and_prints_reach_the_hub_with_every_sent_column(
    hub: HubForTests, make_desk, model, sent
):
    (person,) = hub.people.add_many(1)
    a = make_desk("A")
    assert a.scan(person.code) == "checked_in"
    local_id = a.service().lookup(person.code).registration_id  # type: ignore[union-attr]
    if model is BadgePrint:
        with a.db.write() as session:
            session.add(
                BadgePrint(event_id=a.event.id, registration_id=local_id, desk="A", layout="a6", reason="x")
            )
    a.sync()
    table = _table(model)
    local = _row(a.db, table, table.c.registration_id == local_id)
    at_hub = _row(hub.db, table, table.c.registration_id == person.registration_id)
    assert _differences(local, at_hub, (*sent, "desk_id", "nonce", "desk_seq", "at", "desk")) == {}


def test_a_replica_joined_before_a_column_was_added_sends_it_after_its_next_sync(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    a = make_desk("A")
    with a.db.write() as session:  # the trigger as an older version made it: no no_day_ticked
        (current,) = [s for s in OUTBOX_TRIGGERS if "sync_out_registrations_update" in s]
        old = current.replace(", 'no_day_ticked', OLD.\"no_day_ticked\"", "")
        old = old.replace(", 'no_day_ticked', NEW.\"no_day_ticked\"", "")
        assert "no_day_ticked" not in old
        session.execute(text("DROP TRIGGER sync_out_registrations_update"))
        session.execute(text(old))
    a.sync()
    with a.db.write() as session:
        session.execute(
            update(_REG).where(_REG.c.hub_id == person.registration_id).values(no_day_ticked=True)
        )
    a.sync()
    assert _row(hub.db, _REG, _REG.c.id == person.registration_id)["no_day_ticked"] is True
