"""The guest list at 50,000 registrations: reading it, filtering it per keystroke, one refresh.

A third of the people are checked in on the first day. Timed: building ``GuestList``
(the window does it once, in a worker), each filter the window runs while staff type
(an organisation typed letter by letter, a name, "not yet arrived", a workshop, a
category, and all of them at once), and the refresh after one check-in (what the list
does on the GUI thread after each scan), and the table view's filter per keystroke
(filter, model reset, layout; offscreen Qt). Baseline in the same run: a plain Python
substring test over the same "name | organisation" strings (the least any filter does).

    .venv/bin/python benchmarks/bench_guest_list.py [--registrations 50000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIXED_NOW, fill_registrations, open_benchmark_db, summarize_ms

from checkin.domain.guest_list import GuestFilter, GuestList, Presence
from checkin.domain.models import CheckInLogEntry, LogAction, Registration


def _typed(text: str) -> list[str]:
    """What the field holds after each keystroke: "D", "Di", "Dia", ..."""
    return [text[: n + 1] for n in range(len(text))]


def _view_timings(guests: GuestList, event: object, rounds: int) -> dict[str, float]:
    """What the window does per keystroke: filter, reset the table model, let the view lay out."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from checkin.ui.guest_list_view import GuestTableModel, GuestTableView

    app = QApplication.instance() or QApplication([])
    model = GuestTableModel(guests, event.tz)  # type: ignore[attr-defined]
    view = GuestTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    samples = []
    for _ in range(rounds):
        for text in ["", *_typed("Diakonie Kassel"), ""]:
            t0 = time.perf_counter()
            model.set_rows(guests.filter(GuestFilter(organisation=text)))
            app.processEvents()
            samples.append(time.perf_counter() - t0)
    view.close()
    return summarize_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registrations", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-qt", dest="qt", action="store_false", help="leave out the table view figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db, event = open_benchmark_db(Path(folder) / "bench.db")
        try:
            fill_registrations(db, event, args.registrations)
            day = event.days[0]
            with db.session_factory.begin() as session:
                ids = list(session.scalars(select(Registration.id).order_by(Registration.id)))
                arrived = ids[::3]
                rows = [
                    {
                        "event_id": event.id,
                        "registration_id": rid,
                        "day_id": day.id,
                        "scope": 0,
                        "seq": 0,
                        "action": LogAction.CHECK_IN.value,
                        "at": FIXED_NOW + dt.timedelta(seconds=n),
                        "desk": "Platz 1",
                        "note": "",
                        "desk_id": "bench",
                        "nonce": f"n{rid}",
                    }
                    for n, rid in enumerate(arrived)
                ]
                for start in range(0, len(rows), 5000):
                    session.execute(insert(CheckInLogEntry), rows[start : start + 5000])

            builds = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                guests = GuestList(db, event, day.id)
                builds.append(time.perf_counter() - t0)

            workshop = event.workshops[0].id
            filters: dict[str, list[GuestFilter]] = {
                "organisation_typed": [GuestFilter(organisation=t) for t in _typed("Diakonie Kassel")],
                "name_typed": [GuestFilter(text=t) for t in _typed("müller anna")],
                "not_arrived": [GuestFilter(presence=Presence.NOT_ARRIVED)],
                "workshop": [GuestFilter(session_id=workshop)],
                "category": [GuestFilter(category_id=event.default_category.id)],
                "all_at_once": [
                    GuestFilter(
                        presence=Presence.NOT_ARRIVED,
                        category_id=event.default_category.id,
                        session_id=workshop,
                        organisation=t,
                        text="a",
                    )
                    for t in _typed("Jobcenter")
                ],
            }
            timings: dict[str, list[float]] = {name: [] for name in filters}
            shown: dict[str, int] = {}
            for _ in range(args.rounds):
                for name, steps in filters.items():
                    for step in steps:
                        t0 = time.perf_counter()
                        rows_shown = guests.filter(step)
                        timings[name].append(time.perf_counter() - t0)
                        shown[name] = len(rows_shown)

            haystacks = [f"{g.first_name} {g.last_name} | {g.organisation}".lower() for g in guests.guests]
            bare = []
            for _ in range(args.rounds):
                for text in _typed("diakonie kassel"):
                    t0 = time.perf_counter()
                    [i for i, h in enumerate(haystacks) if text in h]
                    bare.append(time.perf_counter() - t0)

            refreshes = []
            for rid in ids[1 : 1 + 30 * args.rounds]:
                t0 = time.perf_counter()
                guests.refresh([rid])
                refreshes.append(time.perf_counter() - t0)

            view = _view_timings(guests, event, args.rounds) if args.qt else None

            result = {
                "benchmark": "guest_list",
                "registrations": args.registrations,
                "arrived_day1": len(arrived),
                "build_s": round(min(builds), 3),
                "filter_per_keystroke": {name: summarize_ms(samples) for name, samples in timings.items()},
                "rows_shown_last_step": shown,
                "refresh_one_registration": summarize_ms(refreshes),
                "baseline_plain_substring_per_keystroke": summarize_ms(bare),
            }
            if view is not None:
                result["table_view_filter_per_keystroke"] = view
            print(json.dumps(result, indent=2, ensure_ascii=False))
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
