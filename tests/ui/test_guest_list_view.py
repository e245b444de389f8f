"""The guest list (F7), used as staff would: keyboard only, while the desk goes on scanning."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checkin.domain.guest_list import GuestFilter, GuestList
from checkin.ui.guest_list_view import ARRIVED, DAYS, NAME, GuestListDialog, GuestTableModel
from checkin.ui.person_dialog import PersonDialog
from tests.helpers import People
from tests.ui.conftest import OFFSCREEN_NOISE

# The type-ahead's popup asks for the keyboard, which the offscreen platform cannot give (with the
# offscreen noise tests/ui/conftest.py ignores: only the closest marker counts).
POPUP_NOISE = pytest.mark.qt_log_ignore(
    *OFFSCREEN_NOISE, "This plugin does not support grabbing the keyboard"
)


@pytest.fixture
def diakonie(db, demo_event, people):
    """Two more people from the Diakonie (Petra Weber of the Diakonie Hessen is cancelled)."""
    add = People(db, demo_event).add
    return {
        "adler": add("Ingrid", "Adler", organisation="Diakonie Hessen", days=()),
        "zorn": add("Paul", "Zorn", organisation="Diakonie Kassel", days=(), category="speaker"),
    }


def _shown(dialog: GuestListDialog) -> list[str]:
    model = dialog.model
    return [model.index(row, NAME).data() for row in range(model.rowCount())]


def _guarded(act):
    """``act(dialog)``, and the dialog closed whatever happens (a failed step must not leave it open)."""

    def run(dialog) -> None:
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    return run


def _key(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the focus is now (as a keyboard would send it)."""
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


@POPUP_NOISE
def test_not_yet_here_from_one_organisation_then_enter_opens_the_person(
    qtbot, main_window, when_modal, people, diakonie
):
    main_window.checkin_panel.submit_scan(diakonie["adler"].code)
    seen: dict[str, object] = {}

    def in_person_dialog(person_dialog: PersonDialog) -> None:
        seen["person"] = person_dialog.first_edit.text() + " " + person_dialog.last_edit.text()
        person_dialog.reject()

    def in_guest_list(dialog: GuestListDialog) -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text_edit)
        seen["all"] = (_shown(dialog), dialog.count_label.text())
        # Alt+A ("&Anzeigen"): the "show" choice; ↓ picks "Noch nicht da".
        _key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is dialog.presence_combo
        _key(qtbot, Qt.Key.Key_Down)
        assert dialog.presence_combo.currentText() == "Noch nicht da"
        # Alt+O: the organisation, typed.
        _key(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is dialog.organisation_edit
        qtbot.keyClicks(dialog.organisation_edit, "diakonie")
        seen["filtered"] = (_shown(dialog), dialog.count_label.text())
        popup = dialog.organisation_edit.completer().popup()
        if popup.isVisible():  # the type-ahead's suggestions: Esc puts them away
            qtbot.keyClick(popup, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        _key(qtbot, Qt.Key.Key_Down)  # into the list
        assert QApplication.focusWidget() is dialog.table
        when_modal(PersonDialog, _guarded(in_person_dialog))
        _key(qtbot, Qt.Key.Key_Return)
        assert dialog.focusWidget() is dialog.table  # back in the list
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)

    when_modal(GuestListDialog, _guarded(in_guest_list))
    qtbot.keyClick(main_window.checkin_panel.scan_field, Qt.Key.Key_F7)

    names, count = seen["all"]
    assert names == [
        "Adler, Ingrid",
        "Müller, Dr. Jürgen",
        "Schmidt, Anna",
        "Weber, Petra",
        "Yilmaz, Omar",
        "Zorn, Paul",
    ]
    assert count == "6 von 6"
    # Not here yet, from a Diakonie: Adler has arrived, Weber is cancelled.
    assert seen["filtered"] == (["Zorn, Paul"], "1 von 6")
    assert seen["person"] == "Paul Zorn"
    assert main_window.focusWidget() is main_window.checkin_panel.scan_field


def test_the_list_follows_the_scans_and_ctrl_f_finds_by_name(
    qtbot, main_window, when_modal, people, diakonie
):
    seen: dict[str, object] = {}

    def in_guest_list(dialog: GuestListDialog) -> None:
        dialog.presence_combo.setCurrentIndex(1)  # "Noch nicht da"
        seen["before"] = _shown(dialog)
        # A scan at the desk while the list is open (the scanner types into the dialog).
        main_window.handle_scanned_in_dialog(people["mueller"].code, dialog)
        seen["after scan"] = (_shown(dialog), dialog.count_label.text())
        dialog.presence_combo.setCurrentIndex(2)  # "Da"
        row = dialog.model.row_of(people["mueller"].registration_id)
        seen["arrived"] = dialog.model.index(row, ARRIVED).data()
        dialog.presence_combo.setCurrentIndex(0)
        qtbot.keyClick(dialog.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert dialog.focusWidget() is dialog.text_edit
        qtbot.keyClicks(dialog.text_edit, "zorn")
        seen["found"] = (_shown(dialog), dialog.count_label.text())
        dialog.reject()

    when_modal(GuestListDialog, _guarded(in_guest_list))
    main_window.act_guest_list.trigger()

    assert "Müller, Dr. Jürgen" in seen["before"]
    names, count = seen["after scan"]
    assert "Müller, Dr. Jürgen" not in names
    assert count == f"{len(names)} von 6"
    assert seen["arrived"] == "09:00"  # the desk's clock
    assert seen["found"] == (["Zorn, Paul"], "1 von 6")


def test_the_menu_and_the_f1_help_name_the_guest_list(qtbot, main_window, when_modal):
    from PySide6.QtWidgets import QMessageBox

    assert main_window.act_guest_list in main_window.menu_view.actions()
    assert main_window.act_guest_list.text() == "&Gästeliste …"
    texts: list[str] = []
    when_modal(QMessageBox, lambda box: (texts.append(box.text()), box.accept()))
    main_window.show_shortcuts()
    assert "Gästeliste" in texts[0]
    assert "F7" in texts[0]


def test_the_table_model_passes_the_model_tester(qtbot, qtmodeltester, db, demo_event, people, diakonie):
    guests = GuestList(db, demo_event, demo_event.days[0].id)
    model = GuestTableModel(guests, demo_event.tz)
    qtmodeltester.check(model, force_py=True)
    model.set_rows(guests.filter(GuestFilter()))
    assert model.rowCount() == 6
    model.set_rows(guests.filter(GuestFilter(organisation="diakonie")))
    assert model.rowCount() == 3
    model.set_rows([])
    assert model.rowCount() == 0
    model.set_rows(guests.filter(GuestFilter()))
    cancelled = model.row_of(people["weber"].registration_id)
    assert model.index(cancelled, ARRIVED).data() == "storniert"
    day2_only = model.row_of(people["day2"].registration_id)
    assert model.index(day2_only, ARRIVED).data() == "nicht heute"
    assert model.index(model.row_of(people["mueller"].registration_id), DAYS).data() == "alle Tage"


def test_the_filters_narrow_the_table(qtbot, desk_context, people, diakonie, clock):
    dialog = GuestListDialog(desk_context, clock().date(), open_person=lambda _rid: None)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 6
    dialog.text_edit.setText("diakonie")
    assert _shown(dialog) == ["Adler, Ingrid", "Weber, Petra", "Zorn, Paul"]
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findText("Referent/in"))
    assert _shown(dialog) == ["Zorn, Paul"]
    dialog.text_edit.setText("nobody")
    assert dialog.count_label.text() == "0 von 6"
    dialog.text_edit.clear()
    dialog.category_combo.setCurrentIndex(0)
    dialog.session_combo.setCurrentIndex(
        dialog.session_combo.findData(desk_context.event.session_by_key("zw-digitalisierung").id)
    )
    assert _shown(dialog) == ["Schmidt, Anna"]
    dialog.reject()


class _LateAnswers:
    """A task runner whose work runs at once but whose answers arrive only when the test says so
    (a worker's snapshot taken before a change, delivered after it)."""

    def __init__(self) -> None:
        self.waiting: list = []

    def run(self, fn, *, on_done, on_error=None, title=None, parent=None, quiet=False):
        result = fn(None)
        self.waiting.append(lambda: on_done(result))

    def deliver(self) -> None:
        waiting, self.waiting = self.waiting, []
        for answer in waiting:
            answer()


def test_a_check_in_during_a_reload_is_not_lost(qtbot, db, demo_event, clock, people, diakonie):
    from tests.helpers.desk import build_desk

    tasks = _LateAnswers()
    context = build_desk(db, demo_event, clock, tasks=tasks)
    dialog = GuestListDialog(context, clock().date(), open_person=lambda _rid: None)
    qtbot.addWidget(dialog)
    assert dialog.count_label.text() == "Liste wird gelesen …"
    verdict = context.checkin.scan(diakonie["adler"].code, day=clock().date())
    context.changes.publish(verdict.changes)  # while the first read is under way
    tasks.deliver()  # the read from before the check-in
    tasks.deliver()  # the read asked for again
    dialog.presence_combo.setCurrentIndex(2)  # already here
    assert _shown(dialog) == ["Adler, Ingrid"]
    dialog.reject()
