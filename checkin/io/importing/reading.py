"""Reading registration lists: CSV (any encoding and delimiter Excel writes) and XLSX.

The reader returns every non-empty row as a tuple of strings with the line
number the user sees in the file (a quoted cell may span lines; a record is
numbered by the line it starts on; in a spreadsheet it is the row number).
Which row is the header is decided by the caller (``mapping.find_header_row``),
because a title row above the header is common in hand-made lists.

Refused with :class:`ImportFileError`: empty files, PDFs, old ``.xls`` and
other binary files, files that cannot be decoded, and files past the limits
below (a registration list is never that wide or that big; a file that is
either was made to hang or exhaust the machine). Workbooks are read by
``xlsx``, which checks the archive before opening it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checkin.domain.errors import UserError
from checkin.i18n import _
from checkin.io.importing.facts import Problem, ProblemKind

# How much of a CSV is used to choose the delimiter.
_SNIFF_LINES = 50
DELIMITERS = (";", ",", "\t", "|")
_SHARED_CELLS = 200_000
MAX_COLUMNS = 1_000
MAX_ROWS = 100_000
MAX_CELLS = 1_500_000
MAX_FILE_BYTES = 200 * 1024 * 1024


class ImportFileError(UserError):
    """The file is not a registration list this app can read; nothing was changed."""


@dataclass(frozen=True)
class RawTable:
    """All non-empty rows of the first usable sheet, cells as trimmed strings.

    ``notes``: what the reader had to assume (a line that was not valid UTF-8, …).
    """

    rows: list[tuple[str, ...]]
    lines: list[int]
    kind: str  # "csv" | "xlsx"
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    notes: tuple[Problem, ...] = ()


def too_wide(name: str, line: int) -> ImportFileError:
    return ImportFileError(
        _("{name}, line {line}: more than {limit} columns; a registration list has far fewer.").format(
            name=name, line=line, limit=MAX_COLUMNS
        )
    )


def too_big(name: str) -> ImportFileError:
    return ImportFileError(
        _("{name} has more than {limit} cells; that is not a registration list this app reads.").format(
            name=name, limit=MAX_CELLS
        )
    )


def too_long(name: str) -> ImportFileError:
    return ImportFileError(
        _("{name} has more than {limit} rows; that is not a registration list this app reads.").format(
            name=name, limit=MAX_ROWS
        )
    )


def trim_row(cells: list[str], name: str, line: int) -> list[str]:
    """``cells`` without the empty cells at the end; refused when still wider than ``MAX_COLUMNS``."""
    if len(cells) > MAX_COLUMNS:
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise too_wide(name, line)
    return cells


def _refuse_binary(path: Path, head: bytes) -> None:
    name = path.name
    if not head:
        raise ImportFileError(_("The file {name} is empty.").format(name=name))
    if head.startswith(b"%PDF"):
        raise ImportFileError(
            _("{name} is a PDF, not a registration list. Export the list as CSV or Excel (.xlsx).").format(
                name=name
            )
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "{name} is an old Excel file (.xls). Open it in Excel or LibreOffice and save it "
                "as .xlsx or CSV."
            ).format(name=name)
        )
    if head.startswith(b"PK\x03\x04"):
        return
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    sample = head[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    if b"\x00" in sample or controls > len(sample) // 100 + 2:
        raise ImportFileError(
            _("{name} is not a text or Excel file. Export the list as CSV or Excel (.xlsx).").format(
                name=name
            )
        )


def read_table(
    path: str | Path, *, is_list: Callable[[list[tuple[str, ...]]], bool] | None = None
) -> RawTable:
    """Read a CSV or XLSX file (decided by content, not by the file name).

    In a workbook the first sheet for which ``is_list(rows)`` holds is read (default: the first
    sheet with content), so a cover sheet in front of the list is skipped.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except FileNotFoundError as exc:
        raise ImportFileError(_("The file {path} does not exist.").format(path=path)) from exc
    except IsADirectoryError as exc:
        raise ImportFileError(_("{path} is a folder, not a file.").format(path=path)) from exc
    except OSError as exc:
        raise ImportFileError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    _refuse_binary(path, head)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("{name} is larger than {limit} MB; that is not a registration list this app reads.").format(
                name=path.name, limit=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    if head.startswith(b"PK\x03\x04"):
        from checkin.io.importing.xlsx import read_xlsx

        return read_xlsx(path, is_list)
    return _read_csv(path)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file: BOMs first, then strict UTF-8, then Windows-1252 (what German Excel writes).

    A UTF-8 file with a few lines in another encoding is read line by line (see ``decode_lines``).
    """
    text, encoding, _bad = decode_lines(data)
    return text, encoding


def decode_lines(data: bytes) -> tuple[str, str, list[int]]:
    """Like ``decode_bytes``, and the numbers of the lines that were read as Windows-1252 in a UTF-8 file."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace"), "utf-32", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # a file cut off after an odd number of bytes: the half character at the end is dropped
        return data[: len(data) - len(data) % 2].decode("utf-16", errors="replace"), "utf-16", []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    mixed = _utf8_with_foreign_lines(data)
    if mixed is not None:
        return mixed[0], "utf-8", mixed[1]
    text, encoding = _single_byte(data)
    return text, encoding, []


def _utf8_with_foreign_lines(data: bytes) -> tuple[str, list[int]] | None:
    """A UTF-8 file into which someone pasted lines in Windows-1252: each line in its own encoding.

    Only when another line shows real UTF-8 (non-ASCII text that decodes), else the whole file is
    Windows-1252 and its ASCII lines prove nothing. (Text in Windows-1252 that happens to be valid
    UTF-8 is practically unheard of, so each line is read in the encoding it is in.)
    """
    lines = data.split(b"\n")
    bad: list[int] = []
    utf8_seen = False
    decoded: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
            decoded.append(_single_byte(line)[0])
            continue
        utf8_seen = utf8_seen or not line.isascii()
        decoded.append(text)
    if not utf8_seen:
        return None
    return "\n".join(decoded), bad


def _single_byte(data: bytes) -> tuple[str, str]:
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Bytes Windows-1252 leaves undefined (0x81, 0x8D ...): Latin-1 maps every byte.
        text, encoding = data.decode("latin-1"), "latin-1"
    if _MOJIBAKE_WORD.search(text):
        # A Cyrillic list saved by a Russian/Ukrainian/Bulgarian Excel (Windows-1251) decodes as
        # Windows-1252 without error but turns "Ольга" into "Îëüãà": words made only of accented
        # letters, which no Western language writes. Take Windows-1251 when it reads better.
        cyrillic = data.decode("cp1251", errors="replace")
        if len(_MOJIBAKE_WORD.findall(text)) > len(_MIXED_SCRIPT_WORD.findall(cyrillic)):
            return cyrillic, "cp1251"
    return text, encoding


# Three or more letters, all from Latin-1's accented range (À-ÿ without × and ÷).
_MOJIBAKE_WORD = re.compile(r"(?<![^\W\d_])[À-ÖØ-öø-ÿ]{3,}(?![^\W\d_])")
# A word mixing Latin and Cyrillic letters: what Windows-1251 makes of German umlauts ("Mьller").
_MIXED_SCRIPT_WORD = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0400-\u04ff])\w+\b")


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most columns consistently over the first lines (``;`` wins ties)."""
    sample_lines = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    sample = "\n".join(sample_lines)
    best, best_score = ";", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(row)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        # Rows with the most common width, then the width itself.
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path) -> RawTable:
    data = path.read_bytes()
    text, encoding, bad_lines = decode_lines(data)
    del data
    if not text or text.isspace():
        raise ImportFileError(_("The file {name} is empty.").format(name=path.name))
    if "\x00" in text:
        raise ImportFileError(
            _("{name} is not a text or Excel file. Export the list as CSV or Excel (.xlsx).").format(
                name=path.name
            )
        )
    # Excel's own hint in the first line ("sep=;") beats guessing.
    hint = text[:7].lstrip("\ufeff")
    if hint.lower().startswith("sep=") and len(hint) > 4 and hint[4] in DELIMITERS:
        delimiter = hint[4]
    else:
        delimiter = sniff_delimiter(text[:65536])
    if bad_lines or encoding in ("utf-16", "utf-32"):
        # parsed from the decoded text: read again from the file, these would not decode the same
        notes = tuple(Problem(ProblemKind.BAD_TEXT, {"line": n, "encoding": "UTF-8"}) for n in bad_lines)
        return _parse_csv(io.StringIO(text, newline=""), path.name, encoding, delimiter, notes)
    del text
    # Read again as a stream: the decoded text of a big list would otherwise sit in memory twice.
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        return _parse_csv(handle, path.name, encoding, delimiter)


def _parse_csv(
    handle: io.TextIOBase, name: str, encoding: str, delimiter: str, notes: tuple[Problem, ...] = ()
) -> RawTable:
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    reader = csv.reader(handle, delimiter=delimiter)
    # Lists repeat most of their cells ("ja", "Frau", the organisation): one string object per
    # distinct value keeps a 100,000-row list small. Bounded, so unique columns cannot grow it forever.
    shared: dict[str, str] = {}
    start = 1
    cell_count = 0
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                record = trim_row(record, name, start)
            if any(cell.strip() for cell in record):
                cell_count += len(record)
                if cell_count > MAX_CELLS:
                    raise too_big(name)
                cells = []
                for cell in record:
                    cell = cell.strip()
                    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3:
                        cell = cell[2:-1]  # ="00123": how exports keep Excel from eating leading zeros
                    if len(shared) < _SHARED_CELLS:
                        cell = shared.setdefault(cell, cell)
                    cells.append(cell)
                rows.append(tuple(cells))
                if len(rows) > MAX_ROWS:
                    raise too_long(name)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            _("{name}, line {line}: the file cannot be read as CSV ({error}).").format(
                name=name, line=start, error=exc
            )
        ) from exc
    if not rows:  # only empty cells ('""', ';;;')
        raise ImportFileError(_("The file {name} is empty.").format(name=name))
    return RawTable(rows=rows, lines=lines, kind="csv", encoding=encoding, delimiter=delimiter, notes=notes)
