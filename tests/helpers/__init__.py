"""Helpers shared by the tests: one factory for test people, one desk builder.

- ``People`` / ``NewPerson`` / ``Person`` (``tests.helpers.people``): registrations on an event.
- ``record_checkin`` (``tests.helpers.log``): a log row written as another desk would.
- ``build_desk`` (``tests.helpers.desk``) and ``type_text`` / ``press`` (``tests.helpers.keys``)
  import Qt, so they are imported from their modules, not from here: this package stays Qt-free
  for the domain, badge, io and cli tests.
"""

from __future__ import annotations

from tests.helpers.log import record_checkin
from tests.helpers.people import (
    DAY1,
    DAY2,
    HARD_NAMES,
    NewPerson,
    People,
    Person,
    registration_ids,
)

__all__ = [
    "DAY1",
    "DAY2",
    "HARD_NAMES",
    "NewPerson",
    "People",
    "Person",
    "record_checkin",
    "registration_ids",
]
