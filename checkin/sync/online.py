"""Online first, never waiting: a joined desk's scan is decided by the hub within a bound, else locally.

The hub decides in its own transaction (exact: two desks never admit one person twice).
If it has not answered within ``bound`` seconds (default 1.5), the desk decides from its
replica, records the fact there with the *same* nonce (so the hub counts it once even
if the online attempt did arrive), and the verdict says ``offline``.

Like pretixSCAN, the desk stops asking the hub by itself when of the last five
attempts at least two failed or they took longer than the bound on average; a probe
in the background brings it back online.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from checkin.domain.checkin_service import CheckInError, CheckInService
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo, EventService
from checkin.domain.identity import fact_identity, random_nonce
from checkin.domain.models import utcnow
from checkin.domain.verdicts import ScanVerdict
from checkin.sync.hub import Hub
from checkin.sync.hub_link import OnlineHub
from checkin.sync.join import hub_url_with_password
from checkin.sync.replica import read_state

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
    """Scans of one joined desk: the hub first (bounded), the replica otherwise."""

    def __init__(
        self,
        replica: Database,
        *,
        desk: str,
        bound: float = DEFAULT_BOUND,
        clock: Callable[[], dt.datetime] = utcnow,
        on_recorded: Callable[[], None] | None = None,
        hub_url: str | None = None,
        hub: OnlineHub | None = None,
    ) -> None:
        """``hub``: another kind of hub that decides scans (pretix); without it, the PostgreSQL hub."""
        state = read_state(replica)
        if state is None:
            raise UserError("not a joined desk")
        self._state = state
        self._bound = bound
        self._clock = clock
        self._desk = desk
        self._on_recorded = on_recorded
        self.local = CheckInService(replica, EventService(replica).get(), desk=desk, clock=clock)
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
        self._prober: threading.Thread | None = None
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
            self._hub_service = CheckInService(hub_db, event, desk=self._desk, clock=self._clock)
        return self._hub_service

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
                return DeskScan(verdict, False, nonce)
        with fact_identity(self._state.desk_id, nonce):
            verdict = self.local.scan(raw, day=day, session_key=session_key)
        if self._on_recorded is not None:
            self._on_recorded()
        return DeskScan(verdict, True, nonce, reason)

    def _note(self, ok: bool, seconds: float) -> None:
        with self._lock:
            self._recent.append((ok, seconds))
            failures = sum(1 for good, _ in self._recent if not good)
            average = sum(s for _, s in self._recent) / len(self._recent)
            if failures >= 2 or (len(self._recent) == _WINDOW and average > self._bound):
                self._go_offline()

    def _go_offline(self) -> None:
        if self._offline_mode:
            return
        self._offline_mode = True
        self._prober = threading.Thread(target=self._probe, name="hub-probe", daemon=True)
        self._prober.start()

    def _probe(self) -> None:
        """While in offline mode: ask the hub every few seconds; back online when it answers."""
        while not self._closed.wait(PROBE_INTERVAL):
            try:
                started = time.monotonic()
                (self._online_hub or self._hub).ping()  # type: ignore[union-attr]
                if time.monotonic() - started <= self._bound:
                    with self._lock:
                        self._recent.clear()
                        self._offline_mode = False
                    return
            except UserError:
                continue

    def close(self) -> None:
        self._closed.set()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._prober is not None:
            self._prober.join(timeout=2)
        (self._online_hub or self._hub).dispose()  # type: ignore[union-attr]


def scan_at_desk(
    db: Database, service: CheckInService, raw: str, *, day: dt.date, session_key: str | None
) -> tuple[ScanVerdict, bool | None]:
    """A scan by the CLI: online first at a joined desk (``offline`` says how it was decided),
    the service's own scan elsewhere (``None``)."""
    if read_state(db) is None:
        return service.scan(raw, day=day, session_key=session_key), None
    from checkin.sync.desk_link import online_hub_for

    desk = OnlineFirstDesk(db, desk=service.desk, hub=online_hub_for(db, desk=service.desk))
    try:
        result = desk.scan(raw, day=day, session_key=session_key)
    finally:
        desk.close()
    return result.verdict, result.offline


__all__ = ["DEFAULT_BOUND", "DeskScan", "OnlineFirstDesk", "scan_at_desk"]
