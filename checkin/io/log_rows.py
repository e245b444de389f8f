"""The rows of the check-in log as exports show them: every check-in and undo, in time order,
with who it was (local, naive times), streamed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from checkin.domain.attendance import undone_condition
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


def iter_log(session: Session, event: EventInfo, resolved: ResolvedFilters) -> Iterator[LogRow]:
    """Every check-in and undo (in time order) that the filters select, streamed."""
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
        yield LogRow(
            local,
            days.get(day_id) or local.date(),
            item.key if item else None,
            item.title if item else "",
            action,
            action == check_in and not undone,
            note or "",
            desk or "",
            registration_id,
            code,
            title or "",
            first or "",
            last or "",
            org or "",
        )
