"""What several command groups share: the date argument, the desk option, progress on the terminal.

Only argparse and i18n at module level, like the command modules, so that
``checkin --help`` stays fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from checkin.i18n import _

ENV_DESK = "CHECKIN_DESK"


def parse_date(text: str) -> dt.date:
    """Argparse type for a ``YYYY-MM-DD`` date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date like 2024-09-19.").format(text=text)
        ) from None


def add_desk_argument(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """``--desk NAME``: the desk named in the log, by default ``$CHECKIN_DESK``, else ``cli``."""
    if help_text is None:
        help_text = _("name of this desk in the log (default: $CHECKIN_DESK, else 'cli')")
    parser.add_argument("--desk", metavar="NAME", default=os.environ.get(ENV_DESK, "cli"), help=help_text)


class TerminalProgress:
    """Progress on stderr, one updating line when stderr is a terminal (quiet otherwise)."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = -1

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        if not self._tty or not total:
            return
        percent = int(done * 100 / total)
        if percent != self._last:
            self._last = percent
            print(f"\r{message} {percent:3d} %", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr)

    def is_cancelled(self) -> bool:
        return False
