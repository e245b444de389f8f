"""The main window: check-in desk, workshop door and dashboard as pages, menus, shortcuts.

It keeps the window's chrome and routes: scans caught wherever the focus is in this
window (``ScanCapture``) go to the page that scans (the workshop door when it is shown
and has a session, else the entrance); actions (built from ``ui.actions``) go to the
page or dialog they name. What changed reaches the views through the desk's
``ChangeBus``: the window only starts the ``DatabasePoller``; badge printing is
``BadgePrinting``'s.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.changes import Changes
from checkin.domain.supervisor import SupervisedStep
from checkin.domain.verdicts import ScanVerdict
from checkin.i18n import _
from checkin.presentation.formats import format_date
from checkin.presentation.verdict_text import verdict_text
from checkin.ui import event_switch, pretix_dialog, theme
from checkin.ui.actions import ACTIONS, BATCH_BADGES, DASHBOARD, EXPORT_DIALOG, IMPORT_WIZARD, MENUS
from checkin.ui.badge_printing import BadgePrinting
from checkin.ui.change_bus import DatabasePoller
from checkin.ui.checkin_panel import CheckInPanel
from checkin.ui.desk_name_bar import DeskNameBar
from checkin.ui.dialog_parking import NOTICE_SECONDS, DialogParking
from checkin.ui.door_panel import DoorPanel
from checkin.ui.person_dialog import PersonDialog
from checkin.ui.scan_capture import ScanCapture
from checkin.ui.search_popup import SearchIndexKeeper
from checkin.ui.settings import SettingsStore, WorkingDay, resolve_working_day
from checkin.ui.settings_dialog import SettingsDialog
from checkin.ui.sounds import SoundPlayer
from checkin.ui.supervisor_dialog import SupervisorGate
from checkin.ui.verdict_timeout import VerdictTimeout
from checkin.ui.walkin_dialog import WalkInDialog

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from checkin.ui.context import DeskContext
    from checkin.ui.translations import LanguageSwitcher


# Part B's windows (ui.actions names them): loaded when first used (a faster start), offered only
# when present.
def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _widget_class(widget: tuple[str, str]) -> Any:
    return getattr(importlib.import_module(widget[0]), widget[1])


def shortcut_text(shortcut: str) -> str:
    """A shortcut in the UI language: "Strg+E" in German (Qt's own names stay English here)."""
    keys = {"Ctrl": _("Ctrl"), "Shift": _("Shift"), "Alt": _("Alt")}
    return "+".join(keys.get(part, part) for part in shortcut.split("+"))


class WindowShortcutKeys(QObject):
    """Lets the window's Ctrl shortcuts (Ctrl+E export, Ctrl+B …) through a line edit that has the focus.

    On Linux a line edit claims some Ctrl keys for itself (Ctrl+E: end of line); the scan
    field almost always has the focus, so the window's shortcut would never fire.
    """

    def __init__(self, shortcuts: list[QKeySequence], parent: QObject) -> None:
        super().__init__(parent)
        self._shortcuts = [s for s in shortcuts if s.count() == 1 and "Ctrl" in s.toString()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch for s in self._shortcuts):
                event.ignore()  # not the widget's: the shortcut map takes it
                return True
        return False


class MainWindow(QMainWindow):
    """The desk.

    Args:
        context: the desk's services and settings.
        store: where settings are saved when they change.
        language: switches Qt's translations with ours (None: only ours).
        printer: print badges into this printer instead of the configured one (PDF output in tests).
    """

    language_changed = Signal(str)
    event_chosen = Signal(str)  # slug of the event to work on next (checkin.app rebuilds the desk)

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
        self.sounds = SoundPlayer(self, enabled=context.settings.sound)
        self.setObjectName("mainWindow")
        self.setMinimumSize(1000, 540)  # fits a 1024×600 netbook screen with its panel

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
        self.desk_name_bar: DeskNameBar | None = None
        if store is not None and not store.has_desk_name():
            self.desk_name_bar = DeskNameBar(context.settings.desk_name, self.name_desk)
            outer.addWidget(self.desk_name_bar)
        header = QHBoxLayout()
        header.setContentsMargins(16, 10, 16, 0)
        self.event_label = QLabel(context.event.name)
        self.event_label.setFont(theme.font(16, bold=True))
        # A long event name is cut on a small screen rather than pushing the header over.
        self.event_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.day_label = QLabel()
        self.day_label.setProperty("role", "muted")
        self.day_label.setFont(theme.font(12))
        header.addWidget(self.event_label, 1)
        header.addLayout(counter_row := QHBoxLayout())
        header.addSpacing(24)
        header.addWidget(self.day_label)
        outer.addLayout(header)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.checkin_panel = CheckInPanel(context, sounds=self.sounds)
        self.door_panel = DoorPanel(context, sounds=self.sounds)
        counter_row.addWidget(self.checkin_panel.counter)
        self.tabs.addTab(self.checkin_panel, "")
        self.tabs.addTab(self.door_panel, "")
        # The dashboard (charts) is built the first time it is shown: a faster start.
        self._dashboard_available = _available(DASHBOARD[0])
        self.dashboard_panel: QWidget | None = None
        self._dashboard_page: QWidget | None = None
        if self._dashboard_available:
            self._dashboard_page = QWidget()
            QVBoxLayout(self._dashboard_page).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(self._dashboard_page, "")
        self.tabs.currentChanged.connect(self._on_page_changed)
        outer.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.printing = BadgePrinting(
            context, self.checkin_panel, self, printer=printer, refocus=self.focus_scan_field
        )
        self.checkin_panel.person_requested.connect(self.open_person)
        self.checkin_panel.walk_in_requested.connect(self.open_walk_in)
        self.checkin_panel.print_requested.connect(lambda rid: self.printing.print_badge(rid))
        self.door_panel.person_requested.connect(self.open_person)
        for panel in (self.checkin_panel, self.door_panel):
            panel.refusal_help.override_requested.connect(self.override_refusal)
        self.verdict_timeouts = [
            VerdictTimeout(
                station, lambda: self.context.settings.verdict_seconds, context.clock, context.event.tz, ready
            )
            for station, ready in (
                (self.checkin_panel.station, self.checkin_panel.show_ready),
                (self.door_panel.station, self.door_panel.show_ready),
            )
        ]
        context.checkin.seat_hold_minutes = context.settings.seat_hold_minutes
        self.supervisor = SupervisorGate(context)
        self.printing.supervisor = self.supervisor
        for panel in (self.checkin_panel, self.door_panel):
            panel.undo_guard.supervisor = self.supervisor

        self._build_actions()
        self._window_keys = WindowShortcutKeys(
            [a.shortcut() for a in self.actions_by_id.values() if not a.shortcut().isEmpty()], self
        )
        for field in (self.checkin_panel.scan_field, self.door_panel.scan_field):
            field.installEventFilter(self._window_keys)
        self.parking = DialogParking(lambda: NOTICE_SECONDS, context.event.tz, context.clock)
        self.capture = ScanCapture(self, self.handle_scanned, on_dialog_scan=self.handle_scanned_in_dialog)
        self.capture.install()
        self.apply_working_day()

        self.search_keeper = SearchIndexKeeper(context, self)
        self.search_keeper.failed.connect(lambda error: self.statusBar().showMessage(str(error), 10_000))
        self.poller = DatabasePoller(context, self)
        self.poller.failed.connect(self._on_poll_failed)
        self.poller.start(self.poll_database)

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
    def _build_actions(self) -> None:
        """Menus, shortcuts and the F1 help, all from ``ui.actions.ACTIONS``."""
        self.menus: dict[str, QMenu] = {key: self.menuBar().addMenu("") for key, _title in MENUS}
        self.actions_by_id: dict[str, QAction] = {}
        for spec in ACTIONS:
            if spec.needs is not None and not _available(spec.needs):
                setattr(self, f"act_{spec.id}", None)
                continue
            action = QAction(self)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            handler = getattr(self, spec.handler)
            action.triggered.connect(lambda _checked=False, handler=handler: handler())
            self.addAction(action)
            if spec.menu is not None:
                menu = self.menus[spec.menu]
                if spec.separator_before and menu.actions():
                    menu.addSeparator()
                menu.addAction(action)
            self.actions_by_id[spec.id] = action
            setattr(self, f"act_{spec.id}", action)  # e.g. act_import, for tests and callers
        self.menu_file, self.menu_people = self.menus["file"], self.menus["people"]
        self.menu_view, self.menu_help = self.menus["view"], self.menus["help"]

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
        label = info.label if info and info.label else format_date(day)
        self.day_label.setText(
            _("{day} · Desk: {desk}").format(day=label, desk=self.context.settings.desk_name or "—")
        )
        if self._working_day.is_today:
            self.banner.hide()
        else:
            self.banner.setText(
                _("Not today: working on {date}. Change the day in the settings (Ctrl+,).").format(
                    date=format_date(day)
                )
            )
            self.banner.show()

    # -- scanning ------------------------------------------------------------------------------
    def handle_scanned(self, code: str) -> ScanVerdict | None:
        """A scanner burst caught outside the scan field: the door when it is shown, else the entrance."""
        if self.tabs.currentWidget() is self.door_panel:
            if self.door_panel.session_key is None:
                self.door_panel.refuse_without_session()  # never a silent check-in at the entrance
                return None
            return self.door_panel.submit_scan(code)
        self.tabs.setCurrentWidget(self.checkin_panel)
        return self.checkin_panel.submit_scan(code)

    def handle_scanned_in_dialog(self, code: str, dialog: QWidget) -> ScanVerdict | None:
        """A burst typed while a dialog is open: checked in as usual, the dialog left as it was."""
        verdict = self.handle_scanned(code)
        if verdict is not None:
            self.parking.show(verdict, dialog)
        return verdict

    def override_refusal(self, verdict: ScanVerdict) -> ScanVerdict | None:
        """ "Let in anyway": after a yes (or the supervisor PIN when set, audited), check the person in."""
        person = verdict.person
        if person is None or verdict.day is None:
            return None
        question = _("Let {name} in despite “{refusal}”?").format(
            name=person.display_name, refusal=verdict_text(verdict)
        )
        gate = self.supervisor
        if gate.active:
            detail = {"registration_id": person.registration_id, "refusal": verdict.kind.value}
            allowed = gate.allow(self, SupervisedStep.OVERRIDE_REFUSAL, question, detail)
        else:
            allowed = self.printing.confirm(self, _("Let in anyway"), question)
        if not allowed:
            self.focus_scan_field()
            return None
        at_door = verdict.session_key is not None
        station = self.door_panel.station if at_door else self.checkin_panel.station
        admitted = self.context.checkin.check_in_registration(
            person.registration_id, day=verdict.day, session_key=verdict.session_key, override=True
        )
        station.present(admitted)
        return admitted

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
        """Ctrl+Z: undo typing while the scan field has text, else a recent check-in (after asking)."""
        panel = self.door_panel if self.tabs.currentWidget() is self.door_panel else self.checkin_panel
        if panel.scan_field.text():
            panel.scan_field.undo()
            return
        if panel is self.checkin_panel:
            self.show_desk()
        panel.undo_last()

    # -- badges (BadgePrinting's; these are the actions' and the person dialog's way in) ------
    def print_badge(
        self, registration_id: int, *, reason: str | None = None, show_dialog: bool = False
    ) -> bool:
        return self.printing.print_badge(registration_id, reason=reason, show_dialog=show_dialog)

    def preview_badge(self, registration_id: int) -> bool:
        return self.printing.preview_badge(registration_id)

    def print_shown_badge(self) -> None:
        self.printing.print_shown_badge()

    def preview_shown_badge(self) -> None:
        self.printing.preview_shown_badge()

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
        if dialog.changed:  # saved, cancelled or restored: the person and possibly the figures
            self.context.changes.publish(Changes.person(registration_id, figures=True))
        self.focus_scan_field()

    def open_shown_person(self) -> None:
        """Ctrl+O: the person highlighted in the search list, else the one whose result is shown."""
        registration_id = self.checkin_panel.search_popup.highlighted_id()
        if registration_id is not None:
            self.checkin_panel.search_popup.hide_popup()
        else:
            registration_id = self.checkin_panel.shown_registration_id
        if registration_id is not None:
            self.open_person(registration_id)

    def open_walk_in(self) -> None:
        self.show_desk()
        dialog = WalkInDialog(self.context, self._working_day.date, self)
        accepted = dialog.exec()
        if accepted and dialog.taken_registration_id is not None:
            self.checkin_panel.check_in_registration(dialog.taken_registration_id)
        elif accepted and dialog.verdict is not None:
            verdict = dialog.verdict
            self.checkin_panel.present_verdict(verdict)  # publishes the new person on the bus
            if dialog.print_requested and verdict.person is not None:
                registration_id = verdict.person.registration_id
                QTimer.singleShot(0, lambda: self.print_badge(registration_id, reason="single"))
        self.focus_scan_field()

    def open_pretix(self) -> None:
        pretix_dialog.open_pretix_dialog(self)

    def open_kiosk(self) -> None:
        from checkin.ui.kiosk_window import start_kiosk

        start_kiosk(self)

    def open_settings(self) -> None:
        if not self.supervisor.allow(
            self, SupervisedStep.SETTINGS, _("The settings need the supervisor PIN.")
        ):
            self.focus_scan_field()
            return
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
        self.context.checkin.seat_hold_minutes = settings.seat_hold_minutes
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

    def name_desk(self, name: str) -> None:
        """The first-start bar named this desk: used from now on and saved."""
        settings = dataclasses.replace(self.context.settings, desk_name=name)
        self.apply_settings(settings)
        self.focus_scan_field()

    def _open_dialog(self, widget: tuple[str, str]) -> None:
        dialog = _widget_class(widget)(self.context, self)
        if hasattr(dialog, "imported"):
            dialog.imported.connect(lambda _report: self.context.changes.publish(Changes.everything()))
        dialog.exec()
        self.focus_scan_field()

    def open_import(self) -> None:
        self._open_dialog(IMPORT_WIZARD)

    def open_export(self) -> None:
        if not self.supervisor.allow(self, SupervisedStep.EXPORT, _("Exporting needs the supervisor PIN.")):
            self.focus_scan_field()
            return
        self._open_dialog(EXPORT_DIALOG)

    def open_batch_badges(self) -> None:
        self._open_dialog(BATCH_BADGES)
        # The dialog may have printed (and recorded) badges for anyone: their print figures moved.
        self.context.changes.publish(Changes(registrations=None, figures=True))

    def new_event(self) -> None:
        event_switch.new_event(self)

    def open_event_file(self) -> None:
        event_switch.open_event_file(self)

    def choose_event(self) -> None:
        event_switch.choose_event(self)

    def open_badge_designer(self) -> None:
        from checkin.ui.actions import BADGE_DESIGNER

        self._open_dialog(BADGE_DESIGNER)

    def show_shortcuts(self) -> None:
        lines = [
            (_(spec.help), shortcut_text(spec.shortcut))
            for spec in ACTIONS
            if spec.help is not None and spec.shortcut is not None and spec.id in self.actions_by_id
        ]
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
    def poll_database(self) -> None:
        """Every few seconds: notice a new working day; ask the poller what other desks wrote."""
        working_day = resolve_working_day(
            self.context.event, self.context.clock(), self.context.settings.chosen_day()
        )
        if working_day != self._working_day:
            self.apply_working_day()
        self.poller.poll()

    def _on_poll_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(
            _("The database cannot be read just now: {reason}").format(reason=error), 5000
        )

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
        for key, title in MENUS:
            self.menus[key].setTitle(_(title))
        for spec in ACTIONS:
            if (action := self.actions_by_id.get(spec.id)) is not None:
                action.setText(_(spec.text))
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
        self.poller.stop()
        self.capture.uninstall()
        if self.store is not None:
            self.store.save(self.context.settings)  # e.g. the session last chosen at the door
            self.store.save_geometry(bytes(self.saveGeometry().data()))
        super().closeEvent(event)
