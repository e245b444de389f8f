"""Commands: ``pretix connect``, ``pretix download``, ``pretix mapping`` and ``pretix map``.

Only argparse and i18n at module level, like the other command modules. The token is read from
``--token``, from ``$CHECKIN_PRETIX_TOKEN`` or (``--token -``) from the first line of stdin, and is
never printed.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from checkin.i18n import _, ngettext

if TYPE_CHECKING:
    from checkin.cli.context import CliContext
    from checkin.pretix.mapping import MappingRow
    from checkin.pretix.service import DownloadResult

ENV_TOKEN = "CHECKIN_PRETIX_TOKEN"
_TARGET_KINDS = ("category", "days", "session", "workshops", "ignore", "inherit", "unmapped")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pretix = subparsers.add_parser(
        "pretix",
        help=_("connect an event to pretix and download its registrations"),
        description=_("Connect the event to a pretix event, download registrations, edit the mapping."),
    )
    sub = pretix.add_subparsers(dest="pretix_command", metavar="ACTION")
    sub.required = True
    connect = sub.add_parser(
        "connect",
        help=_("check the token and the event, create or update the local event, download everything"),
        description=_(
            "Check the API token and the pretix event, create or update the local event (name, days, "
            "venue), map products, check-in lists and the workshop question, remember the connection "
            "(the token in the secrets store) and download every order position."
        ),
    )
    connect.add_argument(
        "--url", required=True, help=_("address of the pretix server, e.g. https://pretix.eu")
    )
    connect.add_argument(
        "--token",
        default=os.environ.get(ENV_TOKEN),
        help=_("API token (default: ${env}; '-' reads it from the first line of stdin)").format(
            env=ENV_TOKEN
        ),
    )
    connect.add_argument(
        "--organizer", required=True, metavar="ORG", help=_("the organizer's short form in pretix")
    )
    connect.add_argument(
        "--event",
        dest="pretix_event",
        required=True,
        metavar="SLUG",
        help=_("the event's short form in pretix"),
    )
    connect.add_argument(
        "--list",
        dest="checkin_list",
        metavar="NAME_OR_ID",
        help=_("check-in list to use (default: the event's first)"),
    )
    connect.add_argument(
        "--desk", metavar="NAME", help=_("this desk's name, e.g. 'Entrance 1' (default: the computer's name)")
    )
    connect.add_argument("--json", action="store_true", help=_("print JSON instead of sentences"))
    connect.set_defaults(handler=_connect)

    download = sub.add_parser("download", help=_("download new and changed registrations from pretix"))
    download.add_argument("--json", action="store_true", help=_("print JSON instead of sentences"))
    download.set_defaults(handler=_download)

    mapping = sub.add_parser("mapping", help=_("show what pretix's products, lists and questions map to"))
    mapping.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    mapping.set_defaults(handler=_mapping)

    edit = sub.add_parser(
        "map",
        help=_("change one mapping row (it then stays as set)"),
        description=_("Change one row of the mapping; download again to apply it to everyone."),
    )
    edit.add_argument(
        "source_kind",
        metavar="KIND",
        help=_("item, variation, item_days, var_days, list, question or option"),
    )
    edit.add_argument("source_id", type=int, metavar="ID", help=_("the id in pretix"))
    edit.add_argument(
        "target_kind", choices=_TARGET_KINDS, metavar="TARGET_KIND", help=", ".join(_TARGET_KINDS)
    )
    edit.add_argument(
        "target",
        nargs="?",
        default="",
        metavar="TARGET",
        help=_("category key, session key or dates like 2024-09-19,2024-09-20"),
    )
    edit.set_defaults(handler=_map)


def _token(args: argparse.Namespace) -> str:
    from checkin.domain.errors import UserError

    token = args.token
    if token == "-":
        token = sys.stdin.readline()
    token = (token or "").strip()
    if not token:
        raise UserError(
            _("No API token given: use --token, ${env} or --token - (stdin).").format(env=ENV_TOKEN)
        )
    return token


def _unmapped_lines(rows: tuple[MappingRow, ...] | list[MappingRow], skipped: dict[str, int]) -> list[str]:
    lines = [
        _("{kind} '{label}' (id {id}) maps to nothing.").format(
            kind=row.source_kind, label=row.label, id=row.source_id
        )
        for row in rows
        if row.target_kind == "unmapped"
    ]
    lines += [
        ngettext(
            "'{product}': {n} position is not a ticket for a person and was not made a registration.",
            "'{product}': {n} positions are not tickets for a person and were not made registrations.",
            count,
        ).format(product=product, n=count)
        for product, count in sorted(skipped.items())
    ]
    return lines


def _download_dict(result: DownloadResult) -> dict[str, object]:
    return {
        "positions": result.positions,
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "cancelled": result.cancelled,
        "not_registrations": result.skipped,
    }


def _print_download(result: DownloadResult) -> None:
    print(
        _(
            "Downloaded {positions} positions: {added} new, {updated} changed, {unchanged} unchanged, "
            "{cancelled} cancelled or unpaid."
        ).format(
            positions=result.positions,
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
            cancelled=result.cancelled,
        )
    )


def _connect(args: argparse.Namespace, ctx: CliContext) -> int:
    import json

    from checkin.cli.common import TerminalProgress
    from checkin.pretix.service import PretixService

    result = PretixService(ctx.db).connect(
        args.url,
        _token(args),
        args.organizer,
        args.pretix_event,
        local_slug=ctx.event_slug,
        checkin_list=args.checkin_list,
        progress=TerminalProgress(),
        desk_name=args.desk,
    )
    unmapped = _unmapped_lines(result.mapping, result.download.skipped)
    if args.json:
        print(
            json.dumps(
                {
                    "event": result.event.slug,
                    "name": result.event.name,
                    "days": [d.date.isoformat() for d in result.event.days],
                    "checkin_list": {"id": result.checkin_list[0], "name": result.checkin_list[1]}
                    if result.checkin_list
                    else None,
                    "download": _download_dict(result.download),
                    "unmapped": unmapped,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(
        _("Connected: {name} ({dates}) as event '{slug}'.").format(
            name=result.event.name, dates=result.event.date_range_text(), slug=result.event.slug
        )
    )
    if result.checkin_list:
        print(
            _("Check-in list: {name} (id {id}).").format(
                name=result.checkin_list[1], id=result.checkin_list[0]
            )
        )
    _print_download(result.download)
    for line in unmapped:
        print(_("Not mapped: {what}").format(what=line))
    return 0


def _download(args: argparse.Namespace, ctx: CliContext) -> int:
    import json

    from checkin.cli.common import TerminalProgress
    from checkin.pretix.service import PretixService

    result = PretixService(ctx.db).download(ctx.event_slug, progress=TerminalProgress())
    if args.json:
        print(json.dumps(_download_dict(result), ensure_ascii=False, indent=2))
    else:
        _print_download(result)
        for line in _unmapped_lines([], result.skipped):
            print(_("Not mapped: {what}").format(what=line))
    return 0


def _mapping(args: argparse.Namespace, ctx: CliContext) -> int:
    import json

    from checkin.pretix.store import load_mapping

    event = ctx.event()
    with ctx.db.read() as session:
        rows = load_mapping(session, event.id)
    if args.json:
        print(json.dumps([row.__dict__ for row in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("The event '{event}' has no pretix mapping yet.").format(event=event.slug))
        return 0
    for row in rows:
        mark = "*" if row.edited else " "
        label = row.label[:50]
        print(f"{mark} {row.source_kind:<9} {row.source_id:>7}  {label:<50} → {row.target_kind} {row.target}")
    return 0


def _map(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.domain.errors import UserError
    from checkin.pretix.store import set_mapping

    event = ctx.event()
    if args.target_kind == "category" and event.category_by_key(args.target) is None:
        raise UserError(_("The event has no category '{key}'.").format(key=args.target))
    if args.target_kind == "session" and event.session_by_key(args.target) is None:
        raise UserError(_("The event has no session '{key}'.").format(key=args.target))
    with ctx.db.write() as session:
        if not set_mapping(
            session, event.id, args.source_kind, args.source_id, args.target_kind, args.target
        ):
            raise UserError(
                _("The mapping has no row {kind} {id}; 'checkin pretix mapping' lists them.").format(
                    kind=args.source_kind, id=args.source_id
                )
            )
    print(_("Mapping changed; 'checkin pretix download' applies it."))
    return 0
