"""pretix's reasons for a refused check-in (and the sync's conflict reasons) in the desk's words.

A verdict decided by pretix carries ``pretix:<reason>`` in its notes; ``verdict_text`` adds the
sentence from here, so the desk says *why* pretix refused (unpaid is not cancelled).
"""

from __future__ import annotations

from checkin.i18n import _

HUB_NOTE_PREFIX = "pretix:"


def hub_reason_text(reason: str | None) -> str:
    """pretix's reason as a sentence for the desk (pretix's own code for anything unknown)."""
    texts = {
        "already_redeemed": _("pretix: this ticket has already been used."),
        "canceled": _("pretix: the order was cancelled."),
        "revoked": _("pretix: this ticket code was replaced by a new one."),
        "blocked": _("pretix: this ticket is blocked."),
        "annulled": _("pretix: this check-in was annulled."),
        "unpaid": _("pretix: the order is not paid."),
        "unapproved": _("pretix: the order is not approved yet."),
        "invalid": _("pretix: this code is not a ticket of the event."),
        "ambiguous": _("pretix: this code fits several tickets."),
        "product": _("pretix: this ticket's product is not admitted on this check-in list."),
        "rules": _("pretix: the check-in list's rules do not admit this ticket now."),
        "invalid_time": _("pretix: this ticket is not valid at this time."),
        "incomplete": _("pretix: questions must be answered before the check-in."),
        "attention": _("pretix: this ticket needs special attention."),
        "annul_refused": _("pretix kept the check-in: it annuls only within 15 minutes."),
    }
    return texts.get(reason or "", _("pretix refused the check-in ({reason}).").format(reason=reason or "?"))


def hub_reason_texts(notes: tuple[str, ...]) -> list[str]:
    """The sentences for a verdict's ``pretix:<reason>`` notes."""
    return [hub_reason_text(n[len(HUB_NOTE_PREFIX) :]) for n in notes if n.startswith(HUB_NOTE_PREFIX)]


__all__ = ["HUB_NOTE_PREFIX", "hub_reason_text", "hub_reason_texts"]
