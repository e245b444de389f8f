"""A joined desk's sync state and the failures of a join, in words.

``sync_state_text`` and its parts feed the window's status bar ("Offline seit 10:42",
"3 warten"); ``join_failure_text`` turns what went wrong when a desk joins a hub (a
mistyped URL, a wrong password, a hub that does not answer) into a sentence for the
person at the desk, without the driver's jargon.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

from checkin.domain.errors import UserError
from checkin.i18n import _, ngettext
from checkin.presentation.formats import format_number, format_time


def online_text(online: bool, since: dt.datetime | None, *, tz: dt.tzinfo | None = None) -> str:
    """ "Online", or "Offline since 10:42" (just "Offline" when the moment is not known)."""
    if online:
        return _("Online")
    if since is None:
        return _("Offline")
    return _("Offline since {time}").format(time=format_time(since, tz=tz))


def queued_text(count: int) -> str:
    """How many facts of this desk wait to be sent to the hub."""
    return ngettext("{n} waiting", "{n} waiting", count).format(n=format_number(count))


def conflicts_text(count: int) -> str:
    return ngettext("{n} conflict", "{n} conflicts", count).format(n=format_number(count))


def sync_tooltip(online: bool, last_download: dt.datetime | None, error: str, *, tz: dt.tzinfo | None) -> str:
    """The longer story behind the status: when the desk last heard from the hub, and why not now."""
    lines = [
        _("This desk works from its own copy of the event and sends its records to the hub.")
        if online
        else _("The hub does not answer: this desk decides alone and keeps every record until it is back.")
    ]
    if last_download is not None:
        lines.append(_("Last heard from the hub: {time}").format(time=format_time(last_download, tz=tz)))
    if not online and error:
        lines.append(error)
    return "\n".join(lines)


class JoinFailure(enum.StrEnum):
    """Why joining a hub failed, as far as the desk can tell."""

    BAD_URL = "bad_url"
    UNKNOWN_HOST = "unknown_host"
    UNREACHABLE = "unreachable"
    LOGIN = "login"
    NO_DATABASE = "no_database"
    OTHER = "other"


# What libpq says, in the order asked (a wrong user is a refused login, not a missing database).
_SIGNS: tuple[tuple[JoinFailure, str], ...] = (
    (JoinFailure.LOGIN, r"password authentication failed|no password supplied|role \".*\" does not exist"),
    (JoinFailure.NO_DATABASE, r"database \".*\" does not exist"),
    (
        JoinFailure.UNKNOWN_HOST,
        r"could not translate host name|name or service not known|nodename nor servname",
    ),
    (
        JoinFailure.UNREACHABLE,
        r"connection refused|timeout expired|timed out|no route to host|network is unreachable"
        r"|server closed the connection|connection reset|could not connect|connection failed",
    ),
)


def classify_join_failure(error: BaseException) -> JoinFailure:
    """What kind of failure ``error`` (raised by ``checkin.sync.join.join``) is."""
    from sqlalchemy.exc import ArgumentError

    chain: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or getattr(cause, "orig", None) or cause.__context__
    if any(isinstance(e, ArgumentError) for e in chain):
        return JoinFailure.BAD_URL
    # libpq's own words (English whatever the desk's language) travel inside the errors.
    text = " ".join(str(e) for e in chain).lower()
    for kind, pattern in _SIGNS:
        if re.search(pattern, text):
            return kind
    return JoinFailure.OTHER


def join_failure_text(error: BaseException) -> str:
    """A sentence saying why the desk could not join, and what to check."""
    kind = classify_join_failure(error)
    texts = {
        JoinFailure.BAD_URL: _(
            "The hub's address cannot be read. It looks like postgresql+psycopg://user@server/database."
        ),
        JoinFailure.UNKNOWN_HOST: _("The server name in the hub's address is not known: check its spelling."),
        JoinFailure.UNREACHABLE: _(
            "The hub does not answer: check the network and that the server runs, then try again "
            "(what was downloaded is kept)."
        ),
        JoinFailure.LOGIN: _("The hub refused the user name or password."),
        JoinFailure.NO_DATABASE: _("The server has no database of that name: check the end of the address."),
    }
    if kind is JoinFailure.OTHER:
        if isinstance(error, UserError):  # the join's own sentences (no event there, file not empty ...)
            return str(error)
        return _("The desk could not join the hub: {reason}").format(reason=str(error))
    return texts[kind]


__all__ = [
    "JoinFailure",
    "classify_join_failure",
    "conflicts_text",
    "join_failure_text",
    "online_text",
    "queued_text",
    "sync_tooltip",
]
