"""A small, scripted event day for the export tests: registrations, real check-ins, undos, moves.

Check-ins go through the real ``CheckInService`` with a fixed clock; what the
exports must show is then derived independently from the raw log rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from checkin.domain.checkin_service import CheckInService, WalkInRequest
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import ENTRANCE_SCOPE, CheckInLogEntry, Registration
from tests.helpers import NewPerson, People

BERLIN = dt.timezone(dt.timedelta(hours=2))

# first, last, title, organisation, email, category, days (indexes), workshops, status
PEOPLE = [
    (
        "Anna",
        "Müller",
        "Dr.",
        "Jobcenter Köln",
        "anna.mueller@koeln.example",
        "participant",
        (0, 1),
        ("zw-digitalisierung",),
        "active",
    ),
    (
        "Jürgen",
        "Öztürk",
        "",
        '=HYPERLINK("http://x","y")',
        "j.oeztuerk@example.org",
        "participant",
        (0,),
        ("zw-interkommunal",),
        "active",
    ),
    ("Łukasz", "Ärger", "", "  jobcenter KÖLN ", "lukasz@example.pl", "speaker", (0, 1), (), "active"),
    (
        "Zoë",
        "Abel",
        "Prof.",
        "-Anna GmbH",
        "zoe.abel@example.org",
        "participant",
        (0,),
        ("zw-bass",),
        "active",
    ),
    (
        "Straße",
        "Groß",
        "",
        "Kommunales Jobcenter Görlitz",
        "gross@goerlitz.example",
        "participant",
        (),
        (),
        "active",
    ),
    ("Ольга", "Иванова", "", "Jobcenter Köln", "olga@example.ru", "press", (1,), (), "active"),
    (
        "Petra",
        "Storno",
        "",
        "Jobcenter Uckermark",
        "petra.storno@example.org",
        "participant",
        (0, 1),
        ("zw-bass",),
        "cancelled",
    ),
    ("Ümit", "Yılmaz", "", "@Kreis Kleve", "uemit@example.de", "participant", (1,), (), "active"),
]


@dataclass
class Scenario:
    event: EventInfo
    codes: dict[str, str]  # last name -> code
    ids: dict[str, int]  # last name -> registration id
    walk_in_code: str

    @property
    def day1(self) -> dt.date:
        return self.event.days[0].date

    @property
    def day2(self) -> dt.date:
        return self.event.days[1].date


def add_registrations(db: Database, event: EventInfo) -> tuple[dict[str, str], dict[str, int]]:
    added = People(db, event).add_all(
        NewPerson(
            first,
            last,
            title,
            org,
            "Teamleitung",
            category,
            workshops,
            email=email,
            days=[event.days[i].date for i in days],
            cancelled=status == "cancelled",
            order_code=f"ORD-{last}",
            source="import:anmeldungen.csv",
            notes=f"Notiz zu {last}",
            extra={"Telefon": f"+49 30 {len(last)}1234"},
        )
        for first, last, title, org, email, category, days, workshops, status in PEOPLE
    )
    codes = {row[1]: person.code for row, person in zip(PEOPLE, added, strict=True)}
    ids = {row[1]: person.registration_id for row, person in zip(PEOPLE, added, strict=True)}
    return codes, ids


def build_scenario(db: Database, event: EventInfo) -> Scenario:
    """Registrations plus two days of scripted check-ins (with an undo, a move and a walk-in)."""
    codes, ids = add_registrations(db, event)
    now = [dt.datetime(2024, 9, 19, 8, 50, tzinfo=BERLIN)]

    def clock() -> dt.datetime:
        return now[0]

    def at(hour: int, minute: int, day: int = 19) -> None:
        now[0] = dt.datetime(2024, 9, day, hour, minute, tzinfo=BERLIN)

    desk = CheckInService(db, event, desk="Eingang 1", clock=clock)
    day1, day2 = event.days[0].date, event.days[1].date
    for minute, last in ((2, "Müller"), (7, "Öztürk"), (16, "Ärger"), (31, "Groß")):
        at(9, minute)
        assert desk.scan(codes[last], day=day1).admitted
    at(9, 40)
    assert desk.undo(ids["Öztürk"], day=day1).undone  # scanned by mistake
    at(9, 45)
    assert not desk.scan(codes["Storno"], day=day1).admitted  # cancelled: refused, nothing written
    at(10, 5)
    walk_in = desk.walk_in(
        WalkInRequest(first_name="Walter", last_name="Spontan", organisation="Jobcenter Köln"), day=day1
    )
    door = CheckInService(db, event, desk="Tür Spree", clock=clock)
    at(14, 1)
    assert door.scan(codes["Müller"], day=day1, session_key="zw-digitalisierung").admitted
    at(14, 3)
    assert door.scan(codes["Abel"], day=day1, session_key="zw-bass").admitted  # entrance recorded too
    at(14, 20)
    assert door.scan(codes["Müller"], day=day1, session_key="zw-it-sicherheit").admitted  # moved
    second = CheckInService(db, event, desk="Eingang 2", clock=clock)
    at(8, 55, day=20)
    assert second.scan(codes["Müller"], day=day2).admitted
    at(9, 12, day=20)
    assert second.scan(codes["Иванова"], day=day2).admitted
    at(9, 14, day=20)
    assert second.scan(codes["Иванова"], day=day2).kind.value == "already_checked_in"
    return Scenario(event=event, codes=codes, ids=ids, walk_in_code=walk_in.person.code)


@dataclass(frozen=True)
class ExpectedAttendance:
    present: dict[tuple[str, dt.date], dt.datetime]  # (code, day) -> local arrival time (naive)
    attended: set[tuple[str, str]]  # (code, session key)
    log_rows: int


def expected_from_log(db: Database, event: EventInfo) -> ExpectedAttendance:
    """What the exports must say, computed straight from the append-only log rows."""
    latest: dict[tuple[int, int, int], CheckInLogEntry] = {}
    with db.session_factory() as session:
        code_of = dict(session.execute(select(Registration.id, Registration.code)).all())
        rows = list(session.scalars(select(CheckInLogEntry)))
        for row in rows:
            key = (row.registration_id, row.day_id, row.scope)
            if key not in latest or latest[key].seq < row.seq:
                latest[key] = row
    present, attended = {}, set()
    for (registration_id, day_id, scope), row in latest.items():
        if row.seq % 2:
            continue
        code = code_of[registration_id]
        if scope == ENTRANCE_SCOPE:
            local = row.at.astimezone(event.tz).replace(tzinfo=None)
            present[(code, event.day_by_id(day_id).date)] = local
        else:
            attended.add((code, event.session_by_id(scope).key))
    return ExpectedAttendance(present=present, attended=attended, log_rows=len(rows))
