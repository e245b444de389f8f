"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from checkin.domain.db import Database, open_database
from checkin.domain.migrate import HEAD_REVISION, MIGRATIONS_DIR, alembic_config, current_revision
from checkin.domain.models import Base


def test_migrated_schema_matches_the_models(db: Database):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_database_is_at_head_and_reopening_is_a_no_op(tmp_path):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    first = open_database(tmp_path / "a.db")
    assert current_revision(first.engine) == head
    first.dispose()
    again = open_database(tmp_path / "a.db")
    assert current_revision(again.engine) == head
    again.dispose()
    assert MIGRATIONS_DIR.is_dir()


def test_single_linear_history_whose_head_the_fast_path_knows():
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [HEAD_REVISION]
