"""Render the after-the-event documents to ``docs/documents/*.png`` (and the PDFs to a temp folder).

Run: ``python docs/documents/make_samples.py [--out DIR] [--keep-pdf DIR]``. Uses a throwaway
database with the demo event, the long and non-Latin test names and the scripted check-ins
of the export tests, so the pictures do not depend on today. Needs ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "unit" / "io")]

from export_scenario import build_scenario  # noqa: E402

from checkin import i18n  # noqa: E402
from checkin.domain.db import open_database  # noqa: E402
from checkin.domain.document_options import document_options  # noqa: E402
from checkin.domain.eventfile import load_event_file  # noqa: E402
from checkin.domain.events import EventService  # noqa: E402
from checkin.domain.privacy import PrivacyService  # noqa: E402
from checkin.io import per_organisation, report_pdf, signature_lists  # noqa: E402
from checkin.io.person_letter import write_person_letter  # noqa: E402
from checkin.resources import demo_event_file  # noqa: E402
from tests.helpers import HARD_NAMES, NewPerson, People  # noqa: E402

NOW = dt.datetime(2024, 9, 20, 16, 30, tzinfo=dt.UTC)
DOCUMENTS = {
    "grant_reference": "ESF Plus 01/2024-KJC",
    "funder": "Gefördert vom Bundesministerium für Arbeit und Soziales aus Mitteln des ESF Plus",
    "organiser": "Deutscher Landkreistag",
    "confirmation": True,
}


def _png(pdf: Path, out: Path, *, page: int = 1) -> None:
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(stem),
        ],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--keep-pdf", type=Path, help="also copy the PDFs here")
    args = parser.parse_args()
    i18n.set_language("de")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = open_database(work / "samples.db")
        try:
            event = EventService(db).load_definition(load_event_file(demo_event_file()))
            build_scenario(db, event)
            People(db, event).add_all(HARD_NAMES)
            People(db, event).add_all(
                [
                    NewPerson("Richard", "von Weizsäcker", organisation="Bundespräsidialamt"),
                    NewPerson("Karl", "Freiherr vom Stein", organisation="Landkreis Nassau"),
                ]
            )
            event = dataclasses.replace(event, definition={**event.definition, "documents": DOCUMENTS})
            made = {
                "signature-list.pdf": lambda p: signature_lists.write_signature_lists(
                    db, event, p, day=event.days[0].date, now=NOW
                ),
                "signature-list-attended.pdf": lambda p: signature_lists.write_signature_lists(
                    db, event, p, day=event.days[0].date, attended=True, now=NOW
                ),
            }
            now = NOW

            def organisation(p: Path) -> None:
                (path,) = [
                    q
                    for q in per_organisation.write_per_organisation(db, event, p.parent / "orgs", fmt="pdf")
                    if q.stem == "Jobcenter Köln"
                ]
                shutil.copy(path, p)

            def letter(p: Path) -> None:
                privacy = PrivacyService(db, event, clock=lambda: now)
                data = privacy.person_data(email="anna.mueller@koeln.example")
                write_person_letter(p, data, document_options(event.definition))

            made["per-organisation.pdf"] = organisation
            made["person-data-letter.pdf"] = letter
            made["report.pdf"] = lambda p: report_pdf.write_report_pdf(db, event, p, now=NOW)
            for name, write in made.items():
                pdf = work / name
                write(pdf)
                _png(pdf, args.out / name.replace(".pdf", ".png"))
                if args.keep_pdf:
                    args.keep_pdf.mkdir(parents=True, exist_ok=True)
                    shutil.copy(pdf, args.keep_pdf / name)
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
