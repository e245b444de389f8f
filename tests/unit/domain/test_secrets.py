"""Secrets live in the system keyring, or in a file only their user can read; never in settings."""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError, PasswordSetError

from checkin.domain import secrets
from checkin.domain.secrets import (
    delete_secret,
    load_secret,
    store_secret,
    url_with_password,
    url_without_password,
)

SECRET = "s3cr3t-Pässwort"


class MemoryKeyring(KeyringBackend):
    """A working keyring of its own (a real ``keyring`` backend that keeps passwords in memory)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.kept.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class RefusingKeyring(MemoryKeyring):
    """A keyring that is there but refuses to keep anything (locked, no permission)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("locked")


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user's config folder in a temporary place; the keyring chosen by each test."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv(secrets.ENV_FILE, raising=False)
    previous = keyring.get_keyring()
    yield home
    keyring.set_keyring(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_without_a_keyring_secrets_go_to_a_file_only_the_user_can_read(config_home, caplog, capsys):
    keyring.set_keyring(fail.Keyring())
    with caplog.at_level(logging.DEBUG):
        store_secret("hub", SECRET)
        assert load_secret("hub") == SECRET
    path = config_home / "checkin" / "secrets.json"
    assert secrets.secrets_file() == path
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert json.loads(path.read_text(encoding="utf-8")) == {"hub": SECRET}
    store_secret("other", "x")
    delete_secret("hub")
    assert load_secret("hub") is None
    assert load_secret("other") == "x"
    assert json.loads(path.read_text(encoding="utf-8")) == {"other": "x"}
    assert _mode(path) == 0o600
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_with_a_usable_keyring_secrets_stay_out_of_files(config_home):
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    store_secret("hub", SECRET)
    assert memory.kept == {("checkin", "hub"): SECRET}
    assert not (config_home / "checkin" / "secrets.json").exists()
    assert load_secret("hub") == SECRET
    delete_secret("hub")
    assert load_secret("hub") is None
    delete_secret("hub")  # forgetting twice is no error


def test_a_keyring_that_refuses_falls_back_to_the_private_file(config_home, caplog):
    keyring.set_keyring(RefusingKeyring())
    with caplog.at_level(logging.WARNING):
        store_secret("hub", SECRET)
    assert load_secret("hub") == SECRET
    assert _mode(config_home / "checkin" / "secrets.json") == 0o600
    assert all(SECRET not in r.getMessage() for r in caplog.records)
    assert any("keyring" in r.getMessage() for r in caplog.records)


def test_a_database_urls_password_is_kept_apart_and_put_back(config_home):
    keyring.set_keyring(fail.Keyring())
    url = "postgresql+psycopg://ci:p%40ss%3Aw%2Frd@db.example:5432/checkin"
    bare = url_without_password(url)
    assert bare == "postgresql+psycopg://ci@db.example:5432/checkin"
    assert "p%40ss" not in bare
    assert url_with_password(bare) == url
    assert load_secret("database:" + bare) == "p@ss:w/rd"
    # Paths, URLs without a user, and URLs that carry their password stay as they are.
    assert url_without_password("/data/checkin.db") == "/data/checkin.db"
    assert url_with_password("sqlite:////data/checkin.db") == "sqlite:////data/checkin.db"
    assert url_with_password("postgresql+psycopg://other@db.example/checkin").endswith(
        "other@db.example/checkin"
    )


@pytest.mark.postgres
def test_a_desk_opens_the_server_from_the_url_without_password_and_the_kept_secret(config_home, postgres_url):
    from checkin.domain.db import open_database

    keyring.set_keyring(fail.Keyring())
    bare = url_without_password(postgres_url)
    assert bare != postgres_url
    db = open_database(bare)
    try:
        assert db.url == postgres_url
        assert ":ci@" not in db.display_url()
    finally:
        db.dispose()
