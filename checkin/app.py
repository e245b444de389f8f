"""Composition root of the desktop app: settings -> database -> event -> services -> window.

``python main.py`` (or ``python -m checkin.app``) opens the check-in desk on
the last used event; on a first start with an empty database it creates the
demo event with its registrations.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checkin.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from checkin.domain.db import Database
    from checkin.domain.events import EventInfo
    from checkin.ui.main_window import MainWindow
    from checkin.ui.settings import DeskSettings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="checkin-desk", description=_("The check-in desk of checkin."))
    parser.add_argument(
        "--db", help=_("database file or URL (default: as in the settings, else $CHECKIN_DB)")
    )
    parser.add_argument("--event", help=_("event slug (default: the last used event)"))
    parser.add_argument("--lang", choices=["de", "en"], help=_("language of the window"))
    parser.add_argument("--desk", help=_("name of this desk in the check-in log"))
    parser.add_argument("--settings", help=_("settings file (ini) instead of the user's settings"))
    return parser


def open_event(db: Database, slug: str | None) -> EventInfo:
    """The event asked for, else the last used one; the demo when the database has no event at all."""
    from checkin.domain.events import EventNotFoundError, EventService

    service = EventService(db)
    try:
        return service.get(slug or None)
    except EventNotFoundError:
        if slug and service.list_events():
            raise
        from checkin.domain.demo import create_demo

        return create_demo(db)


@dataclass
class Desk:
    """What ``build_desk`` made: the window and what it needs to be shut down cleanly."""

    window: MainWindow
    db: Database


def build_desk(app: QApplication, args: argparse.Namespace) -> Desk:
    """Everything from the settings to a shown window with the scan field focused."""
    from checkin.badges.service import BadgeService
    from checkin.domain.checkin_service import CheckInService
    from checkin.domain.db import open_database
    from checkin.domain.search import SearchIndex
    from checkin.ui.context import DeskContext
    from checkin.ui.main_window import MainWindow
    from checkin.ui.settings import SettingsStore
    from checkin.ui.tasks import TaskRunner
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

    db = open_database(args.db or settings.database or os.environ.get("CHECKIN_DB") or None)
    event = open_event(db, args.event or settings.event_slug or None)
    if args.event or not settings.event_slug:
        settings.event_slug = event.slug
    from checkin.domain.models import utcnow

    clock = utcnow
    context = DeskContext(
        db=db,
        event=event,
        checkin=CheckInService(db, event, desk=settings.desk_name, clock=clock),
        search=SearchIndex(db, event),
        badges=BadgeService(db, event, desk=settings.desk_name, clock=clock),
        settings=settings,
        tasks=TaskRunner(app),
        clock=clock,
    )
    window = MainWindow(context, store=store, language=language)
    store.save(settings)
    window.show()
    window.raise_()
    window.activateWindow()
    window.focus_scan_field()
    return Desk(window=window, db=db)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
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
        desk.window.context.tasks.cancel_all()
        desk.db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
