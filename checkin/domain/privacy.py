"""Data protection: deleting personal data after the retention period, and the right of access.

Purge (``PrivacyService.purge``):

* refuses without ``confirm=True``;
* the cut-off is ``before`` or else the event's ``retention_until``; it must
  not lie in the future (by the injected clock, in the event's time zone)
  and the event must have ended before it. ``before`` may be earlier than
  the retention date: saying it explicitly is the organiser's decision;
* ``keep_statistics=True`` (default) blanks names, e-mail, organisation,
  function, notes, extra columns and order codes, replaces each code by an
  anonymous token and sets ``purged_at``; category, status, registered
  days/workshops and the check-in log stay, so every count stays the same;
* ``keep_statistics=False`` deletes the registrations with their log rows
  and badge prints, after storing the event's figures in the audit entry;
* writes one ``AuditEntry`` with counts only, never names, and blanks the file names in the
  event's import records (a hand-made list may be named after a person);
* on SQLite then runs ``VACUUM`` and a truncating WAL checkpoint, so the
  bytes of the database file (and its ``-wal`` file) no longer hold the
  removed data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    AuditEntry,
    BadgePrint,
    CheckInLogEntry,
    Registration,
    registration_days,
    registration_sessions,
    utcnow,
)
from checkin.domain.statistics import event_stats
from checkin.i18n import _
from checkin.presentation.formats import format_date

PURGE_ACTION = "privacy_purge"
ACCESS_ACTION = "privacy_access_export"
ANONYMOUS_PREFIX = "anon-"
_CHUNK = 2000


class PrivacyError(UserError):
    """A purge or access request cannot be carried out as asked; the message is for the user."""


@dataclass(frozen=True)
class PurgeReport:
    """What a purge did (counts only)."""

    cutoff: dt.date
    keep_statistics: bool
    registrations_anonymised: int
    registrations_deleted: int
    already_purged: int
    check_ins_kept: int
    check_ins_deleted: int
    badge_prints_deleted: int
    file_scrubbed: bool  # SQLite: VACUUM and WAL checkpoint completed

    @property
    def registrations_purged(self) -> int:
        return self.registrations_anonymised + self.registrations_deleted


def _today(event: EventInfo, now: dt.datetime) -> dt.date:
    return now.astimezone(event.tz).date()


class PrivacyService:
    """Purge and right-of-access export for one event."""

    def __init__(
        self, db: Database, event: EventInfo, *, clock: Callable[[], dt.datetime] = utcnow, desk: str = ""
    ) -> None:
        self._db = db
        self._event = event
        self._clock = clock
        self.desk = desk

    # ------------------------------------------------------------------ purge
    def check_cutoff(self, before: dt.date | None = None) -> dt.date:
        """The cut-off a purge would use; ``PrivacyError`` saying why not when it may not run."""
        event = self._event
        today = _today(event, self._clock())
        if before is None:
            if event.retention_until is None:
                raise PrivacyError(
                    _(
                        "The event file sets no retention date (retention_until); "
                        "give the date explicitly with --before."
                    )
                )
            if event.retention_until > today:
                raise PrivacyError(
                    _(
                        "The retention period runs until {date}; personal data may be kept until then. "
                        "To delete earlier, give --before explicitly."
                    ).format(date=format_date(event.retention_until))
                )
            cutoff = event.retention_until
        else:
            if before > today:
                raise PrivacyError(
                    _("The date {date} lies in the future; --before must be today or earlier.").format(
                        date=format_date(before)
                    )
                )
            cutoff = before
        last_day = max(d.date for d in event.days)
        if last_day >= cutoff:
            raise PrivacyError(
                _(
                    "The event lasts until {last}; personal data can only be deleted with a date after "
                    "the event (given: {date})."
                ).format(last=format_date(last_day), date=format_date(cutoff))
            )
        return cutoff

    def purge(
        self, *, before: dt.date | None = None, keep_statistics: bool = True, confirm: bool = False
    ) -> PurgeReport:
        """Remove the personal data of the event's registrations (see the module docstring)."""
        cutoff = self.check_cutoff(before)
        if not confirm:
            raise PrivacyError(
                _(
                    "Deleting personal data cannot be undone; confirm it (--yes on the command line). "
                    "Nothing was changed."
                )
            )
        event = self._event
        now = self._clock()
        with self._db.session_factory.begin() as session:
            statistics = None if keep_statistics else _statistics_record(event_stats(session, event))
            counts = self._purge_in(session, now, keep_statistics)
            counts["audit_file_names_removed"] = self._scrub_audit_file_names(session)
            detail: dict[str, Any] = {
                "cutoff": cutoff.isoformat(),
                "keep_statistics": keep_statistics,
                **counts,
            }
            if statistics is not None:
                detail["statistics"] = statistics
            session.add(
                AuditEntry(event_id=event.id, at=now, desk=self.desk, action=PURGE_ACTION, detail=detail)
            )
        scrubbed = scrub_database_file(self._db)
        return PurgeReport(
            cutoff=cutoff,
            keep_statistics=keep_statistics,
            registrations_anonymised=counts["registrations_anonymised"],
            registrations_deleted=counts["registrations_deleted"],
            already_purged=counts["already_purged"],
            check_ins_kept=counts["check_ins_kept"],
            check_ins_deleted=counts["check_ins_deleted"],
            badge_prints_deleted=counts["badge_prints_deleted"],
            file_scrubbed=scrubbed,
        )

    def _purge_in(self, session: Session, now: dt.datetime, keep_statistics: bool) -> dict[str, int]:
        event_id = self._event.id
        mine = Registration.event_id == event_id
        log_count = int(
            session.scalar(
                select(func.count()).select_from(CheckInLogEntry).where(CheckInLogEntry.event_id == event_id)
            )
            or 0
        )
        if not keep_statistics:
            registrations = int(session.scalar(select(func.count()).where(mine)) or 0)
            prints = int(
                session.scalar(
                    select(func.count()).select_from(BadgePrint).where(BadgePrint.event_id == event_id)
                )
                or 0
            )
            # Children first: the same on SQLite and PostgreSQL, without relying on cascades.
            mine_ids = select(Registration.id).where(mine).scalar_subquery()
            session.execute(delete(CheckInLogEntry).where(CheckInLogEntry.event_id == event_id))
            session.execute(delete(BadgePrint).where(BadgePrint.event_id == event_id))
            session.execute(
                delete(registration_days).where(registration_days.c.registration_id.in_(mine_ids))
            )
            session.execute(
                delete(registration_sessions).where(registration_sessions.c.registration_id.in_(mine_ids))
            )
            session.execute(delete(Registration).where(mine))
            return {
                "registrations_anonymised": 0,
                "registrations_deleted": registrations,
                "already_purged": 0,
                "check_ins_kept": 0,
                "check_ins_deleted": log_count,
                "badge_prints_deleted": prints,
            }
        already = int(
            session.scalar(select(func.count()).where(mine, Registration.purged_at.is_not(None))) or 0
        )
        ids = list(session.scalars(select(Registration.id).where(mine, Registration.purged_at.is_(None))))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            session.execute(
                update(Registration),
                [{"id": rid, "code": ANONYMOUS_PREFIX + secrets.token_hex(8)} for rid in chunk],
            )
        if ids:
            session.execute(
                update(Registration)
                .where(mine, Registration.purged_at.is_(None))
                .values(
                    title="",
                    first_name="",
                    last_name="",
                    organisation="",
                    function="",
                    email="",
                    notes="",
                    extra={},
                    order_code=None,
                    # Keep the kind (walk-in counts stay), drop the import file's name.
                    source=case(
                        (Registration.source.in_(("walk-in", "demo")), Registration.source),
                        (Registration.source.like("import%"), "import"),
                        else_="",
                    ),
                    purged_at=now,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        return {
            "registrations_anonymised": len(ids),
            "registrations_deleted": 0,
            "already_purged": already,
            "check_ins_kept": log_count,
            "check_ins_deleted": 0,
            "badge_prints_deleted": 0,
        }

    def _scrub_audit_file_names(self, session: Session) -> int:
        """Import records keep their counts but lose the file name (it may name a person)."""
        scrubbed = 0
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.event_id == self._event.id)):
            detail = entry.detail if isinstance(entry.detail, dict) else {}
            if detail.get("file"):
                entry.detail = {**detail, "file": ""}
                scrubbed += 1
        return scrubbed

    # ------------------------------------------------------------------ right of access
    def person_data(self, *, code: str | None = None, email: str | None = None) -> dict[str, Any]:
        """Everything stored about one person (by code or e-mail), as a JSON-ready dict.

        An e-mail address can belong to several registrations; all of them are listed.
        """
        if (code is None) == (email is None) or not (code or email or "").strip():
            raise PrivacyError(_("Give either a code or an e-mail address."))
        event = self._event
        with self._db.session_factory.begin() as session:
            query = select(Registration).where(Registration.event_id == event.id)
            if code is not None:
                wanted = code.strip()
                query = query.where(
                    or_(
                        Registration.code == wanted,
                        Registration.code == wanted.upper(),
                        Registration.order_code == wanted,
                    )
                )
            else:
                query = query.where(func.lower(Registration.email) == (email or "").strip().lower())
            registrations = list(session.scalars(query.order_by(Registration.id)))
            if not registrations:
                raise PrivacyError(
                    _("No registration of this event has the code or e-mail address {value}.").format(
                        value=code if code is not None else email
                    )
                )
            now = self._clock()
            result = {
                "generated_at": now.astimezone(event.tz).isoformat(),
                "controller_note": _(
                    "This is all personal data the check-in system stores about you for this event."
                ),
                "event": {
                    "slug": event.slug,
                    "name": event.name,
                    "venue": event.venue,
                    "address": event.address,
                    "days": [d.date.isoformat() for d in event.days],
                    "retention_until": event.retention_until.isoformat() if event.retention_until else None,
                },
                "registrations": [self._registration_record(session, r) for r in registrations],
            }
            session.add(
                AuditEntry(
                    event_id=event.id,
                    at=now,
                    desk=self.desk,
                    action=ACCESS_ACTION,
                    detail={"registrations": len(registrations)},
                )
            )
            return result

    def _registration_record(self, session: Session, registration: Registration) -> dict[str, Any]:
        event = self._event
        tz = event.tz
        category = event.category_by_id(registration.category_id)
        day_ids = set(
            session.scalars(
                select(registration_days.c.day_id).where(
                    registration_days.c.registration_id == registration.id
                )
            )
        )
        session_ids = set(
            session.scalars(
                select(registration_sessions.c.session_id).where(
                    registration_sessions.c.registration_id == registration.id
                )
            )
        )
        log = session.scalars(
            select(CheckInLogEntry)
            .where(CheckInLogEntry.registration_id == registration.id)
            .order_by(CheckInLogEntry.at, CheckInLogEntry.id)
        ).all()
        prints = session.scalars(
            select(BadgePrint).where(BadgePrint.registration_id == registration.id).order_by(BadgePrint.at)
        ).all()
        audit = [
            {"at": a.at.astimezone(tz).isoformat(), "action": a.action, "desk": a.desk}
            for a in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.event_id == event.id)
                .order_by(AuditEntry.at, AuditEntry.id)
            )
            if isinstance(a.detail, dict) and a.detail.get("registration_id") == registration.id
        ]

        def when(moment: dt.datetime | None) -> str | None:
            return moment.astimezone(tz).isoformat() if moment else None

        check_ins = []
        for entry in log:
            day = event.day_by_id(entry.day_id)
            item = event.session_by_id(entry.session_id) if entry.session_id else None
            check_ins.append(
                {
                    "at": when(entry.at),
                    "day": day.date.isoformat() if day else None,
                    "place": item.key if item else "entrance",
                    "place_title": item.title if item else _("Entrance"),
                    "action": str(getattr(entry.action, "value", entry.action)),
                    "desk": entry.desk,
                    "note": entry.note,
                }
            )
        return {
            "code": registration.code,
            "order_code": registration.order_code,
            "title": registration.title,
            "first_name": registration.first_name,
            "last_name": registration.last_name,
            "organisation": registration.organisation,
            "function": registration.function,
            "email": registration.email,
            "category": {"key": category.key, "name": category.name} if category else None,
            "status": str(getattr(registration.status, "value", registration.status)),
            "source": registration.source,
            "notes": registration.notes,
            "extra": dict(registration.extra or {}),
            "created_at": when(registration.created_at),
            "updated_at": when(registration.updated_at),
            "purged_at": when(registration.purged_at),
            "days": [d.date.isoformat() for d in event.days if d.id in day_ids],
            # no days and this: registered for no day (the registration list ticked none)
            "no_day_ticked": registration.no_day_ticked and not day_ids,
            "sessions": [
                {
                    "key": s.key,
                    "title": s.title,
                    "day": s.day.isoformat(),
                    "start": s.start.strftime("%H:%M") if s.start else None,
                    "room": s.room,
                }
                for s in event.sessions
                if s.id in session_ids
            ],
            "check_ins": check_ins,
            "badge_prints": [
                {"at": when(p.at), "desk": p.desk, "layout": p.layout, "reason": p.reason} for p in prints
            ],
            "audit": audit,
        }


def _statistics_record(stats: Any) -> dict[str, Any]:
    """The event's figures as plain JSON (kept in the audit log when registrations are deleted)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        return value

    return plain(asdict(stats))


def scrub_database_file(db: Database) -> bool:
    """SQLite: rebuild the file (VACUUM) and empty the WAL so deleted data leaves the file bytes.

    Returns True when both completed; False on other databases or when another
    connection held the WAL (then SQLite finishes the checkpoint later).
    """
    if not db.is_sqlite:
        return False
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            row = cursor.fetchone()
            if row is None:  # the pragma always answers one row
                raise RuntimeError("PRAGMA wal_checkpoint returned no row")
            busy, _log_frames, _done = row
        finally:
            cursor.close()
    finally:
        raw.close()
    return busy == 0
