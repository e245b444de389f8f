"""Every Qt item model in checkin/ui, checked by pytest-qt's model tester: with real data, empty, and
across a reset (a refresh or a changed mapping), both by Qt's own tester and by pytest-qt's stricter
Python port (which also checks the types each role returns).

``qtmodeltester.check(model)`` is called once per model: from then on the tester watches the model and
checks it again after every change signal, so each reset below is checked too.

The models: ``FiguresTableModel`` (the dashboard's days and sessions tables) and
``SampleTableModel`` (the import wizard's preview of the first rows).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QWizard

import checkin.ui
from checkin.ui.dashboard_panel import DashboardPanel, FiguresTableModel
from checkin.ui.guest_list_view import GuestTableModel
from checkin.ui.import_wizard import ImportWizard, SampleTableModel
from tests.helpers import DAY1, DAY2, People, record_checkin, registration_ids
from tests.helpers.desk import build_desk

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CSV = (
    "Vorname;Nachname;Dienststelle;E-Mail\n"
    "Jürgen;Müller;Jobcenter Kreis Offenbach;jm@example.org\n"
    "Anna;Schmidt;Jobcenter Mülheim;as@example.org\n"
    "Łukasz;Nowak;Landkreis Görlitz;ln@example.org\n"
)


# The item models this file checks; the next test fails when checkin/ui gains one that is not here.
# (GuestTableModel is checked in tests/ui/test_guest_list_view.py.)
CHECKED_MODELS = {FiguresTableModel, SampleTableModel, GuestTableModel}


def test_every_item_model_in_checkin_ui_is_checked_here() -> None:
    found = set()
    for info in pkgutil.walk_packages(checkin.ui.__path__, prefix="checkin.ui."):
        module = importlib.import_module(info.name)
        found |= {
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, QAbstractItemModel) and cls.__module__ == module.__name__
        }
    assert found == CHECKED_MODELS


@pytest.fixture(params=[False, True], ids=["qt-tester", "python-tester"])
def force_py(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def _cells(model: FiguresTableModel | SampleTableModel) -> list[list[object]]:
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


# ----------------------------------------------------------------------------- dashboard


@pytest.mark.parametrize("model_name", ["days_model", "sessions_model"])
def test_dashboard_models_with_data_and_after_a_refresh(
    qtbot, qtmodeltester, db, demo_event, clock, force_py: bool, model_name: str
) -> None:
    people = People(db, demo_event)
    ids = registration_ids(people.add_many(4, days=[DAY1, DAY2], workshops=["zw-bass"]))
    record_checkin(db, demo_event, ids[0], DAY1, at=clock() - dt.timedelta(minutes=20))
    record_checkin(db, demo_event, ids[0], DAY1, at=clock(), session_key="zw-bass")
    panel = DashboardPanel(build_desk(db, demo_event, clock))
    qtbot.addWidget(panel)
    model = getattr(panel, model_name)
    qtmodeltester.check(model, force_py=force_py)
    panel.refresh(force=True)
    assert model.rowCount() > 0
    assert model.columnCount() > 0
    before = _cells(model)

    # Another desk writes; the refresh resets the model while the tester watches it.
    people.add_many(3, days=[DAY1], workshops=["zw-bass"], start=10)
    for registration_id in ids[1:3]:
        record_checkin(db, demo_event, registration_id, DAY1, at=clock(), session_key="zw-bass")
    with qtbot.waitSignal(model.modelReset, timeout=0):
        panel.refresh(force=True)
    assert _cells(model) != before


def test_figures_model_empty_filled_and_emptied_again(qtbot, qtmodeltester, force_py: bool) -> None:
    model = FiguresTableModel(["Tag", "Angemeldet", "Da"], {1, 2})
    assert (model.rowCount(), model.columnCount()) == (0, 3)
    qtmodeltester.check(model, force_py=force_py)

    model.set_rows([("Do", "5", "2"), ("Fr", "7", "0")], tooltips=["erster Tag", ""], warn=[{2}, set()])
    assert model.rowCount() == 2
    assert model.index(0, 1).data() == "5"
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "erster Tag"
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is not None  # warned: coloured
    assert model.index(1, 2).data(Qt.ItemDataRole.ForegroundRole) is None
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == right
    # A table has no children.
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0

    with qtbot.waitSignal(model.modelReset, timeout=0):
        model.set_rows([])
    assert model.rowCount() == 0
    assert not model.index(0, 0).isValid()


def test_figures_model_headers_that_change_their_number_reset_the_model(qtmodeltester, qtbot) -> None:
    model = FiguresTableModel(["A", "B"], {1})
    model.set_rows([("x", "1")])
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(model.modelReset, timeout=0):
        model.set_headers(["A", "B", "C"])
    assert model.columnCount() == 3
    assert model.headerData(2, Qt.Orientation.Horizontal) == "C"
    assert model.index(0, 2).data() == ""  # a row shorter than the headers shows an empty cell
    with qtbot.waitSignal(model.headerDataChanged, timeout=0):
        model.set_headers(["X", "Y", "Z"])  # same number: only the headers change
    assert model.headerData(0, Qt.Orientation.Horizontal) == "X"


# ----------------------------------------------------------------------------- import wizard


def test_import_sample_model_with_data_after_a_new_mapping_and_empty(
    qtbot, qtmodeltester, db, demo_event, clock, tmp_path: Path, force_py: bool
) -> None:
    path = tmp_path / "anmeldungen.csv"
    path.write_text(CSV, encoding="utf-8")
    wizard = ImportWizard(build_desk(db, demo_event, clock))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.button(QWizard.WizardButton.NextButton).click()
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    model = page.sample_model
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == 3
    assert model.index(0, model.field_keys().index("last_name")).data() == "Müller"

    # A changed mapping resets the model: the organisation column comes and goes.
    page.set_field_column("organisation", "Dienststelle")
    column = model.field_keys().index("organisation")
    assert model.index(2, column).data() == "Landkreis Görlitz"
    assert model.headerData(column, Qt.Orientation.Horizontal).endswith("← Dienststelle")
    with qtbot.waitSignal(model.modelReset, timeout=0):
        page.set_field_column("organisation", "")
    assert "organisation" not in model.field_keys()

    with qtbot.waitSignal(model.modelReset, timeout=0):
        model.set_preview(None, page.fields)
    assert (model.rowCount(), model.columnCount()) == (0, 0)
    assert model.headerData(0, Qt.Orientation.Horizontal) is None


def test_import_sample_model_on_its_own_is_an_empty_table(qtmodeltester, force_py: bool) -> None:
    model = SampleTableModel()
    qtmodeltester.check(model, force_py=force_py)
    assert (model.rowCount(), model.columnCount()) == (0, 0)
    assert model.rowCount(QModelIndex()) == 0
