"""The pretix connection dialog: address, organizer, token, event, check-in list → connect and download.

Page one asks for the connection. "Check token" lists the organizer's events (so the event can be
picked instead of typed) and the chosen event's check-in lists; "Connect" first asks pretix
whether the token may read the event and its orders (``checkin.pretix.preflight.check_access``),
then runs ``PretixService.connect`` (local event, mapping, first download) — all of it in a
background task with progress, so the window never freezes. Every failure is shown as the
sentence the pretix client made of it; nothing local is written before pretix said yes.

Page two is the mapping (``ui.pretix_mapping``). The token is typed into a password field, goes to
the secrets store through the service, and is never shown, logged or kept in the settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.errors import UserError
from checkin.domain.progress import Cancelled, Progress
from checkin.domain.supervisor import SupervisedStep
from checkin.i18n import _, ngettext
from checkin.pretix.catalog import PretixEvent
from checkin.pretix.client import DEFAULT_TIMEOUT, PretixClient, PretixError, PretixErrorKind
from checkin.pretix.preflight import (
    OrganizerEvent,
    check_access,
    organizer_events,
    stored_connection,
    token_or_stored,
)
from checkin.pretix.service import ConnectResult, PretixService
from checkin.ui import theme
from checkin.ui.context import DeskContext
from checkin.ui.pretix_mapping import PretixMappingPage

if TYPE_CHECKING:
    from checkin.ui.main_window import MainWindow

ERROR_STYLE = "color: #b91c1c; font-weight: bold;"
OK_STYLE = "color: #15803d; font-weight: bold;"


def connect_summary(result: ConnectResult) -> str:
    download = result.download
    text = _("Connected: {name} ({dates}). {added} new, {updated} changed, {cancelled} cancelled or unpaid.")
    return text.format(
        name=result.event.name,
        dates=result.event.date_range_text(),
        added=download.added,
        updated=download.updated,
        cancelled=download.cancelled,
    )


class PretixDialog(QDialog):
    """Connect the desk's event (or a new one) to a pretix event; then edit the mapping.

    ``connected`` carries the local event's slug after a successful connect (``connected_slug``).
    """

    connected = Signal(str)

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.connected_slug: str | None = None
        self._events: list[OrganizerEvent] = []
        self._busy = False
        self.client_timeout = DEFAULT_TIMEOUT  # seconds pretix may take to answer one request
        self.setWindowTitle(_("Connect to pretix"))
        self.setObjectName("pretixDialog")
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        self.connection_page = self._build_connection_page()
        self.stack.addWidget(self.connection_page)
        self.mapping_page = PretixMappingPage(context)
        self.stack.addWidget(self._build_mapping_page())
        self._prefill()
        self.resize(760, 540)  # fits a 1024×600 screen; the mapping page scrolls

    # -- page one --------------------------------------------------------------------------------
    def _build_connection_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            _(
                "Connect this desk to a pretix event: its registrations are downloaded, and the desk "
                "checks people in against them, also offline. The API token comes from pretix: "
                "Organizer → Teams → a team with access to the event (view orders, check in) → API tokens."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://pretix.eu")
        self.organizer_edit = QLineEdit()
        self.organizer_edit.setPlaceholderText(_("short form, e.g. my-association"))
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setObjectName("pretixToken")
        self.check_button = QPushButton(_("Check &token"))
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self.check_token)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.check_button)
        self.event_combo = QComboBox()
        self.event_combo.setEditable(True)
        self.event_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.event_combo.activated.connect(lambda _index: self.load_lists())
        self.list_combo = QComboBox()
        self.list_combo.addItem(_("The event's first check-in list"), None)
        self.local_combo = QComboBox()
        event = self.context.event
        self.local_combo.addItem(_("A new event named after the pretix event"), None)
        self.local_combo.addItem(_("This event: {name}").format(name=event.name), event.slug)
        for text, widget in (
            (_("pretix &address:"), self.url_edit),
            (_("&Organizer:"), self.organizer_edit),
            (_("API to&ken:"), token_row),
            (_("&Event:"), self.event_combo),
            (_("Check-in &list:"), self.list_combo),
            (_("Local e&vent:"), self.local_combo),
        ):
            label = QLabel(text)
            if isinstance(widget, QWidget):
                label.setBuddy(widget)
                form.addRow(label, widget)
            else:
                label.setBuddy(self.token_edit)
                form.addRow(label, widget)
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setObjectName("pretixStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setFont(theme.font(11))
        layout.addWidget(self.status)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.connect_button = QPushButton(_("&Connect"))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.start_connect)
        close = QPushButton(_("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        return page

    def _build_mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.mapping_page, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("&Back to the connection"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.save_button = QPushButton(_("&Save mapping and apply"))
        self.save_button.clicked.connect(self.mapping_page.save)
        done = QPushButton(_("&Done"))
        done.setAutoDefault(False)
        done.clicked.connect(self.accept)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(done)
        layout.addLayout(buttons)
        return page

    def _prefill(self) -> None:
        """An event connected before: its address, organizer, event and list (never its token)."""
        found = stored_connection(self.context.db, self.context.event.id)
        self._stored_token_name: str | None = None
        if found is None:
            self.url_edit.setFocus()
            return
        stored, name = found
        self.url_edit.setText(stored.url)
        self.organizer_edit.setText(stored.organizer)
        self.event_combo.setEditText(stored.event)
        if stored.checkin_list_id is not None:
            self.list_combo.addItem(str(stored.checkin_list_id), stored.checkin_list_id)
            self.list_combo.setCurrentIndex(1)
        self.local_combo.setCurrentIndex(1)
        if stored.has_token:
            self._stored_token_name = name
            self.token_edit.setPlaceholderText(_("stored — leave empty to keep it"))
        self.token_edit.setFocus()

    # -- values ----------------------------------------------------------------------------------
    def event_slug(self) -> str:
        text = self.event_combo.currentText().strip()
        for entry in self._events:  # shown as "Name (slug)"
            if text == self._event_text(entry):
                return entry.slug
        return text

    @staticmethod
    def _event_text(entry: OrganizerEvent) -> str:
        return f"{entry.name} ({entry.slug})"

    def _token(self) -> str:
        return token_or_stored(self.token_edit.text(), self._stored_token_name)

    def _missing(self, *, need_event: bool) -> str | None:
        checks = [
            (self.url_edit, _("Enter the address of the pretix server.")),
            (self.organizer_edit, _("Enter the organizer's short form.")),
        ]
        for widget, text in checks:
            if not widget.text().strip():
                widget.setFocus()
                return text
        if not self._token():
            self.token_edit.setFocus()
            return _("Enter the API token.")
        if need_event and not self.event_slug():
            self.event_combo.setFocus()
            return _("Choose or enter the pretix event.")
        return None

    # -- showing ---------------------------------------------------------------------------------
    def show_error(self, error: BaseException) -> None:
        """A failure as a sentence, with the focus on the field to correct."""
        if isinstance(error, Cancelled):
            self._show(_("Cancelled; nothing further was done."), ERROR_STYLE)
            return
        if isinstance(error, UserError):
            text = str(error)
        else:
            text = _("An unexpected error occurred; nothing further was done.") + f" ({type(error).__name__})"
        self._show(text, ERROR_STYLE)
        kind = error.kind if isinstance(error, PretixError) else None
        focus = (
            {
                PretixErrorKind.BAD_URL: self.url_edit,
                PretixErrorKind.UNREACHABLE: self.url_edit,
                PretixErrorKind.BAD_ANSWER: self.url_edit,
                PretixErrorKind.UNAUTHORIZED: self.token_edit,
                PretixErrorKind.FORBIDDEN: self.token_edit,
                PretixErrorKind.NOT_FOUND: self.event_combo,
            }.get(kind)
            if kind
            else None
        )
        (focus or self.connect_button).setFocus()

    def _show(self, text: str, style: str = "") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(style)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.check_button, self.connect_button):
            widget.setEnabled(not busy)

    def _run(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None], title: str) -> None:
        self._set_busy(True)

        def done(result: Any) -> None:
            self._set_busy(False)
            on_done(result)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self.show_error(error)

        self.context.tasks.run(fn, on_done=done, on_error=failed, title=title, parent=self)

    # -- steps -----------------------------------------------------------------------------------
    def check_token(self) -> None:
        """List the organizer's events (the token is good) and the chosen event's check-in lists."""
        if self._busy:
            return
        if (missing := self._missing(need_event=False)) is not None:
            self._show(missing, ERROR_STYLE)
            return
        url, token, organizer = self.url_edit.text(), self._token(), self.organizer_edit.text().strip()
        wanted, timeout = self.event_slug(), self.client_timeout

        def ask(_progress: Progress) -> tuple[list[OrganizerEvent], PretixEvent | None]:
            client = PretixClient(url, token, timeout=timeout)
            events = organizer_events(client, organizer)
            slug = wanted if any(e.slug == wanted for e in events) else (events[0].slug if events else "")
            return events, check_access(client, organizer, slug) if slug else None

        self._show(_("Asking pretix …"))
        self._run(ask, self._on_checked, _("Checking the token …"))

    def _on_checked(self, answer: tuple[list[OrganizerEvent], PretixEvent | None]) -> None:
        events, pevent = answer
        self._events = events
        self.event_combo.clear()
        for entry in events:
            self.event_combo.addItem(self._event_text(entry), entry.slug)
        if pevent is not None:
            self.event_combo.setCurrentIndex(max(0, self.event_combo.findData(pevent.slug)))
            self._fill_lists(pevent)
        if not events:
            self._show(_("The token is good, but the organizer has no event yet."), ERROR_STYLE)
            return
        self._show(
            ngettext(
                "The token is good: {n} event. Choose the event and its check-in list.",
                "The token is good: {n} events. Choose the event and its check-in list.",
                len(events),
            ).format(n=len(events)),
            OK_STYLE,
        )
        self.event_combo.setFocus()

    def load_lists(self) -> None:
        """The check-in lists of the event chosen in the box."""
        if self._busy or self._missing(need_event=True) is not None:
            return
        url, token, organizer, slug = (
            self.url_edit.text(),
            self._token(),
            self.organizer_edit.text().strip(),
            self.event_slug(),
        )
        timeout = self.client_timeout
        self._run(
            lambda _p: check_access(PretixClient(url, token, timeout=timeout), organizer, slug),
            self._fill_lists,
            _("Reading the event …"),
        )

    def _fill_lists(self, pevent: PretixEvent) -> None:
        self.list_combo.clear()
        self.list_combo.addItem(_("The event's first check-in list"), None)
        for entry in pevent.lists:
            self.list_combo.addItem(entry.name, entry.id)
        if len(pevent.lists) == 1:
            self.list_combo.setCurrentIndex(1)

    def start_connect(self) -> None:
        """Check access, then connect and download in the background; the result opens the mapping."""
        if self._busy:
            return
        if (missing := self._missing(need_event=True)) is not None:
            self._show(missing, ERROR_STYLE)
            return
        url, token = self.url_edit.text(), self._token()
        organizer, slug = self.organizer_edit.text().strip(), self.event_slug()
        list_id = self.list_combo.currentData()
        local_slug = self.local_combo.currentData()
        db, timeout = self.context.db, self.client_timeout

        def client(address: str, key: str) -> PretixClient:
            return PretixClient(address, key, timeout=timeout)

        def connect(progress: Progress) -> ConnectResult:
            check_access(client(url, token), organizer, slug)  # nothing is written before this
            return PretixService(db, client_factory=client).connect(
                url,
                token,
                organizer,
                slug,
                local_slug=local_slug,
                checkin_list=str(list_id) if list_id is not None else None,
                progress=progress,
            )

        self._show(_("Connecting …"))
        self._run(connect, self._on_connected, _("Connecting to pretix …"))

    def _on_connected(self, result: ConnectResult) -> None:
        self.token_edit.clear()
        self.connected_slug = result.event.slug
        self._show(connect_summary(result), OK_STYLE)
        self.context.changes.publish(result.download.changes)
        self.mapping_page.load(result.event.slug, connect_summary(result))
        self.stack.setCurrentIndex(1)
        self.save_button.setFocus()
        self.connected.emit(result.event.slug)


def open_pretix_dialog(window: MainWindow) -> None:
    """Menu "pretix connection": after the supervisor PIN (when set), the dialog; a connected event
    is then reopened in the window (its days, categories and workshops may have changed)."""
    if not window.supervisor.allow(
        window, SupervisedStep.SETTINGS, _("The pretix connection needs the supervisor PIN.")
    ):
        window.focus_scan_field()
        return
    dialog = PretixDialog(window.context, window)
    dialog.exec()
    if dialog.connected_slug is not None:
        window.event_chosen.emit(dialog.connected_slug)
    else:
        window.focus_scan_field()


__all__ = ["PretixDialog", "connect_summary", "open_pretix_dialog"]
