"""Which hub a desk's copy syncs with, and the worker and online-first hub for it.

A desk's ``sync_state.hub_url`` says the kind: a PostgreSQL URL (a checkin hub) or
``pretix:<server>/<organizer>/<event>`` (a pretix event). The window and the CLI ask here
instead of building a ``SyncWorker`` or an ``OnlineFirstDesk`` hub themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from checkin.domain.db import Database
from checkin.domain.models import utcnow
from checkin.sync.hub_link import OnlineHub
from checkin.sync.online import DEFAULT_BOUND
from checkin.sync.replica import read_state
from checkin.sync.worker import SyncWorker

PRETIX_PREFIX = "pretix:"


def hub_kind(db: Database) -> str | None:
    """``"postgres"``, ``"pretix"``, or None when the database is no desk of a hub."""
    state = read_state(db)
    if state is None:
        return None
    return "pretix" if state.hub_url.startswith(PRETIX_PREFIX) else "postgres"


def worker_for(db: Database, **options: Any) -> SyncWorker:
    """The sync worker for ``db``: the PostgreSQL hub's, or one whose hub is pretix.

    ``options`` are ``SyncWorker``'s (batch, interval, timeout, on_result).
    """
    if hub_kind(db) == "pretix":
        from checkin.pretix.upload import PretixLink

        return SyncWorker(db, link=PretixLink(db), **options)
    return SyncWorker(db, **options)


def online_hub_for(
    db: Database, *, desk: str, bound: float = DEFAULT_BOUND, clock: Callable[[], dt.datetime] = utcnow
) -> OnlineHub | None:
    """What ``OnlineFirstDesk(hub=...)`` asks first: pretix's redeem at a pretix desk; None (the
    desk's PostgreSQL hub, built by ``OnlineFirstDesk`` itself) otherwise."""
    if hub_kind(db) != "pretix":
        return None
    from checkin.pretix.upload import online_hub

    return online_hub(db, desk=desk, bound=bound, clock=clock)


__all__ = ["hub_kind", "online_hub_for", "worker_for"]
