"""Networked desks: ``desk join``, ``desk wipe``, ``sync`` and ``sync status``.

A desk joins a hub (the event's PostgreSQL database) into a local SQLite file and then
works from that copy; ``sync`` uploads what the desk recorded and downloads what
changed at the hub (``--once``: one round; without it: until Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checkin.i18n import _

if TYPE_CHECKING:
    from checkin.cli.context import CliContext
    from checkin.sync.replica import SyncStatus

EXIT_OFFLINE = 4


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    desk = subparsers.add_parser("desk", help=_("join a hub as a networked desk, or remove the local copy"))
    desk_actions = desk.add_subparsers(dest="desk_action", metavar="ACTION")
    desk_actions.required = True
    join = desk_actions.add_parser(
        "join",
        help=_("make --db a local copy of a hub's event (resumable)"),
        description=_(
            "Download the event from the hub (a PostgreSQL URL) into the file given with --db. "
            "The desk then scans, searches and prints from that copy, also without network. "
            "Interrupted, the same command continues where it stopped."
        ),
    )
    join.add_argument(
        "hub_url", metavar="HUB_URL", help=_("the hub: postgresql+psycopg://user:password@host/db")
    )
    join.add_argument("--desk", required=True, metavar="NAME", help=_("this desk's name, e.g. 'Entrance 1'"))
    join.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    join.set_defaults(handler=_join)
    wipe = desk_actions.add_parser("wipe", help=_("delete this desk's local copy (after the event)"))
    wipe.add_argument("--yes", action="store_true", help=_("do not ask"))
    wipe.set_defaults(handler=_wipe)

    sync = subparsers.add_parser(
        "sync",
        help=_("send this desk's records to the hub and fetch the hub's changes"),
        description=_(
            "Upload what this desk recorded, then download what changed at the hub (a checkin hub "
            "or, for a desk connected with 'pretix connect', pretix). "
            "Exit status of --once: 0 done, 4 hub not reachable (nothing is lost: it waits here)."
        ),
    )
    sync.add_argument("what", nargs="?", choices=["status"], help=_("'status': only show the state"))
    sync.add_argument("--once", action="store_true", help=_("one round, then exit"))
    sync.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    sync.add_argument(
        "--batch", type=int, default=500, metavar="N", help=_("facts sent per round trip (default 500)")
    )
    sync.set_defaults(handler=_sync)


def _join(args: argparse.Namespace, context: CliContext) -> int:
    from checkin.sync.join import join

    def progress(stage: str, count: int) -> None:
        if not args.json:
            print(_("{count} registrations downloaded ...").format(count=count), file=sys.stderr)

    result = join(context.db, args.hub_url, args.desk, event_slug=context.event_slug, progress=progress)
    from checkin.sync.worker import SyncWorker

    worker = SyncWorker(context.db)
    try:
        status, _changes = worker.run_once()
    finally:
        worker.close()
    if args.json:
        print(
            json.dumps(
                {
                    "desk": result.desk_name,
                    "desk_id": result.desk_id,
                    "event": result.event_slug,
                    "registrations": result.registrations,
                    "resumed": result.resumed,
                    **status.as_json(),
                }
            )
        )
    else:
        print(
            _("Desk '{desk}' joined event {event}: {count} registrations in the local copy.").format(
                desk=result.desk_name, event=result.event_slug, count=result.registrations
            )
        )
    return 0


def _wipe(args: argparse.Namespace, context: CliContext) -> int:
    from sqlalchemy.engine import make_url

    from checkin.domain.db import resolve_db_url
    from checkin.domain.errors import UserError
    from checkin.domain.secrets import delete_secret
    from checkin.sync.join import password_key
    from checkin.sync.replica import read_state

    url = resolve_db_url(context.db_arg)
    if make_url(url).get_backend_name() != "sqlite":
        raise UserError(_("desk wipe removes a desk's local SQLite file; --db names no such file."))
    path = Path(make_url(url).database or "")
    if not path.exists():
        raise UserError(_("There is no local copy at {path}.").format(path=path))
    state = read_state(context.db)
    if state is not None:
        from checkin.sync.replica import status

        queued = status(context.db).queued
        if queued and not args.yes:
            raise UserError(
                _(
                    "{count} records of this desk have not reached the hub yet: run 'sync --once' first, "
                    "or add --yes to delete them too."
                ).format(count=queued)
            )
        delete_secret(password_key(state.desk_id))
    elif not args.yes:
        raise UserError(
            _("{path} is not a desk's copy of a hub; add --yes to delete it anyway.").format(path=path)
        )
    context.close()
    removed = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if candidate.exists():
            candidate.unlink()
            removed.append(candidate.name)
    print(_("Deleted: {files}.").format(files=", ".join(removed)))
    return 0


def _print_status(status: SyncStatus, as_json: bool) -> None:
    if as_json:
        print(json.dumps(status.as_json()))
        return
    from checkin.presentation.formats import format_datetime

    state = _("online") if status.online else _("offline")
    print(_("Desk '{desk}': {state}.").format(desk=status.desk_name, state=state))
    print(
        _("Waiting to be sent: {count}. Conflicts: {conflicts}.").format(
            count=status.queued, conflicts=status.conflicts
        )
    )
    for label, moment in ((_("Last upload"), status.last_upload), (_("Last download"), status.last_download)):
        print(f"{label}: {format_datetime(moment) if moment else '-'}")
    if not status.online and status.last_error:
        print(status.last_error)


def _sync(args: argparse.Namespace, context: CliContext) -> int:
    from checkin.sync.replica import status

    if args.what == "status":
        _print_status(status(context.db), args.json)
        return 0
    from checkin.sync.desk_link import worker_for
    from checkin.sync.replica import require_state

    require_state(context.db)  # a database that is no desk of a hub: said in words
    worker = worker_for(context.db, batch=max(1, args.batch))
    assert worker is not None
    if args.once:
        try:
            result, _changes = worker.run_once()
        finally:
            worker.close()
        _print_status(result, args.json)
        return 0 if result.online else EXIT_OFFLINE
    import threading

    stop = threading.Event()
    last: list[tuple[bool, int, int]] = []

    def report(result: SyncStatus, _changes: object) -> None:
        key = (result.online, result.queued, result.conflicts)
        if not last or last[-1] != key:
            last.append(key)
            _print_status(result, args.json)
            sys.stdout.flush()

    worker = worker_for(context.db, batch=max(1, args.batch), on_result=report)
    assert worker is not None
    try:
        worker.run(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


__all__ = ["register"]
