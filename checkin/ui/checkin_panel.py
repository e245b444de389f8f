"""The check-in desk: scan field, a big colour-coded result, the last scans.

Also the verdict widgets both scan stations show (``VerdictView``, ``RecentScansView``).
The panel only shows and forwards: every rule lives in ``CheckInService``.
After every action the scan field gets the focus back, so the next scan
(or the next name typed) always lands in it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.db import DatabaseWriteError
from checkin.domain.verdicts import PersonSummary, ScanVerdict, Severity, VerdictKind
from checkin.i18n import _
from checkin.presentation.formats import format_time
from checkin.presentation.note_text import scan_note_sentence
from checkin.presentation.verdict_text import SEVERITY_SYMBOLS, short_verdict_text, verdict_text
from checkin.ui import theme
from checkin.ui.at_a_glance import AttentionNote, DeskCounter, RefusalHelp
from checkin.ui.camera_view import with_camera
from checkin.ui.person_state import day_state
from checkin.ui.scan_station import ScanStation
from checkin.ui.search_popup import SearchPopup
from checkin.ui.settings import WorkingDay
from checkin.ui.sounds import SoundPlayer
from checkin.ui.undo_guard import UndoGuard
from checkin.ui.verdict_fit import VerdictFit

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext

RECENT_LIMIT = 60


def verdict_message(verdict: ScanVerdict) -> str:
    """The verdict in the UI language now in use (it may have changed since the scan)."""
    return verdict_text(verdict)


class VerdictView(QFrame):
    """The big result: a coloured band with the verdict in words, then who the person is."""

    def __init__(
        self, tz: dt.tzinfo, parent: QWidget | None = None, *, session_titles: dict[str, str] | None = None
    ) -> None:
        super().__init__(parent)
        self._tz = tz
        self._session_titles = session_titles or {}
        self._colours: theme.SeverityColours | None = None
        self._chip_colour: str | None = None
        self._verdict: ScanVerdict | None = None
        self._fresh: PersonSummary | None = None  # the person as edited since the verdict
        self._info: tuple[str, str] | None = None  # (headline, detail) for neutral messages
        self.setObjectName("verdictView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.band = QLabel()
        self.band.setObjectName("verdictBand")
        self.band.setWordWrap(True)
        self.band.setFont(theme.font(22, bold=True))
        self.band.setContentsMargins(24, 16, 24, 16)
        self.band.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.band)
        body = QWidget()
        body.setObjectName("verdictBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(24, 18, 24, 18)
        body_layout.setSpacing(6)
        self.title_label = QLabel()
        self.title_label.setFont(theme.font(15))
        self.name_label = QLabel()
        self.name_label.setObjectName("personName")
        self.name_label.setFont(theme.font(30, bold=True))
        self.name_label.setWordWrap(True)
        self.organisation_label = QLabel()
        self.organisation_label.setFont(theme.font(17))
        self.organisation_label.setWordWrap(True)
        self.function_label = QLabel()
        self.function_label.setFont(theme.font(13))
        self.function_label.setWordWrap(True)
        self.category_label = QLabel()
        self.category_label.setFont(theme.font(13, bold=True))
        self.category_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.workshops_label = QLabel()
        self.workshops_label.setFont(theme.font(13))
        self.workshops_label.setWordWrap(True)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("verdictDetail")
        self.detail_label.setFont(theme.font(14, bold=True))
        self.detail_label.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setFont(theme.font(12))
        self.notes_label.setWordWrap(True)
        self.notes_label.setProperty("role", "muted")
        for label in (
            self.title_label,
            self.name_label,
            self.organisation_label,
            self.function_label,
        ):
            body_layout.addWidget(label)
        body_layout.addSpacing(6)
        body_layout.addWidget(self.category_label)
        body_layout.addWidget(self.workshops_label)
        body_layout.addSpacing(8)
        body_layout.addWidget(self.detail_label)
        body_layout.addWidget(self.notes_label)
        body_layout.addStretch(1)
        for label in (self.band, *body.findChildren(QLabel)):
            # Never squeeze text into its neighbours on a small window: grow instead.
            label.setSizePolicy(label.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Minimum)
        layout.addWidget(body, 1)
        self.body = body
        self.fit = VerdictFit(self)  # on a small screen: fewer lines, never overlapping ones
        self.show_ready()

    @property
    def verdict(self) -> ScanVerdict | None:
        return self._verdict

    def _colour(self, colours: theme.SeverityColours) -> None:
        # A new style sheet re-polishes every child: only when the colour really changes.
        if colours == self._colours:
            return
        self._colours = colours
        self.setStyleSheet(
            f"#verdictView {{ border: 2px solid {colours.strong}; border-radius: 8px;"
            f" background: {colours.tint}; }}"
            f"#verdictBand {{ background: {colours.strong}; color: white; border-top-left-radius: 6px;"
            f" border-top-right-radius: 6px; }}"
            f"#verdictBody {{ background: {colours.tint}; border-bottom-left-radius: 6px;"
            f" border-bottom-right-radius: 6px; }}"
            f"#verdictDetail {{ color: {colours.text}; }}"
        )

    def _person(self, person: PersonSummary | None) -> None:
        if person is None:
            for label in (
                self.title_label,
                self.name_label,
                self.organisation_label,
                self.function_label,
                self.category_label,
                self.workshops_label,
            ):
                label.clear()
                label.hide()
            return
        self.title_label.setText(person.title)
        self.title_label.setVisible(bool(person.title))
        self.name_label.setText(" ".join(p for p in (person.first_name, person.last_name) if p))
        self.name_label.show()
        self.organisation_label.setText(person.organisation)
        self.organisation_label.setVisible(bool(person.organisation))
        self.function_label.setText(person.function)
        self.function_label.setVisible(bool(person.function))
        if person.category_name:
            colour = person.category_colour or theme.NEUTRAL.strong
            self.category_label.setText(person.category_name)
            if colour != self._chip_colour:
                self._chip_colour = colour
                self.category_label.setStyleSheet(
                    f"background: {colour}; color: {theme.readable_text_on(colour)};"
                    " border-radius: 4px; padding: 3px 10px;"
                )
            self.category_label.show()
        else:
            self.category_label.hide()
        if person.workshops:
            self.workshops_label.setText(_("Workshops: {titles}").format(titles=" · ".join(person.workshops)))
            self.workshops_label.show()
        else:
            self.workshops_label.hide()

    def show_verdict(self, verdict: ScanVerdict) -> None:
        self._verdict = verdict
        self._fresh = None
        self._info = None
        self._render()

    def refresh_person(self, person: PersonSummary) -> None:
        """The person of the verdict shown was edited: say their new details (same verdict)."""
        shown = self._verdict.person if self._verdict is not None else None
        if shown is not None and shown.registration_id == person.registration_id:
            self._fresh = person
            self._render()

    def show_info(self, headline: str, detail: str = "", severity: Severity | None = None) -> None:
        """A message that is not a scan (undo done, print failed...), keeping the colours calm."""
        self._verdict = None
        self._info = (headline, detail)
        colours = theme.SEVERITY_COLOURS[severity] if severity else theme.NEUTRAL
        self._colour(colours)
        self.band.setText(headline)
        self._person(None)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        self.notes_label.hide()
        self.fit.content_changed()

    def show_ready(self) -> None:
        self.show_info(
            _("Ready to scan"),
            _("Scan a QR code or type a name. F2 searches, Ctrl+N registers a walk-in."),
        )
        self._info = None

    def _render(self) -> None:
        verdict = self._verdict
        if verdict is None:
            self.show_ready()
            return
        if self._fresh is not None:
            verdict = dataclasses.replace(verdict, person=self._fresh)
        self._colour(theme.SEVERITY_COLOURS[verdict.severity])
        self.band.setText(f"{SEVERITY_SYMBOLS[verdict.severity]}   {verdict_message(verdict)}")
        self._person(verdict.person)
        detail = ""
        if verdict.kind is VerdictKind.ALREADY_CHECKED_IN and verdict.first_checkin_at is not None:
            time_text = format_time(verdict.first_checkin_at, tz=self._tz)
            if verdict.first_checkin_desk:
                detail = _("First checked in at {time} at desk {desk}.").format(
                    time=time_text, desk=verdict.first_checkin_desk
                )
            else:
                detail = _("First checked in at {time}.").format(time=time_text)
        elif verdict.person is None and verdict.code:
            detail = _("Code read: {code}").format(code=verdict.code)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        notes = [scan_note_sentence(n, self._session_titles) for n in verdict.notes]
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
        self.fit.content_changed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit.apply()

    def retranslate(self) -> None:
        if self._verdict is not None:
            self._render()
        elif self._info is None:
            self.show_ready()


@dataclass(frozen=True)
class RecentScan:
    at: dt.datetime
    verdict: ScanVerdict


class RecentScansView(QTreeWidget):
    """The last scans, newest first; double-click opens the person."""

    person_requested = Signal(int)

    def __init__(self, tz: dt.tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._scans: list[RecentScan] = []
        self._undone: set[int] = set()  # id() of the scans undone here
        self.setObjectName("recentScans")
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setColumnCount(3)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.itemActivated.connect(self._on_activated)
        self.retranslate()

    def add(self, at: dt.datetime, verdict: ScanVerdict) -> None:
        self._scans.insert(0, RecentScan(at, verdict))
        for dropped in self._scans[RECENT_LIMIT:]:
            self._undone.discard(id(dropped))
        del self._scans[RECENT_LIMIT:]
        self.insertTopLevelItem(0, self._item(self._scans[0]))
        while self.topLevelItemCount() > RECENT_LIMIT:
            self.takeTopLevelItem(self.topLevelItemCount() - 1)

    def _item(self, scan: RecentScan) -> QTreeWidgetItem:
        verdict = scan.verdict
        who = verdict.person.display_name if verdict.person is not None else (verdict.code or "—")
        item = QTreeWidgetItem([format_time(scan.at, tz=self._tz), who, self._result_text(scan)])
        item.setToolTip(2, verdict_message(verdict))
        colours = theme.SEVERITY_COLOURS[verdict.severity]
        item.setForeground(2, QColor(colours.text))
        return item

    def _result_text(self, scan: RecentScan) -> str:
        if self.is_undone(scan):
            return "↶  " + _("Undone")
        return short_verdict_text(scan.verdict)

    def refresh_person(self, person: PersonSummary) -> None:
        """A person in the list was edited: their rows say the new name (undone rows stay undone)."""
        for row, scan in enumerate(self._scans):
            if scan.verdict.person is None or scan.verdict.person.registration_id != person.registration_id:
                continue
            fresh = RecentScan(scan.at, dataclasses.replace(scan.verdict, person=person))
            self._scans[row] = fresh
            if id(scan) in self._undone:
                self._undone.discard(id(scan))
                self._undone.add(id(fresh))
            if (item := self.topLevelItem(row)) is not None:
                item.setText(1, person.display_name)
                item.setToolTip(2, verdict_message(fresh.verdict))

    def is_undone(self, scan: RecentScan) -> bool:
        return id(scan) in self._undone

    def mark_undone(self, scan: RecentScan) -> None:
        """The check-in of this row was undone here: the row says so (struck through)."""
        if scan not in self._scans:
            return
        self._undone.add(id(scan))
        item = self.topLevelItem(self._scans.index(scan))
        if item is not None:
            item.setText(2, self._result_text(scan))
            item.setForeground(2, QColor(theme.NEUTRAL.text))
            for column in range(self.columnCount()):
                font = item.font(column)
                font.setStrikeOut(True)
                item.setFont(column, font)

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        # Rows and ``_scans`` are in the same order. (Item data is not used: PySide6 6.12
        # miscounts references to None read back from a QVariant.)
        row = self.indexOfTopLevelItem(item)
        if 0 <= row < len(self._scans) and (person := self._scans[row].verdict.person) is not None:
            self.person_requested.emit(person.registration_id)

    @property
    def scans(self) -> list[RecentScan]:
        return list(self._scans)

    def clear(self) -> None:
        """Forget the scans with their rows (the door changed its session)."""
        self._scans.clear()
        self._undone.clear()
        super().clear()

    def retranslate(self) -> None:
        self.setHeaderLabels([_("Time"), _("Name"), _("Result")])
        for index, scan in enumerate(self._scans):
            item = self.topLevelItem(index)
            if item is not None:
                item.setText(2, self._result_text(scan))
                item.setToolTip(2, verdict_message(scan.verdict))


class CheckInPanel(QWidget):
    """The entrance desk: a scan station with the search under its field, and the desk's buttons.

    Signals:
        checked_in(ScanVerdict): a person was admitted (auto-print listens).
        person_requested(int): open the person dialog for a registration.
        walk_in_requested(): the walk-in button was pressed.
        print_requested(int): print this registration's badge.
    """

    checked_in = Signal(object)
    person_requested = Signal(int)
    walk_in_requested = Signal()
    print_requested = Signal(int)

    def __init__(
        self,
        context: DeskContext,
        parent: QWidget | None = None,
        *,
        sounds: SoundPlayer | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.sounds = sounds or SoundPlayer(self, enabled=context.settings.sound)
        self._working_day: WorkingDay | None = None
        self._shown_registration_id: int | None = None
        tz = context.event.tz

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        self.station = ScanStation(
            context,
            VerdictView(tz, session_titles={s.key: s.title for s in context.event.sessions}),
            RecentScansView(tz),
            submit=self._check_in_scanned,
            sounds=self.sounds,
        )
        self.station.presented.connect(self._after_verdict)
        self.station.admitted.connect(self.checked_in)
        self.scan_label = self.station.scan_label
        self.scan_field = self.station.scan_field
        self.scan_field.setObjectName("scanField")
        self.scan_field.setClearButtonEnabled(True)
        self.verdict_view = self.station.verdict_view
        self.print_status = self.station.print_status
        self.recent_label = self.station.recent_label
        self.recent = self.station.recent
        self.recent.person_requested.connect(self.person_requested)
        layout.addWidget(with_camera(self.station, context), 1)
        self.attention = AttentionNote(context)
        self.station.presented.connect(self.attention.show_for)
        layout.addWidget(self.attention)
        self.refusal_help = RefusalHelp()
        self.station.presented.connect(self.refusal_help.show_for)
        layout.addWidget(self.refusal_help)

        buttons = QHBoxLayout()
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.undo_last)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self._on_print_clicked)
        self.person_button = QPushButton()
        self.person_button.clicked.connect(self._on_person_clicked)
        self.walk_in_button = QPushButton()
        self.walk_in_button.clicked.connect(self.walk_in_requested)
        for button in (self.undo_button, self.print_button, self.person_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # The window shows it in its header (the button row is full on a 1024-pixel screen).
        self.counter = DeskCounter(context, lambda: self._working_day.date if self._working_day else None)
        buttons.addWidget(self.walk_in_button)
        layout.addLayout(buttons)

        self.search_popup = SearchPopup(
            lambda: self.context.search,
            self.scan_field,
            self,
            state=lambda hit: (
                day_state(self.context, hit.registration_id, self.working_day)
                if self._working_day is not None
                else ""
            ),
        )
        context.changes.changed.connect(self.search_popup.follow)
        self.search_popup.chosen.connect(self.check_in_registration)
        self.search_popup.open_requested.connect(self.person_requested)
        self.station.take_return = self.search_popup.take_return
        self.undo_guard = UndoGuard(context, self.station)

        self.setTabOrder(self.scan_field, self.recent)
        self.setTabOrder(self.recent, self.undo_button)
        self.setTabOrder(self.undo_button, self.print_button)
        self.setTabOrder(self.print_button, self.person_button)
        self.setTabOrder(self.person_button, self.walk_in_button)
        self._update_buttons()
        self.retranslate()

    # -- state ---------------------------------------------------------------------------------
    @property
    def working_day(self) -> dt.date:
        if self._working_day is None:
            raise RuntimeError("set_working_day() first")
        return self._working_day.date

    def set_working_day(self, working_day: WorkingDay) -> None:
        self._working_day = working_day
        self.counter.refresh()

    def show_ready(self) -> None:
        """Ready for the next scan: the last person's verdict and note go."""
        self.verdict_view.show_ready()
        self.attention.hide()
        self.refusal_help.hide()

    @property
    def shown_registration_id(self) -> int | None:
        """The person whose result is on screen (Ctrl+P prints their badge)."""
        return self._shown_registration_id

    def focus_scan_field(self) -> None:
        self.search_popup.hide_popup()
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scan_field.selectAll()

    # -- actions -------------------------------------------------------------------------------
    def _check_in_scanned(self, raw: str) -> ScanVerdict:
        self.search_popup.hide_popup()
        return self.context.checkin.scan(raw, day=self.working_day)

    def submit_scan(self, raw: str) -> ScanVerdict | None:
        """Check in whatever a scanner (or a person) typed (None: NOT recorded, kept in the queue)."""
        return self.station.submit_scan(raw)

    def check_in_registration(self, registration_id: int) -> ScanVerdict | None:
        """Manual check-in of a person chosen from the search (None: the database did not take it)."""
        self.search_popup.hide_popup()
        try:
            verdict = self.context.checkin.check_in_registration(registration_id, day=self.working_day)
        except DatabaseWriteError as error:
            self.station.show_write_failure(error)
            return None
        self.station.present(verdict)
        return verdict

    def present_verdict(self, verdict: ScanVerdict) -> None:
        """Show a verdict made elsewhere (the walk-in dialog) as if it were scanned here."""
        self.station.present(verdict)

    def show_print_status(self, text: str, ok: bool) -> None:
        """Under the result: whether the badge went to the printer (the check-in stays either way)."""
        self.station.show_print_status(text, ok)

    def _after_verdict(self, verdict: ScanVerdict) -> None:
        self._shown_registration_id = verdict.person.registration_id if verdict.person else None
        self._update_buttons()
        self.focus_scan_field()

    def undo_last(self) -> bool:
        """Undo a check-in of the last minutes here after asking; the panel says what was undone."""
        result = self.undo_guard.undo_last()
        if result is not None:
            self._shown_registration_id = result.registration_id
            self._update_buttons()
        self.station.record_undo(result)
        self.focus_scan_field()
        return result is not None

    def show_message(self, headline: str, detail: str = "", severity: Severity | None = None) -> None:
        self.verdict_view.show_info(headline, detail, severity)

    def _on_print_clicked(self) -> None:
        if self._shown_registration_id is not None:
            self.print_requested.emit(self._shown_registration_id)
        self.focus_scan_field()

    def _on_person_clicked(self) -> None:
        if self._shown_registration_id is not None:
            self.person_requested.emit(self._shown_registration_id)

    def _update_buttons(self) -> None:
        has_person = self._shown_registration_id is not None
        self.print_button.setEnabled(has_person)
        self.person_button.setEnabled(has_person)

    # -- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.scan_label.setText(_("&Scan a code or type a name"))
        self.scan_field.setPlaceholderText(_("Scan the QR code or type a name …"))
        self.recent_label.setText(_("Last scans"))
        self.undo_button.setText(_("Undo last (Ctrl+Z)"))
        self.print_button.setText(_("Print badge (Ctrl+P)"))
        self.person_button.setText(_("Open person"))
        self.walk_in_button.setText(_("Walk-in (Ctrl+N)"))
        self.verdict_view.retranslate()
        self.recent.retranslate()
        self.search_popup.retranslate()
        self.refusal_help.retranslate()
        self.counter.refresh()
