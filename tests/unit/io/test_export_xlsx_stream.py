"""The streaming XLSX writer and the formula neutralising: read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin.io.sanitize import FORMULA_TRIGGERS, safe_cell, xml_safe
from checkin.io.xlsx_stream import XlsxStreamWriter, column_letter, excel_serial, safe_sheet_name


def test_cells_come_back_with_their_types_formats_and_layout(tmp_path: Path):
    out = tmp_path / "t.xlsx"
    with XlsxStreamWriter(out, title="Test") as book:
        sheet = book.add_sheet("Teilnehmende")
        other = book.add_sheet("Stat", freeze_header=False, autofilter=False, percent_columns=[1])
        sheet.header(["Name", "Zeit", "Tag", "Uhrzeit", "Anzahl", "Leer", "Text & <XML>"])
        other.append(["Quote", 0.25])
        sheet.append(
            [
                "Jürgen Öztürk",
                dt.datetime(2024, 9, 19, 9, 3, 7),
                dt.date(2024, 9, 20),
                dt.time(14, 5),
                42,
                None,
                'a < b & "c"',
            ]
        )
        sheet.append(["Ольга " * 20, None, None, None, 7.5, "", "  leading spaces"])
    book_in = openpyxl.load_workbook(out)
    try:
        assert book_in.sheetnames == ["Teilnehmende", "Stat"]
        ws = book_in["Teilnehmende"]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == "A1:G3"
        rows = list(ws.iter_rows(values_only=True))
        assert rows[1] == (
            "Jürgen Öztürk",
            dt.datetime(2024, 9, 19, 9, 3, 7),
            dt.datetime(2024, 9, 20),
            dt.time(14, 5),
            42,
            None,
            'a < b & "c"',
        )
        assert rows[2][4] == 7.5
        assert rows[2][6] == "  leading spaces"
        assert ws["B2"].number_format == "dd.mm.yyyy hh:mm:ss"
        assert ws["C2"].number_format == "dd.mm.yyyy"
        assert ws["D2"].number_format == "hh:mm"
        assert ws["A1"].font.b
        widths = {key: dim.width for key, dim in ws.column_dimensions.items()}
        assert widths["A"] == 60.0  # capped
        assert 14 <= widths["B"] <= 24
        stat = book_in["Stat"]
        assert stat.freeze_panes is None
        assert stat["B1"].number_format == "0.0%"
    finally:
        book_in.close()


def _write_then_fail(out: Path) -> None:
    with XlsxStreamWriter(out) as book:
        book.add_sheet("A").append(["x"])
        raise RuntimeError("boom")


def test_a_failed_block_leaves_no_file(tmp_path: Path):
    out = tmp_path / "t.xlsx"
    with pytest.raises(RuntimeError, match="boom"):
        _write_then_fail(out)
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        (
            "Zukunftswerkstatt 1: Ganzheitliche Digitalisierung",
            (),
            "Zukunftswerkstatt 1 Ganzheitlic",
        ),
        ("a/b\\c?d*e[f]g", (), "a b c d e f g"),
        ("Statistik", ("statistik",), "Statistik (2)"),
        ("", (), "Sheet"),
        ("Jobcenter\x07 Kleve\x1b", (), "Jobcenter Kleve"),  # control characters break XML
    ],
)
def test_sheet_names_are_valid_and_unique(name: str, taken: tuple[str, ...], expected: str):
    result = safe_sheet_name(name, taken)
    assert len(result) <= 31
    assert result == expected


def test_column_letters_and_serials():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert excel_serial(dt.date(2024, 9, 19)) == 45554.0
    assert excel_serial(dt.time(12, 0)) == 0.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+49 30 123", "'+49 30 123"),
        ("-Anna", "'-Anna"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Anna-Lena", "Anna-Lena"),
        ("", ""),
        ("\x01=cmd", "'=cmd"),
    ],
)
def test_neutralise_follows_owasp(value: str, expected: str):
    assert safe_cell(value) == expected


def test_numbers_and_dates_are_not_touched():
    assert safe_cell(-5) == -5
    assert safe_cell(dt.date(2024, 9, 19)) == dt.date(2024, 9, 19)
    assert safe_cell(None) is None


@given(st.text())
def test_no_cell_text_starts_like_a_formula(text: str):
    result = safe_cell(text)
    assert not result.startswith(FORMULA_TRIGGERS)
    cleaned = xml_safe(text)
    assert result == ("'" + cleaned if cleaned.startswith(FORMULA_TRIGGERS) else cleaned)


@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_any_text_survives_an_xlsx_round_trip(tmp_path_factory: pytest.TempPathFactory, cells: list[str]):
    out = tmp_path_factory.mktemp("h") / "t.xlsx"
    with XlsxStreamWriter(out) as book:
        book.add_sheet("A").append([safe_cell(c) for c in cells])
    book_in = openpyxl.load_workbook(out)
    try:
        row = next(book_in["A"].iter_rows(values_only=True), ())
    finally:
        book_in.close()
    expected = [safe_cell(c) or None for c in cells]
    assert list(row) == expected[: len(row)]
    assert all(v is None for v in expected[len(row) :])


@given(st.lists(st.text(max_size=12), min_size=1, max_size=5))
def test_csv_fast_path_renders_like_the_careful_path(texts: list[str]):
    from checkin.io.export_csv import DIALECTS, csv_cells, render_cell
    from checkin.io.export_tables import Column

    columns = [Column(f"c{i}", lambda row, i=i: row[i]) for i in range(len(texts))]
    dialect = DIALECTS["excel-de"]
    assert csv_cells(columns, dialect)(texts) == [render_cell(t, dialect) for t in texts]
