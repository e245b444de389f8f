"""The supervisor PIN: a salted hash to keep, a check, and an audit row for every use.

Some steps at a desk need a supervisor (overriding a refusal, undoing an old check-in,
the settings, export, purge, switching the event). Their PIN is kept only as a salted
scrypt hash (``hash_pin``); ``verify_pin`` compares in constant time. Every use is
written to the event's audit log with the desk and the moment (``record_use``), so an
organiser can see later who let whom in. Without a PIN set nothing is asked.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from typing import Any

from checkin.domain.db import Database
from checkin.domain.models import AuditEntry

# scrypt's cost: ~50 ms here, far too slow to try all 4-to-8-digit PINs from a stolen ini file quickly.
_N, _R, _P = 2**14, 8, 1
_SCHEME = "scrypt"
MIN_PIN_LENGTH = 4
AUDIT_ACTION = "supervisor"


class SupervisedStep(enum.StrEnum):
    """What a supervisor allowed (kept in the audit row)."""

    OVERRIDE_REFUSAL = "override_refusal"
    OLD_UNDO = "old_undo"
    CANCELLED_BADGE = "cancelled_badge"
    SETTINGS = "settings"
    EXPORT = "export"
    PURGE = "purge"
    SWITCH_EVENT = "switch_event"
    CHANGE_PIN = "change_pin"


def _derive(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)


def hash_pin(pin: str) -> str:
    """The PIN as ``scrypt$n$r$p$salt$hash`` (hex): what the settings keep, never the PIN."""
    if len(pin) < MIN_PIN_LENGTH:
        raise ValueError(f"a PIN has at least {MIN_PIN_LENGTH} characters")
    salt = secrets.token_bytes(16)
    return f"{_SCHEME}${_N}${_R}${_P}${salt.hex()}${_derive(pin, salt).hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` is the one ``stored`` was made from (False for anything malformed)."""
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != _SCHEME:
            return False
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(hash_hex)
        actual = hashlib.scrypt(
            pin.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def record_use(
    db: Database,
    *,
    event_id: int,
    desk: str,
    step: SupervisedStep,
    at: dt.datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit row: a supervisor allowed ``step`` at ``desk`` at ``at`` (``detail``: ids, not names)."""
    with db.write() as session:
        session.add(
            AuditEntry(
                event_id=event_id,
                at=at,
                desk=desk[:100],
                action=AUDIT_ACTION,
                detail={"step": step.value, **(detail or {})},
            )
        )


def uses(db: Database, event_id: int) -> list[tuple[dt.datetime, str, dict[str, Any]]]:
    """(moment, desk, detail) of every supervisor use at the event, oldest first."""
    from sqlalchemy import select

    with db.read() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.event_id == event_id, AuditEntry.action == AUDIT_ACTION)
            .order_by(AuditEntry.at, AuditEntry.id)
        ).all()
        return [(row.at, row.desk, dict(row.detail)) for row in rows]


__all__ = ["AUDIT_ACTION", "MIN_PIN_LENGTH", "SupervisedStep", "hash_pin", "record_use", "uses", "verify_pin"]
