"""Values a list uses that the event does not know, and what the user chose they stand for.

``--map-value "category:Aussteller/in=Teilnehmer/in"`` on the command line, or
the value step of the wizard, says which category (or status) a value means.
Choices are remembered per event (table ``import_value_maps``), so the next
import of an updated list needs none. A value without a choice becomes a new
category (categories and products) or is read as active (status), with a
warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from checkin.domain.events import EventInfo
from checkin.i18n import _
from checkin.io.importing.categories import NEW_CATEGORY
from checkin.io.importing.facts import ImportMappingError
from checkin.io.importing.fields import normalise_header
from checkin.io.importing.values import parse_status

# Fields whose values can be mapped, and what they map to.
VALUE_FIELDS = ("category", "product", "status")


@dataclass(frozen=True)
class ValueChoices:
    """Field -> normalised value -> target (a category key, ``NEW_CATEGORY``, "active"/"cancelled")."""

    by_field: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def target(self, field_name: str, value: str) -> str | None:
        return self.by_field.get(field_name, {}).get(normalise_header(value))

    def merged(self, newer: ValueChoices) -> ValueChoices:
        """These choices with ``newer`` ones taking precedence."""
        fields = {f: dict(values) for f, values in self.by_field.items()}
        for f, values in newer.by_field.items():
            fields.setdefault(f, {}).update(values)
        return ValueChoices(fields)

    def items(self) -> Iterable[tuple[str, str, str]]:
        for f, values in self.by_field.items():
            for value, target in values.items():
                yield f, value, target

    def __bool__(self) -> bool:
        return any(self.by_field.values())


def resolve_target(event: EventInfo, field_name: str, target: str) -> str:
    """The stored form of a choice: a category key (or ``NEW_CATEGORY``), or a status.

    Raises:
        ImportMappingError: unknown field, category or status.
    """
    if field_name not in VALUE_FIELDS:
        raise ImportMappingError(
            _("Values of '{field}' cannot be mapped; only of: {fields}.").format(
                field=field_name, fields=", ".join(VALUE_FIELDS)
            )
        )
    text = target.strip()
    if field_name == "status":
        status = parse_status(text)
        if status is None:
            raise ImportMappingError(
                _("Unknown status '{value}' (use active, unpaid or cancelled).").format(value=text)
            )
        return status
    if normalise_header(text) in ("", "new", "neu", "neue", "newcategory", "neuekategorie"):
        return NEW_CATEGORY
    wanted = normalise_header(text)
    for category in event.categories:
        names = (category.key, category.name, category.badge_label, *category.aliases)
        if any(normalise_header(n) == wanted for n in names):
            return category.key
    raise ImportMappingError(
        _("The event has no category '{value}'. Its categories are: {known}.").format(
            value=text, known=", ".join(c.name for c in event.categories)
        )
    )


def parse_value_maps(event: EventInfo, texts: Iterable[str]) -> ValueChoices:
    """``FIELD:VALUE=TARGET`` arguments (``--map-value``) as choices.

    Raises:
        ImportMappingError: malformed, or an unknown field, category or status.
    """
    fields: dict[str, dict[str, str]] = {}
    for text in texts:
        head, sep, target = text.rpartition("=")
        field_name, colon, value = head.partition(":")
        if not sep or not colon or not value.strip():
            raise ImportMappingError(
                _(
                    "--map-value needs FIELD:VALUE=TARGET, e.g. "
                    "--map-value \"category:Aussteller/in=Teilnehmer/in\" (got '{value}')."
                ).format(value=text)
            )
        field_name = field_name.strip().casefold()
        resolved = resolve_target(event, field_name, target)
        fields.setdefault(field_name, {})[normalise_header(value)] = resolved
    return ValueChoices(fields)


def load_choices(session: Any, event_id: int) -> ValueChoices:
    """The choices remembered for ``event_id``."""
    from sqlalchemy import select

    from checkin.domain.models import ImportValueMap

    fields: dict[str, dict[str, str]] = {}
    query = select(ImportValueMap.field, ImportValueMap.value, ImportValueMap.target).where(
        ImportValueMap.event_id == event_id
    )
    for field_name, value, target in session.execute(query):
        fields.setdefault(field_name, {})[value] = target
    return ValueChoices(fields)


def save_choices(session: Any, event_id: int, choices: ValueChoices) -> None:
    """Remember ``choices`` for ``event_id`` (replacing earlier choices for the same values)."""
    from sqlalchemy import delete, insert

    from checkin.domain.models import ImportValueMap

    for field_name, value, target in choices.items():
        session.execute(
            delete(ImportValueMap).where(
                ImportValueMap.event_id == event_id,
                ImportValueMap.field == field_name,
                ImportValueMap.value == value[:500],
            )
        )
        session.execute(
            insert(ImportValueMap).values(
                event_id=event_id, field=field_name, value=value[:500], target=target
            )
        )
