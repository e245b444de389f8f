"""Online first, never waiting: a joined desk's scan is decided by the hub within a bound, else locally.

The hub decides in its own transaction (exact: two desks never admit one person twice).
If it has not answered within ``bound`` seconds (default 1.5), the desk decides from its
replica, records the fact there with the *same* nonce (so the hub counts it once even
if the online attempt did arrive), and the verdict says ``offline``.

Like pretixSCAN, the desk stops asking the hub by itself when of the last five
attempts at least two failed or they took longer than the bound on average (or when its
sync worker found the hub away: ``hub_reachable(False)``); a probe in the background
brings it back online.

The hub answers with its own registration ids; the verdict is handed on with the
replica's (``_localise``), so the desk opens, prints and undoes the right person.
``OnlineFirstCheckIn`` is the window's check-in service at a joined desk: its scans go
through ``OnlineFirstDesk``; everything else is written to the replica (and uploaded).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from sqlalchemy import Table, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from checkin.domain.checkin_service import CheckInError, CheckInService
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo, EventService
from checkin.domain.identity import fact_identity, random_nonce
from checkin.domain.log_notes import NoteKind
from checkin.domain.models import Registration, utcnow
from checkin.domain.verdicts import ScanVerdict
from checkin.sync.hub import Hub
from checkin.sync.hub_link import OnlineHub
from checkin.sync.join import hub_url_with_password
from checkin.sync.replica import read_state
from checkin.sync.replica_apply import local_ids

log = logging.getLogger(__name__)

DEFAULT_BOUND = 1.5
PROBE_INTERVAL = 5.0
_WINDOW = 5


@dataclass(frozen=True)
class DeskScan:
    """A scan's verdict, and whether the desk made it alone (``offline``) and why."""

    verdict: ScanVerdict
    offline: bool
    nonce: str
    reason: str = ""


class OnlineFirstDesk:
    """Scans of one joined desk: the hub first (bounded), the replica otherwise.

    Args:
        replica: the desk's replica.
        desk: the desk's name in the check-in log (``desk`` may change later).
        bound: seconds a scan waits for the hub.
        on_recorded: called after every recorded scan (a window wakes its sync worker).
        on_online: called when a probe finds the hub again after offline mode.
        hub_url: connect here instead of the URL the replica keeps (tests: a proxy).
        local: the check-in service that decides offline (default: a new one on ``replica``).
    """

    def __init__(
        self,
        replica: Database,
        *,
        desk: str,
        bound: float = DEFAULT_BOUND,
        clock: Callable[[], dt.datetime] = utcnow,
        on_recorded: Callable[[], None] | None = None,
        on_online: Callable[[], None] | None = None,
        hub_url: str | None = None,
        local: CheckInService | None = None,
        hub: OnlineHub | None = None,
    ) -> None:
        """``hub``: another kind of hub that decides scans (pretix); without it, the PostgreSQL hub."""
        state = read_state(replica)
        if state is None:
            raise UserError("not a joined desk")
        self._state = state
        self._replica = replica
        self._bound = bound
        self._clock = clock
        self.desk = desk
        self.seat_hold_minutes = 0
        self._on_recorded = on_recorded
        self._on_online = on_online
        self.local = local or CheckInService(replica, EventService(replica).get(), desk=desk, clock=clock)
        # The bound is kept here (the scan waits no longer); the hub's own timeouts may be longer,
        # so an attempt the desk gave up on can still finish there (its twin then counts once).
        self._online_hub = hub
        self._hub: Hub | None = None
        if hub is None:
            self._hub = Hub(
                hub_url or hub_url_with_password(state.hub_url, state.desk_id), timeout=max(bound, 2.0)
            )
        self._hub_service: CheckInService | None = None
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hub-scan")
        self._lock = threading.Lock()
        self._recent: deque[tuple[bool, float]] = deque(maxlen=_WINDOW)
        self._offline_mode = False
        self.offline_since: dt.datetime | None = None
        self._prober: threading.Thread | None = None
        self._probe_now = threading.Event()
        self._closed = threading.Event()

    @property
    def offline_mode(self) -> bool:
        return self._offline_mode

    def _service(self) -> CheckInService:
        assert self._hub is not None
        if self._hub_service is None:
            hub_db = Database(
                url=self._hub.url,
                engine=self._hub.engine,
                session_factory=sessionmaker(self._hub.engine, expire_on_commit=False),
            )
            event: EventInfo = EventService(hub_db).get(self.local.event.slug)
            self._hub_service = CheckInService(hub_db, event, desk=self.desk, clock=self._clock)
        service = self._hub_service
        service.desk, service.seat_hold_minutes = self.desk, self.seat_hold_minutes
        return service

    def _hub_scan(self, raw: str, day: dt.date, session_key: str | None, nonce: str) -> ScanVerdict:
        if self._online_hub is not None:
            return self._online_hub.scan(raw, day=day, session_key=session_key, nonce=nonce)
        with fact_identity(self._state.desk_id, nonce):
            return self._service().scan(raw, day=day, session_key=session_key)

    def scan(self, raw: str, *, day: dt.date, session_key: str | None = None) -> DeskScan:
        """Decide and record one scan; never waits much longer than the bound."""
        nonce = random_nonce()
        reason = "offline_mode"
        if not self._offline_mode:
            started = time.monotonic()
            future = self._executor.submit(self._hub_scan, raw, day, session_key, nonce)
            try:
                verdict = future.result(timeout=self._bound)
            except CheckInError:
                raise
            except FutureTimeout:
                reason = "timeout"
                self._note(False, time.monotonic() - started)
            except (UserError, SQLAlchemyError, OSError) as exc:
                reason = type(exc).__name__
                self._note(False, time.monotonic() - started)
            else:
                self._note(True, time.monotonic() - started)
                if self._on_recorded is not None:
                    self._on_recorded()
                # A PostgreSQL hub numbers people its own way; pretix's verdicts carry local ids.
                local = verdict if self._online_hub is not None else self._localise(verdict)
                return DeskScan(local, False, nonce)
        with fact_identity(self._state.desk_id, nonce):
            # The base class's scan: ``local`` may be an ``OnlineFirstCheckIn`` (whose scan is this one).
            verdict = CheckInService.scan(self.local, raw, day=day, session_key=session_key)
        if self._on_recorded is not None:
            self._on_recorded()
        offline = dataclasses.replace(verdict, notes=(*verdict.notes, NoteKind.OFFLINE.value))
        return DeskScan(offline, True, nonce, reason)

    def _localise(self, verdict: ScanVerdict) -> ScanVerdict:
        """The hub's verdict with this replica's registration ids (the hub numbers people its own way)."""
        person = verdict.person
        hub_ids = set(verdict.changes.registrations or ()) | ({person.registration_id} if person else set())
        if not hub_ids:
            return verdict
        with self._replica.read() as session:
            known = local_ids(session.connection(), hub_ids)
            if person is not None and person.registration_id not in known:
                # Registered at the hub since the last download: found by its code, else not yet here.
                table: Table = Registration.__table__  # type: ignore[assignment]
                by_code = session.scalar(select(table.c.id).where(table.c.code == person.code))
                if by_code is not None:
                    known[person.registration_id] = by_code
        changes = verdict.changes
        if changes.registrations is not None:
            local = frozenset(known[h] for h in changes.registrations if h in known)
            everyone = len(local) < len(changes.registrations)  # someone not here yet: refresh all
            changes = dataclasses.replace(changes, registrations=None if everyone else local)
        if person is not None:
            # 0: no such person in the replica yet (the download brings it in a moment).
            person = dataclasses.replace(person, registration_id=known.get(person.registration_id, 0))
            if person.registration_id == 0:
                log.warning("the hub admitted a person this replica does not hold yet")
        return dataclasses.replace(verdict, person=person, changes=changes)

    def _note(self, ok: bool, seconds: float) -> None:
        with self._lock:
            self._recent.append((ok, seconds))
            failures = sum(1 for good, _ in self._recent if not good)
            average = sum(s for _, s in self._recent) / len(self._recent)
            if failures >= 2 or (len(self._recent) == _WINDOW and average > self._bound):
                self._go_offline()

    def hub_reachable(self, reachable: bool) -> None:
        """What the desk's sync worker found: an absent hub makes scans local at once (no scan waits
        for it); a hub that answers again is probed now rather than at the next interval."""
        if not reachable:
            with self._lock:
                self._go_offline()
        elif self._offline_mode:
            self._probe_now.set()

    def _go_offline(self) -> None:
        if self._offline_mode or self._closed.is_set():
            return
        self._offline_mode = True
        self.offline_since = utcnow()
        self._probe_now.clear()
        self._prober = threading.Thread(target=self._probe, name="hub-probe", daemon=True)
        self._prober.start()

    def _probe(self) -> None:
        """While in offline mode: ask the hub every few seconds; back online when it answers."""
        while True:
            self._probe_now.wait(PROBE_INTERVAL)
            self._probe_now.clear()
            if self._closed.is_set():
                return
            try:
                started = time.monotonic()
                (self._online_hub or self._hub).ping()  # type: ignore[union-attr]
                if time.monotonic() - started <= self._bound:
                    with self._lock:
                        self._recent.clear()
                        self._offline_mode = False
                        self.offline_since = None
                    if self._on_online is not None:
                        self._on_online()
                    return
            except UserError:
                continue

    def close(self) -> None:
        self._closed.set()
        self._probe_now.set()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._prober is not None:
            self._prober.join(timeout=2)
        (self._online_hub or self._hub).dispose()  # type: ignore[union-attr]


class OnlineFirstCheckIn(CheckInService):
    """The check-in service of a joined desk's window: scans go online first (``OnlineFirstDesk``);
    check-ins chosen by hand, undo, walk-ins and edits are written to the replica, whose outbox
    the sync worker uploads."""

    def __init__(
        self,
        replica: Database,
        event: EventInfo,
        *,
        desk: str = "",
        clock: Callable[[], dt.datetime] = utcnow,
        scan_wait: float | None = None,
        bound: float = DEFAULT_BOUND,
        on_recorded: Callable[[], None] | None = None,
        on_online: Callable[[], None] | None = None,
        hub_url: str | None = None,
        hub: OnlineHub | None = None,
    ) -> None:
        self.online: OnlineFirstDesk | None = None  # before the base class sets ``desk``
        super().__init__(replica, event, desk=desk, clock=clock, scan_wait=scan_wait)
        self.online = OnlineFirstDesk(
            replica,
            desk=desk,
            bound=bound,
            clock=clock,
            on_recorded=on_recorded,
            on_online=on_online,
            hub_url=hub_url,
            local=self,
            hub=hub,
        )

    # The desk's name and the seat hold reach the hub's decisions too.
    @property
    def desk(self) -> str:
        return self._desk_name

    @desk.setter
    def desk(self, value: str) -> None:
        self._desk_name = value
        if self.online is not None:
            self.online.desk = value

    @property
    def seat_hold_minutes(self) -> int:
        return self._seat_hold

    @seat_hold_minutes.setter
    def seat_hold_minutes(self, value: int) -> None:
        self._seat_hold = value
        if self.online is not None:
            self.online.seat_hold_minutes = value

    def scan(self, raw: str, *, day: dt.date, session_key: str | None = None) -> ScanVerdict:
        assert self.online is not None
        return self.online.scan(raw, day=day, session_key=session_key).verdict

    def close(self) -> None:
        if self.online is not None:
            self.online.close()


def scan_at_desk(
    db: Database,
    service: CheckInService,
    raw: str,
    *,
    day: dt.date,
    session_key: str | None,
    bound: float = DEFAULT_BOUND,
) -> tuple[ScanVerdict, bool | None]:
    """A scan by the CLI: online first at a joined desk, waiting ``bound`` seconds for the hub
    (``offline`` says how it was decided), the service's own scan elsewhere (``None``)."""
    if read_state(db) is None:
        return service.scan(raw, day=day, session_key=session_key), None
    from checkin.sync.desk_link import online_hub_for

    hub = online_hub_for(db, desk=service.desk, bound=bound)
    desk = OnlineFirstDesk(db, desk=service.desk, bound=bound, hub=hub)
    try:
        result = desk.scan(raw, day=day, session_key=session_key)
    finally:
        desk.close()
    return result.verdict, result.offline


__all__ = ["DEFAULT_BOUND", "DeskScan", "OnlineFirstCheckIn", "OnlineFirstDesk", "scan_at_desk"]
