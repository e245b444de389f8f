"""What an import found and did, as facts: kinds and values, no sentences.

``report`` turns these into words in the user's language; the window and the
command line show those words. Errors keep a row out of the import; warnings
let it in and say what was assumed (``Problem.assumed``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checkin.domain.errors import UserError


class ProblemKind(enum.StrEnum):
    """Everything a row of a list can get wrong; the values each kind carries are listed."""

    NO_NAME = "no_name"  # -
    BAD_EMAIL = "bad_email"  # value
    UNKNOWN_CATEGORY = "unknown_category"  # value, known
    UNKNOWN_STATUS = "unknown_status"  # value
    UNKNOWN_DAY = "unknown_day"  # value, days
    NOT_YES_NO = "not_yes_no"  # value, column, date
    NO_DAY = "no_day"  # -
    UNKNOWN_WORKSHOP = "unknown_workshop"  # value, closest
    NO_WORKSHOPS = "no_workshops"  # value
    SAME_TIME = "same_time"  # first, second
    WORKSHOP_DAY = "workshop_day"  # title, date
    TOO_LONG = "too_long"  # field, limit
    CODE_REPEATED = "code_repeated"  # code, earlier
    SAME_ROW_REPEATED = "same_row_repeated"  # code, earlier
    UNKNOWN_PRODUCT = "unknown_product"  # value
    BAD_TEXT = "bad_text"  # column (undecodable bytes in the line)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row: its kind and the values a message needs (cell text, dates, …)."""

    kind: ProblemKind
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass(frozen=True)
class RowProblems:
    """The problems of one row; ``line`` is the line number as shown in the file (header = its line)."""

    line: int
    problems: tuple[Problem, ...]

    @property
    def kinds(self) -> tuple[ProblemKind, ...]:
        return tuple(p.kind for p in self.problems)


@dataclass(frozen=True)
class DuplicateWarning:
    """Active registrations under different codes that look like the same person (same email and name)."""

    name: str
    email: str
    codes: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class CreatedCategory:
    """A category the import creates for a value the event did not know (``value`` as in the file)."""

    key: str
    name: str
    rows: int


@dataclass(frozen=True)
class ImportReport:
    """What an import changed (or, for a dry run or a refused file, would change).

    ``errors`` are rows that were not imported; ``warnings`` rows that were, with an assumption.
    """

    new: int
    updated: int
    unchanged: int
    errors: tuple[RowProblems, ...]
    duplicates: tuple[DuplicateWarning, ...]
    dry_run: bool
    skipped: int = 0
    not_in_file: int = 0
    generated_codes: int = 0
    file_name: str = ""
    warnings: tuple[RowProblems, ...] = ()
    created_categories: tuple[CreatedCategory, ...] = ()
    file_notes: tuple[Problem, ...] = ()

    def lines_by_kind(self, which: str = "warnings") -> dict[ProblemKind, list[int]]:
        """Kind -> the lines with a problem of that kind (in file order), for ``errors`` or ``warnings``."""
        grouped: dict[ProblemKind, list[int]] = {}
        for row in getattr(self, which):
            for problem in row.problems:
                lines = grouped.setdefault(problem.kind, [])
                if not lines or lines[-1] != row.line:
                    lines.append(row.line)
        return grouped


class ImportMappingError(UserError):
    """A field, column or value named in a mapping does not exist."""


class ImportConflictError(UserError):
    """The database refused the import's writes (changed meanwhile); nothing was changed."""


class ImportRejectedError(UserError):
    """Rows have errors and invalid rows were not to be skipped; nothing was changed."""

    def __init__(self, report: ImportReport, message: str) -> None:
        super().__init__(message)
        self.report = report
