"""Dates, times and numbers written for the chosen language, in one place.

German: ``19.09.2024``, ``19.09.``, ``09:30``, ``Donnerstag, 19.09.2024``,
``12.345``, ``12,5 %``. English keeps the forms the English interface has
always shown: the same numeric dates and times (the event and its badges are
German), ``Thursday, 19 September 2024`` for a long date, ``12,345`` and
``12.5%``. To change how a language writes a date, change it here.

Each function takes an optional ``language`` (default: the current UI
language); aware datetimes are shown in ``tz`` when one is given. Only
``checkin.i18n`` is imported, so every layer may use this module. Names of
weekdays and months never come from ``strftime`` (that would follow the
process locale, not the chosen language).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from checkin.i18n import N_, current_language, translate

DASH = "–"

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip


def _language(language: str | None) -> str:
    return language or current_language()


def _local(value: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    return value.astimezone(tz) if tz is not None and value.tzinfo is not None else value


def weekday_name(value: dt.date, language: str | None = None) -> str:
    """``Donnerstag`` / ``Thursday``."""
    return translate(WEEKDAYS[value.weekday()], _language(language))


def month_name(value: dt.date, language: str | None = None) -> str:
    """``September`` (both languages), ``März`` / ``March``."""
    return translate(MONTHS[value.month - 1], _language(language))


def format_date(value: dt.date, *, tz: dt.tzinfo | None = None, language: str | None = None) -> str:
    """``19.09.2024`` (a datetime is first moved to ``tz``)."""
    if isinstance(value, dt.datetime):
        value = _local(value, tz).date()
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def format_short_date(value: dt.date, *, language: str | None = None) -> str:
    """``19.09.`` (day and month, for lists within one event)."""
    return f"{value.day:02d}.{value.month:02d}."


def format_weekday_date(value: dt.date, *, language: str | None = None) -> str:
    """``Donnerstag, 19.09.2024`` / ``Thursday, 19 September 2024``."""
    lang = _language(language)
    weekday = weekday_name(value, lang)
    if lang == "de":
        return f"{weekday}, {format_date(value)}"
    return f"{weekday}, {value.day} {month_name(value, lang)} {value.year}"


def format_date_range(first: dt.date, last: dt.date, *, language: str | None = None) -> str:
    """``19.09.2024``, ``19./20.09.2024`` (two adjacent days in one month), ``19.09.2024 – 21.09.2024``."""
    if first == last:
        return format_date(first)
    if (last - first).days == 1 and (first.year, first.month) == (last.year, last.month):
        return f"{first.day:02d}./{format_date(last)}"
    return f"{format_date(first)} – {format_date(last)}"


def format_dates(dates: Sequence[dt.date], *, language: str | None = None) -> str:
    """Several days, runs of consecutive days joined: ``19.09.2024``, ``19./20.09.2024``,
    ``19.–21.09.2024``, ``30.09.2024 – 01.10.2024``, or such runs separated by commas."""
    if not dates:
        return ""
    ordered = sorted(set(dates))
    runs: list[list[dt.date]] = [[ordered[0]]]
    for date in ordered[1:]:
        if (date - runs[-1][-1]).days == 1:
            runs[-1].append(date)
        else:
            runs.append([date])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(format_date(first))
        elif (first.year, first.month) == (last.year, last.month):
            joiner = "/" if len(run) == 2 else "–"
            parts.append(f"{first.day:02d}.{joiner}{format_date(last)}")
        else:
            parts.append(f"{format_date(first)} – {format_date(last)}")
    return ", ".join(parts)


def format_time(
    value: dt.time | dt.datetime,
    *,
    tz: dt.tzinfo | None = None,
    seconds: bool = False,
    language: str | None = None,
) -> str:
    """``09:30`` (``09:30:15`` with ``seconds``); a datetime is first moved to ``tz``."""
    if isinstance(value, dt.datetime):
        value = _local(value, tz).time()
    text = f"{value.hour:02d}:{value.minute:02d}"
    return f"{text}:{value.second:02d}" if seconds else text


def format_time_range(start: dt.time, end: dt.time | None, *, language: str | None = None) -> str:
    """``09:30–11:00`` (just the start when there is no end)."""
    return format_time(start) if end is None else f"{format_time(start)}–{format_time(end)}"


def format_datetime(
    value: dt.datetime, *, tz: dt.tzinfo | None = None, seconds: bool = False, language: str | None = None
) -> str:
    """``19.09.2024 09:30`` (``…:15`` with ``seconds``), in ``tz`` when given."""
    local = _local(value, tz)
    return f"{format_date(local)} {format_time(local, seconds=seconds)}"


def format_number(value: int | None, *, language: str | None = None) -> str:
    """``12.345`` in German, ``12,345`` in English; ``–`` for no value."""
    if value is None:
        return DASH
    grouped = f"{value:,}"
    return grouped if _language(language) == "en" else grouped.replace(",", ".")


def format_percent(value: float | None, *, decimals: int = 0, language: str | None = None) -> str:
    """A share (0.125) as ``12,5 %`` / ``12.5%`` (``decimals`` after the point); ``–`` for no value."""
    if value is None:
        return DASH
    text = f"{value * 100:.{decimals}f}"
    if _language(language) == "en":
        return f"{text}%"
    return f"{text.replace('.', ',')} %"


__all__ = [
    "DASH",
    "MONTHS",
    "WEEKDAYS",
    "format_date",
    "format_date_range",
    "format_dates",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_short_date",
    "format_time",
    "format_time_range",
    "format_weekday_date",
    "month_name",
    "weekday_name",
]
