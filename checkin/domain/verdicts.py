"""What a scan (or a manual check-in) results in: plain data the screen shows."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from checkin.domain.names import display_name
from checkin.i18n import N_, translate


class VerdictKind(enum.StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN = "unknown"
    INVALID = "invalid"
    CANCELLED = "cancelled"
    NOT_REGISTERED_TODAY = "not_registered_today"
    SESSION_FULL = "session_full"
    NOT_REGISTERED_FOR_SESSION = "not_registered_for_session"
    # A walk-in registered without checking in (nothing was scanned).
    REGISTERED = "registered"


class Severity(enum.StrEnum):
    """How the screen colours the verdict: green, amber, red."""

    OK = "ok"
    WARNING = "warning"
    REFUSED = "refused"


@dataclass(frozen=True)
class PersonSummary:
    """What the desk shows about a person (no live ORM object)."""

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

    @property
    def display_name(self) -> str:
        return display_name(self.title, self.first_name, self.last_name)


@dataclass(frozen=True)
class ScanVerdict:
    kind: VerdictKind
    severity: Severity
    admitted: bool
    message: str  # in the current UI language
    message_de: str
    message_en: str
    code: str  # the code as cleaned (empty for garbage input)
    person: PersonSummary | None = None
    day: dt.date | None = None
    session_key: str | None = None
    first_checkin_at: dt.datetime | None = None
    first_checkin_desk: str | None = None
    # Extra facts for staff: "yz_swapped", "moved_from:<key>", "walk_in", ...
    notes: tuple[str, ...] = field(default_factory=tuple)


def bilingual(message: str) -> tuple[str, str]:
    """(German, English) of a source (English) message."""
    return translate(message, "de"), message


__all__ = ["N_", "PersonSummary", "ScanVerdict", "Severity", "VerdictKind", "bilingual"]
