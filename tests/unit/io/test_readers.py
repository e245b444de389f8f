"""Reading CSV and XLSX files: encodings, delimiters, line numbers, refusals."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from checkin.io.importing.reading import ImportFileError, decode_bytes, read_table, sniff_delimiter

TEXT = "Vorname;Nachname;Organisation\nJürgen;Weiß;Jobcenter Göttingen\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + TEXT.replace(";", "\t").encode("utf-16-le"), "utf-16"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, encoding: str):
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    table = read_table(path)
    assert table.encoding == encoding
    assert table.rows[1][:2] == ("Jürgen", "Weiß")


def test_bytes_windows_1252_leaves_undefined_still_decode():
    text, encoding = decode_bytes(b"M\xfcller \x81")
    assert encoding == "latin-1"
    assert text.startswith("Müller")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a;b;c\n1;2;3\n", ";"),
        ("a,b,c\n1,2,3\n", ","),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        # commas inside a ;-separated file do not fool the sniffer
        ("Name;Organisation;Tage\nSchöb, Ronnie;FU Berlin;19.09., 20.09.\nAnna;X, Y;19.09.\n", ";"),
        ('Name,Organisation\n"Schöb; Ronnie","FU; Berlin"\nAnna,X\n', ","),
    ],
)
def test_delimiter_sniffing(text: str, delimiter: str):
    assert sniff_delimiter(text) == delimiter


def test_rows_keep_the_line_they_start_on_and_skip_empty_rows(tmp_path: Path):
    path = tmp_path / "list.csv"
    path.write_text('Titelzeile;;\n;;\nA;B;C\n"x\ny";2;3\n\n4;5;6\n', encoding="utf-8")
    table = read_table(path)
    assert table.lines == [1, 3, 4, 7]
    assert table.rows[2] == ("x\ny", "2", "3")


def test_cells_are_trimmed(tmp_path: Path):
    path = tmp_path / "list.csv"
    path.write_text("A;B\n  x ; y\n", encoding="utf-8")
    assert read_table(path).rows[1] == ("x", "y")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leer"),
        (b"   \r\n\r\n", "leer"),
        (b'""\n;;;\n', "leer"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "weder eine Text- noch eine Excel-Datei"),
    ],
)
def test_refusals(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    assert message in str(caught.value)


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(ImportFileError):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(ImportFileError):
        read_table(tmp_path)


def test_xlsx_values_and_the_first_sheet_that_is_a_list(tmp_path: Path):
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Deckblatt"
    cover["A1"] = "Nur ein Hinweis"
    sheet = workbook.create_sheet("Liste")
    sheet.append(["Überschrift"])
    sheet.append(["Nummer", "Name", "Datum", "Betrag", "Bestätigt"])
    sheet.append([1001, "Łukasz", dt.datetime(2024, 9, 19), 12.5, True])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    workbook.close()

    def is_list(rows):
        return any("Name" in row for row in rows)

    table = read_table(path, is_list=is_list)
    assert table.sheet == "Liste"
    assert table.lines == [1, 2, 3]
    assert table.rows[2] == ("1001", "Łukasz", "19.09.2024", "12.5", "ja")
    assert read_table(path).sheet == "Deckblatt"


def test_xlsx_named_csv_is_read_as_xlsx(tmp_path: Path):
    workbook = Workbook()
    workbook.active.append(["Vorname", "Nachname"])
    workbook.active.append(["Ольга", "Иванова"])
    path = tmp_path / "really-excel.csv"
    workbook.save(path)
    workbook.close()
    table = read_table(path)
    assert table.kind == "xlsx"
    assert table.rows[1] == ("Ольга", "Иванова")


def test_excel_separator_hint_wins(tmp_path: Path):
    path = tmp_path / "list.csv"
    path.write_text("sep=,\na;b;c\n1;2;3\n", encoding="utf-8")
    assert sniff_delimiter("sep=,\na;b;c\n1;2;3\n") == ";"
    assert read_table(path).delimiter == ","
    path.write_text("\ufeffsep=;\nVorname;Nachname\nAnna;Schulz\n", encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == ";"
    assert table.rows[1:] == [("Vorname", "Nachname"), ("Anna", "Schulz")]


def test_excel_text_formulas_are_unwrapped(tmp_path: Path):
    path = tmp_path / "list.csv"
    path.write_text('Code;Name\n="00123";Anna\n"=""0042""";Bernd\n', encoding="utf-8")
    assert read_table(path).rows[1:] == [("00123", "Anna"), ("0042", "Bernd")]


def test_cyrillic_list_from_a_windows_1251_excel_is_read_as_cyrillic(tmp_path):
    text = "Vorname;Nachname;Organisation\nОльга;Кузнецова;Jobcenter Köln\nДмитрий;Иванов;Stadt Hamm\n"
    path = tmp_path / "cyrillic.csv"
    path.write_bytes(text.replace("ö", "o").encode("cp1251"))
    decoded, encoding = decode_bytes(path.read_bytes())
    assert encoding == "cp1251"
    assert "Кузнецова" in decoded
    assert "Иванов" in decoded


@pytest.mark.parametrize(
    "text",
    [
        "Vorname;Nachname\nJürgen;Groß\nÄöü;Öztürk\nRenée;Müller-Lüdenscheidt\n",
        "Nom;Prénom\nÉlodie;Bérénice\nAndré;Lefèvre\n",
        "Name\nÅsa Ødegård\nSøren Ærø\n",
    ],
)
def test_western_windows_1252_lists_stay_windows_1252(text):
    decoded, encoding = decode_bytes(text.encode("cp1252"))
    assert encoding == "cp1252"
    assert decoded == text
