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
    name_key,
    split_full_name,
)
from checkin.domain.progress import Progress, check_cancelled
from checkin.i18n import _
from checkin.io.importing.categories import CategoryMatcher
from checkin.io.importing.choices import ValueChoices
from checkin.io.importing.facts import Problem, ProblemKind, RowProblems
from checkin.io.importing.fields import parse_day_field
from checkin.io.importing.preview import ImportPreview
from checkin.io.importing.values import DayParser, WorkshopMatcher, parse_status

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


def is_error(problem: Problem, *, strict: bool) -> bool:
    """Whether ``problem`` keeps its row out of the import (``strict``: every problem does).

    Everything else is a warning: the row is imported with what ``report`` says was assumed.
    """
    if strict or problem.kind in _ALWAYS_ERRORS:
        return True
    return problem.kind is ProblemKind.TOO_LONG and problem["field"] == "code"  # not the ticket's code


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
        mapping = preview.mapping
        optional = tuple(
            c
            for c in OPTIONAL
            if OPTIONAL_SOURCE[c] in mapping or (c == "category_id" and "product" in mapping)
        )
        return cls(
            columns=ALWAYS + optional,
            days="days" in mapping or "product" in mapping or any(parse_day_field(k) for k in mapping),
            sessions="workshops" in preview.mapping,
        )


class RowReader:
    """Turns the rows of one preview into :class:`Row` values and the problems of each line."""

    def __init__(
        self,
        preview: ImportPreview,
        event: EventInfo,
        *,
        strict: bool = False,
        choices: ValueChoices | None = None,
    ) -> None:
        self._preview = preview
        self._choices = choices or ValueChoices()
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
        self.categories = CategoryMatcher(event, self._choices)
        self._workshops = WorkshopMatcher(event)
        self._days = DayParser(event)
        self._set_cache: dict[frozenset[int], frozenset[int]] = {}
        self._extra_cache: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self._title_column = "title" in col or "salutation" in col
        # code -> (line, row, index in ``rows`` or -1)
        self._seen_codes: dict[str, tuple[int, Row, int]] = {}
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
            replaces = self._repeated_code(row, problems) if row.code else -1
            if problems:
                errors = [p for p in problems if is_error(p, strict=self._strict)]
                if errors:
                    self.errors.append(RowProblems(line, tuple(errors)))
                    continue
                self.warnings.append(RowProblems(line, tuple(problems)))
            if replaces >= 0:
                self.rows[replaces] = row
            else:
                if row.code:
                    seen = self._seen_codes[row.code]
                    self._seen_codes[row.code] = (seen[0], seen[1], len(self.rows))
                self.rows.append(row)

    def _repeated_code(self, row: Row, problems: list[Problem]) -> int:
        """-1, or the index in ``rows`` of an earlier row of the same person with the same code."""
        if not row.code:
            return -1
        earlier = self._seen_codes.get(row.code)
        if earlier is None:
            self._seen_codes[row.code] = (row.line, row, -1)
            return -1
        values = {"code": row.code, "earlier": earlier[0]}
        first = earlier[1]
        same = name_key(first.first_name, first.last_name) == name_key(row.first_name, row.last_name)
        if same and earlier[2] >= 0:
            problems.append(Problem(ProblemKind.SAME_ROW_REPEATED, values))
            return earlier[2]
        problems.append(Problem(ProblemKind.CODE_REPEATED, values))
        return -1

    def _get(self, name: str, cells: tuple[str, ...]) -> str:
        i = self._col.get(name)
        if i is None or i >= len(cells):
            return ""
        value = clean_text(cells[i])
        if not value and name in self._fallback:
            fallback = self._fallback[name]
            if fallback < len(cells):
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
        product_days: frozenset[int] | None = None
        if has("product"):
            category, product_days, problem = self.categories.product(self._get("product", cells))
            if problem is not None:
                problems.append(problem)
            if category is not None:
                values["category_id"] = category
        raw_category = self._get("category", cells) if has("category") else ""
        if has("category") and (raw_category or "category_id" not in values):
            category, problem = self.categories.category(raw_category)
            if problem is not None:
                problems.append(problem)
            values["category_id"] = category
        if has("status"):
            values["status"] = self._status(self._get("status", cells), problems)
        day_ids = self._day_ids(cells, problems)
        if day_ids is None and product_days is not None:
            day_ids = product_days
        session_ids: frozenset[int] | None = None
        if has("workshops"):
            # raw: a line break inside the cell separates workshops, so it must survive cleaning
            i = self._col["workshops"]
            matched = self._workshops.match(cells[i] if i < len(cells) else "")
            if isinstance(matched, Problem):
                problems.append(matched)
            else:
                session_ids = matched
                day_ids = self._check_workshops(matched, day_ids, problems)
        if day_ids is not None and not day_ids:
            problems.append(Problem(ProblemKind.NO_DAY))
        code = self._code(cells)
        self._check_lengths(code, values, problems)
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
            day_ids, problem = self._days.parse_list(self._get("days", cells))
            if problem is not None:
                problems.append(problem)
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
        return day_ids

    def _status(self, raw: str, problems: list[Problem]) -> str:
        chosen = self._choices.target("status", raw) if raw else None
        status = chosen or parse_status(raw)
        if status is None:
            problems.append(Problem(ProblemKind.UNKNOWN_STATUS, {"value": raw}))
            return "active"
        return status

    def _check_workshops(
        self, ids: frozenset[int], day_ids: frozenset[int] | None, problems: list[Problem]
    ) -> frozenset[int] | None:
        """Report workshops at the same time; a workshop on a day not ticked adds that day."""
        same_time = self._workshops.same_time(ids)
        if same_time is not None:
            problems.append(same_time)
        if day_ids is None or not ids:
            return day_ids
        added = set(day_ids)
        for workshop in self._workshops.days_of(ids):
            if workshop.day_id not in added:
                added.add(workshop.day_id)
                problems.append(
                    Problem(ProblemKind.WORKSHOP_DAY, {"title": workshop.title, "date": workshop.day})
                )
        return frozenset(added) if len(added) != len(day_ids) else day_ids

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
