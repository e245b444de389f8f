"""The result window for the queue: chosen in the View menu, follows desk and door, goes back to "Bereit"."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from checkin.domain.verdicts import Severity
from checkin.ui import theme
from checkin.ui.queue_display import QueueDisplay, QueueDisplayKeeper, QueueScreenDialog, screen_key
from tests.helpers import People


@pytest.fixture
def vip(db, demo_event, people):
    """Someone with an e-mail address and a note for staff: neither may reach the queue's screen."""
    return People(db, demo_event).add(
        "Henrike",
        "Weiß",
        title="Dr.",
        organisation="Jobcenter Landkreis Kassel",
        email="h.weiss@example.org",
        notes="VIP — bitte Frau X rufen",
        workshops=("zw-digitalisierung",),
        days=(),
    )


def _texts(display: QueueDisplay) -> str:
    return "\n".join(label.text() for label in display.findChildren(QLabel) if label.isVisible())


def _open_on_first_screen(qtbot, main_window, when_modal) -> QueueDisplay:
    from PySide6.QtCore import Qt

    def choose(dialog: QueueScreenDialog) -> None:
        assert dialog.list.currentItem().text() == "Aus"
        qtbot.keyClick(dialog.list, Qt.Key.Key_Down)  # the first screen
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    when_modal(QueueScreenDialog, choose)
    main_window.act_queue_display.trigger()
    display = QueueDisplayKeeper.of(main_window).display
    assert display is not None
    return display


def test_chosen_in_the_view_menu_it_shows_each_desk_scan_without_private_data(
    qtbot, main_window, when_modal, settings_store, vip
):
    assert main_window.act_queue_display in main_window.menu_view.actions()
    display = _open_on_first_screen(qtbot, main_window, when_modal)
    qtbot.waitUntil(display.isVisible)
    screen = screen_key(QGuiApplication.screens()[0])
    assert main_window.context.settings.queue_screen == screen
    assert settings_store.load().queue_screen == screen  # kept for the next start
    assert display.name_label.text() == "Bereit"
    assert main_window.focusWidget() is main_window.checkin_panel.scan_field  # the desk keeps the keys

    main_window.checkin_panel.submit_scan(vip.code)
    assert display.name_label.text() == "Dr. Henrike Weiß"
    assert display.band.text() == "✓   Eingecheckt: Dr. Henrike Weiß."
    assert display.organisation_label.text() == "Jobcenter Landkreis Kassel"
    shown = _texts(display)
    assert "example.org" not in shown
    assert "VIP" not in shown
    assert "Frau X" not in shown
    assert main_window.checkin_panel.attention.isVisible()  # the desk itself does show the note


def test_it_follows_the_door_and_shows_refusals_in_red(qtbot, main_window, when_modal, people, vip):
    display = _open_on_first_screen(qtbot, main_window, when_modal)
    main_window.show_door()
    main_window.door_panel.select_session("zw-digitalisierung")
    main_window.door_panel.submit_scan(vip.code)
    assert display.name_label.text() == "Dr. Henrike Weiß"
    assert display.verdict is not None
    assert display.verdict.session_key == "zw-digitalisierung"
    main_window.show_desk()
    main_window.checkin_panel.submit_scan(people["weber"].code)  # cancelled
    assert display.verdict.severity is Severity.REFUSED
    assert theme.SEVERITY_COLOURS[Severity.REFUSED].strong in display.styleSheet()
    assert "storniert" in display.band.text()
    assert "Team am Platz" in display.hint_label.text()
    assert "trotzdem" not in _texts(display)  # the staff's next step stays at the desk


def test_it_returns_to_ready_after_the_desks_verdict_time(qtbot, main_window, when_modal, people):
    main_window.context.settings.verdict_seconds = 1
    display = _open_on_first_screen(qtbot, main_window, when_modal)
    main_window.checkin_panel.submit_scan(people["mueller"].code)
    assert display.name_label.text() == "Dr. Jürgen Müller"
    qtbot.waitUntil(lambda: display.verdict is None, timeout=4000)
    assert display.name_label.text() == "Bereit"
    assert "Herzlich willkommen" in display.band.text()
    main_window.context.settings.verdict_seconds = 0  # 0: the verdict stays
    main_window.checkin_panel.submit_scan(people["schmidt"].code)
    assert not display.timer.isActive()
    assert display.name_label.text() == "Anna Schmidt"


def test_an_undo_at_the_desk_takes_the_person_off_the_queue_screen(qtbot, main_window, when_modal, people):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from tests.helpers.boxes import answer_next_box

    display = _open_on_first_screen(qtbot, main_window, when_modal)
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    assert display.name_label.text() == "Dr. Jürgen Müller"
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Jürgen Müller" in answer.texts[0]
    assert display.verdict is None
    assert display.name_label.text() == "Bereit"


def test_off_closes_it_and_the_next_start_brings_it_back(
    qtbot, main_window, when_modal, desk_context, settings_store
):
    display = _open_on_first_screen(qtbot, main_window, when_modal)

    def choose_off(dialog: QueueScreenDialog) -> None:
        dialog.list.setCurrentRow(0)
        dialog.accept()

    when_modal(QueueScreenDialog, choose_off)
    main_window.act_queue_display.trigger()
    assert not display.isVisible()
    assert settings_store.load().queue_screen == ""

    from checkin.ui.main_window import MainWindow

    desk_context.settings = dataclasses.replace(
        desk_context.settings, queue_screen=screen_key(QGuiApplication.screens()[0])
    )
    again = MainWindow(desk_context, store=settings_store)
    qtbot.addWidget(again)
    restored = QueueDisplayKeeper.of(again).display
    assert restored is not None
    assert restored.isVisible()
    again.close()
    assert not restored.isVisible()  # it goes with the desk's window


def test_on_another_screen_it_is_full_screen(qtbot):
    display = QueueDisplay("Jobcentertag", lambda: 30)
    qtbot.addWidget(display)
    display.place_on(QGuiApplication.screens()[0], full_screen=True)
    qtbot.waitUntil(display.isVisible)
    assert display.isFullScreen()
    assert QApplication.focusWidget() is None or QApplication.focusWidget().window() is not display
