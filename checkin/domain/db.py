"""Opening the database: SQLite file by default, PostgreSQL by URL; one way to read, one to write.

``Database.write()`` is the write path. On SQLite it is set up as verified in
shared/PLATFORM-NOTES.md: the driver's own transaction handling is switched off
and every transaction starts with ``BEGIN IMMEDIATE`` (so a read-then-write
cannot lose an update or fail with "database is locked" between desks; a second
writer waits up to ``busy_timeout``), WAL journal, foreign keys on, and
``synchronous=FULL`` so a committed check-in survives a power cut.

``Database.read()`` is the read path: a consistent snapshot that never takes or
waits for the write lock, so a search, an export or the dashboard never stalls
a desk's check-in and a long import never freezes them. On SQLite it runs on
connections of its own with a deferred ``BEGIN`` (in WAL mode a reader sees the
last commit and blocks no writer) and ``query_only`` on; on PostgreSQL it is a
``REPEATABLE READ, READ ONLY`` transaction.
"""

from __future__ import annotations

import enum
import logging
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from checkin.domain.errors import UserError
from checkin.i18n import _

ENV_DB = "CHECKIN_DB"

log = logging.getLogger(__name__)

# A database holds every attendee's personal data: only its user may read it.
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# The files SQLite keeps beside a database, and the desk's queue of unrecorded scans.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", "-pending-scans")

# How long a write waits for another writer (an import, another desk) unless told otherwise.
BUSY_TIMEOUT_S = 5.0
# How long a scan at the desk waits: beyond this it is kept in the retry queue instead.
SCAN_WAIT_S = 0.5


class DatabaseError(UserError):
    """The database cannot be opened or used; the message is for the user."""


class WriteFailure(enum.StrEnum):
    """Why a write did not happen (a fact; ``checkin.presentation`` words it)."""

    LOCKED = "locked"  # another program or desk held the write lock longer than the wait
    DISK_FULL = "disk_full"  # no space left (or the file may not grow)
    DISK_ERROR = "disk_error"  # the disk refused the write (I/O error)
    READ_ONLY = "read_only"  # the file (or its folder) may not be written
    UNREACHABLE = "unreachable"  # the server or the file cannot be reached or opened
    OTHER = "other"


# SQLite's primary result codes (the low byte of ``sqlite_errorcode``).
_SQLITE_FAILURES = {
    5: WriteFailure.LOCKED,  # SQLITE_BUSY
    6: WriteFailure.LOCKED,  # SQLITE_LOCKED
    8: WriteFailure.READ_ONLY,  # SQLITE_READONLY
    10: WriteFailure.DISK_ERROR,  # SQLITE_IOERR
    13: WriteFailure.DISK_FULL,  # SQLITE_FULL
    14: WriteFailure.UNREACHABLE,  # SQLITE_CANTOPEN
}
# PostgreSQL's SQLSTATEs (exact codes, then classes).
_PG_FAILURES = {
    "55P03": WriteFailure.LOCKED,  # lock_not_available (lock_timeout)
    "57014": WriteFailure.LOCKED,  # query_canceled (statement_timeout)
    "53100": WriteFailure.DISK_FULL,
    "25006": WriteFailure.READ_ONLY,  # read_only_sql_transaction (a standby)
}
_PG_CLASSES = {"08": WriteFailure.UNREACHABLE, "57": WriteFailure.UNREACHABLE, "58": WriteFailure.DISK_ERROR}


def write_failure(error: BaseException) -> WriteFailure:
    """What kind of failure a driver error (or SQLAlchemy's wrapper of it) is."""
    orig = getattr(error, "orig", None) or error
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_FAILURES.get(code & 0xFF, WriteFailure.OTHER)
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str):
        return _PG_FAILURES.get(state) or _PG_CLASSES.get(state[:2], WriteFailure.OTHER)
    if getattr(error, "connection_invalidated", False) or type(orig).__name__ in (
        "OperationalError",
        "InterfaceError",
    ):
        return WriteFailure.UNREACHABLE  # psycopg's connection failures carry no SQLSTATE
    return WriteFailure.OTHER


class DatabaseWriteError(DatabaseError):
    """A write failed and nothing of it was recorded; ``failure`` says why."""

    def __init__(self, message: str, failure: WriteFailure) -> None:
        super().__init__(message)
        self.failure = failure


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("checkin", appauthor=False) / "checkin.db"


def resolve_db_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--db`` (a path or an SQLAlchemy URL), ``$CHECKIN_DB`` or the default into a URL."""
    value = str(db) if db else os.environ.get(ENV_DB) or ""
    if not value:
        value = str(default_db_path())
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


# The execution option a bounded write sets (``Database.write(wait=...)``), in milliseconds.
_WAIT_OPTION = "checkin_wait_ms"
_BUSY_TIMEOUT_MS = int(BUSY_TIMEOUT_S * 1000)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
        record.info[_WAIT_OPTION] = _BUSY_TIMEOUT_MS

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A bounded write (a scan) waits less for the lock; the connection's next user gets
        # the usual wait back. The PRAGMA is only sent when the wait changes.
        wait = conn.get_execution_options().get(_WAIT_OPTION, _BUSY_TIMEOUT_MS)
        info = conn.connection.info
        if info.get(_WAIT_OPTION) != wait:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wait)}")
            info[_WAIT_OPTION] = wait
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A bounded write waits for row locks (another desk's transaction) only so long.
        wait = conn.get_execution_options().get(_WAIT_OPTION)
        if wait is not None:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait)}")


def _sqlite_reader_engine(url: str) -> Engine:
    """Connections for ``Database.read()``: a deferred ``BEGIN`` (a WAL snapshot, no write lock),
    writes refused (``query_only``). ``busy_timeout`` only matters for the rare moments SQLite
    itself needs a lock to read (recovering a WAL after a crash)."""
    engine = create_engine(url, connect_args={"timeout": 5})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the BEGIN below is ours, not the driver's
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _has_own_file(url: str) -> bool:
    """An SQLite database a second set of connections can open (not in-memory, not a URI)."""
    database = make_url(url).database or ""
    return database not in ("", ":memory:") and not database.startswith("file:")


class _ReaderEngine:
    """The engine ``Database.read()`` uses, made on first use (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._own = False

    def get(self, url: str, engine: Engine) -> Engine:
        with self._lock:
            if self._engine is None:
                if engine.dialect.name == "sqlite":
                    self._own = _has_own_file(url)
                    # An in-memory database has only the one connection: read through it.
                    self._engine = _sqlite_reader_engine(url) if self._own else engine
                else:
                    self._engine = engine.execution_options(
                        isolation_level="REPEATABLE READ", postgresql_readonly=True
                    )
            return self._engine

    def dispose(self) -> None:
        with self._lock:
            if self._engine is not None and self._own:
                self._engine.dispose()
            self._engine = None


def _too_open(mode: int) -> bool:
    return bool(stat.S_IMODE(mode) & 0o077)


def prepare_private_file(path: Path) -> None:
    """Make sure the database file ``path`` (and what SQLite keeps beside it) is the user's alone.

    A new database is created readable by its user only (0600; SQLite gives its ``-wal``,
    ``-shm`` and journal the database's mode) in a folder only the user can enter (0700).
    An existing file others may read is tightened, and a warning line says so. A folder is
    tightened only when it is the app's own data folder: a folder the user chose may be
    shared on purpose, and only the database's own files are made private there.
    """
    folder = path.parent
    own_folder = folder.resolve() == default_db_path().parent.resolve()
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=PRIVATE_FOLDER)
            os.chmod(folder, PRIVATE_FOLDER)  # mkdir's mode is cut by the umask only
        elif own_folder and _too_open(folder.stat().st_mode):
            os.chmod(folder, PRIVATE_FOLDER)
            log.warning(
                _("The folder {folder} could be read by other users; it is now private (0700).").format(
                    folder=folder
                )
            )
    except OSError as exc:
        raise DatabaseError(
            _("Cannot create the folder for the database {path}: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from exc
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        except FileExistsError:
            pass  # another desk made it just now
        except OSError as exc:
            raise DatabaseError(
                _("Cannot create the database {path}: {error}").format(path=path, error=exc.strerror or exc)
            ) from exc
    tightened = []
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES)):
        try:
            if _too_open(candidate.stat().st_mode):
                os.chmod(candidate, PRIVATE_FILE)
                tightened.append(candidate.name)
        except FileNotFoundError:
            continue
        except OSError as exc:  # not ours to change (another user's file): say so, go on
            log.warning(
                _("{file} can be read by other users and cannot be made private: {error}").format(
                    file=candidate, error=exc.strerror or exc
                )
            )
    if tightened:
        log.warning(
            _("{files} could be read by other users; now only you can read them (0600).").format(
                files=", ".join(tightened)
            )
        )


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the settings this app relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            prepare_private_file(Path(database))
        engine = create_engine(url, connect_args={"timeout": 5})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
        _configure_postgresql(engine)
        return engine
    raise DatabaseError(
        _("Unsupported database {url}: use an SQLite file or a postgresql+psycopg:// URL.").format(
            url=parsed.render_as_string(hide_password=True)
        )
    )


@dataclass(frozen=True)
class Database:
    """An open, migrated database: ``read()`` and ``write()`` sessions on its engine.

    ``session_factory`` is the write engine's plain factory, for the few callers that
    manage a transaction themselves (``session.begin()`` around several steps).
    """

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    _reader: _ReaderEngine = field(default_factory=_ReaderEngine, init=False, repr=False, compare=False)
    _bounded: dict[int, Engine] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session on a consistent snapshot that never takes or waits for the write lock.

        Everything read inside one ``with`` block sees the same moment; nothing can be
        written through it (SQLite ``query_only``, PostgreSQL ``READ ONLY``). Objects
        loaded here stay readable after the block (they are not expired).
        """
        # Closing ends the read transaction without expiring what was loaded (a rollback would).
        with Session(self._reader.get(self.url, self.engine)) as session:
            yield session

    @contextmanager
    def write(self, *, wait: float | None = None) -> Iterator[Session]:
        """A session in a ``BEGIN IMMEDIATE`` transaction: committed on leaving the block,
        rolled back when it raises.

        Waits up to ``wait`` seconds for another writer (default ``BUSY_TIMEOUT_S``); then
        SQLAlchemy's ``OperationalError`` says the database is locked (``write_failure``).
        """
        if wait is None:
            with self.session_factory.begin() as session:
                yield session
            return
        wait_ms = max(1, round(wait * 1000))
        bounded = self._bounded.get(wait_ms)
        if bounded is None:
            bounded = self._bounded.setdefault(
                wait_ms, self.engine.execution_options(**{_WAIT_OPTION: wait_ms})
            )
        with Session(bounded, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self._reader.dispose()
        self.engine.dispose()


def open_database(db: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open (and by default migrate to the newest schema) the database named by ``db``."""
    from sqlalchemy.exc import DBAPIError

    from checkin.domain.secrets import url_with_password

    url = url_with_password(resolve_db_url(db))  # a server's password kept as a secret
    engine = make_engine(url)
    if migrate:
        try:
            from checkin.domain.migrate import is_at_head, upgrade_to_head

            if not is_at_head(engine):
                upgrade_to_head(engine)
        except DBAPIError as exc:  # also "file is not a database" (DatabaseError), not only OperationalError
            engine.dispose()
            raise DatabaseError(
                _("Cannot open the database {url}: {error}").format(
                    url=make_url(url).render_as_string(hide_password=True), error=exc.orig
                )
            ) from exc
        except Exception as exc:
            from alembic.util.exc import CommandError  # imported by the upgrade already

            if not isinstance(exc, CommandError):
                raise
            # a schema revision this version does not know: a newer checkin made the database
            engine.dispose()
            message = _("The database {url} was made by a newer version of checkin; update checkin.")
            raise DatabaseError(
                message.format(url=make_url(url).render_as_string(hide_password=True))
            ) from exc
    return Database(url=url, engine=engine, session_factory=sessionmaker(engine, expire_on_commit=False))
