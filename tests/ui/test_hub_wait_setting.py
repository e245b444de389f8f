"""The hub wait in the settings: offered at a joined desk only, saved, and handed to the desk's link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from checkin.app import _desk_context
from checkin.domain.db import open_database
from checkin.domain.events import EventService
from checkin.sync.join import join
from checkin.ui.settings import SettingsStore
from checkin.ui.settings_dialog import SettingsDialog
from tests.helpers.desk import build_desk
from tests.helpers.sync_hub import HubForTests


@pytest.fixture(autouse=True)
def _secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))


@pytest.fixture
def hub(postgres_url: str) -> Iterator[HubForTests]:
    made = HubForTests.create(postgres_url)
    yield made
    made.db.dispose()


def test_a_joined_desk_saves_its_hub_wait_and_its_link_waits_that_long(
    qtbot, qapp: QApplication, hub: HubForTests, tmp_path: Path, clock
):
    db = open_database(tmp_path / "desk.db")
    join(db, hub.url, "Eingang 1")
    store = SettingsStore(tmp_path / "settings.ini")
    settings = store.load()
    event = EventService(db).get()
    context = _desk_context(qapp, db, event, settings)
    try:
        assert context.sync is not None
        assert context.sync.bound == 1.5
        dialog = SettingsDialog(context)
        qtbot.addWidget(dialog)
        assert dialog.hub_wait_spin.isVisibleTo(dialog)
        assert dialog.hub_wait_spin.value() == 1.5
        dialog.hub_wait_spin.setValue(0.7)
        store.save(dialog.result_settings())
    finally:
        assert context.sync is not None
        context.sync.stop()
    reloaded = store.load()
    assert reloaded.hub_wait_ms == 700
    again = _desk_context(qapp, db, event, reloaded)
    try:
        assert again.sync is not None
        assert again.sync.bound == 0.7
        assert again.sync.service is not None
        assert again.sync.service.online is not None
        assert again.sync.service.online._bound == 0.7  # what a scan waits for the hub
    finally:
        again.sync.stop()
        db.dispose()


def test_a_single_desk_offers_no_hub_wait(qtbot, db, demo_event, clock):
    dialog = SettingsDialog(build_desk(db, demo_event, clock))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.hub_wait_spin.isVisible()
    assert dialog.result_settings().hub_wait_ms == 1500


def test_a_hand_edited_hub_wait_is_kept_within_bounds(tmp_path: Path):
    store = SettingsStore(tmp_path / "settings.ini")
    for written, seconds in (("0", 0.2), ("999999", 10.0), ("1200", 1.2)):
        settings = store.load()
        settings.hub_wait_ms = int(written)
        store.save(settings)
        assert store.load().hub_wait_seconds() == seconds
