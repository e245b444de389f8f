"""pretix as a hub of the sync engine: the desk's outbox goes to pretix, pretix's orders come down.

``PretixLink`` is the ``HubLink`` that ``SyncWorker`` drives for a pretix desk:

- a check-in (entrance, a ticket pretix knows) → ``checkinrpc/redeem`` with the fact's nonce and
  the moment it happened. First as a normal check-in: pretix's exact decision (its rules, the
  order's state, other devices' check-ins). Accepted → applied. Refused → a conflict: the fact is
  then recorded with ``force`` under the nonce ``<nonce>-forced`` (pretix marks it forced), so an
  offline decision is never lost, and the desk lists the conflict with pretix's reason. pretix
  deduplicates by nonce (``perform_checkin`` returns early for a check-in of the position with
  the same nonce), so an upload repeated after a crash records nothing twice.
- an undo → ``checkinrpc/annul`` by the nonce of the check-in it undoes (its ``-forced`` twin for
  a conflict). pretix annuls only within 15 minutes of the check-in: a later undo is a conflict
  and the check-in stays in force, at pretix and (by ``acknowledge``) here.
- a badge print → the position's print log (``POST .../printlog/``), sent once: the print's nonce
  is in the entry's ``info``, and entries already there are not sent again.
- anything else (a walk-in, a person edited here, a workshop door) stays local: pretix has no
  place for it; it is acknowledged as applied.

Facts of one ticket go in order; different tickets go in parallel (pretix answers each request
in tens of milliseconds, mostly its own work, and a batch of 1,000 waits for pretix otherwise).
The download is ``PretixService.download`` (incremental, resumable).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select, update

from checkin.domain.changes import Changes
from checkin.domain.db import Database
from checkin.domain.events import EventService
from checkin.domain.models import ENTRANCE_SCOPE, PretixPosition, Registration, SyncState, utcnow
from checkin.pretix.catalog import event_path
from checkin.pretix.client import PretixClient, PretixError, PretixErrorKind
from checkin.pretix.desk import PretixOnlineHub
from checkin.pretix.redeem import annul, log_print, print_nonces, redeem
from checkin.pretix.service import PretixService
from checkin.pretix.store import connection_of
from checkin.sync.facts import APPLIED, CONFLICT, REJECTED, Fact, Outcome
from checkin.sync.hub import HubUnavailable
from checkin.sync.replica import acknowledge, read_state

DEFAULT_WORKERS = 6
# pretixSCAN downloads every 30-120 s; a desk's sync round comes every few seconds.
DOWNLOAD_EVERY = 15.0
DEFAULT_TIMEOUT = 10.0
FORCED_SUFFIX = "-forced"
# pretix's answers that no retry can change: the fact is kept as a conflict or refused, not retried.
_FINAL = (PretixErrorKind.REFUSED, PretixErrorKind.NOT_FOUND)
# ... except these 4xx, which say "not now" (429: pretix's rate limit): tried again, never a conflict.
_NOT_NOW = (408, 409, 423, 429)
# Seconds between attempts after a 5xx (pretix on SQLite answers 500 "database is locked" under load).
_RETRY_PAUSES = (0.1, 0.3, 0.8, 0.0)


class PretixLink:
    """Upload and download between a pretix desk's copy and its pretix event (see the module doc)."""

    def __init__(
        self,
        db: Database,
        *,
        workers: int = DEFAULT_WORKERS,
        timeout: float = DEFAULT_TIMEOUT,
        client: PretixClient | None = None,
        download_every: float = DOWNLOAD_EVERY,
    ) -> None:
        """``download_every``: seconds between two downloads of one link (the first is at once);
        uploads go whenever something waits. pretix is asked no more than a scanning app does."""
        self._db = db
        self._download_every = download_every
        self._downloaded: float | None = None
        self._workers = max(1, workers)
        self._timeout = timeout
        self._client = client
        self._target: tuple[str, str, str, int | None] | None = None

    # ------------------------------------------------------------------ setup
    def _connection(self) -> tuple[PretixClient, str, str, int | None]:
        """The client, organizer, event path and check-in list; any failure is ``HubUnavailable``."""
        if self._client is None or self._target is None:
            try:
                info, client = PretixService(self._db).client_for(self._slug())
            except PretixError as exc:
                raise HubUnavailable(str(exc)) from exc
            client.timeout = self._timeout
            with self._db.read() as session:
                connection = connection_of(session, info.id)
                assert connection is not None
                self._target = (
                    info.slug,
                    connection.organizer,
                    event_path(connection.organizer, connection.event_slug),
                    connection.checkin_list_id,
                )
            self._client = self._client or client
        _slug, organizer, path, list_id = self._target
        return self._client, organizer, path, list_id

    def _slug(self) -> str:
        state = read_state(self._db)
        with self._db.read() as session:
            from checkin.domain.models import Event

            slug = session.scalar(select(Event.slug).where(Event.id == (state.event_id if state else -1)))
        return str(slug) if slug else EventService(self._db).get().slug

    # ------------------------------------------------------------------ upload
    def upload(self, event_id: int, desk_id: str, facts: list[Fact]) -> list[Outcome]:
        client, organizer, path, list_id = self._connection()
        positions = self._positions(event_id, {f.code for f in facts if f.code})
        undone = {str(f.data["undoes"]) for f in facts if f.kind == "log" and f.data.get("undoes")}
        groups: dict[str, list[Fact]] = {}
        for fact in facts:
            groups.setdefault(fact.code or fact.nonce, []).append(fact)
        outcomes: dict[str, Outcome] = {}
        failure: list[HubUnavailable] = []
        stop = threading.Event()
        lock = threading.Lock()

        def send(group: list[Fact]) -> None:
            for fact in group:
                if stop.is_set():
                    return
                try:
                    outcome = self._send_retrying(client, organizer, path, list_id, positions, undone, fact)
                except PretixError as exc:
                    stop.set()
                    with lock:
                        failure.append(HubUnavailable(str(exc)))
                    return
                # Acknowledged at once, before the ticket's next fact is sent: a crash can then
                # repeat only this one fact (pretix counts it once by its nonce), never send a
                # check-in again after the undo that annulled it (pretix would record it anew).
                acknowledge(self._db, [fact], [outcome])
                with lock:
                    outcomes[fact.nonce] = outcome

        with ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="pretix-upload") as pool:
            list(pool.map(send, groups.values()))
        if failure:
            raise failure[0]  # what pretix has is acknowledged; the rest waits for the next round
        return [outcomes[f.nonce] for f in facts]

    def _positions(self, event_id: int, codes: set[str]) -> dict[str, int]:
        """Ticket secret → pretix position id, for the registrations that came from pretix."""
        if not codes:
            return {}
        with self._db.read() as session:
            rows = session.execute(
                select(Registration.code, PretixPosition.position_id)
                .join(PretixPosition, PretixPosition.registration_id == Registration.id)
                .where(Registration.event_id == event_id, Registration.code.in_(codes))
            ).all()
        return {code: position for code, position in rows}

    def _send_retrying(self, *args: Any) -> Outcome:
        """``_send``, again after a server error (a busy server; the nonce makes a repeat safe)."""
        for attempt, pause in enumerate(_RETRY_PAUSES):
            try:
                return self._send(*args)
            except PretixError as exc:
                transient = exc.kind is PretixErrorKind.SERVER or exc.status in _NOT_NOW
                if not transient or attempt == len(_RETRY_PAUSES) - 1:
                    raise
                time.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self,
        client: PretixClient,
        organizer: str,
        path: str,
        list_id: int | None,
        positions: dict[str, int],
        undone: set[str],
        fact: Fact,
    ) -> Outcome:
        local = Outcome(fact.nonce, APPLIED, "local_only")
        position = positions.get(fact.code)
        if position is None:
            return local
        if fact.kind == "print":
            return self._print(client, path, position, fact)
        data = fact.data
        if fact.kind != "log" or list_id is None or data.get("session_id") is not None:
            return local
        if data.get("scope", ENTRANCE_SCOPE) != ENTRANCE_SCOPE:
            return local
        try:
            if data.get("action") == "undo":
                return self._annul(client, organizer, list_id, fact)
            if fact.nonce in undone and _annulled_at_pretix(client, path, list_id, position, fact):
                return Outcome(fact.nonce, APPLIED)  # this batch was sent before, undo and all
            return self._check_in(client, organizer, list_id, fact)
        except PretixError as exc:
            if exc.kind in _FINAL and exc.status not in _NOT_NOW:
                return Outcome(fact.nonce, REJECTED, str(exc)[:100])
            raise

    def _check_in(self, client: PretixClient, organizer: str, list_id: int, fact: Fact) -> Outcome:
        def send(nonce: str, force: bool) -> Any:
            return redeem(
                client, organizer, secret=fact.code, list_id=list_id, nonce=nonce,
                happened_at=fact.happened_at, force=force,
            )  # fmt: skip

        first = send(fact.nonce, False)
        if first.admitted:
            return Outcome(fact.nonce, APPLIED)
        reason = first.reason or first.status
        forced = send(fact.nonce + FORCED_SUFFIX, True)
        if forced.admitted:
            return Outcome(fact.nonce, CONFLICT, reason, applied_anyway=True)
        return Outcome(fact.nonce, REJECTED, forced.reason or reason)

    def _annul(self, client: PretixClient, organizer: str, list_id: int, fact: Fact) -> Outcome:
        target = fact.data.get("undoes")
        if not target:
            return Outcome(fact.nonce, APPLIED, "local_only")
        answers = []
        for nonce in (str(target), str(target) + FORCED_SUFFIX):
            answer = annul(client, organizer, list_id=list_id, nonce=nonce, happened_at=fact.happened_at)
            if answer.annulled:
                return Outcome(fact.nonce, APPLIED)
            answers.append(answer)
        if any(a.status == "refused" and "unsuccessful" not in a.detail for a in answers):
            # Too late for pretix (15 minutes): the check-in stays in force there, so here too.
            return Outcome(fact.nonce, CONFLICT, "annul_refused")
        # pretix has no check-in in force under these nonces: nothing to annul there either.
        return Outcome(fact.nonce, APPLIED, "not_at_pretix")

    def _print(self, client: PretixClient, path: str, position: int, fact: Fact) -> Outcome:
        try:
            if fact.nonce not in print_nonces(client, path, position):
                log_print(
                    client, path, position, nonce=fact.nonce, happened_at=fact.happened_at,
                    layout=str(fact.data.get("layout") or ""),
                )  # fmt: skip
        except PretixError as exc:
            if exc.kind in _FINAL and exc.status not in _NOT_NOW:  # no print log here, or no position
                return Outcome(fact.nonce, APPLIED, "no_print_log")
            raise
        return Outcome(fact.nonce, APPLIED)

    # ------------------------------------------------------------------ download
    def download(self, db: Database) -> Changes:
        now = time.monotonic()
        if self._downloaded is not None and now - self._downloaded < self._download_every:
            return Changes()
        self._connection()
        try:
            slug = self._target[0] if self._target else None
            result = PretixService(db).download(slug, client=self._client)
        except PretixError as exc:
            raise HubUnavailable(str(exc)) from exc
        with db.write() as session:
            session.execute(update(SyncState).where(SyncState.id == 1).values(last_download=utcnow()))
        self._downloaded = now
        return result.changes

    def ping(self) -> None:
        client, _organizer, path, _list = self._connection()
        try:
            client.request("GET", client.api_url(path), timeout=self._timeout)
        except PretixError as exc:
            raise HubUnavailable(str(exc)) from exc

    def dispose(self) -> None:
        """Nothing held open: every request is its own connection."""


def _annulled_at_pretix(client: PretixClient, path: str, list_id: int, position: int, fact: Fact) -> bool:
    """Whether pretix holds this check-in as annulled already (sent and undone before). Asked only
    for a check-in whose undo is in the same batch: pretix keys annulled check-ins out of its nonce
    check, so sending the check-in again would record it anew."""
    moment = fact.happened_at.astimezone(dt.UTC)
    found = client.get(
        f"{path}checkins/",
        {
            "list": list_id,
            "successful": "false",
            "error_reason": "annulled",
            # An online check-in's moment at pretix is taken a few milliseconds before the local one.
            "datetime_since": (moment - dt.timedelta(seconds=10)).isoformat(),
            "datetime_before": (moment + dt.timedelta(seconds=10)).isoformat(),
        },
    )
    results = found.get("results") if isinstance(found, dict) else None
    return any(isinstance(r, dict) and r.get("position") == position for r in results or [])


def online_hub(
    db: Database, *, desk: str, bound: float, clock: Callable[[], dt.datetime] = utcnow
) -> PretixOnlineHub:
    """The hub ``OnlineFirstDesk`` asks first at a pretix desk (``checkinrpc/redeem``)."""
    state = read_state(db)
    assert state is not None
    link = PretixLink(db, timeout=max(bound * 2, 3.0))
    client, organizer, _path, list_id = link._connection()
    assert link._target is not None
    with db.read() as session:
        from checkin.domain.models import PretixConnection

        event_slug = session.scalar(
            select(PretixConnection.event_slug).where(PretixConnection.event_id == state.event_id)
        )
    return PretixOnlineHub(
        db, client, organizer=organizer, event=str(event_slug), list_id=list_id, desk=desk,
        desk_id=state.desk_id, timeout=max(bound * 2, 3.0), clock=clock,
    )  # fmt: skip


__all__ = ["FORCED_SUFFIX", "PretixLink", "online_hub"]
