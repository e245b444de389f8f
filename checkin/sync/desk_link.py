"""Which sync a database needs, decided in one place: ``hub_kind``, ``worker_for``,
``online_hub_for`` and ``link_for``.

A desk joined to a hub (its database is a replica, ``is_replica``) gets a ``DeskLink``:
its sync worker on a thread of its own, and a check-in service whose scans ask the hub
first (``OnlineFirstCheckIn``). Any other database (a single desk, desks sharing one
server directly) gets none, and the window works as it always did.

A desk's ``sync_state.hub_url`` says the kind of hub: a PostgreSQL URL (a checkin hub) or
``pretix:<server>/<organizer>/<event>`` (a pretix event: its worker uploads to pretix, and
pretix's redeem decides online scans). The window and the CLI only ask here.

Qt-free: results leave through ``on_result`` (called on the worker's thread).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from checkin.domain.changes import Changes
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo
from checkin.domain.models import utcnow
from checkin.sync.hub_link import PRETIX_PREFIX, OnlineHub
from checkin.sync.online import DEFAULT_BOUND, OnlineFirstCheckIn
from checkin.sync.replica import SyncStatus, read_state, status
from checkin.sync.worker import SyncWorker, is_replica

log = logging.getLogger(__name__)

ResultCallback = Callable[[SyncStatus, Changes], None]
# Seconds between attempts to finish an interrupted join while the hub is away.
RESUME_RETRY_S = 5.0


def hub_kind(db: Database) -> str | None:
    """``"postgres"``, ``"pretix"``, or None when the database is no desk of a hub."""
    if not db.is_sqlite or not is_replica(db):
        return None
    state = read_state(db)
    if state is None:
        return None
    return "pretix" if state.hub_url.startswith(PRETIX_PREFIX) else "postgres"


def worker_for(db: Database, **options: Any) -> SyncWorker | None:
    """The sync worker this database needs (``options`` go to it: batch, interval, timeout,
    on_result, hub_url), or None for a database that is no desk of a hub."""
    kind = hub_kind(db)
    if kind == "pretix":
        from checkin.pretix.upload import PretixLink

        options.pop("hub_url", None)
        return SyncWorker(db, link=PretixLink(db), **options)
    if kind == "postgres":
        return SyncWorker(db, **options)
    return None


def online_hub_for(
    db: Database, *, desk: str, bound: float = DEFAULT_BOUND, clock: Callable[[], dt.datetime] = utcnow
) -> OnlineHub | None:
    """What ``OnlineFirstDesk(hub=...)`` asks first: pretix's redeem at a pretix desk; None (the
    desk's PostgreSQL hub, built by ``OnlineFirstDesk`` itself) otherwise."""
    if hub_kind(db) != "pretix":
        return None
    from checkin.pretix.upload import online_hub

    return online_hub(db, desk=desk, bound=bound, clock=clock)


class DeskLink:
    """A joined desk's tie to its hub: the sync loop (``start``/``stop``) and online-first scans.

    Args:
        db: the desk's replica.
        worker: its sync worker.
        bound: seconds a scan waits for the hub (then the desk decides alone).
        hub_url: connect here instead of the URL the replica keeps (tests put a proxy between).
    """

    def __init__(
        self, db: Database, worker: SyncWorker, *, bound: float = DEFAULT_BOUND, hub_url: str | None = None
    ) -> None:
        self.db = db
        self.worker = worker
        self.bound = bound
        self.hub_url = hub_url
        self.service: OnlineFirstCheckIn | None = None
        # A callback the worker was made with keeps being called, after the link's own work.
        self._listeners: list[ResultCallback] = [worker.on_result] if worker.on_result is not None else []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        worker.on_result = self._on_result

    # ------------------------------------------------------------------ scans
    def checkin_service(
        self,
        event: EventInfo,
        *,
        desk: str,
        clock: Callable[[], dt.datetime] = utcnow,
        scan_wait: float | None = None,
    ) -> CheckInService:
        """The desk's check-in service: scans online first, every fact woken up to the hub at once."""
        self.service = OnlineFirstCheckIn(
            self.db,
            event,
            desk=desk,
            clock=clock,
            scan_wait=scan_wait,
            bound=self.bound,
            on_recorded=self.worker.wake,
            on_online=self.worker.wake,
            hub_url=self.hub_url,
            hub=online_hub_for(self.db, desk=desk, bound=self.bound, clock=clock),
        )
        return self.service

    @property
    def offline_mode(self) -> bool:
        """True while scans are decided here without asking the hub."""
        return (
            self.service is not None and self.service.online is not None and self.service.online.offline_mode
        )

    @property
    def offline_since(self) -> dt.datetime | None:
        online = self.service.online if self.service is not None else None
        return online.offline_since if online is not None else None

    # ------------------------------------------------------------------ the sync loop
    def add_listener(self, callback: ResultCallback) -> None:
        """``callback(status, changes)`` after every sync round, on the worker's thread."""
        self._listeners.append(callback)

    def _on_result(self, result: SyncStatus, changes: Changes) -> None:
        if self.service is not None and self.service.online is not None:
            self.service.online.hub_reachable(result.online)
        for callback in list(self._listeners):
            try:
                callback(result, changes)
            except Exception:  # a listener's failure must not stop the sync
                log.exception("a sync listener failed")

    def status(self) -> SyncStatus:
        """The replica's sync state now (a local read: it never waits for the hub)."""
        return status(self.db)

    def start(self) -> None:
        """Sync in the background until ``stop`` (first finishing a join that was interrupted)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="desk-sync", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set() and not self._join_finished():
            self._stop.wait(RESUME_RETRY_S)
        if not self._stop.is_set():
            self.worker.run(self._stop)

    def _join_finished(self) -> bool:
        """True once the replica holds the whole event (an interrupted join is continued here)."""
        state = read_state(self.db)
        if state is None or state.join_done:
            return True
        from checkin.sync.join import join

        try:
            join(self.db, self.hub_url or state.hub_url, state.desk_name)
        except UserError as error:
            log.warning("the join could not be finished yet: %s", error)
            return False
        return True

    def stop(self, timeout: float = 10.0) -> None:
        """End the sync loop and the scans' hub connections (closing the window, quitting)."""
        self._stop.set()
        self.worker.wake()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        else:
            self.worker.close()
        if self.service is not None:
            with contextlib.suppress(Exception):
                self.service.close()


def link_for(
    db: Database,
    *,
    event: EventInfo | None = None,
    bound: float = DEFAULT_BOUND,
    hub_url: str | None = None,
    **options: Any,
) -> DeskLink | None:
    """The ``DeskLink`` of a joined desk's database, or None (then nothing syncs).

    ``event``: the event the desk works on. A database that holds the hub's event beside others
    (a pretix event connected into a file that also has the demo) links only that event: the
    others' scans must not be asked of a hub that does not know them.
    """
    if event is not None:
        state = read_state(db) if db.is_sqlite and is_replica(db) else None
        if state is not None and state.event_id != event.id:
            return None
    worker = worker_for(db, hub_url=hub_url, **options)
    if worker is None:
        return None
    return DeskLink(db, worker, bound=bound, hub_url=hub_url)


__all__ = ["DeskLink", "hub_kind", "link_for", "online_hub_for", "worker_for"]
