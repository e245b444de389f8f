"""Which column of a registration list holds which field.

Headers are compared after normalising (case, accents, punctuation and
spaces ignored: "E-Mail-Adresse" == "email adresse"), first exactly against
German and English synonyms in priority order, then by prefix ("Total Paid
(USD)", "E-Mail (dienstlich)"). Presets for pretix and Eventbrite put their
own column names first; Indico, Hi.Events, Attendize and alf.io headers are
among the generic synonyms (``fields``). A column per event day is found by
the date (or weekday / day label) in its header, e.g. "Teilnahme 19.09.2024".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checkin.domain.weekdays import WEEKDAY_WORDS
from checkin.i18n import _
from checkin.io.importing.fields import (
    FALLBACK_FIELDS,
    FIELD_ORDER,
    FIELDS,
    GENERIC_SYNONYMS,
    MIN_PREFIX,
    NO_PREFIX,
    PRESETS,
    dates_in_text,
    day_field,
    fields_for_event,
    normalise_header,
    workshop_synonyms,
)


def day_for_header(header: str, days: Sequence[object]) -> dt.date | None:
    """The event day a per-day column stands for ("Teilnahme 19.09.2024", "Donnerstag", a day label)."""
    dates = [d.date for d in days]  # type: ignore[attr-defined]
    in_header = [d for d in dates_in_text(header, [d.year for d in dates]) if d in dates]
    if len(set(in_header)) == 1:
        return in_header[0]
    norm = normalise_header(header)
    for day in days:
        label = normalise_header(getattr(day, "label", "") or "")
        if label and label == norm:
            return day.date  # type: ignore[attr-defined]
    words = set(re.findall(r"[a-zäöüß]+", header.casefold()))
    hits = [d for d in dates if words & {w for w in WEEKDAY_WORDS[d.weekday()] if len(w) > 3}]
    if len(hits) == 1:
        return hits[0]
    return None


@dataclass(frozen=True)
class ColumnMapping:
    """The detected or chosen mapping: field -> header, and fallback columns per field."""

    fields: dict[str, str]
    fallbacks: dict[str, str]


def _synonym_table(preset: str, workshop_label: str) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for field in FIELD_ORDER:
        names = list(PRESETS.get(preset, {}).get(field, ())) + list(GENERIC_SYNONYMS[field])
        if field == "workshops":
            names = list(workshop_synonyms(workshop_label)) + names
        table[field] = [n for n in dict.fromkeys(normalise_header(x) for x in names) if n]
    return table


def header_score(cells: Sequence[str], workshop_label: str = "") -> int:
    """How many cells of a row are known header names (to find the header row)."""
    known = {syn for names in _synonym_table("generic", workshop_label).values() for syn in names}
    score = 0
    for cell in cells:
        norm = normalise_header(cell)
        if norm in known:
            score += 1
    return score


def find_header_row(rows: Sequence[Sequence[str]], workshop_label: str = "", *, look_ahead: int = 15) -> int:
    """Index of the header row: the first of the first rows with the most known header names."""
    best_index, best_score = 0, 0
    for index, row in enumerate(rows[:look_ahead]):
        score = header_score(row, workshop_label)
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def detect_format(headers: Sequence[str]) -> str:
    """ "pretix", "eventbrite" or "generic" from the column names."""
    norm = {normalise_header(h) for h in headers}
    if "ordercode" in norm and ({"ticketsecret", "positionid", "secret"} & norm):
        return "pretix"
    if ("bestellnummer" in norm or "bestellcode" in norm) and ({"ticketgeheimnis", "positionsid"} & norm):
        return "pretix"
    if "ordernr" in norm and ("attendeenr" in norm or "barcodenr" in norm):
        return "eventbrite"
    return "generic"


def detect_mapping(
    headers: Sequence[str], *, preset: str = "generic", workshop_label: str = "", days: Sequence[object] = ()
) -> ColumnMapping:
    """Map fields to headers (each header used once) by exact synonym, per-day date, then prefix."""
    table = _synonym_table(preset, workshop_label)
    norm_headers = [normalise_header(h) for h in headers]
    taken: set[int] = set()
    fields: dict[str, str] = {}
    fallbacks: dict[str, str] = {}
    # 1. exact synonyms, in each field's order of preference
    for field in FIELD_ORDER:
        for synonym in table[field]:
            index = next((i for i, h in enumerate(norm_headers) if h == synonym and i not in taken), None)
            if index is not None:
                fields[field] = headers[index]
                taken.add(index)
                break
    for field in FALLBACK_FIELDS:
        if field in fields:
            for synonym in table[field]:
                index = next((i for i, h in enumerate(norm_headers) if h == synonym and i not in taken), None)
                if index is not None:
                    fallbacks[field] = headers[index]
                    taken.add(index)
                    break
    # 2. one column per event day
    if days and "days" not in fields:
        for index, header in enumerate(headers):
            if index in taken:
                continue
            date = day_for_header(header, days)
            if date is not None and day_field(date) not in fields:
                fields[day_field(date)] = header
                taken.add(index)
    # 3. prefixes, longest synonym first ("E-Mail-Adresse (dienstlich)" -> email)
    candidates = sorted(
        (
            (len(syn), field, syn)
            for field, names in table.items()
            for syn in names
            if len(syn) >= MIN_PREFIX and syn not in NO_PREFIX
        ),
        reverse=True,
    )
    for _length, field, synonym in candidates:
        if field in fields:
            continue
        index = next(
            (i for i, h in enumerate(norm_headers) if i not in taken and h.startswith(synonym)), None
        )
        if index is not None:
            fields[field] = headers[index]
            taken.add(index)
    # German lists: "Vorname" + "Name" means "Name" is the family name.
    if (
        "first_name" in fields
        and "last_name" not in fields
        and normalise_header(fields.get("full_name", "")) == "name"
    ):
        fields["last_name"] = fields.pop("full_name")
    return ColumnMapping(fields=fields, fallbacks=fallbacks)


def resolve_override(
    field: str, column: str, headers: Sequence[str], event: object | None = None
) -> tuple[str, str]:
    """Check one ``--map FIELD=COLUMN``; return (field key, header as written in the file; "" unmaps).

    FIELD is a key ("last_name") or a label in German or English ("Nachname", "Last name").

    Raises:
        ValueError: with a translated message naming the known fields or columns.
    """
    specs = fields_for_event(event) if event is not None else FIELDS
    known_fields = [f.key for f in specs]
    if field not in known_fields:
        # the label works too, in German or English: --map Nachname=Name, --map "Last name=Name"
        by_label = {normalise_header(f.label): f.key for f in specs}
        by_label.update({normalise_header(f.source_label.format(**dict(f.label_args))): f.key for f in specs})
        field = by_label.get(normalise_header(field), field)
    if field not in known_fields:
        raise ValueError(
            _("Unknown field '{field}'. Known fields: {fields}.").format(
                field=field, fields=", ".join(known_fields)
            )
        )
    if not column.strip():
        return field, ""
    if column in headers:
        return field, column
    wanted = normalise_header(column)
    matches = [h for h in headers if normalise_header(h) == wanted]
    if len(matches) >= 1:
        return field, matches[0]
    raise ValueError(
        _("The file has no column '{column}'. Its columns are: {columns}.").format(
            column=column, columns=", ".join(headers)
        )
    )


def apply_overrides(
    mapping: ColumnMapping, overrides: Mapping[str, str], headers: Sequence[str], event: object | None = None
) -> ColumnMapping:
    """The mapping with ``overrides`` (field -> column; "" removes the field) applied."""
    fields = dict(mapping.fields)
    fallbacks = dict(mapping.fallbacks)
    for given, column in overrides.items():
        field, header = resolve_override(given, column, headers, event)
        if header:
            # a column can serve one field only (except code and order code being the same column)
            for other, used in list(fields.items()):
                if used == header and other != field and {other, field} != {"code", "order_code"}:
                    del fields[other]
            fields[field] = header
        else:
            fields.pop(field, None)
            fallbacks.pop(field, None)
    return ColumnMapping(fields=fields, fallbacks=fallbacks)
