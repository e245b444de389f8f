"""Certificates of attendance (Teilnahmebescheinigung): A4, one page per person who came.

They say only what the check-in log shows (see ``certificate_data``): the
attended days, the programme items (plenaries and the event's own word for
workshops) with times, their extent in hours or teaching units, and a role
line for people in a category other than the default (speakers, press…).
The text follows the UI language (German by default). Everything stays
inside a 5 mm margin that office printers cannot print.

Optional ``[certificate]`` table in the event file::

    [certificate]
    place = "Berlin"                 # place in "Berlin, 20.09.2024" (default: city of the address)
    signer = "Dr. Anna Beispiel"     # printed under the signature line
    signer_role = "Geschäftsführerin"
    organiser = "Deutscher Landkreistag"
    signature = "unterschrift.png"   # image above the line (relative to the event file);
                                     # without it the page says it is valid without signature
    workshops_heading = "Zukunftswerkstätten"  # default: the event's workshop_label
    plenaries = "day"                # see certificate_data
    extent = "hours"                 # "hours", "units" or "none"
    unit_minutes = 45
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.certificate_data import CertificateData, collect_attendance
from checkin.badges.coverage import UnprintableNameError, describe, find_unprintable
from checkin.badges.fonts import FontSet, draw_runs, register_fonts, visual_text
from checkin.badges.layouts import MM, PAGE_SIZES_MM
from checkin.badges.logo import load_logo
from checkin.badges.pdfstream import StreamingPdfWriter, single_pdf
from checkin.badges.textfit import FittedText, fit_text, wrap
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import DayInfo, EventInfo, SessionInfo
from checkin.domain.progress import NullProgress, Progress, check_cancelled
from checkin.i18n import _, current_language, ngettext
from checkin.presentation.formats import format_date, format_dates, format_time, format_weekday_date

__all__ = ["CertificateData", "CertificateWriter", "NoAttendanceError", "UnprintableNameError"]

INK = (0.07, 0.07, 0.09)
GREY = (0.38, 0.39, 0.42)
ACCENT = (0.12, 0.37, 0.66)
_PART_SIZE = 100  # certificates rendered per streamed part
_NO_PROGRESS = NullProgress()


class NoAttendanceError(UserError, ValueError):
    """Nobody in the selection attended, so there is no certificate to make."""


def _format_date(day: DayInfo) -> str:
    """The German day label of the event file, or an English date."""
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
        signature = self._spec.get("signature")
        self._signature: ImageReader | None = load_logo(signature if isinstance(signature, str) else None)

    def attendance(self, registration_ids: Sequence[int] | None = None) -> list[CertificateData]:
        """Everybody (or everybody in ``registration_ids``) with at least one check-in, sorted by name.

        Raises ``UnprintableNameError`` (listing them) if a name or organisation has
        characters no font has: a certificate never shows "�" for part of a name.
        """
        people = collect_attendance(self.db, self.event, self._spec, registration_ids)
        unprintable = find_unprintable(((p.code, (p.name, p.organisation)) for p in people), self.fonts)
        if unprintable:
            raise UnprintableNameError(
                _(
                    "No certificate was made: these names have characters no font has, "
                    "and a certificate must show the name exactly:"
                )
                + "\n"
                + describe(unprintable)
            )
        return people

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

    def _item_line(self, item: SessionInfo) -> str:
        when = format_date(item.day)
        if item.start and item.end:
            when += ", " + _("{start}–{end}").format(start=format_time(item.start), end=format_time(item.end))
        return f"{item.title} ({when})"

    def _sections(self, person: CertificateData) -> Iterator[tuple[str, list[str]]]:
        yield _("Days attended"), [_format_date(d) for d in person.days]
        if person.plenaries:
            yield _("Programme attended"), [self._item_line(s) for s in person.plenaries]
        if person.workshops:
            heading = str(self._spec.get("workshops_heading") or self.event.workshop_label or _("Workshops"))
            yield heading, [self._item_line(s) for s in person.workshops]

    def extent_text(self, person: CertificateData) -> str:
        """'Extent: 6.5 hours' / '… teaching units', or '' if switched off or no item has times."""
        mode = self._spec.get("extent", "hours")
        minutes = person.minutes
        if mode == "none" or minutes <= 0:
            return ""
        if mode == "units":
            unit = self._spec.get("unit_minutes", 45)
            unit = unit if isinstance(unit, int) and unit > 0 else 45
            units = math.floor(minutes / unit * 2) / 2  # whole or half units, never more than attended
            return ngettext(
                "Extent: {n} teaching unit of {minutes} minutes",
                "Extent: {n} teaching units of {minutes} minutes",
                1 if units == 1 else 2,
            ).format(n=_decimal(units), minutes=unit)
        hours = minutes / 60
        return ngettext("Extent: {n} hour", "Extent: {n} hours", 1 if hours == 1 else 2).format(
            n=_decimal(hours)
        )

    def draw(self, canvas: Canvas, person: CertificateData) -> None:
        """Draw one certificate on its own A4 page."""
        page_w, page_h = (v * MM for v in PAGE_SIZES_MM["A4"])
        canvas.setPageSize((page_w, page_h))
        left = 25 * MM
        width = page_w - 2 * left
        top = page_h - 24 * MM
        # Header: accent rule (inside the printable area), event name, logo.
        canvas.setFillColorRGB(*ACCENT)
        canvas.rect(left, page_h - 14 * MM, width, 2.5 * MM, stroke=0, fill=1)
        text_w = width
        if self._logo is not None:
            img_w, img_h = self._logo.getSize()
            logo_h = 18 * MM
            logo_w = min(logo_h * img_w / img_h, 50 * MM)
            logo_h = logo_w * img_h / img_w
            canvas.drawImage(self._logo, left + width - logo_w, top - logo_h, logo_w, logo_h)
            text_w = width - logo_w - 8 * MM
        y = self._lines(canvas, self.event.name, left, top, text_w, 11, bold=True, colour=GREY, max_lines=2)
        y = min(y, top - 18 * MM) - 10 * MM
        y = self._lines(canvas, _("Certificate of attendance"), left, y, width, 28, bold=True, max_lines=1)
        y -= 9 * MM
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
            dates=format_dates([d.date for d in person.days]),
            place=place,
        )
        y = self._lines(canvas, sentence, left, y, width, 12, max_lines=4, min_size=10, leading=1.4)
        if person.role:
            y -= 2 * MM
            role_line = _("Role: {role}").format(role=person.role)
            y = self._lines(canvas, role_line, left, y, width, 12, bold=True, max_lines=2)
        extent = self.extent_text(person)
        if extent:
            y -= 2 * MM
            y = self._lines(canvas, extent, left, y, width, 12, max_lines=1)
        y -= 9 * MM
        signature_y = 44 * MM
        sections = list(self._sections(person))
        # Shrink the lists if many items would reach the signature block.
        size = 11.0

        def needed(size: float) -> float:  # points
            heads = len(sections) * (size * 0.85 * 1.3 + 6 * MM)
            items = [item for _, group in sections for item in group]
            lines = sum(min(len(wrap(item, self.fonts, size, width - 5 * MM)), 2) for item in items)
            return heads + lines * size * 1.3 + len(items) * 1.2 * MM

        available = y - signature_y - 16 * MM  # down to the place and date line
        while size > 7.5 and needed(size) > available:
            size -= 0.5
        for heading, items in sections:
            y = self._lines(canvas, heading.upper(), left, y, width, size * 0.85, bold=True, colour=GREY)
            y -= 2 * MM
            for item in items:
                canvas.setFillColorRGB(*ACCENT)
                canvas.circle(left + 1.2 * MM, y - size * 0.4, 0.7 * MM, stroke=0, fill=1)
                y = self._lines(canvas, item, left + 5 * MM, y, width - 5 * MM, size, max_lines=2) - 1.2 * MM
            y -= 4 * MM
        self._organiser_block(canvas, left, width, signature_y)
        self._lines(
            canvas,
            _("Registration code: {code}").format(code=person.code),
            left,
            14 * MM,
            width,
            7.5,
            colour=GREY,
            max_lines=1,
        )
        canvas.showPage()

    def _organiser_block(self, canvas: Canvas, left: float, width: float, signature_y: float) -> None:
        """Place and date on the left; signature (image or line), signer and organiser on the right."""
        last_day = format_date(self.event.days[-1].date)
        self._lines(
            canvas,
            _("{place}, {date}").format(place=_place(self.event, self._spec), date=last_day),
            left,
            signature_y + 8 * MM,
            70 * MM,
            11,
        )
        sign_w = 75 * MM
        sign_x = left + width - sign_w
        if self._signature is not None:
            img_w, img_h = self._signature.getSize()
            sig_h = 18 * MM
            sig_w = min(sig_h * img_w / img_h, sign_w)
            sig_h = sig_w * img_h / img_w
            canvas.drawImage(self._signature, sign_x, signature_y + 1 * MM, sig_w, sig_h)
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineWidth(0.6)
        canvas.line(sign_x, signature_y, left + width, signature_y)
        y = signature_y - 2 * MM
        signer = str(self._spec.get("signer") or "")
        if signer:
            y = self._lines(canvas, signer, sign_x, y, sign_w, 10, max_lines=1) - 1 * MM
        role = str(self._spec.get("signer_role") or "")
        organiser = str(self._spec.get("organiser") or "")
        if not role and not organiser:
            role = _("for the organisers")
        for line in (role, organiser):
            if line:
                y = self._lines(canvas, line, sign_x, y, sign_w, 9, colour=GREY, max_lines=2) - 0.5 * MM
        if self._signature is None:
            self._lines(
                canvas,
                _("This certificate was produced by machine and is valid without a signature."),
                left,
                signature_y - 20 * MM,
                width,
                8.5,
                colour=GREY,
                max_lines=2,
            )


def _decimal(value: float) -> str:
    """At most two decimals, no trailing zeros; decimal comma in German."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if current_language() == "de" else text
