"""Commands: ``event load``, ``event list``, ``demo``, ``import`` and ``list``.

Only argparse and i18n at module level: the services are imported inside
the handlers so that ``checkin --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from checkin.i18n import _, ngettext

if TYPE_CHECKING:
    from checkin.cli.context import CliContext

_MAX_LISTED_ERRORS = 50


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

    imp = subparsers.add_parser(
        "import",
        help=_("import a registration list (CSV or Excel)"),
        description=_(
            "Import registrations from a CSV or Excel (.xlsx) file into the event. Rows are matched by "
            "code; a list without a code column gets new codes and is matched by email and name when it "
            "is imported again. All or nothing unless --skip-invalid."
        ),
    )
    imp.add_argument("file", metavar="FILE", help=_("the CSV or .xlsx file"))
    imp.add_argument(
        "--format",
        choices=("auto", "pretix", "eventbrite", "generic"),
        default="auto",
        help=_("the export's origin (default: recognised from the columns)"),
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=_(
            "take FIELD (a key such as last_name, or its label such as Nachname) from COLUMN; "
            "repeatable; an empty COLUMN ignores the field"
        ),
    )
    imp.add_argument("--dry-run", action="store_true", help=_("show what would change, change nothing"))
    imp.add_argument(
        "--skip-invalid", action="store_true", help=_("import the valid rows and skip rows with errors")
    )
    imp.set_defaults(handler=_import)

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
    from checkin.domain.eventfile import load_event_file
    from checkin.domain.events import EventService

    info = EventService(ctx.db).load_definition(load_event_file(args.file))
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


# --------------------------------------------------------------------------- import


def _parse_maps(values: list[str]) -> dict[str, str]:
    from checkin.io.importer import ImportMappingError

    overrides: dict[str, str] = {}
    for value in values:
        field, sep, column = value.partition("=")
        if not sep or not field.strip():
            raise ImportMappingError(
                _("--map needs FIELD=COLUMN, e.g. --map last_name=Nachname (got '{value}').").format(
                    value=value
                )
            )
        overrides[field.strip()] = column.strip()
    return overrides


def _import(args: argparse.Namespace, ctx: CliContext) -> int:
    _tolerant_stdout()
    from checkin.io.columns import fields_for_event
    from checkin.io.importer import ImportRejectedError, ImportService

    event = ctx.event()
    service = ImportService(ctx.db, event)
    preview = service.read(args.file, format=args.format, overrides=_parse_maps(args.map))
    labels = {f.key: f.label for f in fields_for_event(event)}
    print(
        _("{name}: {rows} rows, format {format}.").format(
            name=preview.path.name, rows=preview.row_count, format=preview.format
        )
    )
    for field, column in preview.mapping.items():
        print(f"  {labels.get(field, field)} ← {column}")
    if preview.generates_codes:
        print(
            _(
                "No code column: new registrations get new codes; on a later import of the same list, "
                "rows are matched by email and name."
            )
        )
    try:
        report = service.apply(preview, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
    except ImportRejectedError as exc:
        _print_errors(exc.report.errors)
        print(
            _("Nothing was imported: {count} rows have errors. Fix them, or use --skip-invalid.").format(
                count=len(exc.report.errors)
            ),
            file=sys.stderr,
        )
        return 1
    _print_errors(report.errors)
    for warning in report.duplicates[:_MAX_LISTED_ERRORS]:
        print(_("Warning: {message}").format(message=warning), file=sys.stderr)
    if report.dry_run:
        print(_("Dry run, nothing was changed: {summary}.").format(summary=report.summary()))
    else:
        print(_("Imported: {summary}.").format(summary=report.summary()))
    if report.skipped:
        print(_("{count} rows with errors were skipped.").format(count=report.skipped))
    if report.not_in_file:
        print(
            _("{count} registrations in the database are not in this file (left unchanged).").format(
                count=report.not_in_file
            )
        )
    return 0


def _print_errors(errors: Any) -> None:
    for error in errors[:_MAX_LISTED_ERRORS]:
        print(str(error), file=sys.stderr)
    if len(errors) > _MAX_LISTED_ERRORS:
        print(_("… and {count} more errors.").format(count=len(errors) - _MAX_LISTED_ERRORS), file=sys.stderr)


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
