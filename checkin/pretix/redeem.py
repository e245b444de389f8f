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
from checkin.presentation.hub_reasons import hub_reason_text
from checkin.pretix.client import PretixClient

# pretix's reasons (pretix.base.models.Checkin.REASON_*) → the desk's verdict kinds.
REASON_KINDS: dict[str, VerdictKind] = {
    "already_redeemed": VerdictKind.ALREADY_CHECKED_IN,
    "canceled": VerdictKind.CANCELLED,
    "revoked": VerdictKind.CANCELLED,
    "blocked": VerdictKind.CANCELLED,
    "annulled": VerdictKind.CANCELLED,
    "unpaid": VerdictKind.UNPAID,
    "unapproved": VerdictKind.UNPAID,
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
    position_secret: str | None = None
    # The latest entry on the list pretix knows for the ticket (the one in force when refused as used).
    last_entry_at: dt.datetime | None = None

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
    return hub_reason_text(reason)


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
        position_secret=position.get("secret") if isinstance(position.get("secret"), str) else None,
        last_entry_at=_last_entry(position.get("checkins"), list_id),
    )


def _last_entry(checkins: Any, list_id: int) -> dt.datetime | None:
    moments: list[dt.datetime] = []
    for entry in checkins if isinstance(checkins, list) else []:
        if not isinstance(entry, dict) or entry.get("list") != list_id or entry.get("type") != "entry":
            continue
        try:
            moments.append(dt.datetime.fromisoformat(str(entry.get("datetime")).replace("Z", "+00:00")))
        except ValueError:
            continue
    return max(moments) if moments else None


@dataclass(frozen=True)
class AnnulAnswer:
    """pretix's answer to an annulment: ``ok``, or why not (``not_found``, ``refused`` with its words)."""

    status: str
    detail: str = ""

    @property
    def annulled(self) -> bool:
        return self.status == "ok"


def annul(
    client: PretixClient,
    organizer: str,
    *,
    list_id: int,
    nonce: str,
    happened_at: dt.datetime,
    timeout: float | None = None,
) -> AnnulAnswer:
    """Annul the check-in pretix recorded with ``nonce`` (``checkinrpc/annul``, pretix 2024.1 and later).

    pretix refuses an annulment more than 15 minutes after the check-in (measured by the moment sent)
    and one of a check-in it does not have (404); both come back as answers, not as errors.
    """
    status, _headers, answer = client.exchange(
        "POST",
        client.api_url(f"organizers/{organizer}/checkinrpc/annul/"),
        body={
            "lists": [list_id],
            "nonce": nonce,
            "datetime": happened_at.astimezone(dt.UTC).isoformat(),
        },
        timeout=timeout,
        accept=(400, 404),
    )
    if status == 404:
        return AnnulAnswer("not_found", _detail(answer))
    if status >= 400:
        return AnnulAnswer("refused", _detail(answer))
    return AnnulAnswer("ok")


def _detail(answer: Any) -> str:
    if isinstance(answer, list) and answer:
        return str(answer[0])[:200]
    if isinstance(answer, dict):
        for key in ("detail", "non_field_errors"):
            value = answer.get(key)
            if isinstance(value, list) and value:
                return str(value[0])[:200]
            if isinstance(value, str):
                return value[:200]
    return ""


def print_nonces(client: PretixClient, event_path: str, position_id: int) -> set[str]:
    """The nonces of the print log entries checkin already sent for a position (to send each once)."""
    answer = client.get(f"{event_path}orderpositions/{position_id}/")
    logs = answer.get("print_logs") if isinstance(answer, dict) else None
    found: set[str] = set()
    for entry in logs if isinstance(logs, list) else []:
        info = entry.get("info") if isinstance(entry, dict) else None
        if isinstance(info, dict) and isinstance(info.get("nonce"), str):
            found.add(info["nonce"])
    return found


def log_print(
    client: PretixClient,
    event_path: str,
    position_id: int,
    *,
    nonce: str,
    happened_at: dt.datetime,
    layout: str,
) -> None:
    """Add a badge print to pretix's print log of the position (``POST .../printlog/``)."""
    client.post(
        f"{event_path}orderpositions/{position_id}/printlog/",
        {
            "source": "checkin",
            "type": "badge",
            "datetime": happened_at.astimezone(dt.UTC).isoformat(),
            "info": {"nonce": nonce, "layout": layout},
        },
    )
