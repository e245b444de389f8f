"""The identity of the facts a desk records: desk id and nonce, set for the write in hand.

Every check-in log row and badge print gets a random nonce by default (``new_nonce``).
A networked desk that tries the hub first and falls back to its replica must give
both attempts the *same* nonce, so the hub can tell one fact from two: it wraps the
write in ``fact_identity(desk_id, nonce)``, and the rows written inside take that
desk id and nonce (the first row the nonce itself, further rows of the same decision
``nonce-1``, ``nonce-2`` ..., the same on both sides).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class _Identity:
    desk_id: str
    nonce: str
    used: int = field(default=0)

    def next_nonce(self) -> str:
        self.used += 1
        return self.nonce if self.used == 1 else f"{self.nonce}-{self.used - 1}"


_current: ContextVar[_Identity | None] = ContextVar("checkin_fact_identity", default=None)


def random_nonce() -> str:
    """128 random bits, hex."""
    return secrets.token_hex(16)


def new_nonce() -> str:
    """The nonce of the next fact written: from ``fact_identity`` if one is set, else random."""
    identity = _current.get()
    return random_nonce() if identity is None else identity.next_nonce()


def current_desk_id() -> str:
    identity = _current.get()
    return "" if identity is None else identity.desk_id


@contextmanager
def fact_identity(desk_id: str, nonce: str) -> Iterator[None]:
    """Rows written inside carry ``desk_id`` and ``nonce`` (see the module docstring)."""
    token = _current.set(_Identity(desk_id, nonce))
    try:
        yield
    finally:
        _current.reset(token)


__all__ = ["current_desk_id", "fact_identity", "new_nonce", "random_nonce"]
