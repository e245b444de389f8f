"""What importing the fixture files must store, and helpers to read it back (used by the import tests).

Loaded by the tests with ``load_expectations()`` (tests/ has no packages to import from).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import AuditEntry, Registration

IMPORTS = Path(__file__).resolve().parent

LONG_ORG = (
    "Kommunales Jobcenter Landkreis Oberspreewald-Lausitz – Eigenbetrieb des Landkreises für "
    "Grundsicherung für Arbeitsuchende"
)
KOMBA = "KomBA-ABI – Kommunale Beschäftigungsagentur Jobcenter Landkreis Anhalt-Bitterfeld"
OSNA = "Jobcenter Landkreis Osnabrück – MaßArbeit kAöR"
BOTH = ("2024-09-19", "2024-09-20")

# The eight people every fixture file holds, as the database must hold them.
EXPECTED: list[dict[str, Any]] = [
    {"title": "Prof. Dr.", "first_name": "Ronnie", "last_name": "Schöb",
     "organisation": "Freie Universität Berlin", "function": "Professor für Volkswirtschaftslehre",
     "email": "ronnie.schoeb@fu-berlin.example", "category": "speaker", "status": "active",
     "days": ("2024-09-19",), "workshops": ()},
    {"title": "", "first_name": "Łukasz", "last_name": "Wiśniewski", "organisation": OSNA,
     "function": "Teamleiter Markt und Integration", "email": "l.wisniewski@massarbeit.example",
     "category": "participant", "status": "active", "days": BOTH, "workshops": ("zw-digitalisierung",)},
    {"title": "Dr.", "first_name": "Ayşe", "last_name": "Yılmaz", "organisation": "Kommunales Jobcenter Hamm",
     "function": "Geschäftsführerin", "email": "ayse.yilmaz@jobcenter-hamm.example",
     "category": "participant", "status": "active", "days": BOTH, "workshops": ("zw-it-sicherheit",)},
    {"title": "", "first_name": "Thị Minh Anh", "last_name": "Nguyễn", "organisation": "Behörden Spiegel",
     "function": "Redakteurin", "email": "nguyen@behoerdenspiegel.example", "category": "press",
     "status": "active", "days": ("2024-09-20",), "workshops": ()},
    {"title": "", "first_name": "Ольга", "last_name": "Иванова", "organisation": "Deutscher Landkreistag",
     "function": "Tagungsbüro", "email": "o.ivanova@landkreistag.example", "category": "staff",
     "status": "active", "days": BOTH, "workshops": ()},
    {"title": "", "first_name": "Jürgen", "last_name": "Großmann-Weißenböck", "organisation": LONG_ORG,
     "function": "Fallmanager", "email": "j.grossmann@osl.example", "category": "participant",
     "status": "active", "days": ("2024-09-19",), "workshops": ("zw-schnittstellen",)},
    {"title": "Dr.", "first_name": "Anna-Katharina", "last_name": "Freifrau von Hohenberg-Waldenfels",
     "organisation": "Bundesministerium für Arbeit und Soziales", "function": "Referatsleiterin",
     "email": "hohenberg@bmas.example", "category": "participant", "status": "active", "days": BOTH,
     "workshops": ("zw-bass",)},
    {"title": "", "first_name": "Şükrü", "last_name": "Çelik", "organisation": KOMBA,
     "function": "Integrationsfachkraft", "email": "s.celik@komba-abi.example", "category": "participant",
     "status": "cancelled", "days": BOTH, "workshops": ("zw-interkommunal",)},
]  # fmt: skip


def stored_registrations(db: Database, event: EventInfo) -> dict[str, dict[str, Any]]:
    """code -> the stored fields of every registration of ``event`` (plain values)."""
    from checkin.domain.models import Category

    with db.session_factory() as session:
        # from the database, not ``event``: an import may have created categories
        categories = dict(session.execute(select(Category.id, Category.key)).all())
        result = {}
        for reg in session.scalars(select(Registration).where(Registration.event_id == event.id)):
            result[reg.code] = {
                "order_code": reg.order_code,
                "title": reg.title,
                "first_name": reg.first_name,
                "last_name": reg.last_name,
                "organisation": reg.organisation,
                "function": reg.function,
                "email": reg.email,
                "category": categories.get(reg.category_id),
                "status": reg.status.value,
                "days": tuple(sorted(d.date.isoformat() for d in reg.days)),
                "workshops": tuple(sorted(s.key for s in reg.sessions)),
                "notes": reg.notes,
                "extra": dict(reg.extra),
                "source": reg.source,
            }
        return result


def audit_entries(db: Database) -> list[dict[str, Any]]:
    with db.session_factory() as session:
        return [
            {"action": a.action, **a.detail}
            for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
