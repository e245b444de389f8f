"""The guest list of one working day: every registration, who has arrived, and filters over it.

Staff ask "who is not here yet?", "which of the Diakonie are missing?", "who booked
workshop 3?". ``GuestList`` reads the event's registrations once (a ``Database.read()``
snapshot: it never waits for another desk's write) with their days, sessions and the
entrance check-in in force on the day, in list order (``collation.person_sort_key``),
and answers each ``GuestFilter`` from memory: at 50,000 registrations a filter is a
few milliseconds, so the window filters on every keystroke. After a check-in only the
people it touched are read again (``refresh``).

Facts only: times stay aware datetimes, days ids; ``checkin.ui.guest_list_view`` puts
them into words.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from sqlalchemy import String, Table, select, type_coerce
from sqlalchemy.orm import Session

from checkin.domain.attendance import in_force_condition
from checkin.domain.collation import german_key, person_sort_key
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.folding import fold, tokens
from checkin.domain.models import (
    ENTRANCE_SCOPE,
    CheckInLogEntry,
    Registration,
    RegistrationStatus,
    registration_days,
    registration_sessions,
)
from checkin.domain.registered_days import is_registered_on
from checkin.domain.search import transliterated

_REG = cast(Table, Registration.__table__)
_COLUMNS = (
    _REG.c.id,
    _REG.c.code,
    _REG.c.title,
    _REG.c.first_name,
    _REG.c.last_name,
    _REG.c.organisation,
    _REG.c.email,
    _REG.c.category_id,
    type_coerce(_REG.c.status, String),
    _REG.c.no_day_ticked,
)
# More ids than this in one refresh: the whole list is read again (one query, not a huge IN).
_MAX_PARTIAL = 500


class Presence(enum.StrEnum):
    """Which people the list shows by their arrival on the working day."""

    ALL = "all"
    NOT_ARRIVED = "not_arrived"  # expected (active, registered for the day) and not checked in
    ARRIVED = "arrived"  # checked in at the entrance on the day


@dataclass(frozen=True, slots=True)
class Guest:
    """One registration as the guest list shows it (a fact, no words)."""

    registration_id: int
    code: str
    title: str
    first_name: str
    last_name: str
    organisation: str
    category_id: int | None
    cancelled: bool
    day_ids: tuple[int, ...]  # empty: every day, unless ``no_day_ticked``
    no_day_ticked: bool
    session_ids: tuple[int, ...]
    arrived_at: dt.datetime | None  # the entrance check-in in force on the working day
    expected: bool  # active and registered for the working day
    sort_key: tuple[Any, ...]
    haystack: str  # folded name, organisation, code and e-mail (and a transliteration), for ``text``
    organisation_key: str  # the folded organisation

    @property
    def every_day(self) -> bool:
        return not self.day_ids and not self.no_day_ticked


@dataclass(frozen=True)
class GuestFilter:
    """What the list is narrowed to; every part given must match.

    ``organisation`` and ``text`` match when each of their words is found in the folded
    organisation (resp. name, organisation, code, e-mail): "diakon" finds "Diakonie
    Hessen", "muller anna" finds "Anna Müller".
    """

    presence: Presence = Presence.ALL
    category_id: int | None = None
    organisation: str = ""
    session_id: int | None = None
    text: str = ""


class _Folder:
    """Folded words per distinct value: names and organisations repeat a lot."""

    def __init__(self) -> None:
        self._folded: dict[str, str] = {}
        self._names: dict[str, str] = {}

    def fold(self, value: str) -> str:
        found = self._folded.get(value)
        if found is None:
            found = self._folded[value] = fold(value)
        return found

    def name(self, value: str) -> str:
        """A name's folded words, with their Latin spelling for other scripts ("Бабич babich")."""
        found = self._names.get(value)
        if found is None:
            words = tokens(value)
            found = self._names[value] = " ".join((*words, *transliterated(words, value)))
        return found


def _guest(
    row: Any, day_id: int, days: Sequence[int], sessions: Sequence[int], arrived: Any, folder: _Folder
) -> Guest:
    rid, code, title, first, last, organisation, email, category_id, status, no_day_ticked = row
    title, first, last = title or "", first or "", last or ""
    organisation, code, email = organisation or "", code or "", email or ""
    cancelled = status == RegistrationStatus.CANCELLED.value
    organisation_key = folder.fold(organisation)
    no_day = bool(no_day_ticked)
    return Guest(
        registration_id=rid,
        code=code,
        title=title,
        first_name=first,
        last_name=last,
        organisation=organisation,
        category_id=category_id,
        cancelled=cancelled,
        day_ids=tuple(days),
        no_day_ticked=no_day,
        session_ids=tuple(sessions),
        arrived_at=_utc(arrived),
        expected=not cancelled and is_registered_on(day_id, days, no_day_ticked=no_day),
        sort_key=person_sort_key(last, first, code, rid),
        haystack=(
            f"{folder.name(title)} {folder.name(first)} {folder.name(last)} | {organisation_key}"
            f" | {code.lower()} | {email.lower()}"
        ),
        organisation_key=organisation_key,
    )


def _utc(value: Any) -> dt.datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives text when read raw)."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _read(session: Session, event_id: int, day_id: int, ids: Collection[int] | None) -> list[Guest]:
    """The guests of ``event_id`` (only ``ids`` when given), purged registrations left out."""
    people = select(*_COLUMNS).where(_REG.c.event_id == event_id, _REG.c.purged_at.is_(None))
    days_query = (
        select(registration_days.c.registration_id, registration_days.c.day_id)
        .join(_REG, _REG.c.id == registration_days.c.registration_id)
        .where(_REG.c.event_id == event_id)
    )
    sessions_query = (
        select(registration_sessions.c.registration_id, registration_sessions.c.session_id)
        .join(_REG, _REG.c.id == registration_sessions.c.registration_id)
        .where(_REG.c.event_id == event_id)
    )
    arrivals_query = select(CheckInLogEntry.registration_id, type_coerce(CheckInLogEntry.at, String)).where(
        CheckInLogEntry.event_id == event_id,
        CheckInLogEntry.day_id == day_id,
        CheckInLogEntry.scope == ENTRANCE_SCOPE,
        in_force_condition(),
    )
    if ids is not None:
        wanted = sorted(ids)
        people = people.where(_REG.c.id.in_(wanted))
        days_query = days_query.where(registration_days.c.registration_id.in_(wanted))
        sessions_query = sessions_query.where(registration_sessions.c.registration_id.in_(wanted))
        arrivals_query = arrivals_query.where(CheckInLogEntry.registration_id.in_(wanted))
    days: dict[int, list[int]] = {}
    for rid, day in session.execute(days_query).all():
        days.setdefault(rid, []).append(day)
    sessions: dict[int, list[int]] = {}
    for rid, item in session.execute(sessions_query).all():
        sessions.setdefault(rid, []).append(item)
    arrivals = {rid: at for rid, at in session.execute(arrivals_query).all()}
    folder = _Folder()
    return [
        _guest(
            row,
            day_id,
            sorted(days.get(row[0], ())),
            sorted(sessions.get(row[0], ())),
            arrivals.get(row[0]),
            folder,
        )
        for row in session.execute(people).all()
    ]


class GuestList:
    """The event's registrations for one working day, in list order; filtered in memory.

    Besides ``guests`` it keeps a column per filter (numpy arrays), so that the structured
    filters (arrival, category, workshop, organisation) are array operations and only the
    typed text is tested row by row, on the rows left.

    Args:
        db: the database (read through ``Database.read()`` only).
        event: the event.
        day_id: the working day (whose arrivals the list shows).
        read: read the database now (False: start empty, e.g. to ``adopt`` a list read in a worker).
    """

    def __init__(self, db: Database, event: EventInfo, day_id: int, *, read: bool = True) -> None:
        self._db = db
        self.event = event
        self.day_id = day_id
        self._set([])
        if read:
            self.reload()

    def __len__(self) -> int:
        return len(self.guests)

    def reload(self) -> None:
        """Read everyone again (after an import, another desk's writes)."""
        with self._db.read() as session:
            guests = _read(session, self.event.id, self.day_id, None)
        self._set(guests)

    def adopt(self, other: GuestList) -> None:
        """Take over the guests of a list read elsewhere (a worker thread's ``GuestList``)."""
        self._set(list(other.guests))

    def refresh(self, registration_ids: Iterable[int]) -> list[int]:
        """Read these registrations again (a check-in, an edit, a walk-in); gone ones leave the list.

        Returns the positions in ``guests`` that changed in place; an empty list when the
        list was rebuilt or nothing changed (a new, removed or renamed person moves rows).
        """
        ids = set(registration_ids)
        if not ids:
            return []
        if len(ids) > _MAX_PARTIAL:
            self.reload()
            return []
        with self._db.read() as session:
            fresh = {g.registration_id: g for g in _read(session, self.event.id, self.day_id, ids)}
        in_place = []
        for rid in ids:
            position = self._index.get(rid)
            guest = fresh.get(rid)
            if position is None or guest is None or guest.sort_key != self.guests[position].sort_key:
                kept = [g for g in self.guests if g.registration_id not in ids]
                self._set(kept + list(fresh.values()))
                return []
            in_place.append(position)
        for position in in_place:
            self._put(position, fresh[self.guests[position].registration_id])
        return sorted(in_place)

    def _set(self, guests: list[Guest]) -> None:
        guests.sort(key=lambda g: g.sort_key)
        self.guests = guests
        self._index = {g.registration_id: i for i, g in enumerate(guests)}
        count = len(guests)
        self._org_codes: dict[str, int] = {}
        codes = self._org_codes
        self._organisation = np.fromiter(
            (codes.setdefault(g.organisation_key, len(codes)) for g in guests), dtype=np.int32, count=count
        )
        self._category = np.fromiter(
            (-1 if g.category_id is None else g.category_id for g in guests), dtype=np.int64, count=count
        )
        self._expected = np.fromiter((g.expected for g in guests), dtype=bool, count=count)
        self._arrived = np.fromiter((g.arrived_at is not None for g in guests), dtype=bool, count=count)
        self._haystacks = [g.haystack for g in guests]
        self._links()
        self._last: tuple[GuestFilter, list[int]] | None = None

    def _links(self) -> None:
        """Who booked which session, as two arrays (row, session id): one entry per booking."""
        rows = [i for i, g in enumerate(self.guests) for _ in g.session_ids]
        self._link_rows = np.array(rows, dtype=np.int64)
        self._link_sessions = np.fromiter(
            (s for g in self.guests for s in g.session_ids), dtype=np.int64, count=len(rows)
        )

    def _put(self, position: int, guest: Guest) -> None:
        old = self.guests[position]
        self.guests[position] = guest
        codes = self._org_codes
        self._organisation[position] = codes.setdefault(guest.organisation_key, len(codes))
        self._category[position] = -1 if guest.category_id is None else guest.category_id
        self._expected[position] = guest.expected
        self._arrived[position] = guest.arrived_at is not None
        self._haystacks[position] = guest.haystack
        if old.session_ids != guest.session_ids:
            self._links()
        self._last = None

    def _session_mask(self, session_id: int) -> np.ndarray:
        mask = np.zeros(len(self.guests), dtype=bool)
        mask[self._link_rows[self._link_sessions == session_id]] = True
        return mask

    def row_of(self, registration_id: int) -> int | None:
        """Where a registration is in ``guests`` (None: not in the list)."""
        return self._index.get(registration_id)

    def organisations(self) -> list[str]:
        """The distinct organisations, in German list order (for type-ahead)."""
        return sorted({g.organisation for g in self.guests if g.organisation}, key=german_key)

    def filter(self, wanted: GuestFilter) -> list[int]:
        """Positions in ``guests`` of the guests that match ``wanted``, in list order.

        A filter that only narrows the one before (a letter more typed) looks only at the
        rows that one left: the first letter is the slowest.
        """
        last = self._last
        if last is not None and _narrows(last[0], wanted):
            rows = self._text_rows(last[1], wanted.text)
        else:
            rows = self._text_rows(self._structured_rows(wanted), wanted.text)
        self._last = (wanted, rows)
        return list(rows)

    def _text_rows(self, rows: list[int], text: str) -> list[int]:
        haystacks = self._haystacks
        for word in sorted(set(tokens(text)), key=len, reverse=True):
            rows = [i for i in rows if word in haystacks[i]]
        return rows

    def _structured_rows(self, wanted: GuestFilter) -> list[int]:
        mask = np.ones(len(self.guests), dtype=bool)
        if wanted.presence is Presence.NOT_ARRIVED:
            mask &= self._expected & ~self._arrived
        elif wanted.presence is Presence.ARRIVED:
            mask &= self._arrived
        if wanted.category_id is not None:
            mask &= self._category == wanted.category_id
        if wanted.session_id is not None:
            mask &= self._session_mask(wanted.session_id)
        words = tokens(wanted.organisation)
        if words:
            matching = [code for key, code in self._org_codes.items() if all(w in key for w in words)]
            mask &= np.isin(self._organisation, np.array(matching, dtype=np.int32))
        rows: list[int] = np.flatnonzero(mask).tolist()
        return rows


def _words_narrow(before: str, after: str) -> bool:
    """Every row whose text holds all words of ``after`` also holds all words of ``before``."""
    new_words = tokens(after)
    return all(any(old in new for new in new_words) for old in tokens(before))


def _narrows(before: GuestFilter, after: GuestFilter) -> bool:
    """``after`` keeps at most the rows ``before`` kept: only more text typed (same other choices)."""
    return (before.presence, before.category_id, before.session_id, before.organisation) == (
        after.presence,
        after.category_id,
        after.session_id,
        after.organisation,
    ) and _words_narrow(before.text, after.text)


__all__ = ["Guest", "GuestFilter", "GuestList", "Presence"]
