"""The sync engine a window (or ``checkin sync``) drives: upload, then download, again and again.

``SyncWorker.run_once()`` uploads the outbox in order, in batches (one hub transaction
each), acknowledges them locally, then downloads what changed at the hub after the
replica's cursor. ``run(stop)`` repeats that on its own thread: it wakes at once when
the hub NOTIFYs a change (a listener thread) or when ``wake()`` is called after a local
write, otherwise every ``interval`` seconds, and backs off while the hub is away.

Qt-free: results are a ``SyncStatus`` and the ``Changes`` the download made, handed to
``on_result`` (a window forwards them to its change bus on the GUI thread).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from checkin.domain.changes import Changes
from checkin.domain.db import Database
from checkin.sync.hub import Hub, HubUnavailable, listen_connection
from checkin.sync.hub_link import HubLink
from checkin.sync.join import hub_url_with_password
from checkin.sync.replica import (
    SyncStatus,
    acknowledge,
    apply_download,
    outbox_batch,
    read_state,
    require_state,
    set_online,
    status,
)

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500
DEFAULT_INTERVAL = 2.0
MAX_BACKOFF = 15.0


class SyncWorker:
    """Upload-then-download for one replica; one instance per desk, driven from one thread."""

    def __init__(
        self,
        db: Database,
        *,
        batch: int = DEFAULT_BATCH,
        interval: float = DEFAULT_INTERVAL,
        timeout: float = 5.0,
        on_result: Callable[[SyncStatus, Changes], None] | None = None,
        hub_url: str | None = None,
        link: HubLink | None = None,
    ) -> None:
        """``link``: another kind of hub (pretix); without it, the PostgreSQL hub of the replica."""
        self._db = db
        self._link = link
        self._batch = batch
        self._interval = interval
        self._timeout = timeout
        self.on_result = on_result  # may be set later (a window connects it)
        self._wake = threading.Event()
        self._hub: Hub | None = None
        self._hub_url = hub_url
        self._online: bool | None = None
        self._error = ""
        self._schema: str | None = None

    # ------------------------------------------------------------------ one round
    def _get_hub(self) -> Hub | HubLink:
        if self._link is not None:
            return self._link
        if self._hub is None:
            state = require_state(self._db)
            url = self._hub_url or hub_url_with_password(state.hub_url, state.desk_id)
            self._hub = Hub(url, timeout=self._timeout)
        return self._hub

    def _get_hub_pg(self) -> Hub:
        hub = self._get_hub()
        assert isinstance(hub, Hub)
        return hub

    def upload(self) -> tuple[int, Changes]:
        """Send the whole outbox, batch by batch; returns how many facts went and what moved here."""
        state = require_state(self._db)
        hub = self._get_hub()
        sent, changes = 0, Changes()
        while True:
            facts = outbox_batch(self._db, self._batch)
            if not facts:
                return sent, changes
            outcomes = hub.upload(state.event_id, state.desk_id, facts)
            changes = changes | acknowledge(self._db, facts, outcomes)
            sent += len(facts)

    def download(self) -> Changes:
        state = require_state(self._db)
        if self._link is not None:
            return self._link.download(self._db)
        hub_changes = self._get_hub_pg().changes(state.event_id, state.cursor_xid, state.cursor_xip)
        return apply_download(self._db, hub_changes)

    def run_once(self) -> tuple[SyncStatus, Changes]:
        """Upload, then download, once; a hub that does not answer makes the desk offline."""
        changes = Changes()
        try:
            _, uploaded = self.upload()
            changes = uploaded | self.download()
            self._mark(True, "")
        except HubUnavailable as exc:
            self._mark(False, str(exc))
        result = status(self._db)
        if self.on_result is not None:
            self.on_result(result, changes)
        return result, changes

    def _mark(self, online: bool, error: str) -> None:
        if online != self._online or error != self._error:
            set_online(self._db, online, error)
            self._online, self._error = online, error

    @property
    def online(self) -> bool:
        return bool(self._online)

    # ------------------------------------------------------------------ the loop
    def wake(self) -> None:
        """Sync now (after a local write), not at the next interval."""
        self._wake.set()

    def run(self, stop: threading.Event) -> None:
        """Sync until ``stop`` is set; meant for a thread of its own."""
        with contextlib.suppress(Exception):
            self._get_hub()  # made here, before the listener thread also wants it
        listener = threading.Thread(target=self._listen, args=(stop,), name="sync-listen", daemon=True)
        if self._link is None:  # LISTEN/NOTIFY is the PostgreSQL hub's; another hub is polled
            listener.start()
        delay = self._interval
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    self.run_once()
                except Exception:  # e.g. the local file refused a write: the loop tries again later
                    log.exception("a sync round failed")
                    self._online = False
                delay = self._interval if self._online else min(MAX_BACKOFF, max(delay * 2, 1.0))
                self._sleep(stop, delay)
        finally:
            self._wake.set()
            if self._link is None:
                listener.join(timeout=5)
            self.close()

    def _sleep(self, stop: threading.Event, seconds: float) -> None:
        """Wait ``seconds``, or less when woken or stopped."""
        deadline = time.monotonic() + seconds
        while not stop.is_set() and not self._wake.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._wake.wait(min(0.25, remaining))

    def _listen(self, stop: threading.Event) -> None:
        """Wake the loop when the hub says something changed (LISTEN/NOTIFY)."""
        while not stop.is_set():
            conn: Any = None
            try:
                hub = self._get_hub_pg()
                if self._schema is None:
                    self._schema = hub.schema()
                conn = listen_connection(hub)
                self._wake.set()  # changes made while we were not listening
                while not stop.is_set():
                    for notice in conn.notifies(timeout=0.5):
                        if notice.payload == self._schema:
                            self._wake.set()
            except Exception:  # any failure of the listener: the loop's interval still syncs
                stop.wait(2.0)
            finally:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.close()

    def close(self) -> None:
        if self._link is not None:
            self._link.dispose()
        if self._hub is not None:
            self._hub.dispose()
            self._hub = None


def is_replica(db: Database) -> bool:
    return read_state(db) is not None


__all__ = ["SyncWorker", "is_replica"]
