"""The names of the weekdays as people write them in lists and headers, the one table.

Indexed by ``date.weekday()`` (Monday = 0). Lower case, German first, then English and
the usual short forms; Saturday also as "Sonnabend" (northern and eastern Germany).
"""

from __future__ import annotations

import datetime as dt

WEEKDAY_WORDS: tuple[tuple[str, ...], ...] = (
    ("montag", "monday", "mo", "mon"),
    ("dienstag", "tuesday", "di", "tue"),
    ("mittwoch", "wednesday", "mi", "wed"),
    ("donnerstag", "thursday", "do", "thu"),
    ("freitag", "friday", "fr", "fri"),
    ("samstag", "saturday", "sa", "sat", "sonnabend"),
    ("sonntag", "sunday", "so", "sun"),
)


def weekday_words(date: dt.date) -> tuple[str, ...]:
    """Every way of naming the weekday of ``date``."""
    return WEEKDAY_WORDS[date.weekday()]
