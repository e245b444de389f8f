"""The outbox of a joined desk, filled by SQLite triggers in the transaction that records a fact.

A desk's replica is an ordinary checkin database; joining adds these triggers. Every
check-in, undo, badge print, walk-in and person edit made at the desk then writes its
outbox row in the same transaction as the fact itself, whatever code path made it (the
window, the CLI, a batch print): a crash can lose both or neither, never one. The
outbox row's id is the desk's sequence number; the trigger stamps it, with the desk's
id, on the fact's own row.

While the sync writes what it downloaded from the hub it sets ``sync_state.applying``
to 1 inside its own transaction, and the triggers stay quiet (those facts come from
the hub, they must not go back to it).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from checkin.sync.columns import REGISTRATION_FIELDS

_QUIET = "(SELECT applying FROM sync_state WHERE id = 1) = 0"
_DESK = "(SELECT desk_id FROM sync_state WHERE id = 1)"


def _json_of(alias: str) -> str:
    return "json_object(" + ", ".join(f"'{f}', {alias}.\"{f}\"" for f in REGISTRATION_FIELDS) + ")"


def _fact_trigger(table: str, kind: str) -> str:
    """A check-in/undo or a print: outbox row, then the desk's id and sequence on the fact."""
    return f"""
    CREATE TRIGGER IF NOT EXISTS sync_out_{table} AFTER INSERT ON {table}
    WHEN {_QUIET}
    BEGIN
        INSERT INTO sync_outbox (kind, row_id, nonce, happened_at, acked)
        VALUES ('{kind}', NEW.id, coalesce(NEW.nonce, lower(hex(randomblob(16)))), NEW.at, 0);
        UPDATE {table} SET desk_id = {_DESK}, desk_seq = last_insert_rowid(),
            nonce = (SELECT nonce FROM sync_outbox WHERE id = last_insert_rowid())
        WHERE id = NEW.id;
    END
    """


def _link_triggers(table: str, column: str, kind: str) -> list[str]:
    """A registration's days or workshops changed: one fact per link added or removed."""
    return [
        f"""
        CREATE TRIGGER IF NOT EXISTS sync_out_{table}_{op} AFTER {op.upper()} ON {table}
        WHEN {_QUIET}
        BEGIN
            INSERT INTO sync_outbox (kind, row_id, nonce, happened_at, payload, acked)
            VALUES ('{kind}_{op}', {row}.registration_id, lower(hex(randomblob(16))),
                    strftime('%Y-%m-%d %H:%M:%f000', 'now'),
                    json_object('{column}', {row}.{column}), 0);
        END
        """
        for op, row in (("insert", "NEW"), ("delete", "OLD"))
    ]


OUTBOX_TRIGGERS: tuple[str, ...] = (
    _fact_trigger("checkin_log", "log"),
    _fact_trigger("badge_prints", "print"),
    f"""
    CREATE TRIGGER IF NOT EXISTS sync_out_registrations_insert AFTER INSERT ON registrations
    WHEN {_QUIET}
    BEGIN
        INSERT INTO sync_outbox (kind, row_id, nonce, happened_at, acked)
        VALUES ('reg_new', NEW.id, lower(hex(randomblob(16))), NEW.created_at, 0);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS sync_out_registrations_update AFTER UPDATE ON registrations
    WHEN {_QUIET}
    BEGIN
        INSERT INTO sync_outbox (kind, row_id, nonce, happened_at, payload, acked)
        VALUES ('reg_edit', NEW.id, lower(hex(randomblob(16))), NEW.updated_at,
                json_object('old', {_json_of("OLD")}, 'new', {_json_of("NEW")}), 0);
    END
    """,
    *_link_triggers("registration_days", "day_id", "reg_day"),
    *_link_triggers("registration_sessions", "session_id", "reg_session"),
)


def install_outbox_triggers(connection: Connection) -> None:
    """Make the database a desk's replica: every fact recorded from now on enters the outbox."""
    for statement in OUTBOX_TRIGGERS:
        connection.execute(text(statement))


def _words(sql: str) -> str:
    return " ".join(sql.replace("IF NOT EXISTS ", "").split())


def refresh_outbox_triggers(connection: Connection) -> bool:
    """Replace the triggers of a replica joined by an older version (a column added to a
    model since must travel in its edits too). Cheap when nothing changed: one read."""
    stored = {
        name: _words(sql or "")
        for name, sql in connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_out_%'")
        )
    }
    if not stored:
        return False  # not a joined replica
    replaced = False
    for statement in OUTBOX_TRIGGERS:
        wanted = _words(statement)
        name = wanted.split()[2]
        if stored.get(name) != wanted:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            connection.execute(text(statement))
            replaced = True
    return replaced


def set_applying(connection: Connection, applying: bool) -> None:
    """Inside the sync's own transaction: writes from now on come from the hub (no outbox)."""
    connection.execute(text("UPDATE sync_state SET applying = :a WHERE id = 1"), {"a": int(applying)})


__all__ = ["OUTBOX_TRIGGERS", "install_outbox_triggers", "refresh_outbox_triggers", "set_applying"]
