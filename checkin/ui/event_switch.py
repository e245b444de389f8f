"""Another event for this desk: a new one (the dialog), one from an event file, or one in the database.

Each entry point asks, loads what is needed and then emits the main window's
``event_chosen`` with the event's slug (with a supervisor PIN set, only after the PIN:
``ui.supervisor_dialog.SupervisorGate``, every switch an audit row); the composition root
(``checkin.app``) answers by building the desk's services and window for that event and
remembering it in the settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.errors import UserError
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.domain.supervisor import SupervisedStep
from checkin.i18n import _, ngettext
from checkin.ui.event_dialog import NewEventDialog, default_folder, layout_keys

if TYPE_CHECKING:
    from checkin.domain.db import Database
    from checkin.ui.main_window import MainWindow


class EventChooserDialog(QDialog):
    """The events of this database, the current one selected; Enter takes the one selected."""

    def __init__(self, db: Database, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventChooserDialog")
        self.setWindowTitle(_("Switch event"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Events in this database:")))
        self.list = QListWidget()
        for slug, name, count in EventService(db).list_events():
            registrations = ngettext("{n} registration", "{n} registrations", count).format(n=count)
            item = QListWidgetItem(f"{name}  ·  {registrations}")
            item.setData(Qt.ItemDataRole.UserRole, slug)
            self.list.addItem(item)
            if slug == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setFocus()
        self.resize(560, 360)

    def chosen_slug(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


def supervisor_allows_switch(window: MainWindow, detail: dict[str, str]) -> bool:
    """True when the desk may leave its event: no supervisor PIN set, or the right one (audited)."""
    why = _("Switching to another event needs the supervisor PIN.")
    return window.supervisor.allow(window, SupervisedStep.SWITCH_EVENT, why, detail)


def choose_event(window: MainWindow) -> None:
    """Menu "Switch event": pick one of the database's events."""
    context = window.context
    dialog = EventChooserDialog(context.db, context.event.slug, window)
    if (
        dialog.exec()
        and (slug := dialog.chosen_slug())
        and slug != context.event.slug
        and supervisor_allows_switch(window, {"to": slug})
    ):
        window.event_chosen.emit(slug)
        return
    window.focus_scan_field()


def new_event(window: MainWindow) -> None:
    """Menu "New event": the dialog writes the file, loads it and the desk switches to it."""
    context = window.context
    if not supervisor_allows_switch(window, {"to": "new"}):  # asked before anything is typed
        window.focus_scan_field()
        return
    dialog = NewEventDialog(
        context.db,
        window,
        today=context.clock().astimezone(context.event.tz).date(),
        folder=default_folder(context.db),
        layout_keys=layout_keys(),
    )
    if dialog.exec() and dialog.created is not None:
        window.event_chosen.emit(dialog.created.slug)
        return
    window.focus_scan_field()


def ask_event_file(parent: QWidget) -> Path | None:
    """The event file the user picks (tests replace this)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, _("Open an event file"), str(Path.home()), _("Event files (*.toml)")
    )
    return Path(chosen) if chosen else None


def open_event_file(window: MainWindow, path: Path | None = None) -> None:
    """Menu "Open event file": load the file (an event already in the database is updated
    from it, after asking) and switch to it."""
    context = window.context
    path = path or ask_event_file(window)
    if path is None:
        window.focus_scan_field()
        return
    service = EventService(context.db)
    try:
        definition = load_event_file(path, layout_keys=layout_keys())
        if definition.slug != context.event.slug and not supervisor_allows_switch(
            window, {"to": definition.slug}
        ):
            window.focus_scan_field()
            return
        known = {slug: name for slug, name, _count in service.list_events()}
        if definition.slug in known:
            answer = QMessageBox.question(
                window,
                _("Update the event?"),
                _(
                    "This database already holds '{name}'. Update its days, sessions and categories "
                    "from {file}? Registrations and check-ins are kept."
                ).format(name=known[definition.slug], file=path.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                window.focus_scan_field()
                return
        info = service.load_definition(definition)
    except UserError as error:
        QMessageBox.warning(window, _("The event file cannot be used"), str(error))
        window.focus_scan_field()
        return
    window.event_chosen.emit(info.slug)
