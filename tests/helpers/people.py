"""The one factory for test people: registrations on an event, written the way an import leaves them.

``People(db, event).add("Jürgen", "Müller", organisation=...)`` adds one person;
``add_all`` adds described people (``NewPerson``) in one transaction; ``add_many``
adds ``count`` generated people. Every call returns ``Person`` records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import func, select

from checkin.domain.codes import generate_code
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    AuditEntry,
    CheckInLogEntry,
    EventDay,
    EventSession,
    Registration,
    RegistrationStatus,
)

# The demo event's two days (resources/events: Thursday and Friday, 19 and 20 September 2024).
DAY1 = dt.date(2024, 9, 19)
DAY2 = dt.date(2024, 9, 20)

# The names ``add_many`` cycles through: umlauts, Ł and Ş on purpose.
GENERATED_NAMES = (
    ("Jürgen", "Müller", "Jobcenter Kreis Offenbach"),
    ("Anna", "Schmidt", "Jobcenter Mülheim an der Ruhr"),
    ("Łukasz", "Nowak", "Landkreis Görlitz"),
    ("Aylin", "Şahin", "Stadt Erlangen"),
    ("Marie", "Weber", "Jobcenter Kreis Offenbach"),
    ("Thomas", "Becker", "Landkreis Fulda"),
)


class Person(NamedTuple):
    """A registration a test added; a pair, so ``registration_id, code = person`` works too."""

    registration_id: int
    code: str


@dataclass(frozen=True)
class NewPerson:
    """Who to add. Defaults: an active participant in the default category, registered for both days."""

    first_name: str = "Anna"
    last_name: str = "Schmidt"
    title: str = ""
    organisation: str = ""
    function: str = ""
    category: str | None = None  # a category key; None: the event's default category
    workshops: Sequence[str] = ()  # session keys
    email: str = ""
    days: Sequence[dt.date] | None = (DAY1, DAY2)  # empty or None: no day rows (which means every day)
    cancelled: bool = False
    code: str | None = None  # None: a fresh code signed with the event's secret
    order_code: str | None = None
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    source: str = "test"


def registration_ids(people: Iterable[Person]) -> list[int]:
    return [person.registration_id for person in people]


@dataclass
class People:
    """Adds registrations to ``event`` straight through the ORM (no importer involved)."""

    db: Database
    event: EventInfo

    def add(self, first_name: str = "Anna", last_name: str = "Schmidt", **fields: Any) -> Person:
        """One person; ``fields`` are those of :class:`NewPerson`."""
        (person,) = self.add_all([NewPerson(first_name, last_name, **fields)])
        return person

    def add_all(self, new_people: Iterable[NewPerson]) -> list[Person]:
        """Everyone in ``new_people``, in one transaction, in the given order."""
        added = []
        with self.db.session_factory.begin() as session:
            days = {d.date: d.id for d in self.event.days}
            sessions = {s.key: s.id for s in self.event.sessions}
            for new in new_people:
                category = (
                    self.event.category_by_key(new.category) if new.category else self.event.default_category
                )
                if category is None:
                    raise ValueError(f"the event has no category {new.category!r}")
                registration = Registration(
                    event_id=self.event.id,
                    code=new.code or generate_code(self.event.secret),
                    order_code=new.order_code,
                    title=new.title,
                    first_name=new.first_name,
                    last_name=new.last_name,
                    organisation=new.organisation,
                    function=new.function,
                    email=new.email,
                    notes=new.notes,
                    extra=dict(new.extra),
                    category_id=category.id,
                    status=RegistrationStatus.CANCELLED if new.cancelled else RegistrationStatus.ACTIVE,
                    source=new.source,
                )
                registration.days = [session.get_one(EventDay, days[d]) for d in new.days or ()]
                registration.sessions = [session.get_one(EventSession, sessions[k]) for k in new.workshops]
                session.add(registration)
                session.flush()
                added.append(Person(registration.id, registration.code))
        return added

    def add_many(self, count: int, *, start: int = 0, **fields: Any) -> list[Person]:
        """``count`` people numbered from ``start``: names cycle through ``GENERATED_NAMES`` (a number
        is appended from the second round on), codes are ``T000000``, ``T000001``, ..."""
        template = NewPerson(**fields)
        new_people = []
        for number in range(start, start + count):
            first, last, organisation = GENERATED_NAMES[number % len(GENERATED_NAMES)]
            new_people.append(
                replace(
                    template,
                    first_name=first,
                    last_name=f"{last}{'' if number < len(GENERATED_NAMES) else number}",
                    organisation=organisation,
                    email=f"p{number}@example.org",
                    code=f"T{number:06d}",
                )
            )
        return self.add_all(new_people)

    def log_rows(self) -> int:
        """How many check-in log rows the database holds."""
        with self.db.session_factory() as session:
            return int(session.scalar(select(func.count()).select_from(CheckInLogEntry)) or 0)

    def snapshot(self) -> tuple[int, int, int]:
        """Row counts of everything a scan could change: log, registrations, audit."""
        with self.db.session_factory() as session:
            return (
                int(session.scalar(select(func.count()).select_from(CheckInLogEntry)) or 0),
                int(session.scalar(select(func.count()).select_from(Registration)) or 0),
                int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0),
            )


# Long and non-Latin names (titles, functions, Greek, Cyrillic, Arabic, Hebrew, Vietnamese):
# what badges, fonts and search must cope with. The ``hard_people`` fixture registers them.
HARD_NAMES: tuple[NewPerson, ...] = (
    NewPerson(
        "Maximilian-Alexander",
        "Freiherr von Hohenzollern-Sigmaringen",
        "Prof. Dr.",
        "Kommunales Jobcenter des Landkreises Marburg-Biedenkopf – Kreisjobcenter (KJC) "
        "Anstalt des öffentlichen Rechts",
        "Leiter des Fachbereichs Arbeitsmarktintegration und Grundsatzangelegenheiten",
        "speaker",
        ("zw-digitalisierung",),
    ),
    NewPerson("Łukasz", "Wróblewski", organisation="Miasto Wrocław", category="press"),
    NewPerson("Şebnem", "Yılmaz", organisation="Jobcenter Offenbach", workshops=("zw-bass",)),
    NewPerson("Nguyễn Thị", "Minh Khai", organisation="Jobcenter Landkreis Fulda"),
    NewPerson("Ольга Сергеевна", "Кузнецова", organisation="Администрация"),
    NewPerson("Ελένη", "Παπαδοπούλου", organisation="Δήμος Αθηναίων", category="staff"),
    NewPerson("محمد", "عبد الله", organisation="Jobcenter Kreis Groß-Gerau"),
    NewPerson("שרה", "לוי", organisation="Jobcenter Kreis Bergstraße"),
    NewPerson("Jürgen", "Müller-Lüdenscheidt", "Dr.", "Jobcenter Märkischer Kreis", "Geschäftsführer"),
    NewPerson("Æsa", "Strauß", organisation="Kreis Schleswig-Flensburg"),
)
