"""What the sync engine needs of a hub, whatever kind it is (PostgreSQL, pretix).

``SyncWorker`` drives a ``HubLink`` (upload the outbox, download changes); ``OnlineFirstDesk``
asks an ``OnlineHub`` to decide a scan within its bound. The PostgreSQL hub is built in (the
worker's and the desk's own code); another kind of hub passes its implementation in
(``checkin.sync.desk_link`` chooses by the desk's hub address).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from checkin.domain.changes import Changes
from checkin.domain.db import Database
from checkin.domain.verdicts import ScanVerdict
from checkin.sync.facts import Fact, Outcome

# ``sync_state.hub_url`` of a desk whose hub is a pretix event: ``pretix:<server>/<organizer>/<event>``.
PRETIX_PREFIX = "pretix:"


class HubLink(Protocol):
    """Upload and download for ``SyncWorker``; every call raises ``HubUnavailable`` when the hub
    cannot be asked (the worker then marks the desk offline and tries again later)."""

    def upload(self, event_id: int, desk_id: str, facts: list[Fact]) -> list[Outcome]:
        """Send ``facts`` (in the desk's order); the outcome of each, in order."""
        ...

    def download(self, db: Database) -> Changes:
        """Bring the hub's changes into the desk's copy; what changed there."""
        ...

    def ping(self) -> None: ...

    def dispose(self) -> None: ...


class OnlineHub(Protocol):
    """A hub that decides one scan itself; raises ``UserError`` or ``OSError`` when it cannot."""

    def scan(self, raw: str, *, day: dt.date, session_key: str | None, nonce: str) -> ScanVerdict: ...

    def ping(self) -> None: ...

    def dispose(self) -> None: ...


__all__ = ["PRETIX_PREFIX", "HubLink", "OnlineHub"]
