from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from checkin.domain.db import Database, DatabaseError, open_database, resolve_db_url
from checkin.domain.models import CheckInLogEntry, LogAction
from tests.helpers import People


def test_sqlite_is_set_up_for_durable_shared_use(db: Database):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_db_argument_environment_and_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("CHECKIN_DB", raising=False)
    assert resolve_db_url(tmp_path / "x.db") == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_db_url("postgresql+psycopg://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    monkeypatch.setenv("CHECKIN_DB", str(tmp_path / "env.db"))
    assert resolve_db_url(None).endswith("env.db")
    monkeypatch.delenv("CHECKIN_DB")
    assert resolve_db_url(None).endswith("checkin.db")


def test_unsupported_url_is_refused_with_a_message():
    with pytest.raises(DatabaseError, match="mysql"):
        open_database("mysql://u@h/db")


def test_unreachable_postgres_is_a_clear_error():
    with pytest.raises(DatabaseError, match=r"127\.0\.0\.1"):
        open_database("postgresql+psycopg://nobody:x@127.0.0.1:1/none")


def test_second_check_in_with_same_seq_is_refused_by_the_database(db: Database, demo_event):
    reg_id = People(db, demo_event).add("Anna", "Ölmez", code="ABC", days=()).registration_id
    entry = {
        "event_id": demo_event.id,
        "registration_id": reg_id,
        "day_id": demo_event.days[0].id,
        "scope": 0,
        "seq": 0,
        "action": LogAction.CHECK_IN,
    }
    with db.session_factory.begin() as session:
        session.add(CheckInLogEntry(**entry))
    with pytest.raises(IntegrityError), db.session_factory.begin() as session:
        session.add(CheckInLogEntry(**entry))
    with db.session_factory() as session:
        assert session.scalar(text("SELECT count(*) FROM checkin_log")) == 1
