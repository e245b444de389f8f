"""Cell values made safe for spreadsheets (OWASP "CSV injection").

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is taken as a formula by Excel and LibreOffice, so an organisation
named ``=HYPERLINK("http://x","y")`` would turn into a live link (or worse)
in the organiser's export. Such text gets a leading apostrophe, as OWASP
recommends, in CSV and XLSX alike. Only text is touched: the numbers and
dates the exporters write themselves stay numbers and dates.
"""

from __future__ import annotations

import datetime as dt
import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 cannot carry (an XLSX file with them does not open).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CellValue = str | int | float | dt.datetime | dt.date | dt.time | None


def neutralise(text: str) -> str:
    """Prefix ``text`` with ``'`` when a spreadsheet would read it as a formula."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def xml_safe(text: str) -> str:
    """Remove control characters that XML (and so XLSX) cannot hold."""
    return _XML_ILLEGAL.sub("", text)


_TRIGGER_SET = frozenset(FORMULA_TRIGGERS)


def safe_cell(value: CellValue) -> CellValue:
    """A value ready for a CSV or XLSX cell: text neutralised and XML-safe, other types unchanged."""
    if isinstance(value, str):
        if not value.isprintable():  # fast path: most text has no control characters at all
            value = _XML_ILLEGAL.sub("", value)
        if value and value[0] in _TRIGGER_SET:
            return "'" + value
    return value
