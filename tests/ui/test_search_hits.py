"""The desk's search as staff use it: many matches, states per hit, opening the highlighted one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from checkin.ui.person_dialog import PersonDialog
from tests.helpers import DAY2, People
from tests.helpers.keys import press, type_text


def _search(qtbot, main_window, text: str):
    panel = main_window.checkin_panel
    main_window.capture.clock = iter(x * 0.3 for x in range(1, 1000)).__next__  # typed, not scanned
    type_text(panel.scan_field, text)
    qtbot.waitUntil(panel.search_popup.isVisible, timeout=2000)
    return panel.search_popup


def test_ten_wolffs_are_all_reachable_and_the_hint_says_how_many_more(qtbot, main_window, db, demo_event):
    add = People(db, demo_event).add
    for i in range(10):
        add(f"Vorname{i}", "Wolff", days=())
    main_window.context.search.refresh()
    popup = _search(qtbot, main_window, "Wolff")
    assert len(popup.hits) == 10
    assert popup.list.count() == 10
    assert popup.hint.text().startswith("+2 weitere (scrollen)")
    for _ in range(10):  # the first Down picks the first hit
        press(main_window.checkin_panel.scan_field, Qt.Key.Key_Down)
    assert popup.list.currentRow() == 9  # the tenth, reached from the keyboard


def test_each_hit_says_whether_the_person_is_here_today(qtbot, main_window, people):
    main_window.checkin_panel.submit_scan(people["mueller"].code)
    popup = _search(qtbot, main_window, "Müller")
    assert popup.list.item(0).text().endswith("—  eingecheckt 09:00")
    popup.hide_popup()
    main_window.checkin_panel.scan_field.clear()
    popup = _search(qtbot, main_window, "Yilmaz")
    assert popup.list.item(0).text().endswith(f"—  heute nicht angemeldet ({DAY2:%d.%m.})")


def test_shift_enter_opens_the_highlighted_hit(qtbot, main_window, people, when_modal):
    opened: list[int] = []
    when_modal(PersonDialog, lambda d: (opened.append(d.registration_id), d.reject()))
    _search(qtbot, main_window, "Schmidt")
    field = main_window.checkin_panel.scan_field
    press(field, Qt.Key.Key_Down)
    press(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert opened == [people["schmidt"].registration_id]
    assert main_window.checkin_panel.verdict_view.verdict is None  # opened, not checked in


def test_ctrl_o_opens_the_highlighted_hit_not_the_last_shown(qtbot, main_window, people, when_modal):
    main_window.checkin_panel.submit_scan(people["mueller"].code)  # shown now
    opened: list[int] = []
    when_modal(PersonDialog, lambda d: (opened.append(d.registration_id), d.reject()))
    _search(qtbot, main_window, "Schmidt")
    field = main_window.checkin_panel.scan_field
    press(field, Qt.Key.Key_Down)
    qtbot.keyClick(field, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert opened == [people["schmidt"].registration_id]


def test_ctrl_e_opens_the_export_while_the_scan_field_has_the_focus(qtbot, main_window, when_modal):
    from checkin.ui.export_dialog import ExportDialog

    opened: list[str] = []
    when_modal(ExportDialog, lambda d: (opened.append("export"), d.reject()))
    field = main_window.checkin_panel.scan_field
    assert field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: opened == ["export"], timeout=3000)
