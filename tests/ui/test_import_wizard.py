"""The import wizard, driven as a user would: file path, Next, read the tables, Import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.modeltest import ModelTester
from sqlalchemy import select

from checkin.domain.models import Registration
from checkin.ui.import_wizard import ImportWizard
from checkin.ui.tasks import SyncTaskRunner, TaskRunner
from tests.helpers.desk import build_desk

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

GOOD = (
    "Vorname;Nachname;Dienststelle;E-Mail;Kategorie;Workshop\n"
    "Jürgen;Müller;Jobcenter Kreis Offenbach;jm@example.org;Teilnehmer;Zukunftswerkstatt 4\n"
    "Anna;Schmidt;Jobcenter Mülheim;as@example.org;Referentin;IT-Sicherheit\n"
    "Łukasz;Nowak;Landkreis Görlitz;ln@example.org;Teilnehmer;\n"
)
WITH_ERROR = GOOD + ";;Stadt X;kk@example.org;Teilnehmer;Zukunftswerkstatt 4\n"
WITH_WARNINGS = (
    GOOD
    + "Karl;Kaputt;Stadt X;kk@example.org;Astronaut;Zukunftswerkstatt 4\n"
    + "Kim;Lee;Stadt Y;kl@example.org;Astronaut;Zukunftswerkstatt 99\n"
)


def _write(tmp_path: Path, text: str, name: str = "anmeldungen.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _wizard(qtbot, db, demo_event, clock, tasks=None) -> ImportWizard:
    wizard = ImportWizard(build_desk(db, demo_event, clock, tasks=tasks))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _next(wizard: ImportWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    if wizard.currentPage().isCommitPage():
        button = wizard.button(QWizard.WizardButton.CommitButton)
    assert button.isEnabled()
    button.click()


def _names(db) -> list[tuple[str, str, str]]:
    with db.session_factory() as session:
        rows = session.scalars(select(Registration).order_by(Registration.last_name)).all()
        return [(r.first_name, r.last_name, r.organisation) for r in rows]


def test_import_with_a_changed_column(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, db, demo_event, clock)
    reports = []
    wizard.imported.connect(reports.append)
    wizard.file_page.path_edit.setText(str(_write(tmp_path, GOOD)))
    _next(wizard)

    page = wizard.mapping_page
    assert wizard.currentPage() is page
    assert page.combos["first_name"].currentText() == "Vorname"
    assert page.combos["last_name"].currentText() == "Nachname"
    assert "3 Zeilen" in page.info_label.text()
    sample = page.sample_model
    ModelTester(qtbot).check(sample, force_py=True)
    assert sample.rowCount() == 3
    keys = sample.field_keys()
    assert sample.index(0, keys.index("last_name")).data() == "Müller"
    if "organisation" not in page.mapping():
        assert "Dienststelle" in page.unmapped_label.text()
    page.set_field_column("organisation", "Dienststelle")
    assert wizard.preview.mapping["organisation"] == "Dienststelle"
    assert sample.index(2, sample.field_keys().index("organisation")).data() == "Landkreis Görlitz"
    _next(wizard)

    check = wizard.check_page
    assert wizard.currentPage() is check
    assert "3 neu" in check.report_view.counts_label.text()
    assert not check.skip_box.isVisibleTo(check)
    assert _names(db) == []  # the check changed nothing
    _next(wizard)

    assert wizard.currentPage() is wizard.result_page
    assert [(r.new, r.updated, r.errors) for r in reports] == [(3, 0, ())]
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert _names(db) == [
        ("Jürgen", "Müller", "Jobcenter Kreis Offenbach"),
        ("Łukasz", "Nowak", "Landkreis Görlitz"),
        ("Anna", "Schmidt", "Jobcenter Mülheim"),
    ]


def test_rows_with_errors_block_until_skipped(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, db, demo_event, clock)
    wizard.file_page.path_edit.setText(str(_write(tmp_path, WITH_ERROR)))
    _next(wizard)
    _next(wizard)
    check = wizard.check_page
    errors = [
        check.report_view.errors_list.item(i).text() for i in range(check.report_view.errors_list.count())
    ]
    assert len(errors) == 1
    assert errors[0].startswith("Zeile 5")
    assert "kein Name" in errors[0]
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert not commit.isEnabled()
    assert check.skip_box.isVisibleTo(check)
    check.skip_box.setChecked(True)
    assert commit.isEnabled()
    commit.click()
    result = wizard.result_page
    assert result.report is not None
    assert (result.report.new, len(result.report.errors)) == (3, 1)
    assert len(_names(db)) == 3


def test_reimport_reports_unchanged(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    for expected in ("3 neu", "3 unverändert"):
        wizard = _wizard(qtbot, db, demo_event, clock)
        wizard.file_page.path_edit.setText(str(path))
        _next(wizard)
        _next(wizard)
        assert expected in wizard.check_page.report_view.counts_label.text()
        _next(wizard)
        assert wizard.result_page.report is not None
    assert len(_names(db)) == 3


def test_missing_and_unsuitable_files_stay_on_the_first_page(
    qtbot, db, demo_event, clock, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, db, demo_event, clock)
    page = wizard.file_page
    page.path_edit.setText(str(tmp_path / "fehlt.csv"))
    _next(wizard)
    assert wizard.currentPage() is page
    assert "fehlt.csv" in page.error_label.text()
    page.path_edit.setText(str(_write(tmp_path, "Farbe;Menge\nrot;3\nblau;4\n", "lager.csv")))
    _next(wizard)
    assert wizard.currentPage() is page
    assert page.error_label.isVisibleTo(page)
    assert "lager.csv" in page.error_label.text()


def test_in_a_worker_thread(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    runner = TaskRunner(show_progress=False)
    wizard = _wizard(qtbot, db, demo_event, clock, runner)
    wizard.file_page.path_edit.setText(str(_write(tmp_path, GOOD)))
    _next(wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10000)
    _next(wizard)
    qtbot.waitUntil(lambda: wizard.check_page.report is not None, timeout=10000)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.CommitButton).isEnabled(), timeout=5000)
    with qtbot.waitSignal(wizard.imported, timeout=10000) as blocker:
        _next(wizard)
    assert blocker.args[0].new == 3
    assert len(_names(db)) == 3
    runner.wait_until_idle()


def test_cancelled_import_changes_nothing(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    runner = SyncTaskRunner()
    wizard = _wizard(qtbot, db, demo_event, clock, runner)
    wizard.file_page.path_edit.setText(str(_write(tmp_path, GOOD)))
    _next(wizard)
    _next(wizard)
    runner.cancel_after = 1  # the user presses Cancel in the progress dialog of the import
    _next(wizard)
    result = wizard.result_page
    assert result.report is None
    assert result.report_view.summary_label.text() == "Der Import wurde abgebrochen."
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert _names(db) == []


def test_escape_while_working_cancels_the_task_first(qtbot, db, demo_event, clock) -> None:
    from checkin.domain.progress import check_cancelled

    runner = TaskRunner(show_progress=False)
    wizard = _wizard(qtbot, db, demo_event, clock, runner)

    def slow(progress) -> None:
        while True:
            check_cancelled(progress)
            progress.update(0, None)

    wizard.run_task(slow, lambda _r: None, wizard.file_page, "slow")
    assert wizard.busy
    wizard.reject()
    assert wizard.isVisible()  # still open: first the work stops
    qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    assert "Abgebrochen" in wizard.file_page.error_label.text()
    wizard.reject()
    assert not wizard.isVisible()
    runner.wait_until_idle()


def test_xlsx_with_title_rows_above_the_header(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Anmeldungen"
    sheet.append(["Tag der kommunalen Jobcenter 2024 – Anmeldeliste"])
    sheet.append([])
    for line in GOOD.splitlines():
        sheet.append(line.split(";"))
    path = tmp_path / "anmeldungen.xlsx"
    workbook.save(path)
    wizard = _wizard(qtbot, db, demo_event, clock)
    wizard.file_page.path_edit.setText(str(path))
    _next(wizard)
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    assert "Kopfzeile in Zeile 3" in page.info_label.text()
    assert "Blatt „Anmeldungen“" in page.info_label.text()
    assert page.sample_model.rowCount() == 3
    _next(wizard)
    _next(wizard)
    assert wizard.result_page.report.new == 3


def test_warnings_by_kind_and_a_value_mapped_to_a_category(
    qtbot, db, demo_event, clock, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, db, demo_event, clock)
    wizard.file_page.path_edit.setText(str(_write(tmp_path, WITH_WARNINGS)))
    _next(wizard)
    _next(wizard)
    check = wizard.check_page
    tree = check.report_view.warnings_tree
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    assert set(groups) == {"Unbekannte Kategorie (2)", "Unbekannter Workshop (1)"}
    lines = [groups["Unbekannte Kategorie (2)"].child(i).text(0) for i in range(2)]
    assert lines[0].startswith("Zeile 5: unbekannte Kategorie „Astronaut“")
    assert "wird angelegt" in lines[0]
    assert "5 mit Warnungen" not in check.report_view.counts_label.text()
    assert "2 mit Warnungen" in check.report_view.counts_label.text()
    box = check.values_box
    assert box.isVisibleTo(check)
    assert list(box.combos) == [("category", "Astronaut")]
    box.choose("category", "Astronaut", "press")
    assert check.report is not None
    assert "zugeordnet zu Presse" in groups_text(check)
    _next(wizard)
    assert wizard.result_page.report.new == 5
    with db.session_factory() as session:
        categories = session.scalars(
            select(Registration.category_id).where(Registration.last_name.in_(["Kaputt", "Lee"]))
        ).all()
    press = demo_event.category_by_key("press").id
    assert categories == [press, press]


def groups_text(check) -> str:
    tree = check.report_view.warnings_tree
    return "\n".join(
        tree.topLevelItem(i).child(j).text(0)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    )


def test_strict_turns_warnings_into_errors(qtbot, db, demo_event, clock, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, db, demo_event, clock)
    wizard.file_page.path_edit.setText(str(_write(tmp_path, WITH_WARNINGS)))
    _next(wizard)
    _next(wizard)
    check = wizard.check_page
    assert check.report.errors == ()
    check.strict_box.setChecked(True)
    assert [e.line for e in check.report.errors] == [5, 6]
    assert check.skip_box.isVisibleTo(check)
    check.skip_box.setChecked(True)
    _next(wizard)
    assert wizard.result_page.report.new == 3
    assert len(_names(db)) == 3
