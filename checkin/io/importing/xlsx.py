"""Reading registration lists from Excel workbooks (.xlsx), safely.

A workbook is a zip archive of XML files, so a hostile one can be small and
still hang or exhaust the machine: a declared size of a million rows by
16,384 columns, a zip bomb, XML entity expansion ("billion laughs", XXE).
Before openpyxl opens the file, the archive's directory is checked (sizes
and compression ratios); openpyxl parses with ``defusedxml`` (a dependency),
which refuses entities; the declared sheet size is ignored and rows, columns
and cells are counted while reading. Anything that still goes wrong inside
the file is answered with one message: the file is damaged.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from checkin.i18n import _
from checkin.io.importing.reading import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    ImportFileError,
    RawTable,
    too_big,
    too_long,
    too_wide,
)

MAX_ROW = 1_048_576  # Excel's last row
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_SHARED_STRINGS = 150 * 1024 * 1024
# Real XML compresses 5 to 30 times; a member this much smaller in the archive is a bomb.
MAX_RATIO = 100
_RATIO_FROM = 5 * 1024 * 1024  # small members may compress better (runs of empty cells)


def _not_a_workbook(path: Path) -> ImportFileError:
    return ImportFileError(
        _("{name} is neither a CSV nor an Excel (.xlsx) file this app can read.").format(name=path.name)
    )


def _damaged(path: Path) -> ImportFileError:
    return ImportFileError(
        _(
            "{name} is an Excel file, but it is damaged or holds something a list never does. "
            "Open it in Excel or LibreOffice and save it again, or export the list as CSV."
        ).format(name=path.name)
    )


def check_archive(path: Path) -> None:
    """Refuse a workbook whose archive would unpack to far more than a registration list needs.

    Raises:
        ImportFileError: not a zip archive, or too big / too compressed to be a list.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_a_workbook(path) from exc
    total = sum(m.file_size for m in members)
    bomb = any(
        m.file_size > _RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members
    )
    shared = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or shared > MAX_SHARED_STRINGS or bomb:
        raise ImportFileError(
            _(
                "{name} would unpack to {size} MB; that is not a registration list "
                "(an Excel file made to exhaust the computer?). Nothing was imported."
            ).format(name=path.name, size=total // (1024 * 1024))
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _sheet_rows(sheet: Any, name: str, budget: list[int]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Non-empty rows with their row numbers; ``budget`` holds the cells still allowed."""
    # The declared size ("A1:XFD1048576") would make openpyxl pad every row to it: ignore it.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROW:
            raise _damaged(Path(name))
        if not values:
            continue
        if len(values) > MAX_COLUMNS:
            values = list(values)
            while values and values[-1] is None:
                values.pop()
            if len(values) > MAX_COLUMNS:
                raise too_wide(name, number)
        budget[0] -= len(values)
        if budget[0] < 0:
            raise too_big(name)
        cells = tuple(_cell_text(v) for v in values)
        if any(cells):
            yield number, cells


def read_xlsx(path: Path, is_list: Callable[[list[tuple[str, ...]]], bool] | None) -> RawTable:
    """The first sheet for which ``is_list(rows)`` holds (default: the first with content)."""
    check_archive(path)
    try:
        return _read(path, is_list)
    except ImportFileError:
        raise
    except Exception as exc:  # whatever a damaged or hostile workbook raises inside openpyxl
        raise _damaged(path) from exc


def _read(path: Path, is_list: Callable[[list[tuple[str, ...]]], bool] | None) -> RawTable:
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl judges a path by its extension, and a list saved
    # as "anmeldungen.csv" by Excel may well be a workbook.
    with path.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            first: RawTable | None = None
            budget = [MAX_CELLS]
            for sheet in workbook.worksheets:
                rows: list[tuple[str, ...]] = []
                lines: list[int] = []
                for number, cells in _sheet_rows(sheet, path.name, budget):
                    rows.append(cells)
                    lines.append(number)
                    if len(rows) > MAX_ROWS:
                        raise too_long(path.name)
                if not rows:
                    continue
                table = RawTable(rows=rows, lines=lines, kind="xlsx", sheet=sheet.title)
                if is_list is None or is_list(rows):
                    return table
                first = first or table
        finally:
            workbook.close()
    if first is not None:
        return first
    raise ImportFileError(_("The file {name} is empty.").format(name=path.name))
