"""``desk join``, ``sync --once``, ``sync status`` and ``desk wipe`` through ``checkin.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.domain.checkin_service import CheckInService
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from tests.helpers.people import DAY1
from tests.helpers.sync_hub import HubForTests


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_join_scan_sync_status_and_wipe(hub: HubForTests, tmp_path: Path, capsys):
    people = hub.people.add_many(3)
    local = str(tmp_path / "desk" / "entrance.db")
    code, out, _ = run(capsys, "--db", local, "desk", "join", hub.url, "--desk", "Eingang 1", "--json")
    assert code == 0
    joined = json.loads(out)
    assert joined["registrations"] == 3
    assert joined["online"] is True
    code, out, _ = run(capsys, "--db", local, "scan", people[0].code, "--day", DAY1.isoformat(), "--json")
    assert code == 0
    assert json.loads(out)["offline"] is False  # decided by the hub: recorded there at once
    assert hub.log_count() == 1
    code, out, _ = run(capsys, "--db", local, "sync", "status", "--json")
    state = json.loads(out)
    assert {k: state[k] for k in ("online", "queued", "conflicts")} == {
        "online": True,
        "queued": 0,
        "conflicts": 0,
    }
    assert "last_upload" in state
    assert "last_download" in state
    code, out, _ = run(capsys, "--db", local, "sync", "--once", "--json")
    assert code == 0
    assert json.loads(out)["last_download"] is not None
    code, out, _ = run(capsys, "--db", local, "scan", people[0].code, "--day", DAY1.isoformat(), "--json")
    assert json.loads(out)["status"] == "already_checked_in"
    # The hub's password is not in the local copy.
    assert b":ci@" not in Path(local).read_bytes()
    code, out, _ = run(capsys, "--db", local, "desk", "wipe")
    assert code == 0
    assert not any(Path(local).parent.iterdir())


def test_wipe_refuses_while_records_wait_and_join_refuses_a_used_file(hub: HubForTests, tmp_path, capsys):
    (person,) = hub.people.add_many(1)
    local = str(tmp_path / "desk.db")
    assert run(capsys, "--db", local, "desk", "join", hub.url, "--desk", "A")[0] == 0
    desk = open_database(local)  # a check-in decided at the desk alone: it waits for the hub
    CheckInService(desk, EventService(desk).get(), desk="A").scan(person.code, day=DAY1)
    desk.dispose()
    code, _, err = run(capsys, "--db", local, "desk", "wipe")
    assert code == 1
    assert "1" in err
    assert Path(local).exists()
    code, _, err = run(
        capsys, "--db", str(tmp_path / "other.db"), "desk", "join", "sqlite:///x.db", "--desk", "B"
    )
    assert code == 1
    assert "PostgreSQL" in err


def test_sync_once_reports_offline_with_exit_4_and_keeps_the_queue(hub: HubForTests, tmp_path, capsys):
    from tests.helpers.tcp_proxy import proxy_to

    (person,) = hub.people.add_many(1)
    local = str(tmp_path / "desk.db")
    with proxy_to(hub.url) as proxy:
        assert run(capsys, "--db", local, "desk", "join", proxy.url_for(hub.url), "--desk", "A")[0] == 0
        proxy.cut()
        run(capsys, "--db", local, "scan", person.code, "--day", DAY1.isoformat())
        code, out, _ = run(capsys, "--db", local, "sync", "--once", "--json")
        assert code == 4
        assert json.loads(out)["online"] is False
        assert json.loads(out)["queued"] == 1
        proxy.restore()
        code, out, _ = run(capsys, "--db", local, "sync", "--once", "--json")
    assert code == 0
    assert json.loads(out)["queued"] == 0
    assert hub.log_count() == 1
