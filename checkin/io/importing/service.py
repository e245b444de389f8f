"""Importing registration lists into an event: read and preview, then apply in one transaction.

The steps live in their own modules: ``reading`` (file -> rows), ``mapping``
(headers -> fields), ``preview`` (what the wizard shows), ``rows`` (a row ->
a person and its problems), ``plan`` (added / updated / unchanged,
duplicates), ``writing`` (apply), ``report`` (the facts in words).

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

Errors and warnings: a row is refused only when it cannot become a person
(no name, one code for two different people); everything else is imported
with a warning saying what was assumed (an unknown category becomes a new
category unless ``choices`` map it, an unknown status is active, a workshop on
a day not ticked adds that day, …). ``strict`` refuses rows with warnings too.
All-or-nothing: a file with refused rows changes nothing unless
``skip_invalid`` is set, in which case only the other rows are applied.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from checkin.domain.checkin_store import refresh_lookup_statistics
from checkin.domain.db import Database
from checkin.domain.events import CategoryInfo, EventInfo, EventService
from checkin.domain.models import utcnow
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _
from checkin.io.importing import report as words
from checkin.io.importing.categories import PendingCategory
from checkin.io.importing.choices import ValueChoices, load_choices, save_choices
from checkin.io.importing.facts import (
    CreatedCategory,
    ImportConflictError,
    ImportMappingError,
    ImportRejectedError,
    ImportReport,
    ProblemKind,
    RowProblems,
)
from checkin.io.importing.plan import Plan, make_plan
from checkin.io.importing.preview import ImportPreview, read_preview
from checkin.io.importing.reading import ImportFileError
from checkin.io.importing.rows import INDEX, Row, RowReader, Scope
from checkin.io.importing.writing import write_plan


class ImportService:
    """Reads registration lists and applies them to one event (see the module docstring for matching)."""

    def __init__(self, db: Database, event: EventInfo, *, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._db = db
        self._event = event
        self._clock = clock

    def categories(self) -> tuple[CategoryInfo, ...]:
        """The event's categories as stored now (an import may have added some)."""
        return EventService(self._db).get(self._event.slug).categories

    def read(
        self, path: Path | str, *, format: str = "auto", overrides: Mapping[str, str] = {}
    ) -> ImportPreview:
        """Parse ``path`` and detect the column mapping; writes nothing.

        Raises:
            ImportFileError: not a registration list (empty, PDF, binary, no name column, no rows).
            ImportMappingError: an override names an unknown field or column.
        """
        return read_preview(path, self._event, format=format, overrides=overrides)

    def apply(
        self,
        preview: ImportPreview,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        strict: bool = False,
        choices: ValueChoices | None = None,
        progress: Progress = NullProgress(),  # noqa: B008
    ) -> ImportReport:
        """Import the rows of ``preview``; all or nothing unless ``skip_invalid``.

        Rows with warnings are imported (``strict``: refused like errors). ``choices`` say what
        values the event does not know stand for; they are remembered for the event (on top of
        those remembered before) when the import is applied.

        Raises:
            ImportFileError: the mapping has no name column.
            ImportRejectedError: rows have errors and ``skip_invalid`` is false (not for a dry run).
            Cancelled: ``progress`` asked to stop; nothing was changed.
        """
        event = self._event
        if preview.event_id and preview.event_id != event.id:
            raise ImportMappingError(_("This preview was read for another event; read the file again."))
        if not preview.has_name_column:
            raise ImportFileError(
                _("Choose the column that holds the names (full name, or first and last name).")
            )
        total = preview.row_count
        progress.update(0, total, _("Checking rows …"))
        # categories as stored now: an earlier import may have added some since ``event`` was read
        event = replace(event, categories=self.categories())
        given = choices or ValueChoices()
        with self._db.session_factory() as session:
            remembered = load_choices(session, event.id)
        reader = RowReader(preview, event, strict=strict, choices=remembered.merged(given))
        reader.read_all(progress)
        scope = Scope.of(preview)
        check_cancelled(progress)
        if dry_run:
            with self._db.session_factory() as session:
                plan = make_plan(session, event, reader.rows, scope)
            return self._report(plan, reader, preview, dry_run=True, skip_invalid=skip_invalid)
        from sqlalchemy.exc import DBAPIError, IntegrityError

        try:
            with self._db.session_factory.begin() as session:
                plan = make_plan(session, event, reader.rows, scope)
                report = self._report(plan, reader, preview, dry_run=False, skip_invalid=skip_invalid)
                if reader.errors and not skip_invalid:
                    raise ImportRejectedError(report, words.rejected(report))
                check_cancelled(progress)
                save_choices(session, event.id, given)
                write_plan(session, event, plan, scope, preview, report, progress, self._clock())
                check_cancelled(progress)
        except IntegrityError as exc:
            # Only possible if the event's data changed under us in a way the plan could not see
            # (e.g. a database without our locking); the transaction was rolled back.
            raise ImportConflictError(
                _("The registrations changed while importing; nothing was imported. Import the file again.")
            ) from exc
        except DBAPIError as exc:  # read-only database, full disk, a database that went away
            raise ImportConflictError(words.write_refused(str(exc.orig))) from exc
        if not self._db.is_sqlite:
            with self._db.session_factory.begin() as session:
                refresh_lookup_statistics(session)  # scans find the new rows by index at once
        progress.update(total, total, words.summary(report))
        return report

    def _report(
        self, plan: Plan, reader: RowReader, preview: ImportPreview, *, dry_run: bool, skip_invalid: bool
    ) -> ImportReport:
        errors: tuple[RowProblems, ...] = tuple(reader.errors)
        return ImportReport(
            new=len(plan.inserts),
            updated=len(plan.updates),
            unchanged=plan.unchanged,
            errors=errors,
            duplicates=tuple(plan.duplicates),
            dry_run=dry_run,
            skipped=len(errors) if skip_invalid else 0,
            not_in_file=plan.not_in_file,
            generated_codes=plan.generated,
            file_name=preview.path.name,
            warnings=tuple(reader.warnings),
            created_categories=_created(reader.rows),
            file_notes=preview.file_notes,
        )


def _created(rows: list[Row]) -> tuple[CreatedCategory, ...]:
    """The categories the imported rows need created, with how many rows use each."""
    index = INDEX["category_id"]
    counts = Counter(row.values[index] for row in rows if isinstance(row.values[index], PendingCategory))
    return tuple(CreatedCategory(key=p.key, name=p.name, rows=n) for p, n in counts.items())


def unknown_values(report: ImportReport) -> dict[str, list[tuple[str, int]]]:
    """Field -> the values the event did not know, each with its number of rows (most first)."""
    fields = {
        ProblemKind.UNKNOWN_CATEGORY: "category",
        ProblemKind.UNKNOWN_PRODUCT: "product",
        ProblemKind.UNKNOWN_STATUS: "status",
    }
    counts: dict[str, Counter[str]] = {}
    for row in (*report.warnings, *report.errors):
        for problem in row.problems:
            if problem.kind in fields:
                counts.setdefault(fields[problem.kind], Counter())[problem["value"]] += 1
    return {f: counter.most_common() for f, counter in counts.items()}
