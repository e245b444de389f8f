"""The export dialog reaches the command line's document options; each changes the file written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt

from checkin.presentation.formats import format_time
from checkin.ui.export_dialog import KINDS, ExportDialog
from tests.helpers import NewPerson, People, record_checkin
from tests.helpers.desk import build_desk

DAY1 = dt.date(2024, 9, 19)


@pytest.fixture
def dialog(qtbot, db, demo_event, clock) -> ExportDialog:
    people = People(db, demo_event).add_all(
        [
            NewPerson(
                "Anna", "Müller", organisation="Jobcenter Köln", email="anna@koeln.example", days=[DAY1]
            ),
            NewPerson("Jana", "Alias", organisation="JC Köln", email="jana@koeln.example", days=[DAY1]),
            NewPerson("Kai", "Kurz", organisation="Kreis Kleve", days=[DAY1]),
        ]
    )
    record_checkin(db, demo_event, people[0].registration_id, DAY1, at=clock())
    export = ExportDialog(build_desk(db, demo_event, clock))
    qtbot.addWidget(export)
    export.codes = [person.code for person in people]  # type: ignore[attr-defined]
    return export


def _cells(path: Path) -> list[object]:
    book = load_workbook(path, read_only=True)
    try:
        return [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    finally:
        book.close()


def _run(dialog: ExportDialog, target: Path) -> None:
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_per_organisation_leaves_out_emails_and_codes_unless_ticked(dialog, tmp_path) -> None:
    dialog.set_kind("per_organisation")
    for widget in (dialog.with_email_box, dialog.with_codes_box, dialog.aliases_edit):
        assert widget.isVisibleTo(dialog)
    assert not dialog.attended_box.isVisibleTo(dialog)
    _run(dialog, tmp_path / "plain")
    cells = _cells(tmp_path / "plain" / "Jobcenter Köln.xlsx")
    assert "Müller" in cells
    assert not any(isinstance(v, str) and "@" in v for v in cells)
    assert dialog.codes[0] not in cells

    dialog.with_email_box.setChecked(True)
    dialog.with_codes_box.setChecked(True)
    _run(dialog, tmp_path / "private")
    cells = _cells(tmp_path / "private" / "Jobcenter Köln.xlsx")
    assert "anna@koeln.example" in cells
    assert dialog.codes[0] in cells


def test_typed_aliases_merge_spellings_into_one_file(dialog, tmp_path) -> None:
    dialog.set_kind("per_organisation")
    _run(dialog, tmp_path / "before")
    assert (tmp_path / "before" / "JC Köln.xlsx").exists()
    dialog.aliases_edit.setPlainText("JC Köln = Jobcenter Köln\n\n")
    _run(dialog, tmp_path / "after")
    names = sorted(p.name for p in (tmp_path / "after").iterdir())
    assert names == ["Jobcenter Köln.xlsx", "Kreis Kleve.xlsx"]
    assert {"Müller", "Alias"} <= set(_cells(tmp_path / "after" / "Jobcenter Köln.xlsx"))


def test_a_wrong_alias_line_is_refused_before_anything_is_written(dialog, tmp_path) -> None:
    dialog.set_kind("per_organisation")
    dialog.aliases_edit.setPlainText("JC Köln")
    _run(dialog, tmp_path / "none")
    assert not (tmp_path / "none").exists()
    assert dialog.status_label.text() == "Ein Alias sieht so aus: »JC Köln=Jobcenter Köln«, nicht »JC Köln«."


def test_per_organisation_as_pdf(dialog, tmp_path) -> None:
    dialog.set_kind("per_organisation")
    dialog.folder_format_combo.setCurrentIndex(dialog.folder_format_combo.findData("pdf"))
    _run(dialog, tmp_path / "pdf")
    assert "Müller" in _pdf_text(tmp_path / "pdf" / "Jobcenter Köln.pdf")


def test_signature_list_of_those_who_came_with_their_time(dialog, clock, tmp_path) -> None:
    dialog.set_kind("signatures")
    assert dialog.attended_box.isVisibleTo(dialog)
    assert not dialog.with_email_box.isVisibleTo(dialog)
    dialog.day_combo.setCurrentIndex(dialog.day_combo.findData(DAY1.isoformat()))
    _run(dialog, tmp_path / "registered.pdf")
    registered = _pdf_text(tmp_path / "registered.pdf")
    assert "Kurz" in registered
    dialog.attended_box.setChecked(True)
    _run(dialog, tmp_path / "attended.pdf")
    attended = _pdf_text(tmp_path / "attended.pdf")
    assert "Müller" in attended
    assert "Kurz" not in attended
    assert format_time(clock().time()) in attended


def test_the_options_are_reachable_by_keyboard_and_fit_a_small_screen(qtbot, dialog) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_kind("per_organisation")
    for widget in (dialog.with_email_box, dialog.with_codes_box, dialog.aliases_edit):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    dialog.with_email_box.setFocus()
    qtbot.keyClick(dialog.with_email_box, Qt.Key.Key_Space)
    assert dialog.with_email_box.isChecked()
    dialog.aliases_edit.setFocus()
    qtbot.keyClick(dialog.aliases_edit, Qt.Key.Key_Tab)  # Tab leaves the alias field
    assert not dialog.aliases_edit.hasFocus()
    for button in dialog.kind_buttons.values():  # no kind's name is cut off
        assert button.width() >= button.sizeHint().width(), button.text()
    for kind in KINDS:
        dialog.set_kind(kind.key)
        qtbot.wait(5)  # the layouts settle (posted layout requests)
        hint = dialog.layout().sizeHint()  # what the dialog needs with this kind's options shown
        assert hint.width() <= 1024, kind.key
        assert hint.height() <= 600 - 40, kind.key  # a 1024×600 netbook, less a title bar
