"""Importing registration lists into an event: read and preview, then apply in one transaction.

Matching rows to registrations already in the database:

* A row with a code (a code column, e.g. "Buchungsnummer" or pretix's
  "Ticket secret") is the registration with that code: updated when a field
  differs, else unchanged.
* A row without a code (a list that has no code column, or an empty cell) is
  matched by email address and name (case and accents ignored) to a
  registration that is not otherwise claimed by this file; if none matches it
  gets a new signed code (``generate_code``). Re-importing the same list
  therefore updates those people instead of creating them again. Renaming a
  person or changing their email in such a list makes them a new
  registration; the old one stays and is counted in ``not_in_file``.
* Only fields the file has a column for are updated: a list without an email
  column leaves stored emails alone, one without a title column keeps stored
  titles (unless a name cell carries one, "Dr. Anna"). New registrations
  without a day column attend every day; without a category column they get
  the default category; without a status column they are active.
* Registrations not in the file are left as they are (counted as
  ``not_in_file``); nothing is ever deleted by an import.
* Two active registrations with the same email and name under different codes
  are reported as possible duplicates and never merged.

All-or-nothing: a file with invalid rows changes nothing unless
``skip_invalid`` is set, in which case only the valid rows are applied.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from checkin.domain.codes import generate_code, has_code_shape
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.models import utcnow
from checkin.domain.names import (
    PersonName,
    clean_name_parts,
    clean_text,
    clean_title,
    is_title_token,
    join_titles,
    name_key,
    split_full_name,
)
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.domain.weekdays import WEEKDAY_WORDS
from checkin.i18n import _
from checkin.io.columns import (
    FIELD_KEYS,
    FIELDS,
    FORMATS,
    NAME_FIELDS,
    ColumnMapping,
    FieldSpec,
    apply_overrides,
    dates_in_text,
    detect_format,
    detect_mapping,
    fields_for_event,
    find_header_row,
    header_score,
    normalise_header,
    parse_day_field,
)
from checkin.io.readers import ImportFileError, read_table

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
    "ImportRowError",
    "ImportService",
    "fields_for_event",
]

SAMPLE_ROWS = 20
_CHUNK = 2000
_MAX_ERRORS_IN_MESSAGE = 5

_YES = frozenset(
    {"ja", "j", "yes", "y", "x", "1", "true", "wahr", "✓", "✔", "☑", "+", "teilnahme", "angemeldet"}
)
_NO = frozenset(
    {"nein", "n", "no", "0", "false", "falsch", "-", "–", "☐", "", "abgemeldet", "keine teilnahme"}
)
_ALL_DAYS = frozenset({"alle", "beide", "both", "all", "beide tage", "alle tage", "all days", "both days"})
_ACTIVE = frozenset(
    {
        "",
        "active",
        "aktiv",
        "paid",
        "bezahlt",
        "pending",
        "ausstehend",
        "offen",
        "confirmed",
        "bestätigt",
        "bestaetigt",
        "angemeldet",
        "registered",
        "attending",
        "checked in",
        "checked_in",
        "eingecheckt",
        "completed",
        "complete",
        "acquired",
        "to_be_paid",
        "awaiting_payment",
        "unpaid",
        "moderation",
        "ok",
        "valid",
        "gültig",
        "transferred",
        "zugesagt",
    }
)
_CANCELLED = frozenset(
    {
        "cancelled",
        "canceled",
        "storniert",
        "abgesagt",
        "abgemeldet",
        "expired",
        "abgelaufen",
        "refunded",
        "erstattet",
        "not attending",
        "deleted",
        "gelöscht",
        "withdrawn",
        "zurückgezogen",
        "rejected",
        "abgelehnt",
        "released",
        "invalidated",
        "invalid",
        "ungültig",
        "canceled (refunded)",
    }
)
_WORKSHOP_SPLIT = re.compile(r"[,;\n]+")
_DAYS_SPLIT = re.compile(r"[,;/\n+&]+|\s+und\s+|\s+and\s+")
_LIMITS = {
    "code": 200,
    "order_code": 200,
    "title": 100,
    "first_name": 200,
    "last_name": 200,
    "organisation": 500,
    "function": 300,
    "email": 320,
}
# Columns of ``registrations`` an import writes; which of them it manages depends on the mapping.
_ALWAYS = ("title", "first_name", "last_name")
_OPTIONAL = ("order_code", "organisation", "function", "email", "category_id", "status", "notes")
_COLUMNS = (*_ALWAYS, *_OPTIONAL)
_INDEX = {name: index for index, name in enumerate(_COLUMNS)}
_MISSING: Any = object()  # a column the file does not have
_TITLE = _INDEX["title"]
_OPTIONAL_SOURCE = {
    "order_code": "order_code",
    "organisation": "organisation",
    "function": "function",
    "email": "email",
    "category_id": "category",
    "status": "status",
    "notes": "notes",
}


class ImportMappingError(UserError):
    """A field or column named in a mapping does not exist."""


class ImportConflictError(UserError):
    """The database refused the import's writes (changed meanwhile); nothing was changed."""


@dataclass(frozen=True)
class ImportRowError:
    """A row that cannot be imported; ``line`` is the line number as shown in the file (header = its line)."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Line {line}: {message}").format(line=self.line, message=self.message)


@dataclass(frozen=True)
class DuplicateWarning:
    """Active registrations under different codes that look like the same person (same email and name)."""

    name: str
    email: str
    codes: tuple[str, ...]
    lines: tuple[int, ...]

    def __str__(self) -> str:
        where = ", ".join(str(n) for n in self.lines)
        return _(
            "Possibly the same person under {count} codes: {name} <{email}> ({codes}; line {lines})."
        ).format(
            count=len(self.codes), name=self.name, email=self.email, codes=", ".join(self.codes), lines=where
        )


@dataclass(frozen=True)
class ImportReport:
    """What an import changed (or, for a dry run or a refused file, would change)."""

    new: int
    updated: int
    unchanged: int
    errors: tuple[ImportRowError, ...]
    duplicates: tuple[DuplicateWarning, ...]
    dry_run: bool
    skipped: int = 0
    not_in_file: int = 0
    generated_codes: int = 0
    file_name: str = ""

    def summary(self) -> str:
        return _("{new} new, {updated} updated, {unchanged} unchanged, {errors} errors").format(
            new=self.new, updated=self.updated, unchanged=self.unchanged, errors=len(self.errors)
        )


class ImportRejectedError(UserError):
    """Rows have errors and invalid rows were not to be skipped; nothing was changed."""

    def __init__(self, report: ImportReport) -> None:
        first = report.errors[0]
        super().__init__(
            _("Nothing was imported: {count} rows have errors (first: line {line}: {message}).").format(
                count=len(report.errors), line=first.line, message=first.message
            )
        )
        self.report = report


@dataclass(frozen=True, eq=False)
class ImportPreview:
    """A read file and its detected (or chosen) column mapping; nothing is written yet."""

    path: Path
    format: str
    headers: tuple[str, ...]
    mapping: Mapping[str, str]
    sample: tuple[dict[str, str], ...]
    row_count: int
    header_line: int
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    event_id: int = 0
    rows: Sequence[tuple[str, ...]] = field(default=(), repr=False)
    lines: Sequence[int] = field(default=(), repr=False)

    @property
    def generates_codes(self) -> bool:
        """True when the file has no code column: codes are created, re-imports match by email + name."""
        return "code" not in self.mapping

    @property
    def has_name_column(self) -> bool:
        return any(f in self.mapping for f in NAME_FIELDS)

    @property
    def unmapped_headers(self) -> tuple[str, ...]:
        used = set(self.mapping.values()) | set(self.fallbacks.values())
        return tuple(h for h in self.headers if h not in used)

    def with_mapping(self, new_mapping: Mapping[str, str]) -> ImportPreview:
        """The same file with another mapping (field -> header; empty headers are dropped).

        Raises:
            ImportMappingError: a field or a header is unknown.
        """
        fields: dict[str, str] = {}
        for key, header in new_mapping.items():
            if not header:
                continue
            if key not in FIELD_KEYS and parse_day_field(key) is None:
                raise ImportMappingError(
                    _("Unknown field '{field}'. Known fields: {fields}.").format(
                        field=key, fields=", ".join(FIELD_KEYS)
                    )
                )
            if header not in self.headers:
                raise ImportMappingError(
                    _("The file has no column '{column}'. Its columns are: {columns}.").format(
                        column=header, columns=", ".join(self.headers)
                    )
                )
            fields[key] = header
        fallbacks = {k: v for k, v in self.fallbacks.items() if k in fields and v != fields[k]}
        return replace(
            self, mapping=fields, fallbacks=fallbacks, sample=_sample(self.headers, fields, self.rows)
        )


def _sample(
    headers: Sequence[str], mapping: Mapping[str, str], rows: Sequence[tuple[str, ...]]
) -> tuple[dict[str, str], ...]:
    index = {h: i for i, h in enumerate(headers)}
    result = []
    for row in rows[:SAMPLE_ROWS]:
        result.append(
            {f: (row[index[h]] if index[h] < len(row) else "") for f, h in mapping.items() if h in index}
        )
    return tuple(result)


def _unique_headers(cells: Sequence[str]) -> tuple[str, ...]:
    headers: list[str] = []
    seen: set[str] = set()
    for number, cell in enumerate(cells, start=1):
        name = clean_text(cell) or _("Column {number}").format(number=number)
        candidate, suffix = name, 2
        while candidate in seen:
            candidate = f"{name} ({suffix})"
            suffix += 1
        seen.add(candidate)
        headers.append(candidate)
    return tuple(headers)


# --------------------------------------------------------------------------- value matching


class _CategoryMatcher:
    def __init__(self, event: EventInfo) -> None:
        self._event = event
        self._cache: dict[str, int | str] = {}
        self._by_name: dict[str, int] = {}
        for cat in event.categories:
            for name in (cat.key, cat.name, cat.badge_label, *cat.aliases):
                norm = normalise_header(name)
                if norm:
                    self._by_name.setdefault(norm, cat.id)

    def match(self, value: str) -> int | str:
        """The category id, or an error message."""
        if not value:
            return self._event.default_category.id
        if value not in self._cache:
            self._cache[value] = self._match(value)
        return self._cache[value]

    def _match(self, value: str) -> int | str:
        found = self._by_name.get(normalise_header(value))
        if found is not None:
            return found
        return _("unknown category '{value}' (known: {known})").format(
            value=value, known=", ".join(c.name for c in self._event.categories)
        )


class _WorkshopMatcher:
    """Workshops by key, title, the part after "Zukunftswerkstatt 1:", their number, or fuzzily."""

    def __init__(self, event: EventInfo) -> None:
        self._workshops = event.workshops
        self._names: list[tuple[str, SessionInfo]] = []
        self._by_number: dict[int, SessionInfo] = {}
        numbers: dict[int, list[SessionInfo]] = defaultdict(list)
        for ws in self._workshops:
            forms = {ws.key, ws.title}
            head, sep, tail = ws.title.partition(":")
            if sep:
                forms.add(tail)
                number = re.search(r"(\d+)\s*$", head)
                if number:
                    numbers[int(number.group(1))].append(ws)
            for form in forms:
                norm = normalise_header(form)
                if norm:
                    self._names.append((norm, ws))
        self._by_number = {n: items[0] for n, items in numbers.items() if len(items) == 1}
        self._exact: dict[str, set[int]] = {}
        for norm, ws in self._names:
            self._exact.setdefault(norm, set()).add(ws.id)
        self._cache: dict[str, SessionInfo | None] = {}
        self._cell_cache: dict[str, frozenset[int] | str] = {}
        self._conflicts: dict[tuple[frozenset[int], frozenset[int] | None], str] = {}

    def _one(self, text: str) -> SessionInfo | None:
        norm = normalise_header(text)
        if not norm:
            return None
        if norm in self._cache:
            return self._cache[norm]
        result: SessionInfo | None = None
        exact = self._exact.get(norm)
        if exact and len(exact) == 1:
            result = next(ws for ws in self._workshops if ws.id in exact)
        else:
            number = re.fullmatch(r"[^\d]{0,30}?(\d+)", norm)
            if number and int(number.group(1)) in self._by_number:
                result = self._by_number[int(number.group(1))]
            else:
                result = self._fuzzy(norm)
        self._cache[norm] = result
        return result

    def _fuzzy(self, norm: str) -> SessionInfo | None:
        from rapidfuzz import fuzz

        best: dict[int, float] = {}
        for name, ws in self._names:
            score = fuzz.ratio(norm, name)
            if len(norm) >= 6:
                score = max(score, fuzz.partial_ratio(norm, name) * 0.95 if len(norm) < len(name) else 0)
            best[ws.id] = max(best.get(ws.id, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        if not ranked or ranked[0][1] < 85:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 5:
            return None
        return next(ws for ws in self._workshops if ws.id == ranked[0][0])

    def conflict(self, ids: frozenset[int], day_ids: frozenset[int] | None) -> str:
        """Why these workshops cannot all be attended (same time, or a day not registered), or ""."""
        if not ids:
            return ""
        key = (ids, day_ids)
        if key not in self._conflicts:
            self._conflicts[key] = self._conflict(ids, day_ids)
        return self._conflicts[key]

    def _conflict(self, ids: frozenset[int], day_ids: frozenset[int] | None) -> str:
        chosen = sorted((ws for ws in self._workshops if ws.id in ids), key=lambda ws: ws.title)
        for index, first in enumerate(chosen):
            for second in chosen[index + 1 :]:
                if first.overlaps(second):
                    return _("the workshops '{first}' and '{second}' take place at the same time").format(
                        first=first.title, second=second.title
                    )
        if day_ids is not None:
            for ws in chosen:
                if ws.day_id not in day_ids:
                    return _(
                        "the workshop '{title}' is on {date}, a day this person is not registered for"
                    ).format(title=ws.title, date=ws.day.strftime("%d.%m.%Y"))
        return ""

    def closest(self, text: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz

        norm = normalise_header(text)
        scored: dict[str, float] = {}
        for name, ws in self._names:
            scored[ws.title] = max(scored.get(ws.title, 0.0), fuzz.WRatio(norm, name))
        return [title for title, _score in sorted(scored.items(), key=lambda i: i[1], reverse=True)[:limit]]

    def match(self, cell: str) -> frozenset[int] | str:
        """The workshop ids named in a cell, or an error message."""
        found = self._cell_cache.get(cell)
        if found is None:
            found = self._cell_cache[cell] = self._match(cell)
        return found

    def _match(self, cell: str) -> frozenset[int] | str:
        ids: list[int] = []
        cell = cell.strip()
        if not cell:
            return frozenset()
        # The whole cell first: titles may hold separators ("FbW/Reha"). Only exactly, when the
        # cell has separators: a fuzzy match could pick one workshop out of a list of two.
        if _WORKSHOP_SPLIT.search(cell) or "/" in cell:
            exact = self._exact.get(normalise_header(cell))
            whole = next((ws for ws in self._workshops if exact and len(exact) == 1 and ws.id in exact), None)
        else:
            whole = self._one(clean_text(cell))
        if whole is not None:
            return frozenset({whole.id})
        for part in (clean_text(p) for p in _WORKSHOP_SPLIT.split(cell)):
            if not part or normalise_header(part) in {"keine", "kein", "none", "nein", "no"}:
                continue
            found = self._one(part)
            if found is None and "/" in part:
                pieces = [self._one(p) for p in part.split("/") if p.strip()]
                if pieces and all(pieces):
                    ids.extend(p.id for p in pieces if p)
                    continue
            if found is None:
                closest = self.closest(part)
                if not self._workshops:
                    return _("the event has no workshops, but '{value}' is given").format(value=part)
                return _("unknown workshop '{value}' (closest: {closest})").format(
                    value=part, closest="; ".join(closest)
                )
            ids.append(found.id)
        return frozenset(ids)


class _DayParser:
    def __init__(self, event: EventInfo) -> None:
        self._event = event
        self._years = sorted({d.date.year for d in event.days})
        self._ids = {d.date: d.id for d in event.days}
        self.all_days = frozenset(self._ids.values())
        weekday_names = WEEKDAY_WORDS
        self._words: dict[str, int] = {}
        for number, day in enumerate(event.days, start=1):
            for word in (
                *weekday_names[day.date.weekday()],
                f"tag{number}",
                f"day{number}",
                str(number),
                normalise_header(day.label),
            ):
                if word:
                    self._words.setdefault(normalise_header(word), day.id)

    def yes_no(self, value: str) -> bool | None:
        text = value.casefold().strip()
        if text in _YES:
            return True
        if text in _NO:
            return False
        return None

    def parse_list(self, value: str) -> frozenset[int] | str:
        text = value.strip()
        if not text or text.casefold() in _ALL_DAYS:
            return self.all_days
        whole = _parse_loose_date(text)
        if whole in self._ids:
            return frozenset({self._ids[whole]})
        ids: set[int] = set()
        for part in (p.strip() for p in _DAYS_SPLIT.split(text)):
            if not part:
                continue
            dates = [d for d in dates_in_text(part, self._years) if d in self._ids]
            if dates:
                ids.update(self._ids[d] for d in dates)
                continue
            parsed = _parse_loose_date(part)
            if parsed in self._ids:
                ids.add(self._ids[parsed])
                continue
            word = self._words.get(normalise_header(part))
            if word is not None:
                ids.add(word)
                continue
            if part.casefold() in _ALL_DAYS:
                ids.update(self.all_days)
                continue
            return _("unknown day '{value}' (event days: {days})").format(
                value=part, days=", ".join(d.date.strftime("%d.%m.%Y") for d in self._event.days)
            )
        return frozenset(ids)


def _parse_loose_date(text: str) -> dt.date | None:
    for fmt in ("%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%a, %b %d, %Y", "%A, %B %d, %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_status(value: str) -> str | None:
    text = value.casefold().strip()
    if text in _ACTIVE:
        return "active"
    if text in _CANCELLED or text.startswith(("cancel", "storn")):
        return "cancelled"
    return None


# --------------------------------------------------------------------------- the service


@dataclass(slots=True)
class _Row:
    line: int
    code: str
    values: tuple[Any, ...]  # aligned with _COLUMNS; _MISSING where the file has no column
    days: frozenset[int] | None
    sessions: frozenset[int] | None
    extra: dict[str, str]
    first_name: str
    last_name: str
    email: str


@dataclass(slots=True)
class _Existing:
    id: int
    code: str
    values: tuple[Any, ...]  # aligned with _COLUMNS
    extra: dict[str, Any]
    status: str
    first_name: str
    last_name: str
    email: str
    days: frozenset[int] = frozenset()
    sessions: frozenset[int] = frozenset()


class ImportService:
    """Reads registration lists and applies them to one event (see the module docstring for matching)."""

    def __init__(self, db: Database, event: EventInfo, *, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._db = db
        self._event = event
        self._clock = clock

    # ------------------------------------------------------------------ read

    def read(
        self, path: Path | str, *, format: str = "auto", overrides: Mapping[str, str] = {}
    ) -> ImportPreview:
        """Parse ``path`` and detect the column mapping; writes nothing.

        Raises:
            ImportFileError: not a registration list (empty, PDF, binary, no name column, no rows).
            ImportMappingError: an override names an unknown field or column.
        """
        path = Path(path)
        if format not in FORMATS:
            raise ImportMappingError(
                _("Unknown format '{format}'. Known formats: {formats}.").format(
                    format=format, formats=", ".join(FORMATS)
                )
            )
        label = self._event.workshop_label

        def is_list(rows: list[tuple[str, ...]]) -> bool:
            return header_score(rows[find_header_row(rows, label)], label) >= 2

        table = read_table(path, is_list=is_list)
        header_index = find_header_row(table.rows, label)
        headers = _unique_headers(table.rows[header_index])
        rows = table.rows[header_index + 1 :]
        lines = table.lines[header_index + 1 :]
        detected = detect_format(headers) if format == "auto" else format
        mapping = detect_mapping(headers, preset=detected, workshop_label=label, days=self._event.days)
        fields = dict(mapping.fields)
        if "code" not in fields and "order_code" in fields and "code" not in overrides:
            column = headers.index(fields["order_code"])
            values = [r[column] if column < len(r) else "" for r in rows]
            if all(values) and len(set(values)) == len(values):
                fields["code"] = fields["order_code"]
        mapping = ColumnMapping(fields=fields, fallbacks=mapping.fallbacks)
        if overrides:
            try:
                mapping = apply_overrides(mapping, overrides, headers, self._event)
            except ValueError as exc:
                raise ImportMappingError(str(exc)) from exc
        if not any(f in mapping.fields for f in NAME_FIELDS):
            raise ImportFileError(
                _(
                    "{name} does not look like a registration list: no column with names was found "
                    "(such as Vorname, Nachname, Name, First name, Last name, Attendee name). "
                    "Its columns are: {columns}."
                ).format(name=path.name, columns=", ".join(headers[:30]))
            )
        if not rows:
            raise ImportFileError(
                _("{name} has a header row but no registrations below it.").format(name=path.name)
            )
        return ImportPreview(
            path=path,
            format=detected,
            headers=headers,
            mapping=dict(mapping.fields),
            sample=_sample(headers, mapping.fields, rows),
            row_count=len(rows),
            header_line=table.lines[header_index],
            encoding=table.encoding,
            delimiter=table.delimiter,
            sheet=table.sheet,
            fallbacks=dict(mapping.fallbacks),
            event_id=self._event.id,
            rows=rows,
            lines=lines,
        )

    # ------------------------------------------------------------------ apply

    def apply(
        self,
        preview: ImportPreview,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        progress: Progress = NullProgress(),  # noqa: B008
    ) -> ImportReport:
        """Import the rows of ``preview``; all or nothing unless ``skip_invalid``.

        Raises:
            ImportFileError: the mapping has no name column.
            ImportRejectedError: rows have errors and ``skip_invalid`` is false (not for a dry run).
            Cancelled: ``progress`` asked to stop; nothing was changed.
        """
        if preview.event_id and preview.event_id != self._event.id:
            raise ImportMappingError(_("This preview was read for another event; read the file again."))
        if not preview.has_name_column:
            raise ImportFileError(
                _("Choose the column that holds the names (full name, or first and last name).")
            )
        total = preview.row_count
        progress.update(0, total, _("Checking rows …"))
        rows, errors = self._convert(preview, progress)
        managed = self._managed_columns(preview)
        manage_days = "days" in preview.mapping or any(parse_day_field(k) for k in preview.mapping)
        manage_sessions = "workshops" in preview.mapping
        check_cancelled(progress)
        if dry_run:
            with self._db.session_factory() as session:
                plan = self._plan(session, rows, errors, managed, manage_days, manage_sessions, preview)
            return self._report(plan, errors, preview, dry_run=True, skip_invalid=skip_invalid)
        from sqlalchemy.exc import IntegrityError

        try:
            with self._db.session_factory.begin() as session:
                plan = self._plan(session, rows, errors, managed, manage_days, manage_sessions, preview)
                report = self._report(plan, errors, preview, dry_run=False, skip_invalid=skip_invalid)
                if errors and not skip_invalid:
                    raise ImportRejectedError(report)
                check_cancelled(progress)
                self._write(session, plan, managed, manage_days, manage_sessions, preview, report, progress)
                check_cancelled(progress)
        except IntegrityError as exc:
            # Only possible if the event's data changed under us in a way the plan could not see
            # (e.g. a database without our locking); the transaction was rolled back.
            raise ImportConflictError(
                _("The registrations changed while importing; nothing was imported. Import the file again.")
            ) from exc
        progress.update(total, total, report.summary())
        return report

    def _managed_columns(self, preview: ImportPreview) -> tuple[str, ...]:
        optional = tuple(c for c in _OPTIONAL if _OPTIONAL_SOURCE[c] in preview.mapping)
        return _ALWAYS + optional

    def _convert(self, preview: ImportPreview, progress: Progress) -> tuple[list[_Row], list[ImportRowError]]:
        event = self._event
        index = {h: i for i, h in enumerate(preview.headers)}
        col = {f: index[h] for f, h in preview.mapping.items() if h in index}
        fallback = {f: index[h] for f, h in preview.fallbacks.items() if h in index and f in col}
        day_cols: list[tuple[int, DayInfo]] = []
        for key, column in col.items():
            date = parse_day_field(key)
            day = event.day_by_date(date) if date is not None else None
            if day is not None:
                day_cols.append((column, day))
        mapped_indices = set(col.values()) | set(fallback.values())
        salutation_col = col.get("salutation")
        extra_cols = [
            (i, h) for i, h in enumerate(preview.headers) if i not in mapped_indices or i == salutation_col
        ]
        categories = _CategoryMatcher(event)
        workshops = _WorkshopMatcher(event)
        days = _DayParser(event)
        set_cache: dict[frozenset[int], frozenset[int]] = {}
        extra_cache: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        has = col.__contains__
        title_column = "title" in col or "salutation" in col

        rows: list[_Row] = []
        errors: list[ImportRowError] = []
        seen_codes: dict[str, int] = {}
        for number, (cells, line) in enumerate(zip(preview.rows, preview.lines, strict=True)):
            if number % 1000 == 0:
                check_cancelled(progress)
                progress.update(number, preview.row_count, _("Checking rows …"))
            width = len(cells)

            def get(name: str, cells: tuple[str, ...] = cells, width: int = width) -> str:
                i = col.get(name)
                if i is None or i >= width:
                    return ""
                value = clean_text(cells[i])
                if not value and name in fallback and fallback[name] < width:
                    value = clean_text(cells[fallback[name]])
                return value

            problems: list[str] = []
            # names
            title = clean_title(get("title"))
            salutation = get("salutation")
            sal_tokens = salutation.split(" ") if salutation else []
            if sal_tokens and any(is_title_token(t) for t in sal_tokens):
                title = join_titles(title, clean_title(salutation))
            first, last = get("first_name"), get("last_name")
            if first or last:
                person = clean_name_parts(title, first, last)
            else:
                split = split_full_name(get("full_name"))
                person = PersonName(join_titles(title, split.title), split.first_name, split.last_name)
            if not person.first_name and not person.last_name:
                problems.append(_("no name"))
            values: dict[str, Any] = {"first_name": person.first_name, "last_name": person.last_name}
            # Without a title column an empty title says nothing: a stored "Prof. Dr." stays.
            if person.title or title_column:
                values["title"] = person.title
            email = get("email")
            if email.casefold().startswith("mailto:"):
                email = email[len("mailto:") :].strip()
            if email and ("@" not in email or " " in email or email.count("@") != 1):
                problems.append(_("'{value}' is not an email address").format(value=email))
            if has("email"):
                values["email"] = email
            for name in ("order_code", "organisation", "function", "notes"):
                if has(name):
                    values[name] = get(name)
            if has("category"):
                category = categories.match(get("category"))
                if isinstance(category, str):
                    problems.append(category)
                else:
                    values["category_id"] = category
            if has("status"):
                raw_status = get("status")
                status = _parse_status(raw_status)
                if status is None:
                    problems.append(
                        _("unknown status '{value}' (use e.g. active, paid, cancelled, storniert)").format(
                            value=raw_status
                        )
                    )
                else:
                    values["status"] = status
            # days
            day_ids: frozenset[int] | None = None
            if has("days"):
                parsed = days.parse_list(get("days"))
                if isinstance(parsed, str):
                    problems.append(parsed)
                else:
                    day_ids = parsed
            elif day_cols:
                chosen: set[int] = set()
                for i, day in day_cols:
                    raw = clean_text(cells[i]) if i < width else ""
                    answer = days.yes_no(raw)
                    if answer is None:
                        problems.append(
                            _("'{value}' in the column for {date} is neither yes nor no").format(
                                value=raw, date=day.date.strftime("%d.%m.%Y")
                            )
                        )
                    elif answer:
                        chosen.add(day.id)
                day_ids = frozenset(chosen)
            if day_ids is not None and not day_ids and not problems:
                problems.append(_("no day is marked"))
            # workshops
            session_ids: frozenset[int] | None = None
            if has("workshops"):
                # raw: a line break inside the cell separates workshops, so it must survive cleaning
                i = col["workshops"]
                matched = workshops.match(cells[i] if i < width else "")
                if isinstance(matched, str):
                    problems.append(matched)
                else:
                    session_ids = matched
                    conflict = workshops.conflict(matched, day_ids)
                    if conflict:
                        problems.append(conflict)
            # code
            code = get("code").replace(" ", "") if has("code") else ""
            if code and not has_code_shape(code.upper()) and " " in get("code"):
                code = get("code")
            for name, limit in _LIMITS.items():
                value = code if name == "code" else values.get(name, "")
                if isinstance(value, str) and len(value) > limit:
                    problems.append(
                        _("{field} is longer than {limit} characters").format(
                            field=_field_label(name), limit=limit
                        )
                    )
            if code:
                earlier = seen_codes.get(code)
                if earlier is not None:
                    problems.append(
                        _("the code {code} was already used on line {line}").format(code=code, line=earlier)
                    )
                else:
                    seen_codes[code] = line
            if problems:
                errors.append(ImportRowError(line, "; ".join(problems)))
                continue
            extra = {}
            for i, header in extra_cols:
                if i < width and cells[i]:
                    value = clean_text(cells[i])
                    if value:
                        extra[header] = value
            # Rows often share their extra columns ("Anrede": "Frau"): share the dicts too.
            extra = extra_cache.setdefault(tuple(extra.items()), extra) if len(extra) < 4 else extra
            if day_ids is not None:
                day_ids = set_cache.setdefault(day_ids, day_ids)
            if session_ids is not None:
                session_ids = set_cache.setdefault(session_ids, session_ids)
            rows.append(
                _Row(
                    line=line,
                    code=code,
                    values=tuple(values.get(c, _MISSING) for c in _COLUMNS),
                    days=day_ids,
                    sessions=session_ids,
                    extra=extra,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=email,
                )
            )
        return rows, errors

    def _load_existing(
        self, session: Any, manage_days: bool, manage_sessions: bool
    ) -> tuple[dict[str, _Existing], dict[int, _Existing]]:
        from sqlalchemy import select

        from checkin.domain.models import Registration, registration_days, registration_sessions

        columns = _COLUMNS
        query = select(
            Registration.id,
            Registration.code,
            *(getattr(Registration, c) for c in columns),
            Registration.extra,
        ).where(Registration.event_id == self._event.id)
        by_code: dict[str, _Existing] = {}
        by_id: dict[int, _Existing] = {}
        status_index, order_index = _INDEX["status"], _INDEX["order_code"]
        extra_cache: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
        for row in session.execute(query):
            values = list(row[2:-1])
            status = values[status_index]
            values[status_index] = status.value if hasattr(status, "value") else str(status)
            values[order_index] = values[order_index] or ""
            extra = row[-1] or {}
            if len(extra) < 4:
                with contextlib.suppress(TypeError):  # unhashable values (lists) in an edited extra
                    extra = extra_cache.setdefault(tuple(extra.items()), extra)
            item = _Existing(
                id=row[0],
                code=row[1],
                values=tuple(values),
                extra=extra,
                status=values[status_index],
                first_name=values[_INDEX["first_name"]],
                last_name=values[_INDEX["last_name"]],
                email=values[_INDEX["email"]],
            )
            by_code[item.code] = item
            by_id[item.id] = item
        cache: dict[frozenset[int], frozenset[int]] = {}

        def load_pairs(table: Any, column: str, allowed: set[int] | None) -> dict[int, set[int]]:
            pairs: dict[int, set[int]] = defaultdict(set)
            stmt = (
                select(table.c.registration_id, table.c[column])
                .join(Registration, Registration.id == table.c.registration_id)
                .where(Registration.event_id == self._event.id)
            )
            for reg_id, other in session.execute(stmt):
                if allowed is None or other in allowed:
                    pairs[reg_id].add(other)
            return pairs

        if manage_days:
            for reg_id, ids in load_pairs(registration_days, "day_id", None).items():
                key = frozenset(ids)
                by_id[reg_id].days = cache.setdefault(key, key)
        if manage_sessions:
            workshop_ids = {w.id for w in self._event.workshops}
            for reg_id, ids in load_pairs(registration_sessions, "session_id", workshop_ids).items():
                key = frozenset(ids)
                by_id[reg_id].sessions = cache.setdefault(key, key)
        return by_code, by_id

    def _plan(
        self,
        session: Any,
        rows: list[_Row],
        errors: list[ImportRowError],
        managed: tuple[str, ...],
        manage_days: bool,
        manage_sessions: bool,
        preview: ImportPreview,
    ) -> _Plan:
        by_code, by_id = self._load_existing(session, manage_days, manage_sessions)
        plan = _Plan()
        # Registrations a row without code may claim, by (email, name).
        by_person: dict[tuple[str, str], list[_Existing]] = defaultdict(list)
        coded = {r.code for r in rows if r.code}
        for item in by_id.values():
            if item.code not in coded:
                by_person[(item.email.casefold(), name_key(item.first_name, item.last_name))].append(item)
        claimed: set[int] = set()
        used_codes = set(by_code)
        managed_indices = [_INDEX[c] for c in managed]
        for row in rows:
            existing = by_code.get(row.code) if row.code else None
            if not row.code:
                candidates = by_person.get(
                    (row.email.casefold(), name_key(row.first_name, row.last_name)), []
                )
                while candidates and candidates[0].id in claimed:
                    candidates.pop(0)
                if candidates:
                    existing = candidates.pop(0)
                    row.code = existing.code
                else:
                    row.code = _new_code(self._event.secret, used_codes)
                    plan.generated += 1
            used_codes.add(row.code)
            if existing is None:
                plan.inserts.append(row)
                continue
            claimed.add(existing.id)
            if row.values[_TITLE] is _MISSING:
                row.values = (*row.values[:_TITLE], existing.values[_TITLE], *row.values[_TITLE + 1 :])
            changed = any(
                existing.values[i] != row.values[i] for i in managed_indices if row.values[i] is not _MISSING
            )
            merged_extra = {**existing.extra, **row.extra}
            changed = changed or merged_extra != existing.extra
            days_changed = manage_days and row.days is not None and row.days != existing.days
            sessions_changed = (
                manage_sessions and row.sessions is not None and row.sessions != existing.sessions
            )
            if changed or days_changed or sessions_changed:
                row.extra = merged_extra
                plan.updates.append((existing.id, row, days_changed, sessions_changed))
            else:
                plan.unchanged += 1
        plan.not_in_file = len(by_id) - len(claimed)
        plan.duplicates = _find_duplicates(by_id.values(), rows, claimed)
        return plan

    def _report(
        self,
        plan: _Plan,
        errors: list[ImportRowError],
        preview: ImportPreview,
        *,
        dry_run: bool,
        skip_invalid: bool,
    ) -> ImportReport:
        return ImportReport(
            new=len(plan.inserts),
            updated=len(plan.updates),
            unchanged=plan.unchanged,
            errors=tuple(errors),
            duplicates=tuple(plan.duplicates),
            dry_run=dry_run,
            skipped=len(errors) if skip_invalid else 0,
            not_in_file=plan.not_in_file,
            generated_codes=plan.generated,
            file_name=preview.path.name,
        )

    def _write(
        self,
        session: Any,
        plan: _Plan,
        managed: tuple[str, ...],
        manage_days: bool,
        manage_sessions: bool,
        preview: ImportPreview,
        report: ImportReport,
        progress: Progress,
    ) -> None:
        from sqlalchemy import Table, bindparam, delete, insert, select, update

        from checkin.domain.models import (
            AuditEntry,
            Registration,
            RegistrationStatus,
            registration_days,
            registration_sessions,
        )

        now = self._clock()
        table = cast(Table, Registration.__table__)
        default_category = self._event.default_category.id
        all_days = frozenset(d.id for d in self._event.days)
        source = f"import:{preview.path.name}"[:300]
        total = len(plan.inserts) + len(plan.updates)
        done = 0
        progress.update(0, total, _("Saving …"))
        statuses = {s.value: s for s in RegistrationStatus}
        for start in range(0, len(plan.inserts), _CHUNK):
            check_cancelled(progress)
            chunk = plan.inserts[start : start + _CHUNK]
            params = []
            for row in chunk:
                v = dict(zip(_COLUMNS, row.values, strict=True))
                v = {k: value for k, value in v.items() if value is not _MISSING}
                params.append(
                    {
                        "event_id": self._event.id,
                        "code": row.code,
                        "order_code": v.get("order_code") or None,
                        "title": v.get("title", ""),
                        "first_name": v["first_name"],
                        "last_name": v["last_name"],
                        "organisation": v.get("organisation", ""),
                        "function": v.get("function", ""),
                        "email": v.get("email", ""),
                        "category_id": v.get("category_id", default_category),
                        "status": statuses[v.get("status", "active")],
                        "source": source,
                        "notes": v.get("notes", ""),
                        "extra": row.extra,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            # Plain executemany, then the ids by code: RETURNING with guaranteed order makes
            # SQLite insert row by row (ten times slower).
            session.execute(insert(table), params)
            id_by_code = dict(
                session.execute(
                    select(table.c.code, table.c.id).where(
                        table.c.event_id == self._event.id, table.c.code.in_([row.code for row in chunk])
                    )
                ).all()
            )
            ids = [id_by_code[row.code] for row in chunk]
            day_rows = [
                {"registration_id": reg_id, "day_id": day_id}
                for reg_id, row in zip(ids, chunk, strict=True)
                for day_id in (row.days if row.days is not None else all_days)
            ]
            if day_rows:
                session.execute(insert(registration_days), day_rows)
            session_rows = [
                {"registration_id": reg_id, "session_id": sid}
                for reg_id, row in zip(ids, chunk, strict=True)
                for sid in (row.sessions or ())
            ]
            if session_rows:
                session.execute(insert(registration_sessions), session_rows)
            done += len(chunk)
            progress.update(done, total, _("Saving …"))
        if plan.updates:
            columns = list(managed)
            stmt = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({c: bindparam(f"_{c}") for c in [*columns, "extra", "updated_at"]})
            )
            workshop_ids = [w.id for w in self._event.workshops]
            for start in range(0, len(plan.updates), _CHUNK):
                check_cancelled(progress)
                update_chunk = plan.updates[start : start + _CHUNK]
                params = []
                for reg_id, row, _days_changed, _sessions_changed in update_chunk:
                    item: dict[str, Any] = {"_id": reg_id, "_extra": row.extra, "_updated_at": now}
                    for c in columns:
                        value = row.values[_INDEX[c]]
                        if c == "status":
                            value = statuses[value]
                        elif c == "order_code":
                            value = value or None
                        item[f"_{c}"] = value
                    params.append(item)
                session.execute(stmt, params)
                day_ids = [reg_id for reg_id, _row, changed, _s in update_chunk if changed]
                if day_ids:
                    session.execute(
                        delete(registration_days).where(registration_days.c.registration_id.in_(day_ids))
                    )
                    session.execute(
                        insert(registration_days),
                        [
                            {"registration_id": reg_id, "day_id": day_id}
                            for reg_id, row, changed, _s in update_chunk
                            if changed
                            for day_id in row.days or ()
                        ],
                    )
                session_ids = [reg_id for reg_id, _row, _d, changed in update_chunk if changed]
                if session_ids:
                    session.execute(
                        delete(registration_sessions).where(
                            registration_sessions.c.registration_id.in_(session_ids),
                            registration_sessions.c.session_id.in_(workshop_ids),
                        )
                    )
                    new_links = [
                        {"registration_id": reg_id, "session_id": sid}
                        for reg_id, row, _d, changed in update_chunk
                        if changed
                        for sid in row.sessions or ()
                    ]
                    if new_links:
                        session.execute(insert(registration_sessions), new_links)
                done += len(update_chunk)
                progress.update(done, total, _("Saving …"))
        session.add(
            AuditEntry(
                event_id=self._event.id,
                at=now,
                action="import",
                detail={
                    "file": preview.path.name,
                    "format": preview.format,
                    "rows": preview.row_count,
                    "new": report.new,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "errors": len(report.errors),
                    "skipped": report.skipped,
                    "generated_codes": report.generated_codes,
                    "duplicates": len(report.duplicates),
                },
            )
        )


@dataclass
class _Plan:
    inserts: list[_Row] = field(default_factory=list)
    updates: list[tuple[int, _Row, bool, bool]] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0
    generated: int = 0
    duplicates: list[DuplicateWarning] = field(default_factory=list)


def _field_label(name: str) -> str:
    return next((f.label for f in FIELDS if f.key == name), name)


def _new_code(secret: str, used: set[str]) -> str:
    while True:
        code = generate_code(secret)
        if code not in used:
            return code


def _find_duplicates(
    existing: Iterable[_Existing], rows: list[_Row], claimed: set[int]
) -> list[DuplicateWarning]:
    """Active registrations with the same email and name under different codes, one of them in the file."""
    groups: dict[tuple[str, str], list[tuple[str, int, str, str]]] = defaultdict(list)
    in_file: set[tuple[str, str]] = set()
    for row in rows:
        status = row.values[_INDEX["status"]]
        if not row.email or status not in (_MISSING, "active"):
            continue
        key = (row.email.casefold(), name_key(row.first_name, row.last_name))
        groups[key].append((row.code, row.line, f"{row.first_name} {row.last_name}".strip(), row.email))
        in_file.add(key)
    file_codes = {r.code for r in rows}
    for item in existing:
        if item.id in claimed or item.code in file_codes or not item.email or item.status != "active":
            continue
        key = (item.email.casefold(), name_key(item.first_name, item.last_name))
        if key in in_file:
            groups[key].append((item.code, 0, f"{item.first_name} {item.last_name}".strip(), item.email))
    warnings = []
    for key in in_file:
        members = groups[key]
        codes = tuple(dict.fromkeys(m[0] for m in members))
        if len(codes) > 1:
            warnings.append(
                DuplicateWarning(
                    name=members[0][2],
                    email=members[0][3],
                    codes=codes,
                    lines=tuple(sorted(m[1] for m in members if m[1])),
                )
            )
    warnings.sort(key=lambda w: w.lines)
    return warnings
