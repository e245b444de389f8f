"""What every window, panel and dialog is handed: the services of one desk.

Built once by ``checkin.app``; tests build it over a temporary database.
No globals: widgets get this object in their constructor. ``changes`` is the desk's
``ChangeBus``: writes publish what they changed there, views subscribe to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checkin.ui.change_bus import ChangeBus

if TYPE_CHECKING:
    import datetime as dt

    from checkin.badges.service import BadgeService
    from checkin.domain.checkin_service import CheckInService
    from checkin.domain.db import Database
    from checkin.domain.events import EventInfo
    from checkin.domain.search import SearchIndex
    from checkin.sync.desk_link import DeskLink
    from checkin.ui.scan_station import ScanRetrier
    from checkin.ui.settings import DeskSettings
    from checkin.ui.tasks import TaskRunner


@dataclass
class DeskContext:
    db: Database
    event: EventInfo
    checkin: CheckInService
    search: SearchIndex
    badges: BadgeService
    settings: DeskSettings
    tasks: TaskRunner
    clock: Callable[[], dt.datetime]
    changes: ChangeBus = field(default_factory=ChangeBus)
    # The queue of scans the database did not take (made by the first scan station).
    scan_retrier: ScanRetrier | None = None
    # A desk joined to a hub: its sync and online-first scans (checkin.sync.desk_link); else None.
    sync: DeskLink | None = None
    # Work on another database from now on (checkin.app rebuilds the desk); None: not offered.
    switch_database: Callable[[str], None] | None = None
