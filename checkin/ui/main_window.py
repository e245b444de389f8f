"""The main window: check-in desk, workshop door and dashboard as pages, menus, shortcuts.

It wires widgets to each other and to the desk's services; the rules stay in
the engine. Scans are caught wherever the focus is in this window
(``ScanCapture``) and go to the page that scans: the workshop door when it is
shown and has a session, else the entrance.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from checkin.domain.errors import UserError
from checkin.domain.models import AuditEntry, CheckInLogEntry, Registration
from checkin.domain.verdicts import ScanVerdict
from checkin.i18n import _
from checkin.ui import theme
from checkin.ui.checkin_panel import CheckInPanel
from checkin.ui.door_panel import DoorPanel
from checkin.ui.person_dialog import PersonDialog
from checkin.ui.scan_capture import ScanCapture
from checkin.ui.settings import SettingsStore, WorkingDay, resolve_working_day
from checkin.ui.settings_dialog import SettingsDialog
from checkin.ui.sounds import SoundPlayer
from checkin.ui.walkin_dialog import WalkInDialog

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from checkin.ui.context import DeskContext
    from checkin.ui.translations import LanguageSwitcher

POLL_INTERVAL_MS = 2000


# Part B's windows: loaded when first used (a faster start), offered only when present.
IMPORT_WIZARD = ("checkin.ui.import_wizard", "ImportWizard")
EXPORT_DIALOG = ("checkin.ui.export_dialog", "ExportDialog")
BATCH_BADGES = ("checkin.ui.badge_dialogs", "BatchBadgeDialog")
DASHBOARD = ("checkin.ui.dashboard_panel", "DashboardPanel")


def _available(widget: tuple[str, str]) -> bool:
    return importlib.util.find_spec(widget[0]) is not None


def _widget_class(widget: tuple[str, str]) -> Any:
    return getattr(importlib.import_module(widget[0]), widget[1])


class MainWindow(QMainWindow):
    """The desk.

    Args:
        context: the desk's services and settings.
        store: where settings are saved when they change.
        language: switches Qt's translations with ours (None: only ours).
        printer: print badges into this printer instead of the configured one (PDF output in tests).
    """

    language_changed = Signal(str)

    def __init__(
        self,
        context: DeskContext,
        *,
        store: SettingsStore | None = None,
        language: LanguageSwitcher | None = None,
        printer: QPrinter | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.store = store
        self.language = language
        self.printer = printer
        self.sounds = SoundPlayer(self, enabled=context.settings.sound)
        self._change_token: tuple[int, int, int] | None = None
        self._refreshing_search = False
        self._polling = False
        self.setObjectName("mainWindow")
        self.setMinimumSize(1000, 640)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = QLabel()
        self.banner.setObjectName("dayBanner")
        self.banner.setFont(theme.font(13, bold=True))
        self.banner.setStyleSheet(
            f"#dayBanner {{ background: {theme.BANNER.tint}; color: {theme.BANNER.text};"
            f" border-bottom: 3px solid {theme.BANNER.strong}; padding: 8px 16px; }}"
        )
        outer.addWidget(self.banner)
        header = QHBoxLayout()
        header.setContentsMargins(16, 10, 16, 0)
        self.event_label = QLabel(context.event.name)
        self.event_label.setFont(theme.font(16, bold=True))
        self.day_label = QLabel()
        self.day_label.setProperty("role", "muted")
        self.day_label.setFont(theme.font(12))
        header.addWidget(self.event_label)
        header.addStretch(1)
        header.addWidget(self.day_label)
        outer.addLayout(header)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.checkin_panel = CheckInPanel(context, sounds=self.sounds)
        self.door_panel = DoorPanel(context, sounds=self.sounds)
        self.tabs.addTab(self.checkin_panel, "")
        self.tabs.addTab(self.door_panel, "")
        # The dashboard (charts) is built the first time it is shown: a faster start.
        self._dashboard_available = _available(DASHBOARD)
        self.dashboard_panel: QWidget | None = None
        self._dashboard_page: QWidget | None = None
        if self._dashboard_available:
            self._dashboard_page = QWidget()
            QVBoxLayout(self._dashboard_page).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(self._dashboard_page, "")
        self.tabs.currentChanged.connect(self._on_page_changed)
        outer.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.checkin_panel.checked_in.connect(self._on_checked_in)
        self.checkin_panel.person_requested.connect(self.open_person)
        self.checkin_panel.walk_in_requested.connect(self.open_walk_in)
        self.checkin_panel.print_requested.connect(lambda rid: self.print_badge(rid))
        self.door_panel.person_requested.connect(self.open_person)

        self._build_actions()
        self.capture = ScanCapture(self, self.handle_scanned)
        self.capture.install()
        self.apply_working_day()

        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_INTERVAL_MS)
        self._poll_timer.timeout.connect(self.poll_database)
        self._poll_timer.start()
        self._change_token = self._read_change_token()

        if store is not None and (geometry := store.geometry()):
            self.restoreGeometry(geometry)
        else:
            self._fit_to_screen()
        self.retranslate()

    def _fit_to_screen(self) -> None:
        """1280×800 where it fits; on a smaller screen (a 1366×768 laptop) the whole available area."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        available = screen.availableGeometry()
        width, height = min(1280, available.width()), min(800, available.height())
        self.resize(width, height)
        if width < 1280 or height < 800:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    # -- actions and menus ---------------------------------------------------------------------
    def _action(self, shortcut: QKeySequence | str | None, slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.act_import = self._action("Ctrl+I", self.open_import) if _available(IMPORT_WIZARD) else None
        self.act_export = self._action("Ctrl+E", self.open_export) if _available(EXPORT_DIALOG) else None
        self.act_batch = self._action("Ctrl+B", self.open_batch_badges) if _available(BATCH_BADGES) else None
        self.act_preview = self._action("Ctrl+Shift+P", self.preview_shown_badge)
        self.act_settings = self._action("Ctrl+,", self.open_settings)
        self.act_quit = self._action("Ctrl+Q", self.close)
        self.act_search = self._action("F2", self.start_search)
        self.act_walk_in = self._action("Ctrl+N", self.open_walk_in)
        self.act_print = self._action("Ctrl+P", self.print_shown_badge)
        self.act_undo = self._action("Ctrl+Z", self.undo_last)
        self.act_person = self._action("Ctrl+O", self.open_shown_person)
        self.act_desk = self._action("F4", self.show_desk)
        self.act_dashboard = self._action("F5", self.show_dashboard) if self._dashboard_available else None
        self.act_door = self._action("F6", self.show_door)
        self.act_focus = self._action("Esc", self.focus_scan_field)
        self.act_shortcuts = self._action("F1", self.show_shortcuts)
        self.act_about = self._action(None, self.show_about)

        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        for action in (self.act_import, self.act_export, self.act_batch):
            if action is not None:
                self.menu_file.addAction(action)
        if any((self.act_import, self.act_export, self.act_batch)):
            self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_settings)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_people = bar.addMenu("")
        for action in (
            self.act_search,
            self.act_walk_in,
            self.act_print,
            self.act_preview,
            self.act_person,
            self.act_undo,
        ):
            self.menu_people.addAction(action)
        self.menu_view = bar.addMenu("")
        for action in (self.act_desk, self.act_door, self.act_dashboard, self.act_focus):
            if action is not None:
                self.menu_view.addAction(action)
        self.menu_help = bar.addMenu("")
        self.menu_help.addAction(self.act_shortcuts)
        self.menu_help.addAction(self.act_about)

    # -- working day ---------------------------------------------------------------------------
    @property
    def working_day(self) -> WorkingDay:
        return self._working_day

    def apply_working_day(self) -> None:
        settings = self.context.settings
        self._working_day = resolve_working_day(
            self.context.event, self.context.clock(), settings.chosen_day()
        )
        self.checkin_panel.set_working_day(self._working_day)
        self.door_panel.set_working_day(self._working_day)
        self._update_day_texts()

    def _update_day_texts(self) -> None:
        day = self._working_day.date
        info = self.context.event.day_by_date(day)
        label = info.label if info and info.label else day.strftime("%d.%m.%Y")
        self.day_label.setText(
            _("{day} · Desk: {desk}").format(day=label, desk=self.context.settings.desk_name or "—")
        )
        if self._working_day.is_today:
            self.banner.hide()
        else:
            self.banner.setText(
                _("Not today: working on {date}. Change the day in the settings (Ctrl+,).").format(
                    date=day.strftime("%d.%m.%Y")
                )
            )
            self.banner.show()

    # -- scanning ------------------------------------------------------------------------------
    def handle_scanned(self, code: str) -> ScanVerdict | None:
        """A scanner burst caught outside the scan field: the door when it is shown, else the entrance."""
        if self.tabs.currentWidget() is self.door_panel and self.door_panel.session_key:
            return self.door_panel.submit_scan(code)
        self.tabs.setCurrentWidget(self.checkin_panel)
        return self.checkin_panel.submit_scan(code)

    def focus_scan_field(self) -> None:
        if self.tabs.currentWidget() is self.door_panel:
            self.door_panel.focus_scan_field()
        else:
            self.checkin_panel.focus_scan_field()

    def _on_page_changed(self, _index: int) -> None:
        if self._dashboard_page is not None and self.tabs.currentWidget() is self._dashboard_page:
            self._ensure_dashboard()
        QTimer.singleShot(0, self.focus_scan_field)

    def _ensure_dashboard(self) -> QWidget | None:
        if self.dashboard_panel is None and self._dashboard_page is not None:
            self.dashboard_panel = _widget_class(DASHBOARD)(self.context)
            layout = self._dashboard_page.layout()
            if layout is None:  # built with a QVBoxLayout in __init__
                raise RuntimeError("the dashboard page has no layout")
            layout.addWidget(self.dashboard_panel)
        return self.dashboard_panel

    def show_desk(self) -> None:
        self.tabs.setCurrentWidget(self.checkin_panel)
        self.checkin_panel.focus_scan_field()

    def show_door(self) -> None:
        self.tabs.setCurrentWidget(self.door_panel)
        self.door_panel.focus_scan_field()

    def show_dashboard(self) -> None:
        if self._dashboard_page is not None:
            self.tabs.setCurrentWidget(self._dashboard_page)
            self._ensure_dashboard()

    def start_search(self) -> None:
        self.show_desk()
        if self.checkin_panel.scan_field.text().strip():
            self.checkin_panel.search_popup.run_search()
        else:
            self.checkin_panel.show_message(
                _("Search"), _("Type a name, organisation or e-mail address into the field.")
            )

    def undo_last(self) -> None:
        if self.tabs.currentWidget() is self.door_panel:
            self.door_panel.undo_last()
            return
        self.show_desk()
        self.checkin_panel.undo_last()

    # -- badges --------------------------------------------------------------------------------
    def _layout_key(self) -> str:
        return self.context.settings.badge_layout or self.context.event.badge_layout

    def _on_checked_in(self, verdict: ScanVerdict) -> None:
        settings = self.context.settings
        if not settings.auto_print or verdict.person is None:
            return
        registration_id = verdict.person.registration_id
        if settings.auto_print_only_unprinted and self.context.badges.last_print(registration_id) is not None:
            return
        self.auto_print(registration_id, verdict.person.display_name)

    def auto_print(self, registration_id: int, name: str) -> None:
        """Print the badge in a worker: the next scan never waits for the printer."""
        from checkin.ui.printing import prepare_printer, render_pdf_to_printer

        badges = self.context.badges
        layout = self._layout_key()
        try:
            # Without the dialog only the printer is looked up; no PDF is needed for that yet.
            printer = self.printer or prepare_printer(
                b"", parent=self, printer_name=self.context.settings.printer or None, show_dialog=False
            )
        except UserError as error:
            self._show_print_failure(error, name)
            return
        if printer is None:  # only a print dialog can be cancelled; there is none here
            return

        def work(_progress: Any) -> None:
            pdf = badges.render_badges([registration_id], layout=layout)
            render_pdf_to_printer(pdf, printer)
            badges.record_print([registration_id], layout=layout, reason="auto")

        def done(_result: Any) -> None:
            self.checkin_panel.show_print_status(
                _("Badge for {name} sent to the printer.").format(name=name), ok=True
            )

        self.context.tasks.run(
            work, on_done=done, on_error=lambda error: self._show_print_failure(error, name), quiet=True
        )

    def _show_print_failure(self, error: BaseException, name: str) -> None:
        self.checkin_panel.show_print_status(
            _("The badge for {name} was not printed: {reason} The check-in is saved.").format(
                name=name, reason=str(error)
            ),
            ok=False,
        )

    def print_badge(
        self, registration_id: int, *, reason: str | None = None, show_dialog: bool = False
    ) -> bool:
        """Render one badge and print it; a failure is shown and never touches the check-in."""
        badges = self.context.badges
        if reason is None:
            reason = "reprint" if badges.last_print(registration_id) is not None else "single"
        from checkin.ui.printing import print_pdf  # QtPdf is loaded on the first print, not at start

        layout = self._layout_key()
        try:
            pdf = badges.render_badges([registration_id], layout=layout)
            printed = print_pdf(
                pdf,
                parent=self,
                printer_name=self.context.settings.printer or None,
                show_dialog=show_dialog,
                printer=self.printer,
            )
            if printed:
                badges.record_print([registration_id], layout=layout, reason=reason)
        except UserError as error:
            self.checkin_panel.show_print_status(
                _("The badge was not printed: {reason} The check-in is saved.").format(reason=str(error)),
                ok=False,
            )
            return False
        if printed:
            self.checkin_panel.show_print_status(_("Badge sent to the printer."), ok=True)
        self.focus_scan_field()
        return printed

    def print_shown_badge(self) -> None:
        registration_id = self.checkin_panel.shown_registration_id
        if registration_id is None:
            self.checkin_panel.show_message(
                _("No one to print"), _("Scan or choose a person first, then press Ctrl+P.")
            )
            return
        self.print_badge(registration_id)

    def preview_badge(self, registration_id: int) -> bool:
        """Show the badge before printing (print to any printer with Qt's dialog, or save the PDF)."""
        from checkin.ui.badge_dialogs import PdfPreviewDialog

        badges = self.context.badges
        layout = self._layout_key()
        reason = "reprint" if badges.last_print(registration_id) is not None else "single"
        try:
            pdf = badges.render_badges([registration_id], layout=layout)
        except UserError as error:
            self.checkin_panel.show_print_status(str(error), ok=False)
            return False
        done: list[bool] = []

        def record(*_args: object) -> None:
            if not done:
                badges.record_print([registration_id], layout=layout, reason=reason)
                done.append(True)

        dialog = PdfPreviewDialog(
            pdf,
            _("Badge preview"),
            self,
            printer_name=self.context.settings.printer or None,
            suggested_name=f"badge-{registration_id}.pdf",
        )
        dialog.printed.connect(record)
        dialog.saved.connect(record)
        dialog.exec()
        self.focus_scan_field()
        return bool(done)

    def preview_shown_badge(self) -> None:
        registration_id = self.checkin_panel.shown_registration_id
        if registration_id is None:
            self.checkin_panel.show_message(
                _("No one to print"), _("Scan or choose a person first, then press Ctrl+P.")
            )
            return
        self.preview_badge(registration_id)

    # -- dialogs -------------------------------------------------------------------------------
    def open_person(self, registration_id: int) -> None:
        dialog = PersonDialog(
            self.context,
            registration_id,
            self,
            print_badge=self.print_badge,
            preview_badge=self.preview_badge,
        )
        dialog.exec()
        if dialog.changed:
            self.context.search.upsert(registration_id)
        self.focus_scan_field()

    def open_shown_person(self) -> None:
        registration_id = self.checkin_panel.shown_registration_id
        if registration_id is not None:
            self.open_person(registration_id)

    def open_walk_in(self) -> None:
        self.show_desk()
        dialog = WalkInDialog(self.context, self._working_day.date, self)
        if dialog.exec() and dialog.verdict is not None:
            verdict = dialog.verdict
            if verdict.person is not None:
                self.context.search.upsert(verdict.person.registration_id)
            self.checkin_panel.present_verdict(verdict)
            if dialog.print_requested and verdict.person is not None:
                registration_id = verdict.person.registration_id
                QTimer.singleShot(0, lambda: self.print_badge(registration_id, reason="single"))
        self.focus_scan_field()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.context, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())
        self.focus_scan_field()

    def apply_settings(self, settings: Any) -> None:
        """Take over changed settings: day, desk name, sound, language (database changes need a restart)."""
        old = self.context.settings
        database_changed = settings.database != old.database
        self.context.settings = settings
        self.context.checkin.desk = settings.desk_name
        if hasattr(self.context.badges, "desk"):
            self.context.badges.desk = settings.desk_name
        self.sounds.enabled = settings.sound
        if self.store is not None:
            self.store.save(settings)
        if settings.language != old.language:
            self.switch_language(settings.language)
        self.apply_working_day()
        if database_changed:
            QMessageBox.information(
                self,
                _("Database changed"),
                _("The new database is used from the next start of the app."),
            )

    def _open_dialog(self, widget: tuple[str, str]) -> None:
        dialog = _widget_class(widget)(self.context, self)
        if hasattr(dialog, "imported"):
            dialog.imported.connect(lambda _report: self.refresh_search())
        dialog.exec()
        self.focus_scan_field()

    def open_import(self) -> None:
        self._open_dialog(IMPORT_WIZARD)

    def open_export(self) -> None:
        self._open_dialog(EXPORT_DIALOG)

    def open_batch_badges(self) -> None:
        self._open_dialog(BATCH_BADGES)

    def show_shortcuts(self) -> None:
        lines = [
            (_("Scan field"), "Esc"),
            (_("Search"), "F2"),
            (_("Walk-in"), "Ctrl+N"),
            (_("Print badge"), "Ctrl+P"),
            (_("Badge preview"), "Ctrl+Shift+P"),
            (_("Undo last check-in"), "Ctrl+Z"),
            (_("Open person"), "Ctrl+O"),
            (_("Check-in desk"), "F4"),
            (_("Workshop door"), "F6"),
        ]
        if self._dashboard_available:
            lines.append((_("Dashboard"), "F5"))
        if self.act_import is not None:
            lines.append((_("Import"), "Ctrl+I"))
        if self.act_export is not None:
            lines.append((_("Export"), "Ctrl+E"))
        if self.act_batch is not None:
            lines.append((_("Print badges (batch)"), "Ctrl+B"))
        lines.append((_("Settings"), "Ctrl+,"))
        rows = "".join(
            f"<tr><td style='padding-right:24px'>{a}</td><td><b>{b}</b></td></tr>" for a, b in lines
        )
        QMessageBox.information(self, _("Keyboard shortcuts"), f"<table>{rows}</table>")
        self.focus_scan_field()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("About checkin"),
            _("checkin — the entrance desk for conferences.\nDatabase: {db}").format(
                db=self.context.db.display_url()
            ),
        )
        self.focus_scan_field()

    # -- other desks ---------------------------------------------------------------------------
    def _read_change_token(self) -> tuple[int, int, int]:
        """Three primary-key maxima: cheap, and they move whenever any desk writes."""
        event_id = self.context.event.id
        with self.context.db.session_factory() as session:
            log_id = session.scalar(select(func.max(CheckInLogEntry.id))) or 0
            registration_id = (
                session.scalar(select(func.max(Registration.id)).where(Registration.event_id == event_id))
                or 0
            )
            audit_id = session.scalar(select(func.max(AuditEntry.id))) or 0
        return (log_id, registration_id, audit_id)

    def poll_database(self) -> None:
        """Every few seconds: did anyone write? Then refresh what shows it; also notice a new day."""
        working_day = resolve_working_day(
            self.context.event, self.context.clock(), self.context.settings.chosen_day()
        )
        if working_day != self._working_day:
            self.apply_working_day()
        if self._polling:
            return
        # Read in a worker: while another desk holds the write lock (a long import), the
        # read waits for it, and the window must not.
        self._polling = True
        self.context.tasks.run(
            lambda _progress: self._read_change_token(),
            on_done=self._on_change_token,
            on_error=self._on_poll_failed,
            parent=self,
            quiet=True,
        )

    def _on_poll_failed(self, error: BaseException) -> None:
        self._polling = False
        self.statusBar().showMessage(
            _("The database cannot be read just now: {reason}").format(reason=error), 5000
        )

    def _on_change_token(self, token: tuple[int, int, int]) -> None:
        self._polling = False
        previous, self._change_token = self._change_token, token
        if previous is None or token == previous:
            return
        if token[0] != previous[0]:
            self.door_panel.refresh_gauge()
        if token[1:] != previous[1:]:
            self.refresh_search()

    def refresh_search(self) -> None:
        """Rebuild the search index in the background (after an import or another desk's changes)."""
        if self._refreshing_search:
            return
        self._refreshing_search = True
        db, event = self.context.db, self.context.event

        from checkin.domain.search import SearchIndex

        def rebuild(_progress: Any) -> SearchIndex:
            # A new index built off the GUI thread, swapped in whole: searches never see half an index.
            return SearchIndex(db, event)

        def done(index: SearchIndex) -> None:
            self._refreshing_search = False
            self.context.search = index

        def failed(error: BaseException) -> None:
            self._refreshing_search = False
            self.statusBar().showMessage(str(error), 10_000)

        self.context.tasks.run(rebuild, on_done=done, on_error=failed, parent=self, quiet=True)

    # -- language ------------------------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        if self.language is not None:
            self.language.apply(language)
        else:
            from checkin import i18n

            i18n.set_language(language or i18n.system_language())
        self.retranslate()
        self.language_changed.emit(language)

    def retranslate(self) -> None:
        self.setWindowTitle(_("checkin — {event}").format(event=self.context.event.name))
        self.menu_file.setTitle(_("&File"))
        self.menu_people.setTitle(_("&Participants"))
        self.menu_view.setTitle(_("&View"))
        self.menu_help.setTitle(_("&Help"))
        texts: list[tuple[QAction | None, str]] = [
            (self.act_import, _("&Import registrations …")),
            (self.act_export, _("&Export …")),
            (self.act_batch, _("Print &badges (batch) …")),
            (self.act_settings, _("&Settings …")),
            (self.act_quit, _("&Quit")),
            (self.act_search, _("&Search")),
            (self.act_walk_in, _("Register &walk-in …")),
            (self.act_print, _("&Print badge")),
            (self.act_preview, _("Badge pre&view …")),
            (self.act_person, _("&Open person …")),
            (self.act_undo, _("&Undo last check-in")),
            (self.act_desk, _("&Check-in desk")),
            (self.act_door, _("&Workshop door")),
            (self.act_dashboard, _("&Dashboard")),
            (self.act_focus, _("Back to the scan &field")),
            (self.act_shortcuts, _("&Keyboard shortcuts")),
            (self.act_about, _("&About checkin")),
        ]
        for action, text in texts:
            if action is not None:
                action.setText(text)
        self.tabs.setTabText(self.tabs.indexOf(self.checkin_panel), _("Check-in  (F4)"))
        self.tabs.setTabText(self.tabs.indexOf(self.door_panel), _("Workshop door  (F6)"))
        if self._dashboard_page is not None:
            self.tabs.setTabText(self.tabs.indexOf(self._dashboard_page), _("Dashboard  (F5)"))
        self._update_day_texts()
        for panel in (self.checkin_panel, self.door_panel, self.dashboard_panel):
            retranslate = getattr(panel, "retranslate", None)
            if retranslate is not None:
                retranslate()

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self._poll_timer.stop()
        self.capture.uninstall()
        if self.store is not None:
            self.store.save(self.context.settings)  # e.g. the session last chosen at the door
            self.store.save_geometry(bytes(self.saveGeometry().data()))
        super().closeEvent(event)
