"""Joining a hub from the window's settings, and the desk switching to its local copy (real PostgreSQL).

Typed at a person's pace (``delay=60``): faster, the keyboard wedge would take it for a scanner.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from checkin.app import build_desk, build_parser, shut_down
from checkin.domain.db import open_database
from checkin.domain.secrets import load_secret
from checkin.sync.join import join, password_key
from checkin.sync.replica import read_state
from checkin.ui.join_dialog import JoinHubDialog
from checkin.ui.settings import SettingsStore
from checkin.ui.settings_dialog import SettingsDialog
from checkin.ui.sync_status import SyncStatusWidget
from checkin.ui.tasks import TaskRunner
from tests.helpers.sync_hub import HubForTests
from tests.helpers.tcp_proxy import proxy_to

PERSON_PACE_MS = 60


@pytest.fixture(autouse=True)
def secrets_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hub's password goes to a file of the test, not to the user's own secrets."""
    path = tmp_path / "secrets" / "secrets.json"
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(path))
    return path


@pytest.fixture
def hub(postgres_url: str) -> Iterator[HubForTests]:
    made = HubForTests.create(postgres_url)
    yield made
    made.db.dispose()


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.clear()
    qtbot.keyClicks(widget, text, delay=PERSON_PACE_MS)


def test_joining_from_the_settings_says_what_is_wrong_then_joins_and_keeps_the_password_secret(
    qtbot, hub: HubForTests, desk_context, when_modal, tmp_path, secrets_path
):
    hub.people.add_many(5)
    switched: list[str] = []
    desk_context.switch_database = switched.append
    desk_context.tasks = TaskRunner()  # the download runs in a worker thread, as in the app
    copy = tmp_path / "copies" / "theke-nord.db"
    password = make_url(hub.url).password or ""
    seen: list[str] = []

    with proxy_to(hub.url) as proxy:
        address = make_url(proxy.url_for(hub.url))._replace(password=None).render_as_string()

        def fill_in(dialog: JoinHubDialog) -> None:
            _type(qtbot, dialog.url_edit, address)
            _type(qtbot, dialog.desk_edit, "Theke Nord")
            _type(qtbot, dialog.path_edit, str(copy))
            proxy.cut()  # the hub cannot be reached
            _type(qtbot, dialog.password_edit, password)
            dialog.join_button.click()
            qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog), timeout=15_000)
            seen.append(dialog.error_label.text())
            proxy.restore()
            _type(qtbot, dialog.password_edit, "falsch")  # a wrong password
            qtbot.waitUntil(dialog.join_button.isEnabled)
            dialog.join_button.click()
            qtbot.waitUntil(lambda: dialog.error_label.text() != seen[-1], timeout=15_000)
            seen.append(dialog.error_label.text())
            _type(qtbot, dialog.password_edit, password)
            dialog.join_button.click()

        when_modal(JoinHubDialog, fill_in)
        settings = SettingsDialog(desk_context)
        qtbot.addWidget(settings)
        QTimer.singleShot(0, settings.join_button.click)
        settings.exec()
        qtbot.waitUntil(lambda: bool(switched), timeout=30_000)

    assert "antwortet nicht" in seen[0]
    assert seen[1] == "Der Hub hat Benutzername oder Passwort abgelehnt."
    assert switched == [str(copy)]
    assert settings.result_settings().desk_name == "Theke Nord"
    db = open_database(copy)
    try:
        state = read_state(db)
        assert state is not None
        assert state.join_done
        assert make_url(state.hub_url).password is None  # the copy keeps the address without it
        assert load_secret(password_key(state.desk_id)) == password
    finally:
        db.dispose()
    assert password in json.loads(secrets_path.read_text(encoding="utf-8")).values()


def test_a_desk_switches_to_a_joined_copy_and_syncs_by_itself(qtbot, hub: HubForTests, tmp_path):
    hub.people.add_many(3)
    copy = tmp_path / "copy.db"
    replica = open_database(copy)
    join(replica, hub.url, "Theke Süd")
    replica.dispose()
    args = build_parser().parse_args(
        ["--db", str(tmp_path / "desk.db"), "--settings", str(tmp_path / "desk.ini"), "--lang", "de"]
    )
    desk = build_desk(QApplication.instance(), args)  # type: ignore[arg-type]
    try:
        qtbot.addWidget(desk.window)
        assert desk.window.context.sync is None  # a single desk: nothing syncs
        assert not desk.window.statusBar().findChildren(SyncStatusWidget)
        desk.switch_database(str(copy))
        window = desk.window
        qtbot.addWidget(window)
        assert window.context.sync is not None
        (widget,) = window.statusBar().findChildren(SyncStatusWidget)
        qtbot.waitUntil(lambda: widget.online, timeout=10_000)
        assert widget.state_text() == "Online · 0 warten"
        assert SettingsStore(tmp_path / "desk.ini").load().database == str(copy)
        assert window.context.switch_database is not None  # the new window can switch again
    finally:
        desk.window.language.remove()  # type: ignore[union-attr]
        shut_down(desk.window.context)
        desk.window.close()
        desk.db.dispose()
