"""Reading the values of a row: workshops, days, yes/no and status words (categories: ``categories``).

Each matcher answers with the ids it found or with a :class:`Problem` (a fact,
not a sentence); ``rows`` decides whether that problem is an error or a
warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from checkin.domain.events import EventInfo, SessionInfo
from checkin.domain.names import clean_text
from checkin.domain.weekdays import WEEKDAY_WORDS
from checkin.io.importing.facts import Problem, ProblemKind
from checkin.io.importing.fields import dates_in_text, normalise_header

_YES = frozenset(
    {"ja", "j", "yes", "y", "x", "1", "true", "wahr", "✓", "✔", "☑", "+", "teilnahme", "angemeldet"}
)
_NO = frozenset(
    {"nein", "n", "no", "0", "false", "falsch", "-", "–", "☐", "", "abgemeldet", "keine teilnahme"}
)
_ALL_DAYS = frozenset({"alle", "beide", "both", "all", "beide tage", "alle tage", "all days", "both days"})
# Normalised words in a product name that mean every day ("Kombiticket beide Tage").
_ALL_DAYS_IN_TEXT = ("beidetage", "alletage", "bothdays", "alldays", "kombiticket", "combiticket", "fullpass")
_ACTIVE = frozenset(
    {
        "",
        "active",
        "aktiv",
        "paid",
        "bezahlt",
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
        "moderation",
        "ok",
        "valid",
        "gültig",
        "transferred",
        "zugesagt",
    }
)
# Registered, not paid yet: refused at the desk until paid (or let in by staff).
_UNPAID = frozenset(
    {
        "unpaid",
        "unbezahlt",
        "nicht bezahlt",
        "not paid",
        "offen",
        "open",
        "pending",
        "ausstehend",
        "zahlung ausstehend",
        "payment pending",
        "to_be_paid",
        "awaiting_payment",
        "awaiting payment",
        "pending payment",
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


class WorkshopMatcher:
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
        self._cell_cache: dict[str, frozenset[int] | Problem] = {}
        self._conflicts: dict[frozenset[int], Problem | None] = {}

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

    def same_time(self, ids: frozenset[int]) -> Problem | None:
        """Two of these workshops at the same time, or None."""
        if len(ids) < 2:
            return None
        if ids not in self._conflicts:
            chosen = sorted((ws for ws in self._workshops if ws.id in ids), key=lambda ws: ws.title)
            self._conflicts[ids] = next(
                (
                    Problem(ProblemKind.SAME_TIME, {"first": first.title, "second": second.title})
                    for index, first in enumerate(chosen)
                    for second in chosen[index + 1 :]
                    if first.overlaps(second)
                ),
                None,
            )
        return self._conflicts[ids]

    def days_of(self, ids: frozenset[int]) -> list[SessionInfo]:
        """The workshops with these ids, in programme order."""
        return [ws for ws in self._workshops if ws.id in ids]

    def closest(self, text: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz

        norm = normalise_header(text)
        scored: dict[str, float] = {}
        for name, ws in self._names:
            scored[ws.title] = max(scored.get(ws.title, 0.0), fuzz.WRatio(norm, name))
        return [title for title, _score in sorted(scored.items(), key=lambda i: i[1], reverse=True)[:limit]]

    def match(self, cell: str) -> frozenset[int] | Problem:
        """The workshop ids named in a cell, or the problem."""
        found = self._cell_cache.get(cell)
        if found is None:
            found = self._cell_cache[cell] = self._match(cell)
        return found

    def _match(self, cell: str) -> frozenset[int] | Problem:
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
                    return Problem(ProblemKind.NO_WORKSHOPS, {"value": part})
                return Problem(ProblemKind.UNKNOWN_WORKSHOP, {"value": part, "closest": tuple(closest)})
            ids.append(found.id)
        return frozenset(ids)


class DayParser:
    def __init__(self, event: EventInfo) -> None:
        self._event = event
        self._years = sorted({d.date.year for d in event.days})
        self._ids = {d.date: d.id for d in event.days}
        self.all_days = frozenset(self._ids.values())
        self._words: dict[str, int] = {}
        for number, day in enumerate(event.days, start=1):
            for word in (
                *WEEKDAY_WORDS[day.date.weekday()],
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

    def parse_list(self, value: str) -> tuple[frozenset[int], Problem | None]:
        """The days named in a cell ("19.09.", "Thursday, Friday", "beide"); a part naming no event day
        is left out and reported."""
        text = value.strip()
        if not text or text.casefold() in _ALL_DAYS:
            return self.all_days, None
        whole = _parse_loose_date(text)
        if whole in self._ids:
            return frozenset({self._ids[whole]}), None
        ids: set[int] = set()
        problem: Problem | None = None
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
            if problem is None:
                problem = Problem(
                    ProblemKind.UNKNOWN_DAY, {"value": part, "days": tuple(d.date for d in self._event.days)}
                )
        return frozenset(ids), problem

    def in_text(self, text: str) -> frozenset[int]:
        """Event days a free text names ("Tagesticket 20.09.", "beide Tage", "Donnerstag"), or none."""
        norm = normalise_header(text)
        if any(word in norm for word in _ALL_DAYS_IN_TEXT):
            return self.all_days
        ids = {self._ids[d] for d in dates_in_text(text, self._years) if d in self._ids}
        if not ids:
            words = set(re.findall(r"[^\W\d_]+", text.casefold()))
            ids = {day_id for word, day_id in self._words.items() if len(word) > 3 and word in words}
        return frozenset(ids)


def _parse_loose_date(text: str) -> dt.date | None:
    for fmt in ("%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%a, %b %d, %Y", "%A, %B %d, %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_status(value: str) -> str | None:
    text = value.casefold().strip()
    if text in _ACTIVE:
        return "active"
    if text in _UNPAID:
        return "unpaid"
    if text in _CANCELLED or text.startswith(("cancel", "storn")):
        return "cancelled"
    return None
