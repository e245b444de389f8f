"""The settings of one desk, kept with QSettings (the user's config, or an ini file in tests).

``DeskSettings`` is a plain dataclass so widgets and tests can build one
freely; ``SettingsStore`` reads and writes it. Which event day the desk works
on is decided by :func:`resolve_working_day`.
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from checkin.domain.events import EventInfo

# How long a scan at a joined desk waits for the hub (then the desk decides alone).
DEFAULT_HUB_WAIT_MS = 1500  # checkin.sync.online.DEFAULT_BOUND (a test keeps them equal)
MIN_HUB_WAIT_MS = 200
MAX_HUB_WAIT_MS = 10_000

ORGANISATION = "checkin"
APPLICATION = "checkin-desk"


def default_desk_name() -> str:
    """The computer's name: good enough to tell desks apart in the log."""
    try:
        return socket.gethostname().split(".")[0][:40] or "Desk"
    except OSError:
        return "Desk"


@dataclass
class DeskSettings:
    """Everything a desk remembers between starts."""

    desk_name: str = ""
    database: str = ""  # a file path or an SQLAlchemy URL; empty: $CHECKIN_DB or the default file
    event_slug: str = ""  # last used event; empty: the most recently loaded one
    day: str = ""  # ISO date chosen in settings; used when today is not an event day
    badge_layout: str = ""  # empty: the event's own layout
    printer: str = ""  # empty: the system's default printer
    auto_print: bool = False
    auto_print_only_unprinted: bool = True
    sound: bool = True
    language: str = ""  # "de" / "en"; empty: follow the system
    door_session: str = ""  # the workshop last picked at the door
    verdict_seconds: int = 30  # the verdict goes back to "Ready" after this long; 0: it stays
    undo_minutes: int = 5  # Ctrl+Z undoes this desk's scans of the last few minutes only
    supervisor_pin: str = ""  # the supervisor PIN's salted hash (domain.supervisor); empty: none
    seat_hold_minutes: int = 10  # workshop seats kept for booked people until this long after the start
    camera: str = ""  # the camera that scans beside the scan field (its Qt device id); empty: none
    kiosk_pin: str = ""  # salted scrypt hash of the PIN that leaves the kiosk (checkin.domain.supervisor)
    queue_screen: str = ""  # the screen of the result window for the queue (ui.queue_display); empty: off
    hub_wait_ms: int = DEFAULT_HUB_WAIT_MS  # at a joined desk: a scan waits this long for the hub at most

    def hub_wait_seconds(self) -> float:
        """The hub wait in seconds, kept within what the settings offer (a hand-edited file may not)."""
        return min(max(self.hub_wait_ms, MIN_HUB_WAIT_MS), MAX_HUB_WAIT_MS) / 1000

    def chosen_day(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.day) if self.day else None
        except ValueError:
            return None


class SettingsStore:
    """Loads and saves :class:`DeskSettings`.

    Args:
        ini_path: an ini file to use instead of the user's settings (tests, benchmarks,
            ``--settings``). ``None`` uses the platform's place for user settings.
    """

    def __init__(self, ini_path: Path | str | None = None) -> None:
        if ini_path is None:
            self._qsettings = QSettings(ORGANISATION, APPLICATION)
        else:
            self._qsettings = QSettings(str(ini_path), QSettings.Format.IniFormat)

    @property
    def location(self) -> str:
        return self._qsettings.fileName()

    def load(self) -> DeskSettings:
        settings = DeskSettings()
        for item in fields(DeskSettings):
            raw = self._qsettings.value(f"desk/{item.name}")
            if raw is None:
                continue
            default = getattr(settings, item.name)
            if isinstance(default, bool):
                value: object = raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
            elif isinstance(default, int):
                try:
                    value = max(0, int(str(raw)))
                except ValueError:
                    continue
            else:
                value = str(raw)
            setattr(settings, item.name, value)
        if not settings.desk_name:
            settings.desk_name = default_desk_name()
        return settings

    def has_desk_name(self) -> bool:
        """True once a desk name was saved (before that the desk is named after the computer)."""
        return bool(str(self._qsettings.value("desk/desk_name") or "").strip())

    def save(self, settings: DeskSettings) -> None:
        for item in fields(DeskSettings):
            self._qsettings.setValue(f"desk/{item.name}", getattr(settings, item.name))
        self._qsettings.sync()

    def save_geometry(self, geometry: bytes) -> None:
        self._qsettings.setValue("window/geometry", geometry)
        self._qsettings.sync()

    def geometry(self) -> bytes | None:
        value = self._qsettings.value("window/geometry")
        return bytes(value) if value else None


@dataclass(frozen=True)
class WorkingDay:
    """The event day the desk records check-ins for, and whether that is today."""

    date: dt.date
    is_today: bool


def resolve_working_day(event: EventInfo, now: dt.datetime, chosen: dt.date | None) -> WorkingDay:
    """Today when it is an event day; else the day chosen in settings; else the first event day."""
    today = event.today(now)
    if today is not None:
        return WorkingDay(today.date, True)
    if chosen is not None and event.day_by_date(chosen) is not None:
        return WorkingDay(chosen, False)
    upcoming = [d.date for d in event.days if d.date >= now.astimezone(event.tz).date()]
    return WorkingDay(upcoming[0] if upcoming else event.days[0].date, False)
