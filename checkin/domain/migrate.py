"""Schema migrations with Alembic, run programmatically when a database opens."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions. Known here so that opening an
# up-to-date database needs no Alembic import (which costs ~0.4 s per command);
# tests/unit/domain/test_migrations.py checks it against the scripts.
HEAD_REVISION = "0100"


def alembic_config(engine: Engine | None = None):  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def is_at_head(engine: Engine) -> bool:
    """True if the database's schema revision is ``HEAD_REVISION`` (cheap: one SELECT)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    except DBAPIError:
        return False


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it in an empty database)."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
