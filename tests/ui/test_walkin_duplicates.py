"""A walk-in for someone already registered: the dialog shows the match and takes that person."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from checkin.domain.verdicts import VerdictKind
from checkin.ui.walkin_dialog import WalkInDialog
from tests.helpers import DAY1
from tests.helpers.keys import type_text


def test_typing_a_registered_name_shows_who_exists_and_whether_they_arrived(
    qtbot, main_window, people, desk_context, clock
):
    main_window.checkin_panel.submit_scan(people["mueller"].code)  # checked in at 09:00
    dialog = WalkInDialog(desk_context, DAY1, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.first_edit, "Jürgen")
    type_text(dialog.last_edit, "Müller")
    qtbot.waitUntil(dialog.duplicates.isVisible, timeout=2000)
    assert dialog.duplicates.texts() == [
        "Gibt es schon: Dr. Jürgen Müller, Jobcenter Kreis Offenbach, eingecheckt 09:00"
        " — diese Person nehmen?"
    ]


def test_an_unknown_name_shows_no_hint(qtbot, desk_context, people):
    dialog = WalkInDialog(desk_context, DAY1)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.first_edit, "Xaver")
    type_text(dialog.last_edit, "Quastenflosser")
    qtbot.wait(300)
    assert dialog.duplicates.texts() == []
    assert not dialog.duplicates.isVisible()


def test_the_e_mail_finds_a_registration_too(qtbot, desk_context, db, demo_event):
    from tests.helpers import People

    People(db, demo_event).add("Lena", "Vogt", email="lena.vogt@example.org", days=())
    desk_context.search.refresh()
    dialog = WalkInDialog(desk_context, DAY1)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.email_edit, "lena.vogt@example.org")
    qtbot.waitUntil(dialog.duplicates.isVisible, timeout=2000)
    assert dialog.duplicates.texts()[0].startswith("Gibt es schon: Lena Vogt — ")


def test_taking_the_existing_person_checks_them_in_without_a_second_person(
    qtbot, main_window, people, desk_context
):
    def type_and_take() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WalkInDialog)
        type_text(dialog.first_edit, "Anna")
        type_text(dialog.last_edit, "Schmidt")
        qtbot.waitUntil(dialog.duplicates.isVisible, timeout=2000)
        (take,) = [b for b in dialog.duplicates.findChildren(type(dialog.ok_button), "takePerson")]
        qtbot.mouseClick(take, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, type_and_take)
    qtbot.keyClick(main_window.checkin_panel.scan_field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    verdict = main_window.checkin_panel.verdict_view.verdict
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.person.registration_id == people["schmidt"].registration_id
    assert [hit.person.last_name for hit in desk_context.search.search("Anna Schmidt")] == ["Schmidt"]
