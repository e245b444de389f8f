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
    assert panel.counter.text() == "Heute da: 0 von 2"
    panel.submit_scan(people["mueller"].code)
    qtbot.waitUntil(lambda: panel.counter.text() == "Heute da: 1 von 2", timeout=3000)


def test_the_f1_list_names_the_keys_in_german(qtbot, main_window, when_modal):
    from PySide6.QtWidgets import QMessageBox

    texts: list[str] = []
    when_modal(QMessageBox, lambda box: (texts.append(box.text()), box.accept()))
    main_window.show_shortcuts()
    assert "Strg+E" in texts[0]
    assert "Umschalt" in texts[0]
    assert "Ctrl" not in texts[0]


def test_where_a_person_came_from_is_said_in_words():
    from checkin.ui.person_dialog import source_words

    assert source_words("import:anmeldungen.xlsx") == "Import aus anmeldungen.xlsx"
    assert source_words("demo") == "Demodaten"
    assert source_words("walk-in") == "vor Ort angemeldet"
