"""Render every view of the desk offscreen to ``docs/screenshots/*.png``.

Run: ``QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [--lang de|en] [--out DIR]``.
Uses a throwaway database with the demo event (500 registrations) and a clock
fixed on the first event day, so the pictures do not depend on today.
Each view is a function ``shot_<name>(studio)``; add yours below.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from checkin import i18n
from checkin.badges.service import BadgeService
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database, open_database
from checkin.domain.demo import create_demo
from checkin.domain.models import Registration, RegistrationStatus, registration_sessions
from checkin.domain.search import SearchIndex
from checkin.ui.context import DeskContext
from checkin.ui.main_window import MainWindow
from checkin.ui.person_dialog import PersonDialog
from checkin.ui.qt_compat import protect_singletons
from checkin.ui.settings import DeskSettings, SettingsStore
from checkin.ui.settings_dialog import SettingsDialog
from checkin.ui.tasks import SyncTaskRunner
from checkin.ui.theme import apply_theme
from checkin.ui.translations import LanguageSwitcher
from checkin.ui.walkin_dialog import WalkInDialog

BERLIN = dt.timezone(dt.timedelta(hours=2))
WINDOW_SIZE = (1600, 1000)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2024, 9, 19, 9, 12, tzinfo=BERLIN)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += dt.timedelta(minutes=minutes)


@dataclasses.dataclass
class Studio:
    """What every shot gets: the app, a desk over the demo database, the output folder."""

    app: QApplication
    db: Database
    context: DeskContext
    window: MainWindow
    clock: Clock
    out: Path

    def people(self, count: int, *, status: str = "active") -> list[tuple[int, str]]:
        """(id, code) of demo registrations, in a stable order."""
        with self.db.session_factory() as session:
            rows = session.execute(
                select(Registration.id, Registration.code)
                .where(Registration.event_id == self.context.event.id, Registration.status == status)
                .order_by(Registration.id)
                .limit(count)
            ).all()
        return [(row[0], row[1]) for row in rows]

    def save(self, widget: QWidget, name: str) -> Path:
        for _ in range(3):
            self.app.processEvents()
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)
        return path


def shot_desk_admitted(studio: Studio) -> None:
    panel = studio.window.checkin_panel
    for _id, code in studio.people(6)[1:6]:
        panel.submit_scan(code)
        studio.clock.advance(0.7)
    panel.submit_scan(studio.people(1)[0][1])
    studio.save(studio.window, "desk-admitted")


def shot_desk_already(studio: Studio) -> None:
    studio.clock.advance(23)
    studio.window.checkin_panel.submit_scan(studio.people(3)[2][1])
    studio.save(studio.window, "desk-already-checked-in")


def shot_desk_refused(studio: Studio) -> None:
    studio.clock.advance(1)
    cancelled = studio.people(1, status=RegistrationStatus.CANCELLED.value)
    code = cancelled[0][1] if cancelled else "K7PX3MQ9WTRV4N"
    studio.window.checkin_panel.submit_scan(code)
    studio.save(studio.window, "desk-refused")


def shot_search_popup(studio: Studio) -> None:
    panel = studio.window.checkin_panel
    panel.scan_field.setText("muel")
    panel.search_popup.run_search()
    panel.search_popup.list.setCurrentRow(0)
    studio.save(studio.window, "search-popup")
    panel.focus_scan_field()
    panel.scan_field.clear()


def shot_walk_in(studio: Studio) -> None:
    dialog = WalkInDialog(studio.context, studio.window.working_day.date, studio.window)
    dialog.title_edit.setText("Dr.")
    dialog.first_edit.setText("Sören")
    dialog.last_edit.setText("Öztürk-Wagner")
    dialog.organisation_edit.setText("Jobcenter Landkreis Göttingen")
    dialog.function_edit.setText("Bereichsleitung Markt und Integration")
    dialog.email_edit.setText("s.oeztuerk@jobcenter-goettingen.example")
    keys = list(dialog.workshop_checks)
    if keys:
        dialog.workshop_checks[keys[0]].setChecked(True)
    dialog.show()
    dialog.resize(760, dialog.sizeHint().height())
    studio.save(dialog, "walk-in-dialog")
    dialog.close()


def shot_person(studio: Studio) -> None:
    registration_id, code = studio.people(3)[2]
    studio.context.checkin.undo(registration_id, day=studio.window.working_day.date)
    studio.clock.advance(2)
    studio.context.checkin.scan(code, day=studio.window.working_day.date)
    dialog = PersonDialog(
        studio.context, registration_id, studio.window, print_badge=studio.window.print_badge
    )
    dialog.show()
    dialog.resize(900, 620)
    studio.save(dialog, "person-dialog")
    dialog.tabs.setCurrentWidget(dialog.history)
    studio.save(dialog, "person-dialog-history")
    dialog.close()


def shot_door(studio: Studio) -> None:
    window = studio.window
    event = studio.context.event
    workshop = next(s for s in event.workshops if s.day == window.working_day.date)
    window.show_door()
    door = window.door_panel
    door.select_session(workshop.key)
    with studio.db.session_factory() as session:
        codes = list(
            session.scalars(
                select(Registration.code)
                .join(registration_sessions, registration_sessions.c.registration_id == Registration.id)
                .where(
                    registration_sessions.c.session_id == workshop.id,
                    Registration.status == RegistrationStatus.ACTIVE.value,
                )
                .order_by(Registration.id)
                .limit(34)
            )
        )
    stranger = studio.people(60)[-1][1]  # most likely chose another workshop: admitted with a warning
    for code in [*codes[:-1], stranger, codes[-1]]:
        door.submit_scan(code)
        studio.clock.advance(0.2)
    studio.save(window, "workshop-door")
    window.show_desk()


def shot_settings(studio: Studio) -> None:
    dialog = SettingsDialog(studio.context, studio.window)
    dialog.show()
    dialog.resize(720, dialog.sizeHint().height())
    studio.save(dialog, "settings-dialog")
    dialog.close()


def shot_small_screen(studio: Studio) -> None:
    window = studio.window
    window.resize(1366, 768)
    studio.clock.advance(1)
    window.checkin_panel.submit_scan(studio.people(8)[7][1])
    window.checkin_panel.counter.refresh()  # at once, not after its short wait
    studio.save(window, "desk-1366x768")
    window.resize(1024, 600)  # a netbook: the smallest screen the desk must fit
    studio.save(window, "desk-1024x600")
    window.resize(*WINDOW_SIZE)


def shot_settings_small(studio: Studio) -> None:
    """The settings on a 1024×600 screen: they scroll, the buttons stay in view."""
    dialog = SettingsDialog(studio.context, studio.window)
    dialog.show()
    dialog.resize(700, 540)
    studio.save(dialog, "settings-dialog-1024x600")
    dialog.close()


def shot_scan_over_dialog(studio: Studio) -> None:
    """A badge scanned while the person dialog is open: checked in, shown over the dialog, edits kept."""
    from PySide6.QtGui import QPainter, QPixmap

    (registration_id, _code), (_id, code) = studio.people(12)[10:12]
    window = studio.window
    dialog = PersonDialog(
        studio.context,
        registration_id,
        window,
        print_badge=window.print_badge,
        preview_badge=window.preview_badge,
    )
    dialog.show()
    dialog.resize(900, 620)
    dialog.first_edit.setText(dialog.first_edit.text() + " (geändert)")
    studio.clock.advance(1)
    window.handle_scanned_in_dialog(code, dialog)
    notice = window.parking.notice
    for _ in range(3):
        studio.app.processEvents()
    assert notice is not None
    shot = QPixmap(dialog.width(), notice.height() + dialog.height())
    painter = QPainter(shot)
    painter.drawPixmap((dialog.width() - notice.width()) // 2, 0, notice.grab())
    painter.drawPixmap(0, notice.height(), dialog.grab())
    painter.end()
    path = studio.out / "scan-over-dialog.png"
    shot.save(str(path))
    print(path)
    notice.hide()
    dialog.reject()


def shot_dashboard(studio: Studio) -> None:
    """Arrivals through the morning (clock set back for them), then the dashboard at the current time."""
    from random import Random

    window, clock = studio.window, studio.clock
    resume_at = clock.now
    clock.now = resume_at.replace(hour=7, minute=50)
    day = window.working_day.date
    rng = Random(19)
    for _id, code in studio.people(420)[40:420]:
        if rng.random() < 0.8 and clock.now < resume_at:
            studio.context.checkin.scan(code, day=day)
            clock.advance(abs(rng.gauss(0.35, 0.25)))
    clock.now = max(clock.now, resume_at)
    window.show_dashboard()
    studio.save(window, "dashboard")
    window.show_desk()


def shot_import_wizard(studio: Studio) -> None:
    from checkin.ui.import_wizard import ImportWizard

    rows = [
        "Anrede;Titel;Vorname;Nachname;Dienststelle;E-Mail;Teilnehmergruppe;Zukunftswerkstatt",
        "Frau;Dr.;Henrike;Weiß;Jobcenter Landkreis Kassel;h.weiss@example.org;Teilnehmer;Digitalisierung",
        "Herr;;Jürgen;Großmann;Jobcenter Stadt Offenbach;j.grossmann@example.org;Referent;IT-Sicherheit",
        "Frau;;Ayşe;Yılmaz;Jobcenter Kreis Recklinghausen;a.yilmaz@example.org;Teilnehmer;BASS",
        "Herr;Prof.;Łukasz;Nowak;Hochschule Fulda;l.nowak@example.org;Referent;Zukunftswerkstatt 4",
        "Frau;;Marie-Luise;Schäfer;Landkreis Görlitz;ml.schaefer@example.org;Presse;",
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "anmeldungen-jobcentertag.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        wizard = ImportWizard(studio.context, studio.window)
        wizard.show()
        wizard.file_page.path_edit.setText(str(path))
        wizard.next()
        studio.save(wizard, "import-wizard-mapping")
        wizard.next()
        studio.save(wizard, "import-wizard-check")
        wizard.reject()


def shot_batch_badges(studio: Studio) -> None:
    from checkin.ui.badge_dialogs import BatchBadgeDialog

    dialog = BatchBadgeDialog(studio.context, studio.window)
    dialog.unprinted_box.setChecked(True)
    dialog.update_count()
    dialog.show()
    studio.save(dialog, "batch-badges")
    dialog.reject()


def shot_export(studio: Studio) -> None:
    from checkin.ui.export_dialog import ExportDialog

    dialog = ExportDialog(studio.context, studio.window)
    dialog.show()
    studio.save(dialog, "export-dialog")
    dialog.reject()


def shot_new_event(studio: Studio) -> None:
    """File → New event, filled in, as on a 1366×768 laptop and on a 1024×600 netbook (it scrolls)."""
    from checkin.ui.event_dialog import NewEventDialog, layout_keys

    dialog = NewEventDialog(
        studio.db, studio.window, today=dt.date(2025, 9, 18), folder=studio.out, layout_keys=layout_keys()
    )
    dialog.name.setText("Fachtag Inklusion 2025")
    dialog.venue.setText("Haus der Kirche")
    dialog.address.setText("Seestraße 1, 80331 München")
    dialog.day_count.setValue(2)
    dialog.file.setText("/home/orga/fachtag-inklusion-2025.toml")
    programme = [
        ("Eröffnung und Grußworte", 0, "Großer Saal", 0, False),
        ("Werkstatt A: Barrierefreie Verwaltung", 0, "Raum 1", 25, True),
        ("Werkstatt B: Leichte Sprache", 0, "Raum 2", 25, True),
        ("Podium: Teilhabe am Arbeitsmarkt", 1, "Großer Saal", 0, False),
    ]
    for title, day, room, capacity, workshop in programme:
        row = dialog.add_session()
        row.title.setText(title)
        row.title.setCursorPosition(0)
        row.day.setCurrentIndex(day)
        row.room.setText(room)
        row.capacity.setValue(capacity)
        row.kind.setCurrentIndex(1 if workshop else 0)
    dialog.session_rows[2].start.setTime(dialog.session_rows[1].start.time())
    dialog.session_rows[2].end.setTime(dialog.session_rows[1].end.time())
    dialog.show()
    dialog.name.deselect()
    for size, name in (((980, 680), "new-event-1366x768"), ((1000, 560), "new-event-1024x600")):
        dialog.resize(*size)
        studio.save(dialog, name)
    dialog.close()


SHOTS: list[Callable[[Studio], None]] = [
    shot_desk_admitted,
    shot_desk_already,
    shot_desk_refused,
    shot_search_popup,
    shot_walk_in,
    shot_person,
    shot_door,
    shot_settings,
    shot_small_screen,
    shot_dashboard,
    shot_import_wizard,
    shot_batch_badges,
    shot_export,
    shot_new_event,
    shot_settings_small,
    shot_scan_over_dialog,
]


def _test_frames(studio: Studio, code: str | None) -> None:
    """The camera views get frames drawn from an image (a ticket on a phone), never a real
    camera: the preview's caption says "test frames (no camera)"."""
    import numpy as np
    from PySide6.QtGui import QImage

    from checkin.ui import camera_view

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.helpers.camera_frames import empty_frame, phone_screen

    frame = phone_screen(code) if code else empty_frame()
    rgb = np.ascontiguousarray(np.asarray(frame.convert("RGB")))
    height, width, _ = rgb.shape
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    camera_view.open_camera = lambda _setting: camera_view.ImageFrameSource([image], fps=15)  # type: ignore[assignment]
    studio.context.settings.camera = "test-frames"


def _wait(studio: Studio, done: Callable[[], bool], seconds: float = 10) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        studio.app.processEvents()
        time.sleep(0.01)


def shot_desk_camera(studio: Studio) -> None:
    from checkin.ui.camera_view import CameraStation

    studio.clock.advance(2)
    person = studio.people(12)[11]
    _test_frames(studio, person[1])
    panel = studio.window.checkin_panel
    station = panel.findChild(CameraStation)
    station._follow_settings()
    _wait(studio, lambda: bool(panel.recent.scans) and panel.recent.scans[0].verdict.code == person[1])
    _wait(studio, lambda: station.camera.preview.image is not None)
    studio.save(studio.window, "desk-camera")
    studio.context.settings.camera = ""
    station._follow_settings()


def shot_kiosk(studio: Studio) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from checkin.domain.kiosk_pin import hash_pin
    from checkin.ui.kiosk_window import KioskWindow

    studio.clock.advance(3)
    result_code = studio.people(16)[15][1]
    _test_frames(studio, None)  # the camera sees the hall, no ticket yet
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(studio.out.parent / ".kiosk-badge.pdf"))
    kiosk = KioskWindow(studio.context, pin_hash=hash_pin("2468"), printer=printer)
    kiosk.resize(*WINDOW_SIZE)
    kiosk.show()
    _wait(studio, lambda: kiosk.station.camera.preview.image is not None)
    studio.save(kiosk, "kiosk-welcome")
    studio.context.settings.camera = kiosk.context.settings.camera = ""
    kiosk.station._follow_settings()
    kiosk.submit(result_code)
    studio.save(kiosk, "kiosk-badge-printing")
    kiosk.submit(studio.people(1, status=RegistrationStatus.CANCELLED.value)[0][1])
    studio.save(kiosk, "kiosk-refused")
    kiosk._unlocked = True
    kiosk.close()
    Path(studio.out.parent / ".kiosk-badge.pdf").unlink(missing_ok=True)


# Last: they check people in and leave the camera off again.
SHOTS.extend([shot_desk_camera, shot_kiosk])


def shot_pretix_connect(studio: Studio) -> None:
    """File → pretix connection, filled in after "Check token" (no network: the answers set by hand)."""
    from checkin.ui.pretix_dialog import OK_STYLE, PretixDialog

    dialog = PretixDialog(studio.context, studio.window)
    dialog.url_edit.setText("https://pretix.eu")
    dialog.organizer_edit.setText("jobcenter-verband")
    dialog.token_edit.setText("x" * 64)  # shown as dots, as a real token would be
    dialog.event_combo.addItem("Tag der kommunalen Jobcenter 2024 (tkj24)", "tkj24")
    dialog.list_combo.addItem("Einlass", 1)
    dialog.list_combo.setCurrentIndex(1)
    dialog.local_combo.setCurrentIndex(1)
    dialog.status.setText(
        i18n.ngettext(
            "The token is good: {n} event. Choose the event and its check-in list.",
            "The token is good: {n} events. Choose the event and its check-in list.",
            3,
        ).format(n=3)
    )
    dialog.status.setStyleSheet(OK_STYLE)
    dialog.show()
    dialog.resize(760, 540)
    dialog.connect_button.setFocus()
    studio.save(dialog, "pretix-connect")
    dialog.reject()


def shot_pretix_mapping(studio: Studio) -> None:
    """The mapping page after connecting: defaults chosen by name, one answer left unmapped."""
    from checkin.pretix.catalog import (
        CheckinListInfo,
        PretixEvent,
        Product,
        Question,
        QuestionOption,
        Variation,
    )
    from checkin.pretix.mapping import LocalCategory, LocalSession, default_mapping
    from checkin.pretix.store import save_mapping
    from checkin.ui.pretix_dialog import PretixDialog

    event = studio.context.event
    days = [d.date for d in event.days]
    titles = [*(w.title for w in event.workshops[:4]), "Offener Austausch"]
    pevent = PretixEvent(
        organizer="jobcenter-verband", slug="tkj24", name=event.name, venue="", timezone="Europe/Berlin",
        date_from=None, date_to=None, has_subevents=False,
        products=(
            Product(1, "Teilnahme", True), Product(2, "Referent/in", True),
            Product(3, "Tagesticket", True,
                    (Variation(31, "Donnerstag, 19.09."), Variation(32, "Freitag, 20.09."))),
            Product(4, "Tagungsband", False),
        ),
        lists=(CheckinListInfo(1, "Einlass", True, (), False),),
        questions=(Question(7, "Zukunftswerkstatt", "ZW", tuple(
            QuestionOption(70 + n, f"ZW{n}", title) for n, title in enumerate(titles, start=1))),),
    )  # fmt: skip
    categories = [LocalCategory(c.key, c.name, c.aliases, c.is_default) for c in event.categories]
    sessions = [LocalSession(s.key, s.title, s.day, s.is_workshop) for s in event.sessions]
    rows = default_mapping(pevent, days, categories, sessions, event.workshop_label)
    with studio.db.write() as session:
        save_mapping(session, event.id, rows)
    dialog = PretixDialog(studio.context, studio.window)
    dialog.mapping_page.load(event.slug, "Verbunden: Tag der kommunalen Jobcenter 2024 (19.–20.09.2024).")
    dialog.stack.setCurrentIndex(1)
    dialog.show()
    dialog.resize(760, 540)
    studio.save(dialog, "pretix-mapping")
    dialog.reject()


SHOTS.extend([shot_pretix_connect, shot_pretix_mapping])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", choices=["de", "en"], default="de")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    parser.add_argument("--only", action="append", help="only the shots with this name (repeatable)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    protect_singletons()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    LanguageSwitcher(app).apply(args.lang)
    apply_theme(app, scale=1.0)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "screenshots.db")
        clock = Clock()
        event = create_demo(db, clock=clock)
        settings = DeskSettings(desk_name="Platz 1", sound=False)
        context = DeskContext(
            db=db,
            event=event,
            checkin=CheckInService(db, event, desk=settings.desk_name, clock=clock),
            search=SearchIndex(db, event),
            badges=BadgeService(db, event, desk=settings.desk_name, clock=clock),
            settings=settings,
            tasks=SyncTaskRunner(),
            clock=clock,
        )
        store = SettingsStore(Path(folder) / "settings.ini")
        store.save(settings)  # a named desk: no first-start bar in the pictures
        window = MainWindow(context, store=store)
        window.setWindowState(Qt.WindowState.WindowNoState)  # the offscreen screen is small
        window.resize(*WINDOW_SIZE)
        window.show()
        window.focus_scan_field()
        studio = Studio(app=app, db=db, context=context, window=window, clock=clock, out=args.out)
        for shot in SHOTS:
            if args.only and shot.__name__.removeprefix("shot_") not in args.only:
                continue
            shot(studio)
        QTimer.singleShot(0, window.close)
        window.close()
        app.processEvents()
        db.dispose()
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
