"""Commands: ``event load``, ``event list``, ``demo`` and ``list`` (``import``: ``import_commands``).

Only argparse and i18n at module level: the services are imported inside
the handlers so that ``checkin --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from checkin.i18n import _, ngettext

if TYPE_CHECKING:
    from checkin.cli.context import CliContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    event = subparsers.add_parser(
        "event", help=_("load or list events"), description=_("Load or list events.")
    )
    event_sub = event.add_subparsers(dest="event_command", metavar="ACTION")
    event_sub.required = True
    load = event_sub.add_parser(
        "load",
        help=_("create or update an event from its TOML file"),
        description=_(
            "Create the event described in FILE.toml, or update it when its slug exists "
            "(registrations and check-ins are kept)."
        ),
    )
    load.add_argument("file", metavar="FILE.toml", help=_("the event file"))
    load.set_defaults(handler=_event_load)
    listing = event_sub.add_parser("list", help=_("list the events in the database"))
    listing.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    listing.set_defaults(handler=_event_list)

    demo = subparsers.add_parser(
        "demo",
        help=_("load the demo event with synthetic registrations"),
        description=_(
            "Load the demo event (Tag der kommunalen Jobcenter 2024) and add synthetic registrations. "
            "Does nothing if the demo event already has registrations, unless --reset is given."
        ),
    )
    demo.add_argument(
        "--registrations",
        type=int,
        default=500,
        metavar="N",
        help=_("number of registrations (default: 500)"),
    )
    demo.add_argument(
        "--seed", type=int, default=2024, help=_("random seed; the same seed gives the same people")
    )
    demo.add_argument(
        "--reset", action="store_true", help=_("delete the demo event's registrations and check-ins first")
    )
    demo.set_defaults(handler=_demo)

    lst = subparsers.add_parser("list", help=_("list the event's registrations"))
    lst.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    lst.set_defaults(handler=_list)


def _tolerant_stdout() -> bool:
    """Let stdout survive names its encoding lacks (a Windows console piped to a file is cp1252);
    True if stdout takes any Unicode text as it is."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if encoding in ("utf8", "utf8sig", "utf16", "utf32"):
        return True
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")
    return False


# --------------------------------------------------------------------------- event


def _event_load(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.badges.layouts import BUILTIN_LAYOUTS
    from checkin.domain.eventfile import load_event_file
    from checkin.domain.events import EventService

    definition = load_event_file(args.file, layout_keys=[layout.key for layout in BUILTIN_LAYOUTS])
    info = EventService(ctx.db).load_definition(definition)
    print(
        _(
            "Event loaded: {name} ({dates}), {days} days, {sessions} sessions, {categories} categories."
        ).format(
            name=info.name,
            dates=info.date_range_text(),
            days=len(info.days),
            sessions=len(info.sessions),
            categories=len(info.categories),
        )
    )
    return 0


def _event_list(args: argparse.Namespace, ctx: CliContext) -> int:
    import json

    from checkin.domain.events import EventService

    events = EventService(ctx.db).list_events()
    if args.json:
        print(
            json.dumps(
                [{"slug": s, "name": n, "registrations": c} for s, n, c in events],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not events:
        print(_("No events in this database."))
        return 0
    width = max(len(s) for s, _n, _c in events)
    for slug, name, count in events:
        print(
            f"{slug:<{width}}  {name}  "
            + ngettext("{n} registration", "{n} registrations", count).format(n=count)
        )
    return 0


# --------------------------------------------------------------------------- demo


def _demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.domain.demo import create_demo

    info = create_demo(ctx.db, registrations=args.registrations, seed=args.seed, reset=args.reset)
    print(
        _("Demo ready: {name} ({dates}) with {count} registrations.").format(
            name=info.name, dates=info.date_range_text(), count=args.registrations
        )
    )
    return 0


# --------------------------------------------------------------------------- list


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        return _write_list(args, ctx)
    except BrokenPipeError:
        # "checkin list | head": the reader left; that is not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _write_list(args: argparse.Namespace, ctx: CliContext) -> int:
    import json

    unicode_ok = _tolerant_stdout()
    from sqlalchemy import select

    from checkin.domain.models import Registration, registration_days, registration_sessions
    from checkin.domain.names import display_name
    from checkin.domain.people import PERSON_COLUMNS

    event = ctx.event()
    categories = {c.id: c for c in event.categories}
    days = {d.id: d for d in event.days}
    sessions = {s.id: s for s in event.sessions}
    with ctx.db.read() as session:
        reg_days: dict[int, list[int]] = {}
        for reg_id, day_id in session.execute(
            select(registration_days.c.registration_id, registration_days.c.day_id)
            .join(Registration, Registration.id == registration_days.c.registration_id)
            .where(Registration.event_id == event.id)
        ):
            reg_days.setdefault(reg_id, []).append(day_id)
        reg_sessions: dict[int, list[int]] = {}
        for reg_id, session_id in session.execute(
            select(registration_sessions.c.registration_id, registration_sessions.c.session_id)
            .join(Registration, Registration.id == registration_sessions.c.registration_id)
            .where(Registration.event_id == event.id)
        ):
            reg_sessions.setdefault(reg_id, []).append(session_id)
        rows = session.execute(
            select(*PERSON_COLUMNS, Registration.status)
            .where(Registration.event_id == event.id)
            .order_by(Registration.last_name, Registration.first_name, Registration.id)
        ).all()
    out = sys.stdout
    if args.json:
        out.write("[")
        for number, r in enumerate(rows):
            cat = categories.get(r.category_id)
            item = {
                "code": r.code,
                "order_code": r.order_code,
                "title": r.title,
                "first_name": r.first_name,
                "last_name": r.last_name,
                "organisation": r.organisation,
                "function": r.function,
                "email": r.email,
                "category": cat.key if cat else None,
                "status": r.status.value if hasattr(r.status, "value") else r.status,
                "days": sorted(days[d].date.isoformat() for d in reg_days.get(r.id, ()) if d in days),
                "workshops": sorted(sessions[s].key for s in reg_sessions.get(r.id, ()) if s in sessions),
            }
            # \u escapes where stdout cannot take the letters: the JSON stays exact either way
            out.write(("\n  " if number == 0 else ",\n  ") + json.dumps(item, ensure_ascii=not unicode_ok))
        out.write("\n]\n" if rows else "]\n")
        return 0
    if not rows:
        print(_("No registrations yet. Import a list with 'checkin import FILE'."))
        return 0
    day_numbers = {d.id: str(n) for n, d in enumerate(event.days, start=1)}
    for r in rows:
        cat = categories.get(r.category_id)
        name = display_name(r.title, r.first_name, r.last_name)
        status = r.status.value if hasattr(r.status, "value") else str(r.status)
        flags = "" if status == "active" else " [" + _("cancelled") + "]"
        day_text = "+".join(
            day_numbers[d] for d in sorted(reg_days.get(r.id, ()), key=lambda d: days[d].date)
        )
        ws = ",".join(sessions[s].key for s in reg_sessions.get(r.id, ()) if s in sessions)
        print(
            f"{r.code:<16} {_fit(name, 40):<40} {_fit(r.organisation, 40):<40} "
            f"{_fit(cat.name if cat else '', 14):<14} {day_text:<5} {ws}{flags}"
        )
    print(ngettext("{n} registration", "{n} registrations", len(rows)).format(n=len(rows)))
    return 0


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
