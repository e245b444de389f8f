"""``checkin purge`` with a supervisor PIN set: asked, a wrong PIN deletes nothing, the right one audited."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.cli import main
from checkin.domain.db import Database
from checkin.domain.models import Registration
from checkin.domain.supervisor import hash_pin, uses
from tests.unit.io.export_scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db: Database, demo_event) -> Scenario:
    return build_scenario(db, demo_event)


@pytest.fixture(autouse=True)
def _no_user_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the real user's desk settings: the default place is under this test's folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _desk_ini(path: Path, pin: str | None) -> Path:
    """A desk settings file as the desk writes it (Qt's ini format, section [desk])."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = hash_pin(pin) if pin else ""
    path.write_text(f"[desk]\ndesk_name=Theke 1\nsupervisor_pin={stored}\nundo_minutes=5\n", encoding="utf-8")
    return path


def _purge(db: Database, *extra: str) -> int:
    return main(
        ["--db", db.url.removeprefix("sqlite:///"), "purge", "--before", "2024-10-01", "--yes", *extra]
    )


def _not_purged(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).where(Registration.purged_at.is_(None))) or 0


def _pins(monkeypatch: pytest.MonkeyPatch, typed: str) -> list[str]:
    prompts: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": (prompts.append(prompt), typed)[1])
    return prompts


def test_without_a_pin_the_purge_asks_nothing(db, scenario, demo_event, tmp_path, monkeypatch):
    prompts = _pins(monkeypatch, "4711")
    ini = _desk_ini(tmp_path / "desk.ini", None)
    assert _purge(db, "--settings", str(ini)) == 0
    assert prompts == []
    assert _not_purged(db) == 0
    assert uses(db, demo_event.id) == []


def test_a_wrong_pin_deletes_nothing(db, scenario, demo_event, tmp_path, monkeypatch, capsys):
    before = _not_purged(db)
    assert before > 0
    prompts = _pins(monkeypatch, "1234")
    ini = _desk_ini(tmp_path / "desk.ini", "4711")
    assert _purge(db, "--settings", str(ini)) == 1
    assert prompts == ["Supervisor-PIN: "]
    assert "Falsche Supervisor-PIN" in capsys.readouterr().err
    assert _not_purged(db) == before
    assert uses(db, demo_event.id) == []


def test_the_right_pin_purges_and_the_audit_row_names_desk_and_time(db, scenario, demo_event, monkeypatch):
    # The desk's own settings file (no --settings): where Qt keeps it on Linux.
    _desk_ini(Path(os.environ["XDG_CONFIG_HOME"]) / "checkin" / "checkin-desk.conf", "4711")
    prompts = _pins(monkeypatch, "4711")
    assert _purge(db, "--desk", "Büro") == 0
    assert prompts == ["Supervisor-PIN: "]
    assert _not_purged(db) == 0
    ((at, desk, detail),) = uses(db, demo_event.id)
    assert (desk, detail) == ("Büro", {"step": "purge", "cutoff": "2024-10-01"})
    assert at.tzinfo is not None


def test_a_purge_that_may_not_run_says_so_before_asking_for_the_pin(
    db, scenario, tmp_path, monkeypatch, capsys
):
    prompts = _pins(monkeypatch, "4711")
    ini = _desk_ini(tmp_path / "desk.ini", "4711")
    args = ["--db", db.url.removeprefix("sqlite:///"), "purge", "--before", "2024-09-19", "--yes"]
    assert main([*args, "--settings", str(ini)]) == 1  # a day of the event: refused
    assert prompts == []
    assert "01.10" not in capsys.readouterr().out
