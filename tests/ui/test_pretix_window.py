"""The whole pretix path in the real window (issue 11's "done when"), against the real pretix.

The app's own ``Desk`` is built (so File → pretix connection reopens the window on the pretix
event for real), the connection is typed at a person's pace (``delay=60``: faster, the keyboard
wedge would take it for a scanner), and pretix sits behind a TCP proxy the test can cut, which
is what a desk sees when the venue's internet goes. pretix's own API is the witness that every
check-in arrived exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checkin import i18n
from checkin.app import Desk, build_desk, build_parser, shut_down
from checkin.domain.log_notes import NoteKind
from checkin.domain.verdicts import Severity, VerdictKind
from checkin.sync.desk_link import hub_kind
from checkin.sync.replica import status
from checkin.ui.pretix_dialog import PretixDialog
from checkin.ui.settings import DeskSettings, SettingsStore
from checkin.ui.sync_status import SyncStatusWidget
from tests.helpers.pretix import PretixServer, entries_at_pretix, make_tickets, pretix_server
from tests.helpers.tcp_proxy import TcpProxy

PERSON_PACE_MS = 60


@pytest.fixture
def pretix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PretixServer]:
    server = pretix_server()
    monkeypatch.setenv("CHECKIN_SECRETS_FILE", str(tmp_path / "secrets" / "secrets.json"))
    yield server
    i18n.set_language("de")


@pytest.fixture
def proxy(pretix: PretixServer) -> Iterator[TcpProxy]:
    address = urlsplit(pretix.url)
    made = TcpProxy(address.hostname or "127.0.0.1", address.port or 80)
    yield made
    made.close()


class DeskApp:
    """The app's own desk as ``main`` builds it, over one file and one settings file; ``quit()``
    ends it as the app does, ``start()`` starts it again (the next morning)."""

    def __init__(self, tmp_path: Path) -> None:
        # Silent: no sound card in the test.
        SettingsStore(tmp_path / "desk.ini").save(DeskSettings(desk_name="Theke 1", sound=False))
        self.args = build_parser().parse_args(
            ["--db", str(tmp_path / "desk.db"), "--settings", str(tmp_path / "desk.ini"), "--lang", "en"]
        )
        self.desk: Desk | None = None

    def start(self) -> Desk:
        # Not given to qtbot: switching events deletes the window the desk starts with.
        self.desk = build_desk(QApplication.instance(), self.args)  # type: ignore[arg-type]
        return self.desk

    def quit(self) -> None:
        if self.desk is None:
            return
        desk, self.desk = self.desk, None
        desk.language.remove()  # type: ignore[union-attr]
        shut_down(desk.window.context)
        desk.window.close()
        desk.db.dispose()


@pytest.fixture
def app(qtbot, tmp_path: Path) -> Iterator[DeskApp]:  # type: ignore[no-untyped-def]
    made = DeskApp(tmp_path)
    yield made
    made.quit()


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, text, delay=PERSON_PACE_MS)


def _scan(qtbot, desk: Desk, code: str):  # type: ignore[no-untyped-def]
    panel = desk.window.checkin_panel
    panel.scan_field.setFocus()
    qtbot.keyClicks(panel.scan_field, code)
    qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    return panel.verdict_view.verdict


def test_connect_in_the_window_scan_online_and_offline_and_find_every_check_in_in_pretix(
    qtbot, pretix: PretixServer, proxy: TcpProxy, app: DeskApp, when_modal
):
    desk = app.start()  # a fresh file: the demo
    online_ticket, offline_ticket = make_tickets(pretix, 2)  # paid; downloaded when connecting
    address = f"http://127.0.0.1:{proxy.port}"
    first = desk.window
    assert first.context.sync is None  # the demo on a single desk: nothing syncs

    def fill_in(dialog: PretixDialog) -> None:
        _type(qtbot, dialog.url_edit, address)
        _type(qtbot, dialog.organizer_edit, pretix.organizer)
        _type(qtbot, dialog.token_edit, pretix.token)
        dialog.check_button.click()  # the organizer's events and the event's lists, to choose from
        qtbot.waitUntil(lambda: "The token is good" in dialog.status.text(), timeout=30_000)
        dialog.event_combo.setCurrentIndex(dialog.event_combo.findData(pretix.event))
        assert dialog.event_slug() == pretix.event
        assert dialog.list_combo.currentText() == "Einlass"
        assert dialog.local_combo.currentData() is None  # a new event, named after pretix's
        dialog.connect_button.click()
        qtbot.waitUntil(lambda: dialog.connected_slug is not None, timeout=120_000)
        assert dialog.stack.currentIndex() == 1, dialog.status.text()
        dialog.accept()  # "Done" on the mapping page

    when_modal(PretixDialog, fill_in)
    first.act_pretix.trigger()
    qtbot.waitUntil(lambda: desk.window is not first, timeout=10_000)

    window = desk.window
    assert window.context.event.slug == pretix.event
    assert hub_kind(desk.db) == "pretix"
    assert window.context.sync is not None  # the window reopened on the pretix event syncs
    (widget,) = window.statusBar().findChildren(SyncStatusWidget)
    qtbot.waitUntil(lambda: widget.online, timeout=15_000)
    assert widget.state_text() == "Online · 0 waiting"

    # Online: pretix decides, and records the check-in once.
    verdict = _scan(qtbot, desk, online_ticket["secret"])
    assert verdict is not None
    assert (verdict.kind, verdict.severity) == (VerdictKind.CHECKED_IN, Severity.OK)
    assert NoteKind.OFFLINE not in verdict.notes
    assert window.checkin_panel.verdict_view.band.text().startswith("✓")
    qtbot.waitUntil(lambda: len(entries_at_pretix(pretix, online_ticket["id"])) >= 1, timeout=5_000)
    qtbot.waitUntil(lambda: status(desk.db).queued == 0, timeout=10_000)
    assert len(entries_at_pretix(pretix, online_ticket["id"])) == 1

    # The venue's internet goes: the desk decides alone, says so, and keeps the check-in.
    proxy.cut()
    scanned_from = dt.datetime.now(dt.UTC)
    verdict = _scan(qtbot, desk, offline_ticket["secret"])
    scanned_until = dt.datetime.now(dt.UTC)
    assert verdict is not None
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert NoteKind.OFFLINE in verdict.notes
    assert "decided offline" in window.checkin_panel.verdict_view.band.text()
    qtbot.waitUntil(lambda: widget.state_text().startswith("Offline"), timeout=15_000)
    qtbot.waitUntil(lambda: "1 waiting" in widget.state_text(), timeout=5_000)
    assert entries_at_pretix(pretix, offline_ticket["id"]) == []  # pretix asked directly, not via the proxy

    # Back by itself: nobody presses anything.
    proxy.restore()
    qtbot.waitUntil(lambda: widget.online and status(desk.db).queued == 0, timeout=60_000)
    qtbot.waitUntil(lambda: widget.state_text() == "Online · 0 waiting", timeout=5_000)
    (offline_entry,) = entries_at_pretix(pretix, offline_ticket["id"])
    # pretix has the moment of the scan, not of the upload.
    assert scanned_from <= dt.datetime.fromisoformat(offline_entry["datetime"]) <= scanned_until
    assert len(entries_at_pretix(pretix, online_ticket["id"])) == 1

    # The next start opens on the pretix event, syncing, with nothing left to send.
    app.quit()
    again = app.start()
    assert again.window.context.event.slug == pretix.event
    (widget,) = again.window.statusBar().findChildren(SyncStatusWidget)
    qtbot.waitUntil(lambda: widget.online, timeout=15_000)
    assert widget.state_text() == "Online · 0 waiting"
    verdict = _scan(qtbot, again, offline_ticket["secret"])
    assert verdict is not None
    assert verdict.kind is VerdictKind.ALREADY_CHECKED_IN
    assert len(entries_at_pretix(pretix, offline_ticket["id"])) == 1
