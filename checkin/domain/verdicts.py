"""What a scan, a manual check-in or an undo results in: facts, never sentences.

Results carry a kind and the values a sentence needs (names, days, times, the
session, the desk, counts); ``checkin.presentation.verdict_text`` writes the
sentence in the chosen language. Each result also says what it changed
(``changes``), so that the window can tell its views.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from checkin.domain.changes import Changes
from checkin.domain.names import display_name


class VerdictKind(enum.StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN = "unknown"
    INVALID = "invalid"
    CANCELLED = "cancelled"
    UNPAID = "unpaid"  # the registration is not paid (yet)
    NOT_REGISTERED_TODAY = "not_registered_today"
    SESSION_FULL = "session_full"
    NOT_REGISTERED_FOR_SESSION = "not_registered_for_session"
    # A walk-in registered without checking in (nothing was scanned).
    REGISTERED = "registered"


class UnknownReason(enum.StrEnum):
    """Why a scan found no one (``VerdictKind.UNKNOWN``)."""

    NOTHING_READABLE = "nothing_readable"  # no code in what was scanned
    NO_SUCH_CODE = "no_such_code"
    ORDER_AMBIGUOUS = "order_ambiguous"  # an order code holding several tickets
    DATA_DELETED = "data_deleted"  # the registration's personal data was purged


class NotRegisteredReason(enum.StrEnum):
    """Why a person is not registered for the day (``VerdictKind.NOT_REGISTERED_TODAY``)."""

    OTHER_DAYS = "other_days"  # registered for other days of the event
    NO_DAY_TICKED = "no_day_ticked"  # the registration list ticked no day for this person


class Severity(enum.StrEnum):
    """How the screen colours the verdict: green, amber, red."""

    OK = "ok"
    WARNING = "warning"
    REFUSED = "refused"


@dataclass(frozen=True)
class PersonSummary:
    """What the desk shows about a person (no live ORM object).

    ``changes`` is what the write that returned this summary changed (an edit, a
    cancellation); it is empty for a summary that was only read, and is not part
    of the summary's equality.
    """

    registration_id: int
    code: str
    title: str
    first_name: str
    last_name: str
    organisation: str
    function: str
    email: str
    category_key: str
    category_name: str
    category_colour: str
    status: str
    workshops: tuple[str, ...] = ()
    changes: Changes = field(default_factory=Changes, compare=False, repr=False)

    @property
    def display_name(self) -> str:
        return display_name(self.title, self.first_name, self.last_name)


@dataclass(frozen=True)
class ScanVerdict:
    """The outcome of a scan or a manual check-in, as facts.

    ``session_title`` names the session door (None at the entrance);
    ``first_checkin_at`` is the check-in already in force, in the event's time zone;
    ``attended``/``capacity`` are the session's figures when it was full;
    ``moved_from_titles`` the overlapping sessions the person was moved out of;
    ``ticket_count`` the tickets of an ambiguous order code.
    """

    kind: VerdictKind
    severity: Severity
    admitted: bool
    code: str  # the code as cleaned (empty for garbage input)
    person: PersonSummary | None = None
    day: dt.date | None = None
    session_key: str | None = None
    first_checkin_at: dt.datetime | None = None
    first_checkin_desk: str | None = None
    # Extra facts for staff: "yz_swapped", "moved_from:<key>", "walk_in", ...
    notes: tuple[str, ...] = field(default_factory=tuple)
    session_title: str | None = None
    unknown_reason: UnknownReason | None = None
    not_registered_reason: NotRegisteredReason | None = None
    attended: int | None = None
    capacity: int | None = None
    moved_from_titles: tuple[str, ...] = ()
    ticket_count: int | None = None
    changes: Changes = field(default_factory=Changes)

    @property
    def yz_swapped(self) -> bool:
        """The code was read with Y and Z swapped (a scanner on the wrong keyboard layout)."""
        return "yz_swapped" in self.notes


@dataclass(frozen=True)
class UndoResult:
    """What an undo did (``undone`` False: nothing was in force, nothing changed)."""

    undone: bool
    registration_id: int
    person: PersonSummary | None
    day: dt.date
    session_key: str | None
    checked_in_at: dt.datetime | None = None  # the check-in that was annulled
    checked_in_desk: str | None = None
    # "restored:<key>" when undoing a move put the person back into the old session.
    notes: tuple[str, ...] = ()
    session_title: str | None = None
    restored_title: str | None = None  # the session the person is back in
    changes: Changes = field(default_factory=Changes)


__all__ = [
    "NotRegisteredReason",
    "PersonSummary",
    "ScanVerdict",
    "Severity",
    "UndoResult",
    "UnknownReason",
    "VerdictKind",
]
