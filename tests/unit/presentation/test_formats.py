"""Dates, times and numbers by language, from one module."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from checkin import i18n
from checkin.presentation import formats

THURSDAY = dt.date(2024, 9, 19)
UTC_MORNING = dt.datetime(2024, 9, 19, 7, 5, 9, tzinfo=dt.UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("call", "german", "english"),
    [
        (lambda: formats.format_date(THURSDAY), "19.09.2024", "19.09.2024"),
        (lambda: formats.format_date(dt.date(2025, 1, 2)), "02.01.2025", "02.01.2025"),
        (lambda: formats.format_short_date(THURSDAY), "19.09.", "19.09."),
        (
            lambda: formats.format_weekday_date(THURSDAY),
            "Donnerstag, 19.09.2024",
            "Thursday, 19 September 2024",
        ),
        (
            lambda: formats.format_weekday_date(dt.date(2025, 3, 1)),
            "Samstag, 01.03.2025",
            "Saturday, 1 March 2025",
        ),
        (lambda: formats.format_time(dt.time(9, 5)), "09:05", "09:05"),
        (lambda: formats.format_time(UTC_MORNING, tz=BERLIN), "09:05", "09:05"),
        (lambda: formats.format_time(UTC_MORNING, tz=BERLIN, seconds=True), "09:05:09", "09:05:09"),
        (lambda: formats.format_datetime(UTC_MORNING, tz=BERLIN), "19.09.2024 09:05", "19.09.2024 09:05"),
        (
            lambda: formats.format_date(dt.datetime(2024, 9, 19, 23, 30, tzinfo=dt.UTC), tz=BERLIN),
            "20.09.2024",
            "20.09.2024",
        ),
        (lambda: formats.format_time_range(dt.time(10), dt.time(11, 30)), "10:00–11:30", "10:00–11:30"),
        (lambda: formats.format_date_range(THURSDAY, THURSDAY), "19.09.2024", "19.09.2024"),
        (
            lambda: formats.format_date_range(THURSDAY, dt.date(2024, 9, 20)),
            "19./20.09.2024",
            "19./20.09.2024",
        ),
        (
            lambda: formats.format_date_range(THURSDAY, dt.date(2024, 9, 21)),
            "19.09.2024 – 21.09.2024",
            "19.09.2024 – 21.09.2024",
        ),
        (lambda: formats.format_number(1234567), "1.234.567", "1,234,567"),
        (lambda: formats.format_number(12), "12", "12"),
        (lambda: formats.format_number(None), "–", "–"),
        (lambda: formats.format_percent(0.125, decimals=1), "12,5 %", "12.5%"),
        (lambda: formats.format_percent(0.5), "50 %", "50%"),
        (lambda: formats.format_percent(None), "–", "–"),
        (lambda: formats.weekday_name(THURSDAY), "Donnerstag", "Thursday"),
        (lambda: formats.month_name(dt.date(2024, 3, 1)), "März", "March"),
    ],
)
def test_formats_follow_the_language(call, german: str, english: str):
    assert call() == german
    i18n.set_language("en")
    assert call() == english


def test_an_explicit_language_wins_over_the_current_one():
    assert formats.format_weekday_date(THURSDAY, language="en") == "Thursday, 19 September 2024"
    assert formats.format_number(1000, language="en") == "1,000"


def test_names_do_not_follow_the_process_locale():
    # strftime("%A") would answer in the C locale's English even with German chosen.
    assert formats.weekday_name(THURSDAY) != THURSDAY.strftime("%A")
