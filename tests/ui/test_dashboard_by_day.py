"""The dashboard's arrivals chart agrees with its tiles, day by event day (undo, repeat scans,
a desk working on a chosen day long after the calendar date)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QBarSeries

from checkin.ui.dashboard_panel import DashboardPanel
from tests.helpers import DAY1, DAY2, People
from tests.helpers.desk import build_desk


def _chart_total(panel: DashboardPanel) -> int:
    """The sum of the bars the chart draws (0 when it shows its "no arrivals" line)."""
    if not panel.chart_view.isVisibleTo(panel):
        return 0
    (series,) = panel.chart.series()
    assert isinstance(series, QBarSeries)
    (bars,) = series.barSets()
    return round(sum(bars.at(i) for i in range(bars.count())))


def test_the_chart_adds_up_to_the_arrived_tile_on_every_event_day(qtbot, db, demo_event, clock) -> None:
    people = People(db, demo_event).add_many(8, days=[DAY1, DAY2])
    context = build_desk(db, demo_event, clock)
    desk = context.checkin
    # Day 1 on its own date: four arrive, one is scanned twice, one is undone.
    for person in people[:4]:
        desk.scan(person.code, day=DAY1)
        clock.advance(minutes=8)
    desk.scan(people[0].code, day=DAY1)  # a repeat scan: still one arrival
    desk.undo(people[3].registration_id, day=DAY1)
    # Day 1 again, two years later: a desk working on the chosen first day (the demo run today).
    clock.now = dt.datetime(2026, 11, 29, 20, 40, tzinfo=demo_event.tz)
    desk.scan(people[4].code, day=DAY1)
    # Day 2, scanned on day 2 and on a later calendar date; one undone and scanned again.
    clock.now = dt.datetime(2024, 9, 20, 8, 50, tzinfo=clock.now.tzinfo)
    for person in people[:3]:
        desk.scan(person.code, day=DAY2)
        clock.advance(minutes=20)
    desk.undo(people[1].registration_id, day=DAY2)
    desk.scan(people[1].code, day=DAY2)
    desk.scan(people[2].code, day=DAY2)  # repeat
    clock.now = dt.datetime(2024, 9, 21, 9, 5, tzinfo=clock.now.tzinfo)
    desk.scan(people[5].code, day=DAY2)

    panel = DashboardPanel(context)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh(force=True)
    qtbot.waitUntil(lambda: panel.dashboard is not None)

    expected = {DAY1: 4, DAY2: 4}  # day 1: three of its own date and one later; day 2: three and one later
    for date, arrived in expected.items():
        panel.set_selected_date(date)
        assert panel.arrived_tile.value_label.text() == str(arrived)
        assert sum(slot.count for slot in panel.dashboard.arrivals_on(date)) == arrived
        assert _chart_total(panel) == arrived
        assert panel.day_combo.currentText() in panel.chart_title.text()
    # The later check-in for day 1 is drawn at its clock time (20:30) on day 1's chart.
    slots = panel.dashboard.arrivals_on(DAY1)
    assert {s.start.date() for s in slots} == {DAY1}
    assert [(s.start.strftime("%H:%M"), s.count) for s in slots if s.count] == [
        ("09:00", 2),
        ("09:15", 1),
        ("20:30", 1),
    ]
