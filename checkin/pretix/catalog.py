"""What a pretix event offers, as plain values: products and variations, check-in lists, questions.

Read once per connect or download from the API and turned into frozen dataclasses, so that the
mapping (``checkin.pretix.mapping``) is a pure function of them and of the local event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checkin.i18n import _
from checkin.pretix.client import PretixClient, PretixError, PretixErrorKind


def i18n_text(value: Any, language: str = "de") -> str:
    """pretix's multi-language strings ({"de": ..., "en": ...}) or plain strings, as one text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in (language, "de", "de-informal", "en"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
        for text in value.values():
            if isinstance(text, str) and text.strip():
                return text.strip()
    return ""


@dataclass(frozen=True)
class Variation:
    id: int
    name: str


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    admission: bool
    variations: tuple[Variation, ...] = ()


@dataclass(frozen=True)
class CheckinListInfo:
    id: int
    name: str
    all_products: bool
    products: tuple[int, ...]
    include_pending: bool


@dataclass(frozen=True)
class QuestionOption:
    id: int
    identifier: str
    answer: str


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    identifier: str
    options: tuple[QuestionOption, ...]


@dataclass(frozen=True)
class PretixEvent:
    """The event's head and catalogue as pretix has them."""

    organizer: str
    slug: str
    name: str
    venue: str
    timezone: str
    date_from: dt.datetime | None
    date_to: dt.datetime | None
    has_subevents: bool
    products: tuple[Product, ...]
    lists: tuple[CheckinListInfo, ...]
    questions: tuple[Question, ...]

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every calendar day from the start to the end, in the event's time zone (at most 60)."""
        if self.date_from is None:
            return ()
        try:
            tz = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            tz = ZoneInfo("Europe/Berlin")
        first = self.date_from.astimezone(tz).date()
        last = self.date_to.astimezone(tz).date() if self.date_to else first
        count = min(max((last - first).days + 1, 1), 60)
        return tuple(first + dt.timedelta(days=n) for n in range(count))

    def product(self, product_id: int | None) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def checkin_list(self, list_id: int | None) -> CheckinListInfo | None:
        return next((c for c in self.lists if c.id == list_id), None)


def _datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def event_path(organizer: str, event: str) -> str:
    return f"organizers/{organizer}/events/{event}/"


def unknown_organizer(client: PretixClient, organizer: str, error: PretixError) -> PretixError:
    """The sentence for pretix's 403/404 on an organizer's event list (re-raises any other failure):
    pretix answers alike for an organizer that does not exist and one the token belongs not to."""
    if error.kind not in (PretixErrorKind.FORBIDDEN, PretixErrorKind.NOT_FOUND):
        raise error
    return PretixError(
        PretixErrorKind.NOT_FOUND,
        _(
            "pretix at {host} does not know the organizer '{organizer}', or the token belongs to "
            "another organizer. Check the organizer's short form."
        ).format(host=client.host, organizer=organizer),
        error.status,
    )


def _why_forbidden(client: PretixClient, organizer: str, event: str, error: PretixError) -> PretixError:
    """pretix answers 403 for an event that does not exist as for one the token may not see: ask for
    the organizer's events to tell the two apart."""
    try:
        known = [str(e.get("slug")) for e in client.all(f"organizers/{organizer}/events/")]
    except PretixError as exc:
        return unknown_organizer(client, organizer, exc)
    if event not in known:
        return PretixError(
            PretixErrorKind.NOT_FOUND,
            _("The organizer '{organizer}' has no event '{event}' in pretix. Its events: {events}.").format(
                organizer=organizer, event=event, events=", ".join(sorted(known)) or "—"
            ),
            404,
        )
    return error


def read_event(client: PretixClient, organizer: str, event: str) -> PretixEvent:
    """The event, its products, check-in lists and questions (several requests; errors in words)."""
    base = event_path(organizer, event)
    what = _("the event '{event}' of the organizer '{organizer}'").format(event=event, organizer=organizer)
    try:
        head = client.get(base, what=what)
    except PretixError as exc:
        if exc.kind != PretixErrorKind.FORBIDDEN:
            raise
        raise _why_forbidden(client, organizer, event, exc) from None
    if not isinstance(head, dict):
        head = {}
    products = tuple(
        Product(
            id=int(item["id"]),
            name=i18n_text(item.get("name")),
            admission=bool(item.get("admission")),
            variations=tuple(
                Variation(id=int(v["id"]), name=i18n_text(v.get("value")))
                for v in item.get("variations") or []
                if isinstance(v, dict) and "id" in v
            ),
        )
        for item in client.all(base + "items/", what=what)
        if "id" in item
    )
    lists = tuple(
        CheckinListInfo(
            id=int(entry["id"]),
            name=str(entry.get("name") or ""),
            all_products=bool(entry.get("all_products")),
            products=tuple(int(p) for p in entry.get("limit_products") or []),
            include_pending=bool(entry.get("include_pending")),
        )
        for entry in client.all(base + "checkinlists/", what=what)
        if "id" in entry
    )
    questions = tuple(
        Question(
            id=int(q["id"]),
            text=i18n_text(q.get("question")),
            identifier=str(q.get("identifier") or ""),
            options=tuple(
                QuestionOption(
                    id=int(o["id"]),
                    identifier=str(o.get("identifier") or ""),
                    answer=i18n_text(o.get("answer")),
                )
                for o in q.get("options") or []
                if isinstance(o, dict) and "id" in o
            ),
        )
        for q in client.all(base + "questions/", what=what)
        if "id" in q
    )
    return PretixEvent(
        organizer=organizer,
        slug=event,
        name=i18n_text(head.get("name")) or event,
        venue=i18n_text(head.get("location")).replace("\r", "").replace("\n", ", "),
        timezone=str(head.get("timezone") or "Europe/Berlin"),
        date_from=_datetime(head.get("date_from")),
        date_to=_datetime(head.get("date_to")),
        has_subevents=bool(head.get("has_subevents")),
        products=products,
        lists=lists,
        questions=questions,
    )
