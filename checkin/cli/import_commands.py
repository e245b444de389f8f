"""The ``import`` command: a registration list (CSV or Excel) into the current event.

Only argparse and i18n at module level, like the other command modules: the
importer is imported inside the handler so that ``checkin --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from checkin.cli.event_commands import _tolerant_stdout
from checkin.i18n import _

if TYPE_CHECKING:
    from checkin.cli.context import CliContext

_MAX_LISTED_ERRORS = 50


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = subparsers.add_parser(
        "import",
        help=_("import a registration list (CSV or Excel)"),
        description=_(
            "Import registrations from a CSV or Excel (.xlsx) file into the event. Rows are matched by "
            "code; a list without a code column gets new codes and is matched by email and name when it "
            "is imported again. Only rows that cannot become a person (no name, one code for two "
            "people) are errors; everything else is imported with a warning saying what was assumed. "
            "Unknown categories are created unless --map-value maps them. All or nothing unless "
            "--skip-invalid."
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
    imp.add_argument(
        "--strict",
        action="store_true",
        help=_("treat warnings as errors: rows with warnings are not imported"),
    )
    imp.add_argument(
        "--map-value",
        action="append",
        default=[],
        metavar="FIELD:VALUE=TARGET",
        help=_(
            "read VALUE of FIELD (category, product or status) as TARGET, e.g. "
            '"category:Aussteller/in=Teilnehmer/in"; remembered for the event; repeatable'
        ),
    )
    imp.set_defaults(handler=_import)


def _parse_maps(values: list[str]) -> dict[str, str]:
    from checkin.io.importing import ImportMappingError

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
    from checkin.io.importing import (
        ImportRejectedError,
        ImportService,
        fields_for_event,
        parse_value_maps,
    )
    from checkin.io.importing import report as words

    event = ctx.event()
    service = ImportService(ctx.db, event)
    choices = parse_value_maps(event, args.map_value)
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
        report = service.apply(
            preview,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            strict=args.strict,
            choices=choices,
        )
    except ImportRejectedError as exc:
        _print_warnings(exc.report)
        _print_errors(exc.report.errors, words.describe_row)
        print(
            _("Nothing was imported: {count} rows have errors. Fix them, or use --skip-invalid.").format(
                count=len(exc.report.errors)
            ),
            file=sys.stderr,
        )
        return 1
    _print_warnings(report)
    _print_errors(report.errors, words.describe_row)
    for created in report.created_categories:
        print(words.describe_created(created))
    for warning in report.duplicates[:_MAX_LISTED_ERRORS]:
        print(_("Warning: {message}").format(message=words.describe_duplicate(warning)), file=sys.stderr)
    if report.dry_run:
        print(_("Dry run, nothing was changed: {summary}.").format(summary=words.summary(report)))
    else:
        print(_("Imported: {summary}.").format(summary=words.summary(report)))
    if report.skipped:
        print(_("{count} rows with errors were skipped.").format(count=report.skipped))
    if report.not_in_file:
        print(
            _("{count} registrations in the database are not in this file (left unchanged).").format(
                count=report.not_in_file
            )
        )
    return 0


def _print_warnings(report: Any) -> None:
    """Warnings grouped by kind: a heading with its lines, then what was assumed."""
    from checkin.io.importing import report as words

    for heading, lines, messages in words.grouped_warnings(report):
        print(
            _("Warning: {heading} (line {lines})").format(heading=heading, lines=words.lines_text(lines)),
            file=sys.stderr,
        )
        for message in messages[:5]:
            print(f"  {message}", file=sys.stderr)
        if len(messages) > 5:
            print("  " + _("… and {count} more.").format(count=len(messages) - 5), file=sys.stderr)


def _print_errors(errors: Sequence[Any], describe: Callable[[Any], str]) -> None:
    for error in errors[:_MAX_LISTED_ERRORS]:
        print(describe(error), file=sys.stderr)
    if len(errors) > _MAX_LISTED_ERRORS:
        print(_("… and {count} more errors.").format(count=len(errors) - _MAX_LISTED_ERRORS), file=sys.stderr)
