"""Several desks (separate processes) scanning the same codes at the same moment.

Every code must end with exactly one check-in in the database, exactly one desk
answering ``checked_in`` and every other ``already_checked_in``. On SQLite the
desks serialise on ``BEGIN IMMEDIATE``; on PostgreSQL (read committed) the
losing desk hits the unique constraint, re-reads and answers
``already_checked_in``.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter

import pytest
from sqlalchemy import func, insert, select

from checkin.domain.codes import generate_code
from checkin.domain.db import open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.domain.models import (
    CheckInLogEntry,
    LogAction,
    Registration,
    registration_days,
    registration_sessions,
)
from checkin.resources import demo_event_file

DAY1 = dt.date(2024, 9, 19)
NOW = dt.datetime(2024, 9, 19, 8, 0, tzinfo=dt.UTC)
PEOPLE = 40
DESKS = 3


def _desk_worker(url: str, desk: str, codes: list[str], session_key: str | None, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from checkin.domain.checkin_service import CheckInService

    db = open_database(url, migrate=False)
    try:
        event = EventService(db).get()
        service = CheckInService(db, event, desk=desk, clock=lambda: NOW)
        barrier.wait(timeout=60)
        kinds = [service.scan(code, day=DAY1, session_key=session_key).kind.value for code in codes]
        results.put((desk, kinds))
    finally:
        db.dispose()


def _prepare(url: str) -> list[str]:
    db = open_database(url)
    try:
        event = EventService(db).load_definition(load_event_file(demo_event_file()))
        codes = [generate_code(event.secret) for _ in range(PEOPLE)]
        bass = event.session_by_key("zw-bass")
        assert bass is not None
        with db.session_factory.begin() as session:
            session.execute(
                insert(Registration),
                [
                    {
                        "event_id": event.id,
                        "code": c,
                        "first_name": f"Gast{i}",
                        "last_name": "Test",
                        "status": "active",
                    }
                    for i, c in enumerate(codes)
                ],
            )
            ids = session.scalars(select(Registration.id)).all()
            session.execute(
                insert(registration_days), [{"registration_id": i, "day_id": event.days[0].id} for i in ids]
            )
            session.execute(
                insert(registration_sessions), [{"registration_id": i, "session_id": bass.id} for i in ids]
            )
        return codes
    finally:
        db.dispose()


def _run_desks(url: str, codes: list[str], session_key: str | None = None) -> dict[str, list[str]]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(DESKS)
    results = context.Queue()
    processes = [
        context.Process(target=_desk_worker, args=(url, f"desk{n}", codes, session_key, barrier, results))
        for n in range(DESKS)
    ]
    for process in processes:
        process.start()
    collected = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    results.close()
    results.join_thread()
    return collected


def _assert_exactly_one_check_in_each(
    url: str, codes: list[str], collected: dict[str, list[str]], scope_is_session: bool
) -> None:
    for index, _code in enumerate(codes):
        verdicts = Counter(kinds[index] for kinds in collected.values())
        assert verdicts == Counter({"checked_in": 1, "already_checked_in": DESKS - 1}), verdicts
    db = open_database(url, migrate=False)
    try:
        with db.session_factory() as session:
            condition = CheckInLogEntry.scope != 0 if scope_is_session else CheckInLogEntry.scope == 0
            per_person = session.execute(
                select(CheckInLogEntry.registration_id, func.count())
                .where(condition, CheckInLogEntry.action == LogAction.CHECK_IN)
                .group_by(CheckInLogEntry.registration_id)
            ).all()
        assert len(per_person) == PEOPLE
        assert all(count == 1 for _rid, count in per_person)
    finally:
        db.dispose()


def _scenario(url: str) -> None:
    codes = _prepare(url)
    collected = _run_desks(url, codes)
    _assert_exactly_one_check_in_each(url, codes, collected, scope_is_session=False)
    # The same at a workshop door (three doors of one room scanning the same crowd).
    collected = _run_desks(url, codes, session_key="zw-bass")
    _assert_exactly_one_check_in_each(url, codes, collected, scope_is_session=True)


@pytest.mark.slow
def test_desks_in_separate_processes_on_one_sqlite_file(tmp_path):
    _scenario(f"sqlite:///{tmp_path / 'shared.db'}")


@pytest.mark.postgres
@pytest.mark.slow
def test_desks_in_separate_processes_on_postgresql(postgres_url):
    _scenario(postgres_url)


# ---------------------------------------------------------------------- the capacity race
# Eight doors of one workshop (capacity 10) scanning a crowd of 24 at the same moment; every
# person is scanned by two doors at once. Ten runs: each must admit exactly 10, nobody twice.
RACE_DESKS = 8
RACE_RUNS = 10
RACE_CAPACITY = 10
RACE_PEOPLE = 24
RACE_SESSION = "zw-bass"


def _race_codes_of_desk(codes: list[str], desk: int) -> list[str]:
    """Six people for each door; each person comes to two doors (neighbours in the ring)."""
    return [codes[(3 * desk + k) % len(codes)] for k in range(6)]


def _race_worker(url: str, desk: int, codes: list[str], barrier, results) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from checkin.domain.checkin_service import CheckInService

    db = open_database(url, migrate=False)
    try:
        event = EventService(db).get()
        service = CheckInService(db, event, desk=f"door{desk}", clock=lambda: NOW)
        mine = _race_codes_of_desk(codes, desk)
        for run in range(RACE_RUNS):
            barrier.wait(timeout=120)
            kinds = [service.scan(code, day=DAY1, session_key=RACE_SESSION).kind.value for code in mine]
            results.put((run, desk, kinds))
            barrier.wait(timeout=120)  # everyone has counted: the main process checks the log
            barrier.wait(timeout=120)  # ... and has read it
            if desk == 0:
                with db.write() as session:
                    session.execute(delete(CheckInLogEntry))
    finally:
        db.dispose()


def _race_log(url: str) -> list[tuple[int, int]]:
    """(registration, check-in rows at the workshop door) per person with one."""
    db = open_database(url, migrate=False)
    try:
        with db.read() as session:
            event = EventService(db).get()
            bass = event.session_by_key(RACE_SESSION)
            assert bass is not None
            return [
                (row[0], row[1])
                for row in session.execute(
                    select(CheckInLogEntry.registration_id, func.count())
                    .where(CheckInLogEntry.scope == bass.id, CheckInLogEntry.action == LogAction.CHECK_IN)
                    .group_by(CheckInLogEntry.registration_id)
                ).all()
            ]
    finally:
        db.dispose()


def _capacity_race(url: str) -> None:
    from sqlalchemy import update

    from checkin.domain.models import EventSession

    codes = _prepare(url)[:RACE_PEOPLE]
    db = open_database(url, migrate=False)
    try:
        with db.write() as session:
            session.execute(
                update(EventSession).where(EventSession.key == RACE_SESSION).values(capacity=RACE_CAPACITY)
            )
    finally:
        db.dispose()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(RACE_DESKS + 1)
    results = context.Queue()
    processes = [
        context.Process(target=_race_worker, args=(url, n, codes, barrier, results))
        for n in range(RACE_DESKS)
    ]
    for process in processes:
        process.start()
    admitted_per_run = []
    try:
        for run in range(RACE_RUNS):
            barrier.wait(timeout=120)
            collected = [results.get(timeout=120) for _ in processes]
            barrier.wait(timeout=120)
            assert {r for r, _desk, _kinds in collected} == {run}
            said_admitted = sum(kinds.count("checked_in") for _r, _d, kinds in collected)
            admitted_codes = Counter(
                code
                for _r, desk, kinds in collected
                for code, kind in zip(_race_codes_of_desk(codes, desk), kinds, strict=True)
                if kind == "checked_in"
            )
            assert all(n == 1 for n in admitted_codes.values()), admitted_codes
            in_force = _race_log(url)
            admitted_per_run.append((said_admitted, len(in_force)))
            assert all(count == 1 for _rid, count in in_force), in_force
            barrier.wait(timeout=120)
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
        results.close()
        results.join_thread()
    assert admitted_per_run == [(RACE_CAPACITY, RACE_CAPACITY)] * RACE_RUNS


@pytest.mark.slow
def test_capacity_is_exact_with_eight_doors_on_sqlite(tmp_path):
    _capacity_race(f"sqlite:///{tmp_path / 'shared.db'}")


@pytest.mark.postgres
@pytest.mark.slow
def test_capacity_is_exact_with_eight_doors_on_postgresql(postgres_url):
    _capacity_race(postgres_url)
