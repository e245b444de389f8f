"""What the window's Export menu and the CLI call: one function per kind of export.

Every function takes the database and the event, writes its file(s)
atomically (a cancelled or failed export leaves no half file), reports
progress and raises ``ExportError`` / ``Cancelled`` (both ``UserError``)
with a message for the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.progress import NullProgress, Progress
from checkin.i18n import _
from checkin.io.export_filters import ExportError, ExportFilters, resolve_filters

FORMATS = ("xlsx", "csv")

NO_PROGRESS = NullProgress()
NO_FILTERS = ExportFilters()


@dataclass(frozen=True)
class ExportSummary:
    """What an attendance export wrote."""

    path: Path
    fmt: str  # "xlsx" or "csv"
    participants: int  # rows in the participants table (CSV log export: 0)
    log_entries: int  # rows in the check-in log (XLSX, or CSV with table="log")
    sheets: tuple[str, ...] = ()


def format_from_suffix(out: Path, fmt: str | None) -> str:
    """``fmt`` if given, else the file's suffix; refuses anything but xlsx and csv."""
    chosen = (fmt or out.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ExportError(
            _("Cannot tell the export format from '{name}': name the file .xlsx or .csv.").format(
                name=out.name
            )
        )
    return chosen


def export_attendance(
    db: Database,
    event: EventInfo,
    out: Path,
    *,
    fmt: str | None = None,
    dialect: str = "excel-de",
    filters: ExportFilters = NO_FILTERS,
    table: str = "participants",
    progress: Progress = NO_PROGRESS,
) -> ExportSummary:
    """Export who came to what: an XLSX workbook (participants, sessions, one sheet per workshop,
    check-in log, statistics) or a CSV of the participants (``table="log"``: of the check-in log)."""
    out = Path(out)
    chosen = format_from_suffix(out, fmt)
    resolved = resolve_filters(event, filters)
    if chosen == "xlsx":
        from checkin.io.export_xlsx import write_attendance_xlsx

        participants, log_rows, sheets = write_attendance_xlsx(db, event, out, resolved, progress=progress)
        return ExportSummary(
            path=out, fmt="xlsx", participants=participants, log_entries=log_rows, sheets=sheets
        )
    from checkin.io.export_csv import write_attendance_csv

    written = write_attendance_csv(db, event, out, resolved, dialect=dialect, table=table, progress=progress)
    if table == "log":
        return ExportSummary(path=out, fmt="csv", participants=0, log_entries=written)
    return ExportSummary(path=out, fmt="csv", participants=written, log_entries=0)


def write_report_pdf(db: Database, event: EventInfo, out: Path, *, progress: Progress = NO_PROGRESS) -> None:
    """The organiser's summary report with charts (see ``checkin.io.report_pdf``)."""
    from checkin.io.report_pdf import write_report_pdf as write

    write(db, event, Path(out), progress=progress)


def write_signature_lists(
    db: Database,
    event: EventInfo,
    out: Path,
    *,
    session_key: str | None = None,
    day: dt.date | None = None,
    attended: bool = False,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Signature lists as one PDF; returns the number of lists (see ``checkin.io.signature_lists``)."""
    from checkin.io.signature_lists import write_signature_lists as write

    return write(db, event, Path(out), session_key=session_key, day=day, attended=attended, progress=progress)


def write_per_organisation(
    db: Database,
    event: EventInfo,
    out_dir: Path,
    *,
    fmt: str = "xlsx",
    with_email: bool = False,
    with_codes: bool = False,
    aliases: Mapping[str, str] | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[Path]:
    """One file per organisation in ``out_dir`` (see ``checkin.io.per_organisation``)."""
    from checkin.io.per_organisation import write_per_organisation as write

    return write(
        db,
        event,
        Path(out_dir),
        fmt=fmt,
        with_email=with_email,
        with_codes=with_codes,
        aliases=aliases,
        progress=progress,
    )


__all__ = [
    "ExportError",
    "ExportFilters",
    "ExportSummary",
    "export_attendance",
    "format_from_suffix",
    "write_per_organisation",
    "write_report_pdf",
    "write_signature_lists",
]
