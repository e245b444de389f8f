"""The "new event" dialog: name, days, venue, sessions and categories; writes the event file and loads it.

Everything is typed and checked in ``checkin.domain.event_writer`` (Qt-free); this dialog
only collects the values, shows each problem under its field and, when nothing is wrong,
writes the TOML file and loads it into the database (``EventService.load_definition``).
It scrolls, so it fits a 1024×600 screen; Tab walks every field, Enter creates the event.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from checkin.domain.errors import UserError
from checkin.domain.event_writer import (
    CATEGORY_COLOURS,
    MAX_DAYS,
    EventDraft,
    FieldProblem,
    check_draft,
    write_event_file,
)
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventInfo, EventService
from checkin.i18n import _
from checkin.presentation.formats import format_weekday_date
from checkin.ui.event_rows import CategoryRow, DateField, SessionRow, date_format, error_label, mark, qdate

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from checkin.domain.db import Database


class NewEventDialog(QDialog):
    """Set up a new event; on success ``created`` is the loaded event and ``path`` its file.

    Args:
        db: the database the event is loaded into.
        today: the first day offered (the desk's clock).
        folder: where the event file is written unless another file is chosen.
        layout_keys: the badge layouts the app can print (checked like ``event load`` does).
    """

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        today: dt.date,
        folder: Path,
        layout_keys: Collection[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newEventDialog")
        self.setWindowTitle(_("New event"))
        self._db = db
        self._folder = folder
        self._layout_keys = layout_keys
        self._path_edited = False
        self.created: EventInfo | None = None
        self.path: Path | None = None
        self.session_rows: list[SessionRow] = []
        self.category_rows: list[CategoryRow] = []

        outer = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Describe the event: it is written as an event file (TOML) and loaded. "
                "Sessions and categories can be changed later in the file."
            )
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        outer.addWidget(intro)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self._body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self._build_event_box(today)
        self._build_sessions_box()
        self._build_categories_box()
        self._body.addStretch(1)

        self.error = error_label()
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            _("&Create event"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.create_button.setDefault(True)  # Enter creates (only once the button is in the dialog)
        self.name.setFocus()
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """980×680 where it fits; on a small screen (1024×600) what it has: the fields scroll."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 980, 680
        if screen is not None:
            available = screen.availableGeometry()
            width, height = min(width, available.width() - 24), min(height, available.height() - 40)
        self.resize(width, height)

    # -- building --------------------------------------------------------------------------------
    def _build_event_box(self, today: dt.date) -> None:
        box = QGroupBox(_("Event"))
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.field_errors: dict[str, QLabel] = {}

        def add(label: str, widget: QWidget, key: str) -> None:
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            self.field_errors[key] = error_label()
            column.addWidget(self.field_errors[key])
            form.addRow(label, cell)

        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Fachtag Inklusion 2025"))
        self.name.textChanged.connect(self._suggest_path)
        add(_("&Name:"), self.name, "name")
        self.venue = QLineEdit()
        add(_("&Venue:"), self.venue, "venue")
        self.address = QLineEdit()
        add(_("A&ddress:"), self.address, "address")
        days = QWidget()
        days_row = QHBoxLayout(days)
        days_row.setContentsMargins(0, 0, 0, 0)
        self.first_day = DateField(qdate(today))
        self.first_day.setCalendarPopup(True)
        self.first_day.setDisplayFormat(date_format())
        self.first_day.setAccessibleName(_("First day"))
        self.first_day.dateChanged.connect(self._days_changed)
        self.day_count = QSpinBox()
        self.day_count.setRange(1, MAX_DAYS)
        self.day_count.setAccessibleName(_("Number of days"))
        self.day_count.valueChanged.connect(self._days_changed)
        days_row.addWidget(self.first_day)
        days_row.addWidget(QLabel(_("Number of days:")))
        days_row.addWidget(self.day_count)
        self.days_text = QLabel()
        self.days_text.setProperty("role", "muted")
        days_row.addWidget(self.days_text, 1)
        add(_("&First day:"), days, "days")
        file_cell = QWidget()
        file_row = QHBoxLayout(file_cell)
        file_row.setContentsMargins(0, 0, 0, 0)
        self.file = QLineEdit(str(self._folder / "event.toml"))
        self.file.setAccessibleName(_("Event file"))
        self.file.textEdited.connect(self._path_typed)
        self.choose_button = choose = QPushButton(_("C&hoose …"))
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose_file)
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        add(_("Event &file:"), file_cell, "file")
        self.name.setAccessibleName(_("Name"))
        self.venue.setAccessibleName(_("Venue"))
        self.address.setAccessibleName(_("Address"))
        self._body.addWidget(box)
        self._update_days_text()

    def _build_sessions_box(self) -> None:
        box = QGroupBox(_("Sessions"))
        column = QVBoxLayout(box)
        hint = QLabel(_("Plenary sessions are for everyone; workshops are booked and counted at their door."))
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        column.addWidget(hint)
        self._sessions = QVBoxLayout()
        column.addLayout(self._sessions)
        self.add_session_button = QPushButton(_("Add &session"))
        self.add_session_button.setAutoDefault(False)
        self.add_session_button.clicked.connect(lambda: self.add_session(focus=True))
        column.addWidget(self.add_session_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._body.addWidget(box)

    def _build_categories_box(self) -> None:
        box = QGroupBox(_("Categories"))
        column = QVBoxLayout(box)
        hint = QLabel(_("The first category is given to everyone whose list names none."))
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        column.addWidget(hint)
        self._categories = QVBoxLayout()
        column.addLayout(self._categories)
        self.categories_error = error_label()
        column.addWidget(self.categories_error)
        self.add_category_button = QPushButton(_("Add c&ategory"))
        self.add_category_button.setAutoDefault(False)
        self.add_category_button.clicked.connect(lambda: self.add_category(focus=True))
        column.addWidget(self.add_category_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._body.addWidget(box)
        for name in (_("Participant"), _("Speaker"), _("Press")):
            self.add_category(name)

    # -- rows ------------------------------------------------------------------------------------
    def days(self) -> tuple[dt.date, ...]:
        first = self.first_day.date()
        start = dt.date(first.year(), first.month(), first.day())
        return tuple(start + dt.timedelta(days=n) for n in range(self.day_count.value()))

    def add_session(self, *, focus: bool = False) -> SessionRow:
        """A new session after the last one (same day, starting when it ends), else 09:00 on day one."""
        start = dt.time(9)
        last = self.session_rows[-1] if self.session_rows else None
        if last is not None:
            end = last.end.time()
            start = dt.time(min(end.hour(), 22), end.minute())
        row = SessionRow(self.days(), start)
        if last is not None:
            row.day.setCurrentIndex(last.day.currentIndex())
        row.remove.clicked.connect(lambda: self._remove(row, self.session_rows))
        self.session_rows.append(row)
        self._sessions.addWidget(row)
        row.show()  # now, not on the next pass of the event loop: Tab may follow at once
        self._chain_tab_order()
        if focus:
            row.title.setFocus()
        return row

    def add_category(self, name: str = "", *, focus: bool = False) -> CategoryRow:
        colour = CATEGORY_COLOURS[len(self.category_rows) % len(CATEGORY_COLOURS)]
        row = CategoryRow(name, colour, name.upper())
        row.remove.clicked.connect(lambda: self._remove(row, self.category_rows))
        self.category_rows.append(row)
        self._categories.addWidget(row)
        row.show()
        self._chain_tab_order()
        if focus:
            row.name.setFocus()
        return row

    def _remove(self, row: QWidget, rows: list) -> None:
        index = rows.index(row)
        rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        following = rows[index] if index < len(rows) else rows[-1] if rows else None
        if following is not None:
            following.remove.setFocus()
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Tab goes through the rows in reading order, then to the button that adds one more."""
        chain: list[QWidget] = [self.file, self.choose_button]
        for row in self.session_rows:
            chain += [row.title, row.day, row.start, row.end, row.room, row.capacity, row.kind, row.remove]
        chain.append(self.add_session_button)
        for category in self.category_rows:
            chain += [category.name, category.colour, category.badge_label, category.remove]
        chain.append(self.add_category_button)
        previous = chain[0]
        for widget in chain[1:]:
            QWidget.setTabOrder(previous, widget)
            previous = widget

    # -- reacting --------------------------------------------------------------------------------
    def _days_changed(self) -> None:
        days = self.days()
        for row in self.session_rows:
            row.set_days(days)
        self._update_days_text()

    def _update_days_text(self) -> None:
        days = self.days()
        self.days_text.setText(
            format_weekday_date(days[0])
            if len(days) == 1
            else _("{first} to {last}").format(
                first=format_weekday_date(days[0]), last=format_weekday_date(days[-1])
            )
        )

    def _path_typed(self) -> None:
        self._path_edited = True

    def _suggest_path(self) -> None:
        if not self._path_edited:
            self.file.setText(str(self._folder / f"{self.draft().event_slug}.toml"))

    def _choose_file(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the event file"), self.file.text(), _("Event files (*.toml)")
        )
        if chosen:
            self.file.setText(chosen if chosen.endswith(".toml") else f"{chosen}.toml")
            self._path_edited = True

    # -- the result ------------------------------------------------------------------------------
    def draft(self) -> EventDraft:
        return EventDraft(
            name=self.name.text(),
            days=self.days(),
            venue=self.venue.text(),
            address=self.address.text(),
            sessions=tuple(row.draft() for row in self.session_rows),
            categories=tuple(row.draft() for row in self.category_rows),
        )

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Each problem in words under its field; the first field with one gets the focus."""
        for label in [*self.field_errors.values(), self.categories_error, self.error]:
            label.clear()
            label.hide()
        for line in (self.name, self.venue, self.address, self.file):
            mark(line, False)
        rows: list[SessionRow | CategoryRow] = [*self.session_rows, *self.category_rows]
        for row in rows:
            row.error.clear()
            row.error.hide()
            for field in row.fields.values():
                mark(field, False)
        first: QWidget | None = None
        for problem in problems:
            group, _dot, name = problem.field.partition(".")
            target: QWidget | None = None
            if problem.index is not None and group in ("session", "category"):
                row = (self.session_rows if group == "session" else self.category_rows)[problem.index]
                target = row.fields[name]
                label = row.error
            elif group == "categories":
                label, target = self.categories_error, self.add_category_button
            else:
                label = self.field_errors.get(group, self.error)
                target = {"name": self.name, "venue": self.venue, "address": self.address}.get(group)
                target = target or (self.file if group == "file" else self.first_day)
            text = problem.message if not label.text() else f"{label.text()}\n{problem.message}"
            label.setText(text)
            label.show()
            if target is not None and group != "categories":
                mark(target, True)
            first = first or target
        if first is not None:
            first.setFocus()
            # once the error texts just shown have taken their place
            QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(first))

    def accept(self) -> None:
        draft = self.draft()
        existing = {slug for slug, _name, _count in EventService(self._db).list_events()}
        problems = check_draft(draft, existing_slugs=existing)
        path = Path(self.file.text().strip()).expanduser()
        if not self.file.text().strip():
            problems.append(FieldProblem("file", _("Where should the event file go?")))
        elif path.exists():
            problems.append(FieldProblem("file", _("This file exists already: choose another name.")))
        elif not path.parent.is_dir():
            problems.append(
                FieldProblem("file", _("The folder {folder} does not exist.").format(folder=path.parent))
            )
        if problems:
            self.show_problems(problems)
            return
        try:
            write_event_file(path, draft, layout_keys=self._layout_keys)
        except UserError as error:
            self.show_problems([FieldProblem("file", str(error))])
            return
        try:
            # Read back from the disk, as 'checkin event load' would: what is loaded is what the file says.
            self.created = EventService(self._db).load_definition(
                load_event_file(path, layout_keys=self._layout_keys)
            )
        except (UserError, SQLAlchemyError) as error:
            path.unlink(missing_ok=True)  # not loaded: the next try may write it again
            self.show_problems([FieldProblem("file", str(error))])
            return
        self.path = path
        super().accept()


def layout_keys() -> list[str]:
    """The badge layouts this app can print (as ``checkin event load`` passes them)."""
    from checkin.badges.layouts import BUILTIN_LAYOUTS

    return [layout.key for layout in BUILTIN_LAYOUTS]


def default_folder(db: Database) -> Path:
    """Beside the database file when it is one, else the home folder."""
    from sqlalchemy.engine import make_url

    database = make_url(db.url).database if db.is_sqlite else None
    if database and database != ":memory:" and Path(database).parent.is_dir():
        return Path(database).resolve().parent
    return Path.home()
