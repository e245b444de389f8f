"""Joining a hub: a desk's first full download of the event into its own SQLite replica.

Resumable: the download goes in batches (registrations, then the check-in log, then
prints, each by id), and the batch's rows and the position after it are committed in
one local transaction. Interrupted, ``join`` continues where it stopped. The cursor for
later downloads is taken *before* the first batch, so whatever changes at the hub
during the join is read again by the first sync.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import make_url

from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.models import Event, SyncState
from checkin.domain.secrets import load_secret, store_secret
from checkin.i18n import _
from checkin.sync.hub import Hub, HubChanges
from checkin.sync.replica import read_state
from checkin.sync.replica_apply import (
    apply_changes,
    apply_prints,
    insert_log_fresh,
    insert_registrations_fresh,
)
from checkin.sync.replica_schema import install_outbox_triggers, set_applying

_STATE = cast(Table, SyncState.__table__)
STAGES = ("registrations", "log", "prints", "done")
DEFAULT_BATCH = 2000


def password_key(desk_id: str) -> str:
    return f"hub-password:{desk_id}"


def split_password(url: str) -> tuple[str, str | None]:
    """The hub URL without its password (kept in the settings) and the password (kept secret)."""
    parsed = make_url(url)
    return parsed._replace(password=None).render_as_string(hide_password=False), parsed.password


def hub_url_with_password(stored_url: str, desk_id: str) -> str:
    password = load_secret(password_key(desk_id))
    if password is None:
        return stored_url
    return make_url(stored_url).set(password=password).render_as_string(hide_password=False)


@dataclass(frozen=True)
class JoinResult:
    desk_id: str
    desk_name: str
    event_slug: str
    registrations: int
    resumed: bool


def _start(db: Database, hub: Hub, url: str, desk_name: str, event_slug: str | None) -> None:
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Event)):
            raise UserError(
                _("{db} already holds an event: a desk joins into a new, empty database file.").format(
                    db=db.display_url()
                )
            )
    event = hub.event_row(event_slug)
    meta = hub.start_snapshot(event["id"])
    desk_id = uuid.uuid4().hex
    stored_url, password = split_password(url)
    if password is not None:
        store_secret(password_key(desk_id), password)
    with db.write() as session:
        conn = session.connection()
        conn.execute(
            insert(_STATE).values(
                id=1,
                desk_id=desk_id,
                desk_name=desk_name[:100],
                hub_url=stored_url,
                event_id=event["id"],
                applying=1,
                join_done=False,
                join_after_id=0,
                join_stage=STAGES[0],
                cursor_xid=meta.cursor_xid,
                cursor_xip=meta.cursor_xip,
                last_error="",
                online=True,
            )
        )
        apply_changes(conn, meta)
        install_outbox_triggers(conn)
        set_applying(conn, False)
    hub.register_desk(desk_id, desk_name, event["id"])


def join(
    db: Database,
    url: str,
    desk_name: str,
    *,
    event_slug: str | None = None,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> JoinResult:
    """Make ``db`` (a new SQLite file) the replica of the hub at ``url``, or finish a join begun."""
    if not db.is_sqlite:
        raise UserError(_("A desk's local copy is an SQLite file: give --db a file name."))
    state = read_state(db)
    resumed = state is not None
    hub = Hub(url if state is None else hub_url_with_password(state.hub_url, state.desk_id))
    try:
        if state is None:
            if not desk_name.strip():
                raise UserError(_("Give the desk a name (--desk), e.g. 'Entrance 1'."))
            _start(db, hub, url, desk_name.strip(), event_slug)
            state = read_state(db)
            assert state is not None
        stage, after = state.join_stage, state.join_after_id
        count = 0
        while stage != "done":
            page = hub.page(state.event_id, stage, after, batch)
            rows = {"registrations": page.registrations, "log": page.log, "prints": page.prints}[stage]
            next_stage, next_after = stage, after
            if rows:
                next_after = max(r["id"] for r in rows)
            if len(rows) < batch:
                next_stage, next_after = STAGES[STAGES.index(stage) + 1], 0
            _store_page(db, stage, page, next_stage, next_after)
            if stage == "registrations":
                count += len(rows)
                if progress is not None:
                    progress(stage, count)
            stage, after = next_stage, next_after
        with db.read() as session:
            from checkin.domain.models import Registration

            total = int(session.scalar(select(func.count()).select_from(Registration)) or 0)
            slug = str(session.scalar(select(Event.slug)))
        return JoinResult(state.desk_id, state.desk_name, slug, total, resumed)
    finally:
        hub.dispose()


def _store_page(db: Database, stage: str, page: HubChanges, next_stage: str, next_after: int) -> None:
    with db.write() as session:
        conn = session.connection()
        set_applying(conn, True)
        if stage == "registrations":
            insert_registrations_fresh(conn, page)
        elif stage == "log":
            insert_log_fresh(conn, page.log)
        else:
            apply_prints(conn, page.prints)
        conn.execute(
            update(_STATE)
            .where(_STATE.c.id == 1)
            .values(join_stage=next_stage, join_after_id=next_after, join_done=next_stage == "done")
        )
        set_applying(conn, False)


__all__ = ["JoinResult", "hub_url_with_password", "join", "password_key", "split_password"]
