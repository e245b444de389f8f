"""Type-ahead search over name, organisation, e-mail and code, in memory.

Built for 100,000 registrations and one query per keystroke:

- Registrations get a *slot* in name order (so "best first, then by name" is
  "highest score, then lowest slot"). Names and organisations are split into
  folded tokens (``folding.fold``: Müller = Mueller = Muller). The sorted
  vocabulary of tokens has one posting list per token and field class (name,
  organisation/title) stored back to back in one numpy array (CSR), so all
  tokens that start with a query word form one ``bisect`` range and their
  registrations one array slice.
- Names in other scripts (Cyrillic, Greek …) are also indexed by their Latin
  transliteration (``anyascii``): "Babich" finds "Бабич".
- Only when the exact and prefix matches of a word are few, typos are tried:
  the rapidfuzz OSA distance (a swap of two letters counts as one) between
  the word and the vocabulary's distinct token prefixes of the same length,
  one longer and one shorter (a letter wrong, left out, or too many), so
  "Shcmidt", "Mülelr", "Yldiz" and "Hoffman" find their names while typed.
- Codes, order codes and e-mail addresses are matched by exact value or
  prefix of the whole query (they have no words worth splitting). Titles
  count like the organisation ("Dr Krause").
- A registration must match every query word, in any order ("weber diakonie");
  exact beats prefix beats typo, and a name match beats an organisation match.
- The index holds no personal data beyond the tokens: the ten hits are read
  from the database, so they always show the current status.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import Table, select

from checkin.domain.collation import person_sort_key
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.folding import tokens
from checkin.domain.models import Registration, registration_sessions
from checkin.domain.people import PERSON_COLUMNS, summary_from_row
from checkin.domain.verdicts import PersonSummary

# Score of one query word by where and how it matched; ascending order matters (see _word_scores).
_ORG_TYPO_2, _ORG_TYPO_1, _NAME_TYPO_2, _NAME_TYPO_1 = 60, 80, 90, 120
_ORG_PREFIX, _ORG_EXACT, _NAME_PREFIX, _NAME_EXACT = 160, 200, 240, 300
_MIN_TYPO_LENGTH = 4  # shorter words match too much by chance
_MAX_PREFIX_LENGTH = 12
_ENOUGH_MATCHES = 50  # a word with this many exact/prefix matches gets no typo search
_MAX_TYPO_PREFIXES = 40
_MAX_WORDS = 8
# Added/edited registrations live in a small second index until there are this many.
_MAX_DELTA = 2000


@dataclass(frozen=True)
class SearchHit:
    """One search result, best first; ``score`` only orders hits of the same query."""

    registration_id: int
    score: float
    person: PersonSummary
    order_code: str | None = None

    @property
    def display_name(self) -> str:
        return self.person.display_name


def transliterated(words: Iterable[str], value: str) -> tuple[str, ...]:
    """Latin spellings of a value in another script ("Бабич" -> "babich"), for a German keyboard.

    Only for values whose folded words are not all ASCII; words already there are left out.
    """
    words = tuple(words)
    if all(word.isascii() for word in words):
        return ()
    return tuple(word for word in dict.fromkeys(tokens(anyascii(value))) if word not in words)


class _TokenCache:
    """Folded tokens per distinct field value: names and organisations repeat a lot.

    Calling it gives the words and their Latin transliteration (``transliterated``);
    ``plain`` only the words as written.
    """

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, ...]] = {}
        self._plain: dict[str, tuple[str, ...]] = {}

    def plain(self, value: str | None) -> tuple[str, ...]:
        if not value:
            return ()
        found = self._plain.get(value)
        if found is None:
            found = self._plain[value] = tuple(tokens(value))
        return found

    def __call__(self, value: str | None) -> tuple[str, ...]:
        if not value:
            return ()
        found = self._tokens.get(value)
        if found is None:
            plain = self.plain(value)
            found = self._tokens[value] = plain + transliterated(plain, value)
        return found


def _literal_key(value: str) -> str:
    """Codes and e-mail addresses are compared whole: no spaces, lower case."""
    key = value.lower()
    return "".join(key.split()) if " " in key or not key.isprintable() else key


def _group(groups: dict[str, list[int]], value: str | None, slot: int) -> None:
    if value:
        found = groups.get(value)
        if found is None:
            groups[value] = [slot]
        else:
            found.append(slot)


class _Segment:
    """An immutable token index over some slots (see module docstring).

    Built per distinct field value rather than per registration: names and
    organisations repeat, so most of the work is done once per value.
    """

    def __init__(self, rows: Iterable[tuple[int, Any]], cache: _TokenCache) -> None:
        first_names: dict[str, list[int]] = {}
        last_names: dict[str, list[int]] = {}
        others: dict[str, list[int]] = {}  # organisation and title
        literal_keys: list[str] = []
        literal_slots: list[int] = []
        for slot, r in rows:
            _group(first_names, r[_FIRST], slot)
            _group(last_names, r[_LAST], slot)
            _group(others, r[_ORG], slot)
            _group(others, r[_TITLE], slot)
            for value in (r[_CODE], r[_ORDER_CODE], r[_EMAIL]):
                if value:
                    literal_keys.append(_literal_key(value))
                    literal_slots.append(slot)
        name_parts: dict[str, list[list[int]]] = {}
        for value, slots in first_names.items():
            for token in cache(value):
                name_parts.setdefault(token, []).append(slots)
        for value, slots in last_names.items():
            for token in cache(value):
                name_parts.setdefault(token, []).append(slots)
            last = cache.plain(value)
            if len(last) > 1:
                # "Müller-Lüdenscheidt" also as one word, so both halves and the whole match.
                name_parts.setdefault("".join(last), []).append(slots)
        other_parts: dict[str, list[list[int]]] = {}
        for value, slots in others.items():
            for token in cache(value):
                other_parts.setdefault(token, []).append(slots)
        self.vocab = vocab = sorted(name_parts.keys() | other_parts.keys())
        self.name_offsets, self.name_postings = self._csr(vocab, name_parts)
        self.org_offsets, self.org_postings = self._csr(vocab, other_parts)
        order = sorted(range(len(literal_keys)), key=literal_keys.__getitem__)
        self.literal_keys = [literal_keys[i] for i in order]
        self.literal_slots = np.array(literal_slots, dtype=np.int32)[np.array(order, dtype=np.int64)]
        by_length: dict[int, set[str]] = {}
        for token in vocab:
            for length in range(_MIN_TYPO_LENGTH, min(len(token), _MAX_PREFIX_LENGTH) + 1):
                by_length.setdefault(length, set()).add(token[:length])
        self.prefixes = {length: sorted(values) for length, values in by_length.items()}

    @staticmethod
    def _csr(vocab: list[str], parts: dict[str, list[list[int]]]) -> tuple[np.ndarray, np.ndarray]:
        """Posting lists of ``vocab`` back to back, and where each token's list starts."""
        postings: list[int] = []
        offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        for index, token in enumerate(vocab):
            for slots in parts.get(token, ()):
                postings.extend(slots)
            offsets[index + 1] = len(postings)
        return offsets, np.array(postings, dtype=np.int32)

    def token_range(self, prefix: str) -> tuple[int, int]:
        low = bisect.bisect_left(self.vocab, prefix)
        return low, bisect.bisect_left(self.vocab, prefix + "\U0010ffff", low)

    def literal_range(self, prefix: str) -> tuple[int, int]:
        low = bisect.bisect_left(self.literal_keys, prefix)
        return low, bisect.bisect_left(self.literal_keys, prefix + "\U0010ffff", low)

    def name_slots(self, low: int, high: int) -> np.ndarray:
        return self.name_postings[self.name_offsets[low] : self.name_offsets[high]]

    def org_slots(self, low: int, high: int) -> np.ndarray:
        return self.org_postings[self.org_offsets[low] : self.org_offsets[high]]


_REG = cast(Table, Registration.__table__)
# Row layout of the index: (id, code, order_code, title, first_name, last_name, organisation, email).
_COLUMNS = (
    _REG.c.id,
    _REG.c.code,
    _REG.c.order_code,
    _REG.c.title,
    _REG.c.first_name,
    _REG.c.last_name,
    _REG.c.organisation,
    _REG.c.email,
)
_ID, _CODE, _ORDER_CODE, _TITLE, _FIRST, _LAST, _ORG, _EMAIL = range(8)


class SearchIndex:
    """In-memory search over one event's registrations (purged ones left out)."""

    def __init__(self, db: Database, event: EventInfo) -> None:
        self._db = db
        self.event = event
        self.refresh()

    # ------------------------------------------------------------------ building
    def refresh(self) -> None:
        """Rebuild from the database (after an import or other desks' changes)."""
        # The read path never waits for another desk's write lock (an import must not freeze typing).
        with self._db.read() as session:
            rows = list(
                session.execute(
                    select(*_COLUMNS).where(_REG.c.event_id == self.event.id, _REG.c.purged_at.is_(None))
                ).all()
            )
        cache = _TokenCache()
        # Equal scores list in the order of every other list: German collation, last name first.
        rows.sort(key=lambda row: person_sort_key(row[_LAST] or "", row[_FIRST] or "", row[_CODE], row[_ID]))
        self._registration_ids: list[int] = [r[_ID] for r in rows]
        self._slot_of = {rid: slot for slot, rid in enumerate(self._registration_ids)}
        self._alive = np.ones(len(rows), dtype=bool)
        self._main = _Segment(enumerate(rows), cache)
        self._delta_rows: dict[int, Any] = {}
        self._delta = _Segment((), cache)

    def __len__(self) -> int:
        return int(self._alive.sum())

    def upsert(self, registration_id: int) -> None:
        """Bring one registration up to date (after a walk-in or an edit); drops it if gone or purged."""
        with self._db.read() as session:
            row = session.execute(
                select(*_COLUMNS).where(
                    _REG.c.id == registration_id,
                    _REG.c.event_id == self.event.id,
                    _REG.c.purged_at.is_(None),
                )
            ).one_or_none()
        old_slot = self._slot_of.pop(registration_id, None)
        if old_slot is not None:
            self._alive[old_slot] = False
            self._delta_rows.pop(old_slot, None)
        if row is not None:
            slot = len(self._registration_ids)
            self._registration_ids.append(registration_id)
            self._slot_of[registration_id] = slot
            self._alive = np.append(self._alive, True)
            self._delta_rows[slot] = tuple(row)
        if len(self._delta_rows) > _MAX_DELTA:
            self.refresh()
        else:
            self._delta = _Segment(self._delta_rows.items(), _TokenCache())

    # ------------------------------------------------------------------ searching
    def _word_scores(self, word: str) -> np.ndarray:
        """Score per slot of one (folded) query word; 0 where it does not match."""
        scores = np.zeros(len(self._registration_ids), dtype=np.int16)
        # (score, slots) assigned in ascending score order, so each slot keeps its best score.
        found: list[tuple[int, np.ndarray]] = []
        for segment in (self._main, self._delta):
            low, high = segment.token_range(word)
            if low == high:
                continue
            exact = low if segment.vocab[low] == word else None
            start = low + 1 if exact is not None else low
            found.append((_ORG_PREFIX, segment.org_slots(start, high)))
            found.append((_NAME_PREFIX, segment.name_slots(start, high)))
            if exact is not None:
                found.append((_ORG_EXACT, segment.org_slots(exact, exact + 1)))
                found.append((_NAME_EXACT, segment.name_slots(exact, exact + 1)))
        matched = sum(len(slots) for _score, slots in found)
        if len(word) >= _MIN_TYPO_LENGTH and matched < _ENOUGH_MATCHES:
            found.extend(self._typo_matches(word))
        found.sort(key=lambda item: item[0])
        for score, slots in found:
            if len(slots):
                scores[slots] = score
        return scores

    def _typo_matches(self, word: str) -> list[tuple[int, np.ndarray]]:
        """Tokens whose prefix is one (long words: two) edits away from ``word``.

        The word is compared with the prefixes of its own length (a wrong or swapped letter),
        one longer (a letter left out) and one shorter (a letter too many).
        """
        max_distance = 1 if len(word) < 7 else 2
        if len(word) > _MAX_PREFIX_LENGTH:
            word, lengths = word[:_MAX_PREFIX_LENGTH], [_MAX_PREFIX_LENGTH]
        else:
            lengths = [n for n in (len(word), len(word) + 1, len(word) - 1) if n >= _MIN_TYPO_LENGTH]
        best: dict[tuple[int, str], int] = {}
        for number, segment in enumerate((self._main, self._delta)):
            for length in lengths:
                candidates = segment.prefixes.get(length)
                if not candidates:
                    continue
                for prefix, distance, _index in process.extract(
                    word, candidates, scorer=OSA.distance, score_cutoff=max_distance, limit=_MAX_TYPO_PREFIXES
                ):
                    key = (number, prefix)
                    if distance and best.get(key, max_distance + 1) > distance:
                        best[key] = int(distance)
        found: list[tuple[int, np.ndarray]] = []
        segments = (self._main, self._delta)
        for (number, prefix), distance in best.items():
            segment = segments[number]
            low, high = segment.token_range(prefix)
            found.append((_ORG_TYPO_1 if distance == 1 else _ORG_TYPO_2, segment.org_slots(low, high)))
            found.append((_NAME_TYPO_1 if distance == 1 else _NAME_TYPO_2, segment.name_slots(low, high)))
        return found

    def _literal_scores(self, text: str) -> np.ndarray | None:
        """Scores for the whole query as a code, order code or e-mail (exact or prefix)."""
        if len(text) < 3 or " " in text:
            return None
        scores: np.ndarray | None = None
        for segment in (self._main, self._delta):
            low, high = segment.literal_range(text)
            if low == high:
                continue
            if scores is None:
                scores = np.zeros(len(self._registration_ids), dtype=np.int32)
            scores[segment.literal_slots[low:high]] = _NAME_PREFIX
            exact_high = bisect.bisect_right(segment.literal_keys, text, low, high)
            scores[segment.literal_slots[low:exact_high]] = _NAME_EXACT * 2
        return scores

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """The best ``limit`` registrations for ``query`` (every word must match), best first."""
        query = (query or "")[:200]
        words = list(dict.fromkeys(tokens(query)))[:_MAX_WORDS]
        if not words or limit <= 0 or not self._registration_ids:
            return []
        total = np.zeros(len(self._registration_ids), dtype=np.int32)
        matches_all = self._alive.copy()
        for word in sorted(words, key=len, reverse=True):
            scores = self._word_scores(word)
            matches_all &= scores > 0
            total += scores
        literal = self._literal_scores(_literal_key(query))
        if literal is not None:
            literal_hit = (literal > 0) & self._alive
            total = np.where(literal_hit, np.maximum(total, literal), total)
            matches_all |= literal_hit
        slots = np.flatnonzero(matches_all)
        if not slots.size:
            return []
        # Highest score first, then name order (= slot order).
        keys = (np.int64(np.iinfo(np.int32).max) - total[slots]) * len(total) + slots
        if slots.size > limit:
            best = np.argpartition(keys, limit - 1)[:limit]
            slots, keys = slots[best], keys[best]
        ordered = slots[np.argsort(keys, kind="stable")]
        return self._hits([(self._registration_ids[s], float(total[s])) for s in ordered])

    def _hits(self, ranked: list[tuple[int, float]]) -> list[SearchHit]:
        ids = [rid for rid, _score in ranked]
        with self._db.read() as session:
            rows = {
                r.id: r
                for r in session.execute(
                    select(*PERSON_COLUMNS, Registration.status).where(Registration.id.in_(ids))
                )
            }
            links: dict[int, list[int]] = {}
            for registration_id, session_id in session.execute(
                select(registration_sessions.c.registration_id, registration_sessions.c.session_id).where(
                    registration_sessions.c.registration_id.in_(ids)
                )
            ):
                links.setdefault(registration_id, []).append(session_id)
        hits = []
        for registration_id, score in ranked:
            r = rows.get(registration_id)
            if r is None:
                continue  # deleted since the index was built
            person = summary_from_row(
                registration_id=r.id,
                code=r.code,
                title=r.title,
                first_name=r.first_name,
                last_name=r.last_name,
                organisation=r.organisation,
                function=r.function,
                email=r.email,
                category_id=r.category_id,
                status=r.status,
                session_ids=links.get(registration_id, ()),
                event=self.event,
            )
            hits.append(SearchHit(registration_id=r.id, score=score, person=person, order_code=r.order_code))
        return hits


__all__ = ["SearchHit", "SearchIndex"]
