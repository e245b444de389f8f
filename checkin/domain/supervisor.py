"""The desk's PINs: a salted hash to keep, a check, a pause after wrong guesses, an audit row per use.

Some steps at a desk need a supervisor (overriding a refusal, undoing an old check-in,
the settings, export, purge, switching the event). Their PIN is kept only as a salted
scrypt hash (``hash_pin``); ``verify_pin`` compares in constant time; ``PinGuard`` refuses
every PIN for ``LOCK_SECONDS`` after ``MAX_TRIES`` wrong ones in a row. Every use is
written to the event's audit log with the desk and the moment (``record_use``), so an
organiser can see later who let whom in. Without a PIN set nothing is asked.

The self-check-in kiosk is left with the same PIN where one is set; otherwise with a
kiosk PIN of its own (digits only, ``pin_problem(pin, digits_only=True)``) in the same
stored format.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checkin.domain.db import Database
from checkin.domain.models import AuditEntry
from checkin.i18n import _

# scrypt's cost: ~50 ms here, far too slow to try all 4-to-8-digit PINs from a stolen ini file quickly.
_N, _R, _P = 2**14, 8, 1
_SCHEME = "scrypt"
_SALT_BYTES = 16
MIN_PIN_LENGTH = 4
MAX_DIGITS = 12  # a kiosk PIN: 4 to 12 digits (typed on a touch screen's keypad)
MAX_TRIES = 3
LOCK_SECONDS = 30.0
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


def pin_problem(pin: str, *, digits_only: bool = False) -> str | None:
    """Why ``pin`` cannot be a PIN (in words), or None when it can.

    A supervisor PIN has at least ``MIN_PIN_LENGTH`` characters; a kiosk PIN
    (``digits_only``) has ``MIN_PIN_LENGTH`` to ``MAX_DIGITS`` digits.
    """
    if digits_only:
        if not pin.isdigit() or not pin.isascii():
            return _("The PIN consists of digits only.")
        if not MIN_PIN_LENGTH <= len(pin) <= MAX_DIGITS:
            return _("The PIN has {low} to {high} digits.").format(low=MIN_PIN_LENGTH, high=MAX_DIGITS)
        return None
    if len(pin) < MIN_PIN_LENGTH:
        return _("The supervisor PIN needs at least {count} characters.").format(count=MIN_PIN_LENGTH)
    return None


def _derive(pin: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P, dklen: int = 32) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen)


def hash_pin(pin: str, *, digits_only: bool = False, salt: bytes | None = None) -> str:
    """The PIN as ``scrypt$n$r$p$salt$hash`` (hex): what the settings keep, never the PIN.

    A new random salt each time unless ``salt`` is given.

    Raises:
        ValueError: ``pin`` is not a valid PIN (see ``pin_problem``).
    """
    problem = pin_problem(pin, digits_only=digits_only)
    if problem is not None:
        raise ValueError(problem)
    salt = salt if salt is not None else secrets.token_bytes(_SALT_BYTES)
    return f"{_SCHEME}${_N}${_R}${_P}${salt.hex()}${_derive(pin, salt).hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` is the one ``stored`` was made from (False for anything malformed)."""
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != _SCHEME:
            return False
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(hash_hex)
        actual = _derive(pin, salt, int(n), int(r), int(p), dklen=len(expected))
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


class PinOutcome(enum.StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"  # too many wrong PINs: no PIN is checked until the pause is over


@dataclass(frozen=True)
class PinCheck:
    outcome: PinOutcome
    wait_seconds: float = 0.0  # how long the pause still lasts (LOCKED, or WRONG that began one)


class PinGuard:
    """Checks PINs against ``stored`` and pauses after ``MAX_TRIES`` wrong ones in a row."""

    def __init__(self, stored: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.stored = stored
        self._clock = clock
        self._wrong = 0
        self._locked_until = 0.0

    def check(self, pin: str) -> PinCheck:
        now = self._clock()
        if now < self._locked_until:
            return PinCheck(PinOutcome.LOCKED, self._locked_until - now)
        if verify_pin(pin, self.stored):
            self._wrong = 0
            return PinCheck(PinOutcome.OK)
        self._wrong += 1
        if self._wrong >= MAX_TRIES:
            self._wrong = 0
            self._locked_until = now + LOCK_SECONDS
            return PinCheck(PinOutcome.WRONG, LOCK_SECONDS)
        return PinCheck(PinOutcome.WRONG)


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


__all__ = [
    "AUDIT_ACTION",
    "LOCK_SECONDS",
    "MAX_DIGITS",
    "MAX_TRIES",
    "MIN_PIN_LENGTH",
    "PinCheck",
    "PinGuard",
    "PinOutcome",
    "SupervisedStep",
    "hash_pin",
    "pin_problem",
    "record_use",
    "uses",
    "verify_pin",
]
