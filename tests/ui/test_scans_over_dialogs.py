"""A scanner burst while a dialog or message box is open: checked in, never typed into the dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from checkin.domain.verdicts import VerdictKind
from checkin.ui.person_dialog import PersonDialog
from tests.helpers.keys import press


def _person_dialog(qtbot, main_window, registration_id: int) -> PersonDialog:
    dialog = PersonDialog(
        main_window.context,
        registration_id,
        main_window,
        print_badge=main_window.print_badge,
        preview_badge=main_window.preview_badge,
    )
    dialog.open()  # window-modal over the desk, as staff have it
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # the offscreen platform does not activate new windows by itself
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_scan_while_the_person_dialog_is_open_checks_in_and_keeps_the_first_name(qtbot, main_window, people):
    dialog = _person_dialog(qtbot, main_window, people["schmidt"].registration_id)
    first = dialog.first_edit
    first.setFocus()
    first.setText("Annika")  # an unsaved edit, selected as a tab into the field would
    first.selectAll()
    qtbot.keyClicks(first, people["mueller"].code)
    press(first, Qt.Key.Key_Return)

    assert first.text() == "Annika"  # the code did not replace the unsaved first name
    assert first.selectedText() == "Annika"
    assert dialog.isVisible()  # Enter did not press the dialog's default button
    verdict = main_window.checkin_panel.verdict_view.verdict
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.last_name == "Müller"
    assert "Jürgen Müller" in main_window.parking.text
    assert "Eingecheckt" in main_window.parking.text
    dialog.reject()


def test_typing_into_the_person_dialog_is_not_a_scan(qtbot, main_window, people):
    dialog = _person_dialog(qtbot, main_window, people["schmidt"].registration_id)
    main_window.capture.clock = iter(x * 0.3 for x in range(1, 100)).__next__  # a person: 300 ms a key
    dialog.first_edit.setFocus()
    dialog.first_edit.clear()
    qtbot.keyClicks(dialog.first_edit, "Annabella")
    assert dialog.first_edit.text() == "Annabella"
    assert main_window.checkin_panel.verdict_view.verdict is None
    dialog.reject()


def test_scan_while_the_f1_help_is_open_does_not_close_it(qtbot, main_window, people):
    seen: dict[str, object] = {}

    def scan_into_the_box() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.activateWindow()
        qtbot.waitUntil(box.isActiveWindow)
        focus = QApplication.focusWidget()
        assert focus is not None
        assert focus.window() is box
        qtbot.keyClicks(focus, people["mueller"].code)  # "J", "N" … would answer a message box's buttons
        press(focus, Qt.Key.Key_Return)
        seen["open after the scan"] = box.isVisible()
        seen["verdict"] = main_window.checkin_panel.verdict_view.verdict
        seen["notice"] = main_window.parking.text
        box.accept()

    QTimer.singleShot(0, scan_into_the_box)
    main_window.show_shortcuts()  # blocks until the box is closed

    assert seen["open after the scan"] is True
    assert seen["verdict"].kind is VerdictKind.CHECKED_IN
    assert "Jürgen Müller" in str(seen["notice"])


def test_a_key_pressed_in_a_message_box_still_reaches_it(qtbot, main_window):
    answers: list[object] = []

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.activateWindow()
        qtbot.waitUntil(box.isActiveWindow)
        main_window.capture.clock = iter(x * 0.3 for x in range(1, 100)).__next__
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.NoModifier
        )  # "&No" / "&Nein": held for a moment, then delivered
        # Had the key been lost, this would answer Yes after a while.
        QTimer.singleShot(1000, box, lambda: box.button(QMessageBox.StandardButton.Yes).click())

    QTimer.singleShot(0, answer_no)
    answers.append(QMessageBox.question(main_window, "?", "Really?"))
    assert answers == [QMessageBox.StandardButton.No]
