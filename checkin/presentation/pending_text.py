"""Words for a scan the database did not take (``checkin.domain.pending_scans``).

The desk shows a red "NOT recorded" with the reason in the user's language, and says
that the code is kept and tried again; the list of waiting scans says the same briefly.
"""

from __future__ import annotations

from checkin.domain.db import WriteFailure
from checkin.i18n import _


def not_recorded_headline() -> str:
    return _("NOT recorded")


def failure_text(failure: WriteFailure) -> str:
    """Why the write did not happen, as a sentence."""
    texts = {
        WriteFailure.LOCKED: _(
            "The database is busy: another program (an import?) or desk is writing to it."
        ),
        WriteFailure.DISK_FULL: _("The disk is full: the database cannot grow."),
        WriteFailure.DISK_ERROR: _("The disk refused to write (full or failing)."),
        WriteFailure.READ_ONLY: _("The database file may not be written (read-only)."),
        WriteFailure.UNREACHABLE: _("The database cannot be reached."),
        WriteFailure.OTHER: _("The database did not take the scan."),
    }
    return texts[failure]


def kept_text(durable: bool, waiting: int) -> str:
    """What happens to the scan now."""
    if durable:
        text = _("The code is kept on this computer and recorded as soon as the database takes it.")
    else:
        text = _(
            "The code is kept in memory only (the queue file cannot be written either): "
            "keep the program open until it is recorded."
        )
    if waiting > 1:
        text += " " + _("{count} scans are waiting.").format(count=waiting)
    return text


def pending_state_text(failure: WriteFailure | None) -> str:
    """The short state of a waiting scan, for the list."""
    if failure is None:
        return _("Not recorded yet, retrying")
    return _("Not recorded yet, retrying ({reason})").format(reason=short_failure_text(failure))


def short_failure_text(failure: WriteFailure) -> str:
    texts = {
        WriteFailure.LOCKED: _("database busy"),
        WriteFailure.DISK_FULL: _("disk full"),
        WriteFailure.DISK_ERROR: _("disk error"),
        WriteFailure.READ_ONLY: _("read-only"),
        WriteFailure.UNREACHABLE: _("database unreachable"),
        WriteFailure.OTHER: _("database error"),
    }
    return texts[failure]


__all__ = [
    "failure_text",
    "kept_text",
    "not_recorded_headline",
    "pending_state_text",
    "short_failure_text",
]
