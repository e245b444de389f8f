"""Type-ahead search over name, organisation, e-mail and code, in memory.

Built for 100,000 registrations and a query per keystroke:

- every registration is split into folded tokens (``folding.fold``: Müller =
  Mueller = Muller); a sorted vocabulary of distinct tokens with a posting
  list each (the registrations holding the token);
- a query word matches tokens exactly or as a prefix (a ``bisect`` range of
  the sorted vocabulary), and only when that finds little, by typo: the
  rapidfuzz OSA distance (a swap of two letters counts as one) between the
  word and the equally long prefixes of the vocabulary's tokens, precomputed
  per length, so "Shcmidt" and "Mülelr" find their names;
- a registration must match every query word, in any order ("weber
  diakonie"); exact beats prefix beats typo, and a match in the name beats
  one in the organisation, e-mail or code.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import select

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.folding import fold, tokens
from checkin.domain.models import Registration, registration_sessions
from checkin.domain.people import summary_from_row
from checkin.domain.verdicts import PersonSummary

# Field weights: where a query word matched.
_NAME, _ORG, _OTHER = 3, 2, 1
# Match quality per query word (times the field weight).
_EXACT, _PREFIX, _TYPO = 100, 80, 50
# Typo search only for words this long (shorter ones match too much by chance).
_MIN_TYPO_LENGTH = 4
_MAX_PREFIX_LENGTH = 12
# A word whose exact/prefix matches reach this many registrations gets no typo search.
_ENOUGH_MATCHES = 50
_MAX_TYPO_PREFIXES = 40


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


@dataclass
class _Record:
    registration_id: int
    code: str
    order_code: str | None
    title: str
    first_name: str
    last_name: str
    organisation: str
    function: str
    email: str
    category_id: int | None
    status: str
    sort_key: str
    # token -> field weight (the best field it occurs in)
    tokens: dict[str, int]


def _record_tokens(
    first_name: str, last_name: str, organisation: str, email: str, code: str, order_code: str | None
) -> dict[str, int]:
    found: dict[str, int] = {}

    def add(token: str, weight: int) -> None:
        if token and found.get(token, 0) < weight:
            found[token] = weight

    for token in tokens(f"{first_name} {last_name}"):
        add(token, _NAME)
    # "Müller-Lüdenscheidt" also as one word, so both halves and the whole match.
    joined = fold(last_name).replace("-", "").replace(" ", "")
    if joined.isalnum():
        add(joined, _NAME)
    for token in tokens(organisation):
        add(token, _ORG)
    if email:
        add(fold(email).strip(), _OTHER)
        for token in tokens(email):
            add(token, _OTHER)
    for value in (code, order_code):
        if value:
            add(fold(value).strip(), _OTHER)
    return found


class SearchIndex:
    """In-memory search over one event's registrations (purged ones left out)."""

    def __init__(self, db: Database, event: EventInfo) -> None:
        self._db = db
        self.event = event
        self.refresh()

    # ------------------------------------------------------------------ building
    def refresh(self) -> None:
        """Rebuild from the database (after an import or other desks' changes)."""
        reg = Registration.__table__
        with self._db.session_factory() as session:
            rows = session.execute(
                select(
                    reg.c.id,
                    reg.c.code,
                    reg.c.order_code,
                    reg.c.title,
                    reg.c.first_name,
                    reg.c.last_name,
                    reg.c.organisation,
                    reg.c.function,
                    reg.c.email,
                    reg.c.category_id,
                    reg.c.status,
                ).where(reg.c.event_id == self.event.id, reg.c.purged_at.is_(None))
            ).all()
            links = session.execute(
                select(registration_sessions.c.registration_id, registration_sessions.c.session_id)
                .join(reg, reg.c.id == registration_sessions.c.registration_id)
                .where(reg.c.event_id == self.event.id)
            ).all()
        sessions: dict[int, list[int]] = {}
        for registration_id, session_id in links:
            sessions.setdefault(registration_id, []).append(session_id)
        self._sessions = sessions
        self._records: dict[int, _Record] = {}
        postings: dict[str, list[int]] = {}
        for row in rows:
            record = self._make_record(row)
            self._records[record.registration_id] = record
            for token in record.tokens:
                postings.setdefault(token, []).append(record.registration_id)
        self._postings = postings
        self._vocab = sorted(postings)
        self._build_prefixes()

    def _build_prefixes(self) -> None:
        by_length: dict[int, set[str]] = {}
        for token in self._vocab:
            for length in range(_MIN_TYPO_LENGTH, min(len(token), _MAX_PREFIX_LENGTH) + 1):
                by_length.setdefault(length, set()).add(token[:length])
        self._prefixes = {length: sorted(values) for length, values in by_length.items()}

    @staticmethod
    def _make_record(row: object) -> _Record:
        r = row  # a Row with the columns selected in refresh()/upsert()
        return _Record(
            registration_id=r.id,  # type: ignore[attr-defined]
            code=r.code,  # type: ignore[attr-defined]
            order_code=r.order_code,  # type: ignore[attr-defined]
            title=r.title or "",  # type: ignore[attr-defined]
            first_name=r.first_name or "",  # type: ignore[attr-defined]
            last_name=r.last_name or "",  # type: ignore[attr-defined]
            organisation=r.organisation or "",  # type: ignore[attr-defined]
            function=r.function or "",  # type: ignore[attr-defined]
            email=r.email or "",  # type: ignore[attr-defined]
            category_id=r.category_id,  # type: ignore[attr-defined]
            status=str(getattr(r.status, "value", r.status)),  # type: ignore[attr-defined]
            sort_key=fold(f"{r.last_name} {r.first_name}"),  # type: ignore[attr-defined]
            tokens=_record_tokens(
                r.first_name or "",  # type: ignore[attr-defined]
                r.last_name or "",  # type: ignore[attr-defined]
                r.organisation or "",  # type: ignore[attr-defined]
                r.email or "",  # type: ignore[attr-defined]
                r.code or "",  # type: ignore[attr-defined]
                r.order_code,  # type: ignore[attr-defined]
            ),
        )

    def __len__(self) -> int:
        return len(self._records)

    def upsert(self, registration_id: int) -> None:
        """Bring one registration up to date (after a walk-in or an edit); removes it if gone/purged."""
        reg = Registration.__table__
        with self._db.session_factory() as session:
            row = session.execute(
                select(
                    reg.c.id,
                    reg.c.code,
                    reg.c.order_code,
                    reg.c.title,
                    reg.c.first_name,
                    reg.c.last_name,
                    reg.c.organisation,
                    reg.c.function,
                    reg.c.email,
                    reg.c.category_id,
                    reg.c.status,
                ).where(
                    reg.c.id == registration_id,
                    reg.c.event_id == self.event.id,
                    reg.c.purged_at.is_(None),
                )
            ).one_or_none()
            session_ids = list(
                session.scalars(
                    select(registration_sessions.c.session_id).where(
                        registration_sessions.c.registration_id == registration_id
                    )
                )
            )
        self._remove(registration_id)
        if row is None:
            return
        record = self._make_record(row)
        self._records[registration_id] = record
        self._sessions[registration_id] = session_ids
        for token in record.tokens:
            posting = self._postings.get(token)
            if posting is None:
                self._postings[token] = [registration_id]
                bisect.insort(self._vocab, token)
                for length in range(_MIN_TYPO_LENGTH, min(len(token), _MAX_PREFIX_LENGTH) + 1):
                    prefixes = self._prefixes.setdefault(length, [])
                    index = bisect.bisect_left(prefixes, token[:length])
                    if index == len(prefixes) or prefixes[index] != token[:length]:
                        prefixes.insert(index, token[:length])
            else:
                posting.append(registration_id)

    def _remove(self, registration_id: int) -> None:
        record = self._records.pop(registration_id, None)
        self._sessions.pop(registration_id, None)
        if record is None:
            return
        for token in record.tokens:
            posting = self._postings.get(token)
            if posting is None:
                continue
            posting.remove(registration_id)
            if not posting:
                # Keep the (now empty) vocabulary entry: harmless, and prefixes stay valid.
                pass

    # ------------------------------------------------------------------ searching
    def _range(self, prefix: str) -> tuple[int, int]:
        low = bisect.bisect_left(self._vocab, prefix)
        high = bisect.bisect_left(self._vocab, prefix + "\U0010ffff", low)
        return low, high

    def _word_scores(self, word: str) -> dict[int, int]:
        """registration id -> best score of one query word."""
        scores: dict[int, int] = {}
        records = self._records

        def credit(token: str, quality: int) -> None:
            for registration_id in self._postings.get(token, ()):
                record = records.get(registration_id)
                if record is None:
                    continue
                score = quality * record.tokens.get(token, _OTHER)
                if scores.get(registration_id, 0) < score:
                    scores[registration_id] = score

        low, high = self._range(word)
        for index in range(low, high):
            token = self._vocab[index]
            credit(token, _EXACT if token == word else _PREFIX)
        if len(word) >= _MIN_TYPO_LENGTH and len(scores) < _ENOUGH_MATCHES:
            length = min(len(word), _MAX_PREFIX_LENGTH)
            candidates = self._prefixes.get(length, [])
            max_distance = 1 if len(word) < 7 else 2
            matches = process.extract(
                word[:length],
                candidates,
                scorer=OSA.distance,
                score_cutoff=max_distance,
                limit=_MAX_TYPO_PREFIXES,
            )
            for prefix, distance, _index in matches:
                if distance == 0:
                    continue
                low, high = self._range(prefix)
                for index in range(low, high):
                    credit(self._vocab[index], _TYPO - 10 * int(distance))
        return scores

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """The best ``limit`` registrations for ``query`` (every word must match)."""
        words = list(dict.fromkeys(tokens(query or "")))[:8]
        if not words or limit <= 0:
            return []
        # Longest words first: they narrow the candidates fastest.
        words.sort(key=len, reverse=True)
        totals: dict[int, int] | None = None
        for word in words:
            scores = self._word_scores(word)
            if totals is None:
                totals = scores
            else:
                totals = {rid: total + scores[rid] for rid, total in totals.items() if rid in scores}
            if not totals:
                return []
        assert totals is not None
        records = self._records
        best = heapq.nsmallest(
            limit, totals.items(), key=lambda item: (-item[1], records[item[0]].sort_key, item[0])
        )
        return [self._hit(rid, score) for rid, score in best]

    def _hit(self, registration_id: int, score: int) -> SearchHit:
        r = self._records[registration_id]
        person = summary_from_row(
            registration_id=r.registration_id,
            code=r.code,
            title=r.title,
            first_name=r.first_name,
            last_name=r.last_name,
            organisation=r.organisation,
            function=r.function,
            email=r.email,
            category_id=r.category_id,
            status=r.status,
            session_ids=self._sessions.get(registration_id, ()),
            event=self.event,
        )
        return SearchHit(
            registration_id=registration_id, score=float(score), person=person, order_code=r.order_code
        )


__all__ = ["SearchHit", "SearchIndex"]
