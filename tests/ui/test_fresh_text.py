"""No stale text: after an edit, a print from the preview or an undo every view says the new state at once.

Done as staff would in the real window: scan a person, open them, change the name and the
organisation, save; print the badge from the preview; undo a check-in with Ctrl+Z. The
views learn it from the desk's ``ChangeBus``; none of them polls.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from checkin.domain.checkin_service import CheckInService
from checkin.ui.badge_dialogs import PdfPreviewDialog
from checkin.ui.person_dialog import PersonDialog
from tests.helpers import DAY1
from tests.helpers.boxes import answer_next_box
from tests.helpers.keys import press, type_text


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _row(main_window, index: int = 0) -> tuple[str, str]:
    item = main_window.checkin_panel.recent.topLevelItem(index)
    return item.text(1), item.text(2)


def _retype(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def test_an_edit_saved_in_the_person_dialog_shows_everywhere_at_once(
    qtbot, when_modal, main_window, people, desk_context
):
    panel = main_window.checkin_panel
    schmidt = people["schmidt"]
    panel.submit_scan(schmidt.code)
    assert panel.verdict_view.name_label.text() == "Anna Schmidt"
    assert _row(main_window)[0] == "Anna Schmidt"
    seen_while_open: list[tuple[str, str, str]] = []

    def edit(dialog: PersonDialog) -> None:
        _retype(qtbot, dialog.last_edit, "Schmidt-Lang")
        _retype(qtbot, dialog.organisation_edit, "Jobcenter Kassel")
        dialog.save_button.click()
        # Still in the dialog: the desk behind it already says the new name.
        seen_while_open.append(
            (
                panel.verdict_view.name_label.text(),
                panel.verdict_view.organisation_label.text(),
                _row(main_window)[0],
            )
        )
        dialog.accept()

    when_modal(PersonDialog, edit)
    press(panel.scan_field, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # Ctrl+O: the one shown
    assert seen_while_open == [("Anna Schmidt-Lang", "Jobcenter Kassel", "Anna Schmidt-Lang")]
    assert panel.verdict_view.name_label.text() == "Anna Schmidt-Lang"
    assert panel.verdict_view.organisation_label.text() == "Jobcenter Kassel"
    assert _row(main_window) == ("Anna Schmidt-Lang", _row(main_window)[1])
    assert "eingecheckt" in _row(main_window)[1].lower() or "✓" in _row(main_window)[1]
    # The search finds the new name (and no longer lists the old organisation).
    main_window.capture.clock = iter(x * 0.3 for x in range(1, 1000)).__next__  # typed, not scanned
    type_text(panel.scan_field, "Kassel")
    qtbot.waitUntil(panel.search_popup.isVisible, timeout=2000)
    assert "Schmidt-Lang" in panel.search_popup.list.item(0).text()


def test_matches_on_screen_follow_a_check_in_at_another_desk(qtbot, main_window, people, desk_context, db):
    panel = main_window.checkin_panel
    main_window.capture.clock = iter(x * 0.3 for x in range(1, 1000)).__next__  # typed, not scanned
    type_text(panel.scan_field, "Schmidt")
    qtbot.waitUntil(panel.search_popup.isVisible, timeout=2000)
    assert panel.search_popup.list.item(0).text().endswith("—  noch nicht da")
    other = CheckInService(db, desk_context.event, desk="Theke 2", clock=desk_context.clock)
    other.scan(people["schmidt"].code, day=DAY1)
    main_window.poll_database()  # the window's watcher of other desks (every two seconds)
    qtbot.waitUntil(lambda: panel.search_popup.list.item(0).text().endswith("—  eingecheckt 09:00"))
    assert panel.search_popup.isVisible()


def test_a_check_in_undone_at_another_desk_is_marked_in_last_scans(
    qtbot, main_window, people, desk_context, db
):
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    panel.submit_scan(people["schmidt"].code)
    other = CheckInService(db, desk_context.event, desk="Theke 2", clock=desk_context.clock)
    other.undo(people["mueller"].registration_id, day=DAY1)
    main_window.poll_database()
    qtbot.waitUntil(lambda: _row(main_window, 1)[1].endswith("Rückgängig gemacht"))
    assert not _row(main_window, 0)[1].endswith("Rückgängig gemacht")  # Schmidt's stays


def test_a_badge_printed_from_the_preview_is_said_at_once(qtbot, when_modal, main_window, people, tmp_path):
    panel = main_window.checkin_panel
    schmidt = people["schmidt"]
    panel.submit_scan(schmidt.code)
    out = tmp_path / "badge.pdf"
    when_modal(PdfPreviewDialog, lambda dialog: dialog.print_document(_pdf_printer(out)))
    main_window.preview_shown_badge()
    assert out.is_file()
    assert main_window.context.badges.last_print(schmidt.registration_id) is not None
    assert panel.print_status.isVisibleTo(panel)
    assert panel.print_status.text() == "Namensschild für Anna Schmidt an den Drucker geschickt."


def test_a_badge_printed_from_the_person_dialogs_preview_shows_in_the_dialog_and_the_desk(
    qtbot, when_modal, main_window, people, tmp_path
):
    panel = main_window.checkin_panel
    schmidt = people["schmidt"]
    panel.submit_scan(schmidt.code)
    out = tmp_path / "badge.pdf"
    prints_listed: list[int] = []

    def in_dialog(dialog: PersonDialog) -> None:
        when_modal(PdfPreviewDialog, lambda preview: preview.print_document(_pdf_printer(out)))
        dialog.preview_button.click()
        prints_listed.append(dialog.prints.topLevelItemCount())
        dialog.accept()

    when_modal(PersonDialog, in_dialog)
    main_window.open_person(schmidt.registration_id)
    assert prints_listed == [1]
    assert panel.print_status.text() == "Namensschild für Anna Schmidt an den Drucker geschickt."


def test_an_undo_changes_band_row_counter_and_dashboard_at_once(qtbot, main_window, people, desk_context):
    panel = main_window.checkin_panel
    panel.submit_scan(people["mueller"].code)
    panel.submit_scan(people["schmidt"].code)
    counter = panel.counter
    counter.refresh()
    assert counter.text() == "Heute da: 2 von 2"
    main_window.show_dashboard()
    dashboard = main_window.dashboard_panel
    qtbot.waitUntil(lambda: dashboard.arrived_tile.value_label.text() == "2", timeout=5000)
    main_window.show_desk()

    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    press(panel.scan_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert answer.texts == ["Check-in von Anna Schmidt (09:00) zurücknehmen?"]
    assert panel.verdict_view.band.text() == "Check-in rückgängig gemacht"
    assert _row(main_window)[1].endswith("Rückgängig gemacht")
    qtbot.waitUntil(lambda: counter.text() == "Heute da: 1 von 2", timeout=1000)  # within half a second
    main_window.show_dashboard()
    qtbot.waitUntil(lambda: dashboard.arrived_tile.value_label.text() == "1", timeout=5000)
