"""Scans the database did not take yet: kept in a durable queue and recorded later, exactly once.

When a desk cannot write a scan (another program holds the write lock, the disk is
full, the file is read-only), the scan is not lost: ``PendingScans.keep`` puts it in a
queue with a random nonce and the moment it was scanned, and appends it to a journal
file beside the database (fsync'd, so a crash keeps it too). ``PendingScans.retry``
records the queued scans in order, as of the moment they were scanned, through
``CheckInService.record_queued``: the check-in row carries the nonce (note
``queued:<nonce>``), and a retry first looks for it, so a scan whose earlier attempt
was recorded after all (an answer lost with the connection, a crash before the journal
said "done") is never recorded twice.

The journal is a file of JSON lines, each with a number that only grows: ``add`` (a
scan kept) and ``done`` (recorded, or given up). Space for it is reserved ahead (the
file is kept padded with zero bytes), so that a scan can still be kept when the disk
has just filled up; the byte after the last line is always zero, and reading stops
there or at a line whose number does not grow. When nothing is pending any more the
journal starts again at its beginning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

from checkin.domain.db import DatabaseWriteError, WriteFailure
from checkin.domain.errors import UserError

if TYPE_CHECKING:
    from checkin.domain.checkin_service import CheckInService
    from checkin.domain.db import Database
    from checkin.domain.verdicts import ScanVerdict

log = logging.getLogger(__name__)

JOURNAL_SUFFIX = "-pending-scans"
# Space reserved ahead in the journal: some 300 scans' worth.
RESERVE_BYTES = 64 * 1024


@dataclass(frozen=True)
class ScanRequest:
    """A scan as the desk took it: what was read, for which day and door, and when."""

    raw: str
    day: dt.date
    session_key: str | None
    scanned_at: dt.datetime
    event_slug: str = ""  # the event the desk was on: a queue outlives a switch to another event


@dataclass(frozen=True)
class PendingScan:
    """A scan waiting in the queue; ``nonce`` names it in the journal and in the check-in log."""

    nonce: str
    request: ScanRequest

    @property
    def code(self) -> str:
        return self.request.raw.strip()


@dataclass(frozen=True)
class RetryOutcome:
    """What one retry of a pending scan came to.

    ``verdict``: recorded now (the verdict as of the scan's moment). ``already_recorded``:
    an earlier attempt had been recorded after all (nothing written now). ``failure``: still
    not recorded, stays queued. ``gave_up``: can never be recorded (the day or the session is
    gone from the event); the message says why, and the scan leaves the queue.
    """

    pending: PendingScan
    verdict: ScanVerdict | None = None
    already_recorded: bool = False
    failure: WriteFailure | None = None
    gave_up: str = ""

    @property
    def resolved(self) -> bool:
        return self.failure is None


def journal_path(db: Database) -> Path:
    """Where a database's queue is kept: beside an SQLite file (like its ``-wal``), else in the
    user's data folder under a name made from the server's address (no password in it)."""
    url = make_url(db.url)
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database not in ("", ":memory:") and "://" not in database:
        return Path(database + JOURNAL_SUFFIX)
    from platformdirs import user_data_path

    key = hashlib.sha256(db.display_url().encode("utf-8")).hexdigest()[:16]
    folder = user_data_path("checkin", appauthor=False)
    with contextlib.suppress(OSError):  # if it cannot be made, the queue says it is not durable
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"server-{key}{JOURNAL_SUFFIX}"


class ScanJournal:
    """The append-only journal file of one queue (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._end = 0  # where the next line goes
        self._size = 0  # bytes the file holds (lines plus the reserve)
        self._number = 0  # the last line's number

    def open(self) -> list[dict[str, Any]]:
        """Open (create: 0600) the file and return its records, oldest first."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.path, flags, 0o600)
        self._fd = fd
        self._size = os.fstat(fd).st_size
        data = os.pread(fd, self._size, 0) if self._size else b""
        records: list[dict[str, Any]] = []
        offset = 0
        while offset < len(data) and data[offset] != 0:
            newline = data.find(b"\n", offset)
            if newline < 0:
                break  # a line cut short by a crash: it was never confirmed
            try:
                record = json.loads(data[offset:newline])
            except ValueError:
                break
            if not isinstance(record, dict) or not isinstance(record.get("n"), int):
                break
            if record["n"] <= self._number:
                break  # an old line from before the journal started again
            self._number = record["n"]
            records.append(record)
            offset = newline + 1
        self._end = offset
        return records

    def append(self, record: dict[str, Any]) -> None:
        """Write one record durably (``OSError`` when the disk refuses)."""
        assert self._fd is not None, "open() first"
        line = json.dumps({**record, "n": self._number + 1}, separators=(",", ":")).encode() + b"\n"
        needed = self._end + len(line) + 1
        if needed > self._size:
            self._grow(needed)
        os.pwrite(self._fd, line + b"\0", self._end)
        os.fsync(self._fd)
        self._number += 1
        self._end += len(line)

    def restart(self) -> None:
        """Nothing is pending: the next line goes at the beginning again (the reserve stays)."""
        if self._fd is None or self._end == 0:
            return
        os.pwrite(self._fd, b"\0", 0)
        os.fsync(self._fd)
        self._end = 0

    def _grow(self, needed: int) -> None:
        assert self._fd is not None
        size = max(needed, self._size) + RESERVE_BYTES
        if hasattr(os, "posix_fallocate"):
            os.posix_fallocate(self._fd, 0, size)
        else:  # pragma: no cover - macOS, Windows
            os.pwrite(self._fd, b"\0" * (size - self._size), self._size)
        self._size = size

    def reserve(self) -> None:
        """Make sure space for the next scans is set aside now, while the disk has room."""
        if self._fd is not None and self._size - self._end < RESERVE_BYTES // 2:
            self._grow(self._end + 1)
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _record_of(pending: PendingScan) -> dict[str, Any]:
    request = pending.request
    return {
        "op": "add",
        "nonce": pending.nonce,
        "raw": request.raw,
        "day": request.day.isoformat(),
        "session": request.session_key,
        "at": request.scanned_at.isoformat(),
        "event": request.event_slug,
    }


def _pending_of(record: dict[str, Any]) -> PendingScan:
    at = dt.datetime.fromisoformat(record["at"])
    request = ScanRequest(
        raw=str(record["raw"]),
        day=dt.date.fromisoformat(record["day"]),
        session_key=record.get("session"),
        scanned_at=at if at.tzinfo else at.replace(tzinfo=dt.UTC),
        event_slug=str(record.get("event") or ""),
    )
    return PendingScan(nonce=str(record["nonce"]), request=request)


class PendingScans:
    """The queue of one desk's scans not yet recorded; safe to use from several threads.

    Args:
        path: the journal file (see ``journal_path``); None keeps the queue in memory only.
        new_nonce: makes the nonces (tests may choose them).
    """

    def __init__(self, path: Path | None, *, new_nonce: Callable[[], str] = lambda: secrets.token_hex(16)):
        self._new_nonce = new_nonce
        self._lock = threading.Lock()  # the list and the journal
        self._retrying = threading.Lock()  # one retry at a time
        self._pending: list[PendingScan] = []
        self._journal: ScanJournal | None = None
        self.journal_error: str = ""  # why the journal cannot be written ("" while it can)
        if path is None:
            return
        journal = ScanJournal(path)
        try:
            records = journal.open()
        except OSError as error:
            self.journal_error = error.strerror or str(error)
            log.warning("the queue of unrecorded scans cannot be kept in %s: %s", path, self.journal_error)
            return
        self._journal = journal
        try:
            journal.reserve()
        except OSError as error:  # a full disk: the lines still fit in what was reserved before
            log.warning("no space could be reserved in %s: %s", path, error)
        open_nonces: dict[str, PendingScan] = {}
        for record in records:
            if record.get("op") == "add":
                try:
                    pending = _pending_of(record)
                except (KeyError, TypeError, ValueError):
                    continue
                open_nonces[pending.nonce] = pending
            elif record.get("op") == "done":
                open_nonces.pop(str(record.get("nonce")), None)
        self._pending = list(open_nonces.values())

    @property
    def path(self) -> Path | None:
        return self._journal.path if self._journal is not None else None

    @property
    def durable(self) -> bool:
        """True while every queued scan is in the journal file (a crash would not lose it)."""
        return self._journal is not None and not self.journal_error

    def pending(self) -> list[PendingScan]:
        with self._lock:
            return list(self._pending)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)

    def keep(self, request: ScanRequest) -> PendingScan:
        """Queue a scan that was not recorded; it is in the journal when this returns (unless
        the journal cannot be written: then ``durable`` is False and it is kept in memory)."""
        pending = PendingScan(nonce=self._new_nonce(), request=request)
        with self._lock:
            self._pending.append(pending)
            self._append(_record_of(pending))
        return pending

    def _append(self, record: dict[str, Any]) -> None:
        if self._journal is None:
            return
        try:
            self._journal.append(record)
        except OSError as error:
            self.journal_error = error.strerror or str(error)
            log.warning("a scan could not be written to %s: %s", self._journal.path, self.journal_error)
        else:
            self.journal_error = ""

    def _done(self, pending: PendingScan) -> None:
        with self._lock:
            self._pending = [p for p in self._pending if p.nonce != pending.nonce]
            self._append({"op": "done", "nonce": pending.nonce})
            if not self._pending and self._journal is not None and not self.journal_error:
                try:
                    self._journal.restart()
                    self._journal.reserve()
                except OSError as error:
                    log.warning("the journal %s could not start again: %s", self._journal.path, error)

    def retry(self, service: CheckInService) -> list[RetryOutcome]:
        """Record the queued scans, oldest first, until one fails again (it and the ones after it
        stay queued). Returns what became of each scan tried; [] when another retry is running."""
        if not self._retrying.acquire(blocking=False):
            return []
        try:
            outcomes = []
            for pending in self.pending():
                if pending.request.event_slug not in ("", service.event.slug):
                    continue  # scanned on another event of this database: kept for that event's desk
                outcome = self._retry_one(service, pending)
                outcomes.append(outcome)
                if not outcome.resolved:
                    break
                self._done(pending)
            return outcomes
        finally:
            self._retrying.release()

    @staticmethod
    def _retry_one(service: CheckInService, pending: PendingScan) -> RetryOutcome:
        request = pending.request
        try:
            verdict = service.record_queued(
                request.raw,
                day=request.day,
                session_key=request.session_key,
                at=request.scanned_at,
                nonce=pending.nonce,
            )
        except DatabaseWriteError as error:
            return RetryOutcome(pending, failure=error.failure)
        except UserError as error:  # the day or the session is no longer in the event
            return RetryOutcome(pending, gave_up=str(error))
        except Exception:
            log.exception("a queued scan could not be recorded")
            return RetryOutcome(pending, failure=WriteFailure.OTHER)
        if verdict is None:
            return RetryOutcome(pending, already_recorded=True)
        return RetryOutcome(pending, verdict=verdict)

    def close(self) -> None:
        with self._lock:
            if self._journal is not None:
                self._journal.close()


__all__ = [
    "JOURNAL_SUFFIX",
    "PendingScan",
    "PendingScans",
    "RetryOutcome",
    "ScanJournal",
    "ScanRequest",
    "journal_path",
]
