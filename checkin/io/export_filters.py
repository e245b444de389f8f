"""What an export holds: the filters a user gives (day, session, organisation, category)
and the same filters checked against the event."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from checkin.domain.errors import UserError
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.i18n import _
from checkin.presentation.formats import format_date


class ExportError(UserError):
    """An export cannot be made as asked; the message is for the user."""


@dataclass(frozen=True)
class ExportFilters:
    """Which registrations (and log rows) an export holds; ``None`` means no restriction.

    ``day``: registered for that day or present that day (log: that day only).
    ``session_key``: registered for that session or attended it (log: that session only).
    ``organisation``: exact organisation name, ignoring case and surrounding spaces.
    ``category_key``: the category's key from the event file (e.g. ``speaker``).
    """

    day: dt.date | None = None
    session_key: str | None = None
    organisation: str | None = None
    category_key: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == ExportFilters()


@dataclass(frozen=True)
class ResolvedFilters:
    """Filters checked against the event: ids instead of keys."""

    day: DayInfo | None
    session: SessionInfo | None
    organisation_key: str | None
    category_id: int | None

    def days(self, event: EventInfo) -> tuple[DayInfo, ...]:
        return (self.day,) if self.day else event.days

    def sessions(self, event: EventInfo) -> tuple[SessionInfo, ...]:
        if self.session:
            return (self.session,)
        if self.day:
            return tuple(s for s in event.sessions if s.day_id == self.day.id)
        return event.sessions


def organisation_key(name: str) -> str:
    """The form two spellings of one organisation share: case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def resolve_filters(event: EventInfo, filters: ExportFilters) -> ResolvedFilters:
    """Check ``filters`` against the event; unknown days, sessions or categories are refused."""
    day = None
    if filters.day is not None:
        day = event.day_by_date(filters.day)
        if day is None:
            raise ExportError(
                _("{date} is not a day of this event; its days are {days}.").format(
                    date=format_date(filters.day),
                    days=", ".join(format_date(d.date) for d in event.days),
                )
            )
    session = None
    if filters.session_key:
        session = event.session_by_key(filters.session_key)
        if session is None:
            raise ExportError(
                _("There is no session '{key}' in this event; its sessions are: {keys}.").format(
                    key=filters.session_key, keys=", ".join(s.key for s in event.sessions)
                )
            )
    category_id = None
    if filters.category_key:
        category = event.category_by_key(filters.category_key)
        if category is None:
            raise ExportError(
                _("There is no category '{key}' in this event; its categories are: {keys}.").format(
                    key=filters.category_key, keys=", ".join(c.key for c in event.categories)
                )
            )
        category_id = category.id
    org = organisation_key(filters.organisation) if filters.organisation is not None else None
    return ResolvedFilters(day=day, session=session, organisation_key=org, category_id=category_id)
