"""Helpers for badge tests: registrations with long and non-Latin names, PDF inspection."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from checkin.domain.codes import generate_code
from checkin.domain.db import Database
from checkin.domain.events import EventInfo
from checkin.domain.models import EventSession, Registration, RegistrationStatus

MM = 72.0 / 25.4


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    title: str = ""
    organisation: str = ""
    function: str = ""
    category: str = "participant"
    workshops: tuple[str, ...] = ()
    status: str = "active"


HARD_NAMES: tuple[Person, ...] = (
    Person(
        "Maximilian-Alexander",
        "Freiherr von Hohenzollern-Sigmaringen",
        "Prof. Dr.",
        "Kommunales Jobcenter des Landkreises Marburg-Biedenkopf – Kreisjobcenter (KJC) "
        "Anstalt des öffentlichen Rechts",
        "Leiter des Fachbereichs Arbeitsmarktintegration und Grundsatzangelegenheiten",
        "speaker",
        ("zw-digitalisierung",),
    ),
    Person("Łukasz", "Wróblewski", organisation="Miasto Wrocław", category="press"),
    Person("Şebnem", "Yılmaz", organisation="Jobcenter Offenbach", workshops=("zw-bass",)),
    Person("Nguyễn Thị", "Minh Khai", organisation="Jobcenter Landkreis Fulda"),
    Person("Ольга Сергеевна", "Кузнецова", organisation="Администрация"),
    Person("Ελένη", "Παπαδοπούλου", organisation="Δήμος Αθηναίων", category="staff"),
    Person("محمد", "عبد الله", organisation="Jobcenter Kreis Groß-Gerau"),
    Person("שרה", "לוי", organisation="Jobcenter Kreis Bergstraße"),
    Person("Jürgen", "Müller-Lüdenscheidt", "Dr.", "Jobcenter Märkischer Kreis", "Geschäftsführer"),
    Person("Æsa", "Strauß", organisation="Kreis Schleswig-Flensburg"),
)


def add_people(db: Database, event: EventInfo, people: Sequence[Person]) -> list[tuple[int, str]]:
    """Insert registrations; return (id, code) in the given order."""
    result = []
    with db.session_factory.begin() as session:
        sessions = {s.key: s for s in session.query(EventSession).filter_by(event_id=event.id)}
        for person in people:
            category = event.category_by_key(person.category)
            registration = Registration(
                event_id=event.id,
                code=generate_code(event.secret),
                title=person.title,
                first_name=person.first_name,
                last_name=person.last_name,
                organisation=person.organisation,
                function=person.function,
                category_id=category.id if category else None,
                status=RegistrationStatus(person.status),
            )
            registration.sessions = [sessions[key] for key in person.workshops]
            session.add(registration)
            session.flush()
            result.append((registration.id, registration.code))
    return result


def render_pngs(pdf: bytes | Path, tmp_path: Path, dpi: int = 200) -> list[Image.Image]:
    """Every page of ``pdf`` as a greyscale PIL image (pdftoppm)."""
    if isinstance(pdf, bytes):
        path = tmp_path / "render.pdf"
        path.write_bytes(pdf)
    else:
        path = pdf
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(prefix)], check=True)
    images = []
    for png in sorted(tmp_path.glob("page*.png")):
        with Image.open(png) as image:
            images.append(image.copy())
        png.unlink()
    return images


def pdf_reader(pdf: bytes | Path) -> PdfReader:
    data = pdf if isinstance(pdf, bytes) else pdf.read_bytes()
    return PdfReader(io.BytesIO(data))


def decode_qr(image: Image.Image) -> list[tuple[str, float, float]]:
    """Every QR code zxing-cpp finds on ``image``: (text, centre x, centre y) in pixels, top-left origin."""
    import zxingcpp

    found = []
    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        position = barcode.position
        corners = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
        found.append(
            (
                barcode.text,
                sum(c.x for c in corners) / 4,
                sum(c.y for c in corners) / 4,
            )
        )
    return found


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """BaseFont name -> whether its program is embedded (FontFile2 in the descriptor)."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_dict = resources.get_object().get("/Font")
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts
