"""A workshop door keeps seats for the people who booked; it never checks in without a session."""

from __future__ import annotations

import datetime as dt

from checkin.domain.verdicts import VerdictKind
from tests.helpers import DAY1, People


def test_walk_ups_cannot_take_the_seats_of_booked_people_still_expected(
    qtbot, main_window, desk_context, db, demo_event, clock
):
    capacity = demo_event.session_by_key("zw-bass").capacity
    add = People(db, demo_event).add
    booked = [add(f"Gebucht{i}", "Bass", workshops=("zw-bass",), days=()) for i in range(3)]
    walk_ups = [add(f"Spontan{i}", "Gast", days=()) for i in range(capacity - 2)]
    desk_context.settings.seat_hold_minutes = 10
    desk_context.checkin.seat_hold_minutes = 10
    for person in walk_ups[: capacity - 3]:
        assert desk_context.checkin.scan(person.code, day=DAY1, session_key="zw-bass").admitted
    main_window.show_door()
    door = main_window.door_panel
    door.select_session("zw-bass")
    assert door.gauge_text.text() == "3 angemeldet · 3 Plätze frei für Gebuchte, 0 für andere"

    refused = door.submit_scan(walk_ups[-1].code)  # 57 inside, 3 seats kept
    assert refused.kind is VerdictKind.SESSION_FULL
    for person in booked:  # the people who booked still get in
        assert door.submit_scan(person.code).kind is VerdictKind.CHECKED_IN
    assert door.shown_gauge.attended == capacity


def test_after_the_hold_time_the_kept_seats_are_everyones(
    qtbot, main_window, desk_context, db, demo_event, clock
):
    capacity = demo_event.session_by_key("zw-bass").capacity
    add = People(db, demo_event).add
    add("Gebucht", "Bass", workshops=("zw-bass",), days=())
    walk_ups = [add(f"Spontan{i}", "Gast", days=()) for i in range(capacity)]
    desk_context.checkin.seat_hold_minutes = 10
    for person in walk_ups[: capacity - 1]:
        desk_context.checkin.scan(person.code, day=DAY1, session_key="zw-bass")
    clock.now = dt.datetime.combine(DAY1, dt.time(14, 11), tzinfo=clock.now.tzinfo)
    main_window.show_door()
    door = main_window.door_panel
    door.select_session("zw-bass")
    assert door.submit_scan(walk_ups[-1].code).admitted
