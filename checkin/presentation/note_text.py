"""The facts of a check-in note in words: short phrases for lists, sentences for the desk.

The vocabulary (``NoteKind``) lives in ``checkin.domain.log_notes``; the log's note
column and a verdict's ``notes`` use it. Lists (the export's Note column, the person
dialog's history) show short phrases (``describe_notes``); the desk's verdict band
shows whole sentences (``scan_note_sentence``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from checkin.domain.log_notes import LogNote, NoteKind, parse_notes
from checkin.i18n import _


def describe_note(fact: LogNote, session_title: Callable[[str], str]) -> str:
    """One fact in words; ``session_title`` turns a session key into its title."""
    if fact.kind == NoteKind.QUEUED:  # its value is a nonce, not a session
        return _("recorded later from the desk's queue (the first attempt failed)")
    title = session_title(fact.session_key) if fact.session_key else ""
    if fact.kind == NoteKind.MOVED_TO:
        return _("moved to {session}").format(session=title)
    if fact.kind == NoteKind.MOVED_FROM:
        return _("moved from {session}").format(session=title)
    if fact.kind == NoteKind.RESTORED_FROM:
        return _("back from {session} (move undone)").format(session=title)
    if fact.kind == NoteKind.AUTO:
        return _("recorded with the scan at {session}").format(session=title)
    words: dict[str, str] = {
        NoteKind.WALK_IN: _("walk-in"),
        NoteKind.MANUAL: _("checked in by hand"),
        NoteKind.YZ_SWAPPED: _("code read with Y/Z swapped"),
        NoteKind.ORDER_CODE: _("order code scanned"),
        NoteKind.OVERRIDE: _("let in despite a refusal"),
        NoteKind.ENTRANCE_RECORDED: _("entrance recorded too"),
        NoteKind.ORDER_CODE_AMBIGUOUS: _("order code of several people"),
        NoteKind.PURGED: _("personal data deleted"),
        NoteKind.OFFLINE: _("decided without the hub"),
    }
    return words.get(fact.kind, str(fact))


def describe_notes(text: str | None, session_title: Callable[[str], str]) -> str:
    """A note column's text in words, facts separated by "; " (unknown facts kept as written)."""
    return "; ".join(w for w in (describe_note(f, session_title) for f in parse_notes(text)) if w)


def scan_note_sentence(note: str, session_titles: Mapping[str, str] | None = None) -> str:
    """A verdict's fact as a whole sentence for the desk (unknown facts kept as written)."""
    fact = parse_notes(note)[0] if note else LogNote("")
    title = (session_titles or {}).get(fact.session_key, fact.session_key)
    if fact.kind == NoteKind.MOVED_FROM:
        return _("Moved here from “{key}”.").format(key=title)
    if fact.kind == NoteKind.MOVED_TO:
        return _("Moved to “{key}”.").format(key=title)
    sentences: dict[str, str] = {
        NoteKind.YZ_SWAPPED: _("The scanner swapped Y and Z (keyboard layout); the code was read correctly."),
        NoteKind.WALK_IN: _("Registered at the desk (walk-in)."),
        NoteKind.ENTRANCE_RECORDED: _("Also recorded at the entrance."),
        NoteKind.ORDER_CODE: _("Found by the order code."),
        NoteKind.ORDER_CODE_AMBIGUOUS: _(
            "This order code belongs to several people: scan the personal code."
        ),
        NoteKind.MANUAL: _("Checked in by hand (chosen in the search)."),
        NoteKind.OVERRIDE: _("Let in despite a refusal."),
        NoteKind.PURGED: _("The personal data of this registration were deleted (data protection)."),
        NoteKind.OFFLINE: _(
            "Decided at this desk without the hub; sent to the hub when the connection is back."
        ),
    }
    return sentences.get(fact.kind, note)
