"""The attendance workbook prints as it should: read back from the file with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from export_scenario import Scenario, build_scenario

from checkin.domain.db import Database
from checkin.i18n import _
from checkin.io.exports import export_attendance


@pytest.fixture
def workbook(db: Database, demo_event, tmp_path: Path):
    scenario: Scenario = build_scenario(db, demo_event)
    out = tmp_path / "anwesenheit.xlsx"
    export_attendance(db, scenario.event, out)
    book = openpyxl.load_workbook(out)
    yield book
    book.close()


def test_every_sheet_fits_the_page_width_and_numbers_its_pages(workbook):
    assert len(workbook.worksheets) >= 5
    for ws in workbook.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title  # absent: the format's default, 1
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages long as it takes
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        footer = ws.oddFooter.center.text
        assert "&P" in footer
        assert "&N" in footer
        assert footer == _("Page {page} of {pages}").format(page="&P", pages="&N")
        assert ws.title in (ws.oddHeader.right.text or "")


def test_table_sheets_repeat_their_header_row_when_printed(workbook):
    for title in (_("Participants"), _("Sessions"), _("Check-in log")):
        ws = workbook[title]
        assert ws.print_title_rows == "$1:$1", title
        assert ws.freeze_panes == "A2", title
        assert ws.auto_filter.ref.startswith("A1:"), title


def test_utilisation_and_rates_are_percentages_not_raw_fractions(workbook):
    sessions = workbook[_("Sessions")]
    header = [c.value for c in sessions[1]]
    column = header.index(_("Utilisation")) + 1
    values = [sessions.cell(row=r, column=column) for r in range(2, sessions.max_row + 1)]
    shares = [c for c in values if c.value is not None]
    assert shares, "some session has a capacity"
    for cell in shares:
        assert isinstance(cell.value, int | float)
        assert cell.number_format == "0.0%"
    stats = workbook[_("Statistics")]
    rates = [c for row in stats.iter_rows() for c in row if isinstance(c.value, float) and 0 <= c.value <= 1]
    assert rates
    assert all(c.number_format == "0.0%" for c in rates)
