"""A person imported with no day ticked: what the import says it assumed is what the desk does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import Registration
from checkin.domain.verdicts import VerdictKind
from checkin.io.importing import ImportService, ProblemKind
from checkin.io.importing import report as words

DAY1, DAY2 = dt.date(2024, 9, 19), dt.date(2024, 9, 20)


def test_no_day_ticked_means_every_day_at_the_desk_and_the_warning_says_so(
    tmp_path: Path, db: Database, demo_event: EventInfo
):
    path = tmp_path / "liste.csv"
    path.write_text(
        "Name;Teilnahme 19.09.;Teilnahme 20.09.\nBernd Roth;nein;nein\nAnna Schulz;ja;nein\n",
        encoding="utf-8",
    )
    service = ImportService(db, demo_event, clock=lambda: dt.datetime(2024, 9, 1, 8, 0, tzinfo=dt.UTC))
    report = service.apply(service.read(path))
    [warning] = report.warnings
    assert (warning.line, warning.kinds) == (2, (ProblemKind.NO_DAY,))
    assert words.describe_row(warning, assumed=True) == (
        "Zeile 2: kein Tag angekreuzt: "
        "für jeden Tag der Veranstaltung angemeldet (die Liste nennt keinen Tag)"
    )

    with db.read() as session:
        codes = {
            name: code for name, code in session.execute(select(Registration.last_name, Registration.code))
        }
    desk = CheckInService(
        db, demo_event, desk="Theke 1", clock=lambda: dt.datetime(2024, 9, 20, 8, tzinfo=dt.UTC)
    )
    # What was assumed is what happens: admitted on either day; the one with a day ticked only on that one.
    assert desk.scan(codes["Roth"], day=DAY1).kind is VerdictKind.CHECKED_IN
    assert desk.scan(codes["Roth"], day=DAY2).kind is VerdictKind.CHECKED_IN
    assert desk.scan(codes["Schulz"], day=DAY2).kind is VerdictKind.NOT_REGISTERED_TODAY
