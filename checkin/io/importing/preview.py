"""A read file and its column mapping, before anything is written: what the wizard shows and edits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from checkin.domain.events import EventInfo
from checkin.domain.names import clean_text
from checkin.i18n import _
from checkin.io.importing.facts import ImportMappingError, Problem
from checkin.io.importing.fields import FIELD_KEYS, FORMATS, NAME_FIELDS, parse_day_field
from checkin.io.importing.mapping import (
    ColumnMapping,
    apply_overrides,
    detect_format,
    detect_mapping,
    find_header_row,
    header_score,
)
from checkin.io.importing.reading import ImportFileError, read_table

SAMPLE_ROWS = 20


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
    file_notes: tuple[Problem, ...] = ()

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
            self, mapping=fields, fallbacks=fallbacks, sample=sample_rows(self.headers, fields, self.rows)
        )


def sample_rows(
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


def read_preview(
    path: Path | str, event: EventInfo, *, format: str = "auto", overrides: Mapping[str, str] = {}
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
    label = event.workshop_label

    def is_list(rows: list[tuple[str, ...]]) -> bool:
        return header_score(rows[find_header_row(rows, label)], label) >= 2

    table = read_table(path, is_list=is_list)
    header_index = find_header_row(table.rows, label)
    headers = _unique_headers(table.rows[header_index])
    rows = table.rows[header_index + 1 :]
    lines = table.lines[header_index + 1 :]
    detected = detect_format(headers) if format == "auto" else format
    mapping = detect_mapping(headers, preset=detected, workshop_label=label, days=event.days)
    fields = dict(mapping.fields)
    if "code" not in fields and "order_code" in fields and "code" not in overrides:
        column = headers.index(fields["order_code"])
        values = [r[column] if column < len(r) else "" for r in rows]
        if all(values) and len(set(values)) == len(values):
            fields["code"] = fields["order_code"]
    mapping = ColumnMapping(fields=fields, fallbacks=mapping.fallbacks)
    if overrides:
        try:
            mapping = apply_overrides(mapping, overrides, headers, event)
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
        sample=sample_rows(headers, mapping.fields, rows),
        row_count=len(rows),
        header_line=table.lines[header_index],
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        file_notes=table.notes,
        fallbacks=dict(mapping.fallbacks),
        event_id=event.id,
        rows=rows,
        lines=lines,
    )
