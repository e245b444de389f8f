"""Ask pretix before anything is written: is the token good, which events has the organizer, may the
token read the event's orders? (The connection dialog's steps; pure requests, no database writes.)

``PretixService.connect`` writes the local event before it downloads the orders, so a token that
may see the event but not its orders would leave a half-made event behind. ``check_access`` asks
for one order first: every refusal (wrong token, no permission, no such event, a server error, a
slow or garbled answer) is then a ``PretixError`` sentence while the local data is still untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from checkin.i18n import _
from checkin.pretix.catalog import PretixEvent, event_path, i18n_text, read_event, unknown_organizer
from checkin.pretix.client import PretixClient, PretixError

if TYPE_CHECKING:
    from checkin.domain.db import Database


@dataclass(frozen=True)
class OrganizerEvent:
    slug: str
    name: str
    has_subevents: bool = False


@dataclass(frozen=True)
class StoredConnection:
    """What the local event remembers of its pretix connection (never the token itself)."""

    url: str
    organizer: str
    event: str
    checkin_list_id: int | None
    has_token: bool


def organizer_events(client: PretixClient, organizer: str) -> list[OrganizerEvent]:
    """The organizer's events, newest first; raises a ``PretixError`` sentence for a bad token or
    an unknown organizer."""
    what = _("the events of the organizer '{organizer}'").format(organizer=organizer)
    try:
        rows = client.all(f"organizers/{organizer}/events/", {"ordering": "-date_from"}, what=what)
    except PretixError as exc:
        raise unknown_organizer(client, organizer, exc) from None
    return [
        OrganizerEvent(
            slug=str(row["slug"]),
            name=i18n_text(row.get("name")) or str(row["slug"]),
            has_subevents=bool(row.get("has_subevents")),
        )
        for row in rows
        if row.get("slug")
    ]


def check_access(client: PretixClient, organizer: str, event: str) -> PretixEvent:
    """The event's catalogue, after making sure the token may also read its orders."""
    pevent = read_event(client, organizer, event)
    what = _("the orders of '{event}'").format(event=event)
    client.get(event_path(organizer, event) + "orders/", {"page_size": 1}, what=what)
    return pevent


def token_or_stored(typed: str, stored_name: str | None) -> str:
    """The token typed into the dialog, else the one kept in the secrets store for this connection."""
    if typed.strip():
        return typed.strip()
    if stored_name:
        from checkin.domain.secrets import load_secret

        return load_secret(stored_name) or ""
    return ""


def stored_connection(db: Database, event_id: int) -> tuple[StoredConnection, str] | None:
    """The event's pretix connection and the name its token is kept under, or None."""
    from checkin.domain.secrets import load_secret
    from checkin.pretix.store import connection_of

    with db.read() as session:
        row = connection_of(session, event_id)
        if row is None:
            return None
        stored = StoredConnection(row.url, row.organizer, row.event_slug, row.checkin_list_id, False)
        name = row.token_name
    return replace(stored, has_token=bool(load_secret(name))), name


__all__ = [
    "OrganizerEvent",
    "StoredConnection",
    "check_access",
    "organizer_events",
    "stored_connection",
    "token_or_stored",
]
