"""A window at a desk joined to a hub: it syncs by itself, keeps scanning when the network goes,
says so, and brings everything to the hub once when it is back (real PostgreSQL, a real TCP proxy).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin import i18n
from checkin.domain.changes import Changes
from checkin.domain.db import SCAN_WAIT_S, Database, open_database
from checkin.domain.events import EventService
from checkin.domain.log_notes import NoteKind
from checkin.domain.models import CheckInLogEntry, Registration
from checkin.presentation.formats import format_number
from checkin.sync.desk_link import DeskLink, link_for
from checkin.sync.join import join
from checkin.sync.online import OnlineFirstDesk
from checkin.sync.replica import status
from checkin.ui.main_window import MainWindow
from checkin.ui.sync_status import SyncBridge, attach_sync
from tests.helpers.desk import build_desk
from tests.helpers.people import DAY1
from tests.helpers.sync_hub import NOW, HubForTests
from tests.helpers.tcp_proxy import TcpProxy, proxy_to


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
def proxy(hub: HubForTests) -> Iterator[TcpProxy]:
    with proxy_to(hub.url) as made:
        yield made


class JoinedWindow:
    """A window over a joined desk's replica, its ``DeskLink`` running as the app runs it."""

    def __init__(self, window: MainWindow, link: DeskLink, bridge: SyncBridge, db: Database) -> None:
        self.window, self.link, self.bridge, self.db = window, link, bridge, db

    @property
    def widget(self):  # type: ignore[no-untyped-def]
        return self.bridge.widget

    def scan(self, code: str):  # type: ignore[no-untyped-def]
        return self.window.checkin_panel.submit_scan(code)


@pytest.fixture
def joined_window(qtbot, tmp_path: Path, clock) -> Iterator[Callable[..., JoinedWindow]]:  # type: ignore[no-untyped-def]
    made: list[JoinedWindow] = []

    def make(name: str, url: str, *, poll: bool = True) -> JoinedWindow:
        db = open_database(tmp_path / f"{name}.db")
        join(db, url, name)
        # Short bounds and intervals: the test waits seconds, not minutes.
        link = link_for(db, hub_url=url, bound=0.5, interval=0.3, timeout=1.0)
        assert link is not None
        event = EventService(db).get()
        context = build_desk(db, event, clock, desk=name)
        context.checkin = link.checkin_service(event, desk=name, clock=clock, scan_wait=SCAN_WAIT_S)
        context.sync = link
        window = MainWindow(context)
        qtbot.addWidget(window)
        if not poll:  # only the sync can bring other desks' facts now
            window.poller.stop()
        bridge = attach_sync(window, link, context.changes, event.tz)
        link.start()
        window.show()
        joined = JoinedWindow(window, link, bridge, db)
        made.append(joined)
        return joined

    yield make
    for joined in made:
        joined.link.stop()
        joined.window.close()
        joined.db.dispose()


def _hub_log(hub: HubForTests) -> list[tuple[int, str | None]]:
    with hub.db.read() as session:
        return [
            (row.registration_id, row.nonce)
            for row in session.execute(select(CheckInLogEntry.registration_id, CheckInLogEntry.nonce))
        ]


def test_the_window_keeps_scanning_offline_and_brings_every_scan_to_the_hub_once(
    qtbot, hub: HubForTests, proxy: TcpProxy, joined_window
):
    people = hub.people.add_many(7)
    desk = joined_window("Theke A", proxy.url_for(hub.url))
    qtbot.waitUntil(lambda: desk.widget.online, timeout=10_000)
    assert desk.widget.state_text().startswith("Online")

    online = desk.scan(people[0].code)
    assert online is not None
    assert online.kind.value == "checked_in"
    assert NoteKind.OFFLINE not in online.notes
    assert _hub_log(hub)
    assert len(_hub_log(hub)) == 1
    # The window holds the replica's id of the person, not the hub's (the right person opens).
    with desk.db.read() as session:
        local_id = session.scalar(select(Registration.id).where(Registration.code == people[0].code))
    assert online.person is not None
    assert online.person.registration_id == local_id

    proxy.cut()
    offline = [desk.scan(people[1].code), desk.scan(people[2].code)]
    assert all(v is not None and NoteKind.OFFLINE in v.notes for v in offline)
    band = desk.window.checkin_panel.verdict_view.band.text()
    assert "offline entschieden" in band
    qtbot.waitUntil(lambda: desk.link.offline_mode, timeout=10_000)

    queued = []
    for person in people[3:]:
        started = time.monotonic()
        verdict = desk.scan(person.code)
        assert time.monotonic() - started < 0.25  # offline mode: no scan waits for the hub
        assert verdict is not None
        assert verdict.kind.value == "checked_in"
        assert NoteKind.OFFLINE in verdict.notes
        queued.append(status(desk.db).queued)
        assert desk.widget.state_text().startswith("Offline seit ")
        assert f"{format_number(queued[-1])} warten" in desk.widget.state_text()
    assert queued == sorted(queued)
    assert queued[-1] > queued[0]
    assert len(_hub_log(hub)) == 1

    proxy.restore()  # back by itself: no one presses anything
    qtbot.waitUntil(lambda: desk.widget.online and status(desk.db).queued == 0, timeout=30_000)
    qtbot.waitUntil(lambda: "0 warten" in desk.widget.state_text(), timeout=5_000)
    assert desk.widget.state_text().startswith("Online")
    rows = _hub_log(hub)
    assert len(rows) == len(people)  # every scan exactly once
    assert len({nonce for _, nonce in rows}) == len(people)
    assert hub.conflicts() == []


def test_a_fact_made_at_another_desk_reaches_this_windows_views_by_itself(
    qtbot, hub: HubForTests, joined_window, clock
):
    people = hub.people.add_many(3)
    desk = joined_window("Theke A", hub.url, poll=False)  # the poller stopped: the sync alone
    qtbot.waitUntil(lambda: desk.widget.online, timeout=10_000)
    seen: list[Changes] = []
    desk.window.context.changes.changed.connect(seen.append)
    counter = desk.window.checkin_panel.counter
    counter.refresh()
    before = counter.text()

    other_db = open_database(Path(desk.db.url.removeprefix("sqlite:///")).with_name("B.db"))
    try:
        join(other_db, hub.url, "Theke B")
        other = OnlineFirstDesk(other_db, desk="Theke B", clock=lambda: NOW)
        try:
            started = time.monotonic()
            assert other.scan(people[1].code, day=DAY1).verdict.kind.value == "checked_in"
        finally:
            other.close()
        qtbot.waitUntil(lambda: counter.text() != before, timeout=5_000)
        assert time.monotonic() - started < 5
    finally:
        other_db.dispose()
    assert any(c.figures for c in seen)
    stats = desk.window.context.checkin.stats().day(DAY1)
    assert stats is not None
    assert stats.arrived >= 1
    # This desk now knows: the same person scanned here is "already checked in", by desk B.
    verdict = desk.scan(people[1].code)
    assert verdict is not None
    assert verdict.kind.value == "already_checked_in"
    assert verdict.first_checkin_desk == "Theke B"


def test_the_status_says_it_in_english_too(qtbot, hub: HubForTests, proxy: TcpProxy, joined_window):
    (person,) = hub.people.add_many(1)
    desk = joined_window("Desk A", proxy.url_for(hub.url))
    qtbot.waitUntil(lambda: desk.widget.online, timeout=10_000)
    desk.window.switch_language("en")
    assert i18n.current_language() == "en"
    assert desk.widget.state_text() == "Online · 0 waiting"
    proxy.cut()
    desk.scan(person.code)
    qtbot.waitUntil(lambda: not desk.widget.online, timeout=10_000)
    assert desk.widget.state_text().startswith("Offline since ")
    assert "(decided offline)" in desk.window.checkin_panel.verdict_view.band.text()
    with desk.db.read() as session:
        assert session.scalar(select(func.count()).select_from(CheckInLogEntry)) == 1
