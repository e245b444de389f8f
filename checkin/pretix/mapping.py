"""What pretix's products, variations, check-in lists and questions stand for in the local event.

Pure functions over plain values: ``plan_event`` says which days, categories and workshop sessions
the local event needs for a pretix event; ``default_mapping`` chooses by name what each pretix thing
maps to. Rows a person edited (``edited``) are kept as they are; everything that maps to nothing is
``unmapped`` and listed by the connect command, never dropped silently.

Mapping rows (``source_kind`` → ``target_kind``: ``target``):
  item / variation       → category: KEY | session: KEY (an add-on) | ignore (no admission) | inherit
  item_days / var_days   → days: ISO dates, comma-separated ("" = every day) | inherit
  list                   → days: ISO dates ("" = every day)
  question               → workshops | ignore
  option                 → session: KEY | unmapped
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checkin.domain.folding import fold, tokens
from checkin.domain.weekdays import WEEKDAY_WORDS
from checkin.pretix.catalog import PretixEvent, Question

# Categories a product's name suggests: key, name, colour, words (folded prefixes).
ROLE_CATEGORIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("speaker", "Referent/in", "#c2410c", ("referent", "speaker", "vortrag", "moderat", "podium")),
    ("press", "Presse", "#7c3aed", ("presse", "press", "journalist")),
    ("staff", "Team", "#15803d", ("team", "staff", "helfer", "orga", "mitarbeit", "crew")),
    ("exhibitor", "Aussteller/in", "#0e7490", ("aussteller", "exhibitor", "sponsor")),
    ("guest", "Gast", "#b45309", ("gast", "guest", "vip", "ehrengast")),
)
# Words in a question that asks for a workshop (folded), besides the event's own workshop word.
WORKSHOP_WORDS = ("workshop", "werkstatt", "forum", "foren", "arbeitsgruppe", "arbeitskreis", "session")
_FULL_WEEKDAYS = tuple(words[:2] for words in WEEKDAY_WORDS)  # "dienstag", "tuesday"
_DAY_MONTH = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.?")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class LocalCategory:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    is_default: bool = False


@dataclass(frozen=True)
class LocalSession:
    key: str
    title: str
    day: dt.date
    is_workshop: bool = True


@dataclass(frozen=True)
class MappingRow:
    source_kind: str
    source_id: int
    label: str
    target_kind: str
    target: str = ""
    edited: bool = False


@dataclass(frozen=True)
class EventPlan:
    """What the local event needs beyond what it has: days, categories and workshop sessions."""

    days: tuple[dt.date, ...]
    categories: tuple[tuple[str, str, str], ...]  # key, name, colour
    sessions: tuple[LocalSession, ...]
    workshop_label: str


def days_named(text: str, days: Sequence[dt.date]) -> tuple[dt.date, ...]:
    """The event days a name mentions by weekday ("Dienstag") or date ("17.09.", "2030-09-17")."""
    words = set(tokens(text))
    found: set[dt.date] = set()
    for day in days:
        if words & set(_FULL_WEEKDAYS[day.weekday()]):
            found.add(day)
    for d, m in _DAY_MONTH.findall(text):
        found.update(day for day in days if (day.day, day.month) == (int(d), int(m)))
    for y, m, d in _ISO_DATE.findall(text):
        found.update(day for day in days if (day.year, day.month, day.day) == (int(y), int(m), int(d)))
    return tuple(sorted(found))


def _role(name: str) -> tuple[str, str, str] | None:
    words = tokens(name)
    for key, label, colour, prefixes in ROLE_CATEGORIES:
        if any(word.startswith(prefix) for word in words for prefix in prefixes):
            return key, label, colour
    return None


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and fold(a).strip() == fold(b).strip()


def _category_for(name: str, categories: Sequence[LocalCategory]) -> str | None:
    """An existing category named like the product (name, alias or key), else one its role suggests."""
    for category in categories:
        if any(_same(name, text) for text in (category.name, category.key, *category.aliases)):
            return category.key
    role = _role(name)
    if role is not None and any(c.key == role[0] for c in categories):
        return role[0]
    return None


def is_workshop_question(question: Question, workshop_label: str, sessions: Sequence[LocalSession]) -> bool:
    if not question.options:
        return False
    text = fold(question.text)
    if workshop_label and fold(workshop_label) in text:
        return True
    if any(word in text for word in WORKSHOP_WORDS):
        return True
    return any(_session_for(option.answer, sessions) for option in question.options)


def _session_for(text: str, sessions: Sequence[LocalSession]) -> str | None:
    wanted = fold(text).strip()
    if not wanted:
        return None
    for session in sessions:
        title = fold(session.title).strip()
        if title == wanted or (len(wanted) >= 6 and (wanted in title or title in wanted)):
            return session.key
    return None


def _option_key(question_id: int, identifier: str, option_id: int) -> str:
    tail = re.sub(r"[^A-Za-z0-9_.-]+", "-", identifier).strip("-") or str(option_id)
    return f"pretix-{question_id}-{tail}"[:100]


def plan_event(
    pevent: PretixEvent,
    days: Sequence[dt.date],
    categories: Sequence[LocalCategory],
    sessions: Sequence[LocalSession],
    workshop_label: str,
) -> EventPlan:
    """The days, role categories and workshop sessions to add to the local event (nothing removed)."""
    all_days = tuple(sorted(set(days) | set(pevent.days)))
    new_categories: dict[str, tuple[str, str, str]] = {}
    for product in pevent.products:
        if not product.admission:
            continue
        for name in (product.name, *(v.name for v in product.variations)):
            role = _role(name)
            if (
                role is not None
                and _category_for(name, categories) is None
                and role[0] not in new_categories
                and not any(c.key == role[0] for c in categories)
            ):
                new_categories[role[0]] = role
    label = workshop_label
    new_sessions: list[LocalSession] = []
    for question in pevent.questions:
        if not is_workshop_question(question, label, sessions):
            continue
        label = label or question.text[:100]
        for option in question.options:
            if _session_for(option.answer, sessions) is None:
                named = days_named(option.answer, all_days)
                new_sessions.append(
                    LocalSession(
                        key=_option_key(question.id, option.identifier, option.id),
                        title=option.answer[:500] or option.identifier,
                        day=named[0] if named else all_days[0],
                    )
                )
    return EventPlan(
        days=all_days,
        categories=tuple(new_categories.values()),
        sessions=tuple(new_sessions),
        workshop_label=label,
    )


def _days_text(found: Iterable[dt.date]) -> str:
    return ",".join(d.isoformat() for d in found)


def default_mapping(
    pevent: PretixEvent,
    days: Sequence[dt.date],
    categories: Sequence[LocalCategory],
    sessions: Sequence[LocalSession],
    workshop_label: str,
    kept: Iterable[MappingRow] = (),
) -> list[MappingRow]:
    """A row for every product, variation, list, question and option; ``kept`` (edited) rows win."""
    edited = {(row.source_kind, row.source_id): row for row in kept if row.edited}
    default = next((c.key for c in categories if c.is_default), categories[0].key if categories else "")
    rows: list[MappingRow] = []

    def add(row: MappingRow) -> None:
        rows.append(edited.get((row.source_kind, row.source_id), row))

    for product in pevent.products:
        if product.admission:
            category = _category_for(product.name, categories) or default
            add(MappingRow("item", product.id, product.name, "category", category))
        else:
            session = _session_for(product.name, sessions)
            add(
                MappingRow(
                    "item", product.id, product.name, *(("session", session) if session else ("ignore", ""))
                )
            )
        add(
            MappingRow(
                "item_days", product.id, product.name, "days", _days_text(days_named(product.name, days))
            )
        )
        for variation in product.variations:
            label = f"{product.name} – {variation.name}"
            variation_category = _category_for(variation.name, categories) if product.admission else None
            add(
                MappingRow(
                    "variation",
                    variation.id,
                    label,
                    *(("category", variation_category) if variation_category else ("inherit", "")),
                )
            )
            named = days_named(variation.name, days)
            add(
                MappingRow(
                    "var_days",
                    variation.id,
                    label,
                    *(("days", _days_text(named)) if named else ("inherit", "")),
                )
            )
    for checkin_list in pevent.lists:
        add(
            MappingRow(
                "list",
                checkin_list.id,
                checkin_list.name,
                "days",
                _days_text(days_named(checkin_list.name, days)),
            )
        )
    for question in pevent.questions:
        if not is_workshop_question(question, workshop_label, sessions):
            add(MappingRow("question", question.id, question.text, "ignore"))
            continue
        add(MappingRow("question", question.id, question.text, "workshops"))
        for option in question.options:
            session = _session_for(option.answer, sessions)
            label = f"{question.text}: {option.answer}"
            add(
                MappingRow(
                    "option", option.id, label, *(("session", session) if session else ("unmapped", ""))
                )
            )
    return rows
