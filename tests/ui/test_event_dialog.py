"""The "new event" dialog as a person uses it: keyboard only, Enter creates, problems shown at the field."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checkin.domain.events import EventService
from checkin.ui.event_dialog import NewEventDialog, layout_keys

TODAY = dt.date(2025, 3, 3)


@pytest.fixture
def dialog(qtbot, db, tmp_path):
    dialog = NewEventDialog(db, today=TODAY, folder=tmp_path, layout_keys=layout_keys())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def _type(qtbot, text: str) -> None:
    """ASCII into the widget that has the focus (pytest-qt aborts on other characters)."""
    qtbot.keyClicks(QApplication.focusWidget(), text)


def _tab(qtbot, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_a_two_day_event_with_a_workshop_typed_and_created_with_enter(qtbot, dialog, db, tmp_path):
    assert QApplication.focusWidget() is dialog.name
    _type(qtbot, "Fachtag Inklusion 2025")
    _tab(qtbot)
    _type(qtbot, "Haus der Kirche")
    _tab(qtbot)
    _type(qtbot, "Seestr. 1, 80331 Muenchen")
    _tab(qtbot)
    assert QApplication.focusWidget() is dialog.first_day
    _type(qtbot, "18.09.2025")
    _tab(qtbot)
    assert QApplication.focusWidget() is dialog.day_count
    _type(qtbot, "2")
    assert dialog.days() == (dt.date(2025, 9, 18), dt.date(2025, 9, 19))
    assert dialog.file.text() == str(tmp_path / "fachtag-inklusion-2025.toml")

    _tab(qtbot, 3)  # past the file and its "Wählen …" to "Programmpunkt hinzufügen"
    assert QApplication.focusWidget() is dialog.add_session_button
    qtbot.keyClick(dialog.add_session_button, Qt.Key.Key_Space)
    first = dialog.session_rows[0]
    assert QApplication.focusWidget() is first.title
    _type(qtbot, "Eroeffnung")
    _tab(qtbot, 6)  # day, start and end (hours, minutes): the defaults, first day 09:00-10:00
    assert QApplication.focusWidget() is first.room
    _type(qtbot, "Saal")
    _tab(qtbot, 4)  # capacity, kind, remove, then "Programmpunkt hinzufügen"
    assert QApplication.focusWidget() is dialog.add_session_button
    qtbot.keyClick(dialog.add_session_button, Qt.Key.Key_Space)
    second = dialog.session_rows[1]
    _type(qtbot, "Werkstatt Barrierefreiheit")
    _tab(qtbot)
    qtbot.keyClick(second.day, Qt.Key.Key_Down)  # the second day
    _tab(qtbot, 5)
    _type(qtbot, "Raum 2")
    _tab(qtbot)
    _type(qtbot, "25")
    _tab(qtbot)
    qtbot.keyClick(second.kind, Qt.Key.Key_Down)  # workshop
    assert second.draft().start == dt.time(10)  # follows the first session
    qtbot.keyClick(second.kind, Qt.Key.Key_Return)

    assert dialog.result() == NewEventDialog.DialogCode.Accepted
    path = tmp_path / "fachtag-inklusion-2025.toml"
    assert dialog.path == path
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["event"]["name"] == "Fachtag Inklusion 2025"
    event = EventService(db).get("fachtag-inklusion-2025")
    assert dialog.created == event
    assert (event.venue, event.address) == ("Haus der Kirche", "Seestr. 1, 80331 Muenchen")
    assert [d.date for d in event.days] == [dt.date(2025, 9, 18), dt.date(2025, 9, 19)]
    assert [(s.title, s.kind, s.room, s.capacity) for s in event.sessions] == [
        ("Eroeffnung", "plenary", "Saal", None),
        ("Werkstatt Barrierefreiheit", "workshop", "Raum 2", 25),
    ]
    workshop = event.session_by_key("werkstatt-barrierefreiheit")
    assert workshop is not None
    assert event.day_by_id(workshop.day_id).date == dt.date(2025, 9, 19)
    assert [(c.name, c.badge_label, c.is_default) for c in event.categories] == [
        ("Teilnehmer/in", "TEILNEHMER/IN", True),
        ("Referent/in", "REFERENT/IN", False),
        ("Presse", "PRESSE", False),
    ]


def test_problems_are_shown_in_words_at_their_fields(qtbot, dialog, db):
    dialog.add_session_button.click()
    row = dialog.session_rows[0]
    row.start.setTime(row.start.time().fromString("14:00", "HH:mm"))
    row.end.setTime(row.end.time().fromString("13:00", "HH:mm"))
    dialog.category_rows[1].colour.setText("rot")
    dialog.name.setFocus()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.result() != NewEventDialog.DialogCode.Accepted
    assert dialog.field_errors["name"].isVisible()
    assert dialog.field_errors["name"].text() == "Die Veranstaltung braucht einen Namen."
    assert (
        row.error.text()
        == "Der Programmpunkt braucht einen Titel.\nDer Programmpunkt muss nach seinem Beginn enden."
    )
    assert dialog.category_rows[1].error.text() == "Eine Farbe wie #1f5fa8."
    assert QApplication.focusWidget() is dialog.name  # the first field with a problem
    assert EventService(db).list_events() == []

    _type(qtbot, "Fachtag")  # mended: the problems go with the next try
    row.title.setText("Plenum")
    row.end.setTime(row.end.time().fromString("15:00", "HH:mm"))
    dialog.category_rows[1].colour.setText("#aa0000")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.result() == NewEventDialog.DialogCode.Accepted
    assert [slug for slug, _name, _count in EventService(db).list_events()] == ["fachtag"]


def test_an_event_of_the_same_name_and_an_existing_file_are_refused(qtbot, dialog, db, demo_event, tmp_path):
    dialog.name.setText(demo_event.name)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert demo_event.slug in dialog.field_errors["name"].text()

    dialog.name.setText("Neu")
    (tmp_path / "neu.toml").write_text("# schon da\n", encoding="utf-8")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert (
        dialog.field_errors["file"].text() == "Diese Datei gibt es schon: Bitte einen anderen Namen wählen."
    )
    assert QApplication.focusWidget() is dialog.file
    assert (tmp_path / "neu.toml").read_text(encoding="utf-8") == "# schon da\n"


def test_removing_rows_by_keyboard_and_fewer_days_move_sessions(qtbot, dialog):
    dialog.day_count.setValue(3)
    row = dialog.add_session()
    row.day.setCurrentIndex(2)
    dialog.day_count.setValue(2)  # the third day goes: the session falls back to the first
    assert row.day.count() == 2
    assert row.draft().day == TODAY
    press = dialog.category_rows[2]
    press.remove.setFocus()
    qtbot.keyClick(press.remove, Qt.Key.Key_Space)
    assert [r.name.text() for r in dialog.category_rows] == ["Teilnehmer/in", "Referent/in"]
    assert QApplication.focusWidget() is dialog.category_rows[1].remove


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)])
def test_the_dialog_fits_the_screen_and_scrolls(qtbot, dialog, size):
    for _ in range(6):
        dialog.add_session()
    dialog.resize(min(dialog.width(), size[0] - 40), size[1] - 60)
    assert dialog.minimumSizeHint().width() <= size[0] - 40
    assert dialog.minimumSizeHint().height() <= size[1] - 60
    assert dialog.height() <= size[1] - 60
    dialog.session_rows[-2].remove.setFocus()
    qtbot.keyClick(dialog.session_rows[-2].remove, Qt.Key.Key_Tab)  # on to the last row, scrolled into view
    last = dialog.session_rows[-1]
    assert QApplication.focusWidget() is last.title
    assert not last.title.visibleRegion().isEmpty()


def test_a_problem_further_down_is_scrolled_into_view(qtbot, dialog):
    dialog.resize(1000, 540)
    for number in range(8):
        dialog.add_session().title.setText(f"Punkt {number}")
    dialog.session_rows[-1].title.clear()
    dialog.name.setText("Fachtag")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    last = dialog.session_rows[-1]
    assert QApplication.focusWidget() is last.title
    assert last.error.text() == "Der Programmpunkt braucht einen Titel."
    qtbot.waitUntil(lambda: not last.title.visibleRegion().isEmpty())
    assert dialog.scroll_area.verticalScrollBar().value() > 0
