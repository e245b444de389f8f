"""Render one sample page of every badge layout (and a certificate) to PNG in this folder.

    /work/venv/bin/python docs/badges/make_samples.py

Uses a temporary database with the demo event and a few hard names.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from checkin.badges.layouts import BUILTIN_LAYOUTS  # noqa: E402
from checkin.badges.service import BadgeService  # noqa: E402
from checkin.domain.db import open_database  # noqa: E402
from checkin.domain.eventfile import load_event_file  # noqa: E402
from checkin.domain.events import EventService  # noqa: E402
from checkin.domain.models import ENTRANCE_SCOPE, CheckInLogEntry, LogAction  # noqa: E402
from checkin.resources import demo_event_file  # noqa: E402
from tests.helpers import HARD_NAMES, People  # noqa: E402
from tests.helpers import NewPerson as Person  # noqa: E402

SAMPLE = (
    Person(
        "Jürgen",
        "Müller-Lüdenscheidt",
        "Dr.",
        "Kommunales Jobcenter des Landkreises Marburg-Biedenkopf – Kreisjobcenter (KJC)",
        "Fachbereichsleitung Markt und Integration",
        "speaker",
        ("zw-digitalisierung",),
    ),
    *HARD_NAMES,
)


def to_png(pdf: bytes, target: Path, dpi: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1", str(path), str(target)],
            check=True,
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "samples.db")
        try:
            event = EventService(db).load_definition(load_event_file(demo_event_file()))
            people = People(db, event).add_all(SAMPLE)
            ids = [registration_id for registration_id, _ in people]
            service = BadgeService(db, event)
            for layout in BUILTIN_LAYOUTS:
                count = 1 if layout.kind != "sheet" else layout.per_page
                pdf = service.render_badges(ids[:count], layout=layout.key)
                dpi = 150 if layout.page_width < 120 else 75
                to_png(pdf, HERE / layout.key, dpi)
            with db.session_factory.begin() as session:
                for day in event.days:
                    session.add(
                        CheckInLogEntry(
                            event_id=event.id,
                            registration_id=ids[0],
                            day_id=day.id,
                            scope=ENTRANCE_SCOPE,
                            seq=0,
                            action=LogAction.CHECK_IN,
                            at=dt.datetime.combine(day.date, dt.time(8), dt.UTC),
                        )
                    )
                workshop = event.session_by_key("zw-digitalisierung")
                session.add(
                    CheckInLogEntry(
                        event_id=event.id,
                        registration_id=ids[0],
                        day_id=workshop.day_id,
                        session_id=workshop.id,
                        scope=workshop.id,
                        seq=0,
                        action=LogAction.CHECK_IN,
                        at=dt.datetime.combine(workshop.day, dt.time(12), dt.UTC),
                    )
                )
            from checkin.badges.certificates import CertificateWriter

            to_png(CertificateWriter(db, event).render(ids[0]), HERE / "certificate", 75)
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
