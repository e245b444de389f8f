"""What the self-check-in kiosk says to an attendee: plain words, in German and English at once.

The staff desk's sentences (``verdict_text``) name codes, desks and other people's
business; the kiosk says only what the person in front of it needs: welcome and take
your badge, or a short reason and "please go to the staffed desk". A refusal never
names anyone (whoever typed a booking number learns nothing about its owner).

Texts are marked with ``N_`` and returned untranslated: the kiosk shows each one in
both languages (``both``).
"""

from __future__ import annotations

from dataclasses import dataclass

from checkin.domain.verdicts import ScanVerdict, Severity, UnknownReason, VerdictKind
from checkin.i18n import N_, translate

KIOSK_LANGUAGES = ("de", "en")
GO_TO_DESK = N_("Please go to the staffed desk.")


@dataclass(frozen=True)
class KioskMessage:
    """One result screen: colour, headline and detail (untranslated), whether a badge prints.

    ``name`` fills the headline's ``{name}`` (only when the person was checked in).
    """

    severity: Severity
    headline: str
    detail: str
    name: str = ""
    prints_badge: bool = False


def both(message: str, **values: object) -> tuple[str, ...]:
    """``message`` in each kiosk language (German first), with ``values`` filled in."""
    return tuple(translate(message, language).format(**values) for language in KIOSK_LANGUAGES)


def _refusal(headline: str, detail: str = GO_TO_DESK, severity: Severity = Severity.REFUSED) -> KioskMessage:
    return KioskMessage(severity, headline, detail)


def kiosk_message(verdict: ScanVerdict) -> KioskMessage:
    """The kiosk's answer to a check-in at the entrance."""
    kind = verdict.kind
    if verdict.admitted and kind is VerdictKind.CHECKED_IN and verdict.person is not None:
        return KioskMessage(
            Severity.OK,
            N_("Welcome, {name}!"),
            N_("You are checked in. Your badge is being printed: please take your badge."),
            name=verdict.person.display_name,
            prints_badge=True,
        )
    if kind is VerdictKind.ALREADY_CHECKED_IN:
        return _refusal(
            N_("You are already checked in."),
            N_("If you need a new badge, please go to the staffed desk."),
            Severity.WARNING,
        )
    if kind is VerdictKind.UNKNOWN and verdict.unknown_reason is UnknownReason.ORDER_AMBIGUOUS:
        return _refusal(
            N_("This booking number holds several tickets."),
            N_("Please scan your personal ticket, or go to the staffed desk."),
            Severity.WARNING,
        )
    if kind is VerdictKind.UNKNOWN and verdict.unknown_reason is UnknownReason.DATA_DELETED:
        return _refusal(N_("We cannot check you in here."))
    if kind in (VerdictKind.UNKNOWN, VerdictKind.INVALID):
        return _refusal(
            N_("We could not find this code."),
            N_("Please check the number, or go to the staffed desk."),
        )
    if kind is VerdictKind.CANCELLED:
        return _refusal(N_("This registration is not valid."))
    if kind is VerdictKind.UNPAID:
        return _refusal(N_("Your registration is not paid yet."))
    if kind is VerdictKind.NOT_REGISTERED_TODAY:
        return _refusal(N_("Your registration is not for today."))
    return _refusal(N_("We cannot check you in here."))


def kiosk_failure() -> KioskMessage:
    """The check-in itself could not be made (the database did not answer...)."""
    return _refusal(N_("Something went wrong."))


def kiosk_print_failure() -> KioskMessage:
    """Checked in, but the badge did not print."""
    return KioskMessage(
        Severity.WARNING,
        N_("Your badge could not be printed."),
        N_("You are checked in. Please collect your badge at the staffed desk."),
    )


__all__ = ["KioskMessage", "both", "kiosk_failure", "kiosk_message", "kiosk_print_failure"]
