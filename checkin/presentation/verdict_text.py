"""Sentences for check-in results, in the current UI language.

The domain says what happened (``ScanVerdict``, ``UndoResult``: a kind and its
values); this module says it in words, for the desk's verdict band, the door,
the CLI and anything else that shows a verdict. Call it when the text is shown,
so a language switch after the scan is honoured.
"""

from __future__ import annotations

from checkin.domain.log_notes import NoteKind
from checkin.domain.verdicts import (
    NotRegisteredReason,
    ScanVerdict,
    Severity,
    UndoResult,
    UnknownReason,
    VerdictKind,
)
from checkin.i18n import _
from checkin.presentation.formats import format_date, format_time
from checkin.presentation.hub_reasons import hub_reason_texts


def _unknown_text(verdict: ScanVerdict) -> str:
    reason = verdict.unknown_reason
    if reason is UnknownReason.NOTHING_READABLE:
        return _("Nothing readable was scanned.")
    if reason is UnknownReason.ORDER_AMBIGUOUS:
        return _("Order {code} holds {count} tickets: scan the ticket itself or search for the name.").format(
            code=verdict.code, count=verdict.ticket_count
        )
    if reason is UnknownReason.DATA_DELETED:
        return _("The personal data of this registration was deleted.")
    return _("Unknown code {code}.").format(code=verdict.code)


def _headline(verdict: ScanVerdict) -> str:
    """The sentence for the verdict's kind (without the remarks ``verdict_text`` adds)."""
    name = verdict.person.display_name if verdict.person else ""
    session = verdict.session_title or verdict.session_key or ""
    kind = verdict.kind
    if kind is VerdictKind.UNKNOWN:
        return _unknown_text(verdict)
    if kind is VerdictKind.INVALID:
        return _("Invalid code {code}: it was not issued for this event (mistyped or forged).").format(
            code=verdict.code
        )
    if kind is VerdictKind.CANCELLED:
        return _("Registration cancelled: {name}.").format(name=name)
    if kind is VerdictKind.UNPAID:
        return _("Not paid: {name}.").format(name=name)
    if kind is VerdictKind.NOT_REGISTERED_TODAY:
        if verdict.not_registered_reason is NotRegisteredReason.NO_DAY_TICKED:
            return _(
                "{name} is not registered for today: the registration list ticked no day for this person."
            ).format(name=name)
        day = format_date(verdict.day) if verdict.day else ""
        return _("{name} is not registered for {day}.").format(name=name, day=day)
    if kind is VerdictKind.ALREADY_CHECKED_IN:
        time = format_time(verdict.first_checkin_at) if verdict.first_checkin_at else ""
        if verdict.first_checkin_desk:
            return _("Already checked in at {time} (desk {desk}): {name}.").format(
                time=time, desk=verdict.first_checkin_desk, name=name
            )
        return _("Already checked in at {time}: {name}.").format(time=time, name=name)
    if kind is VerdictKind.SESSION_FULL:
        return _("{session} is full ({attended} of {capacity} places taken): {name}.").format(
            session=session, attended=verdict.attended, capacity=verdict.capacity, name=name
        )
    if kind is VerdictKind.NOT_REGISTERED_FOR_SESSION:
        if verdict.admitted:
            return _("Admitted, but {name} is not registered for {session}.").format(
                name=name, session=session
            )
        return _("{name} is not registered for {session}.").format(name=name, session=session)
    if kind is VerdictKind.REGISTERED:
        return _("Registered: {name}.").format(name=name)
    if verdict.session_key is None:
        return _("Checked in: {name}.").format(name=name)
    return _("Checked in to {session}: {name}.").format(session=session, name=name)


def verdict_text(verdict: ScanVerdict) -> str:
    """The whole sentence the desk shows for a verdict (with a move and a Y/Z swap remarked on)."""
    parts = [queue_text(verdict)]
    # Remarked on when the scan checked someone in (the scanner needs fixing before the next one).
    newly_in = verdict.admitted and verdict.kind is not VerdictKind.ALREADY_CHECKED_IN
    if verdict.yz_swapped and newly_in:
        parts.append(_("The code was read with Y and Z swapped: check the scanner's keyboard layout."))
    if NoteKind.OFFLINE in verdict.notes:  # a joined desk decided without its hub
        parts.append(_("(decided offline)"))
    return " ".join(parts)


def queue_text(verdict: ScanVerdict) -> str:
    """The desk's sentence for the people in the queue (a second screen): without the remarks
    meant for staff (the scanner's keyboard layout)."""
    parts = [_headline(verdict), *hub_reason_texts(verdict.notes)]
    parts.extend(_("Moved here from {session}.").format(session=title) for title in verdict.moved_from_titles)
    return " ".join(parts)


def undo_text(result: UndoResult) -> str:
    """The sentence for an undo: what was annulled, and where a move put the person back."""
    name = result.person.display_name if result.person else str(result.registration_id)
    session = result.session_title or result.session_key
    if not result.undone:
        if session:
            return _("{name} is not checked in to {session}; nothing to undo.").format(
                name=name, session=session
            )
        return _("{name} is not checked in; nothing to undo.").format(name=name)
    if session:
        text = _("Check-in to {session} undone: {name}.").format(session=session, name=name)
    else:
        text = _("Check-in undone: {name}.").format(name=name)
    if result.restored_title:
        text = f"{text} {_('Back in {session}.').format(session=result.restored_title)}"
    return text


__all__ = ["queue_text", "undo_text", "verdict_text"]


SEVERITY_SYMBOLS = {Severity.OK: "✓", Severity.WARNING: "!", Severity.REFUSED: "✕"}


def short_verdict_text(verdict: ScanVerdict) -> str:
    """A symbol and a few words for the list of recent scans (the band shows the whole sentence)."""
    texts = {
        VerdictKind.CHECKED_IN: _("Checked in"),
        VerdictKind.ALREADY_CHECKED_IN: _("Already checked in"),
        VerdictKind.UNKNOWN: _("Unknown code"),
        VerdictKind.INVALID: _("Invalid code"),
        VerdictKind.CANCELLED: _("Cancelled"),
        VerdictKind.UNPAID: _("Not paid"),
        VerdictKind.NOT_REGISTERED_TODAY: _("Not registered today"),
        VerdictKind.SESSION_FULL: _("Session full"),
        VerdictKind.NOT_REGISTERED_FOR_SESSION: _("Admitted, not registered"),
        VerdictKind.REGISTERED: _("Registered"),
    }
    text = f"{SEVERITY_SYMBOLS[verdict.severity]}  {texts.get(verdict.kind, verdict.kind.value)}"
    return f"{text}  ·  {_('offline')}" if NoteKind.OFFLINE in verdict.notes else text
