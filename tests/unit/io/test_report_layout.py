"""The report's layout, read from the PDF: time labels of the arrival chart never overlap;
programme items in programme order (day, start time, event file), not by internal key."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

from export_scenario import build_scenario
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from checkin.domain.db import Database
from checkin.i18n import _
from checkin.io.pdf_common import fonts
from checkin.io.report_pdf import label_step
from checkin.io.report_pdf import write_report_pdf as write_report
from tests.helpers import NewPerson, People, record_checkin

BERLIN = dt.timezone(dt.timedelta(hours=2))
TIME = re.compile(r"^\d\d:\d\d$")


def _time_labels(path: Path) -> dict[float, list[tuple[float, str]]]:
    """Every hh:mm text on the pages, grouped by (page, baseline): x positions."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for number, page in enumerate(PdfReader(path).pages):

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float, n: int = number
        ) -> None:
            if TIME.match(text.strip()):
                x = tm[4] * cm[0] + cm[4]
                y = tm[5] * cm[3] + cm[5]
                rows.setdefault(n * 10_000 + round(y, 1), []).append((x, text.strip()))

        page.extract_text(visitor_text=visit)
    return rows


def test_arrival_time_labels_never_overlap(db: Database, demo_event, tmp_path: Path):
    # Arrivals every 15 minutes from 06:00 to 17:30: 47 slots, where a label every other slot
    # (the old rule) ran into its neighbour.
    people = People(db, demo_event).add_all(NewPerson("Früh", f"Person{n:02d}") for n in range(47))
    day = demo_event.days[0].date
    for index, person in enumerate(people):
        moment = dt.datetime.combine(day, dt.time(6, 0), tzinfo=BERLIN) + dt.timedelta(minutes=15 * index)
        record_checkin(db, demo_event, person.registration_id, day, at=moment)
    out = tmp_path / "bericht.pdf"
    write_report(db, demo_event, out, now=dt.datetime(2024, 9, 21, 8, 0, tzinfo=BERLIN))
    axis_rows = [labels for labels in _time_labels(out).values() if len(labels) >= 4]
    assert axis_rows, "the arrival chart has time labels"
    font = fonts().regular
    for labels in axis_rows:
        labels.sort()
        for (x1, text1), (x2, _text2) in itertools.pairwise(labels):
            width = stringWidth(text1, font, 7.5)
            assert x2 - x1 > width + 2, (text1, x1, x2)  # the next label starts after this one ends
        assert {text for _x, text in labels} >= {"07:00", "12:00", "17:00"}  # round times


def test_label_step_picks_round_intervals():
    assert label_step(8, 500, 20) == 1
    assert label_step(60, 500, 20) == 4  # hourly
    assert label_step(96, 300, 20) == 8


def test_programme_items_in_programme_order(db: Database, demo_event, tmp_path: Path):
    scenario = build_scenario(db, demo_event)
    out = tmp_path / "bericht.pdf"
    write_report(db, scenario.event, out, now=dt.datetime(2024, 9, 21, 8, 0, tzinfo=BERLIN))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    table = text[text.index(_("Attendance per session against capacity")) :]
    positions = [table.index(f"Zukunftswerkstatt {n}:") for n in range(1, 6)]
    assert positions == sorted(positions)  # keys would give 4, 1, 2, 5, 3
    assert table.index("Keynote") < table.index("Podiumsdiskussion I:") < positions[0]
