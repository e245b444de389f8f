"""What every command handler gets: the database and the event, opened on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checkin.domain.db import Database
    from checkin.domain.events import EventInfo


@dataclass
class CliContext:
    db_arg: str | None
    event_slug: str | None
    _db: Database | None = field(default=None, init=False, repr=False)

    @property
    def db(self) -> Database:
        if self._db is None:
            from checkin.domain.db import open_database

            self._db = open_database(self.db_arg)
        return self._db

    def event(self) -> EventInfo:
        from checkin.domain.events import EventService

        return EventService(self.db).get(self.event_slug)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None
