"""The one desk builder for window tests: the real services of one desk over a test database.

Qt: import it only from tests that drive widgets (``tests.helpers`` itself stays Qt-free).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from checkin.badges.service import BadgeService
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import SCAN_WAIT_S, Database
from checkin.domain.events import EventInfo
from checkin.domain.search import SearchIndex
from checkin.ui.context import DeskContext
from checkin.ui.settings import DeskSettings
from checkin.ui.tasks import SyncTaskRunner, TaskRunner


def build_desk(
    db: Database,
    event: EventInfo,
    clock: Callable[[], dt.datetime],
    *,
    desk: str = "Desk 1",
    tasks: TaskRunner | SyncTaskRunner | None = None,
    sound: bool = False,
) -> DeskContext:
    """The desk ``desk`` over ``event``: check-in, search and badge services on ``clock``; tasks run
    inline unless ``tasks`` is given; silent unless ``sound``."""
    return DeskContext(
        db=db,
        event=event,
        checkin=CheckInService(db, event, desk=desk, clock=clock, scan_wait=SCAN_WAIT_S),
        search=SearchIndex(db, event),
        badges=BadgeService(db, event, desk=desk, clock=clock),
        settings=DeskSettings(desk_name=desk, sound=sound),
        tasks=tasks if tasks is not None else SyncTaskRunner(),  # type: ignore[arg-type]  # duck-typed
        clock=clock,
    )
