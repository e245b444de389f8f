"""The walk-in's duplicate guard: people who may already be registered, while the name is typed.

A walk-in for someone who registered (or is even checked in already) would make a
second person. While the first name, last name or e-mail is typed, the desk's search
index is asked; up to ``SHOWN`` likely matches appear under the fields, each with its
check-in state for the working day and a button to take that person instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkin.domain.search import SearchHit
from checkin.i18n import _
from checkin.presentation.formats import format_time
from checkin.ui import theme
from checkin.ui.person_state import checked_in_at

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext

SHOWN = 3
# Searching on every key is cheap, but the list must not flicker while someone types fast.
DELAY_MS = 150


def likely_matches(context: DeskContext, first: str, last: str, email: str) -> list[SearchHit]:
    """Registrations that may be this person: the name (both parts when given), else the e-mail."""
    found: dict[int, SearchHit] = {}
    name = " ".join(part for part in (first.strip(), last.strip()) if part)
    queries = []
    if len(last.strip()) >= 2 or (len(first.strip()) >= 3 and not last.strip()):
        queries.append(name)
    if "@" in email and len(email.strip()) >= 5:
        queries.append(email.strip())
    for query in queries:
        for hit in context.search.search(query, limit=SHOWN + 1):
            found.setdefault(hit.registration_id, hit)
    return list(found.values())[:SHOWN]


def arrival_text(context: DeskContext, registration_id: int, day: dt.date) -> str:
    """ ", checked in 16:38" when the person is checked in on ``day`` (the entrance), else ""."""
    details = context.checkin.person(registration_id)
    if not details.checked_in_on(day):
        return ""
    at = checked_in_at(details, day)
    if at is None:
        return _(", checked in")
    return _(", checked in {time}").format(time=format_time(at, tz=context.event.tz))


class DuplicateHints(QFrame):
    """Likely matches under the walk-in's fields; ``chosen(int)`` when staff take one of them.

    Args:
        context: the desk (its search index and check-in service).
        day: the working day (for "checked in 16:38").
        fields: reads (first name, last name, e-mail) from the dialog.
    """

    chosen = Signal(int)

    def __init__(
        self,
        context: DeskContext,
        day: dt.date,
        fields: Callable[[], tuple[str, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.day = day
        self._fields = fields
        self.hits: list[SearchHit] = []
        self._labels: list[QLabel] = []
        self.setObjectName("duplicateHints")
        colours = theme.SEVERITY_COLOURS[theme.Severity.WARNING]
        self.setStyleSheet(
            f"#duplicateHints {{ background: {colours.tint}; border: 1px solid {colours.strong};"
            " border-radius: 4px; }"
        )
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 10, 6)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.hide()

    def schedule(self) -> None:
        """A field changed: look again in a moment."""
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        self.hits = likely_matches(self.context, *self._fields())
        while (item := self._layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self._labels = []
        for hit in self.hits:
            self._layout.addWidget(self._row(hit))
        self.setVisible(bool(self.hits))

    def _row(self, hit: SearchHit) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        person = hit.person
        who = person.display_name + (f", {person.organisation}" if person.organisation else "")
        text = _("Already registered: {person}{arrival} — take this person?").format(
            person=who, arrival=arrival_text(self.context, hit.registration_id, self.day)
        )
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName("duplicateText")
        self._labels.append(label)
        take = QPushButton(_("Take this person"))
        take.setObjectName("takePerson")
        take.clicked.connect(lambda _checked=False, rid=hit.registration_id: self.chosen.emit(rid))
        layout.addWidget(label, 1)
        layout.addWidget(take)
        return row

    def texts(self) -> list[str]:
        """What the hints say now (for tests and screen readers)."""
        return [label.text() for label in self._labels] if not self.isHidden() else []
