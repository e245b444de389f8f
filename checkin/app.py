"""Composition root of the desktop app: settings -> database -> event -> services -> window.

``python main.py`` (or ``python -m checkin.app``) opens the check-in desk on
the last used event; on a first start with an empty database it creates the
demo event with its registrations.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from checkin.i18n import _

T = TypeVar("T")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from checkin.badges.service import BadgeService
    from checkin.domain.db import Database
    from checkin.domain.events import EventInfo
    from checkin.domain.search import SearchIndex
    from checkin.ui.context import DeskContext
    from checkin.ui.main_window import MainWindow
    from checkin.ui.settings import DeskSettings, SettingsStore
    from checkin.ui.translations import LanguageSwitcher


# The window paints first; then slow services are made in the background.
WARM_UP_DELAY_MS = 150


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="checkin-desk", description=_("The check-in desk of checkin."))
    parser.add_argument(
        "--db", help=_("database file or URL (default: $CHECKIN_DB, else as in the settings)")
    )
    parser.add_argument("--event", help=_("event slug (default: the last used event)"))
    parser.add_argument("--lang", choices=["de", "en"], help=_("language of the window"))
    parser.add_argument("--desk", help=_("name of this desk in the check-in log"))
    parser.add_argument("--settings", help=_("settings file (ini) instead of the user's settings"))
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help=_("start as a self-check-in kiosk (leaving it needs the kiosk PIN)"),
    )
    return parser


def open_event(db: Database, slug: str | None, *, remembered: str | None = None) -> EventInfo:
    """The event asked for (``slug``), else the one this desk used last (``remembered``), else the
    latest; the demo when the database has no event at all.

    A remembered event that is not in this database (the desk was pointed at another one)
    is passed over quietly; an event asked for on the command line is not.
    """
    from checkin.domain.events import EventNotFoundError, EventService

    service = EventService(db)
    if not slug and remembered:
        try:
            return service.get(remembered)
        except EventNotFoundError:
            pass
    try:
        return service.get(slug or None)
    except EventNotFoundError:
        if slug and service.list_events():
            raise
        from checkin.domain.demo import create_demo

        return create_demo(db)


class Deferred(Generic[T]):
    """Stands in for a service that is made on first use (its imports are slow).

    The window shows first; ``warm_up()`` then makes the service in a worker thread
    (reportlab and fonts for badges, rapidfuzz and the name index for the search), so
    it is ready when first needed. Using it earlier simply waits until it is made.
    """

    def __init__(self, factory: Callable[[], T]) -> None:
        object.__setattr__(self, "_factory", factory)
        object.__setattr__(self, "_service", None)
        object.__setattr__(self, "_lock", threading.Lock())

    def service(self) -> T:
        with self._lock:
            if self._service is None:
                object.__setattr__(self, "_service", self._factory())
            return self._service

    def warm_up(self, _progress: object = None) -> None:
        self.service()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.service(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.service(), name, value)


@dataclass
class Desk:
    """What ``build_desk`` made: the window and what it needs to be shut down cleanly, or to be
    rebuilt for another event of the same database (``switch_event``)."""

    window: MainWindow
    db: Database
    app: QApplication | None = None
    store: SettingsStore | None = None
    language: LanguageSwitcher | None = None

    def switch_event(self, slug: str) -> None:
        """Work on the event ``slug`` from now on: its services and a new window in place of the
        old one, remembered in the settings for the next start."""
        from PySide6.QtWidgets import QMessageBox

        from checkin.domain.events import EventNotFoundError, EventService

        if self.app is None:
            raise RuntimeError("this desk was built without its application")
        old = self.window
        try:
            event = EventService(self.db).get(slug)
        except EventNotFoundError as error:  # removed by another desk since it was listed
            QMessageBox.warning(old, _("Switch event"), str(error))
            return
        settings = old.context.settings
        settings.event_slug = event.slug
        if self.store is not None:
            self.store.save(settings)
        shut_down(old.context)
        self._adopt(
            _show_window(_desk_context(self.app, self.db, event, settings), self.store, self.language)
        )
        old.close()  # stops its poller and scan capture, saves the window's geometry
        old.deleteLater()

    def switch_database(self, database: str) -> None:
        """Work on the database ``database`` from now on (e.g. the local copy of a hub this desk just
        joined): a new window over it in place of the old one, remembered for the next start."""
        from checkin.domain.db import open_database

        if self.app is None:
            raise RuntimeError("this desk was built without its application")
        old, old_db = self.window, self.db
        db = open_database(database)
        try:
            event = open_event(db, None)
        except BaseException:
            db.dispose()
            raise
        settings = old.context.settings
        settings.database, settings.event_slug = database, event.slug
        if self.store is not None:
            self.store.save(settings)
        shut_down(old.context)
        self.db = db
        self._adopt(_show_window(_desk_context(self.app, db, event, settings), self.store, self.language))
        old.close()
        old.deleteLater()
        old_db.dispose()

    def _adopt(self, window: MainWindow) -> None:
        self.window = window
        window.event_chosen.connect(self.switch_event)
        window.context.switch_database = self.switch_database


def shut_down(context: DeskContext) -> None:
    """Stop what works for a desk in the background: tasks, the scan queue's retries, the sync."""
    context.tasks.cancel_all()
    if context.scan_retrier is not None:
        context.scan_retrier.stop()
    if context.sync is not None:
        context.sync.stop()


def build_desk(app: QApplication, args: argparse.Namespace) -> Desk:
    """Everything from the settings to a shown window with the scan field focused."""
    from checkin.ui.qt_compat import protect_singletons

    protect_singletons()
    from checkin.ui.settings import SettingsStore
    from checkin.ui.theme import apply_theme
    from checkin.ui.translations import LanguageSwitcher

    store = SettingsStore(args.settings)
    settings: DeskSettings = store.load()
    if args.lang:
        settings.language = args.lang
    if args.desk:
        settings.desk_name = args.desk
    language = LanguageSwitcher(app)
    language.apply(settings.language)
    apply_theme(app)
    try:
        desk = _build_window(app, args, store, settings, language)
    except BaseException:
        language.remove()  # a failed start leaves the application as it was
        raise
    if args.kiosk:
        from checkin.ui.kiosk_window import start_kiosk

        start_kiosk(desk.window)
    return desk


def _build_window(
    app: QApplication,
    args: argparse.Namespace,
    store: SettingsStore,
    settings: DeskSettings,
    language: LanguageSwitcher,
) -> Desk:
    from checkin.domain.db import open_database

    # --db, then $CHECKIN_DB, then the database chosen in the settings, else the default file.
    db = open_database(args.db or os.environ.get("CHECKIN_DB") or settings.database or None)
    try:
        event = open_event(db, args.event, remembered=settings.event_slug or None)
    except BaseException:
        db.dispose()
        raise
    settings.event_slug = event.slug
    window = _show_window(_desk_context(app, db, event, settings), store, language)
    desk = Desk(window=window, db=db, app=app, store=store, language=language)
    desk._adopt(window)
    return desk


def _desk_context(app: QApplication, db: Database, event: EventInfo, settings: DeskSettings) -> DeskContext:
    """The services of one desk on ``event``; the slow ones are made when first used."""
    from checkin.domain.checkin_service import CheckInService
    from checkin.domain.db import SCAN_WAIT_S
    from checkin.domain.models import utcnow
    from checkin.sync.desk_link import link_for
    from checkin.ui.context import DeskContext
    from checkin.ui.tasks import TaskRunner

    clock = utcnow
    # A desk joined to a hub syncs by itself, and its scans ask the hub first (waiting as set).
    link = link_for(db, event=event, bound=settings.hub_wait_seconds())
    checkin = (
        link.checkin_service(event, desk=settings.desk_name, clock=clock, scan_wait=SCAN_WAIT_S)
        if link is not None
        else CheckInService(db, event, desk=settings.desk_name, clock=clock, scan_wait=SCAN_WAIT_S)
    )

    def make_badge_service() -> BadgeService:
        from checkin.badges.service import BadgeService

        return BadgeService(db, event, desk=settings.desk_name, clock=clock)

    def make_search_index() -> SearchIndex:
        from checkin.domain.search import SearchIndex

        return SearchIndex(db, event)

    return DeskContext(
        db=db,
        event=event,
        checkin=checkin,
        search=Deferred(make_search_index),  # type: ignore[arg-type]  # stands in for a SearchIndex
        badges=Deferred(make_badge_service),  # type: ignore[arg-type]  # stands in for a BadgeService
        settings=settings,
        tasks=TaskRunner(app),
        clock=clock,
        sync=link,
    )


def _show_window(
    context: DeskContext, store: SettingsStore | None, language: LanguageSwitcher | None
) -> MainWindow:
    """The window over ``context``, shown with the scan field focused; the slow services warm up
    in the background once it has painted."""
    from PySide6.QtCore import QTimer

    from checkin.domain.secrets import url_without_password
    from checkin.ui.main_window import MainWindow

    window = MainWindow(context, store=store, language=language)
    # Settings written by an older version may hold a server's password: keep it as a secret.
    context.settings.database = url_without_password(context.settings.database)
    if store is not None:
        store.save(context.settings)
    if context.sync is not None:
        from checkin.ui.sync_status import attach_sync

        attach_sync(window, context.sync, context.changes, context.event.tz)
        context.sync.start()
    window.show()
    window.raise_()
    window.activateWindow()
    window.focus_scan_field()

    def warm_up() -> None:
        for deferred in (context.search, context.badges):
            if isinstance(deferred, Deferred):
                context.tasks.run(deferred.warm_up, on_done=lambda _result: None, parent=window, quiet=True)

    QTimer.singleShot(WARM_UP_DELAY_MS, window, warm_up)  # not at all if the window is gone by then
    return window


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from checkin.ui.qt_compat import protect_singletons

    protect_singletons()
    from PySide6.QtWidgets import QApplication, QMessageBox

    from checkin.domain.errors import UserError

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "checkin"])
    app.setApplicationName("checkin")
    app.setOrganizationName("checkin")
    try:
        desk = build_desk(app, args)  # type: ignore[arg-type]
    except UserError as error:
        QMessageBox.critical(None, _("checkin cannot start"), str(error))
        print(str(error), file=sys.stderr)
        return 1
    try:
        return app.exec()
    finally:
        shut_down(desk.window.context)
        desk.db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
