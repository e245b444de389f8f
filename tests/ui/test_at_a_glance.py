"""What staff see at a glance: a person's attention note at the scan, today's arrivals."""

from __future__ import annotations

from tests.helpers import People


def test_a_note_is_shown_big_at_the_scan_and_goes_with_the_next_person(
    qtbot, main_window, db, demo_event, people
):
    vip = People(db, demo_event).add("Erika", "Wichtig", notes="VIP — bitte Frau X rufen", days=())
    panel = main_window.checkin_panel
    panel.submit_scan(vip.code)
    assert panel.attention.isVisible()
    assert panel.attention.text() == "⚑ Hinweis: VIP — bitte Frau X rufen"
    panel.submit_scan(people["schmidt"].code)
    assert not panel.attention.isVisible()


def test_the_desk_counts_arrivals_of_the_working_day(qtbot, main_window, people):
    panel = main_window.checkin_panel
    assert panel.counter.text() == "Heute angekommen: 0 von 2 erwartet"
    panel.submit_scan(people["mueller"].code)
    qtbot.waitUntil(lambda: panel.counter.text() == "Heute angekommen: 1 von 2 erwartet", timeout=3000)
