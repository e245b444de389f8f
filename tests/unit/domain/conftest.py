"""Fixtures for the check-in engine tests: registrations on the demo event and a desk service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from checkin.domain.checkin_service import CheckInService
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

DAY1 = dt.date(2024, 9, 19)
DAY2 = dt.date(2024, 9, 20)


@dataclass(frozen=True)
class Person:
    registration_id: int
    code: str


@dataclass
class People:
    """Adds registrations to the demo event the way an import would."""

    db: Database
    event: EventInfo

    def add(
        self,
        first_name: str = "Anna",
        last_name: str = "Schmidt",
        *,
        code: str | None = None,
        order_code: str | None = None,
        title: str = "",
        organisation: str = "",
        email: str = "",
        days: Sequence[dt.date] | None = (DAY1, DAY2),
        workshops: Sequence[str] = (),
        category: str | None = None,
        cancelled: bool = False,
    ) -> Person:
        with self.db.session_factory.begin() as session:
            category_info = self.event.category_by_key(category) if category else self.event.default_category
            registration = Registration(
                event_id=self.event.id,
                code=code or generate_code(self.event.secret),
                order_code=order_code,
                title=title,
                first_name=first_name,
                last_name=last_name,
                organisation=organisation,
                email=email,
                category_id=category_info.id if category_info else None,
                status=RegistrationStatus.CANCELLED if cancelled else RegistrationStatus.ACTIVE,
                source="test",
            )
            registration.days = [
                session.get_one(EventDay, self.event.day_by_date(d).id)  # type: ignore[union-attr]
                for d in (days or ())
            ]
            registration.sessions = [
                session.get_one(EventSession, self.event.session_by_key(k).id)  # type: ignore[union-attr]
                for k in workshops
            ]
            session.add(registration)
            session.flush()
            return Person(registration.id, registration.code)

    def log_rows(self) -> int:
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


@pytest.fixture
def people(db: Database, demo_event: EventInfo) -> People:
    return People(db, demo_event)


@pytest.fixture
def desk(db: Database, demo_event: EventInfo, clock) -> CheckInService:  # type: ignore[no-untyped-def]
    """The entrance desk "Eingang 1" at 09:00 on the first day."""
    return CheckInService(db, demo_event, desk="Eingang 1", clock=clock)
