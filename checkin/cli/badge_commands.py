"""Badge commands: ``badges`` (batch PDF), ``certificates`` (attendance), ``layouts`` (list)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checkin.cli.common import add_desk_argument, parse_date
from checkin.i18n import _, ngettext

if TYPE_CHECKING:
    from checkin.badges.service import BadgeSelection, BadgeService
    from checkin.cli.context import CliContext


def _pdf_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() != ".pdf":
        raise argparse.ArgumentTypeError(_("'{text}' must end in .pdf.").format(text=text))
    return path


def _label_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("'{text}' is not a label number (1, 2, 3 …).").format(text=text))
    return value


def _number(value: float) -> str:
    """``85.6`` as the UI language writes it (German: ``85,6``)."""
    from checkin.i18n import current_language

    text = f"{value:g}"
    return text.replace(".", ",") if current_language() == "de" else text


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    badges = subparsers.add_parser(
        "badges",
        help=_("write name badges into one PDF"),
        description=_(
            "Write the name badges of all registrations (or a selection) into one PDF, sorted by "
            "last name, and log them as printed."
        ),
    )
    badges.add_argument(
        "--out", required=True, metavar="FILE.pdf", type=_pdf_path, help=_("the PDF to write")
    )
    badges.add_argument(
        "--layout", metavar="NAME", help=_("badge layout (see 'checkin layouts'; default: the event's)")
    )
    badges.add_argument(
        "--code", action="append", default=[], metavar="CODE", help=_("only this registration (repeatable)")
    )
    badges.add_argument(
        "--category", action="append", default=[], metavar="NAME", help=_("only this category (repeatable)")
    )
    badges.add_argument(
        "--day", metavar="YYYY-MM-DD", type=parse_date, help=_("only people coming on this day")
    )
    badges.add_argument("--unprinted", action="store_true", help=_("only badges not printed yet"))
    badges.add_argument(
        "--sort",
        choices=("last_name", "organisation"),
        default="last_name",
        help=_("order of the badges (default: last_name)"),
    )
    badges.add_argument(
        "--double-sided",
        action="store_true",
        default=None,
        help=_("print the name on both sides (not on label rolls)"),
    )
    badges.add_argument(
        "--start-at",
        metavar="N",
        type=_label_number,
        default=1,
        help=_("sheets only: leave the first N-1 labels of the first sheet empty (already used)"),
    )
    badges.add_argument(
        "--calibration",
        action="store_true",
        help=_("write only a calibration page for the layout (outlines of every label, to find the offset)"),
    )
    badges.add_argument(
        "--print-shop",
        action="store_true",
        help=_("one badge per page with 3 mm bleed, trim box and crop marks, for a print shop"),
    )
    badges.add_argument(
        "--include-cancelled", action="store_true", help=_("also print cancelled registrations")
    )
    badges.add_argument(
        "--no-log", action="store_true", help=_("do not record the badges as printed (a proof copy)")
    )
    add_desk_argument(badges)
    badges.set_defaults(handler=run_badges)

    certificates = subparsers.add_parser(
        "certificates",
        help=_("write certificates of attendance into one PDF"),
        description=_(
            "Write a certificate of attendance (A4) for everybody who was checked in, or for the given "
            "codes, listing the days and workshops they attended."
        ),
    )
    target = certificates.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="FILE.pdf", type=_pdf_path, help=_("the PDF to write"))
    target.add_argument(
        "--out-dir", metavar="FOLDER", type=Path, help=_("write one PDF per person into this folder")
    )
    certificates.add_argument(
        "--code", action="append", default=[], metavar="CODE", help=_("only this registration (repeatable)")
    )
    certificates.set_defaults(handler=run_certificates)

    layouts = subparsers.add_parser("layouts", help=_("list the badge layouts"))
    layouts.set_defaults(handler=run_layouts)


def run_badges(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.badges.service import BadgeSelection, BadgeService

    event = ctx.event()
    service = BadgeService(ctx.db, event, desk=args.desk)
    if args.calibration:
        return _write_calibration(args, service)
    selection = BadgeSelection(
        codes=tuple(args.code),
        category_keys=tuple(args.category),
        day=args.day,
        unprinted_only=args.unprinted,
        include_cancelled=args.include_cancelled,
    )
    layout = service.layout(args.layout)
    _warn_unprintable(ctx, service.select_ids(selection, sort=args.sort))
    from checkin.badges.pdf_page import template_problems

    for problem in template_problems(service.style.templates):  # a damaged PDF background: left out
        sys.stderr.write(f"{problem}\n")
    if args.print_shop:
        return _run_print_shop(args, service, selection)
    count = service.render_batch(
        args.out,
        selection,
        layout=layout.key,
        sort=args.sort,
        double_sided=args.double_sided,
        record=not args.no_log,
        start_at=args.start_at,
    )
    print(
        ngettext(
            "Wrote {n} badge to {path} (layout: {layout}).",
            "Wrote {n} badges to {path} (layout: {layout}).",
            count,
        ).format(n=count, path=args.out, layout=layout.title)
    )
    return 0


def _run_print_shop(args: argparse.Namespace, service: BadgeService, selection: BadgeSelection) -> int:
    from checkin.badges.layouts import LayoutError
    from checkin.badges.printshop import write_print_shop_pdf

    if args.start_at != 1:
        raise LayoutError(_("A print-shop file has one badge per page; --start-at does not apply."))
    ids, layout = write_print_shop_pdf(
        service, args.out, selection, layout=args.layout, sort=args.sort, double_sided=bool(args.double_sided)
    )
    if not args.no_log:
        service.record_print(ids, layout=layout.key, reason="batch")
    print(
        ngettext(
            "Wrote {n} badge to {path} (layout: {layout}).",
            "Wrote {n} badges to {path} (layout: {layout}).",
            len(ids),
        ).format(n=len(ids), path=args.out, layout=layout.title)
    )
    return 0


def _write_calibration(args: argparse.Namespace, service: BadgeService) -> int:
    from functools import partial

    from checkin.badges.fonts import register_fonts
    from checkin.badges.layouts import LayoutError
    from checkin.badges.pages import draw_calibration_page
    from checkin.badges.pdfstream import single_pdf

    layout = service.layout(args.layout)
    if layout.kind != "sheet":
        message = _("A calibration page is for label sheets; '{layout}' is not one.")
        raise LayoutError(message.format(layout=layout.title))
    draw = partial(
        draw_calibration_page, layout=layout, fonts=register_fonts(), offset_mm=service.style.sheet_offset_mm
    )
    args.out.write_bytes(single_pdf(draw, title=layout.title))
    print(_("Wrote the calibration page for {layout} to {path}.").format(layout=layout.title, path=args.out))
    print(_("Print at 100 % (no fit to page), lay it on a label sheet and hold both against the light."))
    print(_("Outlines off? Set offset_x / offset_y (mm, right and down positive) in the [badge] table."))
    return 0


def _warn_unprintable(ctx: CliContext, ids: list[int]) -> None:
    """Before printing: name the people whose badge would show "�" (no font has some of their characters)."""
    from checkin.badges.coverage import describe, unprintable_registrations

    unprintable = unprintable_registrations(ctx.db, ids)
    if unprintable:
        header = _("No font has some characters of these names; their badges would show “�” there:")
        sys.stderr.write(f"{header}\n{describe(unprintable)}\n")


def run_certificates(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.badges.service import BadgeSelection, BadgeService

    event = ctx.event()
    service = BadgeService(ctx.db, event)
    ids = None
    if args.code:
        ids = service.select_ids(BadgeSelection(codes=tuple(args.code), include_cancelled=True))
    if args.out_dir is not None:
        count = len(service.write_certificate_files(args.out_dir, ids))
        target = args.out_dir
    else:
        count = service.render_certificates(args.out, ids)
        target = args.out
    print(
        ngettext(
            "Wrote {n} certificate of attendance to {path}.",
            "Wrote {n} certificates of attendance to {path}.",
            count,
        ).format(n=count, path=target)
    )
    return 0


def run_layouts(args: argparse.Namespace, ctx: CliContext) -> int:
    from checkin.badges.layouts import available_layouts
    from checkin.domain.events import EventNotFoundError

    try:
        event = ctx.event()
    except EventNotFoundError:
        event = None  # built-in layouts only
    default = event.badge_layout if event is not None else "a6"
    for info in available_layouts(event):
        width, height = info.page_size_mm
        marker = "*" if info.key == default else " "
        page = _("{width} × {height} mm, {count} per page").format(
            width=_number(width), height=_number(height), count=info.per_page
        )
        sys.stdout.write(f"{marker} {info.key:<16} {page:<30} {info.title}\n")
    return 0
