"""Connect a local event to a pretix event and download its registrations.

``PretixService.connect`` checks the token and the event (nothing is written when pretix refuses
or cannot be reached), creates or updates the local event through ``EventService.load_definition``
(name, dates as days, venue, time zone; role categories and workshop sessions the products and the
workshop question need), stores the mapping and the connection (the token goes to the secrets
store), and downloads every order position.

``download`` is resumable: each page of orders is applied in its own write transaction together
with the address of the next page, so an interrupted first download continues where it stopped;
later downloads ask only for orders changed since pretix's own clock of the last complete one
(``modified_since``). Applying a position is an upsert, so reading one twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checkin.domain.changes import Changes
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.eventfile import parse_event_definition
from checkin.domain.events import EventInfo, EventNotFoundError, EventService
from checkin.domain.models import PretixConnection
from checkin.domain.progress import Progress, check_cancelled
from checkin.i18n import _
from checkin.pretix.catalog import PretixEvent, event_path, read_event
from checkin.pretix.client import PretixClient
from checkin.pretix.desk import attach_desk, pretix_hub_url
from checkin.pretix.mapping import LocalCategory, LocalSession, MappingRow, default_mapping, plan_event
from checkin.pretix.pages import pages_in_order
from checkin.pretix.positions import position_values
from checkin.pretix.store import DownloadCounts, apply_positions, connection_of, load_mapping, save_mapping
from checkin.sync.replica_schema import set_applying

ClientFactory = Callable[[str, str], PretixClient]
# The fields of an order (and its positions) the download asks for (pretix's ``include``): what
# ``positions.position_values`` reads. A test holds this list to that module's reads.
ORDER_FIELDS = (
    "code", "status", "email", "require_approval", "valid_if_pending",
    "invoice_address.company", "invoice_address.name", "invoice_address.name_parts",
    "positions.id", "positions.item", "positions.variation", "positions.secret", "positions.addon_to",
    "positions.answers", "positions.attendee_email", "positions.attendee_name",
    "positions.attendee_name_parts", "positions.canceled", "positions.company", "positions.blocked",
    "positions.valid_from", "positions.valid_until",
)  # fmt: skip
# What pretix need not even load for such a page.
ORDER_EXCLUDED = ("fees", "payments", "refunds", "customer")


class PretixSetupError(UserError):
    """The pretix connection cannot be set up or used as asked; the message is for the user."""


@dataclass(frozen=True)
class ConnectResult:
    event: EventInfo
    checkin_list: tuple[int, str] | None
    mapping: tuple[MappingRow, ...]
    download: DownloadResult


@dataclass(frozen=True)
class DownloadResult:
    added: int
    updated: int
    unchanged: int
    cancelled: int
    positions: int
    skipped: dict[str, int]
    complete: bool
    changes: Changes = field(default_factory=Changes)


def token_name(url: str, organizer: str, event: str) -> str:
    return f"pretix:{url}/{organizer}/{event}"


def _local_categories(info: EventInfo) -> list[LocalCategory]:
    return [LocalCategory(c.key, c.name, c.aliases, c.is_default) for c in info.categories]


def _local_sessions(info: EventInfo) -> list[LocalSession]:
    return [LocalSession(s.key, s.title, s.day, s.is_workshop) for s in info.sessions]


def _definition(pevent: PretixEvent, slug: str, existing: EventInfo | None) -> Any:
    """The local event as an event-file document: what it had, plus what pretix says."""
    days = [d.date for d in existing.days] if existing else []
    categories = (
        _local_categories(existing) if existing else [LocalCategory("participant", "Teilnehmer/in", (), True)]
    )
    sessions = _local_sessions(existing) if existing else []
    plan = plan_event(pevent, days, categories, sessions, existing.workshop_label if existing else "")
    if not plan.days:
        raise PretixSetupError(
            _("The pretix event '{event}' has no date; give it one in pretix first.").format(
                event=pevent.slug
            )
        )
    data: dict[str, Any] = dict(existing.definition) if existing else {}
    head = dict(data.get("event") or {})
    head.update(
        slug=slug, name=pevent.name[:300], timezone=pevent.timezone, workshop_label=plan.workshop_label
    )
    if pevent.venue:
        head["venue"] = pevent.venue[:300]
    head.pop("secret", None)
    data["event"] = head
    labels = {d.date: d.label for d in existing.days} if existing else {}
    data["days"] = [{"date": d.isoformat(), "label": labels.get(d, "")} for d in plan.days]
    if existing:
        data["categories"] = [
            {
                "key": c.key,
                "name": c.name,
                "colour": c.colour,
                "badge_label": c.badge_label if c.badge_label != c.name else "",
                "default": c.is_default,
                "aliases": list(c.aliases),
            }
            for c in existing.categories
            if not c.key.startswith("import-")
        ]
        data["sessions"] = [
            {
                "key": s.key,
                "title": s.title,
                "kind": s.kind,
                "day": s.day.isoformat(),
                "start": s.start.isoformat("minutes") if s.start else "",
                "end": s.end.isoformat("minutes") if s.end else "",
                "room": s.room,
                "capacity": s.capacity,
                "speakers": s.speakers,
            }
            for s in existing.sessions
        ]
        for item in data["sessions"]:
            if item["capacity"] is None:
                del item["capacity"]
    else:
        data["categories"] = [{"key": "participant", "name": "Teilnehmer/in", "default": True}]
        data["sessions"] = []
    for key, name, colour in plan.categories:
        data["categories"].append({"key": key, "name": name, "colour": colour})
    for s in plan.sessions:
        data["sessions"].append(
            {"key": s.key, "title": s.title, "kind": "workshop", "day": s.day.isoformat()}
        )
    return parse_event_definition(data, source="pretix")


class PretixService:
    """The pretix side of one local database."""

    def __init__(self, db: Database, *, client_factory: ClientFactory | None = None) -> None:
        self._db = db
        self._client_factory = client_factory or (lambda url, token: PretixClient(url, token))

    def connect(
        self,
        url: str,
        token: str,
        organizer: str,
        event: str,
        *,
        local_slug: str | None = None,
        checkin_list: str | None = None,
        progress: Progress | None = None,
        desk_name: str | None = None,
    ) -> ConnectResult:
        """Check, create or update the local event, download it, and make the database a desk whose
        check-ins go to pretix (``desk_name``: how pretix's desk is called here; the computer's name)."""
        from checkin.domain.secrets import store_secret

        client = self._client_factory(url, token)
        pevent = read_event(client, organizer, event)  # checks URL, token and event; writes nothing
        if pevent.has_subevents:
            raise PretixSetupError(
                _("The pretix event '{event}' is an event series; checkin works with single events.").format(
                    event=event
                )
            )
        chosen = self._choose_list(pevent, checkin_list)
        slug = local_slug or event
        try:
            existing: EventInfo | None = EventService(self._db).get(slug)
        except EventNotFoundError:
            existing = None
        info = EventService(self._db).load_definition(_definition(pevent, slug, existing))
        name = token_name(client.base_url, organizer, event)
        store_secret(name, token)
        with self._db.write() as session:
            kept = load_mapping(session, info.id)
            rows = default_mapping(
                pevent,
                [d.date for d in info.days],
                _local_categories(info),
                _local_sessions(info),
                info.workshop_label,
                kept,
            )
            save_mapping(session, info.id, rows)
            connection = connection_of(session, info.id)
            if connection is None or (connection.url, connection.organizer, connection.event_slug) != (
                client.base_url,
                organizer,
                event,
            ):
                if connection is not None:
                    session.delete(connection)
                    session.flush()
                connection = PretixConnection(
                    event_id=info.id,
                    url=client.base_url,
                    organizer=organizer,
                    event_slug=event,
                    token_name=name,
                )
                session.add(connection)
            connection.token_name = name
            connection.checkin_list_id = chosen[0] if chosen else None
        download = self.download(info.slug, progress=progress, client=client)
        attach_desk(
            self._db,
            info.id,
            pretix_hub_url(client.base_url, organizer, event),
            desk_name or socket.gethostname(),
        )
        return ConnectResult(event=info, checkin_list=chosen, mapping=tuple(rows), download=download)

    @staticmethod
    def _choose_list(pevent: PretixEvent, wanted: str | None) -> tuple[int, str] | None:
        if wanted:
            text = wanted.strip()
            for entry in pevent.lists:
                if str(entry.id) == text or entry.name.casefold() == text.casefold():
                    return entry.id, entry.name
            raise PretixSetupError(
                _("The pretix event has no check-in list '{name}'. Its lists: {lists}.").format(
                    name=text, lists=", ".join(f"{e.name} ({e.id})" for e in pevent.lists) or "—"
                )
            )
        return (pevent.lists[0].id, pevent.lists[0].name) if pevent.lists else None

    def client_for(self, slug: str | None) -> tuple[EventInfo, PretixClient]:
        from checkin.domain.secrets import load_secret

        info = EventService(self._db).get(slug)
        with self._db.read() as session:
            connection = connection_of(session, info.id)
            if connection is None:
                raise PretixSetupError(
                    _(
                        "The event '{event}' is not connected to pretix. "
                        "Connect it with 'checkin pretix connect'."
                    ).format(event=info.slug)
                )
            url, name = connection.url, connection.token_name
        token = load_secret(name)
        if not token:
            raise PretixSetupError(
                _(
                    "The pretix token of '{event}' is no longer stored here. Connect again with its token."
                ).format(event=info.slug)
            )
        return info, self._client_factory(url, token)

    def download(
        self, slug: str | None = None, *, progress: Progress | None = None, client: PretixClient | None = None
    ) -> DownloadResult:
        """Download new and changed orders; each page is committed with the point to resume from."""
        info, own_client = (
            self.client_for(slug) if client is None else (EventService(self._db).get(slug), client)
        )
        counts = DownloadCounts()
        with self._db.read() as session:
            connection = connection_of(session, info.id)
            assert connection is not None
            organizer, event, list_id = (
                connection.organizer,
                connection.event_slug,
                connection.checkin_list_id,
            )
            resume, since, finished = (
                connection.resume_url,
                connection.modified_since,
                connection.downloaded_at,
            )
            mapping = {(r.source_kind, r.source_id): r for r in load_mapping(session, info.id)}
        include_pending = self._include_pending(own_client, organizer, event, list_id)
        path = event_path(organizer, event) + "orders/"
        params: dict[str, Any] = {
            "include_canceled_positions": "true",
            "ordering": "datetime,code",
            # Only what a registration is made of: pretix's page then takes ~40 % less time to make.
            "include": ORDER_FIELDS,
            "exclude": ORDER_EXCLUDED,
        }
        if resume:
            url: str | None = resume
        else:
            if finished is not None and since:
                params["modified_since"] = since
            url = own_client.list_url(path, params)
            since = None
        source = f"pretix:{organizer}/{event}"[:300]
        done = 0
        what = _("the orders of '{event}'").format(event=event)
        # The next pages are fetched while this one is written: the download waits mostly for pretix.
        for page in pages_in_order(own_client, url, what=what) if url else ():
            if progress is not None:
                check_cancelled(progress)
            items = [
                position_values(
                    order,
                    position,
                    mapping,
                    include_pending=include_pending,
                    default_category=info.default_category.key,
                )
                for order in page.results
                for position in order.get("positions") or []
                if isinstance(position, dict) and "id" in position
            ]
            since = since or page.generated
            with self._db.write() as session:
                # From pretix: not facts of this desk, so not for its outbox (see pretix.desk).
                set_applying(session.connection(), True)
                apply_positions(session, info, items, source, counts)
                connection = connection_of(session, info.id)
                assert connection is not None
                connection.resume_url = page.next_url
                if page.next_url is None:
                    connection.modified_since = since or connection.modified_since
                    connection.downloaded_at = dt.datetime.now(dt.UTC)
                elif since:
                    connection.modified_since = since
                set_applying(session.connection(), False)
            done += len(page.results)
            if progress is not None:
                progress.update(done, page.count, _("Downloading from pretix …"))
        changed = frozenset(counts.registration_ids)
        return DownloadResult(
            added=counts.added,
            updated=counts.updated,
            unchanged=counts.unchanged,
            cancelled=counts.cancelled,
            positions=counts.positions,
            skipped=dict(counts.skipped),
            complete=True,
            changes=Changes(registrations=changed, figures=bool(changed), people_list=bool(changed)),
        )

    @staticmethod
    def _include_pending(client: PretixClient, organizer: str, event: str, list_id: int | None) -> bool:
        if list_id is None:
            return False
        answer = client.get(event_path(organizer, event) + f"checkinlists/{list_id}/")
        return bool(answer.get("include_pending")) if isinstance(answer, dict) else False
