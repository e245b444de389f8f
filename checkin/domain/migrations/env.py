"""Alembic environment: the engine comes from checkin.domain.migrate (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from checkin.domain.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    from checkin.domain.db import make_engine, resolve_db_url

    engine = make_engine(resolve_db_url(config.get_main_option("sqlalchemy.url") or None))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
