"""Applying a plan: inserts and updates in chunks, days and workshops, one audit entry.

Runs inside the caller's write transaction, so a failure or a cancel leaves
nothing changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from checkin.domain.events import EventInfo
from checkin.domain.progress import Progress, check_cancelled
from checkin.i18n import _
from checkin.io.importing.categories import PendingCategory, create_categories
from checkin.io.importing.facts import ImportReport
from checkin.io.importing.plan import Plan
from checkin.io.importing.preview import ImportPreview
from checkin.io.importing.rows import COLUMNS, INDEX, MISSING, Scope

_CHUNK = 2000


def write_plan(
    session: Any,
    event: EventInfo,
    plan: Plan,
    scope: Scope,
    preview: ImportPreview,
    report: ImportReport,
    progress: Progress,
    now: dt.datetime,
) -> None:
    """Insert and update what ``plan`` says, in chunks of a few thousand rows; add the audit entry."""
    from sqlalchemy import Table, bindparam, delete, insert, select, update

    from checkin.domain.models import (
        AuditEntry,
        Registration,
        RegistrationStatus,
        registration_days,
        registration_sessions,
    )

    table = cast(Table, Registration.__table__)
    default_category = event.default_category.id
    all_days = frozenset(d.id for d in event.days)
    source = f"import:{preview.path.name}"[:300]
    total = len(plan.inserts) + len(plan.updates)
    done = 0
    progress.update(0, total, _("Saving …"))
    statuses = {s.value: s for s in RegistrationStatus}
    created = create_categories(session, event, report.created_categories)

    def category(value: Any) -> Any:
        return created[value.key] if isinstance(value, PendingCategory) else value

    for start in range(0, len(plan.inserts), _CHUNK):
        check_cancelled(progress)
        chunk = plan.inserts[start : start + _CHUNK]
        params = []
        for row in chunk:
            v = dict(zip(COLUMNS, row.values, strict=True))
            v = {k: value for k, value in v.items() if value is not MISSING}
            params.append(
                {
                    "event_id": event.id,
                    "code": row.code,
                    "order_code": v.get("order_code") or None,
                    "title": v.get("title", ""),
                    "first_name": v["first_name"],
                    "last_name": v["last_name"],
                    "organisation": v.get("organisation", ""),
                    "function": v.get("function", ""),
                    "email": v.get("email", ""),
                    "category_id": category(v.get("category_id", default_category)),
                    "status": statuses[v.get("status", "active")],
                    "source": source,
                    "notes": v.get("notes", ""),
                    "extra": row.extra,
                    # the list has day columns and ticked none: registered for no day (not every day)
                    "no_day_ticked": row.days is not None and not row.days,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        # Plain executemany, then the ids by code: RETURNING with guaranteed order makes
        # SQLite insert row by row (ten times slower).
        session.execute(insert(table), params)
        id_by_code = dict(
            session.execute(
                select(table.c.code, table.c.id).where(
                    table.c.event_id == event.id, table.c.code.in_([row.code for row in chunk])
                )
            ).all()
        )
        ids = [id_by_code[row.code] for row in chunk]
        day_rows = [
            {"registration_id": reg_id, "day_id": day_id}
            for reg_id, row in zip(ids, chunk, strict=True)
            for day_id in (row.days if row.days is not None else all_days)
        ]
        if day_rows:
            session.execute(insert(registration_days), day_rows)
        session_rows = [
            {"registration_id": reg_id, "session_id": sid}
            for reg_id, row in zip(ids, chunk, strict=True)
            for sid in (row.sessions or ())
        ]
        if session_rows:
            session.execute(insert(registration_sessions), session_rows)
        done += len(chunk)
        progress.update(done, total, _("Saving …"))
    if plan.updates:
        columns = list(scope.columns)
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({c: bindparam(f"_{c}") for c in [*columns, "extra", "updated_at"]})
        )
        workshop_ids = [w.id for w in event.workshops]
        for start in range(0, len(plan.updates), _CHUNK):
            check_cancelled(progress)
            update_chunk = plan.updates[start : start + _CHUNK]
            params = []
            for reg_id, row, _days_changed, _sessions_changed in update_chunk:
                item: dict[str, Any] = {"_id": reg_id, "_extra": row.extra, "_updated_at": now}
                for c in columns:
                    value = row.values[INDEX[c]]
                    if c == "status":
                        value = statuses[value]
                    elif c == "category_id":
                        value = category(value)
                    elif c == "order_code":
                        value = value or None
                    item[f"_{c}"] = value
                params.append(item)
            session.execute(stmt, params)
            day_ids = [reg_id for reg_id, _row, changed, _s in update_chunk if changed]
            if day_ids:
                session.execute(
                    delete(registration_days).where(registration_days.c.registration_id.in_(day_ids))
                )
                new_days = [
                    {"registration_id": reg_id, "day_id": day_id}
                    for reg_id, row, changed, _s in update_chunk
                    if changed
                    for day_id in row.days or ()
                ]
                if new_days:
                    session.execute(insert(registration_days), new_days)
                # a day ticked clears "no day ticked"; none ticked sets it
                session.execute(
                    update(table)
                    .where(table.c.id == bindparam("_id"))
                    .values(no_day_ticked=bindparam("_none")),
                    [
                        {"_id": reg_id, "_none": not row.days}
                        for reg_id, row, changed, _s in update_chunk
                        if changed
                    ],
                )
            session_ids = [reg_id for reg_id, _row, _d, changed in update_chunk if changed]
            if session_ids:
                session.execute(
                    delete(registration_sessions).where(
                        registration_sessions.c.registration_id.in_(session_ids),
                        registration_sessions.c.session_id.in_(workshop_ids),
                    )
                )
                new_links = [
                    {"registration_id": reg_id, "session_id": sid}
                    for reg_id, row, _d, changed in update_chunk
                    if changed
                    for sid in row.sessions or ()
                ]
                if new_links:
                    session.execute(insert(registration_sessions), new_links)
            done += len(update_chunk)
            progress.update(done, total, _("Saving …"))
    session.add(
        AuditEntry(
            event_id=event.id,
            at=now,
            action="import",
            detail={
                "file": preview.path.name,
                "format": preview.format,
                "rows": preview.row_count,
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "errors": len(report.errors),
                "warnings": len(report.warnings),
                "created_categories": [c.key for c in report.created_categories],
                "skipped": report.skipped,
                "generated_codes": report.generated_codes,
                "duplicates": len(report.duplicates),
            },
        )
    )
