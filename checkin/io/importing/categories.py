"""Which category a row's category or product cell means, and which days a product names.

A category cell is matched by the category's key, name, badge label or
aliases; a product / ticket type ("Speaker ticket", "Tagesticket 20.09.")
also when it contains one of them. A value the event does not know is
mapped as the user chose (``choices``) or becomes a new category, reported
as a warning either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checkin.domain.events import EventInfo
from checkin.io.importing.facts import CreatedCategory, Problem, ProblemKind
from checkin.io.importing.fields import normalise_header
from checkin.io.importing.values import DayParser

# Target of a choice that means "create a category for this value".
NEW_CATEGORY = ""
# Names shorter than this are not looked for inside a product name ("VIP" would hit "VIP-Parkplatz").
_MIN_CONTAINED = 4
_NEW_COLOUR = "#5f6b7a"


@dataclass(frozen=True)
class PendingCategory:
    """A category the import will create; stands in for its id until it is written."""

    key: str
    name: str


class CategoryMatcher:
    """Category and product cells -> category ids (or a category to create) and problems."""

    def __init__(self, event: EventInfo, choices: object = None) -> None:
        from checkin.io.importing.choices import ValueChoices

        self._event = event
        self._choices = choices if isinstance(choices, ValueChoices) else ValueChoices()
        self._by_key = {c.key: c.id for c in event.categories}
        self._by_name: dict[str, int] = {}
        for cat in event.categories:
            for name in (cat.key, cat.name, cat.badge_label, *cat.aliases):
                norm = normalise_header(name)
                if norm:
                    self._by_name.setdefault(norm, cat.id)
        # Longest names first, so "Referent/in" wins over "Referent" inside "Referent/in-Ticket".
        self._contained = sorted(
            ((n, i) for n, i in self._by_name.items() if len(n) >= _MIN_CONTAINED),
            key=lambda item: -len(item[0]),
        )
        self._pending: dict[str, PendingCategory] = {}
        self._used_keys = set(self._by_key)
        self._days = DayParser(event)

    @property
    def default_id(self) -> int:
        return self._event.default_category.id

    def category(self, value: str) -> tuple[int | PendingCategory, Problem | None]:
        """The category of a category cell; an unknown value is mapped or created, with a problem."""
        if not value:
            return self.default_id, None
        found = self._by_name.get(normalise_header(value))
        chosen = self._choices.target("category", value)
        if found is not None and chosen in self._by_key:
            return self._by_key[chosen], None  # the user's choice wins, even over a category's name
        if found is not None:
            return found, None
        return self._unknown("category", value, ProblemKind.UNKNOWN_CATEGORY)

    def product(
        self, value: str
    ) -> tuple[int | PendingCategory | None, frozenset[int] | None, Problem | None]:
        """(category or None, days or None, problem) for a product / ticket type cell."""
        if not value:
            return None, None, None
        norm = normalise_header(value)
        chosen = self._choices.target("product", value)
        days = self._days.in_text(value) or None
        if chosen is not None:
            return self._chosen(value, chosen), days, None
        found = self._by_name.get(norm)
        if found is None:
            found = next((i for n, i in self._contained if n in norm), None)
        if found is not None or days:
            return found, days, None
        return None, None, Problem(ProblemKind.UNKNOWN_PRODUCT, {"value": value})

    def _unknown(
        self, field: str, value: str, kind: ProblemKind
    ) -> tuple[int | PendingCategory, Problem | None]:
        known = tuple(c.name for c in self._event.categories)
        chosen = self._choices.target(field, value)
        if chosen is not None and chosen != NEW_CATEGORY and chosen in self._by_key:
            target = next(c.name for c in self._event.categories if c.key == chosen)
            problem = Problem(kind, {"value": value, "known": known, "target": target})
            return self._by_key[chosen], problem
        pending = self._pending_for(value)
        return pending, Problem(kind, {"value": value, "known": known, "target": ""})

    def _chosen(self, value: str, chosen: str) -> int | PendingCategory:
        """The category the user chose for ``value``: an existing one, or a new one named after it."""
        if chosen != NEW_CATEGORY and chosen in self._by_key:
            return self._by_key[chosen]
        return self._pending_for(value)

    def _pending_for(self, value: str) -> PendingCategory:
        norm = normalise_header(value)
        pending = self._pending.get(norm)
        if pending is None:
            base = "import-" + (re.sub(r"[^a-z0-9]+", "-", norm)[:80].strip("-") or "category")
            key, number = base, 2
            while key in self._used_keys:
                key, number = f"{base}-{number}", number + 1
            self._used_keys.add(key)
            pending = self._pending[norm] = PendingCategory(key=key, name=value[:200])
        return pending


def create_categories(
    session: object, event: EventInfo, pending: tuple[CreatedCategory, ...]
) -> dict[str, int]:
    """Insert the categories an import needs; their key -> id."""
    from sqlalchemy import insert, select

    from checkin.domain.models import Category

    if not pending:
        return {}
    start = len(event.categories)
    rows = [
        {
            "event_id": event.id,
            "key": p.key,
            "name": p.name,
            "colour": _NEW_COLOUR,
            "badge_label": p.name.upper()[:100],
            "is_default": False,
            "position": start + n,
            "aliases": [p.name],
        }
        for n, p in enumerate(pending)
    ]
    session.execute(insert(Category), rows)  # type: ignore[attr-defined]
    query = select(Category.key, Category.id).where(
        Category.event_id == event.id, Category.key.in_([p.key for p in pending])
    )
    return dict(session.execute(query).all())  # type: ignore[attr-defined]
