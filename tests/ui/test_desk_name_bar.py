"""First start: the window asks for the desk's name without taking the scan field's focus."""

from __future__ import annotations

from checkin.ui.main_window import MainWindow
from tests.helpers.keys import type_text


def test_first_start_asks_for_the_desk_name_and_keeps_scanning(qtbot, desk_context, settings_store, people):
    window = MainWindow(desk_context, store=settings_store)
    qtbot.addWidget(window)
    window.show()
    window.focus_scan_field()
    bar = window.desk_name_bar
    assert bar is not None
    assert bar.isVisible()
    assert bar.label.text().startswith("Diesem Platz einen Namen geben")
    assert window.checkin_panel.submit_scan(people["mueller"].code).admitted  # scanning goes on meanwhile
    type_text(bar.edit, "Eingang Süd")
    bar.save_button.click()
    assert not bar.isVisible()
    assert desk_context.checkin.desk == "Eingang Süd"
    assert settings_store.load().desk_name == "Eingang Süd"
    assert "Platz: Eingang Süd" in window.day_label.text()
    window.close()


def test_a_named_desk_is_not_asked_again(qtbot, desk_context, settings_store):
    settings_store.save(desk_context.settings)
    window = MainWindow(desk_context, store=settings_store)
    qtbot.addWidget(window)
    assert window.desk_name_bar is None
    window.close()
