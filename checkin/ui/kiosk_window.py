"""The self-check-in kiosk: attendees check themselves in, and their badge prints at once.

Full screen, in big German and English at once: the attendee scans their ticket (USB
scanner, or the camera chosen in the settings) or types their booking number. The
check-in is the desk's own (``CheckInService.scan`` for the entrance, published on the
desk's ``ChangeBus``); the result is said in plain words (``presentation.kiosk_text``),
a badge prints through the desk's automatic printing (``BadgePrinting``), and the
screen returns to the welcome after a few seconds.

There is nothing else: no search, no names but the attendee's own, no staff functions.
Refusals send the person to the staffed desk with a short reason. Escape, Alt+F4 and
closing the window do nothing; only the PIN (``checkin.domain.supervisor``; the page
behind the small "Staff" button) leaves the kiosk.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checkin.domain.checkin_service import ScanNotRecorded
from checkin.domain.errors import UserError
from checkin.domain.supervisor import PinGuard, PinOutcome, hash_pin, pin_problem
from checkin.domain.verdicts import ScanVerdict, Severity
from checkin.i18n import N_, _
from checkin.presentation.kiosk_text import (
    KioskMessage,
    both,
    kiosk_failure,
    kiosk_message,
    kiosk_print_failure,
)
from checkin.ui import theme
from checkin.ui.badge_printing import BadgePrinting
from checkin.ui.camera_view import CameraStation
from checkin.ui.scan_station import ScanRetrier
from checkin.ui.settings import resolve_working_day
from checkin.ui.sounds import SoundPlayer

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from checkin.ui.checkin_panel import CheckInPanel
    from checkin.ui.context import DeskContext
    from checkin.ui.main_window import MainWindow

RESET_MS = 8000  # the result stays this long, then the welcome returns
PIN_PAGE_MS = 30000  # an untouched PIN page goes back to the welcome

WELCOME = N_("Welcome")
INSTRUCTION = N_(
    "Hold your ticket's QR code under the scanner or in front of the camera, or type your booking number."
)
FIELD_HINT = N_("Booking number")
CHECK_IN = N_("Check in")
STAFF = N_("Staff")


class _BilingualLabel(QWidget):
    """A text in German, and in English under it, smaller."""

    def __init__(self, size: float, *, bold: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.german = QLabel()
        self.german.setFont(theme.font(size, bold=bold))
        self.english = QLabel()
        self.english.setFont(theme.font(size * 0.75, bold=bold))
        for label in (self.german, self.english):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)

    def set(self, message: str, **values: object) -> None:
        self.german.setText(both(message, **values)[0])
        self.english.setText(both(message, **values)[1])

    def text(self) -> str:
        return f"{self.german.text()}\n{self.english.text()}"


class KioskWindow(QWidget):
    """The kiosk's one window.

    Args:
        context: the desk's services (the kiosk prints automatically whatever the desk's setting).
        pin_hash: the stored PIN that leaves the kiosk (``supervisor.hash_pin``).
        printer: print badges into this printer instead of the configured one (PDF in tests).
        reset_ms: how long a result stays on screen.

    Signals:
        checked_in(ScanVerdict): a person checked in here (the automatic badge listens).
        left(): the right PIN was given; the window closes.
    """

    checked_in = Signal(object)
    left = Signal()

    def __init__(
        self,
        context: DeskContext,
        *,
        pin_hash: str,
        printer: QPrinter | None = None,
        reset_ms: int = RESET_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        settings = dataclasses.replace(context.settings, auto_print=True, auto_print_only_unprinted=False)
        self.context = dataclasses.replace(context, settings=settings)
        self.guard = PinGuard(pin_hash)
        self.sounds = SoundPlayer(self, enabled=settings.sound)
        self._unlocked = False
        self._message: KioskMessage | None = None
        self.setObjectName("kioskWindow")
        self.setWindowTitle(_("Self check-in"))
        self.setStyleSheet(f"#kioskWindow {{ background: {theme.SURFACE}; }}")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 40, 60, 24)
        outer.setSpacing(24)
        self.event_label = QLabel(context.event.name)
        self.event_label.setFont(theme.font(18, bold=True))
        self.event_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.event_label.setProperty("role", "muted")
        outer.addWidget(self.event_label)

        self.pages = QStackedWidget()
        self.welcome_page = self._build_welcome()
        self.result_page = self._build_result()
        self.pin_page = self._build_pin()
        for page in (self.welcome_page, self.result_page, self.pin_page):
            self.pages.addWidget(page)
        self.entry = self._build_entry()
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(24)
        middle_layout.addWidget(self.pages, 1)
        middle_layout.addWidget(self.entry)
        self.station = CameraStation(middle, lambda: self.context.settings.camera, self.submit)
        outer.addWidget(self.station, 1)

        footer = QHBoxLayout()
        footer.addStretch(1)
        self.staff_button = QPushButton()
        self.staff_button.setFlat(True)
        self.staff_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff_button.setProperty("role", "muted")
        self.staff_button.clicked.connect(self.show_pin_page)
        footer.addWidget(self.staff_button)
        outer.addLayout(footer)

        self.printing = BadgePrinting(
            self.context, cast("CheckInPanel", self), self, printer=printer, refocus=self.focus_entry
        )
        self._reset_timer = QTimer(self)
        self._reset_timer.setSingleShot(True)
        self._reset_timer.setInterval(reset_ms)
        self._reset_timer.timeout.connect(self.show_welcome)
        self._pin_timer = QTimer(self)
        self._pin_timer.setSingleShot(True)
        self._pin_timer.setInterval(PIN_PAGE_MS)
        self._pin_timer.timeout.connect(self.show_welcome)
        self.retranslate()
        self.show_welcome()

    # -- building --------------------------------------------------------------------------------
    def _build_welcome(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.welcome_title = _BilingualLabel(40, bold=True)
        self.instruction = _BilingualLabel(22)
        layout.addWidget(self.welcome_title)
        layout.addSpacing(30)
        layout.addWidget(self.instruction)
        layout.addStretch(1)
        return page

    def _build_result(self) -> QWidget:
        page = QWidget()
        page.setObjectName("kioskResult")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addStretch(1)
        self.symbol = QLabel()
        self.symbol.setFont(theme.font(64, bold=True))
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = _BilingualLabel(36, bold=True)
        self.detail = _BilingualLabel(22)
        self.print_note = _BilingualLabel(18)
        for widget in (self.symbol, self.headline, self.detail, self.print_note):
            layout.addWidget(widget)
            layout.addSpacing(12)
        layout.addStretch(1)
        return page

    def _build_pin(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.pin_title = _BilingualLabel(28, bold=True)
        layout.addWidget(self.pin_title)
        row = QHBoxLayout()
        row.addStretch(1)
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("kioskPin")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setFont(theme.font(24))
        self.pin_field.setMaxLength(12)
        self.pin_field.setFixedWidth(theme.pt(24) * 10)
        self.pin_field.returnPressed.connect(self.try_pin)
        self.pin_ok = QPushButton()
        self.pin_ok.clicked.connect(self.try_pin)
        self.pin_back = QPushButton()
        self.pin_back.clicked.connect(self.show_welcome)
        for widget in (self.pin_field, self.pin_ok, self.pin_back):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.pin_message = QLabel()
        self.pin_message.setFont(theme.font(16, bold=True))
        self.pin_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.pin_message)
        layout.addStretch(1)
        return page

    def _build_entry(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        self.field = QLineEdit()
        self.field.setObjectName("kioskField")
        self.field.setProperty("role", "scan")
        self.field.setStyleSheet(f"font-size: {theme.pt(22)}pt; padding: 12px 16px;")
        self.field.setMinimumWidth(theme.pt(22) * 24)
        self.field.setMaxLength(200)
        self.field.returnPressed.connect(self._on_return)
        self.check_in_button = QPushButton()
        self.check_in_button.setProperty("role", "primary")
        self.check_in_button.setStyleSheet(f"font-size: {theme.pt(20)}pt; padding: 12px 24px;")
        self.check_in_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check_in_button.clicked.connect(self._on_return)
        row.addWidget(self.field)
        row.addWidget(self.check_in_button)
        row.addStretch(1)
        return box

    # -- scanning --------------------------------------------------------------------------------
    def _on_return(self) -> None:
        text = self.field.text()
        self.field.clear()
        if text.strip():
            self.submit(text)

    def submit(self, raw: str) -> ScanVerdict | None:
        """Check in whatever was scanned or typed (entrance, the working day) and say how it went."""
        if self.pages.currentWidget() is self.pin_page:
            return None  # staff are typing the PIN: a stray scan must not land anywhere
        context = self.context
        day = resolve_working_day(context.event, context.clock(), context.settings.chosen_day())
        try:
            verdict = context.checkin.scan(raw, day=day.date)
        except ScanNotRecorded as error:  # the database did not take it: kept, recorded later
            if context.scan_retrier is None:
                context.scan_retrier = ScanRetrier(context)
            context.scan_retrier.keep(error)
            self.present(kiosk_failure())
            self.sounds.play(Severity.REFUSED)
            return None
        except UserError:
            self.present(kiosk_failure())
            self.sounds.play(Severity.REFUSED)
            return None
        context.changes.publish(verdict.changes)
        message = kiosk_message(verdict)
        self.present(message)
        self.sounds.play(message.severity)
        if message.prints_badge:
            self.checked_in.emit(verdict)  # BadgePrinting prints it in a worker
        return verdict

    def present(self, message: KioskMessage) -> None:
        """Show a result; the welcome returns after the reset time."""
        self._message = message
        colours = theme.SEVERITY_COLOURS[message.severity]
        self.result_page.setStyleSheet(
            f"#kioskResult {{ background: {colours.tint}; border: 4px solid {colours.strong};"
            f" border-radius: 16px; }} QLabel {{ color: {colours.text}; }}"
        )
        self.symbol.setText(
            {Severity.OK: "✓", Severity.WARNING: "!", Severity.REFUSED: "✕"}[message.severity]
        )
        self.headline.set(message.headline, name=message.name)
        self.detail.set(message.detail)
        self.print_note.setVisible(False)
        self.pages.setCurrentWidget(self.result_page)
        self.entry.show()
        self._pin_timer.stop()
        self._reset_timer.start()
        self.focus_entry()

    @property
    def message(self) -> KioskMessage | None:
        """The result on screen (None on the welcome and PIN pages)."""
        return self._message if self.pages.currentWidget() is self.result_page else None

    def result_text(self) -> str:
        """Everything the result page says, both languages (for tests and screen readers)."""
        return "\n".join(w.text() for w in (self.headline, self.detail, self.print_note) if w.isVisible())

    # BadgePrinting's way back (it takes the kiosk for the desk's panel).
    def show_print_status(self, _text: str, ok: bool) -> None:
        if not ok:
            self.present(kiosk_print_failure())
            return
        self.print_note.set(N_("Your badge is ready at the printer."))
        self.print_note.setVisible(True)

    # -- pages -----------------------------------------------------------------------------------
    def show_welcome(self) -> None:
        self._message = None
        self._reset_timer.stop()
        self._pin_timer.stop()
        self.pin_field.clear()
        self.pages.setCurrentWidget(self.welcome_page)
        self.entry.show()
        self.focus_entry()

    def show_pin_page(self) -> None:
        self._reset_timer.stop()
        self.pin_field.clear()
        self.pin_message.clear()
        self.pages.setCurrentWidget(self.pin_page)
        self.entry.hide()
        self._pin_timer.start()
        self.pin_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_entry(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_pin(self) -> bool:
        """Leave the kiosk when the PIN is right; say so when it is not."""
        check = self.guard.check(self.pin_field.text())
        self.pin_field.clear()
        self._pin_timer.start()
        if check.outcome is PinOutcome.OK:
            self._unlocked = True
            self.left.emit()
            self.close()
            return True
        if check.wait_seconds:
            self.pin_message.setText(
                _("Too many wrong PINs. Try again in {seconds} seconds.").format(
                    seconds=round(check.wait_seconds)
                )
            )
        else:
            self.pin_message.setText(_("Wrong PIN."))
        return False

    # -- no way out without the PIN ----------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._unlocked:
            event.ignore()
            return
        if self.station.camera is not None:
            self.station.camera.set_active(False)
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()  # Escape is not a way out
            if self.pages.currentWidget() is self.pin_page:
                self.show_welcome()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # The window manager's close shortcut arrives as a close event (ignored above); a
        # shortcut override for Escape must not reach any default button either.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            return True
        return super().event(event)

    def retranslate(self) -> None:
        self.welcome_title.set(WELCOME)
        self.instruction.set(INSTRUCTION)
        self.field.setPlaceholderText(" / ".join(both(FIELD_HINT)))
        self.check_in_button.setText(" / ".join(both(CHECK_IN)))
        self.staff_button.setText(" / ".join(both(STAFF)))
        self.pin_title.set(N_("Staff only: enter the PIN to leave the kiosk"))
        self.pin_ok.setText(_("Leave kiosk"))
        self.pin_back.setText(_("Cancel"))


class KioskPinDialog(QDialog):
    """Staff choose the kiosk's PIN before the kiosk starts (twice, to rule out a typo)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Kiosk PIN"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Choose the PIN that staff type to leave the kiosk (4 to 12 digits)."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field in (self.first, self.second):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(12)
        form.addRow(_("PIN"), self.first)
        form.addRow(_("PIN again"), self.second)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS[Severity.REFUSED].text};")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start kiosk"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin_hash = ""

    def _on_accept(self) -> None:
        pin = self.first.text()
        problem = pin_problem(pin, digits_only=True)
        if problem is None and pin != self.second.text():
            problem = _("The two PINs differ.")
        if problem is not None:
            self.error.setText(problem)
            return
        self.pin_hash = hash_pin(pin, digits_only=True)
        self.accept()


def start_kiosk(window: MainWindow) -> KioskWindow | None:
    """Turn this desk into a kiosk: the desk's window hides, the kiosk fills the screen.

    Leaving needs the supervisor PIN where one is set; otherwise a kiosk PIN, which staff
    choose first when there is none yet (None when they cancel). Leaving the kiosk with the
    PIN brings the desk's window back.
    """
    settings = window.context.settings
    # The supervisor PIN, where one is set, is the way out (same scrypt format); else a kiosk PIN.
    pin_hash = settings.supervisor_pin
    if not pin_hash:
        if not settings.kiosk_pin:
            dialog = KioskPinDialog(window)
            if not dialog.exec():
                return None
            settings.kiosk_pin = dialog.pin_hash
            if window.store is not None:
                window.store.save(settings)
        pin_hash = settings.kiosk_pin
    kiosk = KioskWindow(window.context, pin_hash=pin_hash, printer=window.printing.printer)
    window.kiosk = kiosk  # type: ignore[attr-defined]  # kept alive while it runs

    def back_to_desk() -> None:
        window.show()
        window.activateWindow()
        window.focus_scan_field()

    kiosk.left.connect(back_to_desk)
    window.hide()
    kiosk.showFullScreen()
    kiosk.activateWindow()
    kiosk.focus_entry()
    return kiosk
