"""Secrets (a database server's password, the hub's password, API tokens), never in settings files.

``store_secret``, ``load_secret`` and ``delete_secret`` use the system keyring (macOS
Keychain, Windows Credential Locker, the Secret Service of GNOME/KDE) through the
``keyring`` library when this computer has a usable one. Where it has none (a headless
Linux, a minimal desktop), a JSON file readable by its user only (0600, in a 0700
folder: the user's config folder from platformdirs, or ``$CHECKIN_SECRETS_FILE``).
A secret is never printed or logged; the names are not secret.

A database URL with a password is kept split: ``url_without_password`` stores the
password here and returns the URL without it (``postgresql+psycopg://ci@host/db``), which
is what the settings keep; ``url_with_password`` puts it back together when opening.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

ENV_FILE = "CHECKIN_SECRETS_FILE"
SERVICE = "checkin"

log = logging.getLogger(__name__)


def _keyring() -> Any | None:
    """The system keyring when a usable backend exists, else None."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is no keyring
        return None
    if isinstance(backend, fail.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    if getattr(backend, "priority", 1) <= 0:  # e.g. keyring's null backend
        return None
    return backend


def secrets_file() -> Path:
    """The file that holds secrets where there is no usable keyring."""
    configured = os.environ.get(ENV_FILE)
    if configured:
        return Path(configured)
    from platformdirs import user_config_path

    return user_config_path("checkin", appauthor=False) / "secrets.json"


def _read_file() -> dict[str, str]:
    try:
        data = json.loads(secrets_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(data: dict[str, str]) -> None:
    path = secrets_file()
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
        os.chmod(path.parent, 0o700)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o600)  # an older temporary file keeps its mode through O_TRUNC
    os.replace(temporary, path)


def store_secret(name: str, value: str) -> None:
    """Keep ``value`` under ``name``: in the keyring if there is one, else in the private file."""
    backend = _keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, name, value)
        except Exception as error:  # a locked or refusing keyring: the file instead
            log.warning(
                "the system keyring refused to keep %s (%s); using %s",
                name,
                type(error).__name__,
                secrets_file(),
            )
        else:
            _forget_in_file(name)  # no second, older copy in the file
            return
    data = _read_file()
    data[name] = value
    _write_file(data)


def load_secret(name: str) -> str | None:
    """The secret kept under ``name`` (None when there is none)."""
    backend = _keyring()
    if backend is not None:
        try:
            value = backend.get_password(SERVICE, name)
        except Exception as error:
            log.warning("the system keyring could not be read for %s (%s)", name, type(error).__name__)
        else:
            if value is not None:
                return str(value)
    return _read_file().get(name)


def delete_secret(name: str) -> None:
    """Forget the secret ``name`` wherever it is kept (nothing when there is none)."""
    backend = _keyring()
    if backend is not None:
        with contextlib.suppress(Exception):  # not there, or no keyring after all
            backend.delete_password(SERVICE, name)
    _forget_in_file(name)


def _forget_in_file(name: str) -> None:
    data = _read_file()
    if data.pop(name, None) is not None:
        _write_file(data)


def _bare(url: URL) -> str:
    """The URL as text without its password (``URL.set`` takes None for "leave it")."""
    return url._replace(password=None).render_as_string(hide_password=False)


def _secret_name(url: str) -> str:
    """The name a database URL's password is kept under: the URL without the password."""
    return "database:" + _bare(make_url(url))


def url_without_password(url: str) -> str:
    """Keep the password of a database URL as a secret; return the URL without it (for settings).

    A path or a URL without a password is returned as it is.
    """
    if "://" not in url:
        return url
    parsed = make_url(url)
    if parsed.password is None:
        return url
    bare = _bare(parsed)
    store_secret(_secret_name(bare), str(parsed.password))
    return bare


def url_with_password(url: str) -> str:
    """A database URL with its kept password put back (unchanged when it has one or none is kept)."""
    if "://" not in url:
        return url
    parsed = make_url(url)
    if parsed.password is not None or parsed.username is None:
        return url
    password = load_secret(_secret_name(url))
    if password is None:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


__all__ = [
    "delete_secret",
    "load_secret",
    "secrets_file",
    "store_secret",
    "url_with_password",
    "url_without_password",
]
