"""Secrets (the hub's password, API tokens) kept out of settings files.

Minimal version for the sync branch: a JSON file readable by the user only
(0600, in a 0700 folder) under the user's config folder, or ``$CHECKIN_SECRETS_FILE``.
The resilience branch provides the full module (system keyring first) with the same
three functions; the lead merges them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV_FILE = "CHECKIN_SECRETS_FILE"


def _path() -> Path:
    configured = os.environ.get(ENV_FILE)
    if configured:
        return Path(configured)
    from platformdirs import user_config_path

    return user_config_path("checkin", appauthor=False) / "secrets.json"


def _read() -> dict[str, str]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(data: dict[str, str]) -> None:
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(temporary, path)


def store_secret(name: str, value: str) -> None:
    data = _read()
    data[name] = value
    _write(data)


def load_secret(name: str) -> str | None:
    return _read().get(name)


def delete_secret(name: str) -> None:
    data = _read()
    if data.pop(name, None) is not None:
        _write(data)


__all__ = ["delete_secret", "load_secret", "store_secret"]
