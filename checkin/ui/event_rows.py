"""The rows of the "new event" dialog: a date typed as people write it, one session, one category."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.event_writer import CategoryDraft, SessionDraft
from checkin.domain.eventfile import _COLOUR_RE, MAX_CAPACITY
from checkin.i18n import _, current_language
from checkin.presentation.formats import format_date, format_weekday_date
from checkin.ui import theme

if TYPE_CHECKING:
    from collections.abc import Sequence

ERROR_COLOUR = "#b3261e"


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_format() -> str:
    return "dd.MM.yyyy" if current_language() == "de" else "yyyy-MM-dd"


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.hide()
    return label


def mark(widget: QWidget, invalid: bool) -> None:
    widget.setStyleSheet(f"border: 2px solid {ERROR_COLOUR};" if invalid else "")


class DateField(QDateEdit):
    """A date typed as people write it: "18.09.2025" (or "2025-09-18").

    Qt moves to the next part of the date when a part is complete, and then takes the
    separator the person types next as "move on" once more, which puts "09" into the year.
    A separator right after such a move is swallowed.
    """

    def __init__(self, date: QDate, parent: QWidget | None = None) -> None:
        super().__init__(date, parent)
        self._moved_on = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if self._moved_on and text and not text.isdigit() and not text.isspace() and text.isprintable():
            self._moved_on = False
            event.accept()
            return
        section = self.currentSection()
        super().keyPressEvent(event)
        self._moved_on = bool(text) and text.isdigit() and self.currentSection() != section

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._moved_on = False
        super().focusInEvent(event)


class SessionRow(QWidget):
    """One session: title, day, start, end, room, capacity, kind; its problems below it."""

    def __init__(self, days: Sequence[dt.date], start: dt.time, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        self.title = QLineEdit()
        self.title.setPlaceholderText(_("Title"))
        self.title.setAccessibleName(_("Title"))
        self.day = QComboBox()
        self.day.setAccessibleName(_("Day"))
        self.day.setMinimumWidth(110)
        self.start = QTimeEdit(QTime(start.hour, start.minute))
        self.start.setDisplayFormat("HH:mm")
        self.start.setAccessibleName(_("Start"))
        end = (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(hours=1)).time()
        self.end = QTimeEdit(QTime(end.hour, end.minute))
        self.end.setDisplayFormat("HH:mm")
        self.end.setAccessibleName(_("End"))
        self.room = QLineEdit()
        self.room.setPlaceholderText(_("Room"))
        self.room.setAccessibleName(_("Room"))
        self.capacity = QSpinBox()
        self.capacity.setRange(0, MAX_CAPACITY)
        self.capacity.setSpecialValueText(_("no limit"))
        self.capacity.setAccessibleName(_("Capacity"))
        self.capacity.setMinimumWidth(95)
        self.kind = QComboBox()
        self.kind.addItem(_("Plenary"), "plenary")
        self.kind.addItem(_("Workshop"), "workshop")
        self.kind.setAccessibleName(_("Kind"))
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip(_("Remove this session"))
        self.remove.setAccessibleName(_("Remove this session"))
        for widget, stretch in (
            (self.title, 5),
            (self.day, 0),
            (self.start, 0),
            (self.end, 0),
            (self.room, 2),
            (self.capacity, 0),
            (self.kind, 0),
            (self.remove, 0),
        ):
            row.addWidget(widget, stretch)
        outer.addLayout(row)
        self.error = error_label()
        outer.addWidget(self.error)
        self.set_days(days)

    def set_days(self, days: Sequence[dt.date]) -> None:
        """Offer the event's days, keeping the chosen one when it is still among them."""
        chosen = self.day.currentData()
        self.day.clear()
        for day in days:
            self.day.addItem(format_date(day), day)
            self.day.setItemData(self.day.count() - 1, format_weekday_date(day), Qt.ItemDataRole.ToolTipRole)
        index = self.day.findData(chosen) if chosen is not None else -1
        self.day.setCurrentIndex(max(index, 0))

    def draft(self) -> SessionDraft:
        start, end = self.start.time(), self.end.time()
        return SessionDraft(
            title=self.title.text(),
            day=self.day.currentData() or dt.date.min,
            start=dt.time(start.hour(), start.minute()),
            end=dt.time(end.hour(), end.minute()),
            room=self.room.text(),
            capacity=self.capacity.value() or None,
            kind=str(self.kind.currentData()),
        )

    @property
    def fields(self) -> dict[str, QWidget]:
        """The row's fields by the names ``check_draft`` uses ("session.<name>")."""
        return {
            "title": self.title,
            "day": self.day,
            "start": self.start,
            "end": self.end,
            "room": self.room,
            "capacity": self.capacity,
            "kind": self.kind,
        }


class CategoryRow(QWidget):
    """One category: name, colour (with a swatch), badge label; its problems below it."""

    def __init__(self, name: str, colour: str, badge_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        self.name = QLineEdit(name)
        self.name.setPlaceholderText(_("Name"))
        self.name.setAccessibleName(_("Category name"))
        self.swatch = QLabel()
        self.swatch.setFixedSize(22, 22)
        self.colour = QLineEdit(colour)
        self.colour.setAccessibleName(_("Colour"))
        self.colour.setMaxLength(7)
        self.colour.setFixedWidth(90)
        self.colour.textChanged.connect(self._paint)
        self.badge_label = QLineEdit(badge_label)
        self.badge_label.setPlaceholderText(_("Badge label"))
        self.badge_label.setAccessibleName(_("Badge label"))
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip(_("Remove this category"))
        self.remove.setAccessibleName(_("Remove this category"))
        for widget, stretch in (
            (self.name, 3),
            (self.swatch, 0),
            (self.colour, 0),
            (self.badge_label, 2),
            (self.remove, 0),
        ):
            row.addWidget(widget, stretch)
        outer.addLayout(row)
        self.error = error_label()
        outer.addWidget(self.error)
        self._paint(colour)

    def _paint(self, colour: str) -> None:
        shown = colour if _COLOUR_RE.match(colour.strip()) else "transparent"
        self.swatch.setStyleSheet(f"background: {shown}; border: 1px solid {theme.LINE}; border-radius: 3px;")

    def draft(self) -> CategoryDraft:
        return CategoryDraft(
            name=self.name.text(),
            colour=self.colour.text(),
            badge_label=self.badge_label.text().strip() or self.name.text().strip().upper(),
        )

    @property
    def fields(self) -> dict[str, QWidget]:
        """The row's fields by the names ``check_draft`` uses ("category.<name>")."""
        return {"name": self.name, "colour": self.colour, "badge_label": self.badge_label}
