"""A list of pretix pages read in order while the next few are already on their way.

pretix numbers its pages (``?page=N``, at most 50 entries each) and says how many entries there
are, so once the first page is in, the addresses of all the others are known. Up to ``ahead``
pages are requested at once; they are handed out strictly in order, so a caller that commits
each page with the address of the next one can still resume exactly where it stopped.
"""

from __future__ import annotations

import math
import urllib.parse
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from checkin.pretix.client import Page, PretixClient

DEFAULT_AHEAD = 3


def _numbered(url: str, number: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(number)))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _page_number(url: str | None) -> int | None:
    if not url:
        return None
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("page")
    return int(values[0]) if values and values[0].isdigit() else None


def pages_in_order(
    client: PretixClient, url: str, *, what: str = "", ahead: int = DEFAULT_AHEAD
) -> Iterator[Page]:
    """Every page from ``url`` on, in order; the following ones fetched ``ahead`` at a time."""
    with ThreadPoolExecutor(max_workers=max(1, ahead), thread_name_prefix="pretix-page") as pool:
        first = pool.submit(client.page, url, what=what)
        queue: deque[Future[Page]] = deque([first])
        planned: int | None = None  # the last page number requested
        last: int | None = None  # the last page number there is
        try:
            while queue:
                page = queue.popleft().result()
                yield page
                if page.next_url is None:
                    return
                number = _page_number(page.next_url)
                if number is None or page.count is None or not page.results:
                    queue.append(pool.submit(client.page, page.next_url, what=what))  # follow the link
                    continue
                if last is None:
                    last = math.ceil(page.count / len(page.results))  # a page with a next one is full
                    planned = number - 1
                assert planned is not None
                while planned < last and len(queue) < ahead:
                    planned += 1
                    queue.append(pool.submit(client.page, _numbered(page.next_url, planned), what=what))
                if not queue:  # pretix has more than it counted at first: follow its link
                    planned = number
                    queue.append(pool.submit(client.page, page.next_url, what=what))
        finally:
            for pending in queue:
                pending.cancel()


__all__ = ["DEFAULT_AHEAD", "pages_in_order"]
