"""The settings dialog keeps a database server's password out of the settings file."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from checkin.domain import secrets
from checkin.domain.secrets import load_secret, url_with_password


@pytest.fixture
def no_keyring(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(secrets.ENV_FILE, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_a_server_url_with_a_password_is_kept_without_it(qtbot, desk_context, settings_store, no_keyring):
    from checkin.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(desk_context)
    qtbot.addWidget(dialog)
    dialog.database_edit.setText("postgresql+psycopg://desk:Geheim99@hub.example/checkin")
    settings = dialog.result_settings()
    assert settings.database == "postgresql+psycopg://desk@hub.example/checkin"
    settings_store.save(settings)
    assert "Geheim99" not in Path(settings_store.location).read_text(encoding="utf-8")
    assert load_secret("database:postgresql+psycopg://desk@hub.example/checkin") == "Geheim99"
    assert url_with_password(settings.database) == "postgresql+psycopg://desk:Geheim99@hub.example/checkin"
