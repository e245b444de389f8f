"""Importing registration lists (CSV, XLSX) into an event; see ``service`` for the rules.

Callers use :class:`ImportService` and the facts it returns; ``report`` puts
those facts into words.
"""

from __future__ import annotations

from checkin.io.importing.choices import ValueChoices, parse_value_maps
from checkin.io.importing.facts import (
    DuplicateWarning,
    ImportConflictError,
    ImportMappingError,
    ImportRejectedError,
    ImportReport,
    Problem,
    ProblemKind,
    RowProblems,
)
from checkin.io.importing.fields import FIELDS, FieldSpec, fields_for_event
from checkin.io.importing.preview import ImportPreview
from checkin.io.importing.reading import ImportFileError
from checkin.io.importing.service import ImportService, unknown_values

__all__ = [
    "FIELDS",
    "DuplicateWarning",
    "FieldSpec",
    "ImportConflictError",
    "ImportFileError",
    "ImportMappingError",
    "ImportPreview",
    "ImportRejectedError",
    "ImportReport",
    "ImportService",
    "Problem",
    "ProblemKind",
    "RowProblems",
    "ValueChoices",
    "fields_for_event",
    "parse_value_maps",
    "unknown_values",
]
