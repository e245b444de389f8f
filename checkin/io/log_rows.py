"""The rows of the check-in log as exports show them: every check-in and undo, in time order,
with who it was (local, naive times), streamed. A check-in that another desk's admission of
the same person contradicts (desks apart, ``checkin.domain.conflicts``) carries that conflict:
the check-in in force, or every check-in of that person, day and place when none is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from checkin.domain.attendance import in_force_condition, undone_condition
from checkin.domain.conflicts import Conflict, list_conflicts
from checkin.domain.events import EventInfo
from checkin.domain.models import CheckInLogEntry, LogAction, Registration
from checkin.domain.names import display_name
from checkin.io.export_filters import ResolvedFilters, organisation_key
from checkin.io.fast_rows import LocalTimes, fetch_plain, raw_column


class LogRow(NamedTuple):
    """One row of the check-in log, joined with who it was (local, naive time)."""

    at: dt.datetime
    day: dt.date
    session_key: str | None  # None: entrance
    session_title: str
    action: str  # "check_in" / "undo"
    in_force: bool  # a check-in not undone (always False for an undo row)
    note: str
    desk: str
    registration_id: int
    code: str
    title: str
    first_name: str
    last_name: str
    organisation: str
    conflicts: tuple[Conflict, ...] = ()  # other desks' facts about this check-in (desks apart)

    @property
    def display_name(self) -> str:
        return display_name(self.title, self.first_name, self.last_name)


def _log_query(event: EventInfo, resolved: ResolvedFilters) -> Select[Any]:
    undone = undone_condition().label("undone")
    query = (
        select(
            raw_column(CheckInLogEntry.at),
            CheckInLogEntry.day_id,
            CheckInLogEntry.session_id,
            raw_column(CheckInLogEntry.action),
            CheckInLogEntry.note,
            CheckInLogEntry.desk,
            CheckInLogEntry.registration_id,
            CheckInLogEntry.scope,
            undone,
            Registration.code,
            Registration.title,
            Registration.first_name,
            Registration.last_name,
            Registration.organisation,
        )
        .join(Registration, Registration.id == CheckInLogEntry.registration_id)
        .where(CheckInLogEntry.event_id == event.id)
        .order_by(CheckInLogEntry.at, CheckInLogEntry.id)
    )
    if resolved.day is not None:
        query = query.where(CheckInLogEntry.day_id == resolved.day.id)
    if resolved.session is not None:
        query = query.where(CheckInLogEntry.session_id == resolved.session.id)
    if resolved.category_id is not None:
        query = query.where(Registration.category_id == resolved.category_id)
    return query


def count_log_rows(session: Session, event: EventInfo, resolved: ResolvedFilters) -> int:
    """How many log rows the filters select (organisation filter ignored: an upper bound)."""
    subquery = _log_query(event, resolved).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


_Key = tuple[int, int, int]  # registration, day, scope


def _conflicts_by_key(session: Session, event: EventInfo) -> tuple[dict[_Key, list[Conflict]], set[_Key]]:
    """The event's check-in conflicts by person, day and place; and which of those keys have a
    check-in in force (a few rows: conflicts are rare)."""
    found: dict[_Key, list[Conflict]] = {}
    for conflict in list_conflicts(session, event.id):
        if conflict.kind == "log" and None not in (conflict.registration_id, conflict.day_id, conflict.scope):
            key = (cast(int, conflict.registration_id), cast(int, conflict.day_id), cast(int, conflict.scope))
            found.setdefault(key, []).append(conflict)
    if not found:
        return found, set()
    rows = session.execute(
        select(CheckInLogEntry.registration_id, CheckInLogEntry.day_id, CheckInLogEntry.scope).where(
            CheckInLogEntry.registration_id.in_({k[0] for k in found}), in_force_condition()
        )
    )
    return found, {(r, d, s) for r, d, s in rows}


def iter_log(session: Session, event: EventInfo, resolved: ResolvedFilters) -> Iterator[LogRow]:
    """Every check-in and undo (in time order) that the filters select, streamed."""
    conflicts, in_force_keys = _conflicts_by_key(session, event)
    to_local = LocalTimes(event.tz)
    days = {d.id: d.date for d in event.days}
    sessions = {s.id: s for s in event.sessions}
    wanted_org = resolved.organisation_key
    check_in = LogAction.CHECK_IN.value
    for (
        at,
        day_id,
        session_id,
        action,
        note,
        desk,
        registration_id,
        scope,
        undone,
        code,
        title,
        first,
        last,
        org,
    ) in fetch_plain(session, _log_query(event, resolved)):
        if wanted_org is not None and organisation_key(org or "") != wanted_org:
            continue
        local = to_local(at)
        item = sessions.get(session_id) if session_id is not None else None
        action = str(getattr(action, "value", action))
        in_force = action == check_in and not undone
        key = (registration_id, day_id, scope)
        attached: tuple[Conflict, ...] = ()
        if conflicts and action == check_in and key in conflicts and (in_force or key not in in_force_keys):
            attached = tuple(conflicts[key])
        yield LogRow(
            local,
            days.get(day_id) or local.date(),
            item.key if item else None,
            item.title if item else "",
            action,
            in_force,
            note or "",
            desk or "",
            registration_id,
            code,
            title or "",
            first or "",
            last or "",
            org or "",
            attached,
        )
