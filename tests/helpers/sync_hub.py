"""A hub (an event on a fresh PostgreSQL schema) and desks joined to it, for the sync tests."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database, open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventInfo, EventService
from checkin.domain.models import CheckInLogEntry, SyncFact
from checkin.resources import demo_event_file
from checkin.sync.join import join
from checkin.sync.worker import SyncWorker
from tests.helpers.people import DAY1, People, Person

NOW = dt.datetime(2024, 9, 19, 8, 0, tzinfo=dt.UTC)


@dataclass
class HubForTests:
    url: str
    db: Database
    event: EventInfo
    people: People

    @classmethod
    def create(cls, url: str) -> HubForTests:
        db = open_database(url)
        event = EventService(db).load_definition(load_event_file(demo_event_file()))
        return cls(url, db, event, People(db, event))

    def log_count(self, **where: object) -> int:
        with self.db.read() as session:
            query = select(func.count()).select_from(CheckInLogEntry)
            for name, value in where.items():
                query = query.where(getattr(CheckInLogEntry, name) == value)
            return int(session.scalar(query) or 0)

    def conflicts(self) -> list[SyncFact]:
        with self.db.read() as session:
            return list(session.scalars(select(SyncFact).where(SyncFact.conflict.is_(True))))


@dataclass
class DeskForTests:
    """A joined desk: its replica, its check-in service and its sync worker."""

    name: str
    db: Database
    worker: SyncWorker
    clock_offset: dt.timedelta = field(default=dt.timedelta())

    @classmethod
    def join(cls, folder: Path, hub_url: str, name: str, *, connect_url: str | None = None) -> DeskForTests:
        db = open_database(folder / f"{name}.db")
        join(db, connect_url or hub_url, name)
        return cls(name, db, SyncWorker(db, hub_url=connect_url, timeout=2.0))

    @property
    def event(self) -> EventInfo:
        return EventService(self.db).get()

    def service(self) -> CheckInService:
        return CheckInService(self.db, self.event, desk=self.name, clock=lambda: NOW + self.clock_offset)

    def scan(self, code: str, session_key: str | None = None) -> str:
        return self.service().scan(code, day=DAY1, session_key=session_key).kind.value

    def sync(self, timeout: float = 60.0) -> None:
        """Sync rounds until one reached the hub and left nothing queued.

        A round gives up after the worker's timeout (2 s here) and reports the hub offline; on a
        loaded machine one round can take that long, so a test that needs a finished sync waits
        for that outcome rather than trusting a single round.
        """
        deadline = time.monotonic() + timeout
        while True:
            result, _changes = self.worker.run_once()
            if result.online and result.queued == 0:
                return
            assert time.monotonic() < deadline, f"desk {self.name} could not sync: {result}"

    def close(self) -> None:
        self.worker.close()
        self.db.dispose()


__all__ = ["NOW", "DeskForTests", "HubForTests", "Person"]
