"""Synthetic registrations for the benchmarks (and the large-data tests).

Names are drawn from German (and a few other) first/last names, organisations
from jobcenters, districts and charities, so the search index sees a realistic
share of repeated tokens. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import insert

from checkin.domain.codes import ALPHABET, RANDOM_LENGTH, _signature
from checkin.domain.db import Database, open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventInfo, EventService
from checkin.domain.models import Registration, registration_days, registration_sessions
from checkin.resources import demo_event_file


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words(
    "Anna Jürgen Hans Peter Klaus Sabine Petra Monika Thomas Andreas Michael Stefan Christian Frank Martin "
    "Birgit Claudia Susanne Karin Renate Ursula Heike Katrin Julia Lena Lukas Jonas Leon Finn Paul Felix "
    "Maximilian Sophie Marie Laura Lea Hannah Emma Mia Ben Elias Noah Luis Tim Jan Tobias Florian Sebastian "
    "Ayşe Mehmet Fatma Ali Öykü Łukasz Agnieszka Jiří Zoë René Chloé Björn Søren Dörte Günther Käthe"
)
LAST_NAMES = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter "
    "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner "
    "Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs "
    "Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler "
    "Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher "
    "Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich "
    "Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Öztürk Yılmaz "
    "Kaya Demir Şahin Nowak Kowalski Wiśniewski Dvořák Nguyễn Papadopoulos García Rossi Dubois Jansen"
)
ORG_KINDS = (
    "Jobcenter",
    "Landkreis",
    "Stadt",
    "Kreisverwaltung",
    "Diakonie",
    "Caritas",
    "AWO",
    "Bildungswerk",
)
PLACES = _words(
    "Offenbach Ludwigshafen Kassel Göttingen Osnabrück Emsland Vorpommern-Greifswald Uckermark Erlangen "
    "Würzburg Jena Gera Rostock Schwerin Lüneburg Mühldorf Böblingen Tübingen Rhein-Sieg Düren Münster "
    "Saalekreis Wittenberg Görlitz Bautzen Zwickau Hildesheim Celle Oldenburg Friesland Aurich Leer Unna"
)


def event_code(random_gen: random.Random, secret: str) -> str:
    payload = "".join(random_gen.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return payload + _signature(payload, secret)


def open_benchmark_db(path: Path) -> tuple[Database, EventInfo]:
    db = open_database(path)
    event = EventService(db).load_definition(load_event_file(demo_event_file()))
    return db, event


def fill_registrations(db: Database, event: EventInfo, count: int, *, seed: int = 1) -> list[str]:
    """Insert ``count`` synthetic registrations (all days, one workshop each); returns their codes."""
    rng = random.Random(seed)
    workshops = [s.id for s in event.workshops]
    codes: set[str] = set()
    rows = []
    while len(codes) < count:
        code = event_code(rng, event.secret)
        if code in codes:
            continue
        codes.add(code)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        place = rng.choice(PLACES)
        org = f"{rng.choice(ORG_KINDS)} {place}"
        rows.append(
            {
                "event_id": event.id,
                "code": code,
                "order_code": None,
                "title": rng.choice(("", "", "", "", "Dr.", "Prof. Dr.")),
                "first_name": first,
                "last_name": last,
                "organisation": org,
                "function": "",
                "email": f"{first}.{last}{len(rows)}@{place}.example".lower(),
                "category_id": event.default_category.id,
                "status": "active",
                "source": "benchmark",
                "notes": "",
                "extra": {},
            }
        )
    with db.session_factory.begin() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Registration), rows[start : start + 5000])
        ids = [
            r[0]
            for r in session.execute(
                Registration.__table__.select()
                .with_only_columns(Registration.id)
                .where(Registration.event_id == event.id)
                .order_by(Registration.id)
            )
        ]
        day_links = [{"registration_id": rid, "day_id": d.id} for rid in ids for d in event.days]
        session_links = [{"registration_id": rid, "session_id": rng.choice(workshops)} for rid in ids]
        for start in range(0, len(day_links), 20000):
            session.execute(insert(registration_days), day_links[start : start + 20000])
        for start in range(0, len(session_links), 20000):
            session.execute(insert(registration_sessions), session_links[start : start + 20000])
    return [r["code"] for r in rows]


def summarize_ms(samples: Sequence[float]) -> dict[str, float]:
    """Median, p99 and max of durations given in seconds, in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(p99 * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
        "n": len(ordered),
    }


FIXED_NOW = dt.datetime(2024, 9, 19, 7, 30, tzinfo=dt.UTC)
