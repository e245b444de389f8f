"""Switching the event with a supervisor PIN set: asked, a wrong PIN refuses, the right one is audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from checkin.domain.event_writer import CategoryDraft, EventDraft, SessionDraft, write_event_file
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.domain.supervisor import LOCK_SECONDS, MAX_TRIES, hash_pin, uses
from checkin.ui import event_switch
from checkin.ui.event_dialog import NewEventDialog, layout_keys
from checkin.ui.event_switch import EventChooserDialog
from checkin.ui.supervisor_dialog import PinDialog
from tests.helpers.keys import press

PIN = "4711"
WHY = "Für den Wechsel zu einer anderen Veranstaltung ist die Supervisor-PIN nötig."


def _nord(path: Path) -> Path:
    day = dt.date(2025, 5, 6)
    write_event_file(
        path,
        EventDraft(
            name="Fachtag Nord",
            days=(day,),
            sessions=(SessionDraft("Werkstatt", day, dt.time(10), dt.time(12), "Raum 1", 20, "workshop"),),
            categories=(CategoryDraft("Gast", "#1b7f3b", "GAST"),),
        ),
        layout_keys=layout_keys(),
    )
    return path


@pytest.fixture
def switched(main_window) -> list[str]:
    """The slugs the window was told to switch to."""
    seen: list[str] = []
    main_window.event_chosen.connect(seen.append)
    return seen


def _pin_typist(qtbot, pins: list[str], seen: list[str], *, cancel_after: bool = False):
    """Types each PIN into the PIN dialog like a person (Enter after each); notes what the dialog says."""

    def act(dialog: PinDialog) -> None:
        seen.append(dialog.why_label.text())
        for pin in pins:
            dialog.pin_edit.setFocus()
            qtbot.keyClicks(dialog.pin_edit, pin)
            press(dialog.pin_edit, Qt.Key.Key_Return)
            if dialog.isVisible():
                seen.append(dialog.error_label.text())
        if cancel_after and dialog.isVisible():
            dialog.reject()

    return act


def _choose(slug: str):
    def act(dialog: EventChooserDialog) -> None:
        for row in range(dialog.list.count()):
            if dialog.list.item(row).data(Qt.ItemDataRole.UserRole) == slug:
                dialog.list.setCurrentRow(row)
        dialog.accept()

    return act


def _second_event_in_db(desk_context, tmp_path: Path) -> str:
    return EventService(desk_context.db).load_definition(load_event_file(_nord(tmp_path / "nord.toml"))).slug


def test_without_a_pin_the_switch_goes_ahead_unasked(
    qtbot, when_modal, main_window, desk_context, switched, tmp_path
):
    slug = _second_event_in_db(desk_context, tmp_path)
    asked: list[str] = []
    when_modal(PinDialog, lambda d: (asked.append("pin"), d.reject()))
    when_modal(EventChooserDialog, _choose(slug))
    main_window.act_switch_event.trigger()
    assert switched == ["fachtag-nord"]
    assert asked == []
    assert uses(desk_context.db, desk_context.event.id) == []


def test_a_wrong_pin_refuses_the_switch(qtbot, when_modal, main_window, desk_context, switched, tmp_path):
    desk_context.settings.supervisor_pin = hash_pin(PIN)
    slug = _second_event_in_db(desk_context, tmp_path)
    seen: list[str] = []
    when_modal(EventChooserDialog, _choose(slug))
    when_modal(PinDialog, _pin_typist(qtbot, ["1234"], seen, cancel_after=True))
    main_window.act_switch_event.trigger()
    assert seen == [WHY, "Falsche PIN."]
    assert switched == []
    assert uses(desk_context.db, desk_context.event.id) == []


def test_the_right_pin_switches_and_the_audit_row_names_desk_time_and_event(
    qtbot, when_modal, main_window, desk_context, switched, clock, tmp_path
):
    desk_context.settings.supervisor_pin = hash_pin(PIN)
    slug = _second_event_in_db(desk_context, tmp_path)
    seen: list[str] = []
    when_modal(EventChooserDialog, _choose(slug))
    when_modal(PinDialog, _pin_typist(qtbot, ["0000", PIN], seen))
    main_window.act_switch_event.trigger()
    assert seen == [WHY, "Falsche PIN."]
    assert switched == ["fachtag-nord"]
    assert uses(desk_context.db, desk_context.event.id) == [
        (clock(), "Theke 1", {"step": "switch_event", "to": "fachtag-nord"})
    ]


def test_an_event_file_is_not_even_loaded_without_the_pin(
    qtbot, when_modal, main_window, desk_context, switched, clock, tmp_path
):
    desk_context.settings.supervisor_pin = hash_pin(PIN)
    path = _nord(tmp_path / "nord.toml")
    seen: list[str] = []
    when_modal(PinDialog, _pin_typist(qtbot, ["9999"], seen, cancel_after=True))
    event_switch.open_event_file(main_window, path)
    assert seen == [WHY, "Falsche PIN."]
    assert switched == []
    assert [slug for slug, _n, _c in EventService(desk_context.db).list_events()] == [desk_context.event.slug]

    when_modal(PinDialog, _pin_typist(qtbot, [PIN], seen))
    event_switch.open_event_file(main_window, path)
    assert switched == ["fachtag-nord"]
    assert len(EventService(desk_context.db).list_events()) == 2
    assert uses(desk_context.db, desk_context.event.id) == [
        (clock(), "Theke 1", {"step": "switch_event", "to": "fachtag-nord"})
    ]


def test_a_new_event_asks_for_the_pin_before_anything_is_typed(
    qtbot, when_modal, main_window, desk_context, switched
):
    desk_context.settings.supervisor_pin = hash_pin(PIN)
    opened: list[str] = []
    when_modal(PinDialog, lambda d: d.reject())
    when_modal(NewEventDialog, lambda d: (opened.append("new"), d.reject()))
    main_window.act_new_event.trigger()
    qtbot.wait(50)
    assert opened == []
    assert switched == []
    assert uses(desk_context.db, desk_context.event.id) == []


def test_wrong_pins_in_a_row_pause_the_pin_even_across_dialogs(
    qtbot, when_modal, main_window, desk_context, switched, tmp_path
):
    desk_context.settings.supervisor_pin = hash_pin(PIN)
    slug = _second_event_in_db(desk_context, tmp_path)
    seen: list[str] = []
    when_modal(EventChooserDialog, _choose(slug))
    when_modal(PinDialog, _pin_typist(qtbot, ["1111"] * MAX_TRIES, seen, cancel_after=True))
    main_window.act_switch_event.trigger()
    pause = f"Zu viele falsche PINs. Versuchen Sie es in {round(LOCK_SECONDS)} Sekunden wieder."
    assert seen[-1] == pause
    when_modal(EventChooserDialog, _choose(slug))
    when_modal(PinDialog, _pin_typist(qtbot, [PIN], seen, cancel_after=True))
    main_window.act_switch_event.trigger()
    assert seen[-1].startswith("Zu viele falsche PINs.")  # even the right PIN waits
    assert switched == []
    assert uses(desk_context.db, desk_context.event.id) == []
