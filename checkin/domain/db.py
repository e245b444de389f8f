"""Opening the database: SQLite file by default, PostgreSQL by URL.

SQLite is set up as verified in shared/PLATFORM-NOTES.md: the driver's own
transaction handling is switched off and every transaction starts with
``BEGIN IMMEDIATE`` (so a read-then-write cannot lose an update or fail with
"database is locked" between desks), WAL journal, foreign keys on, and
``synchronous=FULL`` so a committed check-in survives a power cut.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from checkin.domain.errors import UserError
from checkin.i18n import _

ENV_DB = "CHECKIN_DB"


class DatabaseError(UserError):
    """The database cannot be opened or used; the message is for the user."""


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


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def configure_sqlite_reader(engine: Engine) -> None:
    """Set up a second SQLite engine for reads only: the driver's own transaction handling off,
    up to 5 s of waiting for a lock, and writes refused (``query_only``)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the settings this app relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    _("Cannot create the folder for the database {path}: {error}").format(
                        path=database, error=exc.strerror or exc
                    )
                ) from exc
        engine = create_engine(url, connect_args={"timeout": 5})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    raise DatabaseError(
        _("Unsupported database {url}: use an SQLite file or a postgresql+psycopg:// URL.").format(
            url=parsed.render_as_string(hide_password=True)
        )
    )


@dataclass(frozen=True)
class Database:
    """An open, migrated database: the engine and the session factory built on it."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(db: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open (and by default migrate to the newest schema) the database named by ``db``."""
    from sqlalchemy.exc import DBAPIError

    url = resolve_db_url(db)
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
