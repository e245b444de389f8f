"""The supervisor PIN on the command line: a step a desk guards with it (purge) asks for it here too.

The PIN is a desk setting (``ui.settings.DeskSettings.supervisor_pin``, a salted hash that Qt
keeps in an ini file on Linux). The command line reads the same file without Qt: ``--settings``
names it (the file a desk started with ``--settings`` uses), else the desk's own file where Qt
keeps one. Without a PIN there, nothing is asked, as before. A right PIN is written to the audit
log with the desk and the moment, like at a desk; a wrong one stops the command.
"""

from __future__ import annotations

import argparse
import configparser
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from checkin.domain.errors import UserError
from checkin.i18n import _

# Where Qt keeps the desk's settings (QSettings("checkin", "checkin-desk")) as an ini file.
_ORGANISATION, _APPLICATION = "checkin", "checkin-desk"


def add_settings_argument(parser: argparse.ArgumentParser) -> None:
    """``--settings INI``: the desk settings whose supervisor PIN guards the command."""
    parser.add_argument(
        "--settings",
        metavar="INI",
        help=_("desk settings whose supervisor PIN is asked for (default: this user's desk settings)"),
    )


def default_settings_file() -> Path | None:
    """The desk's own settings file where Qt keeps it as an ini file (Linux and other Unix)."""
    if sys.platform in ("win32", "darwin"):  # the registry / a property list: name the file with --settings
        return None
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / _ORGANISATION / f"{_APPLICATION}.conf"


def stored_pin(settings_file: Path | None) -> str:
    """The supervisor PIN's stored hash in ``settings_file``; empty when none is set (or no file)."""
    if settings_file is None or not settings_file.is_file():
        return ""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(settings_file, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return ""
    return parser.get("desk", "supervisor_pin", fallback="").strip()


def require_supervisor(args: Any, ctx: Any, step: Any, detail: dict[str, Any] | None = None) -> None:
    """Ask for the supervisor PIN when one is set and note its use; ``UserError`` for a wrong one."""
    import datetime as dt

    from checkin.domain.supervisor import record_use, verify_pin

    explicit = getattr(args, "settings", None)
    stored = stored_pin(Path(explicit) if explicit else default_settings_file())
    if not stored:
        return
    pin = getpass.getpass(_("Supervisor PIN: "))
    if not verify_pin(pin, stored):
        raise UserError(_("Wrong supervisor PIN. Nothing was changed."))
    record_use(
        ctx.db,
        event_id=ctx.event().id,
        desk=args.desk,
        step=step,
        at=dt.datetime.now(dt.UTC),
        detail=detail,
    )
