"""A TCP proxy the test controls, between a desk and its hub: cut, delay, restore.

``cut()`` drops every open connection and refuses new ones (what a desk sees when the
network goes away and comes back: its connections are dead); ``hang()`` keeps
accepting but forwards nothing (a pulled cable: no answer at all); ``delay(s)`` holds
every chunk ``s`` seconds; ``restore()`` forwards normally again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._mode = "open"
        self._delay = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ control
    def cut(self) -> None:
        with self._lock:
            self._mode = "cut"
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def hang(self) -> None:
        with self._lock:
            self._mode = "hang"

    def delay(self, seconds: float) -> None:
        with self._lock:
            self._delay = seconds

    def restore(self) -> None:
        with self._lock:
            self._mode = "open"
            self._delay = 0.0

    def close(self) -> None:
        self._stop.set()
        self.cut()
        self._thread.join(timeout=2)
        self._server.close()

    def url_for(self, url: str) -> str:
        """``url`` (a PostgreSQL URL) pointed at this proxy."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    # ------------------------------------------------------------------ forwarding
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                mode = self._mode
            if mode == "cut":
                client.close()
                continue
            try:
                upstream = socket.create_connection(self._upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                while True:
                    with self._lock:
                        mode, delay = self._mode, self._delay
                    if mode != "hang":
                        break
                    time.sleep(0.05)
                if mode == "cut":
                    break
                if delay:
                    time.sleep(delay)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            with self._lock:
                self._sockets.discard(source)
                self._sockets.discard(target)


@contextmanager
def proxy_to(url: str) -> Iterator[TcpProxy]:
    """A proxy in front of the PostgreSQL server of ``url``."""
    parsed = make_url(url)
    proxy = TcpProxy(parsed.host or "localhost", parsed.port or 5432)
    try:
        yield proxy
    finally:
        proxy.close()


__all__ = ["TcpProxy", "proxy_to"]
