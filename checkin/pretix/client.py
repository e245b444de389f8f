"""A small client for pretix's REST API (``/api/v1/``): token auth, timeouts, pages, errors in words.

Standard library only (``urllib``): the API is plain JSON over HTTP(S), a desk makes at most a few
requests a second, and no new dependency has to be installed, audited and kept up to date for it.

The token is sent in the ``Authorization`` header and nowhere else: it never appears in a message,
a ``repr`` or a log line. Every failure is a ``PretixError`` (a ``UserError``) whose text says in the
user's language what went wrong and what to check; ``kind`` says it as a fact for callers and tests.
"""

from __future__ import annotations

import enum
import json
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from checkin.domain.errors import UserError
from checkin.i18n import _

DEFAULT_TIMEOUT = 15.0
# pretix caps its pages at 50 entries unless the instance allows more; asking for more is harmless.
PAGE_SIZE = 50
_USER_AGENT = "checkin (entrance desk; +pretix API client)"


class PretixErrorKind(enum.StrEnum):
    BAD_URL = "bad_url"
    UNREACHABLE = "unreachable"  # refused, unknown host, TLS, network down
    TIMEOUT = "timeout"
    UNAUTHORIZED = "unauthorized"  # 401: wrong or revoked token
    FORBIDDEN = "forbidden"  # 403: token without the permission
    NOT_FOUND = "not_found"  # 404
    REFUSED = "refused"  # other 4xx: pretix refused the request as sent
    SERVER = "server"  # 5xx
    BAD_ANSWER = "bad_answer"  # not JSON, or not the JSON expected


class PretixError(UserError):
    """pretix could not be asked or did not answer as expected; ``str()`` is a sentence for the user."""

    def __init__(self, kind: PretixErrorKind, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class Page:
    """One page of a list answer: its entries and the address of the next page (None: last page)."""

    results: list[dict[str, Any]]
    next_url: str | None
    count: int | None
    # pretix's clock when it made the page (header X-Page-Generated): the next modified_since.
    generated: str | None = None


Opener = Callable[[urllib.request.Request, float], Any]


def _default_opener(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(request, timeout=timeout)


def normalise_url(url: str) -> str:
    """``https://pretix.eu/`` → ``https://pretix.eu``; refuses what is not an http(s) address."""
    text = (url or "").strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PretixError(
            PretixErrorKind.BAD_URL,
            _("'{url}' is not a web address of a pretix server (like https://pretix.eu).").format(url=text),
        )
    path = parts.path.rstrip("/")
    if path.endswith("/api/v1"):
        path = path[: -len("/api/v1")]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class PretixClient:
    """Requests against one pretix server with one API token."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        opener: Opener | None = None,
    ) -> None:
        self.base_url = normalise_url(url)
        self._token = token.strip()
        if not self._token:
            raise PretixError(PretixErrorKind.UNAUTHORIZED, _("No pretix API token was given."))
        self.timeout = timeout
        self._open = opener or _default_opener
        self._host = urllib.parse.urlsplit(self.base_url).netloc

    @property
    def host(self) -> str:
        return self._host

    def __repr__(self) -> str:  # never the token
        return f"PretixClient({self.base_url!r})"

    # ------------------------------------------------------------------ requests

    def api_url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        url = f"{self.base_url}/api/v1/{path.lstrip('/')}"
        if params:
            query = {k: v for k, v in params.items() if v is not None}
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        return url

    def get(self, path: str, params: Mapping[str, Any] | None = None, *, what: str = "") -> Any:
        return self.request("GET", self.api_url(path, params), what=what)

    def post(self, path: str, body: Any, *, what: str = "", timeout: float | None = None) -> Any:
        return self.request("POST", self.api_url(path), body=body, what=what, timeout=timeout)

    def request(
        self,
        method: str,
        url: str,
        *,
        body: Any = None,
        what: str = "",
        timeout: float | None = None,
        accept: tuple[int, ...] = (),
    ) -> Any:
        return self.exchange(method, url, body=body, what=what, timeout=timeout, accept=accept)[2]

    def exchange(
        self,
        method: str,
        url: str,
        *,
        body: Any = None,
        what: str = "",
        timeout: float | None = None,
        accept: tuple[int, ...] = (),
    ) -> tuple[int, dict[str, str], Any]:
        """One request; returns its status, headers (lower-case names) and decoded JSON answer.

        ``what`` names the thing asked for in a 404 message ("the event 'x'");
        ``accept`` lists 4xx statuses whose JSON answer is returned instead of raised
        (pretix answers a refused check-in with 400 and its reason).
        """
        if not url.startswith(self.base_url + "/"):
            # A "next" link pointing elsewhere would carry the token to another host.
            raise PretixError(
                PretixErrorKind.BAD_ANSWER,
                _("pretix at {host} pointed to a page on another server; nothing was loaded from it.").format(
                    host=self._host
                ),
            )
        data = None
        headers = {
            "Authorization": f"Token {self._token}",
            "Accept": "application/json",
            "User-Agent": _USER_AGENT,
        }
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        wait = self.timeout if timeout is None else timeout
        try:
            with self._open(request, wait) as answer:
                status, raw = answer.status, answer.read()
                headers = {k.lower(): v for k, v in answer.headers.items()}
        except urllib.error.HTTPError as exc:
            status, headers = exc.code, {}
            try:
                raw = exc.read()
            except (OSError, ValueError):
                raw = b""
            finally:
                exc.close()
            if status not in accept:
                raise self._http_error(status, raw, what) from None
        except TimeoutError as exc:
            raise self._timeout(wait) from exc
        except urllib.error.URLError as exc:
            raise self._unreachable(exc.reason, wait) from exc
        except (ConnectionError, OSError) as exc:  # reset while reading, or similar
            raise self._unreachable(exc, wait) from exc
        return status, headers, self._decode(raw)

    def _decode(self, raw: bytes) -> Any:
        try:
            return json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError) as exc:
            raise PretixError(
                PretixErrorKind.BAD_ANSWER,
                _(
                    "pretix at {host} sent an answer that is not valid JSON. Is the address that of "
                    "a pretix server? Nothing was changed."
                ).format(host=self._host),
            ) from exc

    def _timeout(self, wait: float) -> PretixError:
        return PretixError(
            PretixErrorKind.TIMEOUT,
            _("pretix at {host} did not answer within {seconds} seconds. Nothing was changed.").format(
                host=self._host, seconds=f"{wait:g}"
            ),
        )

    def _unreachable(self, reason: Any, wait: float) -> PretixError:
        if isinstance(reason, TimeoutError | socket.timeout):
            return self._timeout(wait)
        if isinstance(reason, socket.gaierror):
            text = _("The server name {host} is unknown. Check the address and the internet connection.")
        elif isinstance(reason, ConnectionRefusedError):
            text = _("{host} refused the connection: no pretix is running at this address (or port).")
        elif isinstance(reason, ssl.SSLError | ssl.CertificateError):
            text = _("The secure connection to {host} failed (certificate or TLS). Check the address.")
        else:
            text = _("pretix at {host} cannot be reached. Check the address and the internet connection.")
        return PretixError(PretixErrorKind.UNREACHABLE, text.format(host=self._host))

    def _http_error(self, status: int, raw: bytes, what: str) -> PretixError:
        host = self._host
        if status == 401:
            return PretixError(
                PretixErrorKind.UNAUTHORIZED,
                _(
                    "pretix at {host} does not accept the API token (wrong, mistyped or revoked). Create "
                    "a token under Organizer → Teams → API tokens and enter it again."
                ).format(host=host),
                status,
            )
        if status == 403:
            return PretixError(
                PretixErrorKind.FORBIDDEN,
                _(
                    "The API token has no permission for {what} at {host}. Give its team access to the "
                    "event with the permissions to view orders and to check in."
                ).format(what=what or _("this request"), host=host),
                status,
            )
        if status == 404:
            return PretixError(
                PretixErrorKind.NOT_FOUND,
                _(
                    "pretix at {host} does not know {what}. Check the organizer's and the event's short form."
                ).format(what=what or _("the requested address"), host=host),
                status,
            )
        if status >= 500:
            return PretixError(
                PretixErrorKind.SERVER,
                _(
                    "pretix at {host} answered with a server error ({status}). Try again in a few minutes; "
                    "nothing was changed."
                ).format(host=host, status=status),
                status,
            )
        detail = _error_detail(raw)
        return PretixError(
            PretixErrorKind.REFUSED,
            _("pretix at {host} refused the request ({status}): {detail}").format(
                host=host, status=status, detail=detail or "—"
            ),
            status,
        )

    # ------------------------------------------------------------------ pages

    def page(self, url: str, *, what: str = "") -> Page:
        """One page of a list; ``url`` as returned by ``list_url`` or a previous page's ``next_url``."""
        _status, headers, answer = self.exchange("GET", url, what=what)
        if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
            raise PretixError(
                PretixErrorKind.BAD_ANSWER,
                _("pretix at {host} sent a list in a form this version of checkin does not know.").format(
                    host=self._host
                ),
            )
        next_url = answer.get("next")
        return Page(
            results=[r for r in answer["results"] if isinstance(r, dict)],
            next_url=next_url if isinstance(next_url, str) and next_url else None,
            count=answer.get("count") if isinstance(answer.get("count"), int) else None,
            generated=headers.get("x-page-generated"),
        )

    def list_url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        return self.api_url(path, {"page_size": PAGE_SIZE, **(params or {})})

    def pages(self, path: str, params: Mapping[str, Any] | None = None, *, what: str = "") -> Iterator[Page]:
        url: str | None = self.list_url(path, params)
        while url is not None:
            page = self.page(url, what=what)
            yield page
            url = page.next_url

    def all(
        self, path: str, params: Mapping[str, Any] | None = None, *, what: str = ""
    ) -> list[dict[str, Any]]:
        return [entry for page in self.pages(path, params, what=what) for entry in page.results]


def _error_detail(raw: bytes) -> str:
    """pretix's own words from a 4xx answer ({"detail": ...} or {"field": ["..."]}), shortened."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if isinstance(data, dict):
        if isinstance(data.get("detail"), str):
            return data["detail"][:300]
        parts = [f"{k}: {v[0] if isinstance(v, list) and v else v}" for k, v in data.items()]
        return "; ".join(parts)[:300]
    if isinstance(data, list):
        return "; ".join(str(x) for x in data)[:300]
    return ""
