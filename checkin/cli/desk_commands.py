"""Desk commands: ``scan``, ``undo``, ``search``, ``walk-in``, ``stats``.

Exit status of ``scan``: 0 checked in (also when admitted with a warning),
1 already checked in, 3 refused (unknown, invalid, cancelled, not today,
session full, not registered for the session when the event denies that),
2 usage error (bad arguments, a day or session the event does not have).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from checkin.cli.common import add_desk_argument, parse_date
from checkin.i18n import _
from checkin.presentation.formats import format_date, format_short_date
from checkin.presentation.verdict_text import undo_text, verdict_text

if TYPE_CHECKING:
    from checkin.cli.context import CliContext
    from checkin.domain.checkin_service import CheckInService

EXIT_CHECKED_IN = 0
EXIT_ALREADY = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("'{text}' is not a whole number above 0.").format(text=text))
    return value


def _hub_wait(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 60:  # a minute: longer than any scan should wait
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a number of seconds above 0 and at most 60.").format(text=text)
        )
    return value


def _add_desk_options(parser: argparse.ArgumentParser, *, session: bool = True) -> None:
    add_desk_argument(parser)
    parser.add_argument(
        "--day",
        metavar="YYYY-MM-DD",
        type=parse_date,
        help=_("event day (default: today, if it is an event day)"),
    )
    if session:
        parser.add_argument(
            "--session", metavar="KEY", help=_("session (workshop) door to record attendance at")
        )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scan = subparsers.add_parser(
        "scan",
        help=_("check a person in by their code"),
        description=_(
            "Check a person in by the code on their badge or ticket. Exit status: 0 checked in, "
            "1 already checked in, 3 refused, 2 usage error."
        ),
    )
    scan.add_argument("code", metavar="CODE", help=_("the scanned or typed code (or a URL holding it)"))
    _add_desk_options(scan)
    scan.add_argument("--json", action="store_true", help=_("print the verdict as one JSON object"))
    scan.add_argument(
        "--hub-wait",
        metavar="SECONDS",
        type=_hub_wait,
        help=_("at a desk joined to a hub: wait this long for the hub, then decide here (default 1.5)"),
    )
    scan.set_defaults(handler=_scan)

    undo = subparsers.add_parser("undo", help=_("annul a check-in (recorded in the log)"))
    undo.add_argument("code", metavar="CODE", help=_("the person's code"))
    _add_desk_options(undo)
    undo.add_argument("--json", action="store_true", help=_("print the result as one JSON object"))
    undo.set_defaults(handler=_undo)

    search = subparsers.add_parser("search", help=_("find people by name, organisation, e-mail or code"))
    search.add_argument("query", metavar="QUERY", help=_("words to look for, in any order"))
    search.add_argument("--limit", type=_positive, default=10, help=_("at most this many hits (default 10)"))
    search.add_argument("--json", action="store_true", help=_("print the hits as a JSON list"))
    search.set_defaults(handler=_search)

    walk_in = subparsers.add_parser("walk-in", help=_("register a person on the spot and check them in"))
    walk_in.add_argument("--first-name", default="", help=_("first name"))
    walk_in.add_argument("--last-name", default="", help=_("last name"))
    walk_in.add_argument("--title", default="", help=_("title, e.g. Dr."))
    walk_in.add_argument("--organisation", default="", help=_("organisation"))
    walk_in.add_argument("--function", default="", help=_("function or job title"))
    walk_in.add_argument("--email", default="", help=_("e-mail address"))
    walk_in.add_argument("--category", metavar="KEY", help=_("category key (default: the event's default)"))
    walk_in.add_argument(
        "--workshop",
        metavar="KEY",
        action="append",
        default=[],
        help=_("workshop to register for (repeatable)"),
    )
    walk_in.add_argument(
        "--register-day",
        metavar="YYYY-MM-DD",
        type=parse_date,
        action="append",
        default=[],
        help=_("day the person is registered for (repeatable; default: all days)"),
    )
    walk_in.add_argument("--no-check-in", action="store_true", help=_("only register, do not check in"))
    _add_desk_options(walk_in, session=False)
    walk_in.add_argument("--json", action="store_true", help=_("print the verdict as one JSON object"))
    walk_in.set_defaults(handler=_walk_in)

    stats = subparsers.add_parser("stats", help=_("registrations and check-ins per day and session"))
    stats.add_argument("--json", action="store_true", help=_("print the figures as one JSON object"))
    stats.set_defaults(handler=_stats)


def _service(args: argparse.Namespace, ctx: CliContext) -> CheckInService:
    from checkin.domain.checkin_service import CheckInService

    return CheckInService(ctx.db, ctx.event(), desk=getattr(args, "desk", "") or "")


def _usage_error(message: str) -> int:
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    return EXIT_USAGE


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=None, default=str))


def verdict_json(verdict: Any) -> dict[str, Any]:
    """The ``--json`` object of a scan verdict."""
    person = verdict.person
    return {
        "status": verdict.kind.value,
        "admitted": verdict.admitted,
        "severity": verdict.severity.value,
        "code": person.code if person else verdict.code,
        "name": person.display_name if person else "",
        "organisation": person.organisation if person else "",
        "category": person.category_key if person else "",
        "registration_id": person.registration_id if person else None,
        "day": verdict.day.isoformat() if verdict.day else None,
        "session": verdict.session_key,
        "first_checkin_at": verdict.first_checkin_at.isoformat() if verdict.first_checkin_at else None,
        "first_checkin_desk": verdict.first_checkin_desk,
        "message": verdict_text(verdict),
        "notes": list(verdict.notes),
    }


def _exit_status(verdict: Any) -> int:
    from checkin.domain.verdicts import VerdictKind

    if verdict.kind is VerdictKind.ALREADY_CHECKED_IN:
        return EXIT_ALREADY
    return EXIT_CHECKED_IN if verdict.admitted else EXIT_REFUSED


def _scan(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.domain.checkin_service import CheckInError
    from checkin.sync.online import DEFAULT_BOUND, scan_at_desk

    service = _service(args, ctx)
    try:
        day = service.resolve_day(args.day)
        verdict, offline = scan_at_desk(
            ctx.db,
            service,
            args.code,
            day=day,
            session_key=args.session,
            bound=args.hub_wait or DEFAULT_BOUND,
        )
    except CheckInError as exc:
        return _usage_error(str(exc))
    if args.json:
        # "offline" only at a desk joined to a hub: true when the desk decided without the hub.
        _print_json(verdict_json(verdict) | ({} if offline is None else {"offline": offline}))
    else:
        print(verdict_text(verdict))
    return _exit_status(verdict)


def _undo(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.domain.checkin_service import CheckInError

    service = _service(args, ctx)
    try:
        day = service.resolve_day(args.day)
        service.resolve_session(args.session, day)
    except CheckInError as exc:
        return _usage_error(str(exc))
    person = service.lookup(args.code)
    if person is None:
        message = _("Unknown code {code}.").format(code=args.code.strip())
        if args.json:
            _print_json({"status": "unknown", "undone": False, "code": args.code.strip(), "message": message})
        else:
            print(message)
        return EXIT_REFUSED
    result = service.undo(person.registration_id, day=day, session_key=args.session)
    if args.json:
        _print_json(
            {
                "status": "undone" if result.undone else "not_checked_in",
                "undone": result.undone,
                "code": person.code,
                "name": person.display_name,
                "organisation": person.organisation,
                "day": result.day.isoformat(),
                "session": result.session_key,
                "checked_in_at": result.checked_in_at.isoformat() if result.checked_in_at else None,
                "checked_in_desk": result.checked_in_desk,
                "message": undo_text(result),
                "notes": list(result.notes),
            }
        )
    else:
        print(undo_text(result))
    return EXIT_CHECKED_IN if result.undone else EXIT_ALREADY


def _search(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.domain.search import SearchIndex

    index = SearchIndex(ctx.db, ctx.event())
    hits = index.search(args.query, limit=args.limit)
    if args.json:
        _print_json(
            [
                {
                    "registration_id": h.registration_id,
                    "code": h.person.code,
                    "name": h.person.display_name,
                    "organisation": h.person.organisation,
                    "email": h.person.email,
                    "category": h.person.category_key,
                    "status": h.person.status,
                    "score": h.score,
                }
                for h in hits
            ]
        )
        return 0
    if not hits:
        print(_("No one found for '{query}'.").format(query=args.query))
        return 0
    for hit in hits:
        person = hit.person
        columns = [person.code, person.display_name, person.organisation]
        if person.status != "active":
            columns.append(_("cancelled"))
        print("  ".join(c for c in columns if c))
    return 0


def _walk_in(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.domain.checkin_service import CheckInError, WalkInRequest

    service = _service(args, ctx)
    try:
        day = service.resolve_day(args.day)
    except CheckInError as exc:
        return _usage_error(str(exc))
    request = WalkInRequest(
        first_name=args.first_name,
        last_name=args.last_name,
        title=args.title,
        organisation=args.organisation,
        function=args.function,
        email=args.email,
        category_key=args.category,
        workshop_keys=tuple(args.workshop),
        day_dates=tuple(args.register_day),
    )
    verdict = service.walk_in(request, day=day, check_in=not args.no_check_in)
    if args.json:
        _print_json(verdict_json(verdict))
    else:
        from checkin.domain.codes import format_code

        print(verdict_text(verdict))
        print(_("Code: {code}").format(code=format_code(verdict.code)))
    if args.no_check_in:
        return EXIT_CHECKED_IN
    return _exit_status(verdict)


def _stats(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.domain.checkin_service import CheckInService

    event = ctx.event()
    stats = CheckInService(ctx.db, event).stats()
    if args.json:
        _print_json(
            {
                "event": event.slug,
                "registrations": stats.registrations,
                "active": stats.active,
                "cancelled": stats.cancelled,
                "walk_ins": stats.walk_ins,
                "days": [
                    {
                        "date": d.date.isoformat(),
                        "registered": d.registered,
                        "arrived": d.arrived,
                        "expected": d.not_arrived,
                    }
                    for d in stats.days
                ],
                "sessions": [
                    {
                        "key": s.key,
                        "title": s.title,
                        "kind": s.kind,
                        "day": s.day.isoformat(),
                        "registered": s.registered,
                        "attended": s.attended,
                        "capacity": s.capacity,
                    }
                    for s in stats.sessions
                ],
                "arrivals_per_15_min": [
                    {"day": b.day.isoformat(), "start": b.start.isoformat(), "count": b.count}
                    for b in stats.arrivals
                ],
            }
        )
        return 0
    print(event.name)
    print(
        _("Registrations: {total} ({active} active, {cancelled} cancelled, {walk_ins} walk-ins)").format(
            total=stats.registrations, active=stats.active, cancelled=stats.cancelled, walk_ins=stats.walk_ins
        )
    )
    for d in stats.days:
        print(
            _("{day}: {arrived} checked in, {expected} of {registered} registered still expected").format(
                day=format_date(d.date),
                arrived=d.arrived,
                expected=d.not_arrived,
                registered=d.registered,
            )
        )
    for s in stats.sessions:
        capacity = "–" if s.capacity is None else str(s.capacity)
        print(
            _("{day} {key}: {attended} attended, {registered} registered, capacity {capacity}").format(
                day=format_short_date(s.day),
                key=s.key,
                attended=s.attended,
                registered=s.registered,
                capacity=capacity,
            )
        )
    return 0
