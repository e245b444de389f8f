"""The guest list (F7): who is registered, who has arrived today, filtered by keyboard alone.

A dialog over the desk: filters at the top (who: everyone / not yet here / arrived;
category; workshop; organisation with type-ahead; a search text), the count ("312 of
1,204"), and one table of every registration in German list order. The table is a
``QAbstractTableModel`` over ``domain.guest_list.GuestList`` (no widget per row), so it
stays quick at 50,000 registrations. Scans made meanwhile (here, at other desks) reach it
through the desk's ``ChangeBus``: this desk's check-ins refresh their rows at once,
other desks' writes reload the list in a worker.

Keys: Ctrl+F the search text, ↓ from a filter into the table, Enter opens the person
(the person dialog search uses), Esc back to the scan field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.changes import Changes
from checkin.domain.collation import list_name_parts
from checkin.domain.events import EventInfo
from checkin.domain.guest_list import Guest, GuestFilter, GuestList, Presence
from checkin.domain.verdicts import Severity
from checkin.i18n import _
from checkin.presentation.formats import format_date, format_number, format_short_date, format_time
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext
    from checkin.ui.main_window import MainWindow

_ModelIndex = QModelIndex | QPersistentModelIndex
NAME, ORGANISATION, CATEGORY, DAYS, WORKSHOPS, ARRIVED = range(6)
_WIDTHS = (230, 260, 120, 100, 220, 120)
REGISTRATION_ROLE = Qt.ItemDataRole.UserRole + 1
_ANY = -1  # a filter's "all" choice (not None: PySide6 6.12 miscounts None read back from a QVariant)


def _chosen_id(combo: QComboBox) -> int | None:
    value = combo.currentData()
    return value if isinstance(value, int) and value != _ANY else None


class GuestTableModel(QAbstractTableModel):
    """The rows of a ``GuestList`` that the current filter shows, as table cells (made when drawn)."""

    def __init__(self, guests: GuestList, tz: dt.tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.guests = guests
        self._tz = tz
        self._rows: list[int] = []
        event = guests.event
        self._categories = {c.id: c.name for c in event.categories}
        self._sessions = {s.id: s.title for s in event.sessions}
        self._days = {d.id: format_short_date(d.date) for d in event.days}  # short: the column is narrow

    def set_rows(self, rows: list[int]) -> None:
        """Show these positions of ``guests`` (a new filter, a reloaded list)."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows_changed(self, positions: list[int]) -> None:
        """These positions of ``guests`` were read again in place: redraw their rows if shown."""
        shown = {position: row for row, position in enumerate(self._rows)}
        for position in positions:
            row = shown.get(position)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, ARRIVED))

    @property
    def positions(self) -> list[int]:
        return list(self._rows)

    def guest(self, row: int) -> Guest | None:
        if 0 <= row < len(self._rows):
            return self.guests.guests[self._rows[row]]
        return None

    def row_of(self, registration_id: int) -> int | None:
        position = self.guests.row_of(registration_id)
        if position is None:
            return None
        try:
            return self._rows.index(position)
        except ValueError:
            return None

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else ARRIVED + 1

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        guest = self.guest(index.row())
        if guest is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(guest, index.column())
        if role == REGISTRATION_ROLE:
            return guest.registration_id
        if role == Qt.ItemDataRole.ForegroundRole:
            if guest.cancelled or (index.column() == ARRIVED and guest.arrived_at is None):
                return QColor(theme.MUTED)
            if index.column() == ARRIVED:
                return QColor(theme.SEVERITY_COLOURS[Severity.OK].text)
        return None

    def text(self, guest: Guest, column: int) -> str:
        if column == NAME:
            return guest_name(guest)
        if column == ORGANISATION:
            return guest.organisation
        if column == CATEGORY:
            return self._categories.get(guest.category_id or -1, "")
        if column == DAYS:
            if guest.no_day_ticked and not guest.day_ids:
                return _("no day")
            if guest.every_day or len(guest.day_ids) == len(self._days):
                return _("all days")
            return ", ".join(self._days.get(d, "?") for d in guest.day_ids)
        if column == WORKSHOPS:
            return " · ".join(self._sessions.get(s, "?") for s in guest.session_ids)
        return arrival_text(guest, self._tz)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (_("Name"), _("Organisation"), _("Category"), _("Days"), _("Workshops"), _("Arrived"))
        return titles[section] if 0 <= section < len(titles) else None


def guest_name(guest: Guest) -> str:
    """ "Stein, Dr. Karl Freiherr von": the family name first, as the list is sorted."""
    family, rest = list_name_parts(guest.title, guest.first_name, guest.last_name)
    return f"{family}, {rest}" if family and rest else family or rest


def arrival_text(guest: Guest, tz: dt.tzinfo) -> str:
    """When the guest arrived today; else why they are not expected (or nothing: still expected)."""
    if guest.arrived_at is not None:
        return format_time(guest.arrived_at, tz=tz)
    if guest.cancelled:
        return _("cancelled")
    if not guest.expected:
        return _("not today")
    return ""


class GuestTableView(QTableView):
    """The table: Enter (and a double click) opens the person of the current row."""

    open_requested = Signal(int)  # registration id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guestTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else
        vertical = self.verticalHeader()
        vertical.hide()
        # Fixed row heights: Qt never measures 50,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.doubleClicked.connect(self._open)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        registration_id = index.siblingAtColumn(0).data(REGISTRATION_ROLE)
        if isinstance(registration_id, int):
            self.open_requested.emit(registration_id)


class _DownIntoTable(QObject):
    """↓ (or Enter) in a filter field moves into the table, onto its first row."""

    def __init__(self, table: GuestTableView, parent: QObject) -> None:
        super().__init__(parent)
        self._table = table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        keys: tuple[Qt.Key, ...] = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if isinstance(watched, QComboBox):
            keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # ↓ chooses the next entry there
        if event.key() in keys and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            completer = watched.completer() if isinstance(watched, QLineEdit) else None
            popup = completer.popup() if completer is not None else None
            if popup is not None and popup.isVisible():
                return False
            model = self._table.model()
            if model is not None and model.rowCount() > 0:
                self._table.setFocus(Qt.FocusReason.TabFocusReason)
                if not self._table.currentIndex().isValid():
                    self._table.selectRow(0)
                return True
        return False


class GuestListDialog(QDialog):
    """The guest list of the working day ``day``.

    Args:
        context: the desk's services (database, event, change bus, worker tasks).
        day: the desk's working day (its arrivals are shown).
        open_person: opens the person dialog for a registration id.
    """

    def __init__(
        self,
        context: DeskContext,
        day: dt.date,
        parent: QWidget | None = None,
        *,
        open_person: Callable[[int], None],
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._open_person = open_person
        event: EventInfo = context.event
        info = event.day_by_date(day)
        if info is None:
            raise ValueError(f"{day} is not a day of the event")
        self.day = info
        self.guests = GuestList(context.db, event, info.id, read=False)
        self._loading = False
        self._load_again = False
        self._loaded = False
        self.setObjectName("guestListDialog")

        self.presence_combo = QComboBox()
        self.presence_combo.setObjectName("presenceFilter")
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("categoryFilter")
        self.session_combo = QComboBox()
        self.session_combo.setObjectName("sessionFilter")
        for combo in (self.presence_combo, self.category_combo, self.session_combo):
            # Long workshop titles must not push the text fields off a small screen.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setObjectName("organisationFilter")
        self.organisation_edit.setClearButtonEnabled(True)
        self._organisations = QStringListModel(self)
        completer = QCompleter(self._organisations, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.organisation_edit.setCompleter(completer)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("textFilter")
        self.text_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("guestCount")
        self.count_label.setFont(theme.font(13, bold=True))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.table = GuestTableView()
        self.model = GuestTableModel(self.guests, event.tz, self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate(_WIDTHS):
            header.resizeSection(column, width)
        # The workshops take the room left (never "resize to contents": that measures every row).
        header.setSectionResizeMode(WORKSHOPS, QHeaderView.ResizeMode.Stretch)
        self.table.open_requested.connect(self.open_person)
        self.hint_label = QLabel()
        self.hint_label.setProperty("role", "muted")
        self.hint_label.setWordWrap(True)

        self.presence_label = QLabel()
        self.category_label = QLabel()
        self.session_label = QLabel()
        self.organisation_label = QLabel()
        self.text_label = QLabel()
        filters = QGridLayout()
        filters.setHorizontalSpacing(10)
        pairs = (
            (self.presence_label, self.presence_combo),
            (self.category_label, self.category_combo),
            (self.session_label, self.session_combo),
            (self.organisation_label, self.organisation_edit),
            (self.text_label, self.text_edit),
        )
        for column, (label, field) in enumerate(pairs):
            label.setBuddy(field)
            filters.addWidget(label, 0, column)
            filters.addWidget(field, 1, column)
            filters.setColumnStretch(column, 3 if isinstance(field, QLineEdit) else 2)
        filters.addWidget(self.count_label, 1, len(pairs))
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint_label)

        down = _DownIntoTable(self.table, self)
        for field in (self.presence_combo, self.category_combo, self.session_combo):
            field.installEventFilter(down)
            field.currentIndexChanged.connect(self.apply_filter)
        for edit in (self.organisation_edit, self.text_edit):
            edit.installEventFilter(down)
            edit.textChanged.connect(self.apply_filter)
        completer.activated.connect(self.organisation_edit.setText)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_text_filter)
        self.setTabOrder(self.presence_combo, self.category_combo)
        self.setTabOrder(self.category_combo, self.session_combo)
        self.setTabOrder(self.session_combo, self.organisation_edit)
        self.setTabOrder(self.organisation_edit, self.text_edit)
        self.setTabOrder(self.text_edit, self.table)

        self.retranslate()
        context.changes.changed.connect(self._on_changes)
        theme.resize_within_screen(self, 1240, 720)
        self.load()
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- loading and refreshing ----------------------------------------------------------------
    def load(self) -> None:
        """Read the whole list in a worker (the window keeps working); once more if asked meanwhile."""
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        context, day_id = self.context, self.day.id
        context.tasks.run(
            lambda _progress: GuestList(context.db, context.event, day_id),
            on_done=self._on_loaded,
            on_error=self._on_load_failed,
            quiet=True,
        )

    def _on_loaded(self, fresh: GuestList) -> None:
        self._loading = False
        self._loaded = True
        self.guests.adopt(fresh)
        self._organisations.setStringList(self.guests.organisations())
        self.apply_filter()
        if self._load_again:
            self._load_again = False
            self.load()

    def _on_load_failed(self, error: BaseException) -> None:
        self._loading = False
        self.count_label.setText(_("The list cannot be read just now: {reason}").format(reason=error))

    def _on_changes(self, changes: Changes) -> None:
        if self._loading:
            # The worker's snapshot may be older than this change: read once more after it.
            self._load_again = True
        if changes.registrations is None or changes.event:
            self.load()
        elif changes.registrations and self._loaded:
            positions = self.guests.refresh(changes.registrations)
            if positions:
                before = self.model.positions
                self.apply_filter()
                if self.model.positions == before:
                    self.model.rows_changed(positions)
            else:
                self.apply_filter()
            if changes.people_list:
                self._organisations.setStringList(self.guests.organisations())

    # -- filtering -----------------------------------------------------------------------------
    def current_filter(self) -> GuestFilter:
        return GuestFilter(
            presence=Presence(self.presence_combo.currentData() or Presence.ALL.value),
            category_id=_chosen_id(self.category_combo),
            organisation=self.organisation_edit.text(),
            session_id=_chosen_id(self.session_combo),
            text=self.text_edit.text(),
        )

    def apply_filter(self) -> None:
        """Show the rows the filters leave (the current person stays current when still shown)."""
        current = self.model.guest(self.table.currentIndex().row())
        rows = self.guests.filter(self.current_filter())
        if rows != self.model.positions:
            self.model.set_rows(rows)
            if current is not None and (row := self.model.row_of(current.registration_id)) is not None:
                self.table.selectRow(row)
        self._update_count()

    def _update_count(self) -> None:
        if not self._loaded:
            self.count_label.setText(_("Reading the list …"))
            return
        self.count_label.setText(
            _("{shown} of {total}").format(
                shown=format_number(self.model.rowCount()), total=format_number(len(self.guests))
            )
        )

    def focus_text_filter(self) -> None:
        self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_edit.selectAll()

    # -- the person ----------------------------------------------------------------------------
    def open_person(self, registration_id: int) -> None:
        """The person dialog (as from the search); back in the table afterwards."""
        self._open_person(registration_id)
        self.activateWindow()
        row = self.model.row_of(registration_id)
        if row is not None:
            self.table.selectRow(row)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def done(self, result: int) -> None:
        self.context.changes.changed.disconnect(self._on_changes)
        super().done(result)

    # -- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        label = self.day.label or format_date(self.day.date)
        self.setWindowTitle(_("Guest list — {day}").format(day=label))
        self.presence_label.setText(_("&Show"))
        self.category_label.setText(_("&Category"))
        self.session_label.setText(_("&Workshop"))
        self.organisation_label.setText(_("&Organisation"))
        self.text_label.setText(_("Search (Ctrl+F)"))
        self.organisation_edit.setPlaceholderText(_("Type an organisation …"))
        self.text_edit.setPlaceholderText(_("Name, code or e-mail …"))
        self.hint_label.setText(
            _("↓ into the list · Enter opens the person · Ctrl+F search · Esc back to the scan field")
        )
        self._fill_combo(
            self.presence_combo,
            [
                (_("Everyone"), Presence.ALL.value),
                (_("Not here yet"), Presence.NOT_ARRIVED.value),
                (_("Already here"), Presence.ARRIVED.value),
            ],
        )
        event = self.context.event
        self._fill_combo(
            self.category_combo, [(_("All categories"), _ANY), *((c.name, c.id) for c in event.categories)]
        )
        sessions = [
            (f"{format_short_date(s.day)} {format_time(s.start) if s.start else ''} {s.title}".strip(), s.id)
            for s in event.sessions
        ]
        self._fill_combo(self.session_combo, [(_("All workshops and sessions"), _ANY), *sessions])
        self._update_count()

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        """Fill (or re-label) a filter's choices, keeping the one chosen."""
        chosen = combo.currentIndex()
        combo.blockSignals(True)
        combo.clear()
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, chosen))
        combo.blockSignals(False)


def open_guest_list(window: MainWindow) -> None:
    """F7: the guest list of the desk's working day; the scan field has the focus again after it."""
    dialog = GuestListDialog(window.context, window.working_day.date, window, open_person=window.open_person)
    dialog.exec()
    window.focus_scan_field()
