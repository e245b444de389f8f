"""A scan station's result and "Last scans" follow what changed, so they never show stale text.

A verdict is a moment: "checked in at 09:00". But the person it names can be edited
afterwards (the name fixed in the person dialog), and the check-in a row shows can be
undone elsewhere (at another desk, in another window). ``StationRefresher`` subscribes to
the desk's ``ChangeBus``; when a change touches a person on the station's screen it re-reads
those people (in the background, like the dashboard) and hands the new details to the
verdict view and the list, and marks rows whose check-in is no longer in force as undone.
It never polls: no change, no read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from checkin.domain.changes import Changes
from checkin.domain.errors import UserError

VISIBLE_ROWS = 15  # "Last scans" rows one sees without scrolling

if TYPE_CHECKING:
    from checkin.domain.people import PersonDetails
    from checkin.ui.context import DeskContext
    from checkin.ui.scan_station import ScanStation


class StationRefresher(QObject):
    """Keeps one scan station's verdict view and "Last scans" in step with the ``ChangeBus``."""

    def __init__(self, context: DeskContext, station: ScanStation) -> None:
        super().__init__(station)
        self._context = context
        self._station = station
        self._loading = False
        self._waiting: set[int] = set()  # touched while a read was running: read next
        context.changes.changed.connect(self._on_changes)

    def shown_ids(self, rows: int | None = None) -> set[int]:
        """The people on screen: the verdict's and those in "Last scans" (its first ``rows``)."""
        scans = self._station.recent.scans[:rows]
        ids = {s.verdict.person.registration_id for s in scans if s.verdict.person}
        verdict = self._station.verdict_view.verdict
        if verdict is not None and verdict.person is not None:
            ids.add(verdict.person.registration_id)
        return ids

    def _on_changes(self, changes: Changes) -> None:
        # "Anyone may have changed" (another desk wrote, seen by the poller every few seconds):
        # only the rows in view are read again, not all sixty, so a busy hall costs few reads.
        rows = VISIBLE_ROWS if changes.registrations is None else None
        touched = {i for i in self.shown_ids(rows) if changes.touches_registration(i)}
        if touched:
            self._waiting |= touched
            self._load()

    def _load(self) -> None:
        if self._loading or not self._waiting:
            return
        ids, self._waiting = sorted(self._waiting), set()
        self._loading = True
        checkin = self._context.checkin

        def read(_progress: object) -> list[PersonDetails]:
            found = []
            for registration_id in ids:
                try:
                    found.append(checkin.person(registration_id))
                except UserError:  # gone (a purge, another desk's import): its rows stay as they are
                    continue
            return found

        self._context.tasks.run(read, on_done=self._on_read, on_error=self._on_failed, quiet=True)

    def _on_read(self, people: list[PersonDetails]) -> None:
        self._loading = False
        station = self._station
        for details in people:
            station.verdict_view.refresh_person(details.summary)
            station.recent.refresh_person(details.summary)
            self._mark_undone_elsewhere(details)
        self._load()

    def _on_failed(self, _error: BaseException) -> None:
        # The next change reads again; a failed read leaves the screen as it was.
        self._loading = False

    def _mark_undone_elsewhere(self, details: PersonDetails) -> None:
        """Rows of check-ins that are no longer in force (undone at another desk) say "Undone"."""
        from checkin.ui.undo_guard import recorded_a_check_in

        recent = self._station.recent
        registration_id = details.summary.registration_id
        for scan in recent.scans:
            verdict = scan.verdict
            if (
                verdict.person is None
                or verdict.person.registration_id != registration_id
                or verdict.day is None
                or not recorded_a_check_in(scan)
                or recent.is_undone(scan)
            ):
                continue
            if not details.checked_in_on(verdict.day, verdict.session_key):
                recent.mark_undone(scan)
