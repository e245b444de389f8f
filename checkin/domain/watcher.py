"""One watcher for writes made elsewhere (another desk, another process, the CLI).

``DatabaseWatcher.poll()`` reads a cheap marker (a few indexed maxima) and turns
the difference to the previous poll into a ``Changes`` value. It is Qt-free and
blocking: the window calls it from a worker every few seconds and publishes what
it returns to the views that subscribed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.domain.changes import Changes
from checkin.domain.db import Database
from checkin.domain.models import AuditEntry, CheckInLogEntry, Registration, SyncFact


@dataclass(frozen=True)
class ChangeMarker:
    """Moves whenever anyone writes a check-in, an undo, a registration or an audit entry."""

    last_log_id: int
    registration_count: int
    last_registration_id: int
    last_registration_change: dt.datetime | str | None
    last_audit_id: int
    last_fact_id: int = 0  # a desk's sync journal: a conflict from another desk arrived


def marker_in(session: Session, event_id: int) -> ChangeMarker:
    """A handful of indexed aggregates, read in ``session`` (e.g. with other figures, one snapshot)."""
    last_log_id = session.scalar(select(func.max(CheckInLogEntry.id))) or 0
    count, last_id, last_change = session.execute(
        select(func.count(), func.max(Registration.id), func.max(Registration.updated_at)).where(
            Registration.event_id == event_id
        )
    ).one()
    last_audit_id = session.scalar(select(func.max(AuditEntry.id))) or 0
    last_fact_id = session.scalar(select(func.max(SyncFact.id))) or 0
    return ChangeMarker(
        int(last_log_id),
        int(count or 0),
        int(last_id or 0),
        last_change,
        int(last_audit_id),
        int(last_fact_id),
    )


def read_marker(db: Database, event_id: int) -> ChangeMarker:
    """The marker, cheap enough to read every few seconds, and on the read path, so polling
    never waits for (or holds up) another desk's write."""
    with db.read() as session:
        return marker_in(session, event_id)


def changes_between(before: ChangeMarker, after: ChangeMarker) -> Changes:
    """What a move of the marker means for the views (ids are unknown: possibly all)."""
    if before == after:
        return Changes.none()
    log_moved = after.last_log_id != before.last_log_id
    people_moved = (
        after.registration_count != before.registration_count
        or after.last_registration_id != before.last_registration_id
        or after.last_registration_change != before.last_registration_change
    )
    return Changes(
        registrations=None,
        sessions=None if log_moved else frozenset(),
        figures=log_moved or people_moved or after.last_fact_id != before.last_fact_id,
        people_list=people_moved,
        event=after.last_audit_id != before.last_audit_id and not (log_moved or people_moved),
    )


class DatabaseWatcher:
    """Remembers the last marker of one event and reports what moved since."""

    def __init__(self, db: Database, event_id: int) -> None:
        self._db = db
        self._event_id = event_id
        self._marker: ChangeMarker | None = None

    def poll(self) -> Changes:
        """The changes since the previous poll; the first poll only sets the baseline."""
        marker = read_marker(self._db, self._event_id)
        previous, self._marker = self._marker, marker
        if previous is None:
            return Changes.none()
        return changes_between(previous, marker)

    def acknowledge(self) -> None:
        """Take the current state as seen (after this desk's own write, already published)."""
        self._marker = read_marker(self._db, self._event_id)
