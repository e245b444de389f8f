"""A hub on a fresh PostgreSQL schema with a few people, and a factory of joined desks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.sync_hub import DeskForTests, HubForTests


@pytest.fixture(autouse=True)
def _secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub's password goes to a file of the test, not to the user's own secrets."""
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))


@pytest.fixture
def hub(postgres_url: str) -> Iterator[HubForTests]:
    made = HubForTests.create(postgres_url)
    yield made
    made.db.dispose()


@pytest.fixture
def make_desk(hub: HubForTests, tmp_path: Path) -> Iterator[Callable[..., DeskForTests]]:
    desks: list[DeskForTests] = []

    def make(name: str, connect_url: str | None = None) -> DeskForTests:
        desk = DeskForTests.join(tmp_path, hub.url, name, connect_url=connect_url)
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.close()
