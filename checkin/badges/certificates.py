"""Certificates of attendance (Teilnahmebescheinigung): A4, one page per person who came.

The days and workshops listed are the ones the check-in log shows as
attended (check-ins in force, not undone); a registration alone earns no
certificate. The text follows the UI language (German by default).

Optional ``[certificate]`` table in the event file::

    [certificate]
    place = "Berlin"                 # place in "Berlin, 20.09.2024" (default: city of the address)
    signer = "Dr. Anna Beispiel"     # printed under the signature line
    signer_role = "Geschäftsführerin, Deutscher Landkreistag"
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from checkin.badges.fonts import FontSet, draw_runs, register_fonts, visual_text
from checkin.badges.layouts import MM, PAGE_SIZES_MM
from checkin.badges.logo import load_logo
from checkin.badges.pdfstream import StreamingPdfWriter, single_pdf
from checkin.badges.textfit import FittedText, fit_text
from checkin.domain.attendance import active_checkins
from checkin.domain.collation import german_key
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.models import Registration
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _, current_language
from checkin.presentation.formats import format_date, format_time, format_weekday_date

INK = (0.07, 0.07, 0.09)
GREY = (0.38, 0.39, 0.42)
ACCENT = (0.12, 0.37, 0.66)
_PART_SIZE = 100  # certificates rendered per streamed part
_NO_PROGRESS = NullProgress()


class NoAttendanceError(UserError, ValueError):
    """Nobody in the selection attended, so there is no certificate to make."""


@dataclass(frozen=True)
class CertificateData:
    """One person's certificate: who, and which days and workshops they attended."""

    registration_id: int
    code: str
    name: str
    organisation: str
    days: tuple[DayInfo, ...]
    workshops: tuple[SessionInfo, ...]


def _format_date(day: DayInfo) -> str:
    """The German day label of the event file, or the date written for the language."""
    if current_language() == "de":
        return day.label or format_date(day.date)
    return format_weekday_date(day.date)


def _safe_file_part(text: str) -> str:
    """Letters, digits, dots and hyphens of ``text``; everything else becomes one underscore."""
    return re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", text), flags=re.UNICODE).strip("._") or "_"


def _place(event: EventInfo, spec: dict) -> str:
    if isinstance(spec.get("place"), str) and spec["place"].strip():
        return spec["place"].strip()
    match = re.search(r"\b\d{4,5}\s+([^,\d]+)$", event.address.strip())
    return match.group(1).strip() if match else event.venue


class CertificateWriter:
    """Collects attendance from the check-in log and draws the certificates."""

    def __init__(self, db: Database, event: EventInfo, fonts: FontSet | None = None) -> None:
        self.db = db
        self.event = event
        self.fonts = fonts or register_fonts()
        spec = event.definition.get("certificate") or {}
        self._spec: dict = spec if isinstance(spec, dict) else {}
        badge = event.definition.get("badge") or {}
        logo = badge.get("logo") if isinstance(badge, dict) else None
        self._logo: ImageReader | None = load_logo(logo if isinstance(logo, str) else None)

    def attendance(self, registration_ids: Sequence[int] | None = None) -> list[CertificateData]:
        """Everybody (or everybody in ``registration_ids``) with at least one check-in, sorted by name."""
        sessions = {s.id: s for s in self.event.sessions}
        with self.db.read() as session:
            checkins = active_checkins(session, self.event.id, registration_ids=registration_ids)
            days: dict[int, set[int]] = defaultdict(set)
            workshops: dict[int, set[int]] = defaultdict(set)
            for checkin in checkins:
                days[checkin.registration_id].add(checkin.day_id)
                attended = sessions.get(checkin.session_id) if checkin.session_id is not None else None
                if attended is not None and attended.is_workshop:
                    workshops[checkin.registration_id].add(attended.id)
            if not days:
                return []
            people = list(
                session.execute(
                    select(
                        Registration.id,
                        Registration.code,
                        Registration.title,
                        Registration.first_name,
                        Registration.last_name,
                        Registration.organisation,
                    ).where(
                        Registration.event_id == self.event.id,
                        Registration.id.in_(list(days)),
                        Registration.purged_at.is_(None),
                    )
                ).all()
            )
        people.sort(key=lambda p: german_key(p.last_name, p.first_name))
        result = []
        for person in people:
            attended_days = tuple(d for d in self.event.days if d.id in days[person.id])
            attended_workshops = tuple(
                sorted(
                    (sessions[s] for s in workshops[person.id]),
                    key=lambda s: (s.day, s.start or dt.time.min, s.title),
                )
            )
            name = " ".join(p for p in (person.title, person.first_name, person.last_name) if p.strip())
            result.append(
                CertificateData(
                    person.id, person.code, name, person.organisation, attended_days, attended_workshops
                )
            )
        return result

    def write(
        self,
        out: Path | BinaryIO,
        registration_ids: Sequence[int] | None = None,
        *,
        progress: Progress = _NO_PROGRESS,
    ) -> int:
        """Write one certificate per attendee into ``out``; return how many."""
        people = self.attendance(registration_ids)
        if not people:
            raise NoAttendanceError(_("No certificate to make: nobody in the selection has been checked in."))
        total = len(people)
        progress.update(0, total, _("Preparing certificates…"))
        with StreamingPdfWriter(out, title=_("Certificate of attendance")) as stream:
            for start in range(0, total, _PART_SIZE):
                check_cancelled(progress)
                part = people[start : start + _PART_SIZE]
                stream.add_part(partial(self._draw_all, people=part))
                done = start + len(part)
                progress.update(
                    done, total, _("{done} of {total} certificates").format(done=done, total=total)
                )
        return total

    def render(self, registration_id: int) -> bytes:
        """One person's certificate as PDF bytes (``NoAttendanceError`` if they did not attend)."""
        people = self.attendance([registration_id])
        if not people:
            raise NoAttendanceError(_("No certificate to make: nobody in the selection has been checked in."))
        return single_pdf(lambda canvas: self.draw(canvas, people[0]), title=_("Certificate of attendance"))

    def write_files(
        self,
        folder: Path,
        registration_ids: Sequence[int] | None = None,
        *,
        progress: Progress = _NO_PROGRESS,
    ) -> list[Path]:
        """One PDF per attendee in ``folder`` (created if missing); return the files in name order.

        File names: ``Teilnahmebescheinigung_<Name>_<CODE>.pdf`` (in the UI
        language). On cancel the files written so far are removed again.
        """
        people = self.attendance(registration_ids)
        if not people:
            raise NoAttendanceError(_("No certificate to make: nobody in the selection has been checked in."))
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        prefix = _("Certificate of attendance")
        try:
            for index, person in enumerate(people):
                check_cancelled(progress)
                path = folder / f"{_safe_file_part(prefix)}_{_safe_file_part(person.name)}_{person.code}.pdf"
                path.write_bytes(single_pdf(partial(self.draw, person=person), title=prefix))
                written.append(path)
                progress.update(
                    index + 1,
                    len(people),
                    _("{done} of {total} certificates").format(done=index + 1, total=len(people)),
                )
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return written

    # -- drawing --------------------------------------------------------------
    def _draw_all(self, canvas: Canvas, people: Sequence[CertificateData]) -> None:
        for person in people:
            self.draw(canvas, person)

    def _lines(
        self,
        canvas: Canvas,
        text: str,
        x: float,
        top: float,
        width: float,
        size: float,
        *,
        bold: bool = False,
        colour: tuple[float, float, float] = INK,
        max_lines: int = 3,
        min_size: float | None = None,
        leading: float = 1.3,
    ) -> float:
        fitted: FittedText = fit_text(
            text,
            self.fonts,
            width,
            max_size=size,
            min_size=min_size or size * 0.7,
            max_lines=max_lines,
            bold=bold,
        )
        face = pdfmetrics.getFont(self.fonts.bold if bold else self.fonts.regular).face
        ascent = face.ascent * fitted.size / 1000
        canvas.setFillColorRGB(*colour)
        y = top - ascent
        for line in fitted.lines:
            draw_runs(canvas, x, y, visual_text(line), self.fonts, fitted.size, bold)
            y -= fitted.size * leading
        return y + fitted.size * leading - fitted.size * 0.3

    def _items(self, people: CertificateData) -> Iterator[str]:
        for workshop in people.workshops:
            when = format_date(workshop.day)
            if workshop.start and workshop.end:
                when += ", " + _("{start}–{end}").format(
                    start=format_time(workshop.start), end=format_time(workshop.end)
                )
            yield f"{workshop.title} ({when})"

    def draw(self, canvas: Canvas, person: CertificateData) -> None:
        """Draw one certificate on its own A4 page."""
        page_w, page_h = (v * MM for v in PAGE_SIZES_MM["A4"])
        canvas.setPageSize((page_w, page_h))
        left = 25 * MM
        width = page_w - 2 * left
        top = page_h - 22 * MM
        # Header: accent rule, event name, logo.
        canvas.setFillColorRGB(*ACCENT)
        canvas.rect(0, page_h - 6 * MM, page_w, 6 * MM, stroke=0, fill=1)
        text_w = width
        if self._logo is not None:
            img_w, img_h = self._logo.getSize()
            logo_h = 18 * MM
            logo_w = min(logo_h * img_w / img_h, 50 * MM)
            logo_h = logo_w * img_h / img_w
            canvas.drawImage(self._logo, left + width - logo_w, top - logo_h, logo_w, logo_h)
            text_w = width - logo_w - 8 * MM
        y = self._lines(canvas, self.event.name, left, top, text_w, 11, bold=True, colour=GREY, max_lines=2)
        y = min(y, top - 18 * MM) - 22 * MM
        y = self._lines(canvas, _("Certificate of attendance"), left, y, width, 28, bold=True, max_lines=1)
        y -= 14 * MM
        y = self._lines(canvas, _("This is to certify that"), left, y, width, 12)
        y -= 5 * MM
        y = self._lines(canvas, person.name, left, y, width, 22, bold=True, max_lines=2, min_size=14)
        if person.organisation.strip():
            y -= 2 * MM
            y = self._lines(canvas, person.organisation, left, y, width, 12, colour=GREY, max_lines=2)
        y -= 6 * MM
        place = ", ".join(p for p in (self.event.venue, self.event.address) if p.strip())
        sentence = _("attended the event “{event}” on {dates} (venue: {place}).").format(
            event=self.event.name,
            dates=self.event.date_range_text(),
            place=place,
        )
        y = self._lines(canvas, sentence, left, y, width, 12, max_lines=4, min_size=10, leading=1.4)
        y -= 10 * MM
        signature_y = 48 * MM
        sections: list[tuple[str, list[str]]] = [
            (_("Days attended"), [_format_date(d) for d in person.days]),
        ]
        if person.workshops:
            sections.append((_("Workshops attended"), list(self._items(person))))
        # Shrink the lists if many workshops would reach the signature.
        size = 11.0
        lines_needed = sum(1 + len(items) for _, items in sections)
        available = y - signature_y - 25 * MM
        while size > 8 and lines_needed * size * 1.75 > available:
            size -= 0.5
        for heading, items in sections:
            y = self._lines(canvas, heading.upper(), left, y, width, size * 0.85, bold=True, colour=GREY)
            y -= 2.5 * MM
            for item in items:
                canvas.setFillColorRGB(*ACCENT)
                canvas.circle(left + 1.2 * MM, y - size * 0.4, 0.7 * MM, stroke=0, fill=1)
                y = self._lines(canvas, item, left + 5 * MM, y, width - 5 * MM, size, max_lines=2) - 1.5 * MM
            y -= 5 * MM
        # Place, date and signature line.
        last_day = format_date(self.event.days[-1].date)
        self._lines(
            canvas,
            _("{place}, {date}").format(place=_place(self.event, self._spec), date=last_day),
            left,
            signature_y + 8 * MM,
            70 * MM,
            11,
        )
        sign_x = left + width - 75 * MM
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineWidth(0.6)
        canvas.line(sign_x, signature_y, left + width, signature_y)
        signer = str(self._spec.get("signer") or "")
        role = str(self._spec.get("signer_role") or _("for the organisers"))
        y2 = signature_y - 2 * MM
        if signer:
            y2 = self._lines(canvas, signer, sign_x, y2, 75 * MM, 10, max_lines=1) - 1 * MM
        self._lines(canvas, role, sign_x, y2, 75 * MM, 9, colour=GREY, max_lines=2)
        self._lines(
            canvas,
            _("Registration code: {code}").format(code=person.code),
            left,
            18 * MM,
            width,
            7.5,
            colour=GREY,
            max_lines=1,
        )
        canvas.showPage()
