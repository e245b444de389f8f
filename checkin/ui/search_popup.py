"""Type-ahead matches under the scan field.

Typing letters (slowly, as people do) shows the best matches; a scanner types
a whole code faster than the short pause the search waits for, and codes and
URLs are never searched (``looks_like_scan``), so scans never trigger a search.
The focus stays in the scan field: arrow keys move the choice, Enter checks in
the chosen person, Shift+Enter (or Ctrl+O) opens them, Esc closes the list, a
double-click opens the person. Up to ``MAX_HITS`` matches are listed (``VISIBLE_ROWS``
at a time, the rest by scrolling); each says whether the person is checked in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from checkin.domain.changes import Changes
from checkin.domain.scanning import looks_like_scan
from checkin.i18n import _
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.domain.search import SearchHit, SearchIndex
    from checkin.ui.context import DeskContext

SEARCH_DELAY_MS = 120
MAX_HITS = 50
VISIBLE_ROWS = 8
MIN_QUERY_LENGTH = 2
# A hit's state for the working day ("checked in 09:12", "not today"), or "" when nothing to say.
HitState = Callable[["SearchHit"], str]


def hit_line(hit: SearchHit, state: str = "") -> str:
    """One line per hit: name, organisation, category, cancelled, and its state today."""
    person = hit.person
    parts = [person.display_name]
    if person.organisation:
        parts.append(person.organisation)
    if person.category_name:
        parts.append(person.category_name)
    line = "  ·  ".join(parts)
    if person.status == "cancelled":
        line += "  —  " + _("cancelled")
    elif person.status == "unpaid":
        line += "  —  " + _("not paid")
    elif state:
        line += "  —  " + state
    return line


class SearchPopup(QFrame):
    """A floating list of matches for the text in ``field``.

    Signals:
        chosen(int): check in this registration (Enter on a chosen match).
        open_requested(int): open the person (double-click).
    """

    chosen = Signal(int)
    open_requested = Signal(int)

    def __init__(
        self,
        index: Callable[[], SearchIndex],
        field: QLineEdit,
        parent: QWidget,
        *,
        state: HitState | None = None,
    ) -> None:
        super().__init__(parent)
        self._index = index  # a getter: the window swaps in a rebuilt index after imports
        self._state = state
        self._field = field
        self._hits: list[SearchHit] = []
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#searchPopup {{ background: {theme.CARD}; border: 2px solid {theme.ACCENT};"
            " border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        self.list = QListWidget()
        self.list.setObjectName("searchHits")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setFont(theme.font(13))
        self.list.setStyleSheet("QListWidget { border: none; } QListWidget::item { padding: 6px 8px; }")
        self.list.itemDoubleClicked.connect(self._on_double_click)
        self.list.itemClicked.connect(lambda _item: self._field.setFocus())
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        self.hint.setContentsMargins(8, 2, 8, 4)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.hide()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        field.textEdited.connect(self._on_text_edited)
        field.installEventFilter(self)
        self.retranslate()

    # -- searching -----------------------------------------------------------------------------
    @property
    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def _on_text_edited(self, text: str) -> None:
        if len(text.strip()) < MIN_QUERY_LENGTH or looks_like_scan(text):
            self._timer.stop()
            self.hide_popup()
            return
        self._timer.start()

    def run_search(self) -> list[SearchHit]:
        """Search now for the field's text and show the matches (also used by F2)."""
        self._timer.stop()
        text = self._field.text().strip()
        if len(text) < MIN_QUERY_LENGTH or looks_like_scan(text):
            self.hide_popup()
            return []
        self._hits = self._index().search(text, limit=MAX_HITS)
        self.list.clear()
        if not self._hits:
            self.list.addItem(QListWidgetItem(_("No one found for “{text}”.").format(text=text)))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        for row, hit in enumerate(self._hits):
            # The state costs a read per person: only for the rows one sees without scrolling much.
            state = self._state(hit) if self._state is not None and row < 2 * VISIBLE_ROWS else ""
            self.list.addItem(QListWidgetItem(hit_line(hit, state)))
        self._update_hint()
        if len(self._hits) == 1:
            self.list.setCurrentRow(0)
        else:
            self.list.setCurrentRow(-1)
        self._place()
        self.show()
        self.raise_()
        return self.hits

    def follow(self, changes: Changes) -> None:
        """Matches on screen follow an edit or a check-in of one of them (once the index has it)."""
        if self.isVisible() and any(changes.touches_registration(h.registration_id) for h in self._hits):
            QTimer.singleShot(0, self._search_again)

    def _search_again(self) -> None:
        if not self.isVisible():
            return
        chosen = self._chosen_id()
        self.run_search()
        ids = [hit.registration_id for hit in self._hits]
        if chosen in ids:
            self.list.setCurrentRow(ids.index(chosen))

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        top_left = self._field.mapTo(parent, QPoint(0, self._field.height() + 2))
        rows = max(1, self.list.count())
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 28
        height = min(rows, VISIBLE_ROWS) * row_height + self.hint.sizeHint().height() + 16
        self.setGeometry(top_left.x(), top_left.y(), self._field.width(), height)

    def hide_popup(self) -> None:
        self._timer.stop()
        self.hide()

    # -- keys in the scan field ----------------------------------------------------------------
    def highlighted_id(self) -> int | None:
        """The person of the highlighted row (Ctrl+O opens them), or None."""
        return self._chosen_id()

    def _chosen_id(self) -> int | None:
        # Rows and hits are in the same order (item data is avoided: see RecentScansView).
        row = self.list.currentRow()
        if not self.isVisible() or not 0 <= row < len(self._hits):
            return None
        return self._hits[row].registration_id

    def take_return(self) -> bool:
        """Called when Enter is pressed in the field; True when the popup handled it."""
        if self._timer.isActive():
            # Enter came before the search ran: a scan, or a name typed fast and confirmed.
            self._timer.stop()
            if looks_like_scan(self._field.text()) or len(self._field.text().strip()) < MIN_QUERY_LENGTH:
                return False
            self.run_search()
            return bool(self._hits) and self._emit_chosen_or_wait()
        if not self.isVisible() or not self._hits:
            return False
        return self._emit_chosen_or_wait()

    def _emit_chosen_or_wait(self) -> bool:
        registration_id = self._chosen_id()
        if registration_id is None:
            # Several matches and none chosen yet: choose the first, let the user confirm.
            self.list.setCurrentRow(0)
            return True
        self.hide_popup()
        self.chosen.emit(registration_id)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # PySide6 hands key presses to filters as QKeyEvent; a bare QEvent cannot be converted to one.
        if watched is self._field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                if self._timer.isActive() or (not self.isVisible() and self._field.text().strip()):
                    self.run_search()
                if self.isVisible() and self._hits:
                    self._move(key)
                    return True
            elif key == Qt.Key.Key_Escape and self.isVisible():
                self.hide_popup()
                return True
            elif (
                key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                and (registration_id := self._chosen_id()) is not None
            ):
                self.hide_popup()
                self.open_requested.emit(registration_id)
                return True
        if watched is self._field and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        count = len(self._hits)
        row = self.list.currentRow()
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}[
            Qt.Key(key)
        ]
        row = (0 if step > 0 else count - 1) if row < 0 else max(0, min(count - 1, row + step))
        self.list.setCurrentRow(row)

    def _on_double_click(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self._hits):
            self.hide_popup()
            self.open_requested.emit(self._hits[row].registration_id)

    def _update_hint(self) -> None:
        keys = _("↑ ↓ choose · Enter checks in · Shift+Enter opens the person · Esc closes")
        if len(self._hits) > VISIBLE_ROWS:
            more = len(self._hits) - VISIBLE_ROWS
            if len(self._hits) >= MAX_HITS:
                more_text = _("+{count} more (scroll, or type more of the name)").format(count=f"{more}+")
            else:
                more_text = _("+{count} more (scroll)").format(count=more)
            keys = f"{more_text} · {keys}"
        self.hint.setText(keys)

    def retranslate(self) -> None:
        self._update_hint()


class SearchIndexKeeper(QObject):
    """Keeps ``context.search`` up to date with the desk's ``ChangeBus``.

    Changed people (an edit, a walk-in) are updated in place; when any person may have
    changed (an import, another desk) a new index is built in the background and swapped
    in whole, so searches never see half an index.
    """

    failed = Signal(object)  # the error of a rebuild that could not read the database

    def __init__(self, context: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._rebuilding = False
        context.changes.changed.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if not changes.people_list:
            return
        if changes.registrations is None:
            self.rebuild()
            return
        for registration_id in sorted(changes.registrations):
            self._context.search.upsert(registration_id)

    def rebuild(self) -> None:
        """Rebuild the search index in the background (after an import or another desk's changes)."""
        if self._rebuilding:
            return
        self._rebuilding = True
        db, event = self._context.db, self._context.event

        from checkin.domain.search import SearchIndex

        def done(index: SearchIndex) -> None:
            self._rebuilding = False
            self._context.search = index

        def failed(error: BaseException) -> None:
            self._rebuilding = False
            self.failed.emit(error)

        self._context.tasks.run(
            lambda _progress: SearchIndex(db, event), on_done=done, on_error=failed, quiet=True
        )
