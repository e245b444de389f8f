"""The attendance report PDF: figures match the statistics, text is extractable, pages render."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from export_scenario import Scenario, build_scenario
from pypdf import PdfReader

from checkin.domain.db import Database
from checkin.i18n import _
from checkin.io.exports import write_report_pdf
from checkin.io.participants import attendance_statistics
from checkin.io.report_pdf import percent
from checkin.io.report_pdf import write_report_pdf as write_report_with_clock

BERLIN = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


def _text(path: Path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_report_holds_the_event_and_its_figures(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "bericht.pdf"
    write_report_with_clock(db, scenario.event, out, now=dt.datetime(2024, 9, 21, 8, 0, tzinfo=BERLIN))
    text = _text(out)
    stats = attendance_statistics(db, scenario.event)
    assert scenario.event.name in text
    assert "Tagungswerk" in text
    assert "19./20.09.2024" in text
    assert _("Attendance report") in text
    assert _("Created on {date} at {time}").format(date="21.09.2024", time="08:00") in text
    for day in stats.days:
        assert percent(day.no_show_rate) in text
    assert _("Page {page} of {pages}").format(page=1, pages=len(PdfReader(out).pages)) in text
    for item in stats.sessions:
        assert item.room in text


def test_report_of_an_event_without_check_ins(db: Database, demo_event, tmp_path: Path):
    out = tmp_path / "leer.pdf"
    write_report_pdf(db, demo_event, out)
    assert _("No check-ins yet.") in _text(out)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_report_pages_render(db: Database, scenario: Scenario, tmp_path: Path):
    out = tmp_path / "bericht.pdf"
    write_report_pdf(db, scenario.event, out)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(out).pages)
    assert all(p.stat().st_size > 2000 for p in pages)


def test_percent_is_written_the_german_way():
    assert percent(0.125) == "12,5 %"
    assert percent(None) == "–"
