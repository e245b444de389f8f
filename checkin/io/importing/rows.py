"""One row of a list -> one person: names, email, category, status, days, workshops, and the
problems found on the way (facts, see ``facts``).

Which problems keep a row out (errors) and which only need a word (warnings) is
decided here, in :func:`severity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checkin.domain.codes import has_code_shape
from checkin.domain.events import DayInfo, EventInfo
from checkin.domain.names import (
    PersonName,
    clean_name_parts,
    clean_text,
    clean_title,
    is_title_token,
    join_titles,
    split_full_name,
)
from checkin.domain.progress import Progress, check_cancelled
from checkin.i18n import _
from checkin.io.importing.facts import Problem, ProblemKind, RowProblems
from checkin.io.importing.fields import parse_day_field
from checkin.io.importing.preview import ImportPreview
from checkin.io.importing.values import CategoryMatcher, DayParser, WorkshopMatcher, parse_status

LIMITS = {
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
ALWAYS = ("title", "first_name", "last_name")
OPTIONAL = ("order_code", "organisation", "function", "email", "category_id", "status", "notes")
COLUMNS = (*ALWAYS, *OPTIONAL)
INDEX = {name: index for index, name in enumerate(COLUMNS)}
MISSING: Any = object()  # a column the file does not have
TITLE = INDEX["title"]
OPTIONAL_SOURCE = {
    "order_code": "order_code",
    "organisation": "organisation",
    "function": "function",
    "email": "email",
    "category_id": "category",
    "status": "status",
    "notes": "notes",
}


@dataclass(slots=True)
class Row:
    """A row that becomes a registration (new or matched); ``code`` is set when the plan is made."""

    line: int
    code: str
    values: tuple[Any, ...]  # aligned with COLUMNS; MISSING where the file has no column
    days: frozenset[int] | None
    sessions: frozenset[int] | None
    extra: dict[str, str]
    first_name: str
    last_name: str
    email: str


# Problems that keep a row out even when warnings are allowed: there is no person to import.
_ALWAYS_ERRORS = frozenset({ProblemKind.NO_NAME, ProblemKind.CODE_REPEATED})
# Problems that only need a word: the row is imported with what ``Problem.values`` says was assumed.
WARNING_KINDS: frozenset[ProblemKind] = frozenset()


def is_error(problem: Problem, *, strict: bool) -> bool:
    """Whether ``problem`` keeps its row out of the import (``strict``: every problem does)."""
    if strict or problem.kind in _ALWAYS_ERRORS:
        return True
    if problem.kind is ProblemKind.TOO_LONG and problem["field"] == "code":
        return True  # a shortened code would not be the code on the ticket
    return problem.kind not in WARNING_KINDS


@dataclass(frozen=True)
class Scope:
    """What a file manages: the registration columns it has, and whether it says days / workshops.

    What a file has no column for is left as it is on registrations already stored.
    """

    columns: tuple[str, ...]
    days: bool
    sessions: bool

    @classmethod
    def of(cls, preview: ImportPreview) -> Scope:
        optional = tuple(c for c in OPTIONAL if OPTIONAL_SOURCE[c] in preview.mapping)
        return cls(
            columns=ALWAYS + optional,
            days="days" in preview.mapping or any(parse_day_field(k) for k in preview.mapping),
            sessions="workshops" in preview.mapping,
        )


class RowReader:
    """Turns the rows of one preview into :class:`Row` values and the problems of each line."""

    def __init__(self, preview: ImportPreview, event: EventInfo, *, strict: bool = False) -> None:
        self._preview = preview
        self._strict = strict
        index = {h: i for i, h in enumerate(preview.headers)}
        self._col = col = {f: index[h] for f, h in preview.mapping.items() if h in index}
        self._fallback = {f: index[h] for f, h in preview.fallbacks.items() if h in index and f in col}
        self._day_cols: list[tuple[int, DayInfo]] = []
        for key, column in col.items():
            date = parse_day_field(key)
            day = event.day_by_date(date) if date is not None else None
            if day is not None:
                self._day_cols.append((column, day))
        mapped = set(col.values()) | set(self._fallback.values())
        salutation_col = col.get("salutation")
        self._extra_cols = [
            (i, h) for i, h in enumerate(preview.headers) if i not in mapped or i == salutation_col
        ]
        self._categories = CategoryMatcher(event)
        self._workshops = WorkshopMatcher(event)
        self._days = DayParser(event)
        self._set_cache: dict[frozenset[int], frozenset[int]] = {}
        self._extra_cache: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self._title_column = "title" in col or "salutation" in col
        self._seen_codes: dict[str, int] = {}
        self.rows: list[Row] = []
        self.errors: list[RowProblems] = []
        self.warnings: list[RowProblems] = []

    def read_all(self, progress: Progress) -> None:
        preview = self._preview
        for number, (cells, line) in enumerate(zip(preview.rows, preview.lines, strict=True)):
            if number % 1000 == 0:
                check_cancelled(progress)
                progress.update(number, preview.row_count, _("Checking rows …"))
            problems: list[Problem] = []
            row = self._read(cells, line, problems)
            errors = [p for p in problems if is_error(p, strict=self._strict)]
            if errors:
                self.errors.append(RowProblems(line, tuple(errors)))
                continue
            if problems:
                self.warnings.append(RowProblems(line, tuple(problems)))
            self.rows.append(row)

    def _get(self, name: str, cells: tuple[str, ...]) -> str:
        i = self._col.get(name)
        width = len(cells)
        if i is None or i >= width:
            return ""
        value = clean_text(cells[i])
        fallback = self._fallback.get(name)
        if not value and fallback is not None and fallback < width:
            value = clean_text(cells[fallback])
        return value

    def _read(self, cells: tuple[str, ...], line: int, problems: list[Problem]) -> Row:
        has = self._col.__contains__
        person = self._person(cells)
        if not person.first_name and not person.last_name:
            problems.append(Problem(ProblemKind.NO_NAME))
        values: dict[str, Any] = {"first_name": person.first_name, "last_name": person.last_name}
        # Without a title column an empty title says nothing: a stored "Prof. Dr." stays.
        if person.title or self._title_column:
            values["title"] = person.title
        email = self._get("email", cells)
        if email.casefold().startswith("mailto:"):
            email = email[len("mailto:") :].strip()
        if email and ("@" not in email or " " in email or email.count("@") != 1):
            problems.append(Problem(ProblemKind.BAD_EMAIL, {"value": email}))
            email = ""
        if has("email"):
            values["email"] = email
        for name in ("order_code", "organisation", "function", "notes"):
            if has(name):
                values[name] = self._get(name, cells)
        if has("category"):
            category = self._categories.match(self._get("category", cells))
            if isinstance(category, Problem):
                problems.append(category)
            else:
                values["category_id"] = category
        if has("status"):
            raw_status = self._get("status", cells)
            status = parse_status(raw_status)
            if status is None:
                problems.append(Problem(ProblemKind.UNKNOWN_STATUS, {"value": raw_status}))
                status = "active"
            values["status"] = status
        day_ids = self._day_ids(cells, problems)
        session_ids: frozenset[int] | None = None
        if has("workshops"):
            # raw: a line break inside the cell separates workshops, so it must survive cleaning
            i = self._col["workshops"]
            matched = self._workshops.match(cells[i] if i < len(cells) else "")
            if isinstance(matched, Problem):
                problems.append(matched)
            else:
                session_ids = matched
                conflict = self._workshops.conflict(matched, day_ids)
                if conflict is not None:
                    problems.append(conflict)
        code = self._code(cells)
        self._check_lengths(code, values, problems)
        if code:
            earlier = self._seen_codes.get(code)
            if earlier is not None:
                problems.append(Problem(ProblemKind.CODE_REPEATED, {"code": code, "earlier": earlier}))
            else:
                self._seen_codes[code] = line
        if day_ids is not None:
            day_ids = self._set_cache.setdefault(day_ids, day_ids)
        if session_ids is not None:
            session_ids = self._set_cache.setdefault(session_ids, session_ids)
        return Row(
            line=line,
            code=code,
            values=tuple(values.get(c, MISSING) for c in COLUMNS),
            days=day_ids,
            sessions=session_ids,
            extra=self._extra(cells),
            first_name=person.first_name,
            last_name=person.last_name,
            email=email,
        )

    def _person(self, cells: tuple[str, ...]) -> PersonName:
        title = clean_title(self._get("title", cells))
        salutation = self._get("salutation", cells)
        sal_tokens = salutation.split(" ") if salutation else []
        if sal_tokens and any(is_title_token(t) for t in sal_tokens):
            title = join_titles(title, clean_title(salutation))
        first, last = self._get("first_name", cells), self._get("last_name", cells)
        if first or last:
            return clean_name_parts(title, first, last)
        split = split_full_name(self._get("full_name", cells))
        return PersonName(join_titles(title, split.title), split.first_name, split.last_name)

    def _day_ids(self, cells: tuple[str, ...], problems: list[Problem]) -> frozenset[int] | None:
        """The days ticked in this row; None when the file says nothing about days."""
        day_ids: frozenset[int] | None = None
        if "days" in self._col:
            parsed = self._days.parse_list(self._get("days", cells))
            if isinstance(parsed, Problem):
                problems.append(parsed)
            else:
                day_ids = parsed
        elif self._day_cols:
            chosen: set[int] = set()
            for i, day in self._day_cols:
                raw = clean_text(cells[i]) if i < len(cells) else ""
                answer = self._days.yes_no(raw)
                if answer is None:
                    problems.append(
                        Problem(
                            ProblemKind.NOT_YES_NO,
                            {"value": raw, "column": self._preview.headers[i], "date": day.date},
                        )
                    )
                    answer = True
                if answer:
                    chosen.add(day.id)
            day_ids = frozenset(chosen)
        if day_ids is not None and not day_ids and not problems:
            problems.append(Problem(ProblemKind.NO_DAY))
        return day_ids

    def _code(self, cells: tuple[str, ...]) -> str:
        if "code" not in self._col:
            return ""
        raw = self._get("code", cells)
        code = raw.replace(" ", "")
        if code and not has_code_shape(code.upper()) and " " in raw:
            code = raw
        return code

    def _check_lengths(self, code: str, values: dict[str, Any], problems: list[Problem]) -> None:
        for name, limit in LIMITS.items():
            value = code if name == "code" else values.get(name, "")
            if isinstance(value, str) and len(value) > limit:
                problems.append(Problem(ProblemKind.TOO_LONG, {"field": name, "limit": limit}))
                if name != "code":
                    values[name] = value[:limit]

    def _extra(self, cells: tuple[str, ...]) -> dict[str, str]:
        width = len(cells)
        extra = {}
        for i, header in self._extra_cols:
            if i < width and cells[i]:
                value = clean_text(cells[i])
                if value:
                    extra[header] = value
        # Rows often share their extra columns ("Anrede": "Frau"): share the dicts too.
        return self._extra_cache.setdefault(tuple(extra.items()), extra) if len(extra) < 4 else extra
