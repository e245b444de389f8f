"""The self-check-in kiosk as an attendee (and a member of staff) uses it.

Scans are typed into the kiosk's field as a USB scanner types them; badges print into
a PDF printer (the offscreen platform has no real printer), as in ``test_printing``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QApplication

from checkin.domain.supervisor import hash_pin
from checkin.domain.verdicts import Severity, VerdictKind
from checkin.ui.kiosk_window import KioskWindow, start_kiosk
from tests.helpers import People
from tests.helpers.keys import press, type_text

PIN = "2468"


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def badge_pdf(tmp_path: Path) -> Path:
    return tmp_path / "kiosk-badge.pdf"


@pytest.fixture
def kiosk(qtbot, desk_context, badge_pdf: Path):  # type: ignore[no-untyped-def]
    window = KioskWindow(desk_context, pin_hash=hash_pin(PIN), printer=_pdf_printer(badge_pdf), reset_ms=400)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window._unlocked = True  # let the test's teardown close it


def scan(kiosk: KioskWindow, text: str) -> None:
    type_text(kiosk.field, text)
    press(kiosk.field, Qt.Key.Key_Return)


def test_scan_prints_the_badge_and_the_screen_resets(qtbot, kiosk, people, badge_pdf, desk_context) -> None:  # type: ignore[no-untyped-def]
    assert kiosk.field.hasFocus()
    scan(kiosk, people["mueller"].code)

    message = kiosk.message
    assert message is not None
    assert message.severity is Severity.OK
    text = kiosk.result_text()
    assert "Willkommen, Dr. Jürgen Müller!" in text
    assert "Welcome, Dr. Jürgen Müller!" in text
    assert "bitte nehmen Sie Ihr Namensschild" in text
    assert "Your badge is ready at the printer." in text
    assert "Jobcenter" not in text  # only what the attendee needs: no organisation, no code
    assert people["mueller"].code not in text
    assert len(PdfReader(badge_pdf).pages) == 1
    assert desk_context.badges.last_print(people["mueller"].registration_id) is not None

    qtbot.waitUntil(lambda: kiosk.message is None, timeout=3000)  # back to the welcome
    assert kiosk.pages.currentWidget() is kiosk.welcome_page
    assert kiosk.field.text() == ""
    assert kiosk.field.hasFocus()


def test_a_refusal_sends_the_person_to_the_desk_without_naming_anyone(
    qtbot, kiosk, people, badge_pdf
) -> None:  # type: ignore[no-untyped-def]
    scan(kiosk, people["weber"].code)  # cancelled registration
    message = kiosk.message
    assert message is not None
    assert message.severity is Severity.REFUSED
    text = kiosk.result_text()
    assert "Diese Anmeldung ist nicht gültig." in text
    assert "Bitte gehen Sie zur Anmeldung." in text
    assert "Please go to the staffed desk." in text
    assert "Weber" not in text
    assert "Petra" not in text
    assert not badge_pdf.exists()


def test_unknown_codes_and_names_are_not_searched(qtbot, kiosk, people) -> None:  # type: ignore[no-untyped-def]
    scan(kiosk, "Müller")  # a name: the kiosk has no search
    assert kiosk.message is not None
    assert kiosk.message.severity is Severity.REFUSED
    assert "Müller" not in kiosk.result_text()
    assert "Wir haben diesen Code nicht gefunden." in kiosk.result_text()


def test_twice_is_already_checked_in_and_prints_nothing_more(qtbot, kiosk, people, desk_context) -> None:  # type: ignore[no-untyped-def]
    printed = []
    kiosk.checked_in.connect(printed.append)
    scan(kiosk, people["schmidt"].code)
    scan(kiosk, people["schmidt"].code)  # the next scan needs no reset first
    assert kiosk.message is not None
    assert kiosk.message.severity is Severity.WARNING
    assert "Sie sind bereits eingecheckt." in kiosk.result_text()
    assert len(printed) == 1


def test_the_booking_number_typed_by_hand_checks_in(qtbot, kiosk, db, demo_event, badge_pdf) -> None:  # type: ignore[no-untyped-def]
    person = People(db, demo_event).add("Lena", "Wolf", order_code="B-2024-0815", days=())
    verdicts = []
    kiosk.checked_in.connect(verdicts.append)
    qtbot.keyClicks(kiosk.field, "B-2024-0815")  # slowly, by hand
    qtbot.mouseClick(kiosk.check_in_button, Qt.MouseButton.LeftButton)
    assert [v.kind for v in verdicts] == [VerdictKind.CHECKED_IN]
    assert verdicts[0].person.registration_id == person.registration_id
    assert "Willkommen, Lena Wolf!" in kiosk.result_text()
    assert badge_pdf.exists()


def test_no_way_out_without_the_pin(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    left = []
    kiosk.left.connect(lambda: left.append(True))
    kiosk._unlocked = False
    press(kiosk.field, Qt.Key.Key_Escape)
    QApplication.sendEvent(
        kiosk, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    )
    assert kiosk.isVisible()
    close = QCloseEvent()
    QApplication.sendEvent(kiosk, close)  # what Alt+F4 or the window's close button sends
    assert not close.isAccepted()
    assert not kiosk.close()
    assert kiosk.isVisible()

    qtbot.mouseClick(kiosk.staff_button, Qt.MouseButton.LeftButton)
    assert kiosk.pages.currentWidget() is kiosk.pin_page
    assert not kiosk.field.isVisible()  # nothing can be scanned onto the PIN page
    type_text(kiosk.pin_field, "1357")
    press(kiosk.pin_field, Qt.Key.Key_Return)
    assert "Falsche PIN" in kiosk.pin_message.text()
    assert kiosk.isVisible()
    assert not left

    type_text(kiosk.pin_field, PIN)
    press(kiosk.pin_field, Qt.Key.Key_Return)
    assert left == [True]
    assert not kiosk.isVisible()


def test_the_menu_turns_the_desk_into_a_kiosk_and_the_pin_brings_it_back(  # type: ignore[no-untyped-def]
    qtbot, main_window, desk_context, people
) -> None:
    desk_context.settings.kiosk_pin = hash_pin(PIN)
    assert main_window.act_kiosk is not None
    main_window.act_kiosk.trigger()
    kiosk = main_window.kiosk
    qtbot.addWidget(kiosk)
    assert kiosk.isVisible()
    assert kiosk.isFullScreen()
    assert not main_window.isVisible()
    scan(kiosk, people["mueller"].code)
    assert kiosk.message is not None
    if not QPrinterInfo.availablePrinterNames():  # the desk's own printer: none here
        assert kiosk.message.severity is Severity.WARNING
        assert "Sie sind eingecheckt. Bitte holen Sie Ihr Namensschild" in kiosk.result_text()
    qtbot.mouseClick(kiosk.staff_button, Qt.MouseButton.LeftButton)
    type_text(kiosk.pin_field, PIN)
    press(kiosk.pin_field, Qt.Key.Key_Return)
    assert main_window.isVisible()
    assert not kiosk.isVisible()
    # The desk saw the kiosk's check-in.
    assert main_window.checkin_panel.context.checkin.lookup(people["mueller"].code) is not None


def test_without_a_pin_staff_choose_one_first(qtbot, main_window, desk_context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from checkin.ui import kiosk_window

    def choose(dialog: kiosk_window.KioskPinDialog) -> int:
        type_text(dialog.first, "9753")
        type_text(dialog.second, "9735")
        dialog._on_accept()
        assert "unterscheiden" in dialog.error.text()
        dialog.second.clear()
        type_text(dialog.second, "9753")
        dialog._on_accept()
        return dialog.result()

    monkeypatch.setattr(kiosk_window.KioskPinDialog, "exec", choose)
    kiosk = start_kiosk(main_window)
    assert kiosk is not None
    qtbot.addWidget(kiosk)
    assert desk_context.settings.kiosk_pin.startswith("scrypt$")
    assert "9753" not in desk_context.settings.kiosk_pin
    assert kiosk.guard.check("9753").outcome.value == "ok"
    kiosk._unlocked = True


def test_kiosk_on_the_command_line_starts_the_desk_as_a_kiosk(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from checkin.app import build_desk, build_parser
    from checkin.ui.settings import SettingsStore

    store = SettingsStore(tmp_path / "desk.ini")
    settings = store.load()
    settings.kiosk_pin = hash_pin(PIN)
    store.save(settings)
    args = build_parser().parse_args(
        ["--db", str(tmp_path / "desk.db"), "--settings", str(tmp_path / "desk.ini"), "--kiosk"]
    )
    desk = build_desk(QApplication.instance(), args)
    qtbot.addWidget(desk.window)
    kiosk = desk.window.kiosk
    qtbot.addWidget(kiosk)
    try:
        assert kiosk.isVisible()
        assert not desk.window.isVisible()
        qtbot.waitUntil(
            kiosk.field.hasFocus, timeout=3000
        )  # the window becomes active, the field has the keys
    finally:
        kiosk._unlocked = True
        kiosk.close()
        desk.window.language.remove()
        desk.window.close()
        desk.window.context.tasks.wait_until_idle()
        desk.db.dispose()


def test_the_supervisor_pin_where_set_is_the_way_out(qtbot, main_window, desk_context) -> None:  # type: ignore[no-untyped-def]
    from checkin.domain.supervisor import hash_pin as supervisor_hash

    desk_context.settings.supervisor_pin = supervisor_hash("2468")
    kiosk = start_kiosk(main_window)  # no kiosk PIN asked for
    assert kiosk is not None
    qtbot.addWidget(kiosk)
    assert desk_context.settings.kiosk_pin == ""
    assert kiosk.guard.check("1357").outcome.value == "wrong"
    assert kiosk.guard.check("2468").outcome.value == "ok"
    kiosk._unlocked = True


def test_a_scan_the_database_does_not_take_is_kept_and_recorded_later(
    qtbot, kiosk, people, db, desk_context
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.faults import write_lock_held

    path = Path(db.url.removeprefix("sqlite:///"))
    try:
        with write_lock_held(path):
            assert kiosk.submit(people["mueller"].code) is None
            retrier = kiosk.context.scan_retrier  # the kiosk's copy of the desk's services
            assert retrier is not None
            assert [p.code for p in retrier.queue.pending()] == [people["mueller"].code]
            retrier.timer.stop()
            retrier.wait()
        retrier.retry_now()
        qtbot.waitUntil(lambda: len(retrier.queue) == 0, timeout=10_000)
        again = desk_context.checkin.scan(people["mueller"].code, day=desk_context.event.days[0].date)
        assert again.kind is VerdictKind.ALREADY_CHECKED_IN  # recorded once, from the queue
    finally:
        if kiosk.context.scan_retrier is not None:
            kiosk.context.scan_retrier.stop()
