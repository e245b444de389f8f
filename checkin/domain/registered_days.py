"""Which days a registration is registered for: the one rule, in SQL and in Python.

A registration with day rows is registered for those days. One without any is registered
for every day (lists without day columns, walk-ins), unless the list it came from had day
columns and ticked none of them (``Registration.no_day_ticked``): then for no day, until
someone sets its days.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, exists

from checkin.domain.models import Registration, registration_days


def registered_on(day_id: Any) -> ColumnElement[bool]:
    """SQL: the ``Registration`` row of the query is registered for ``day_id`` (a number or a column)."""
    return (
        exists().where(
            registration_days.c.registration_id == Registration.id, registration_days.c.day_id == day_id
        )
        | every_day()
    )


def every_day() -> ColumnElement[bool]:
    """SQL: the ``Registration`` row of the query is registered for every day (it names no day)."""
    return ~exists().where(
        registration_days.c.registration_id == Registration.id
    ) & Registration.no_day_ticked.is_(False)


def is_registered_on(day_id: int, day_ids: Collection[int], *, no_day_ticked: bool) -> bool:
    """Python: the same rule for a registration whose day ids are loaded."""
    if day_ids:
        return day_id in day_ids
    return not no_day_ticked


__all__ = ["every_day", "is_registered_on", "registered_on"]
