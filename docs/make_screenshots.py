"""Render every view of the desk offscreen to ``docs/screenshots/*.png``.

Run: ``QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [--lang de|en] [--out DIR]``.
Uses a throwaway database with the demo event (500 registrations) and a clock
fixed on the first event day, so the pictures do not depend on today.
Each view is a function ``shot_<name>(studio)``; add yours below.

Then the main window as a demo user sees it on a 1366×768 laptop and a 1024×600
netbook (``SCREENS``; ``*-1366x768.png``, ``*-1024x600.png``): each size in its own
process whose offscreen screen has that size, so the app picks its font scale and
sizes its dialogs as it would there; the window fills the screen less a 40 px
panel. Their clock is fixed on a day long after the demo event (which lies in
2024), so the banner for a past event shows, as it does for anyone trying the demo.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import subprocess
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
SCREENS = ((1366, 768), (1024, 600))
PANEL_HEIGHT = 40  # a desktop's task bar: what the window cannot have of the screen
# A working morning long after the demo event (it lies in 2024): the desk shows the past-event banner.
AFTER_THE_EVENT = dt.datetime(2026, 3, 10, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))


class Clock:
    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = now or dt.datetime(2024, 9, 19, 9, 12, tzinfo=BERLIN)

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
    shot_door_named(studio, "workshop-door")


def shot_settings(studio: Studio) -> None:
    dialog = SettingsDialog(studio.context, studio.window)
    dialog.show()
    dialog.resize(720, dialog.sizeHint().height())
    studio.save(dialog, "settings-dialog")
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
    _morning(studio, studio.people(420)[40:420], studio.clock.now)
    studio.window.show_dashboard()
    studio.save(studio.window, "dashboard")
    studio.window.show_desk()


def _import_wizard(studio: Studio, mapping: str, check: str | None = None) -> None:
    """The import wizard on a small registration list: its column mapping (and its check page)."""
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
        studio.save(wizard, mapping)
        if check is not None:
            wizard.next()
            studio.save(wizard, check)
        wizard.reject()


def shot_import_wizard(studio: Studio) -> None:
    _import_wizard(studio, "import-wizard-mapping", "import-wizard-check")


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


def shot_desk_offline(studio: Studio) -> None:
    """A desk joined to a hub whose network is gone: verdicts made offline, the status bar says
    since when and how much waits. The window's sync state is set as its ``DeskLink`` would set it
    (no hub runs here); the verdicts are the desk's own, marked as ``OnlineFirstDesk`` marks them."""
    from checkin.domain.log_notes import NoteKind
    from checkin.sync.replica import SyncStatus
    from checkin.ui.sync_status import SyncStatusWidget

    window, clock = studio.window, studio.clock
    widget = SyncStatusWidget(studio.context.event.tz)
    window.statusBar().addPermanentWidget(widget)
    window.statusBar().show()
    clock.advance(4)
    since = clock.now
    day = window.working_day.date
    people = studio.people(30)[24:27]
    for _id, code in people:
        clock.advance(0.6)
        verdict = studio.context.checkin.scan(code, day=day)
        window.checkin_panel.present_verdict(
            dataclasses.replace(verdict, notes=(*verdict.notes, NoteKind.OFFLINE.value))
        )

    def state(online: bool, queued: int) -> SyncStatus:
        return SyncStatus(
            desk_name="Platz 1",
            online=online,
            queued=queued,
            conflicts=0,
            last_upload=since,
            last_download=since,
            offline_since=None if online else since,
            last_error="",
            joined=True,
        )

    widget.show_status(state(False, len(people)))
    window.checkin_panel.counter.refresh()
    studio.save(window, "desk-offline")
    widget.show_status(state(True, 0))
    if studio.out.name != "screenshots":  # the online state only when asked for another folder
        studio.save(window, "desk-online")
    window.statusBar().removeWidget(widget)
    widget.deleteLater()
    window.checkin_panel.show_ready()


def shot_guest_list(studio: Studio) -> None:
    """F7: who of the Jobcenter people has not arrived yet (after the morning's arrivals)."""
    from checkin.ui.guest_list_view import GuestListDialog

    window = studio.window
    dialog = GuestListDialog(
        studio.context, window.working_day.date, window, open_person=lambda _registration_id: None
    )
    dialog.show()
    dialog.resize(1240, 720)
    dialog.presence_combo.setCurrentIndex(1)  # not here yet
    dialog.organisation_edit.setText("Jobcenter")
    dialog.table.setFocus()
    dialog.table.selectRow(2)
    studio.save(dialog, "guest-list")
    dialog.reject()


def shot_queue_display(studio: Studio) -> None:
    """The result window for the queue (a second monitor): the welcome, then a check-in at the desk."""
    from checkin.ui.queue_display import QueueDisplay

    window = studio.window
    display = QueueDisplay(studio.context.event.name, lambda: 30, window)
    display.follow(window.checkin_panel.station)
    display.resize(1280, 720)
    display.show()
    studio.save(display, "queue-display-ready")
    studio.clock.advance(1)
    window.checkin_panel.submit_scan(studio.people(40)[35][1])
    studio.save(display, "queue-display")
    display.close()


SHOTS: list[Callable[[Studio], None]] = [
    shot_desk_admitted,
    shot_desk_already,
    shot_desk_refused,
    shot_search_popup,
    shot_walk_in,
    shot_person,
    shot_door,
    shot_settings,
    shot_dashboard,
    shot_import_wizard,
    shot_batch_badges,
    shot_export,
    shot_new_event,
    shot_scan_over_dialog,
    shot_desk_offline,
    shot_guest_list,
    shot_queue_display,
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

    from checkin.domain.supervisor import hash_pin
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


def _morning(studio: Studio, people: list[tuple[int, str]], until: dt.datetime) -> None:
    """Arrivals from 07:50 until ``until`` (the clock set back for them), then the clock at ``until``."""
    from random import Random

    clock = studio.clock
    clock.now = until.replace(hour=7, minute=50)
    day = studio.window.working_day.date
    rng = Random(19)
    for _id, code in people:
        if rng.random() < 0.8 and clock.now < until:
            studio.context.checkin.scan(code, day=day)
            clock.advance(abs(rng.gauss(0.35, 0.25)))
    clock.now = until


def screen_shots(studio: Studio, size: str) -> None:
    """The main window (and its import wizard and settings) on one screen size, after the event."""
    window, clock = studio.window, studio.clock
    people = studio.people(300)
    _morning(studio, people[40:300], AFTER_THE_EVENT)
    panel = window.checkin_panel
    for _id, code in people[1:5]:
        panel.submit_scan(code)
        clock.advance(0.4)
    panel.submit_scan(people[0][1])
    panel.counter.refresh()  # at once, not after its short wait
    studio.save(window, f"desk-admitted-{size}")
    clock.advance(1)
    cancelled = studio.people(1, status=RegistrationStatus.CANCELLED.value)
    panel.submit_scan(cancelled[0][1])  # refused, with the next step and "Let in anyway"
    studio.save(window, f"desk-refused-{size}")
    shot_door_named(studio, f"workshop-door-{size}")
    window.show_dashboard()
    studio.save(window, f"dashboard-{size}")
    window.show_desk()
    _import_wizard(studio, f"import-wizard-{size}")
    dialog = SettingsDialog(studio.context, window)
    dialog.show()
    studio.save(dialog, f"settings-dialog-{size}")
    dialog.close()


def shot_door_named(studio: Studio, name: str) -> None:
    """The workshop door after a few dozen scans (also at the screen sizes)."""
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
    studio.save(window, name)
    window.show_desk()


def _run_screens(args: argparse.Namespace) -> int:
    """Each screen size in a process of its own whose offscreen screen has that size."""
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for width, height in SCREENS:
            config = Path(folder) / f"screen-{width}x{height}.json"
            screen = {"name": "screen", "x": 0, "y": 0, "width": width, "height": height}
            screen.update({"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1})
            config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
            env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
            command = [sys.executable, __file__, "--lang", args.lang, "--out", str(args.out)]
            command += ["--screen", f"{width}x{height}"]
            failed += subprocess.run(command, env=env, check=False).returncode != 0
    return 1 if failed else 0


def _studio(app: QApplication, folder: str, out: Path, clock: Clock) -> Studio:
    db = open_database(Path(folder) / "screenshots.db")
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
    return Studio(app=app, db=db, context=context, window=window, clock=clock, out=out)


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
    parser.add_argument("--screen", help="only the main window on this screen, e.g. 1024x600 (see SCREENS)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    protect_singletons()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    LanguageSwitcher(app).apply(args.lang)
    # On a screen of its own the app chooses its scale as it does at start; else the reference 1.0.
    apply_theme(app, scale=None if args.screen else 1.0)
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock(AFTER_THE_EVENT if args.screen else None)
        studio = _studio(app, folder, args.out, clock)
        if args.screen:
            width, height = (int(n) for n in args.screen.split("x"))
            studio.window.resize(width, height - PANEL_HEIGHT)
            screen_shots(studio, args.screen)
        else:
            for shot in SHOTS:
                if args.only and shot.__name__.removeprefix("shot_") not in args.only:
                    continue
                shot(studio)
        window = studio.window
        QTimer.singleShot(0, window.close)
        window.close()
        app.processEvents()
        studio.db.dispose()
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    if not args.screen and not args.only:
        return _run_screens(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
