"""Undo at a scan station: the last scans of the last few minutes, each only after a yes.

Ctrl+Z at a busy desk must not annul check-ins silently or several deep: the scan to
undo is the newest check-in in the station's "Last scans" that is not undone yet and
not older than ``DeskSettings.undo_minutes``; staff are asked ("Undo the check-in of
…?") before anything is written, and the row in "Last scans" is marked as undone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from checkin.domain.errors import UserError
from checkin.domain.supervisor import SupervisedStep
from checkin.domain.verdicts import Severity, VerdictKind
from checkin.i18n import _
from checkin.presentation.formats import format_time
from checkin.presentation.verdict_text import undo_text

if TYPE_CHECKING:
    from checkin.domain.verdicts import UndoResult
    from checkin.ui.checkin_panel import RecentScan, RecentScansView
    from checkin.ui.context import DeskContext
    from checkin.ui.scan_station import ScanStation
    from checkin.ui.supervisor_dialog import SupervisorGate

# Asked with the question and the window it belongs to; True means "yes, undo".
Confirm = Callable[[QWidget, str, str], bool]


def ask(parent: QWidget, title: str, question: str) -> bool:
    """The question in a message box; "No" is the default (a stray Enter undoes nothing)."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def recorded_a_check_in(scan: RecentScan) -> bool:
    verdict = scan.verdict
    return (
        verdict.admitted and verdict.person is not None and verdict.kind is not VerdictKind.ALREADY_CHECKED_IN
    )


def undo_candidates(
    recent: RecentScansView, now: dt.datetime, minutes: int
) -> tuple[RecentScan | None, RecentScan | None]:
    """(the scan Ctrl+Z would undo, or None; the newest undoable scan that is too old, or None)."""
    limit = dt.timedelta(minutes=max(0, minutes))
    too_old: RecentScan | None = None
    for scan in recent.scans:
        if not recorded_a_check_in(scan) or recent.is_undone(scan):
            continue
        if now - scan.at <= limit:
            return scan, None
        too_old = too_old or scan
    return None, too_old


class UndoGuard:
    """Undoes a station's recent check-ins after asking.

    Args:
        context: the desk (its clock and settings' ``undo_minutes``).
        station: the scan station whose "Last scans" and verdict view are used.
        confirm: asks a yes/no question (a message box; tests answer it as staff would).
    """

    def __init__(self, context: DeskContext, station: ScanStation, confirm: Confirm = ask) -> None:
        self.context = context
        self.station = station
        self.confirm = confirm
        self.supervisor: SupervisorGate | None = None  # set by the window: older scans with the PIN

    def undo_last(self) -> UndoResult | None:
        """Undo the newest undoable check-in of the last minutes after a yes; say what happened."""
        view = self.station.verdict_view
        recent: RecentScansView = self.station.recent
        minutes = self.context.settings.undo_minutes
        scan, too_old = undo_candidates(recent, self.context.clock(), minutes)
        supervisor = self.supervisor
        if scan is None and too_old is not None and supervisor is not None and supervisor.active:
            return self._undo_old(too_old, supervisor)
        if scan is None:
            if too_old is not None:
                view.show_info(
                    _("Nothing undone"),
                    _(
                        "The last check-in here is older than {minutes} minutes. "
                        "Open the person (Ctrl+O) to change it."
                    ).format(minutes=minutes),
                    Severity.WARNING,
                )
            else:
                view.show_info(
                    _("Nothing to undo"), _("This desk has no check-in that could be undone."), None
                )
            return None
        if not self.confirm(self.station.window(), _("Undo check-in"), self._question(scan)):
            view.show_info(_("Nothing undone"), "", None)
            return None
        return self._undo(scan)

    def _question(self, scan: RecentScan) -> str:
        assert scan.verdict.person is not None  # recorded_a_check_in
        return _("Undo the check-in of {name} ({time})?").format(
            name=scan.verdict.person.display_name, time=format_time(scan.at, tz=self.context.event.tz)
        )

    def _undo_old(self, scan: RecentScan, supervisor: SupervisorGate) -> UndoResult | None:
        """A check-in older than the limit: undone only with the supervisor PIN (audited)."""
        assert scan.verdict.person is not None
        why = _("{question} It is older than {minutes} minutes: the supervisor PIN is needed.").format(
            question=self._question(scan), minutes=self.context.settings.undo_minutes
        )
        detail = {"registration_id": scan.verdict.person.registration_id}
        if not supervisor.allow(self.station.window(), SupervisedStep.OLD_UNDO, why, detail):
            self.station.verdict_view.show_info(_("Nothing undone"), "", None)
            return None
        return self._undo(scan)

    def _undo(self, scan: RecentScan) -> UndoResult | None:
        view = self.station.verdict_view
        recent: RecentScansView = self.station.recent
        verdict = scan.verdict
        assert verdict.person is not None
        try:
            day = verdict.day or self.context.clock().astimezone(self.context.event.tz).date()
            result = self.context.checkin.undo(
                verdict.person.registration_id, day=day, session_key=verdict.session_key
            )
        except UserError as error:
            view.show_info(_("Nothing undone"), str(error), Severity.WARNING)
            return None
        recent.mark_undone(scan)
        if not result.undone:
            view.show_info(
                _("Nothing to undo"), _("This check-in was already undone (perhaps at another desk)."), None
            )
            return None
        view.show_info(_("Check-in undone"), undo_text(result), Severity.WARNING)
        return result
