"""Conflicts between desks (``checkin.domain.conflicts``) in words, for every place that shows them.

``conflict_text``: what happened, where and when ("also admitted at desk B at 10:42");
``conflict_note``: the same as a note on a check-in ("Conflict: ..."), for the export's
check-in log and the person's history; ``conflict_line``: with who and which day, for
the dashboard's list; ``conflict_count_text``: "2 conflicts".
"""

from __future__ import annotations

import datetime as dt

from checkin.domain.conflicts import Conflict
from checkin.i18n import _, ngettext
from checkin.presentation.formats import format_date, format_time


def _reason(reason: str) -> str:
    words = {
        "unknown_registration": _("the hub does not know this person"),
        "purged": _("the personal data were deleted"),
        "code_taken": _("the code is taken by another registration"),
        "invalid": _("the hub's data do not allow it"),
    }
    return words.get(reason, reason)


def conflict_text(conflict: Conflict, tz: dt.tzinfo | None = None) -> str:
    """What the conflicting fact was, at which desk and when (local time of ``tz``)."""
    desk, time = conflict.desk_name, format_time(conflict.happened_at, tz=tz)
    if conflict.kind == "log" and conflict.action == "check_in":
        if conflict.reason == "cancelled":
            return _("admitted at desk {desk} at {time} although cancelled").format(desk=desk, time=time)
        if conflict.reason == "already_checked_in":
            return _("also admitted at desk {desk} at {time}").format(desk=desk, time=time)
    if conflict.kind == "log" and conflict.action == "undo":
        return _("check-in undone at desk {desk} at {time}: not taken (not the check-in in force)").format(
            desk=desk, time=time
        )
    return _("change from desk {desk} at {time} not taken: {reason}").format(
        desk=desk, time=time, reason=_reason(conflict.reason)
    )


def conflict_note(conflict: Conflict, tz: dt.tzinfo | None = None) -> str:
    """``Conflict: also admitted at desk B at 10:42`` — beside a check-in."""
    return _("Conflict: {what}").format(what=conflict_text(conflict, tz))


def conflict_notes(conflicts: list[Conflict], tz: dt.tzinfo | None = None) -> str:
    return "; ".join(conflict_note(c, tz) for c in conflicts)


def conflict_line(conflict: Conflict, tz: dt.tzinfo | None = None) -> str:
    """Who, which day, what: one line of the dashboard's list of conflicts."""
    who = conflict.name or conflict.code or _("unknown person")
    return _("{date} · {who}: {what}").format(
        date=format_date(conflict.happened_at, tz=tz), who=who, what=conflict_text(conflict, tz)
    )


def conflict_count_text(count: int) -> str:
    return ngettext("{n} conflict", "{n} conflicts", count).format(n=count)


__all__ = ["conflict_count_text", "conflict_line", "conflict_note", "conflict_notes", "conflict_text"]
