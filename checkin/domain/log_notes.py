"""The notes written into the check-in log: one vocabulary, to write them and to read them.

A log row's ``note`` is a comma-separated list of facts, each a kind and, for
some, a session key (``manual,yz_swapped``, ``moved_from:zw-bass``). The check-in
engine writes them with ``format_notes`` and reads them with ``parse_notes``;
``checkin.presentation.note_text`` says them in words for the exports, the person
dialog and the desk.

Facts a check-in row records about the scan itself: ``manual`` (chosen in the
search), ``yz_swapped`` (scanner keyboard layout), ``order_code`` (found by the order
code), ``walk_in`` (registered at the desk). Facts about moves between overlapping
sessions: ``moved_to:<key>`` (on the undo row of the old session), ``moved_from:<key>``
(on the check-in of the new one), ``restored_from:<key>`` (undoing a move put the
person back: on the renewed check-in of the old session). ``auto:<key>``: the
entrance check-in recorded by a scan at that session's door. A verdict (never the
log) may also carry ``entrance_recorded`` (this door scan recorded the entrance
too), ``order_code_ambiguous``, ``purged`` and ``offline`` (a joined desk decided without
its hub). ``queued:<nonce>``: a scan the
database did not take at first, recorded later from the desk's queue
(``checkin.domain.pending_scans``); the nonce makes sure it is recorded once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

MAX_NOTE_LENGTH = 300  # the log column's width


class NoteKind(enum.StrEnum):
    MANUAL = "manual"
    YZ_SWAPPED = "yz_swapped"
    ORDER_CODE = "order_code"
    WALK_IN = "walk_in"
    MOVED_TO = "moved_to"
    MOVED_FROM = "moved_from"
    RESTORED_FROM = "restored_from"
    AUTO = "auto"
    OVERRIDE = "override"  # let in despite a refusal (a supervisor's decision)
    QUEUED = "queued"  # its value is a nonce, not a session key
    # Facts a verdict carries that are never written to the log.
    ENTRANCE_RECORDED = "entrance_recorded"
    ORDER_CODE_AMBIGUOUS = "order_code_ambiguous"
    PURGED = "purged"
    OFFLINE = "offline"  # a joined desk decided without its hub (checkin.sync.online)


# The facts about how a person was found that a check-in row keeps.
SCAN_FACTS = frozenset(
    {NoteKind.MANUAL, NoteKind.YZ_SWAPPED, NoteKind.ORDER_CODE, NoteKind.WALK_IN, NoteKind.OVERRIDE}
)
# The kinds that name a session.
_WITH_SESSION = frozenset({NoteKind.MOVED_TO, NoteKind.MOVED_FROM, NoteKind.RESTORED_FROM, NoteKind.AUTO})
# The kinds that carry another value (in ``LogNote.session_key``'s place).
_WITH_VALUE = _WITH_SESSION | {NoteKind.QUEUED}


@dataclass(frozen=True)
class LogNote:
    """One fact of a note: its kind (a ``NoteKind`` value, or an unknown word kept as it is)
    and the session key it names, if any."""

    kind: str
    session_key: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.session_key}" if self.session_key else self.kind


def note_fact(kind: NoteKind, session_key: str = "") -> str:
    """One fact as written: ``note_fact(NoteKind.MOVED_TO, "zw-bass") == "moved_to:zw-bass"``."""
    if (kind in _WITH_VALUE) != bool(session_key):
        raise ValueError(f"note {kind!r} {'needs' if kind in _WITH_VALUE else 'takes no'} session key")
    return str(LogNote(kind.value, session_key))


def format_notes(facts: Iterable[str]) -> str:
    """The note column's text for these facts (empty ones left out, cut to the column width)."""
    return ",".join(f for f in facts if f)[:MAX_NOTE_LENGTH]


def parse_notes(text: str | None) -> tuple[LogNote, ...]:
    """The facts of a note column's text, in order."""
    facts = []
    for part in (text or "").split(","):
        kind, _sep, key = part.strip().partition(":")
        if kind:
            facts.append(LogNote(kind, key))
    return tuple(facts)


def session_keys(notes: str | Iterable[str] | None, kind: NoteKind) -> list[str]:
    """The session keys named by facts of ``kind`` (e.g. where a check-in was moved from), in a
    note column's text or in a list of facts."""
    text = notes if notes is None or isinstance(notes, str) else ",".join(notes)
    return [f.session_key for f in parse_notes(text) if f.kind == kind.value and f.session_key]
