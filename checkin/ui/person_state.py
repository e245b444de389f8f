"""A person's state on the working day in a few words: for search hits and walk-in matches."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from checkin.i18n import _
from checkin.presentation.formats import format_short_date, format_time

if TYPE_CHECKING:
    from checkin.domain.people import PersonDetails
    from checkin.ui.context import DeskContext


def checked_in_at(details: PersonDetails, day: dt.date) -> dt.datetime | None:
    """When the entrance check-in in force on ``day`` was made (None: not checked in)."""
    if not details.checked_in_on(day):
        return None
    times = [
        e.at for e in details.history if e.day == day and e.session_key is None and e.action == "check_in"
    ]
    return max(times) if times else None


def day_state(context: DeskContext, registration_id: int, day: dt.date) -> str:
    """ "checked in 09:12", "not here yet", or "not registered for today (19.09., 20.09.)"."""
    details = context.checkin.person(registration_id)
    if details.checked_in_on(day):
        at = checked_in_at(details, day)
        return (
            _("checked in {time}").format(time=format_time(at, tz=context.event.tz))
            if at
            else _("checked in")
        )
    if details.days and day not in details.days:
        days = ", ".join(format_short_date(d) for d in details.days)
        return _("not registered for today ({days})").format(days=days)
    return _("not here yet")
