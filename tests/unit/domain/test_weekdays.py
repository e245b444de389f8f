"""The one weekday table: German, English and short names per ``date.weekday()``."""

from __future__ import annotations

import datetime as dt

from checkin.domain.weekdays import WEEKDAY_WORDS, weekday_words


def test_names_follow_date_weekday():
    week = [dt.date(2024, 9, 16) + dt.timedelta(days=n) for n in range(7)]  # Monday .. Sunday
    assert [weekday_words(d)[:2] for d in week] == [
        ("montag", "monday"),
        ("dienstag", "tuesday"),
        ("mittwoch", "wednesday"),
        ("donnerstag", "thursday"),
        ("freitag", "friday"),
        ("samstag", "saturday"),
        ("sonntag", "sunday"),
    ]


def test_saturday_is_also_sonnabend():
    assert "sonnabend" in weekday_words(dt.date(2024, 9, 21))
    assert sum("sonnabend" in names for names in WEEKDAY_WORDS) == 1
