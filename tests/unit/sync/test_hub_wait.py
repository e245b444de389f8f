"""How long a scan at a joined desk waits for the hub is a setting (``link_for(bound=...)``, the
CLI's ``scan --hub-wait``): a hub slower than that wait leaves the decision to the desk."""

from __future__ import annotations

import json

import pytest

from checkin.cli import main
from checkin.sync.desk_link import link_for
from checkin.sync.online import DEFAULT_BOUND
from checkin.ui.settings import DeskSettings
from tests.helpers.people import DAY1
from tests.helpers.sync_hub import NOW, HubForTests
from tests.helpers.tcp_proxy import proxy_to

# Every chunk between desk and hub is held this long: connecting and asking take several.
HUB_DELAY_S = 0.4


def test_the_desks_default_wait_is_the_links():
    assert DeskSettings().hub_wait_seconds() == DEFAULT_BOUND


def test_a_hub_slower_than_the_links_wait_leaves_the_scan_to_the_desk(hub: HubForTests, make_desk):
    (person,) = hub.people.add_many(1)
    with proxy_to(hub.url) as proxy:
        url = proxy.url_for(hub.url)
        desk = make_desk("A", connect_url=url)
        proxy.delay(HUB_DELAY_S)
        link = link_for(desk.db, bound=0.2, hub_url=url)
        assert link is not None
        assert link.bound == 0.2
        service = link.checkin_service(desk.event, desk="A", clock=lambda: NOW)
        try:
            assert service.online is not None
            result = service.online.scan(person.code, day=DAY1)
        finally:
            link.stop()
    assert result.verdict.kind.value == "checked_in"
    assert result.offline is True
    assert result.reason == "timeout"  # the hub was asked and did not answer in time


def test_scan_hub_wait_decides_how_long_the_cli_waits_for_the_hub(hub: HubForTests, make_desk, capsys):
    people = hub.people.add_many(2)
    with proxy_to(hub.url) as proxy:
        desk = make_desk("A", connect_url=proxy.url_for(hub.url))
        local = desk.db.url.removeprefix("sqlite:///")
        desk.db.dispose()
        proxy.delay(HUB_DELAY_S)
        scan = ["--db", local, "scan", "--day", DAY1.isoformat(), "--json"]
        # The same slow hub: waited for long enough it decides; waited for briefly it does not.
        assert main([*scan, people[0].code, "--hub-wait", "30"]) == 0
        assert json.loads(capsys.readouterr().out)["offline"] is False
        assert main([*scan, people[1].code, "--hub-wait", "0.2"]) == 0
        assert json.loads(capsys.readouterr().out)["offline"] is True


@pytest.mark.parametrize("wait", ["0", "-1", "soon", "61"])
def test_scan_hub_wait_refuses_what_is_no_wait(wait: str, capsys):  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "ABC", "--hub-wait", wait])
    assert exit_info.value.code == 2
    assert "--hub-wait" in capsys.readouterr().err
