"""After an import on PostgreSQL a scan's lookup uses the code index at once (not a filter over
every registration of the event, as while the planner thinks the table is empty)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import text

from checkin.domain.checkin_store import lookups
from checkin.domain.db import open_database
from checkin.domain.eventfile import load_event_file
from checkin.domain.events import EventService
from checkin.io.importing.service import ImportService
from checkin.resources import demo_event_file


def test_after_an_import_the_hubs_lookup_uses_the_code_index(postgres_url: str, tmp_path: Path):
    db = open_database(postgres_url)
    try:
        event = EventService(db).load_definition(load_event_file(demo_event_file()))
        listing = tmp_path / "list.csv"
        with listing.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Vorname", "Nachname", "E-Mail"])
            writer.writerows([f"Vor{i}", f"Nach{i}", f"p{i}@example.org"] for i in range(3000))
        service = ImportService(db, event)
        service.apply(service.read(listing))
        day = event.days[0]
        statement = (
            lookups(event.id, day.id)
            .by_codes.params(codes=["X"])
            .compile(db.engine, compile_kwargs={"literal_binds": True, "render_postcompile": True})
        )
        with db.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))  # a bad plan shows as a filter, not a seq scan
            plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {statement}")))
        assert "uq_registrations_event_id_code" in plan, plan
    finally:
        db.dispose()
