"""The attendance workbook: participants, sessions, one sheet per workshop, check-in log, statistics.

Every table sheet has a frozen, filtered header row and fitted column
widths; times are real Excel date/times in the event's time zone. Rows
stream from ``checkin.io.participants`` in one pass (participants feed
the workshop sheets and the statistics as they go by), then the log.
"""

from __future__ import annotations

from pathlib import Path

from checkin.domain.db import Database
from checkin.domain.events import EventInfo, SessionInfo
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.domain.statistics import AttendanceStatistics, StatisticsAccumulator
from checkin.i18n import _
from checkin.io.export_filters import ResolvedFilters
from checkin.io.export_tables import (
    headers,
    in_programme_order,
    log_columns,
    participant_columns,
    safe_values,
    session_member_columns,
)
from checkin.io.log_rows import count_log_rows, iter_log
from checkin.io.outfile import atomic_output
from checkin.io.participants import select_participants
from checkin.io.sanitize import safe_cell
from checkin.io.xlsx_stream import SheetWriter, XlsxStreamWriter

PROGRESS_EVERY = 1000

NO_PROGRESS = NullProgress()


def _safe_row(cells: list) -> list:
    return [safe_cell(c) for c in cells]


def workshop_sheet_name(title: str) -> str:
    """A sheet name for a session: sheet names hold 31 characters, so a long title keeps
    its number and the part after the colon ('1 Ganzheitliche Digitalisierung')."""
    if len(title) <= 31:
        return title
    head, sep, tail = title.partition(":")
    if sep and tail.strip():
        number = "".join(ch for ch in head if ch.isdigit())
        short = f"{number} {tail.strip()}" if number else tail.strip()
        return short[:31]
    return title[:31]


def _session_overview_header() -> list[str]:
    return [
        _("Session"),
        _("Kind"),
        _("Day"),
        _("Start"),
        _("End"),
        _("Room"),
        _("Capacity"),
        _("Registered"),
        _("Utilisation"),
        _("Attended"),
        _("No-shows"),
    ]


def write_statistics_sheet(sheet: SheetWriter, event: EventInfo, stats: AttendanceStatistics) -> None:
    """Figures per day, per session and per category, as three small tables under each other."""
    sheet.title(event.name)
    sheet.append([f"{event.venue} · {event.date_range_text()}"], measure=False)
    sheet.append([])
    sheet.header([_("Registrations"), _("active"), _("cancelled"), _("walk-ins"), _("arrived (any day)")])
    sheet.append([stats.registrations, stats.active, stats.cancelled, stats.walk_ins, stats.arrived_any_day])
    sheet.append([])
    sheet.header(
        [
            _("Day"),
            _("Registered"),
            _("Arrived"),
            _("of them registered"),
            _("Not registered"),
            _("No-shows"),
            _("No-show rate"),
        ]
    )
    for day in stats.days:
        sheet.append(
            [
                day.date,
                day.registered,
                day.arrived,
                day.arrived_registered,
                day.unregistered_arrivals,
                day.no_shows,
                day.no_show_rate,
            ]
        )
    sheet.append([])
    sheet.header(
        [
            _("Session"),
            _("Day"),
            _("Start"),
            _("Room"),
            _("Capacity"),
            _("Registered"),
            _("Attended"),
            _("No-shows"),
            _("Utilisation"),
        ]
    )
    for item in stats.sessions:
        sheet.append(
            _safe_row(
                [
                    item.title,
                    item.day,
                    item.start,
                    item.room,
                    item.capacity,
                    item.registered,
                    item.attended,
                    item.no_shows,
                    item.occupancy,
                ]
            )
        )
    sheet.append([])
    sheet.header([_("Category"), _("Registered"), _("Cancelled"), _("Arrived")])
    for category in stats.categories:
        sheet.append(_safe_row([category.name, category.registered, category.cancelled, category.arrived]))


def write_attendance_xlsx(
    db: Database,
    event: EventInfo,
    out: Path,
    resolved: ResolvedFilters,
    *,
    progress: Progress = NO_PROGRESS,
) -> tuple[int, int, tuple[str, ...]]:
    """Write the workbook; returns (participant rows, log rows, sheet names)."""
    participant_cols = participant_columns(event, resolved)
    member_cols = session_member_columns()
    log_cols = log_columns(event)
    sessions = in_programme_order(event, resolved.sessions(event))
    accumulator = StatisticsAccumulator(event, resolved.days(event), sessions)
    with db.read() as session, atomic_output(out) as temporary:
        selected = select_participants(session, event, resolved)
        log_total = count_log_rows(session, event, resolved)
        total = len(selected) + log_total
        progress.update(0, total, _("Exporting participants…"))
        check_cancelled(progress)
        with XlsxStreamWriter(temporary, title=event.name) as book:
            participants = book.add_sheet(_("Participants"))
            overview = book.add_sheet(
                _("Sessions"), percent_columns=[_session_overview_header().index(_("Utilisation"))]
            )
            session_sheets: dict[int, tuple[SessionInfo, SheetWriter]] = {}
            for item in sessions:
                if item.is_workshop or resolved.session is not None:
                    sheet = book.add_sheet(workshop_sheet_name(item.title))
                    sheet.header(headers(member_cols))
                    session_sheets[item.id] = (item, sheet)
            log_sheet = book.add_sheet(_("Check-in log"))
            stats_sheet = book.add_sheet(
                _("Statistics"), freeze_header=False, autofilter=False, percent_columns=[6, 8]
            )
            participants.header(headers(participant_cols))
            participant_cells = safe_values(participant_cols)
            member_cells = safe_values(member_cols)
            log_cells = safe_values(log_cols)
            done = 0
            for row in selected:
                participants.append(participant_cells(row))
                accumulator.add(row)
                for session_id, (item, sheet) in session_sheets.items():
                    if session_id in row.attended or (
                        row.is_active and session_id in row.registered_session_ids
                    ):
                        sheet.append(member_cells((row, item)))
                done += 1
                if done % PROGRESS_EVERY == 0:
                    check_cancelled(progress)
                    progress.update(done, total, _("Exporting participants…"))
            stats = accumulator.result()
            overview.header(_session_overview_header())
            for item, figures in zip(sessions, stats.sessions, strict=True):
                overview.append(
                    _safe_row(
                        [
                            item.title,
                            _("workshop") if item.is_workshop else _("plenary"),
                            item.day,
                            item.start,
                            item.end,
                            item.room,
                            item.capacity,
                            figures.registered,
                            figures.occupancy,
                            figures.attended,
                            figures.no_shows,
                        ]
                    )
                )
            log_sheet.header(headers(log_cols))
            check_cancelled(progress)
            for log_row in iter_log(session, event, resolved):
                log_sheet.append(log_cells(log_row))
                done += 1
                if done % PROGRESS_EVERY == 0:
                    check_cancelled(progress)
                    progress.update(done, total, _("Exporting the check-in log…"))
            write_statistics_sheet(stats_sheet, event, stats)
            check_cancelled(progress)
            sheet_names = book.sheet_names
            log_rows = log_sheet.row_count - 1
        progress.update(total, total, _("Export finished."))
    return len(selected), log_rows, sheet_names


__all__ = ["workshop_sheet_name", "write_attendance_xlsx", "write_statistics_sheet"]
