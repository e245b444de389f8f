"""Badges for the desk and for batch printing: select, sort, render, and log every print.

``render_badges`` is the fast path for the desk (one or a few badges as PDF
bytes); ``render_batch`` streams any number of badges into a file without
holding all pages in memory; ``render_certificates`` makes certificates of
attendance. Nothing here imports Qt; results are plain frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from checkin.badges.layouts import BadgeLayout, check_print_options, get_layout, sheet_offset
from checkin.badges.pages import BadgePageWriter
from checkin.badges.pdfstream import StreamingPdfWriter, single_pdf
from checkin.badges.render import BadgeData, BadgeRenderer, BadgeStyle
from checkin.badges.templates import person_marks
from checkin.domain.badge_templates import parse_templates
from checkin.domain.collation import german_key, name_key
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo
from checkin.domain.models import (
    BadgePrint,
    Registration,
    RegistrationStatus,
    utcnow,
)
from checkin.domain.people import BadgePrintInfo
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.domain.registered_days import registered_on
from checkin.i18n import _
from checkin.presentation.formats import format_date

PRINT_REASONS = ("single", "reprint", "auto", "batch")
SORT_ORDERS = ("last_name", "organisation")
_LOAD_CHUNK = 500  # registrations loaded per query while streaming a batch
_SQL_IN_LIMIT = 900  # values per IN (...) list, well below SQLite's variable limit
_NO_PROGRESS = NullProgress()


class BadgeSelectionError(UserError, ValueError):
    """A selection names codes, categories or days the event does not have."""


@dataclass(frozen=True)
class BadgeSelection:
    """Which registrations a batch prints. Empty tuples mean "no restriction"."""

    codes: tuple[str, ...] = ()
    category_keys: tuple[str, ...] = ()
    day: dt.date | None = None
    unprinted_only: bool = False
    include_cancelled: bool = False


def _clean_code(code: str) -> str:
    return "".join(code.split()).upper()


def badge_style(event: EventInfo) -> BadgeStyle:
    """The shared look of an event's badges, from the ``[badge]`` table of its event file."""
    badge = event.definition.get("badge") or {}
    if not isinstance(badge, dict):
        badge = {}
    logo = badge.get("logo")
    return BadgeStyle(
        event_name=event.name,
        logo=Path(logo) if isinstance(logo, str) and logo else None,
        footer=str(badge.get("footer") or ""),
        workshop_heading=event.workshop_label or _("Workshops"),
        show_workshops=bool(badge.get("show_workshops", False)),
        name_style="one_line" if badge.get("name_style") == "one_line" else "stacked",
        sheet_offset_mm=sheet_offset(badge),
        templates=parse_templates(badge),
    )


class BadgeService:
    """Renders and logs badges of one event.

    Args:
        db: the open database.
        event: the event whose registrations are printed.
        desk: name of this desk, stored with every logged print.
        clock: returns the current time (aware); tests inject a fixed clock.
    """

    def __init__(
        self,
        db: Database,
        event: EventInfo,
        *,
        desk: str = "",
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.event = event
        self.desk = desk
        self.clock = clock
        self.style = badge_style(event)
        self._renderer: BadgeRenderer | None = None
        # The desk prints on the GUI thread while a batch may run in a worker:
        # the shared renderer (used by render_badges) is guarded, batches get their own.
        self._render_lock = threading.Lock()
        self._sessions = {s.id: s for s in event.sessions}
        self._categories = {c.id: c for c in event.categories}

    def use_event(self, event: EventInfo) -> None:
        """Print with ``event`` as it is now (its event file was loaded again, e.g. new badge templates)."""
        with self._render_lock:
            self.event = event
            self.style = badge_style(event)
            self._renderer = None
            self._sessions = {s.id: s for s in event.sessions}
            self._categories = {c.id: c for c in event.categories}

    @property
    def renderer(self) -> BadgeRenderer:
        """The renderer ``render_badges`` uses (tests set ``renderer.boxes = []`` to see what it drew)."""
        if self._renderer is None:
            self._renderer = BadgeRenderer(self.style)
        return self._renderer

    def layout(self, key: str | None = None) -> BadgeLayout:
        """The layout ``key``, or the event's default layout."""
        return get_layout(key, self.event)

    # -- data -----------------------------------------------------------------
    def _badge_data(self, registration: Registration) -> BadgeData:
        category = self._categories.get(registration.category_id or -1) or self.event.default_category
        workshops = sorted(
            (self._sessions[s.id] for s in registration.sessions if s.id in self._sessions),
            key=lambda s: (s.day, s.start or dt.time.min, s.title),
        )
        pronouns, flags = person_marks(registration.extra)
        return BadgeData(
            code=registration.code,
            first_name=registration.first_name,
            last_name=registration.last_name,
            title=registration.title,
            organisation=registration.organisation,
            function=registration.function,
            category_label=category.badge_label or category.name,
            category_colour=category.colour,
            workshops=tuple(s.title for s in workshops if s.is_workshop),
            category_key=category.key,
            pronouns=pronouns,
            flags=flags,
        )

    def _load(self, session: Session, ids: Sequence[int]) -> dict[int, BadgeData]:
        query = (
            select(Registration)
            .where(Registration.event_id == self.event.id, Registration.id.in_(list(ids)))
            .where(Registration.purged_at.is_(None))
            .options(selectinload(Registration.sessions))
        )
        return {r.id: self._badge_data(r) for r in session.scalars(query)}

    def badge_data(self, registration_ids: Sequence[int]) -> list[BadgeData]:
        """What the badges of these registrations show, in the given order."""
        ids = list(registration_ids)
        found: dict[int, BadgeData] = {}
        with self.db.read() as session:
            for start in range(0, len(ids), _SQL_IN_LIMIT):
                found.update(self._load(session, ids[start : start + _SQL_IN_LIMIT]))
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise BadgeSelectionError(
                _("No registration with id {ids} in this event.").format(ids=", ".join(missing))
            )
        return [found[i] for i in ids]

    def select_ids(self, selection: BadgeSelection, *, sort: str = "last_name") -> list[int]:
        """Ids of the registrations a selection covers, sorted (German collation)."""
        if sort not in SORT_ORDERS:
            raise BadgeSelectionError(
                _("Unknown sort order '{name}'. Use one of: {known}.").format(
                    name=sort, known=", ".join(SORT_ORDERS)
                )
            )
        query = select(
            Registration.id,
            Registration.code,
            Registration.first_name,
            Registration.last_name,
            Registration.organisation,
        ).where(Registration.event_id == self.event.id, Registration.purged_at.is_(None))
        if not selection.include_cancelled:
            query = query.where(Registration.status == RegistrationStatus.ACTIVE)
        codes = list(dict.fromkeys(_clean_code(c) for c in selection.codes if c.strip()))
        if codes and len(codes) <= _SQL_IN_LIMIT:
            query = query.where(Registration.code.in_(codes))
        if selection.category_keys:
            category_ids = []
            for wanted in selection.category_keys:
                match = next(
                    (
                        c
                        for c in self.event.categories
                        if wanted.strip().casefold() in (c.key.casefold(), c.name.casefold())
                        or wanted.strip().casefold() in (a.casefold() for a in c.aliases)
                    ),
                    None,
                )
                if match is None:
                    known = ", ".join(c.key for c in self.event.categories)
                    raise BadgeSelectionError(
                        _("Unknown category '{name}'. Known categories: {known}.").format(
                            name=wanted, known=known
                        )
                    )
                category_ids.append(match.id)
            condition: ColumnElement[bool] = Registration.category_id.in_(category_ids)
            if self.event.default_category.id in category_ids:
                condition = or_(condition, Registration.category_id.is_(None))
            query = query.where(condition)
        if selection.day is not None:
            day = self.event.day_by_date(selection.day)
            if day is None:
                raise BadgeSelectionError(
                    _("The event has no day {date}.").format(date=format_date(selection.day))
                )
            # People registered without days come on every day (unless their list ticked none).
            query = query.where(registered_on(day.id))
        if selection.unprinted_only:
            printed = select(BadgePrint.registration_id).where(BadgePrint.event_id == self.event.id)
            query = query.where(Registration.id.not_in(printed))
        with self.db.read() as session:
            rows = list(session.execute(query).all())
            if codes:
                code_set = set(codes)
                rows = [row for row in rows if row.code in code_set]
                existing: set[str] = set()
                for start in range(0, len(codes), _SQL_IN_LIMIT):
                    chunk = codes[start : start + _SQL_IN_LIMIT]
                    existing.update(
                        session.scalars(
                            select(Registration.code).where(
                                Registration.event_id == self.event.id, Registration.code.in_(chunk)
                            )
                        )
                    )
        if codes:
            unknown = [c for c in codes if c not in existing]
            if unknown:
                shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
                raise BadgeSelectionError(_("No registration with code {codes}.").format(codes=shown))
        if sort == "organisation":
            rows.sort(key=lambda r: (german_key(r.organisation), name_key(r.last_name, r.first_name)))
        else:
            rows.sort(key=lambda r: name_key(r.last_name, r.first_name))
        return [row.id for row in rows]

    # -- rendering --------------------------------------------------------------
    def render_badges(
        self,
        registration_ids: Sequence[int],
        *,
        layout: str | None = None,
        double_sided: bool | None = None,
        start_at: int = 1,
    ) -> bytes:
        """PDF bytes with the badges of these registrations, in the given order.

        Does not log a print: call ``record_print`` once the badge was really
        printed (the user may cancel the print dialog). ``double_sided=None``
        follows the event file (``[badge] double_sided``).
        """
        if not registration_ids:
            raise BadgeSelectionError(_("No badge to print: the selection is empty."))
        chosen = self.layout(layout)
        sided = self._double_sided(double_sided, chosen, start_at)
        items = self.badge_data(registration_ids)
        with self._render_lock:
            renderer = self.renderer
            draw = partial(
                self._write,
                renderer=renderer,
                layout=chosen,
                items=items,
                double_sided=sided,
                start_at=start_at,
            )
            return single_pdf(draw, title=_("Name badges"))

    def _double_sided(self, wanted: bool | None, layout: BadgeLayout, start_at: int = 1) -> bool:
        """Whether to print backs; refuses options the layout cannot do (``LayoutError``).

        The event file's default never applies to label rolls (they have no back).
        """
        if wanted is None:
            badge = self.event.definition.get("badge") or {}
            default = bool(badge.get("double_sided", False)) if isinstance(badge, dict) else False
            wanted = default and not layout.label_roll
        check_print_options(layout, double_sided=wanted, start_at=start_at)
        return wanted

    @staticmethod
    def _write(
        canvas: Canvas,
        renderer: BadgeRenderer,
        layout: BadgeLayout,
        items: Sequence[BadgeData],
        double_sided: bool,
        start_at: int = 1,
    ) -> None:
        writer = BadgePageWriter(canvas, layout, renderer, double_sided=double_sided, start_at=start_at)
        writer.add_all(items)
        writer.close()

    def _iter_data(self, ids: Sequence[int]) -> Iterator[BadgeData]:
        for start in range(0, len(ids), _LOAD_CHUNK):
            chunk = ids[start : start + _LOAD_CHUNK]
            with self.db.read() as session:
                found = self._load(session, chunk)
            for registration_id in chunk:
                if registration_id in found:
                    yield found[registration_id]

    def render_batch(
        self,
        out: Path | BinaryIO,
        selection: BadgeSelection,
        *,
        layout: str | None = None,
        sort: str = "last_name",
        double_sided: bool | None = None,
        progress: Progress = _NO_PROGRESS,
        record: bool = True,
        start_at: int = 1,
    ) -> int:
        """Write the badges of ``selection`` into one PDF at ``out``; return how many.

        Pages are streamed: a few hundred pages at a time are rendered and
        written, so memory stays flat for any number of badges. Every badge
        is logged as printed (reason ``"batch"``) once the file is complete,
        unless ``record`` is false. Raises ``BadgeSelectionError`` when the
        selection is empty and ``Cancelled`` (nothing logged; a partly
        written ``out`` path is removed) when ``progress`` asks to stop.
        """
        chosen = self.layout(layout)
        sided = self._double_sided(double_sided, chosen, start_at)
        ids = self.select_ids(selection, sort=sort)
        if not ids:
            raise BadgeSelectionError(_("No badge to print: no registration matches the selection."))
        total = len(ids)
        progress.update(0, total, _("Preparing badges…"))
        renderer = BadgeRenderer(self.style)  # not shared with the desk's render_badges
        written = 0
        with StreamingPdfWriter(out, title=_("Name badges")) as stream:
            pages_per_part = max(1, 200 // max(chosen.per_page, 1)) * chosen.per_page
            data = self._iter_data(ids)
            while written < total:
                check_cancelled(progress)
                part: list[BadgeData] = []
                skip = start_at - 1 if written == 0 else 0  # only the first sheet starts later
                for item in data:
                    part.append(item)
                    if len(part) >= pages_per_part - skip:
                        break
                if not part:
                    break
                stream.add_part(
                    partial(
                        self._write,
                        renderer=renderer,
                        layout=chosen,
                        items=part,
                        double_sided=sided,
                        start_at=skip + 1,
                    )
                )
                written += len(part)
                progress.update(
                    written, total, _("{done} of {total} badges").format(done=written, total=total)
                )
            if written == 0:  # the registrations were deleted meanwhile
                raise BadgeSelectionError(_("No badge to print: no registration matches the selection."))
        if record:
            self.record_print(ids, layout=chosen.key, reason="batch")
        return written

    # -- print log -------------------------------------------------------------
    def record_print(self, registration_ids: Sequence[int], *, layout: str, reason: str) -> None:
        """Log that these badges were printed (reason: single, reprint, auto or batch)."""
        if reason not in PRINT_REASONS:
            raise ValueError(f"unknown print reason {reason!r}; use one of {PRINT_REASONS}")
        now = self.clock()
        with self.db.write() as session:
            session.add_all(
                BadgePrint(
                    event_id=self.event.id,
                    registration_id=registration_id,
                    at=now,
                    desk=self.desk,
                    layout=layout,
                    reason=reason,
                )
                for registration_id in registration_ids
            )

    def printed_ids(self) -> set[int]:
        """Registrations whose badge was printed at least once."""
        with self.db.read() as session:
            return set(
                session.scalars(
                    select(BadgePrint.registration_id).where(BadgePrint.event_id == self.event.id).distinct()
                )
            )

    def last_print(self, registration_id: int) -> BadgePrintInfo | None:
        """The latest print of this registration's badge, or ``None`` if it was never printed."""
        with self.db.read() as session:
            latest = session.scalars(
                select(BadgePrint)
                .where(BadgePrint.event_id == self.event.id, BadgePrint.registration_id == registration_id)
                .order_by(BadgePrint.at.desc(), BadgePrint.id.desc())
                .limit(1)
            ).first()
            if latest is None:
                return None
            count = session.scalar(
                select(func.count()).where(
                    BadgePrint.event_id == self.event.id, BadgePrint.registration_id == registration_id
                )
            )
            return BadgePrintInfo(
                registration_id=registration_id,
                at=latest.at,
                desk=latest.desk,
                layout=latest.layout,
                reason=latest.reason,
                count=int(count or 0),
            )

    # -- certificates ------------------------------------------------------------
    def render_certificates(
        self,
        out: Path | BinaryIO,
        registration_ids: Sequence[int] | None = None,
        *,
        progress: Progress = _NO_PROGRESS,
    ) -> int:
        """Certificates of attendance (A4, one page each) for those who attended; return how many.

        ``registration_ids=None`` means everybody who attended. People in the
        list who did not attend get no certificate; if nobody attended,
        ``NoAttendanceError`` (a ``UserError``) is raised.
        """
        from checkin.badges.certificates import CertificateWriter

        return CertificateWriter(self.db, self.event).write(out, registration_ids, progress=progress)

    def render_certificate(self, registration_id: int) -> bytes:
        """One person's certificate as PDF bytes; ``NoAttendanceError`` if they never checked in."""
        from checkin.badges.certificates import CertificateWriter

        return CertificateWriter(self.db, self.event).render(registration_id)

    def write_certificate_files(
        self,
        folder: Path,
        registration_ids: Sequence[int] | None = None,
        *,
        progress: Progress = _NO_PROGRESS,
    ) -> list[Path]:
        """One certificate PDF per attendee in ``folder``; returns the paths."""
        from checkin.badges.certificates import CertificateWriter

        return CertificateWriter(self.db, self.event).write_files(folder, registration_ids, progress=progress)
