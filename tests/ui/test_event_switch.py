"""Another event from the window's File menu: a new one, one from a file, one of the database; remembered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from checkin.app import build_desk, build_parser
from checkin.domain.event_writer import CategoryDraft, EventDraft, SessionDraft, write_event_file
from checkin.domain.events import EventService
from checkin.ui import event_switch
from checkin.ui.event_dialog import NewEventDialog, layout_keys
from checkin.ui.event_switch import EventChooserDialog
from checkin.ui.settings import SettingsStore

DEMO = "tag-der-kommunalen-jobcenter-2024"


@pytest.fixture
def started(qtbot, tmp_path: Path):
    desks = []

    def start():
        args = build_parser().parse_args(
            ["--db", str(tmp_path / "desk.db"), "--settings", str(tmp_path / "desk.ini")]
        )
        desk = build_desk(QApplication.instance(), args)
        desks.append(desk)
        return desk

    yield start
    for desk in desks:
        desk.window.language.remove()
        desk.window.close()
        desk.window.context.tasks.wait_until_idle()
        desk.db.dispose()


def _when_modal(qtbot, act: Callable[[QApplication], None]) -> None:
    """Run ``act`` on the dialog the next menu entry opens (it blocks in exec())."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        act(dialog)

    QTimer.singleShot(0, run)


def _second_event(path: Path, name: str = "Fachtag Nord") -> Path:
    day = dt.date(2025, 5, 6)
    write_event_file(
        path,
        EventDraft(
            name=name,
            days=(day,),
            sessions=(SessionDraft("Werkstatt", day, dt.time(10), dt.time(12), "Raum 1", 20, "workshop"),),
            categories=(CategoryDraft("Gast", "#1b7f3b", "GAST"),),
        ),
        layout_keys=layout_keys(),
    )
    return path


def test_a_new_event_typed_into_the_dialog_becomes_the_desks_event(qtbot, started, tmp_path):
    desk = started()
    old = desk.window
    assert old.context.event.slug == DEMO

    def fill(dialog: NewEventDialog) -> None:
        assert isinstance(dialog, NewEventDialog)
        # Typed at a person's pace: a burst ending in Enter would be taken for a scanner's scan.
        qtbot.keyClicks(dialog.name, "Fachtag Sued", delay=60)
        qtbot.keyClick(dialog.name, Qt.Key.Key_Tab, delay=60)
        qtbot.keyClicks(dialog.venue, "Rathaus", delay=60)
        qtbot.keyClick(dialog.venue, Qt.Key.Key_Return, delay=60)

    _when_modal(qtbot, fill)
    old.act_new_event.trigger()

    window = desk.window
    assert window is not old
    assert window.context.event.slug == "fachtag-sued"
    assert window.event_label.text() == "Fachtag Sued"
    assert window.windowTitle() == "checkin – Fachtag Sued"
    assert window.context.checkin.event.slug == "fachtag-sued"
    assert window.context.search.search("mueller") == []  # the demo's people stay with the demo
    assert (tmp_path / "fachtag-sued.toml").is_file()  # beside the database
    assert SettingsStore(tmp_path / "desk.ini").load().event_slug == "fachtag-sued"
    qtbot.waitUntil(lambda: not old.isVisible())


def test_switching_between_the_demo_and_a_second_event_in_one_database(qtbot, started, tmp_path):
    desk = started()
    path = _second_event(tmp_path / "nord.toml")
    monkey_path = {"path": path}
    original = event_switch.ask_event_file
    event_switch.ask_event_file = lambda _parent: monkey_path["path"]
    try:
        desk.window.act_open_event.trigger()
    finally:
        event_switch.ask_event_file = original
    assert desk.window.context.event.slug == "fachtag-nord"
    assert [s.key for s in desk.window.context.event.sessions] == ["werkstatt"]
    assert desk.window.door_panel is not None

    def choose_demo(dialog: EventChooserDialog) -> None:
        assert isinstance(dialog, EventChooserDialog)
        assert dialog.chosen_slug() == "fachtag-nord"  # the current one is selected
        texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert texts[0] == "Fachtag Nord  ·  0 Anmeldungen"
        assert texts[1].startswith("Tag der kommunalen Jobcenter 2024")
        qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    _when_modal(qtbot, choose_demo)
    desk.window.act_switch_event.trigger()
    assert desk.window.context.event.slug == DEMO
    assert desk.window.context.search.search("mueller")  # the demo's people again
    assert SettingsStore(tmp_path / "desk.ini").load().event_slug == DEMO

    # The next start opens the event chosen last.
    desk.window.close()
    desk.window.context.tasks.wait_until_idle()
    desk.db.dispose()
    again = started()
    assert again.window.context.event.slug == DEMO


def test_an_event_file_of_an_event_already_there_asks_before_it_updates(
    qtbot, started, tmp_path, monkeypatch
):
    desk = started()
    path = _second_event(tmp_path / "nord.toml")
    event_switch.open_event_file(desk.window, path)
    assert desk.window.context.event.slug == "fachtag-nord"
    newer = _second_event(tmp_path / "nord-2.toml")
    text = newer.read_text(encoding="utf-8").replace('title = "Werkstatt"', 'title = "Werkstatt Nord"')
    newer.write_text(text, encoding="utf-8")

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    event_switch.open_event_file(desk.window, newer)
    assert desk.window.context.event.session_by_key("werkstatt").title == "Werkstatt"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    event_switch.open_event_file(desk.window, newer)
    assert desk.window.context.event.session_by_key("werkstatt").title == "Werkstatt Nord"
    assert len(EventService(desk.db).list_events()) == 2


def test_a_broken_event_file_is_answered_in_words_and_nothing_changes(qtbot, started, tmp_path, monkeypatch):
    desk = started()
    window = desk.window
    broken = tmp_path / "kaputt.toml"
    broken.write_text('[event]\nname = "X"\n', encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    event_switch.open_event_file(window, broken)
    assert shown == ["Die Veranstaltungsdatei braucht mindestens einen Eintrag [[days]]."]
    assert desk.window is window
    assert [slug for slug, _name, _count in EventService(desk.db).list_events()] == [DEMO]


def test_an_event_gone_from_the_database_is_answered_in_words(qtbot, started, monkeypatch):
    desk = started()
    window = desk.window
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    window.event_chosen.emit("gibt-es-nicht")
    assert shown == ["In dieser Datenbank gibt es keine Veranstaltung »gibt-es-nicht«."]
    assert desk.window is window
    assert window.context.event.slug == DEMO
