"""Two desks cut off from the hub admit the same person: after the sync, the one conflict shows on
the dashboard, in the person's history, in the export's check-in log and in ``sync status``.

Real PostgreSQL (the hub), real SQLite replicas, the network cut by a TCP proxy.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checkin.cli import main
from checkin.domain.events import EventService
from checkin.domain.statistics import load_dashboard
from checkin.i18n import set_language
from checkin.io.exports import export_attendance
from checkin.presentation.conflict_text import conflict_count_text, conflict_note
from checkin.sync.replica import list_conflicts
from checkin.ui.dashboard_panel import DashboardPanel
from checkin.ui.person_dialog import PersonDialog
from tests.helpers.desk import build_desk
from tests.helpers.sync_hub import NOW, DeskForTests, HubForTests
from tests.helpers.tcp_proxy import proxy_to

BERLIN = ZoneInfo("Europe/Berlin")
CONFLICT_WORDS = "Konflikt: auch an Platz B um 10:42 eingelassen"  # 08:42 UTC is 10:42 in Berlin


@pytest.fixture
def apart(postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple]:
    """Desks A and B admit one person while the network is cut (B at 10:42), then sync."""
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))
    hub = HubForTests.create(postgres_url)
    (person,) = hub.people.add_many(1)
    desks: list[DeskForTests] = []
    with proxy_to(hub.url) as proxy:
        for name in ("A", "B"):
            desks.append(DeskForTests.join(tmp_path, hub.url, name, connect_url=proxy.url_for(hub.url)))
        a, b = desks
        b.clock_offset = dt.timedelta(minutes=42)
        proxy.cut()
        assert a.scan(person.code) == "checked_in"
        assert b.scan(person.code) == "checked_in"
        proxy.restore()
        for desk in (a, b, a):
            assert desk.worker.run_once()[0].online
    yield hub, a, b, person
    for desk in desks:
        desk.close()
    hub.db.dispose()


def _local_id(desk: DeskForTests, code: str) -> int:
    found = desk.service().lookup(code)
    assert found is not None
    return found.registration_id


def test_the_conflict_shows_on_each_desks_dashboard(qtbot, apart):
    hub, a, b, person = apart
    assert len(hub.conflicts()) == 1
    for desk in (a, b):
        context = build_desk(desk.db, EventService(desk.db).get(), lambda: NOW, desk=desk.name)
        panel = DashboardPanel(context)
        qtbot.addWidget(panel)
        panel.refresh(force=True)
        assert panel.conflicts_line.isVisibleTo(panel)
        lines = panel.conflicts_line.text().splitlines()
        assert lines[0] == "1 Konflikt"
        assert lines[1:] == [
            f"19.09.2024 · {person_name(desk, person.code)}: auch an Platz B um 10:42 eingelassen"
        ]


def person_name(desk: DeskForTests, code: str) -> str:
    found = desk.service().lookup(code)
    assert found is not None
    return f"{found.first_name} {found.last_name}"


def test_the_conflict_shows_in_the_persons_history(qtbot, apart):
    _hub, a, _b, person = apart
    context = build_desk(a.db, EventService(a.db).get(), lambda: NOW, desk="A")
    dialog = PersonDialog(context, _local_id(a, person.code))
    qtbot.addWidget(dialog)
    rows = [
        [dialog.history.topLevelItem(i).text(c) for c in range(5)]
        for i in range(dialog.history.topLevelItemCount())
    ]
    # Newest first: B's admission (10:42, the conflict), then A's check-in (10:00, in force).
    assert rows == [
        ["19.09.2024 10:42:00", "Eingang", "Konflikt", "B", CONFLICT_WORDS],
        ["19.09.2024 10:00:00", "Eingang", "Check-in", "A", ""],
    ]


def test_the_conflict_shows_in_the_exported_check_in_log(apart, tmp_path: Path):
    _hub, a, b, person = apart
    for desk in (a, b):
        out = tmp_path / f"log-{desk.name}.csv"
        export_attendance(desk.db, EventService(desk.db).get(), out, table="log")
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        assert len(rows) == 1  # one admission counted, at A
        (row,) = rows
        assert (row["Platz"], row["Code"], row["Hinweis"]) == ("A", person.code, CONFLICT_WORDS)


def test_the_conflict_counts_in_sync_status(apart, capsys):
    _hub, a, b, _person = apart
    for desk in (a, b):
        desk.db.dispose()
        assert main(["--db", desk.db.url.removeprefix("sqlite:///"), "sync", "status", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["conflicts"] == 1


def test_the_hub_itself_shows_the_conflict_in_its_export_and_figures(apart, tmp_path: Path):
    hub, _a, _b, person = apart
    out = tmp_path / "hub-log.csv"
    export_attendance(hub.db, hub.event, out, table="log")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle, delimiter=";"))
    assert (row["Platz"], row["Code"], row["Hinweis"]) == ("A", person.code, CONFLICT_WORDS)
    dashboard = load_dashboard(hub.db, hub.event, NOW)
    assert [(c.code, c.desk_name, c.reason) for c in dashboard.conflicts] == [
        (person.code, "B", "already_checked_in")
    ]


def test_the_conflict_in_english(apart):
    _hub, a, _b, _person = apart
    (conflict,) = list_conflicts(a.db)
    set_language("en")
    try:
        assert conflict_note(conflict, BERLIN) == "Conflict: also admitted at desk B at 10:42"
        assert conflict_count_text(2) == "2 conflicts"
    finally:
        set_language("de")
