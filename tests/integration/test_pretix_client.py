"""The pretix client against a real pretix (.ci/pretix-server): every bad input is a clear sentence.

Wrong address, refused connection, wrong token, token without permission and unknown event are
asked of the real server. A server error, a slow answer and a page of broken JSON cannot be made
to happen in a healthy pretix, so a small real HTTP server on loopback plays that part (it relays
to the real pretix where it should).
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from checkin import i18n
from checkin.pretix.catalog import read_event
from checkin.pretix.client import PretixClient, PretixError, PretixErrorKind
from tests.helpers.pretix import PretixServer, pretix_server


@pytest.fixture
def pretix() -> PretixServer:
    return pretix_server()


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")
    yield
    i18n.set_language("de")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _http_server(handle: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            handle(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _fails(kind: PretixErrorKind, call: Callable[[], object]) -> PretixError:
    with pytest.raises(PretixError) as caught:
        call()
    assert caught.value.kind == kind, str(caught.value)
    return caught.value


def test_the_event_is_read_with_the_token(pretix: PretixServer):
    client = PretixClient(pretix.url, pretix.token)
    event = client.get(f"organizers/{pretix.organizer}/events/{pretix.event}/")
    assert event["slug"] == pretix.event
    assert pretix.token not in repr(client)


def test_pages_are_followed_to_the_end(pretix: PretixServer):
    client = PretixClient(pretix.url, pretix.token)
    path = f"organizers/{pretix.organizer}/events/{pretix.event}/orders/"
    pages = list(client.pages(path, {"page_size": 3}))
    assert len(pages) >= 3
    assert sum(len(p.results) for p in pages) == pages[0].count
    assert pages[0].generated  # pretix's own clock, for modified_since


def test_wrong_address_and_refused_connection(pretix: PretixServer):
    assert "not a web address" in str(
        _fails(PretixErrorKind.BAD_URL, lambda: PretixClient("pretix.example", "t"))
    )
    client = PretixClient(f"http://127.0.0.1:{_free_port()}", pretix.token, timeout=5)
    error = _fails(PretixErrorKind.UNREACHABLE, lambda: client.get("organizers/"))
    assert "refused the connection" in str(error)


def test_wrong_token_is_401_in_words_and_the_token_is_not_in_the_message(pretix: PretixServer):
    wrong = "x" * 64
    client = PretixClient(pretix.url, wrong)
    error = _fails(PretixErrorKind.UNAUTHORIZED, lambda: client.get(f"organizers/{pretix.organizer}/events/"))
    assert error.status == 401
    assert wrong not in str(error)
    assert "API token" in str(error)


def test_token_without_permission_is_403(pretix: PretixServer):
    token = pretix.shop.get("token_without_permission")
    if not token:
        pytest.fail("the test shop has no token without permission (.ci/pretix-server's shop script)")
    client = PretixClient(pretix.url, token)
    error = _fails(
        PretixErrorKind.FORBIDDEN,
        lambda: client.get(f"organizers/{pretix.organizer}/events/{pretix.event}/orders/", what="the orders"),
    )
    assert "no permission for the orders" in str(error)


def test_unknown_event_and_unknown_organizer_in_words(pretix: PretixServer):
    """pretix answers 403 for both; the organizer's list of events tells them apart."""
    client = PretixClient(pretix.url, pretix.token)
    error = _fails(PretixErrorKind.NOT_FOUND, lambda: read_event(client, pretix.organizer, "no-such-event"))
    assert f"The organizer '{pretix.organizer}' has no event 'no-such-event'" in str(error)
    assert f"Its events: {pretix.event}." in str(error)
    error = _fails(PretixErrorKind.NOT_FOUND, lambda: read_event(client, "no-such-org", pretix.event))
    assert "does not know the organizer 'no-such-org'" in str(error)
    with pytest.raises(PretixError, match="does not know the requested address"):
        client.get("organizers/no-such-org/nothing-here/")


def test_the_message_is_in_the_users_language(pretix: PretixServer):
    i18n.set_language("de")
    client = PretixClient(pretix.url, "y" * 64)
    error = _fails(PretixErrorKind.UNAUTHORIZED, lambda: client.get("organizers/"))
    assert "akzeptiert das API-Token nicht" in str(error)


def test_server_error_slow_answer_and_broken_json():
    def server_error(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(502)
        handler.end_headers()
        handler.wfile.write(b"<html>Bad Gateway</html>")

    with _http_server(server_error) as url:
        error = _fails(PretixErrorKind.SERVER, lambda: PretixClient(url, "t").get("organizers/"))
        assert "server error (502)" in str(error)

    def slow(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(2)
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"{}")

    with _http_server(slow) as url:
        started = time.monotonic()
        error = _fails(
            PretixErrorKind.TIMEOUT, lambda: PretixClient(url, "t", timeout=0.5).get("organizers/")
        )
        assert time.monotonic() - started < 1.8
        assert "did not answer within 0.5 seconds" in str(error)

    def broken(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.wfile.write(b'{"count": 3, "results": [{"id": 1}')

    with _http_server(broken) as url:
        error = _fails(PretixErrorKind.BAD_ANSWER, lambda: PretixClient(url, "t").page(f"{url}/api/v1/x/"))
        assert "not valid JSON" in str(error)


def test_a_next_page_on_another_server_is_not_followed(pretix: PretixServer):
    """A "next" link to another host would send the token there: refused."""

    def relay(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.wfile.write(
            b'{"count": 2, "next": "http://198.51.100.7/api/v1/x/?page=2", "results": [{"id": 1}]}'
        )

    with _http_server(relay) as url:
        client = PretixClient(url, "t")
        first = client.page(client.list_url("x/"))
        assert first.next_url == "http://198.51.100.7/api/v1/x/?page=2"
        _fails(PretixErrorKind.BAD_ANSWER, lambda: client.page(first.next_url or ""))


def test_token_is_sent_only_in_the_header(pretix: PretixServer):
    seen: list[str] = []

    def record(handler: http.server.BaseHTTPRequestHandler) -> None:
        seen.append(handler.path)
        seen.append(handler.headers.get("Authorization", ""))
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"[]")

    with _http_server(record) as url:
        PretixClient(url, "abc123").get("organizers/", {"q": "1"})
    assert seen == ["/api/v1/organizers/?q=1", "Token abc123"]
