"""Secrets (API tokens) kept out of the database: a file only the user can read.

Minimal version for the pretix connection; the lead reconciles it with the keyring-backed one
(same API: ``store_secret``, ``load_secret``, ``delete_secret``). The file is JSON in the user's
config folder (``$CHECKIN_SECRETS_DIR`` overrides it, for tests), written with mode 0600 through a
temporary file and an atomic rename, so a crash never leaves half a file and no other user can read it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

ENV_SECRETS_DIR = "CHECKIN_SECRETS_DIR"
_FILE_NAME = "secrets.json"


def _path() -> Path:
    folder = os.environ.get(ENV_SECRETS_DIR)
    if folder:
        return Path(folder) / _FILE_NAME
    from platformdirs import user_config_path

    return user_config_path("checkin", appauthor=False) / _FILE_NAME


def _read() -> dict[str, str]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(values: dict[str, str]) -> None:
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temp = tempfile.mkstemp(prefix=".secrets-", dir=path.parent)
    try:
        os.chmod(temp, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(values, out)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def store_secret(name: str, value: str) -> None:
    values = _read()
    values[name] = value
    _write(values)


def load_secret(name: str) -> str | None:
    return _read().get(name)


def delete_secret(name: str) -> None:
    values = _read()
    if values.pop(name, None) is not None:
        _write(values)
