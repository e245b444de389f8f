"""A real pretix server for the tests (``.ci/pretix-server``), started once per test process.

``.ci/run`` starts one and exports ``CHECKIN_TEST_PRETIX_*``; without them the first test that
asks starts one itself (installing pretix into the cache folder the first time) and stops it when
the process ends. A test is skipped, with the reason, only when pretix cannot be installed or
started here (``.ci/run`` says so in ``CHECKIN_TEST_PRETIX_UNAVAILABLE`` when its start failed).
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "pretix-server"


@dataclass(frozen=True)
class PretixServer:
    url: str
    token: str
    organizer: str
    event: str
    state: Path
    shop: dict[str, Any] = field(default_factory=dict)

    def api(self, path: str, method: str = "GET", body: Any = None) -> Any:
        """Ask pretix directly (to prove what arrived), as a test's own witness."""
        request = urllib.request.Request(
            f"{self.url}/api/v1/{path.lstrip('/')}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"null")

    def event_api(self, path: str, method: str = "GET", body: Any = None) -> Any:
        return self.api(f"organizers/{self.organizer}/events/{self.event}/{path.lstrip('/')}", method, body)


_server: PretixServer | None = None
_failure: str | None = None


def _from_env(env: dict[str, str]) -> PretixServer:
    state = Path(env["CHECKIN_TEST_PRETIX_STATE"])
    shop_file = state / "shop.json"
    return PretixServer(
        url=env["CHECKIN_TEST_PRETIX_URL"],
        token=env["CHECKIN_TEST_PRETIX_TOKEN"],
        organizer=env["CHECKIN_TEST_PRETIX_ORGANIZER"],
        event=env["CHECKIN_TEST_PRETIX_EVENT"],
        state=state,
        shop=json.loads(shop_file.read_text()) if shop_file.exists() else {},
    )


def pretix_server() -> PretixServer:
    """The running test pretix; skips the test (with why) only when none can be started."""
    global _server, _failure
    if _server is not None:
        return _server
    _failure = _failure or os.environ.get("CHECKIN_TEST_PRETIX_UNAVAILABLE") or None
    if _failure is not None:
        pytest.skip(_failure)
    if os.environ.get("CHECKIN_TEST_PRETIX_URL") and os.environ.get("CHECKIN_TEST_PRETIX_STATE"):
        _server = _from_env(dict(os.environ))
        return _server
    try:
        result = subprocess.run(
            [sys.executable, str(SCRIPT), "start"], capture_output=True, text=True, timeout=1200, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _failure = f"pretix could not be installed or started: {exc}"
        pytest.skip(_failure)
    if result.returncode != 0:
        _failure = "pretix could not be installed or started: " + result.stderr.strip()[-800:]
        pytest.skip(_failure)
    values = dict(
        line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines() if "=" in line
    )
    _server = _from_env(values)
    state = str(_server.state)
    atexit.register(
        lambda: subprocess.run(
            [sys.executable, str(SCRIPT), "stop", "--state", state], check=False, capture_output=True
        )
    )
    return _server


def make_tickets(pretix: PretixServer, count: int, *, status: str = "p") -> list[dict[str, Any]]:
    """``count`` fresh orders of one "Teilnahme" ticket each, made through pretix's API (so a test
    can run again against the same server, in any order): secret, position id, order code."""
    import uuid

    items = pretix.event_api("items/?page_size=50")["results"]
    item = next(i["id"] for i in items if "Teilnahme" in i["name"].values())
    made = []
    for _ in range(count):
        order = pretix.event_api(
            "orders/", "POST",
            {
                "email": "sync@example.org", "locale": "de", "sales_channel": "web", "status": status,
                "payment_provider": "manual",
                "positions": [{"item": item, "attendee_name_parts": {
                    "given_name": "Jörg", "family_name": f"Sync-{uuid.uuid4().hex[:8]}"}}],
            },
        )  # fmt: skip
        position = order["positions"][0]
        made.append({"secret": position["secret"], "id": position["id"], "order": order["code"]})
    return made


def entries_at_pretix(pretix: PretixServer, position_id: int) -> list[dict[str, Any]]:
    """pretix's successful check-ins of a position, asked of pretix (the witness)."""
    return list(pretix.event_api(f"orderpositions/{position_id}/")["checkins"])
