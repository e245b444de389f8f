"""After the event: ``export``, ``report``, ``signature-lists``, ``per-organisation``,
``purge`` and ``person-data``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkin.cli.common import TerminalProgress, add_desk_argument, parse_date
from checkin.cli.supervision import add_settings_argument
from checkin.i18n import _, ngettext
from checkin.presentation.formats import format_date

if TYPE_CHECKING:
    from checkin.cli.context import CliContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = subparsers.add_parser(
        "export",
        help=_("export attendance as XLSX or CSV"),
        description=_(
            "Export who came to what. XLSX: participants, sessions, one sheet per workshop, check-in log "
            "and statistics. CSV: the participants (or, with --table log, the check-in log)."
        ),
    )
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help=_("FILE.xlsx or FILE.csv"))
    export.add_argument(
        "--dialect",
        choices=("excel-de", "comma"),
        default="excel-de",
        help=_("CSV flavour: excel-de (UTF-8 with BOM and ';', default) or comma (UTF-8 and ',')"),
    )
    export.add_argument(
        "--table",
        choices=("participants", "log"),
        default="participants",
        help=_("CSV only: which table to write (default: participants)"),
    )
    export.add_argument("--day", type=parse_date, metavar="YYYY-MM-DD", help=_("only this event day"))
    export.add_argument("--session", metavar="KEY", help=_("only this session (workshop)"))
    export.add_argument("--organisation", metavar="NAME", help=_("only this organisation"))
    export.add_argument("--category", metavar="KEY", help=_("only this category (e.g. speaker)"))
    export.set_defaults(handler=_export)

    report = subparsers.add_parser(
        "report",
        help=_("write the attendance report (PDF with charts)"),
        description=_(
            "Write the attendance report: registered and arrived per day, no-shows, arrivals per "
            "15 minutes, attendance per workshop against capacity."
        ),
    )
    report.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help=_("the PDF file to write")
    )
    report.set_defaults(handler=_report)

    lists = subparsers.add_parser(
        "signature-lists",
        help=_("write signature lists (PDF) per workshop and per day"),
        description=_(
            "Write attendance lists to sign: one per workshop and one per day for the entrance, or only "
            "the one asked for."
        ),
    )
    lists.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help=_("the PDF file to write"))
    lists.add_argument("--session", metavar="KEY", help=_("only the list of this session"))
    lists.add_argument(
        "--day",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help=_("only the lists of this day (entrance and workshops)"),
    )
    lists.add_argument(
        "--attended",
        action="store_true",
        help=_("list those who checked in, with their check-in time, instead of those registered"),
    )
    lists.set_defaults(handler=_signature_lists)

    per_org = subparsers.add_parser(
        "per-organisation",
        help=_("write one file per organisation"),
        description=_("Write one file per organisation listing its people and what they attended."),
    )
    per_org.add_argument(
        "--out-dir",
        required=True,
        type=Path,
        metavar="DIR",
        help=_("folder for the files (created if missing)"),
    )
    per_org.add_argument(
        "--format",
        dest="fmt",
        choices=("xlsx", "csv", "pdf"),
        default="xlsx",
        help=_("file format (default: xlsx)"),
    )
    per_org.add_argument(
        "--with-email",
        action="store_true",
        help=_("include the e-mail addresses (left out by default: the files go to employers)"),
    )
    per_org.add_argument(
        "--with-codes",
        action="store_true",
        help=_("include the badge codes and the registration source (left out by default)"),
    )
    per_org.add_argument(
        "--alias",
        action="append",
        default=[],
        metavar="SPELLING=NAME",
        help=_(
            'count another spelling as this organisation, e.g. --alias "JC Köln=Jobcenter Köln" '
            "(repeatable; adds to the event file's [documents.organisation_aliases])"
        ),
    )
    per_org.set_defaults(handler=_per_organisation)

    purge = subparsers.add_parser(
        "purge",
        help=_("delete personal data after the retention period"),
        description=_(
            "Delete names, e-mail addresses and other personal data of the event's registrations, keeping "
            "anonymous counts. Uses the retention date of the event file unless --before is given."
        ),
    )
    purge.add_argument(
        "--before",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help=_("cut-off date instead of the event file's retention date (today or earlier)"),
    )
    purge.add_argument(
        "--keep-statistics",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=_(
            "keep anonymised registrations and the check-in log so every count stays (default); "
            "--no-keep-statistics deletes them and keeps only the figures in the audit log"
        ),
    )
    purge.add_argument("--yes", action="store_true", help=_("confirm: personal data is deleted for good"))
    add_desk_argument(purge, _("name of this desk in the log"))
    add_settings_argument(purge)
    purge.set_defaults(handler=_purge)

    person = subparsers.add_parser(
        "person-data",
        help=_("export everything stored about one person (right of access)"),
        description=_(
            "Write everything stored about one person as JSON and as a PDF letter (right of access, "
            "Art. 15 GDPR)."
        ),
    )
    which = person.add_mutually_exclusive_group(required=True)
    which.add_argument("--code", help=_("the person's code"))
    which.add_argument("--email", help=_("the person's e-mail address"))
    person.add_argument(
        "--out", required=True, type=Path, metavar="FILE.json", help=_("the JSON file to write")
    )
    person.add_argument(
        "--letter",
        type=Path,
        metavar="FILE.pdf",
        help=_("the PDF letter to write (default: beside the JSON file, ending in .pdf)"),
    )
    add_desk_argument(person, _("name of this desk in the log"))
    person.set_defaults(handler=_person_data)


def _export(args: Any, ctx: CliContext) -> int:
    from checkin.io.exports import ExportFilters, export_attendance

    filters = ExportFilters(
        day=args.day, session_key=args.session, organisation=args.organisation, category_key=args.category
    )
    summary = export_attendance(
        ctx.db,
        ctx.event(),
        args.out,
        dialect=args.dialect,
        filters=filters,
        table=args.table,
        progress=TerminalProgress(),
    )
    if summary.fmt == "xlsx":
        print(
            _(
                "Wrote {path}: {participants} participants, {log} check-in log entries, {sheets} sheets."
            ).format(
                path=summary.path,
                participants=summary.participants,
                log=summary.log_entries,
                sheets=len(summary.sheets),
            )
        )
    elif args.table == "log":
        print(
            _("Wrote {path}: {log} check-in log entries.").format(path=summary.path, log=summary.log_entries)
        )
    else:
        print(
            _("Wrote {path}: {participants} participants.").format(
                path=summary.path, participants=summary.participants
            )
        )
    return 0


def _report(args: Any, ctx: CliContext) -> int:
    from checkin.io.exports import write_report_pdf

    write_report_pdf(ctx.db, ctx.event(), args.out, progress=TerminalProgress())
    print(_("Wrote {path}.").format(path=args.out))
    return 0


def _signature_lists(args: Any, ctx: CliContext) -> int:
    from checkin.io.exports import write_signature_lists

    count = write_signature_lists(
        ctx.db,
        ctx.event(),
        args.out,
        session_key=args.session,
        day=args.day,
        attended=args.attended,
        progress=TerminalProgress(),
    )
    print(
        ngettext("Wrote {path}: {n} list.", "Wrote {path}: {n} lists.", count).format(path=args.out, n=count)
    )
    return 0


def _per_organisation(args: Any, ctx: CliContext) -> int:
    from checkin.io.exports import write_per_organisation
    from checkin.io.per_organisation import parse_aliases

    paths = write_per_organisation(
        ctx.db,
        ctx.event(),
        args.out_dir,
        fmt=args.fmt,
        with_email=args.with_email,
        with_codes=args.with_codes,
        aliases=parse_aliases(args.alias),
        progress=TerminalProgress(),
    )
    print(
        ngettext("Wrote {n} file to {folder}.", "Wrote {n} files to {folder}.", len(paths)).format(
            n=len(paths), folder=args.out_dir
        )
    )
    return 0


def _purge(args: Any, ctx: CliContext) -> int:
    from checkin.cli.supervision import require_supervisor
    from checkin.domain.privacy import PrivacyService
    from checkin.domain.supervisor import SupervisedStep

    service = PrivacyService(ctx.db, ctx.event(), desk=args.desk)
    if args.yes:  # asked only when the purge would run (a cut-off that may not is said first)
        cutoff = service.check_cutoff(args.before)
        require_supervisor(args, ctx, SupervisedStep.PURGE, {"cutoff": cutoff.isoformat()})
    report = service.purge(before=args.before, keep_statistics=args.keep_statistics, confirm=args.yes)
    if report.keep_statistics:
        print(
            _(
                "Personal data removed from {count} registrations (cut-off {date}); {kept} check-in log "
                "entries kept without names."
            ).format(
                count=report.registrations_anonymised,
                date=format_date(report.cutoff),
                kept=report.check_ins_kept,
            )
        )
    else:
        print(
            _("Deleted {count} registrations and {log} check-in log entries (cut-off {date}).").format(
                count=report.registrations_deleted,
                log=report.check_ins_deleted,
                date=format_date(report.cutoff),
            )
        )
    if not report.file_scrubbed and ctx.db.is_sqlite:
        print(
            _("Note: another program still has the database open; its file is cleaned once it is closed."),
            file=sys.stderr,
        )
    return 0


def _person_data(args: Any, ctx: CliContext) -> int:
    import json

    from checkin.domain.document_options import document_options
    from checkin.domain.privacy import PrivacyService
    from checkin.io.outfile import atomic_output
    from checkin.io.person_letter import write_person_letter

    event = ctx.event()
    data = PrivacyService(ctx.db, event, desk=args.desk).person_data(code=args.code, email=args.email)
    with atomic_output(args.out) as temporary:
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    letter = args.letter or args.out.with_suffix(".pdf")
    if letter.resolve() == args.out.resolve():
        letter = args.out.with_name(args.out.name + ".pdf")
    write_person_letter(letter, data, document_options(event.definition))
    print(
        ngettext(
            "Wrote {path}: {n} registration.", "Wrote {path}: {n} registrations.", len(data["registrations"])
        ).format(path=args.out, n=len(data["registrations"]))
    )
    print(_("Wrote {path}.").format(path=letter))
    return 0
