"""The command line: ``checkin [--db DB] [--event SLUG] COMMAND``.

A thin layer over the same services the window uses. Each command group
lives in its own module with a ``register(subparsers)`` function; heavy
imports happen inside the handlers so that ``checkin --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from checkin.cli.context import CliContext
from checkin.i18n import _, set_language, system_language

# One module per command group; each adds its sub-commands.
COMMAND_MODULES: tuple[str, ...] = (
    "checkin.cli.event_commands",
    "checkin.cli.import_commands",
    "checkin.cli.desk_commands",
    "checkin.cli.badge_commands",
    "checkin.cli.export_commands",
    "checkin.cli.pretix_commands",
    "checkin.cli.sync_commands",
)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    from checkin import __version__

    parser = argparse.ArgumentParser(
        prog="checkin",
        description=_("Entrance desk for conferences: check-in, name badges, workshop doors, export."),
    )
    parser.add_argument("--version", action="version", version=f"checkin {__version__}")
    parser.add_argument(
        "--db",
        metavar="DB",
        help=_(
            "database file or SQLAlchemy URL (default: $CHECKIN_DB, else a file in your user data folder)"
        ),
    )
    parser.add_argument("--event", metavar="SLUG", help=_("event to work on (default: the last one loaded)"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from checkin.domain.errors import UserError

    set_language(system_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    context = CliContext(db_arg=args.db, event_slug=args.event)
    try:
        return int(args.handler(args, context) or EXIT_OK)
    except UserError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(_("Cancelled."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # "checkin search … | head": the reader has gone; that is not an error. Point stdout at
        # /dev/null so that Python's final flush does not complain either.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        context.close()
