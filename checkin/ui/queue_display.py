"""The result window for the queue: a second monitor facing the people waiting shows each verdict big.

Optional (View menu → "Result window for the queue …", the screen chosen there is kept
in the settings and used again at the next start). It follows every scan of the desk's
scan stations, the entrance and the workshop door (their ``presented`` signal): the
colour (green, amber, red), the symbol, the person's name, organisation and category,
and the desk's own sentence for the verdict (``presentation.verdict_text.queue_text``:
the desk's words without the remarks meant for staff). Never shown there: e-mail, notes,
codes of other people, the next steps for staff. After the desk's verdict time
(``DeskSettings.verdict_seconds``, as ``ui.verdict_timeout`` uses it; 0: it stays) the
window goes back to the welcome.

The window never takes the keyboard: the desk keeps the focus and the scanner's keys.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.changes import Changes
from checkin.domain.verdicts import ScanVerdict, Severity
from checkin.i18n import _
from checkin.presentation.verdict_text import SEVERITY_SYMBOLS, queue_text
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.ui.change_bus import ChangeBus
    from checkin.ui.main_window import MainWindow
    from checkin.ui.scan_station import ScanStation

# Shown on the desk's own screen (a single monitor): as a window of this size, not full screen.
WINDOW_SIZE = (960, 600)


class QueueDisplay(QWidget):
    """The window facing the queue: "Welcome" while nothing happens, each verdict big for a while.

    Args:
        event_name: the event's name (the welcome).
        seconds: how long a verdict stays (read at each scan; 0 or less: it stays).
        parent: the desk's window (the display closes with it and never keeps the app running).
    """

    def __init__(self, event_name: str, seconds: Callable[[], int], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("queueDisplay")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._event_name = event_name
        self._seconds = seconds
        self._verdict: ScanVerdict | None = None
        self._colours: theme.SeverityColours | None = None
        self._buses: list[ChangeBus] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.band = QLabel()
        self.band.setObjectName("queueBand")
        self.band.setWordWrap(True)
        self.band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.band.setFont(theme.font(34, bold=True))
        self.band.setContentsMargins(40, 36, 40, 36)
        layout.addWidget(self.band)
        body = QFrame()
        body.setObjectName("queueBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(48, 40, 48, 48)
        body_layout.setSpacing(18)
        self.name_label = QLabel()
        self.name_label.setObjectName("queueName")
        self.name_label.setFont(theme.font(56, bold=True))
        self.organisation_label = QLabel()
        self.organisation_label.setFont(theme.font(28))
        self.category_label = QLabel()
        self.category_label.setFont(theme.font(22, bold=True))
        self.category_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.hint_label = QLabel()
        self.hint_label.setFont(theme.font(26))
        body_layout.addStretch(1)
        for label in (self.name_label, self.organisation_label, self.hint_label):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            body_layout.addWidget(label)
        body_layout.addWidget(self.category_label, 0, Qt.AlignmentFlag.AlignHCenter)
        body_layout.addStretch(2)
        layout.addWidget(body, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.show_ready)
        self.show_ready()

    @property
    def verdict(self) -> ScanVerdict | None:
        """The verdict on screen (None: the welcome)."""
        return self._verdict

    def follow(self, station: ScanStation) -> None:
        """Show every verdict this scan station presents (the desk, the door).

        A scan the database did not take (the desk says "NOT recorded") and a later change
        to the person shown (an undo, an edit) put the welcome back: the last green must not
        look like the answer to what happened since.
        """
        station.presented.connect(self.show_verdict)
        station.retrier.kept.connect(lambda _pending: self.show_ready())
        bus = station.context.changes
        if bus not in self._buses:  # the desk and the door share one
            self._buses.append(bus)
            bus.changed.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        # Published before ``presented`` for a scan's own write; ids are None only for other
        # desks' writes (the poller), which say nothing about this person.
        person = self._verdict.person if self._verdict is not None else None
        if person is not None and changes.registrations and person.registration_id in changes.registrations:
            self.show_ready()

    def _colour(self, colours: theme.SeverityColours) -> None:
        if colours == self._colours:
            return
        self._colours = colours
        self.setStyleSheet(
            f"#queueDisplay {{ background: {colours.tint}; }}"
            f"#queueBand {{ background: {colours.strong}; color: white; }}"
            f"#queueBody {{ background: {colours.tint}; }}"
            f"#queueBody QLabel {{ color: {colours.text}; }}"
        )

    def show_verdict(self, verdict: ScanVerdict) -> None:
        """A scan's verdict, big; back to the welcome after the desk's verdict time."""
        self._verdict = verdict
        self._render()
        seconds = self._seconds()
        if seconds > 0:
            self.timer.start(seconds * 1000)
        else:
            self.timer.stop()

    def show_ready(self) -> None:
        """The welcome: nothing scanned just now."""
        self.timer.stop()
        self._verdict = None
        self._render()

    def _render(self) -> None:
        verdict = self._verdict
        if verdict is None:
            self._colour(theme.NEUTRAL)
            self.band.setText(_("Welcome to {event}").format(event=self._event_name))
            self.name_label.setText(_("Ready"))
            self.organisation_label.clear()
            self.organisation_label.hide()
            self.category_label.hide()
            self.hint_label.setText(_("Please have your ticket's QR code ready."))
            self.hint_label.show()
            return
        self._colour(theme.SEVERITY_COLOURS[verdict.severity])
        self.band.setText(f"{SEVERITY_SYMBOLS[verdict.severity]}   {queue_text(verdict)}")
        person = verdict.person
        self.name_label.setText(person.display_name if person is not None else "")
        self.name_label.setVisible(person is not None)
        self.organisation_label.setText(person.organisation if person is not None else "")
        self.organisation_label.setVisible(bool(person and person.organisation))
        if person is not None and person.category_name:
            colour = person.category_colour or theme.NEUTRAL.strong
            self.category_label.setText(person.category_name)
            self.category_label.setStyleSheet(
                f"background: {colour}; color: {theme.readable_text_on(colour)};"
                " border-radius: 6px; padding: 6px 18px;"
            )
            self.category_label.show()
        else:
            self.category_label.hide()
        # A refusal: the person is told where to go, never why in staff words.
        refused = verdict.severity is Severity.REFUSED
        self.hint_label.setText(_("Please wait: the staff at the desk will help you.") if refused else "")
        self.hint_label.setVisible(refused)

    def retranslate(self) -> None:
        self._render()

    def place_on(self, screen: QScreen, *, full_screen: bool) -> None:
        """Show on ``screen``: full screen there, or as a window (the desk's own screen)."""
        self.setScreen(screen)
        area = screen.geometry()
        # Never activated (showFullScreen would): the desk keeps the keyboard.
        if full_screen:
            self.setGeometry(area)
            self.setWindowState(Qt.WindowState.WindowFullScreen)
        else:
            width, height = min(WINDOW_SIZE[0], area.width()), min(WINDOW_SIZE[1], area.height())
            self.setGeometry(area.x() + (area.width() - width) // 2, area.y() + 40, width, height)
            self.setWindowState(Qt.WindowState.WindowNoState)
        self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)


def screen_key(screen: QScreen) -> str:
    """What the settings keep of a screen: its name ("HDMI-1"), else its place among the screens."""
    screens = QGuiApplication.screens()
    return screen.name() or f"#{screens.index(screen) + 1 if screen in screens else 0}"


def screen_label(screen: QScreen, number: int) -> str:
    """ "Screen 2: HDMI-1 (1920×1080)"."""
    size = screen.geometry().size()
    return _("Screen {number}: {name} ({width}×{height})").format(
        number=number, name=screen.name() or "—", width=size.width(), height=size.height()
    )


class QueueScreenDialog(QDialog):
    """Where the result window for the queue goes: "Off" or one of the screens (arrows and Enter)."""

    def __init__(self, chosen: str, desk_screen: QScreen | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Result window for the queue"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "A second monitor facing the queue shows each result big: the name and the desk's "
                "words, never e-mail addresses or notes. Choose its screen:"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("queueScreens")
        off = QListWidgetItem(_("Off"))
        off.setData(Qt.ItemDataRole.UserRole, "")
        self.list.addItem(off)
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            text = screen_label(screen, number)
            if screen is desk_screen:
                text = _("{screen} — this desk's screen: shown as a window").format(screen=text)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, screen_key(screen))
            self.list.addItem(item)
        current = next(
            (
                i
                for i in range(self.list.count())
                if self.list.item(i).data(Qt.ItemDataRole.UserRole) == chosen
            ),
            0,
        )
        self.list.setCurrentRow(current)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setFocus()
        theme.resize_within_screen(self, 560, 340)

    def chosen_screen(self) -> str:
        """The chosen screen's name ("" for off)."""
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else ""
        return value if isinstance(value, str) else ""


class QueueDisplayKeeper(QObject):
    """The desk window's result window for the queue (one, made when first chosen), a child of the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("queueDisplayKeeper")
        self._window = window
        self.display: QueueDisplay | None = None
        window.installEventFilter(self)  # a child window stays open when its parent closes: close it too

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close and self.display is not None:
            self.display.close()
        return False

    @staticmethod
    def of(window: MainWindow) -> QueueDisplayKeeper:
        keeper = window.findChild(QueueDisplayKeeper, "queueDisplayKeeper")
        return keeper if isinstance(keeper, QueueDisplayKeeper) else QueueDisplayKeeper(window)

    def show_on(self, screen_name: str) -> QueueDisplay | None:
        """The result window on the screen of that name (None: off, or no such screen now)."""
        screen = next((s for s in QGuiApplication.screens() if screen_key(s) == screen_name), None)
        if not screen_name or screen is None:
            if self.display is not None:
                self.display.close()
            return None
        window = self._window
        if self.display is None:
            context = window.context
            self.display = QueueDisplay(context.event.name, lambda: context.settings.verdict_seconds, window)
            for station in (window.checkin_panel.station, window.door_panel.station):
                self.display.follow(station)
            window.language_changed.connect(self._retranslate)
        desk_screen = window.screen()
        self.display.place_on(screen, full_screen=screen is not desk_screen)
        window.activateWindow()  # the desk keeps the keyboard (and the scanner)
        return self.display

    def _retranslate(self, _language: str) -> None:
        if self.display is not None:
            self.display.retranslate()


def choose_queue_screen(window: MainWindow) -> None:
    """View menu: choose the screen of the result window for the queue (or off); kept in the settings."""
    dialog = QueueScreenDialog(window.context.settings.queue_screen, window.screen(), window)
    if dialog.exec():
        chosen = dialog.chosen_screen()
        QueueDisplayKeeper.of(window).show_on(chosen)
        if chosen != window.context.settings.queue_screen:
            window.apply_settings(dataclasses.replace(window.context.settings, queue_screen=chosen))
    window.focus_scan_field()


def restore_queue_display(window: MainWindow) -> None:
    """At the start: the result window on the screen chosen last time, when that screen is there."""
    if window.context.settings.queue_screen:
        QueueDisplayKeeper.of(window).show_on(window.context.settings.queue_screen)
