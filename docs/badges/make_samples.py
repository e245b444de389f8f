"""Render one sample page of every badge layout (a certificate, a PDF background) to PNG in this folder.

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


def artwork_pdf(path: Path) -> None:
    """A designer's background as a print shop would get it: vector shapes, 3 mm bleed, TrimBox."""
    from reportlab.pdfgen.canvas import Canvas

    mm, bleed = 72 / 25.4, 3.0
    width, height = (105 + 2 * bleed) * mm, (148 + 2 * bleed) * mm
    canvas = Canvas(str(path), pagesize=(width, height))
    canvas.setFillColorRGB(0.95, 0.97, 1.0)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    for index, (r, g, b) in enumerate(((0.80, 0.88, 0.97), (0.66, 0.79, 0.94), (0.52, 0.70, 0.90))):
        path_ = canvas.beginPath()
        top = height - (24 - 8 * index) * mm  # the widest and lightest first
        path_.moveTo(0, top)
        path_.curveTo(width * 0.35, top - 22 * mm, width * 0.65, top + 12 * mm, width, top - 6 * mm)
        path_.lineTo(width, height)
        path_.lineTo(0, height)
        path_.close()
        canvas.setFillColorRGB(r, g, b)
        canvas.drawPath(path_, stroke=0, fill=1)
    canvas.setFillColorRGB(0.78, 0.86, 0.96)
    canvas.circle(width * 0.15, height * 0.30, 26 * mm, stroke=0, fill=1)
    canvas.setTrimBox((bleed * mm, bleed * mm, width - bleed * mm, height - bleed * mm))
    canvas.showPage()
    canvas.save()


def pdf_background_sample(service: BadgeService, registration_id: int) -> None:
    """An A6 badge whose background element is page 1 of a PDF (``pdf-background.png``)."""
    from dataclasses import replace

    from checkin.badges.pdfstream import single_pdf
    from checkin.badges.render import BadgeRenderer
    from checkin.badges.templates import default_front
    from checkin.domain.badge_templates import BadgeTemplate, TemplateElement

    mm = 72 / 25.4
    (data,) = service.badge_data([registration_id])
    with tempfile.TemporaryDirectory() as folder:
        artwork = Path(folder) / "hintergrund.pdf"
        artwork_pdf(artwork)
        front = (
            TemplateElement("background", 0, 0, 105, 148, src=str(artwork)),
            *default_front(105, 148, data.code),
        )
        style = replace(service.style, templates=(BadgeTemplate("a6", front, width=105, height=148),))
        renderer = BadgeRenderer(style)

        def draw(canvas: object) -> None:
            canvas.setPageSize((105 * mm, 148 * mm))  # type: ignore[attr-defined]
            renderer.draw(canvas, 0, 0, 105 * mm, 148 * mm, data, layout="a6")  # type: ignore[arg-type]
            canvas.showPage()  # type: ignore[attr-defined]

        to_png(single_pdf(draw), HERE / "pdf-background", 150)


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
            pdf_background_sample(service, ids[0])
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
