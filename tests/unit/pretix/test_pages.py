"""Pages read ahead but handed out in order; the download asks pretix for every field it reads."""

from __future__ import annotations

import ast
import threading
import time
import urllib.parse
from pathlib import Path

import checkin.pretix.positions as positions_module
from checkin.pretix.client import Page
from checkin.pretix.pages import pages_in_order
from checkin.pretix.service import ORDER_FIELDS

BASE = "http://pretix.test/api/v1/organizers/o/events/e/orders/?page_size=2"


class FakeClient:
    """Pages of two entries numbered like pretix's; later pages answer faster (so they finish first)."""

    def __init__(self, total: int, *, grow_to: int | None = None) -> None:
        self.total = total
        self.grow_to = grow_to
        self.asked: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()

    def page(self, url: str, *, what: str = "") -> Page:
        number = int(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("page", ["1"])[0])
        with self._lock:
            self.asked.append(number)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        time.sleep(0.02 / number)
        with self._lock:
            self.in_flight -= 1
        total = self.total if self.grow_to is None or number == 1 else self.grow_to
        entries = [{"n": n} for n in range((number - 1) * 2, min(number * 2, total))]
        has_next = number * 2 < total
        return Page(entries, f"{BASE}&page={number + 1}" if has_next else None, self.total)


def test_pages_come_in_order_while_the_next_ones_are_fetched_at_once():
    client = FakeClient(total=19)
    seen = [e["n"] for page in pages_in_order(client, BASE, ahead=3) for e in page.results]  # type: ignore[arg-type]
    assert seen == list(range(19))
    assert sorted(client.asked) == list(range(1, 11))  # each page once
    assert client.most_in_flight > 1


def test_more_orders_than_first_counted_are_followed_by_their_links():
    client = FakeClient(total=6, grow_to=10)
    seen = [e["n"] for page in pages_in_order(client, BASE, ahead=2) for e in page.results]  # type: ignore[arg-type]
    assert seen == list(range(10))


def test_a_resumed_download_starts_at_its_page():
    client = FakeClient(total=9)
    pages = list(pages_in_order(client, f"{BASE}&page=3", ahead=3))  # type: ignore[arg-type]
    assert [e["n"] for p in pages for e in p.results] == list(range(4, 9))
    assert pages[-1].next_url is None


def test_the_download_asks_for_every_order_and_position_field_positions_reads():
    """``include`` is a whitelist: a field read in positions.py but not asked for would be missing."""
    tree = ast.parse(Path(positions_module.__file__).read_text(encoding="utf-8"))
    read: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            read.add(f"{node.func.value.id}.{node.args[0].value}")
    prefixes = {"order": "", "position": "positions.", "invoice": "invoice_address."}
    wanted = {prefixes[name] + key for name, _, key in (r.partition(".") for r in read) if name in prefixes}
    assert wanted, "positions.py reads no order fields any more: update this test"
    wanted.discard("invoice_address")  # its parts are listed one by one
    assert wanted <= set(ORDER_FIELDS), sorted(wanted - set(ORDER_FIELDS))
