"""Person dialog (edit, cancel/restore), settings, auto-print and the language switch."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from checkin.domain.verdicts import Severity, VerdictKind
from checkin.presentation.verdict_text import verdict_text
from checkin.ui.main_window import MainWindow
from checkin.ui.person_dialog import PersonDialog
from checkin.ui.settings import DeskSettings, SettingsStore, resolve_working_day
from checkin.ui.settings_dialog import SettingsDialog
from tests.helpers.boxes import answer_next_box
from tests.helpers.keys import type_text

DAY1 = dt.date(2024, 9, 19)


def test_person_dialog_fixes_a_misspelled_name(qtbot, desk_context, people):
    person = people["mueller"]
    dialog = PersonDialog(desk_context, person.registration_id)
    qtbot.addWidget(dialog)
    assert dialog.last_edit.text() == "Müller"
    dialog.last_edit.clear()
    type_text(dialog.last_edit, "Müller-Lüdenscheidt")
    assert dialog.save()
    assert dialog.changed
    assert dialog.name_label.text() == "Dr. Jürgen Müller-Lüdenscheidt"
    assert desk_context.checkin.person(person.registration_id).summary.last_name == "Müller-Lüdenscheidt"


def test_person_dialog_shows_history_and_cancels_and_restores(qtbot, desk_context, people, clock):
    person = people["schmidt"]
    desk_context.checkin.scan(person.code, day=DAY1)
    clock.advance(minutes=3)
    desk_context.checkin.undo(person.registration_id, day=DAY1)
    dialog = PersonDialog(desk_context, person.registration_id)
    qtbot.addWidget(dialog)
    assert dialog.history.topLevelItemCount() == 2
    newest = dialog.history.topLevelItem(0)
    assert newest.text(2) == "Rückgängig gemacht"
    assert newest.text(3) == "Theke 1"
    assert newest.text(0).startswith("19.09.2024 09:03")
    assert dialog.set_cancelled(True)
    assert dialog.status_label.text() == "Storniert"
    assert desk_context.checkin.scan(person.code, day=DAY1).kind is VerdictKind.CANCELLED
    assert dialog.set_cancelled(False)
    assert dialog.status_label.text() == "Aktiv"
    assert desk_context.checkin.scan(person.code, day=DAY1).kind is VerdictKind.CHECKED_IN


def test_settings_round_trip_through_an_ini_file(tmp_path: Path):
    store = SettingsStore(tmp_path / "s.ini")
    loaded = store.load()
    assert loaded.desk_name  # defaults to the computer's name
    changed = dataclasses.replace(
        loaded, desk_name="Theke 3", auto_print=True, sound=False, day="2024-09-20", language="en"
    )
    store.save(changed)
    again = SettingsStore(tmp_path / "s.ini").load()
    assert again == changed
    assert again.chosen_day() == dt.date(2024, 9, 20)


def test_working_day(demo_event):
    berlin_morning = dt.datetime(2024, 9, 20, 8, 0, tzinfo=dt.UTC)
    assert resolve_working_day(demo_event, berlin_morning, None).is_today
    later = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.UTC)
    assert resolve_working_day(demo_event, later, None).date == DAY1
    assert resolve_working_day(demo_event, later, dt.date(2024, 9, 20)).date == dt.date(2024, 9, 20)
    assert resolve_working_day(demo_event, later, dt.date(2023, 1, 1)).date == DAY1


def test_settings_dialog_changes_desk_and_day(qtbot, main_window, desk_context, clock):
    clock.now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)  # not an event day
    main_window.apply_working_day()
    dialog = SettingsDialog(desk_context, main_window)
    qtbot.addWidget(dialog)
    assert dialog.day_combo.isEnabled()
    dialog.desk_edit.setText("Theke Nord")
    dialog.day_combo.setCurrentIndex(dialog.day_combo.findData("2024-09-20"))
    main_window.apply_settings(dialog.result_settings())
    assert desk_context.checkin.desk == "Theke Nord"
    assert main_window.working_day.date == dt.date(2024, 9, 20)
    assert "20.09.2024" in main_window.banner.text()
    assert main_window.store.load().desk_name == "Theke Nord"


def test_settings_dialog_refuses_an_empty_desk_name(qtbot, desk_context):
    dialog = SettingsDialog(desk_context)
    qtbot.addWidget(dialog)
    dialog.desk_edit.setText("  ")
    assert dialog.validate() is not None


def test_language_switch_relabels_the_window(qtbot, main_window, people):
    panel = main_window.checkin_panel
    verdict = panel.submit_scan(people["mueller"].code)
    assert panel.verdict_view.band.text().endswith(verdict_text(verdict))
    assert panel.recent.topLevelItem(0).text(2) == "✓  Eingecheckt"
    assert main_window.tabs.tabText(0).startswith("Check-in")
    assert main_window.tabs.tabText(1).startswith("Workshop-Tür")
    assert panel.undo_button.text() == "Letzten rückgängig (Strg+Z)"
    main_window.switch_language("en")
    assert panel.verdict_view.band.text().endswith(verdict_text(verdict))
    assert verdict_text(verdict).startswith("Checked in: ")
    assert panel.recent.topLevelItem(0).text(2) == "✓  Checked in"
    assert main_window.tabs.tabText(1).startswith("Workshop door")
    assert panel.undo_button.text() == "Undo last (Ctrl+Z)"
    assert main_window.menu_file.title() == "&File"
    assert panel.recent.headerItem().text(0) == "Time"
    main_window.switch_language("de")
    assert main_window.menu_file.title() == "&Datei"
    assert panel.recent.headerItem().text(0) == "Zeit"


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_auto_print_on_check_in_only_if_not_printed_yet(
    qtbot, desk_context, settings_store, people, tmp_path
):
    desk_context.settings = dataclasses.replace(
        desk_context.settings, auto_print=True, auto_print_only_unprinted=True
    )
    out = tmp_path / "printed.pdf"
    window = MainWindow(desk_context, store=settings_store, printer=_pdf_printer(out))
    qtbot.addWidget(window)
    window.show()
    person = people["mueller"]
    window.checkin_panel.submit_scan(person.code)
    qtbot.waitUntil(lambda: desk_context.badges.last_print(person.registration_id) is not None, timeout=5000)
    assert len(PdfReader(out).pages) == 1
    assert desk_context.badges.last_print(person.registration_id).reason == "auto"
    assert window.checkin_panel.print_status.text() == (
        "Namensschild für Dr. Jürgen Müller an den Drucker geschickt."
    )
    # undo and check in again: the badge exists, nothing is printed a second time
    answer = answer_next_box(QMessageBox.StandardButton.Yes)
    assert window.checkin_panel.undo_last()
    assert len(answer.texts) == 1
    out.unlink()
    window.checkin_panel.submit_scan(person.code)
    qtbot.wait(50)
    assert not out.exists()
    window.close()


def test_auto_print_failure_keeps_the_check_in(qtbot, main_window, desk_context, people):
    desk_context.settings = dataclasses.replace(
        desk_context.settings, auto_print=True, printer="Nicht vorhanden 42"
    )
    verdict = main_window.checkin_panel.submit_scan(people["schmidt"].code)
    assert verdict.kind is VerdictKind.CHECKED_IN
    status = main_window.checkin_panel.print_status.text()
    assert status.startswith("Das Namensschild für Anna Schmidt wurde nicht gedruckt:")
    assert desk_context.checkin.person(people["schmidt"].registration_id).checked_in_on(DAY1)


def test_print_failure_keeps_the_check_in(qtbot, main_window, desk_context, people):
    desk_context.settings = dataclasses.replace(desk_context.settings, printer="Nicht vorhanden 42")
    person = people["mueller"]
    verdict = main_window.checkin_panel.submit_scan(person.code)
    assert not main_window.print_badge(person.registration_id)
    status = main_window.checkin_panel.print_status.text()
    assert "nicht gedruckt" in status
    assert "Check-in ist gespeichert" in status
    assert verdict.severity is Severity.OK
    assert desk_context.checkin.person(person.registration_id).checked_in_on(DAY1)
    assert desk_context.badges.last_print(person.registration_id) is None


def test_default_settings_are_calm():
    settings = DeskSettings()
    assert settings.auto_print_only_unprinted
    assert settings.sound


def test_person_dialog_switches_the_workshop(qtbot, desk_context, people):
    person = people["schmidt"]  # registered for zw-digitalisierung
    dialog = PersonDialog(desk_context, person.registration_id)
    qtbot.addWidget(dialog)
    assert dialog.programme.chosen_workshops() == ("zw-digitalisierung",)
    assert dialog.changes().workshop_keys is None  # nothing changed yet
    dialog.programme.workshop_checks["zw-interkommunal"].setChecked(True)  # same slot: replaces
    dialog.programme.day_checks[dt.date(2024, 9, 20)].setChecked(False)
    assert dialog.save()
    details = desk_context.checkin.person(person.registration_id)
    assert details.session_keys == ("zw-interkommunal",)
    assert details.days == (DAY1,)


def test_auto_print_in_a_real_worker_thread(qtbot, desk_context, settings_store, people, tmp_path):
    from checkin.ui.tasks import TaskRunner

    desk_context.settings = dataclasses.replace(desk_context.settings, auto_print=True)
    desk_context.tasks = TaskRunner(show_progress=False)
    out = tmp_path / "worker.pdf"
    window = MainWindow(desk_context, store=settings_store, printer=_pdf_printer(out))
    qtbot.addWidget(window)
    window.show()
    person = people["mueller"]
    window.checkin_panel.submit_scan(person.code)
    assert desk_context.tasks.wait_until_idle(20_000)
    qtbot.waitUntil(lambda: desk_context.badges.last_print(person.registration_id) is not None, timeout=5000)
    assert len(PdfReader(out).pages) == 1
    assert "an den Drucker geschickt" in window.checkin_panel.print_status.text()
    window.close()


def test_language_chosen_in_the_settings_relabels_the_window(qtbot, main_window, desk_context):
    dialog = SettingsDialog(desk_context, main_window)
    qtbot.addWidget(dialog)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.sound_check.setChecked(False)
    main_window.apply_settings(dialog.result_settings())
    assert main_window.menu_file.title() == "&File"
    assert main_window.checkin_panel.walk_in_button.text() == "Walk-in (Ctrl+N)"
    assert main_window.store.load().language == "en"
    assert main_window.sounds.enabled is False
