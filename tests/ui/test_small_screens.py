"""The desk on a 1024×600 netbook: the window fits, and the verdict's lines never overlap."""

from __future__ import annotations

import itertools

from PySide6.QtWidgets import QLabel

from checkin.ui.dashboard_panel import DashboardPanel


def _overlaps(view) -> list[tuple[str, str]]:
    """Pairs of shown lines of the verdict view drawn over each other (or past its bottom)."""
    labels = sorted(
        (label for label in view.body.findChildren(QLabel) if label.isVisibleTo(view)),
        key=lambda label: label.geometry().top(),
    )
    found = []
    for upper, lower in itertools.pairwise(labels):
        if upper.geometry().bottom() > lower.geometry().top():
            found.append((upper.text(), lower.text()))
    if labels and labels[-1].mapTo(view, labels[-1].rect().bottomLeft()).y() > view.height():
        found.append((labels[-1].text(), "bottom"))
    return found


def test_the_window_fits_a_netbook_screen(main_window):
    assert main_window.minimumHeight() <= 560
    assert main_window.minimumWidth() <= 1024


def test_a_long_verdict_on_a_netbook_gives_up_lines_instead_of_overlapping(qtbot, main_window, people):
    main_window.resize(1024, 560)
    main_window.show_door()
    door = main_window.door_panel
    door.select_session("zw-digitalisierung")
    door.submit_scan(people["schmidt"].code)
    view = door.verdict_view
    qtbot.wait(20)
    assert view.name_label.isVisibleTo(view)
    assert view.organisation_label.isVisibleTo(view)
    assert _overlaps(view) == []
    assert not view.workshops_label.isVisibleTo(view)  # given up for the room

    main_window.resize(1600, 1000)
    qtbot.waitUntil(lambda: view.workshops_label.isVisibleTo(view))  # back on a large screen
    assert not view.fit.compact
    assert _overlaps(view) == []


def test_a_refusal_with_its_next_step_fits_the_desk_on_a_netbook(qtbot, main_window, people):
    main_window.resize(1024, 560)
    panel = main_window.checkin_panel
    panel.submit_scan(people["weber"].code)  # cancelled: refused, with the next step
    qtbot.wait(20)
    assert panel.refusal_help.isVisibleTo(panel)
    assert _overlaps(panel.verdict_view) == []
    buttons = (panel.undo_button, panel.print_button, panel.person_button, panel.walk_in_button)
    for button in buttons:
        bottom = button.mapTo(main_window, button.rect().bottomLeft()).y()
        assert bottom <= main_window.height()


def test_the_dashboard_scrolls_on_a_netbook_and_shows_every_day_column(qtbot, desk_context, people):
    desk_context.checkin.scan(people["mueller"].code, day=desk_context.event.days[0].date)
    panel = DashboardPanel(desk_context)
    qtbot.addWidget(panel)
    panel.resize(1024, 400)
    panel.show()
    panel.refresh(force=True)
    qtbot.waitUntil(lambda: panel.dashboard is not None)
    assert panel.chart_view.isVisibleTo(panel)
    assert panel.chart_view.height() >= 200  # the page scrolls instead of squeezing the chart
    view = panel.days_view
    assert view.width() >= view.horizontalHeader().length()  # no column cut off
