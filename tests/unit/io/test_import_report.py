"""The import's facts in words: every kind of problem has a sentence, a heading and German text."""

from __future__ import annotations

import datetime as dt

import pytest

from checkin.i18n import set_language
from checkin.io.importing import Problem, ProblemKind, RowProblems
from checkin.io.importing import report as words
from checkin.io.importing.facts import ImportReport

VALUES = {
    "value": "Aussteller/in",
    "known": ("Teilnehmer/in", "Presse"),
    "days": (dt.date(2024, 9, 19),),
    "column": "Teilnahme 19.09.",
    "date": dt.date(2024, 9, 19),
    "closest": ("ZW 1", "ZW 2"),
    "first": "A",
    "second": "B",
    "title": "ZW 1",
    "field": "email",
    "limit": 320,
    "code": "B1",
    "earlier": 2,
    "line": 7,
    "encoding": "UTF-8",
    "target": "Presse",
}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", list(ProblemKind))
def test_every_kind_is_put_into_words(kind: ProblemKind, language: str):
    set_language(language)
    problem = Problem(kind, VALUES)
    text = words.describe(problem)
    assert text
    assert "{" not in text
    assert words.heading(kind)
    assert words.describe(problem, assumed=True).startswith(text)


def test_warnings_are_grouped_by_kind_with_their_lines():
    set_language("en")
    email = Problem(ProblemKind.BAD_EMAIL, {"value": "x"})
    no_day = Problem(ProblemKind.NO_DAY)
    report = ImportReport(
        new=3, updated=0, unchanged=0, errors=(), duplicates=(), dry_run=True,
        warnings=(RowProblems(2, (email, no_day)), RowProblems(5, (no_day,)), RowProblems(9, (no_day,))),
    )  # fmt: skip
    groups = words.grouped_warnings(report)
    assert [(title, lines) for title, lines, _messages in groups] == [
        ("No day ticked", [2, 5, 9]),
        ("Not an email address", [2]),
    ]
    assert groups[1][2] == ["'x' is not an email address: imported without email"]
    assert words.summary(report) == "3 new, 0 updated, 0 unchanged, 3 warnings, 0 errors"
    assert words.describe_row(report.warnings[0]).startswith("Line 2: ")
    assert report.lines_by_kind() == {ProblemKind.BAD_EMAIL: [2], ProblemKind.NO_DAY: [2, 5, 9]}
