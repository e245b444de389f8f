"""A desk's connection to its hub (the event's PostgreSQL database), with short bounds.

Every call either answers within a few seconds or raises ``HubUnavailable``: connect
and statement timeouts, and TCP keepalives so a pulled cable is noticed, not waited on.

Download by change: every synced row at the hub carries the id of the transaction that
wrote it (``change_xid``, set by trigger). A download reads, in one snapshot, the rows
the previous download's snapshot could not see: written by a transaction from its
``xmax`` on, or by one that was still in progress then (its ``xip`` list), and keeps
this snapshot's ``xmax`` and ``xip`` as the next cursor. A transaction that commits
late is therefore read at the next download, never skipped (a plain sequence watermark
would skip it); rows read twice are applied as idempotent upserts. Unlike a cursor at
the snapshot's ``xmin``, a long transaction elsewhere on the server does not make every
download read everything written since it began.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Engine, Table, create_engine, event, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from checkin.domain.errors import UserError
from checkin.domain.models import (
    BadgePrint,
    Category,
    CheckInLogEntry,
    Event,
    EventDay,
    EventSession,
    Registration,
    SyncDesk,
    SyncFact,
    SyncTombstone,
    registration_days,
    registration_sessions,
    utcnow,
)
from checkin.i18n import _
from checkin.sync.facts import Fact, Outcome
from checkin.sync.hub_ingest import ingest

NOTIFY_CHANNEL = "checkin_sync"
DEFAULT_TIMEOUT = 5.0
# Seconds a download may take (a first join's batch, a large import's changes).
BULK_BUDGET = 60.0


class HubUnavailable(UserError):
    """The hub did not answer (network, server down, timeout); the message is for the user."""


def _t(model: Any) -> Table:
    return cast(Table, model.__table__)


_REG, _LOG, _PRINT = _t(Registration), _t(CheckInLogEntry), _t(BadgePrint)


@dataclass
class HubChanges:
    """Rows changed at the hub since a cursor, as plain dicts (hub ids), and the next cursor."""

    cursor_xid: int
    cursor_xip: list[int] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    days: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    registrations: list[dict[str, Any]] = field(default_factory=list)
    links: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)
    prints: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    tombstones: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.events,
                self.days,
                self.sessions,
                self.categories,
                self.registrations,
                self.log,
                self.prints,
                self.conflicts,
                self.tombstones,
            )
        )


def connect_args(timeout: float) -> dict[str, Any]:
    """libpq settings that bound every wait: connecting, and a silent network (keepalives)."""
    seconds = max(1, round(timeout))
    return {
        "connect_timeout": seconds,
        "keepalives": 1,
        "keepalives_idle": seconds,
        "keepalives_interval": 1,
        "keepalives_count": 2,
        "tcp_user_timeout": int(timeout * 1000) + 1000,
    }


def _shut_down(fd: int) -> None:
    """End a connection's socket from outside (the watchdog): its blocked read returns at once."""
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class Hub:
    """Calls a desk makes to its hub; each raises ``HubUnavailable`` instead of hanging."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        if make_url(url).get_backend_name() != "postgresql":
            raise UserError(_("A hub is a PostgreSQL database: give a postgresql+psycopg:// URL."))
        self.url = url
        self.timeout = timeout
        self.engine: Engine = create_engine(url, connect_args=connect_args(timeout))
        millis = int(timeout * 1000)

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            with dbapi_conn.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {millis}")
                cursor.execute(f"SET lock_timeout = {millis}")
            dbapi_conn.commit()

    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self, *, readonly: bool = False, budget: float | None = None) -> Iterator[Session]:
        """A hub transaction that raises ``HubUnavailable`` rather than wait past ``budget`` seconds.

        Server-side timeouts cannot end a wait for a server the packets never reach (a pulled
        cable, a hung router): a watchdog shuts the socket down, and the driver raises.
        """
        engine: Any = self.engine
        if readonly:
            engine = self.engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        watchdog: threading.Timer | None = None
        try:
            with Session(engine) as session, session.begin():
                fd = session.connection().connection.dbapi_connection.pgconn.socket  # type: ignore[union-attr]
                watchdog = threading.Timer(budget or self.timeout, _shut_down, args=(fd,))
                watchdog.daemon = True
                watchdog.start()
                yield session
        except DBAPIError as exc:
            self.engine.dispose()  # a half-dead connection must not be reused
            raise HubUnavailable(
                _("The hub {url} did not answer: {error}").format(
                    url=self.display_url(), error=str(getattr(exc, "orig", exc)).strip().splitlines()[0]
                )
            ) from exc
        except SQLAlchemyError as exc:
            raise HubUnavailable(str(exc)) from exc
        finally:
            if watchdog is not None:
                watchdog.cancel()

    # ------------------------------------------------------------------ setup
    def event_row(self, slug: str | None) -> dict[str, Any]:
        with self._session(readonly=True) as session:
            query = select(_t(Event))
            query = query.where(_t(Event).c.slug == slug) if slug else query.order_by(_t(Event).c.id.desc())
            row = session.execute(query.limit(1)).mappings().first()
        if row is None:
            raise UserError(_("The hub has no event to join yet: load one there first (checkin event load)."))
        return dict(row)

    def register_desk(self, desk_id: str, name: str, event_id: int) -> None:
        with self._session() as session:
            session.execute(
                pg_insert(_t(SyncDesk))
                .values(desk_id=desk_id, name=name[:100], event_id=event_id, joined_at=utcnow())
                .on_conflict_do_nothing()
            )

    # ------------------------------------------------------------------ upload
    def upload(self, event_id: int, desk_id: str, facts: list[Fact]) -> list[Outcome]:
        """Record ``facts`` in one hub transaction; the outcome of each, in order."""
        with self._session(budget=self.timeout + 0.02 * len(facts)) as session:
            outcomes = ingest(session, event_id, facts)
            session.execute(
                update(_t(SyncDesk)).where(_t(SyncDesk).c.desk_id == desk_id).values(last_seen_at=utcnow())
            )
            return outcomes

    # ------------------------------------------------------------------ download
    @staticmethod
    def _snapshot(session: Session) -> tuple[int, list[int]]:
        """This transaction's snapshot: its xmax and the transactions in progress."""
        row = session.execute(
            text(
                "SELECT pg_snapshot_xmax(s)::text::bigint, "
                "ARRAY(SELECT x::text::bigint FROM pg_snapshot_xip(s) x) "
                "FROM (SELECT pg_current_snapshot() AS s) t"
            )
        ).one()
        return int(row[0]), sorted(int(x) for x in row[1])

    def changes(self, event_id: int, since_xid: int, since_xip: list[int] | None = None) -> HubChanges:
        """Everything of the event the previous snapshot (``since_xid`` its xmax, ``since_xip`` its
        transactions in progress) could not see: exact, so a long transaction elsewhere on the
        server does not make every download read everything again."""
        with self._session(readonly=True, budget=self.timeout * 4) as session:
            xmax, xip = self._snapshot(session)
            result = HubChanges(cursor_xid=xmax, cursor_xip=xip)
            pending = list(since_xip or [])

            def rows(model: Any, *where: Any) -> list[dict[str, Any]]:
                table = _t(model)
                unseen = table.c.change_xid >= since_xid
                if pending:
                    unseen = unseen | table.c.change_xid.in_(pending)
                query = select(table).where(unseen, *where)
                return [dict(r) for r in session.execute(query.order_by(table.c.change_seq)).mappings()]

            result.events = rows(Event, _t(Event).c.id == event_id)
            result.days = rows(EventDay, _t(EventDay).c.event_id == event_id)
            result.sessions = rows(EventSession, _t(EventSession).c.event_id == event_id)
            result.categories = rows(Category, _t(Category).c.event_id == event_id)
            result.registrations = rows(Registration, _REG.c.event_id == event_id)
            result.links = self._links(session, [r["id"] for r in result.registrations])
            result.log = rows(CheckInLogEntry, _LOG.c.event_id == event_id)
            result.prints = rows(BadgePrint, _PRINT.c.event_id == event_id)
            facts = _t(SyncFact)
            result.conflicts = rows(SyncFact, facts.c.event_id == event_id, facts.c.conflict.is_(True))
            stones = _t(SyncTombstone)
            result.tombstones = rows(
                SyncTombstone, (stones.c.event_id == event_id) | stones.c.event_id.is_(None)
            )
            return result

    @staticmethod
    def _links(session: Session, ids: list[int]) -> dict[int, tuple[list[int], list[int]]]:
        links: dict[int, tuple[list[int], list[int]]] = {i: ([], []) for i in ids}
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for rid, day_id in session.execute(
                select(registration_days.c.registration_id, registration_days.c.day_id).where(
                    registration_days.c.registration_id.in_(chunk)
                )
            ):
                links[rid][0].append(day_id)
            for rid, session_id in session.execute(
                select(registration_sessions.c.registration_id, registration_sessions.c.session_id).where(
                    registration_sessions.c.registration_id.in_(chunk)
                )
            ):
                links[rid][1].append(session_id)
        return links

    def start_snapshot(self, event_id: int) -> HubChanges:
        """For a first download: the event itself, and the cursor to continue from afterwards."""
        with self._session(readonly=True) as session:
            xmax, xip = self._snapshot(session)
            result = HubChanges(cursor_xid=xmax, cursor_xip=xip)

            def rows(model: Any) -> list[dict[str, Any]]:
                table = _t(model)
                column = table.c.id if model is Event else table.c.event_id
                return [dict(r) for r in session.execute(select(table).where(column == event_id)).mappings()]

            result.events, result.days = rows(Event), rows(EventDay)
            result.sessions, result.categories = rows(EventSession), rows(Category)
            return result

    def page(self, event_id: int, stage: str, after_id: int, limit: int) -> HubChanges:
        """One batch of a first download: registrations, then the log, then prints, by id."""
        model = {"registrations": Registration, "log": CheckInLogEntry, "prints": BadgePrint}[stage]
        table = _t(model)
        with self._session(readonly=True, budget=BULK_BUDGET) as session:
            found = [
                dict(r)
                for r in session.execute(
                    select(table)
                    .where(table.c.event_id == event_id, table.c.id > after_id)
                    .order_by(table.c.id)
                    .limit(limit)
                ).mappings()
            ]
            result = HubChanges(cursor_xid=0)
            if stage == "registrations":
                result.registrations = found
                result.links = self._links(session, [r["id"] for r in found])
            elif stage == "log":
                result.log = found
            else:
                result.prints = found
            return result

    def ping(self) -> None:
        with self._session(readonly=True) as session:
            session.execute(text("SELECT 1"))

    def schema(self) -> str:
        with self._session(readonly=True) as session:
            return str(session.execute(text("SELECT current_schema()")).scalar_one())


def listen_connection(hub: Hub) -> Any:
    """A raw psycopg connection in autocommit that LISTENs for the hub's change notices."""
    import psycopg

    url = make_url(hub.url).set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    conn = psycopg.connect(conninfo, autocommit=True, **connect_args(hub.timeout))
    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
    return conn


__all__ = ["DEFAULT_TIMEOUT", "Hub", "HubChanges", "HubUnavailable", "listen_connection"]
