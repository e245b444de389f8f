"""The export dialog: every kind writes a real file; filters, cancel and bad targets."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from checkin.ui.export_dialog import ExportDialog
from checkin.ui.tasks import SyncTaskRunner, TaskRunner
from tests.helpers import People, record_checkin, registration_ids
from tests.helpers.desk import build_desk

DAY1 = dt.date(2024, 9, 19)


@pytest.fixture
def attended(db, demo_event, clock) -> list[int]:
    """Six people registered for day 1 and the BASS workshop; the first three came."""
    ids = registration_ids(People(db, demo_event).add_many(6, days=[DAY1], workshops=["zw-bass"]))
    for registration_id in ids[:3]:
        record_checkin(db, demo_event, registration_id, DAY1, at=clock())
        record_checkin(db, demo_event, registration_id, DAY1, at=clock(), session_key="zw-bass")
    return ids


def _dialog(qtbot, db, demo_event, clock, tasks=None) -> ExportDialog:
    dialog = ExportDialog(build_desk(db, demo_event, clock, tasks=tasks))
    qtbot.addWidget(dialog)
    return dialog


def _export(dialog: ExportDialog, kind: str, target: Path) -> None:
    dialog.set_kind(kind)
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()


def test_xlsx_export_adds_the_suffix(qtbot, db, demo_event, clock, attended, tmp_path) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    assert dialog.kind().key == "xlsx"
    assert dialog.path_edit.text().endswith("anwesenheit-tag-der-kommunalen-jobcenter-2024.xlsx")
    _export(dialog, "xlsx", tmp_path / "liste")
    written = tmp_path / "liste.xlsx"
    workbook = load_workbook(written, read_only=True)
    try:
        assert len(workbook.sheetnames) >= 2
    finally:
        workbook.close()
    assert "(Zeilen: 6)" in dialog.status_label.text()
    assert dialog.last_result.paths == (written,)
    assert dialog.open_button.isVisibleTo(dialog)


def test_csv_log_with_filters(qtbot, db, demo_event, clock, attended, tmp_path) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    dialog.set_kind("csv")
    assert dialog.dialect_combo.isVisibleTo(dialog)
    dialog.table_combo.setCurrentIndex(dialog.table_combo.findData("log"))
    dialog.dialect_combo.setCurrentIndex(dialog.dialect_combo.findData("comma"))
    dialog.session_combo.setCurrentIndex(dialog.session_combo.findData("zw-bass"))
    dialog.path_edit.setText(str(tmp_path / "log.csv"))
    dialog.export_button.click()
    with (tmp_path / "log.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + 3  # header + the three workshop scans
    assert "(Zeilen: 3)" in dialog.status_label.text()


def test_pdf_kinds(qtbot, db, demo_event, clock, attended, tmp_path) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    _export(dialog, "report", tmp_path / "bericht.pdf")
    assert len(PdfReader(tmp_path / "bericht.pdf").pages) >= 1
    assert not dialog.category_combo.isVisibleTo(dialog)

    dialog.set_kind("signatures")
    dialog.session_combo.setCurrentIndex(dialog.session_combo.findData("zw-bass"))
    dialog.path_edit.setText(str(tmp_path / "unterschriften.pdf"))
    dialog.export_button.click()
    assert len(PdfReader(tmp_path / "unterschriften.pdf").pages) >= 1
    assert "(Listen: 1)" in dialog.status_label.text()

    _export(dialog, "certificates", tmp_path / "bescheinigungen.pdf")
    assert len(PdfReader(tmp_path / "bescheinigungen.pdf").pages) == 3
    assert dialog.status_label.text().endswith("(Anzahl: 3).")


def test_per_organisation_writes_a_folder(qtbot, db, demo_event, clock, attended, tmp_path) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    dialog.set_kind("per_organisation")
    assert dialog.folder_format_combo.isVisibleTo(dialog)
    _export(dialog, "per_organisation", tmp_path / "orgs")
    files = sorted((tmp_path / "orgs").iterdir())
    assert len(files) == len(dialog.last_result.paths) >= 2
    assert all(f.suffix == ".xlsx" for f in files)


def test_cancel_and_bad_target_write_nothing(qtbot, db, demo_event, clock, attended, tmp_path) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock, SyncTaskRunner(cancel_after=1))
    _export(dialog, "xlsx", tmp_path / "nie.xlsx")
    assert not (tmp_path / "nie.xlsx").exists()
    assert "abgebrochen" in dialog.status_label.text()
    dialog.path_edit.setText("")
    dialog.export_button.click()
    assert dialog.status_label.text() == "Wählen Sie, wo der Export gespeichert werden soll."
    assert list(tmp_path.glob("*.xlsx")) == []


def test_export_in_a_worker(qtbot, db, demo_event, clock, attended, tmp_path) -> None:
    runner = TaskRunner(show_progress=False)
    dialog = _dialog(qtbot, db, demo_event, clock, runner)
    with qtbot.waitSignal(dialog.exported, timeout=20000) as blocker:
        _export(dialog, "xlsx", tmp_path / "w.xlsx")
    assert blocker.args[0].paths == (tmp_path / "w.xlsx",)
    assert dialog.export_button.isEnabled()
    runner.wait_until_idle()


def test_certificates_one_file_per_person(qtbot, db, demo_event, clock, attended, tmp_path) -> None:
    dialog = _dialog(qtbot, db, demo_event, clock)
    dialog.set_kind("certificate_files")
    assert not dialog.options_box.isVisibleTo(dialog)
    _export(dialog, "certificate_files", tmp_path / "bescheinigungen")
    files = sorted((tmp_path / "bescheinigungen").glob("*.pdf"))
    assert len(files) == 3
    assert all(len(PdfReader(f).pages) == 1 for f in files)
    assert "(Dateien: 3)" in dialog.status_label.text()
