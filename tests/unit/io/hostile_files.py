"""Hostile and broken registration lists, generated on the spot (nothing of this is checked in).

Each function writes one file under the given folder and returns its path.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

HEADER = ["Vorname", "Nachname", "E-Mail"]
SHEET = "xl/worksheets/sheet1.xml"
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@functools.cache
def base_workbook() -> bytes:
    """A small valid workbook (the same bytes on every call)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["Anna", "Schulz", "a@x.example"])
    sheet.append(["Bernd", "Roth", "b@x.example"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rebuilt_xlsx(
    folder: Path, name: str, replace: dict[str, bytes | Iterable[bytes]], *, level: int = 6
) -> Path:
    """A valid small workbook with some of its archive members replaced (or added); a member given
    as chunks is written as a stream, so a bomb never sits in memory."""
    source = zipfile.ZipFile(io.BytesIO(base_workbook()))
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        names = [info.filename for info in source.infolist()]
        for member in [*names, *(m for m in replace if m not in names)]:
            data = replace.get(member, source.read(member) if member in names else b"")
            with target.open(member, "w", force_zip64=True) as out:
                for chunk in [data] if isinstance(data, bytes) else data:
                    out.write(chunk)
    return path


def _sheet(rows: str, dimension: str = "A1:C3", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {_NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


_HEADER_ROW = (
    '<row r="1">' + "".join(_inline(f"{c}1", h) for c, h in zip("ABC", HEADER, strict=True)) + "</row>"
)
_PERSON_ROW = '<row r="2">' + _inline("A2", "Anna") + _inline("B2", "Schulz") + "</row>"


def xlsx_huge_dimension(folder: Path) -> Path:
    """Declares A1:XFD1048576 and has a cell at XFD1048576 (1.5 KB on disk)."""
    last = '<row r="1048576">' + _inline("XFD1048576", "x") + "</row>"
    return rebuilt_xlsx(
        folder, "dimension.xlsx", {SHEET: _sheet(_HEADER_ROW + _PERSON_ROW + last, "A1:XFD1048576")}
    )


def _repeated(head: bytes, chunk: bytes, size: int, tail: bytes) -> Iterable[bytes]:
    yield head
    block = chunk * (1024 * 1024 // len(chunk))
    for _ in range(size // len(block)):
        yield block
    yield tail


def xlsx_zip_bomb(folder: Path, megabytes: int = 100) -> Path:
    """A sheet that unpacks to ``megabytes`` MB of one repeated cell from a few hundred KB."""
    head, tail = _sheet(_HEADER_ROW + _PERSON_ROW).split(b"</sheetData>")
    cell = b'<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaa</t></is></c></row>'
    data = _repeated(head, cell, megabytes * 1024 * 1024, b"</sheetData>" + tail)
    return rebuilt_xlsx(folder, "bomb.xlsx", {SHEET: data}, level=9)


def xlsx_shared_strings_bomb(folder: Path, megabytes: int = 160) -> Path:
    """sharedStrings.xml of ``megabytes`` MB: openpyxl would load it whole."""
    head = b'<?xml version="1.0"?><sst ' + _NS.encode() + b">"
    item = b"<si><t>" + b"b" * 200 + b"</t></si>"
    data = _repeated(head, item, megabytes * 1024 * 1024, b"</sst>")
    return rebuilt_xlsx(folder, "shared_bomb.xlsx", {"xl/sharedStrings.xml": data}, level=9)


def xlsx_bad_xml(folder: Path) -> Path:
    return rebuilt_xlsx(folder, "bad_xml.xlsx", {SHEET: b"<worksheet><sheetData><row><c r="})


def xlsx_xxe(folder: Path) -> Path:
    prolog = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    rows = _HEADER_ROW + '<row r="2">' + _inline("A2", "&e;") + _inline("B2", "Schulz") + "</row>"
    return rebuilt_xlsx(folder, "xxe.xlsx", {SHEET: _sheet(rows, prolog=prolog)})


def xlsx_billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    rows = _HEADER_ROW + '<row r="2">' + _inline("A2", "&a9;") + _inline("B2", "Schulz") + "</row>"
    return rebuilt_xlsx(folder, "laughs.xlsx", {SHEET: _sheet(rows, prolog=f"<!DOCTYPE x [{entities}]>")})


def xlsx_bad_shared_string_index(folder: Path) -> Path:
    rows = _HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>99999</v></c></row>'
    return rebuilt_xlsx(folder, "bad_index.xlsx", {SHEET: _sheet(rows)})


def xlsx_bad_cell_reference(folder: Path) -> Path:
    rows = _HEADER_ROW + '<row r="2">' + _inline("Ä!2", "Anna") + "</row>"
    return rebuilt_xlsx(folder, "bad_ref.xlsx", {SHEET: _sheet(rows)})


def xlsx_far_row(folder: Path) -> Path:
    """A row number past Excel's last row: openpyxl would yield every empty row up to it."""
    rows = _HEADER_ROW + _PERSON_ROW + '<row r="4000000000">' + _inline("A4000000000", "x") + "</row>"
    return rebuilt_xlsx(folder, "far_row.xlsx", {SHEET: _sheet(rows)})


def xlsx_corrupt_stream(folder: Path) -> Path:
    """A workbook whose compressed sheet data is damaged in the middle."""
    rows = _HEADER_ROW + "".join(
        f'<row r="{n}">' + _inline(f"A{n}", f"Person {n}") + _inline(f"B{n}", "Name") + "</row>"
        for n in range(2, 3000)
    )
    path = rebuilt_xlsx(folder, "corrupt.xlsx", {SHEET: _sheet(rows)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + info.compress_size // 3, start + info.compress_size // 3 + 64):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def csv_one_line_of_cells(folder: Path, cells: int = 2_000_000) -> Path:
    path = folder / "one_line.csv"
    path.write_bytes(b"a;" * cells)
    return path


def csv_header_with_columns(folder: Path, columns: int = 1_000_000) -> Path:
    path = folder / "wide_header.csv"
    path.write_text("Vorname;Nachname;" + ";".join(f"Spalte {n}" for n in range(columns)) + "\n", "utf-8")
    return path


def csv_utf32(folder: Path) -> Path:
    path = folder / "utf32.csv"
    path.write_bytes("Vorname;Nachname\nJürgen;Weiß\nŁukasz;Nowak\n".encode("utf-32"))
    return path


def csv_odd_utf16(folder: Path) -> Path:
    path = folder / "odd_utf16.csv"
    path.write_bytes("Vorname;Nachname\nJürgen;Weiß\nAnna;Schulz\n".encode("utf-16") + b"\x00")
    return path


def csv_one_latin1_line(folder: Path) -> Path:
    """A UTF-8 list into which one line was pasted from a Windows-1252 file."""
    path = folder / "mixed.csv"
    path.write_bytes(
        "Vorname;Nachname\nJürgen;Weiß\n".encode()
        + "Jörg;Müller\n".encode("cp1252")
        + "Łukasz;Nowak\n".encode()
    )
    return path


def csv_50_mb_of_rows(folder: Path) -> Path:
    """50 MB of short rows: far more people than a list holds."""
    path = folder / "many_rows.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Vorname;Nachname\n")
        line = "Anna;Schulz\n"
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    return path
