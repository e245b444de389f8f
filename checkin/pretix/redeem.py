"""A scan answered by pretix itself: ``checkinrpc/redeem`` with a nonce and the moment it happened.

pretix decides and records the check-in; its answer (``ok``, or ``error`` with a reason such as
``canceled``, ``unpaid``, ``product``, ``already_redeemed``) is mapped to the desk's verdict kinds,
and its reason to words (``reason_text``). The nonce makes a retried upload safe: pretix answers the
same nonce with ``ok`` again and records one check-in. A scan made while offline is uploaded with
``force`` and its own time; pretix then records it even where it would refuse it now and marks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from checkin.domain.verdicts import Severity, VerdictKind
from checkin.i18n import _
from checkin.pretix.client import PretixClient

# pretix's reasons (pretix.base.models.Checkin.REASON_*) → the desk's verdict kinds.
REASON_KINDS: dict[str, VerdictKind] = {
    "already_redeemed": VerdictKind.ALREADY_CHECKED_IN,
    "canceled": VerdictKind.CANCELLED,
    "revoked": VerdictKind.CANCELLED,
    "blocked": VerdictKind.CANCELLED,
    "annulled": VerdictKind.CANCELLED,
    "unpaid": VerdictKind.CANCELLED,
    "unapproved": VerdictKind.CANCELLED,
    "invalid": VerdictKind.UNKNOWN,
    "ambiguous": VerdictKind.UNKNOWN,
    "product": VerdictKind.NOT_REGISTERED_TODAY,
    "rules": VerdictKind.NOT_REGISTERED_TODAY,
    "invalid_time": VerdictKind.NOT_REGISTERED_TODAY,
}


@dataclass(frozen=True)
class RedeemAnswer:
    """pretix's decision on one scan, as facts."""

    status: str  # "ok", "error", "incomplete" (questions to ask first), ...
    reason: str | None
    explanation: str  # pretix's own words, if it gave any (in the event's language)
    position_id: int | None
    order_code: str | None
    attendee_name: str
    require_attention: bool

    @property
    def admitted(self) -> bool:
        return self.status == "ok"

    @property
    def kind(self) -> VerdictKind:
        if self.admitted:
            return VerdictKind.CHECKED_IN
        return REASON_KINDS.get(self.reason or "", VerdictKind.INVALID)

    @property
    def severity(self) -> Severity:
        if self.admitted:
            return Severity.WARNING if self.require_attention else Severity.OK
        return Severity.WARNING if self.kind == VerdictKind.ALREADY_CHECKED_IN else Severity.REFUSED


def reason_text(reason: str | None) -> str:
    """pretix's reason as a sentence for the desk (pretix's own wording for anything unknown)."""
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
    }
    return texts.get(reason or "", _("pretix refused the check-in ({reason}).").format(reason=reason or "?"))


def redeem(
    client: PretixClient,
    organizer: str,
    *,
    secret: str,
    list_id: int,
    nonce: str,
    happened_at: dt.datetime,
    force: bool = False,
    kind: str = "entry",
    timeout: float | None = None,
) -> RedeemAnswer:
    """Ask pretix to check ``secret`` in on ``list_id``; raises ``PretixError`` when it cannot be asked."""
    answer = client.request(
        "POST",
        client.api_url(f"organizers/{organizer}/checkinrpc/redeem/"),
        body={
            "secret": secret,
            "lists": [list_id],
            "nonce": nonce,
            "type": kind,
            "datetime": happened_at.astimezone(dt.UTC).isoformat(),
            "force": force,
            "questions_supported": False,
        },
        timeout=timeout,
        accept=(400, 404),
    )
    data = answer if isinstance(answer, dict) else {}
    position_value = data.get("position")
    position: dict[str, Any] = position_value if isinstance(position_value, dict) else {}
    return RedeemAnswer(
        status=str(data.get("status") or "error"),
        reason=data.get("reason")
        if isinstance(data.get("reason"), str)
        else ("incomplete" if data.get("status") == "incomplete" else None),
        explanation=str(data.get("reason_explanation") or ""),
        position_id=position.get("id") if isinstance(position.get("id"), int) else None,
        order_code=position.get("order") if isinstance(position.get("order"), str) else None,
        attendee_name=str(position.get("attendee_name") or ""),
        require_attention=bool(data.get("require_attention")),
    )
