"""What travels between a desk and its hub: facts up, outcomes back.

A ``Fact`` is one thing a desk recorded (a check-in or undo, a badge print, a walk-in,
a person edit, a day or workshop added to or removed from a person), named by the
desk's id and a random nonce, numbered by the desk's sequence, with the moment it
happened on the desk's clock. The hub answers each with an ``Outcome``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

APPLIED = "applied"
CONFLICT = "conflict"
REJECTED = "rejected"


@dataclass(frozen=True)
class Fact:
    desk_id: str
    desk_name: str
    nonce: str
    desk_seq: int
    kind: str
    happened_at: dt.datetime
    # The registration the fact is about: its hub id when the desk knows it, and its code.
    hub_registration_id: int | None = None
    code: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What the hub made of a fact: ``applied``, ``conflict`` or ``rejected`` (with a reason).

    ``conflict`` with ``applied_anyway`` is a fact the hub recorded although it contradicts
    what the hub knew (e.g. an offline admission of a registration cancelled meanwhile).
    """

    nonce: str
    outcome: str
    reason: str = ""
    applied_anyway: bool = False

    @property
    def written(self) -> bool:
        return self.outcome == APPLIED or self.applied_anyway


__all__ = ["APPLIED", "CONFLICT", "REJECTED", "Fact", "Outcome"]
