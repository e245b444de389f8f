"""The import's facts in words, in the user's language: the one place the importer's sentences live.

The window's import wizard and the ``import`` command both show these; the
importer itself only returns kinds and values (``facts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from checkin.i18n import N_, _, ngettext
from checkin.io.importing.facts import (
    CreatedCategory,
    DuplicateWarning,
    ImportReport,
    Problem,
    ProblemKind,
    RowProblems,
)
from checkin.io.importing.fields import FIELDS
from checkin.presentation.formats import format_date


def _field_label(name: str) -> str:
    return next((f.label for f in FIELDS if f.key == name), name)


def _joined(values: Iterable[object], separator: str = ", ") -> str:
    return separator.join(format_date(v) if isinstance(v, dt.date) else str(v) for v in values)


_FACTS: dict[ProblemKind, Callable[[Problem], str]] = {
    ProblemKind.NO_NAME: lambda p: _("no name"),
    ProblemKind.BAD_EMAIL: lambda p: _("'{value}' is not an email address").format(value=p["value"]),
    ProblemKind.UNKNOWN_CATEGORY: lambda p: _("unknown category '{value}' (known: {known})").format(
        value=p["value"], known=_joined(p["known"])
    ),
    ProblemKind.UNKNOWN_STATUS: lambda p: _(
        "unknown status '{value}' (use e.g. active, paid, cancelled, storniert)"
    ).format(value=p["value"]),
    ProblemKind.UNKNOWN_DAY: lambda p: _("unknown day '{value}' (event days: {days})").format(
        value=p["value"], days=_joined(p["days"])
    ),
    ProblemKind.NOT_YES_NO: lambda p: _("'{value}' in the column for {date} is neither yes nor no").format(
        value=p["value"], date=format_date(p["date"])
    ),
    ProblemKind.NO_DAY: lambda p: _("no day is marked"),
    ProblemKind.UNKNOWN_WORKSHOP: lambda p: _("unknown workshop '{value}' (closest: {closest})").format(
        value=p["value"], closest=_joined(p["closest"], "; ")
    ),
    ProblemKind.NO_WORKSHOPS: lambda p: _("the event has no workshops, but '{value}' is given").format(
        value=p["value"]
    ),
    ProblemKind.SAME_TIME: lambda p: _(
        "the workshops '{first}' and '{second}' take place at the same time"
    ).format(first=p["first"], second=p["second"]),
    ProblemKind.WORKSHOP_DAY: lambda p: _(
        "the workshop '{title}' is on {date}, a day this person is not registered for"
    ).format(title=p["title"], date=format_date(p["date"])),
    ProblemKind.TOO_LONG: lambda p: _("{field} is longer than {limit} characters").format(
        field=_field_label(p["field"]), limit=p["limit"]
    ),
    ProblemKind.CODE_REPEATED: lambda p: _("the code {code} was already used on line {line}").format(
        code=p["code"], line=p["earlier"]
    ),
    ProblemKind.SAME_ROW_REPEATED: lambda p: _(
        "the same person with the code {code} is already on line {line}"
    ).format(code=p["code"], line=p["earlier"]),
    ProblemKind.UNKNOWN_PRODUCT: lambda p: _("the product '{value}' names no known category").format(
        value=p["value"]
    ),
    ProblemKind.BAD_TEXT: lambda p: _(
        "line {line} is not valid {encoding} text; it was read as Windows-1252"
    ).format(line=p["line"], encoding=p["encoding"]),
}

# What a row with a warning was imported as ("what was assumed").
_ASSUMED: dict[ProblemKind, Callable[[Problem], str]] = {
    ProblemKind.BAD_EMAIL: lambda p: _("imported without email"),
    ProblemKind.UNKNOWN_CATEGORY: lambda p: (
        _("mapped to {target}").format(target=p["target"])
        if p.values.get("target")
        else _("a new category '{value}' is created").format(value=p["value"])
    ),
    ProblemKind.UNKNOWN_STATUS: lambda p: _("imported as active"),
    ProblemKind.UNKNOWN_DAY: lambda p: _("this part is ignored"),
    ProblemKind.NOT_YES_NO: lambda p: _("taken as yes"),
    # Stored as "no day ticked" (not "every day"): the desk refuses and says why.
    ProblemKind.NO_DAY: lambda p: _("imported, but not admitted at the entrance until a day is set"),
    ProblemKind.UNKNOWN_WORKSHOP: lambda p: _("this workshop is ignored"),
    ProblemKind.NO_WORKSHOPS: lambda p: _("ignored"),
    ProblemKind.SAME_TIME: lambda p: _("both are kept"),
    ProblemKind.WORKSHOP_DAY: lambda p: _("registered for that day too"),
    ProblemKind.TOO_LONG: lambda p: _("shortened"),
    ProblemKind.SAME_ROW_REPEATED: lambda p: _("the later line is used"),
    ProblemKind.UNKNOWN_PRODUCT: lambda p: _("the product is kept as extra information"),
}

# Headings for grouping warnings by kind (wizard and command line).
_HEADINGS: dict[ProblemKind, str] = {
    ProblemKind.NO_NAME: N_("No name"),
    ProblemKind.BAD_EMAIL: N_("Not an email address"),
    ProblemKind.UNKNOWN_CATEGORY: N_("Unknown category"),
    ProblemKind.UNKNOWN_STATUS: N_("Unknown status"),
    ProblemKind.UNKNOWN_DAY: N_("Unknown day"),
    ProblemKind.NOT_YES_NO: N_("Neither yes nor no"),
    ProblemKind.NO_DAY: N_("No day ticked"),
    ProblemKind.UNKNOWN_WORKSHOP: N_("Unknown workshop"),
    ProblemKind.NO_WORKSHOPS: N_("Workshop given, but the event has none"),
    ProblemKind.SAME_TIME: N_("Workshops at the same time"),
    ProblemKind.WORKSHOP_DAY: N_("Workshop on a day not ticked"),
    ProblemKind.TOO_LONG: N_("Text too long"),
    ProblemKind.CODE_REPEATED: N_("One code for two people"),
    ProblemKind.SAME_ROW_REPEATED: N_("Person listed twice"),
    ProblemKind.UNKNOWN_PRODUCT: N_("Unknown product"),
    ProblemKind.BAD_TEXT: N_("Text not readable"),
}


def describe(problem: Problem, *, assumed: bool = False) -> str:
    """One problem in words; with ``assumed``, followed by what the import did about it."""
    text = _FACTS[problem.kind](problem)
    if assumed and problem.kind in _ASSUMED:
        text = _("{problem}: {assumed}").format(problem=text, assumed=_ASSUMED[problem.kind](problem))
    return text


def row_message(row: RowProblems, *, assumed: bool = False) -> str:
    """The problems of one row, joined: "no name; 'x' is not an email address"."""
    return "; ".join(describe(p, assumed=assumed) for p in row.problems)


def describe_row(row: RowProblems, *, assumed: bool = False) -> str:
    """ "Line 3: no name" (``assumed``: with what was assumed, for warnings)."""
    return _("Line {line}: {message}").format(line=row.line, message=row_message(row, assumed=assumed))


def heading(kind: ProblemKind) -> str:
    """A short title for a group of problems of one kind."""
    return _(_HEADINGS[kind])


def lines_text(lines: list[int], limit: int = 30) -> str:
    """ "3, 5, 9" — and "… (N more)" past ``limit``."""
    text = ", ".join(str(n) for n in lines[:limit])
    if len(lines) > limit:
        text += " " + _("… ({count} more)").format(count=len(lines) - limit)
    return text


def grouped_warnings(report: ImportReport) -> list[tuple[str, list[int], list[str]]]:
    """(heading, lines, distinct messages) per kind of warning, the most frequent kind first."""
    groups: dict[ProblemKind, tuple[list[int], dict[str, None]]] = {}
    for note in report.file_notes:
        lines, messages = groups.setdefault(note.kind, ([], {}))
        lines.append(note["line"])
        messages.setdefault(describe(note), None)
    for row in report.warnings:
        for problem in row.problems:
            lines, messages = groups.setdefault(problem.kind, ([], {}))
            if not lines or lines[-1] != row.line:
                lines.append(row.line)
            messages.setdefault(describe(problem, assumed=True), None)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1][0]))
    return [(heading(kind), lines, list(messages)) for kind, (lines, messages) in ordered]


def warnings_by_kind(report: ImportReport) -> list[tuple[str, list[str]]]:
    """(heading with its number of rows, ["Line 3: … : what was assumed", …]) per kind, most rows first."""
    groups: dict[ProblemKind, list[str]] = {}
    for note in report.file_notes:
        groups.setdefault(note.kind, []).append(describe(note))
    for row in report.warnings:
        for problem in row.problems:
            message = _("Line {line}: {message}").format(
                line=row.line, message=describe(problem, assumed=True)
            )
            groups.setdefault(problem.kind, []).append(message)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
    return [
        (_("{heading} ({count})").format(heading=heading(kind), count=len(items)), items)
        for kind, items in ordered
    ]


def describe_duplicate(duplicate: DuplicateWarning) -> str:
    where = ", ".join(str(n) for n in duplicate.lines)
    return _(
        "Possibly the same person under {count} codes: {name} <{email}> ({codes}; line {lines})."
    ).format(
        count=len(duplicate.codes),
        name=duplicate.name,
        email=duplicate.email,
        codes=", ".join(duplicate.codes),
        lines=where,
    )


def describe_created(category: CreatedCategory) -> str:
    return ngettext(
        "New category '{name}' ({n} row)", "New category '{name}' ({n} rows)", category.rows
    ).format(name=category.name, n=category.rows)


def summary(report: ImportReport) -> str:
    """ "3 new, 1 updated, 0 unchanged, 2 warnings, 0 errors"."""
    return _(
        "{new} new, {updated} updated, {unchanged} unchanged, {warnings} warnings, {errors} errors"
    ).format(
        new=report.new,
        updated=report.updated,
        unchanged=report.unchanged,
        warnings=len(report.warnings),
        errors=len(report.errors),
    )


def rejected(report: ImportReport) -> str:
    """Why nothing was imported (rows with errors and no ``skip_invalid``)."""
    first = report.errors[0]
    return _("Nothing was imported: {count} rows have errors (first: line {line}: {message}).").format(
        count=len(report.errors), line=first.line, message=row_message(first)
    )


def write_refused(error: str) -> str:
    """Why the database did not take the import (``error``: the database's own message)."""
    lowered = error.casefold()
    if "readonly" in lowered or "read-only" in lowered:
        return _("The database is read-only; nothing was imported.")
    if "full" in lowered or "no space" in lowered or "too large" in lowered:
        return _("The disk is full; nothing was imported. Free some space and import the file again.")
    return _("The database refused the import ({error}); nothing was imported.").format(error=error)
