"""What a write changed: one value that every write returns and the database watcher produces.

Views subscribe to ``Changes`` instead of being wired to each other: a panel asks
``changes.touches_registration(id)`` or ``changes.figures`` and refreshes only then
(Anki's ``OpChanges``). A write made here knows exactly which people and sessions it
touched; a change noticed by the watcher (another desk, another process) does not, and
says so with ``everything()``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """Which people, which sessions and which figures a write (or another desk) changed.

    ``registrations`` and ``sessions`` hold ids; ``None`` means "possibly all of them"
    (an import, another desk's writes). ``figures`` is true when counts shown on the
    dashboard, the door gauge or the desk counter may have moved. ``people_list`` is
    true when the set of people or their searchable fields changed (the search index
    must be rebuilt). ``event`` is true when the event itself (days, sessions,
    categories, settings stored with it) changed.
    """

    registrations: frozenset[int] | None = frozenset()
    sessions: frozenset[int] | None = frozenset()
    figures: bool = False
    people_list: bool = False
    event: bool = False

    @classmethod
    def none(cls) -> Changes:
        return cls()

    @classmethod
    def everything(cls) -> Changes:
        return cls(registrations=None, sessions=None, figures=True, people_list=True, event=True)

    @classmethod
    def check_in(cls, registration_id: int, session_id: int | None = None) -> Changes:
        """A check-in or undo: one person's attendance and the figures moved."""
        sessions = frozenset() if session_id is None else frozenset({session_id})
        return cls(registrations=frozenset({registration_id}), sessions=sessions, figures=True)

    @classmethod
    def person(cls, registration_id: int, *, figures: bool = False) -> Changes:
        """One person's data (name, status, notes, a print) changed."""
        return cls(registrations=frozenset({registration_id}), figures=figures, people_list=True)

    @property
    def is_empty(self) -> bool:
        return self == Changes()

    def touches_registration(self, registration_id: int) -> bool:
        return self.registrations is None or registration_id in self.registrations

    def touches_session(self, session_id: int) -> bool:
        return self.sessions is None or session_id in self.sessions

    def merge(self, other: Changes) -> Changes:
        """Both changes at once (several writes between two refreshes)."""

        def union(a: frozenset[int] | None, b: frozenset[int] | None) -> frozenset[int] | None:
            return None if a is None or b is None else a | b

        return Changes(
            registrations=union(self.registrations, other.registrations),
            sessions=union(self.sessions, other.sessions),
            figures=self.figures or other.figures,
            people_list=self.people_list or other.people_list,
            event=self.event or other.event,
        )

    __or__ = merge
