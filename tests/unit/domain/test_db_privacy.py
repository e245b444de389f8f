"""Database files hold every attendee's personal data: only their user may read them."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from checkin.domain.db import default_db_path, open_database
from checkin.domain.models import AuditEntry


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _write_once(db) -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:
        session.add(AuditEntry(event_id=None, desk="Desk 1", action="test", detail={}))


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder (``$XDG_DATA_HOME``) in a temporary place, under a 0755 parent."""
    home = tmp_path / "home" / "data"
    home.mkdir(parents=True)
    os.chmod(tmp_path / "home", 0o755)
    os.chmod(home, 0o755)
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("CHECKIN_DB", raising=False)
    assert default_db_path() == home / "checkin" / "checkin.db"
    return home


def test_the_default_database_is_created_private_in_a_private_folder(data_home):
    previous = os.umask(0o022)  # the usual umask: files 0644, folders 0755 unless we say otherwise
    try:
        db = open_database(None)
        try:
            _write_once(db)
            path = default_db_path()
            assert _mode(path.parent) == 0o700
            assert _mode(path) == 0o600
            for suffix in ("-wal", "-shm"):
                assert _mode(Path(f"{path}{suffix}")) == 0o600, suffix
        finally:
            db.dispose()
    finally:
        os.umask(previous)
    assert _mode(data_home) == 0o755  # the folder above the app's own is not the app's


def test_a_too_open_default_database_and_folder_are_tightened_with_a_warning(data_home, caplog):
    folder = data_home / "checkin"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    path = folder / "checkin.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING, logger="checkin.domain.db"):
        db = open_database(None)
    try:
        _write_once(db)
        assert _mode(Path(f"{path}-wal")) == 0o600
    finally:
        db.dispose()
    assert _mode(folder) == 0o700
    assert _mode(path) == 0o600
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(folder) in w and "0700" in w for w in warnings), warnings
    assert any("checkin.db" in w and "0600" in w for w in warnings), warnings


def test_a_shared_folder_the_user_chose_is_left_alone_only_the_files_are_tightened(tmp_path, caplog):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    path = shared / "event.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o664)
    with caplog.at_level(logging.WARNING, logger="checkin.domain.db"):
        db = open_database(path)
    try:
        _write_once(db)
        assert _mode(Path(f"{path}-wal")) == 0o600
    finally:
        db.dispose()
    assert _mode(shared) == 0o755
    assert _mode(path) == 0o600
    assert any("event.db" in r.getMessage() for r in caplog.records)


def test_a_new_folder_the_user_names_is_made_private(tmp_path):
    path = tmp_path / "new" / "place" / "event.db"
    db = open_database(path)
    try:
        _write_once(db)
    finally:
        db.dispose()
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600


def test_the_queue_of_unrecorded_scans_is_private_too(tmp_path):
    from checkin.domain.pending_scans import PendingScans, journal_path

    db = open_database(tmp_path / "event.db")
    try:
        queue = PendingScans(journal_path(db))
        assert queue.path == tmp_path / "event.db-pending-scans"
        assert _mode(queue.path) == 0o600
        queue.close()
    finally:
        db.dispose()
