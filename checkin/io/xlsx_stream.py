"""A small streaming XLSX writer: many sheets at once, constant memory, fitted columns.

Why not openpyxl's write-only mode: it costs ~8-10 µs per cell here, and the
attendance workbook of 100,000 registrations with 150,000 check-ins has
~3.5 million cells (over 30 s); ``benchmarks/bench_export.py`` measures both
in one run. This writer renders rows straight to SpreadsheetML (~1 µs per
cell). Each sheet's rows go to a temporary file while the column widths are
measured, so sheets can be filled in any order and interleaved; ``close()``
assembles the package. openpyxl reads the result back in the tests.

Cells: ``str`` (inline strings), ``int``/``float``, ``bool`` (TRUE/FALSE),
``datetime``/``date``/``time`` (real Excel serial numbers with a German
display format) and ``None`` (empty). Text is written as given: callers
neutralise formulas with ``checkin.io.sanitize`` first.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from checkin.i18n import _
from checkin.io.sanitize import xml_safe

MAX_ROWS = 1_048_576
MAX_CELL_TEXT = 32_767
MAX_WIDTH = 60.0
MIN_WIDTH = 6.0

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# A raw CR would be read back as LF (XML end-of-line handling); a character reference keeps it.
_TEXT_ENTITIES = {"\r": "&#13;"}
_NEEDS_ESCAPE = re.compile("[&<>\r]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))  # control, format, surrogate, private, unassigned

# Style ids (cellXfs order in styles.xml below).
STYLE_DEFAULT = 0
STYLE_HEADER = 1
STYLE_DATETIME = 2
STYLE_DATE = 3
STYLE_TIME = 4
STYLE_PERCENT = 5
STYLE_TITLE = 6

_STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="4">
<numFmt numFmtId="164" formatCode="dd.mm.yyyy hh:mm:ss"/>
<numFmt numFmtId="165" formatCode="dd.mm.yyyy"/>
<numFmt numFmtId="166" formatCode="hh:mm"/>
<numFmt numFmtId="167" formatCode="0.0%"/>
</numFmts>
<fonts count="3">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="3">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F3"/><bgColor indexed="64"/></patternFill></fill>
</fills>
<borders count="2">
<border><left/><right/><top/><bottom/><diagonal/></border>
<border><left/><right/><top/><bottom style="thin"><color rgb="FF7F7F7F"/></bottom><diagonal/></border>
</borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(i) for i in range(16_384)]
_DATE_STYLES = {dt.datetime: STYLE_DATETIME, dt.date: STYLE_DATE, dt.time: STYLE_TIME}


def excel_serial(value: dt.datetime | dt.date | dt.time) -> float:
    """Excel's 1900 date system: days since 30.12.1899, time as the fraction of a day."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if isinstance(value, dt.date):
        return float((value - _EXCEL_EPOCH.date()).days)
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def safe_sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name: no []:*?/\\ or control characters, at most 31 characters, not blank."""
    visible = "".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in name)
    base = _SHEET_NAME_FORBIDDEN.sub(" ", visible).strip().strip("'") or "Sheet"
    base = " ".join(base.split())[:31].strip()
    used = {t.casefold() for t in taken}
    candidate, number = base, 2
    while candidate.casefold() in used:
        suffix = f" ({number})"
        candidate = base[: 31 - len(suffix)] + suffix
        number += 1
    return candidate


def _header_footer_text(text: str) -> str:
    """Text for a printed header or footer: '&' starts a code there, so a literal one is doubled."""
    return xml_safe(text).replace("&", "&&")


def _text_width(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, str):
        longest = max((len(line) for line in value.split("\n")), default=0)
        return float(longest)
    if isinstance(value, dt.datetime):
        return 19.0
    if isinstance(value, dt.date):
        return 10.0
    if isinstance(value, dt.time):
        return 5.0
    if isinstance(value, float):
        return 8.0
    return float(len(str(value)))


class SheetWriter:
    """Rows of one sheet; get one from ``XlsxStreamWriter.add_sheet``."""

    def __init__(
        self, name: str, *, freeze_header: bool, autofilter: bool, percent_columns: set[int]
    ) -> None:
        self.name = name
        self._freeze = freeze_header
        self._autofilter = autofilter
        self._percent = percent_columns
        self._rows = 0
        self._max_col = 0
        self._widths: list[float] = []
        self._header_row: int | None = None
        self._body: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in XlsxStreamWriter
        self._buffer: list[str] = []

    @property
    def row_count(self) -> int:
        return self._rows

    def header(self, values: Sequence[Any]) -> None:
        """The table header: bold, frozen and filtered when the sheet asks for it."""
        self._header_row = self._rows + 1
        self.append(values, style=STYLE_HEADER)

    def title(self, text: str) -> None:
        """A large title line (e.g. above a section of the statistics sheet)."""
        self.append([text], style=STYLE_TITLE, measure=False)

    def append(self, values: Sequence[Any], *, style: int | None = None, measure: bool = True) -> None:
        """Add one row; ``None`` and "" leave the cell empty. Hot path: ~1 µs per cell."""
        if self._rows >= MAX_ROWS:
            raise OverflowError(f"sheet {self.name!r} has more than {MAX_ROWS} rows")
        self._rows += 1
        number = self._rows
        parts = [f'<row r="{number}">']
        widths = self._widths
        if len(widths) < len(values):
            widths.extend([0.0] * (len(values) - len(widths)))
        header_factor = 1.15 if style == STYLE_HEADER else 1.0
        style_attr = f' s="{style}"' if style else ""
        for index, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                if len(value) > MAX_CELL_TEXT:
                    value = value[:MAX_CELL_TEXT]
                text = escape(value, _TEXT_ENTITIES) if _NEEDS_ESCAPE.search(value) else value
                parts.append(
                    f'<c r="{_LETTERS[index]}{number}"{style_attr} t="inlineStr">'
                    f'<is><t xml:space="preserve">{text}</t></is></c>'
                )
                if measure:
                    width = (len(value) if "\n" not in value else _text_width(value)) * header_factor
                    if width > widths[index]:
                        widths[index] = width
                continue
            if value is None:
                continue
            cell_style = style
            if kind is bool:
                body, type_attr = f"<v>{int(value)}</v>", ' t="b"'
            elif kind is dt.datetime or kind is dt.date or kind is dt.time:
                body, type_attr = f"<v>{excel_serial(value)!r}</v>", ""
                if cell_style is None:
                    cell_style = _DATE_STYLES[kind]
            elif kind is int or kind is float:
                body, type_attr = f"<v>{value!r}</v>", ""
                if cell_style is None and kind is float and index in self._percent:
                    cell_style = STYLE_PERCENT
            else:
                text = str(value)
                body, type_attr = (
                    f'<is><t xml:space="preserve">{escape(text, _TEXT_ENTITIES)}</t></is>',
                    ' t="inlineStr"',
                )
            attr = f' s="{cell_style}"' if cell_style else ""
            parts.append(f'<c r="{_LETTERS[index]}{number}"{attr}{type_attr}>{body}</c>')
            if measure:
                width = _text_width(value) * header_factor
                if width > widths[index]:
                    widths[index] = width
        parts.append("</row>")
        if len(values) > self._max_col:
            self._max_col = len(values)
        self._buffer.append("".join(parts))
        if len(self._buffer) >= 500:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._body.write("".join(self._buffer).encode("utf-8"))
            self._buffer.clear()

    def _write_xml(self, out: IO[bytes], *, selected: bool, header_text: str, footer_text: str) -> None:
        self._flush()
        last_col = _LETTERS[max(self._max_col, 1) - 1]
        dimension = f"A1:{last_col}{max(self._rows, 1)}"
        head = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="{dimension}"/>',
            '<sheetViews><sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "") + ">",
        ]
        if self._freeze and self._header_row is not None:
            top = f"A{self._header_row + 1}"
            head.append(
                f'<pane ySplit="{self._header_row}" topLeftCell="{top}" '
                'activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
            )
        head.append("</sheetView></sheetViews>")
        head.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self._widths:
            head.append("<cols>")
            for index, width in enumerate(self._widths):
                fitted = min(max(width + 2.0, MIN_WIDTH), MAX_WIDTH)
                head.append(
                    f'<col min="{index + 1}" max="{index + 1}" width="{fitted:.1f}" customWidth="1"/>'
                )
            head.append("</cols>")
        head.append("<sheetData>")
        out.write("".join(head).encode("utf-8"))
        self._body.seek(0)
        while chunk := self._body.read(1 << 20):
            out.write(chunk)
        tail = ["</sheetData>"]
        if self.autofilter_ref:
            tail.append(f'<autoFilter ref="{self.autofilter_ref}"/>')
        tail.append(
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        )
        # Printed: landscape A4, as wide as one page and as long as it takes; header and footer
        # name the workbook and sheet and number the pages ("Seite &P von &N").
        tail.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
        right = _header_footer_text(self.name)
        left = f"&L{_header_footer_text(header_text)}" if header_text else ""
        tail.append(
            f"<headerFooter><oddHeader>{escape(left + '&R' + right)}</oddHeader>"
            f"<oddFooter>{escape('&C' + footer_text)}</oddFooter></headerFooter>"
        )
        tail.append("</worksheet>")
        out.write("".join(tail).encode("utf-8"))

    @property
    def print_titles_ref(self) -> str | None:
        """The rows printed on top of every page: the table header."""
        if self._header_row is None:
            return None
        return f"${self._header_row}:${self._header_row}"

    @property
    def autofilter_ref(self) -> str | None:
        if not self._autofilter or self._header_row is None or self._max_col == 0:
            return None
        last_col = _LETTERS[self._max_col - 1]
        return f"A{self._header_row}:{last_col}{max(self._rows, self._header_row)}"

    def close(self) -> None:
        self._body.close()


class XlsxStreamWriter:
    """Writes a workbook to ``path``; use as a context manager (the file appears on success)."""

    def __init__(self, path: Path, *, creator: str = "checkin", title: str = "") -> None:
        self._path = path
        self._creator = creator
        self._title = xml_safe(title)
        self._sheets: list[SheetWriter] = []
        self._closed = False

    def __enter__(self) -> XlsxStreamWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    def add_sheet(
        self,
        name: str,
        *,
        freeze_header: bool = True,
        autofilter: bool = True,
        percent_columns: Iterable[int] = (),
    ) -> SheetWriter:
        """A new sheet (tabs appear in the order they were added); the name is made valid and unique."""
        unique = safe_sheet_name(name, (s.name for s in self._sheets))
        sheet = SheetWriter(
            unique, freeze_header=freeze_header, autofilter=autofilter, percent_columns=set(percent_columns)
        )
        self._sheets.append(sheet)
        return sheet

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self._sheets)

    def discard(self) -> None:
        for sheet in self._sheets:
            sheet.close()
        self._closed = True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self._sheets:
            self.add_sheet("Sheet")
        try:
            with zipfile.ZipFile(self._path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
                package.writestr("[Content_Types].xml", self._content_types())
                package.writestr("_rels/.rels", self._root_rels())
                package.writestr("docProps/core.xml", self._core())
                package.writestr("docProps/app.xml", self._app())
                package.writestr("xl/workbook.xml", self._workbook())
                package.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
                package.writestr("xl/styles.xml", _STYLES_XML)
                footer = _header_footer_text(_("Page {page} of {pages}")).format(page="&P", pages="&N")
                for number, sheet in enumerate(self._sheets, start=1):
                    with package.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
                        sheet._write_xml(
                            out, selected=number == 1, header_text=self._title, footer_text=footer
                        )
        finally:
            for sheet in self._sheets:
                sheet.close()

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(self._sheets) + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheets}</Types>"
        )

    def _root_rels(self) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_NS_PKG_REL}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        )

    def _core(self) -> str:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/'
            'dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(self._title)}</dc:title><dc:creator>{escape(self._creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _app(self) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>checkin</Application></Properties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{n}" r:id="rId{n}"/>'
            for n, s in enumerate(self._sheets, start=1)
        )
        names = []
        for index, sheet in enumerate(self._sheets):
            quoted = "'" + sheet.name.replace("'", "''") + "'"
            ref = sheet.autofilter_ref
            if ref:
                start, end = ref.split(":")
                absolute = "${}${}:${}${}".format(*_split_ref(start), *_split_ref(end))
                names.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                    f"{escape(quoted)}!{absolute}</definedName>"
                )
            titles = sheet.print_titles_ref
            if titles:
                names.append(
                    f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                    f"{escape(quoted)}!{titles}</definedName>"
                )
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>{defined}</workbook>"
        )

    def _workbook_rels(self) -> str:
        items = "".join(
            f'<Relationship Id="rId{n}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(self._sheets) + 1)
        )
        styles_id = len(self._sheets) + 1
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_NS_PKG_REL}">{items}'
            f'<Relationship Id="rId{styles_id}" Type="{_NS_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )


def _split_ref(ref: str) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert match is not None
    return match.group(1), match.group(2)
