"""Progress and cancel for slow work (import, batch badges, export).

Domain code takes a ``Progress``; the window passes one that forwards to a
progress bar, tests pass ``RecordingProgress`` or nothing.
"""

from __future__ import annotations

from typing import Protocol

from checkin.domain.errors import UserError
from checkin.i18n import _


class Cancelled(UserError):
    """The user cancelled; nothing was changed."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Cancelled; nothing was changed."))


class Progress(Protocol):
    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        """Report that ``done`` of ``total`` steps are finished."""

    def is_cancelled(self) -> bool:
        """True once the user asked to stop; the work then raises ``Cancelled``."""


class NullProgress:
    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


class RecordingProgress:
    """Keeps every update; cancels after ``cancel_after`` updates if given (for tests)."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.updates: list[tuple[int, int | None, str]] = []
        self._cancel_after = cancel_after

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        self.updates.append((done, total, message))

    def is_cancelled(self) -> bool:
        return self._cancel_after is not None and len(self.updates) >= self._cancel_after


def check_cancelled(progress: Progress) -> None:
    if progress.is_cancelled():
        raise Cancelled()
