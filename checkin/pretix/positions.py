"""One pretix order position → the values of one registration (pure; no database).

pretix's orders (``/orders/``) carry their status, e-mail, invoice address and positions; a
position carries the product, variation, attendee name parts, company, e-mail, the ticket secret
(what its QR code holds), the answers and, for add-ons, the position it belongs to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checkin.domain.models import RegistrationStatus
from checkin.domain.names import clean_name_parts, clean_text, split_full_name
from checkin.pretix.mapping import MappingRow

# pretix's order statuses: n pending (not paid), p paid, e expired, c canceled.
ORDER_PAID, ORDER_PENDING, ORDER_EXPIRED, ORDER_CANCELED = "p", "n", "e", "c"


@dataclass(frozen=True)
class PositionValues:
    """What a registration holds of one position; ``session_keys`` from answers and add-ons."""

    position_id: int
    code: str
    order_code: str
    title: str
    first_name: str
    last_name: str
    organisation: str
    email: str
    category_key: str
    days: tuple[dt.date, ...] | None  # None: every day of the event
    session_keys: tuple[str, ...]
    cancelled: bool
    pretix_status: str  # "paid", "pending", "pending_approval", "expired", "canceled", "position_canceled"
    product: str
    extra: dict[str, Any] = field(default_factory=dict)
    # A pending order the check-in list does not admit, or one waiting for the organizer's approval.
    unpaid: bool = False

    @property
    def status(self) -> RegistrationStatus:
        """The local registration's status: cancelled, unpaid (refused until paid) or active."""
        if self.cancelled:
            return RegistrationStatus.CANCELLED
        return RegistrationStatus.UNPAID if self.unpaid else RegistrationStatus.ACTIVE


@dataclass(frozen=True)
class Skipped:
    """A position that is not a person: an add-on or product that admits nobody (listed, not lost)."""

    position_id: int
    order_code: str
    product: str
    reason: str  # "not_admission", "unmapped_product"
    session_key: str | None = None  # an add-on that stands for a session
    parent_position_id: int | None = None


_STATUS_WORDS = {
    ORDER_PAID: "paid",
    ORDER_PENDING: "pending",
    ORDER_EXPIRED: "expired",
    ORDER_CANCELED: "canceled",
}


def _name(parts: Any, full: Any) -> tuple[str, str, str]:
    if isinstance(parts, dict) and any(k for k in parts if not k.startswith("_") and parts.get(k)):
        given = clean_text(parts.get("given_name") or parts.get("calling_name") or "")
        family = clean_text(parts.get("family_name") or "")
        title = clean_text(parts.get("title") or "")
        if not given and not family and parts.get("full_name"):
            person = split_full_name(str(parts["full_name"]))
            return person.title, person.first_name, person.last_name
        person = clean_name_parts(title, given, family)
        return person.title, person.first_name, person.last_name
    if isinstance(full, str) and full.strip():
        person = split_full_name(full)
        return person.title, person.first_name, person.last_name
    return "", "", ""


def _days(row: MappingRow | None) -> tuple[dt.date, ...] | None:
    if row is None or row.target_kind != "days" or not row.target:
        return None
    return tuple(dt.date.fromisoformat(text) for text in row.target.split(",") if text)


def position_values(
    order: Mapping[str, Any],
    position: Mapping[str, Any],
    mapping: Mapping[tuple[str, int], MappingRow],
    *,
    include_pending: bool,
    default_category: str,
) -> PositionValues | Skipped:
    """The registration a position becomes, or why it is none (``Skipped``)."""
    order_code = str(order.get("code") or "")
    item_id = int(position.get("item") or 0)
    variation_id = position.get("variation")
    item_row = mapping.get(("item", item_id))
    product = item_row.label if item_row else str(item_id)
    if item_row is None or item_row.target_kind in ("ignore", "session", "unmapped"):
        parent = position.get("addon_to")
        return Skipped(
            position_id=int(position["id"]),
            order_code=order_code,
            product=product,
            reason="unmapped_product"
            if item_row is None or item_row.target_kind == "unmapped"
            else "not_admission",
            session_key=item_row.target if item_row and item_row.target_kind == "session" else None,
            parent_position_id=int(parent) if isinstance(parent, int) else None,
        )
    category = item_row.target or default_category
    days = _days(mapping.get(("item_days", item_id)))
    if isinstance(variation_id, int):
        variation_row = mapping.get(("variation", variation_id))
        if variation_row is not None:
            product = variation_row.label
            if variation_row.target_kind == "category" and variation_row.target:
                category = variation_row.target
        var_days = mapping.get(("var_days", variation_id))
        if var_days is not None and var_days.target_kind == "days":
            days = _days(var_days)
    sessions: list[str] = []
    for answer in position.get("answers") or []:
        if not isinstance(answer, dict):
            continue
        question = mapping.get(("question", int(answer.get("question") or 0)))
        if question is None or question.target_kind != "workshops":
            continue
        for option_id in answer.get("options") or []:
            option = mapping.get(("option", int(option_id)))
            if option is not None and option.target_kind == "session" and option.target not in sessions:
                sessions.append(option.target)
    title, first, last = _name(position.get("attendee_name_parts"), position.get("attendee_name"))
    invoice_value = order.get("invoice_address")
    invoice: Mapping[str, Any] = invoice_value if isinstance(invoice_value, dict) else {}
    if not first and not last and invoice:
        title, first, last = _name(invoice.get("name_parts"), invoice.get("name"))
    status = str(order.get("status") or "")
    words = _STATUS_WORDS.get(status, status)
    # pretix admits a pending order only where the check-in list includes pending ones, and one
    # waiting for approval nowhere ("unapproved"): locally both are "unpaid", refused until paid or
    # let in by staff (a paid order arrives with the next download and is active again).
    approval = status == ORDER_PENDING and bool(order.get("require_approval"))
    if approval:
        words = "pending_approval"
    if position.get("canceled"):
        words = "position_canceled"
    cancelled = words in ("canceled", "expired", "position_canceled")
    unpaid = not cancelled and status == ORDER_PENDING and (approval or not include_pending)
    return PositionValues(
        position_id=int(position["id"]),
        code=str(position.get("secret") or ""),
        order_code=order_code,
        title=title[:100],
        first_name=first[:200],
        last_name=last[:200],
        organisation=clean_text(position.get("company") or invoice.get("company") or "")[:500],
        email=clean_text(position.get("attendee_email") or order.get("email") or "")[:320],
        category_key=category,
        days=days,
        session_keys=tuple(sessions),
        cancelled=cancelled,
        unpaid=unpaid,
        pretix_status=words,
        product=product,
        extra={"pretix_position": int(position["id"]), "pretix_status": words, "pretix_product": product},
    )
