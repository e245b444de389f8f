"""The PIN that lets staff leave the self-check-in kiosk; no Qt.

Only a salted scrypt hash is stored (in the desk's settings), never the PIN; a PIN is
checked in constant time. ``PinGuard`` makes guessing slow: after ``MAX_TRIES`` wrong
PINs in a row it refuses every PIN for ``LOCK_SECONDS``.

(The desk-safety work plans one supervisor PIN for all staff functions; until it is
there the kiosk keeps its own, and the two are meant to become one.)
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from checkin.i18n import _

# scrypt's cost: ~50 ms per check here, 16 MB of memory.
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES = 16
MIN_DIGITS, MAX_DIGITS = 4, 12
MAX_TRIES = 3
LOCK_SECONDS = 30.0


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a kiosk PIN (in words), or None when it can."""
    if not pin.isdigit() or not pin.isascii():
        return _("The PIN consists of digits only.")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        return _("The PIN has {low} to {high} digits.").format(low=MIN_DIGITS, high=MAX_DIGITS)
    return None


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The text to store for ``pin``: ``scrypt$n$r$p$salt$hash`` (hex); a new random salt each time.

    Raises:
        ValueError: ``pin`` is not a valid PIN (see ``pin_problem``).
    """
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    salt = salt if salt is not None else secrets.token_bytes(_SALT_BYTES)
    digest = _derive(pin, salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` is the PIN ``stored`` was made from; False for anything malformed."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
        actual = _derive(pin, salt, int(n), int(r), int(p))
    except (ValueError, MemoryError):
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
