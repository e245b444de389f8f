"""The vocabulary of an import: its target fields, the column names that mean them, weekday names.

Everything here is data or a pure text helper: ``mapping`` uses it to find
which column holds which field, ``values`` to read day and workshop cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from checkin.i18n import N_, _
from checkin.presentation.formats import format_date

FORMATS = ("auto", "pretix", "eventbrite", "generic")
DAY_FIELD_PREFIX = "day:"


@dataclass(frozen=True)
class FieldSpec:
    """A target field of the import; ``label`` is translated when read."""

    key: str
    source_label: str
    label_args: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return _(self.source_label).format(**dict(self.label_args))


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", N_("Code (QR code content)")),
    FieldSpec("order_code", N_("Order code")),
    FieldSpec("salutation", N_("Salutation")),
    FieldSpec("title", N_("Title")),
    FieldSpec("first_name", N_("First name")),
    FieldSpec("last_name", N_("Last name")),
    FieldSpec("full_name", N_("Full name")),
    FieldSpec("organisation", N_("Organisation")),
    FieldSpec("function", N_("Function")),
    FieldSpec("email", N_("Email")),
    FieldSpec("category", N_("Category")),
    FieldSpec("product", N_("Product / ticket type")),
    FieldSpec("status", N_("Status")),
    FieldSpec("days", N_("Days (list of days)")),
    FieldSpec("workshops", N_("Workshops")),
    FieldSpec("notes", N_("Notes")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
NAME_FIELDS = ("full_name", "last_name", "first_name")

GENERIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": (
        "Ticket secret",
        "Ticket-Geheimnis",
        "Secret",
        "Barcode #",
        "Barcode",
        "Attendee #",
        "Ticket code",
        "Ticketcode",
        "Ticket ID",
        "Ticketnummer",
        "Ticket number",
        "Public ID",
        "Buchungsnummer",
        "Buchungs-Nr",
        "Buchungscode",
        "Anmeldenummer",
        "Anmelde-Nr",
        "Anmeldungsnummer",
        "Anmelde-ID",
        "Registrierungsnummer",
        "Teilnehmernummer",
        "Teilnehmer-Nr",
        "Teilnehmer-ID",
        "Registration ID",
        "Registration number",
        "QR-Code",
        "QR code",
        "Code",
        "ID",
    ),
    "order_code": (
        "Order code",
        "Order #",
        "Order number",
        "Order ID",
        "Order Ref",
        "Order reference",
        "ReservationID",
        "Reservation ID",
        "Bestellnummer",
        "Bestell-Nr",
        "Bestellcode",
        "Auftragsnummer",
    ),
    "salutation": ("Attendee name: Salutation", "Anrede", "Salutation", "Prefix", "Honorific"),
    "title": (
        "Attendee name: Title",
        "Titel",
        "Title",
        "Akademischer Titel",
        "Akademischer Grad",
        "Akad. Grad",
        "Namenszusatz",
    ),
    "first_name": (
        "Attendee name: Given name",
        "Attendee name: First name",
        "Vorname",
        "Vornamen",
        "First Name",
        "Firstname",
        "Given name",
        "Forename",
        "Rufname",
    ),
    "last_name": (
        "Attendee name: Family name",
        "Attendee name: Last name",
        "Attendee name: Surname",
        "Nachname",
        "Familienname",
        "Zuname",
        "Last Name",
        "Lastname",
        "Family name",
        "Surname",
    ),
    "full_name": (
        "Attendee name",
        "Full Name",
        "Name",
        "Vollständiger Name",
        "Vor- und Nachname",
        "Vor- und Zuname",
        "Name, Vorname",
        "Nachname, Vorname",
        "Vorname Nachname",
        "Teilnehmer",
        "Teilnehmerin",
        "Teilnehmer/in",
        "Teilnehmername",
        "Participant",
        "Participant name",
        "Attendee",
    ),
    "organisation": (
        "Company",
        "Organisation",
        "Organization",
        "Institution",
        "Behörde",
        "Dienststelle",
        "Firma",
        "Unternehmen",
        "Affiliation",
        "Arbeitgeber",
        "Einrichtung",
        "Jobcenter",
        "Träger",
        "Kommune",
        "Verwaltung",
        "Organisation/Institution",
        "Institution/Behörde",
        "Behörde/Institution",
        "Attendee company",
        "Company name",
    ),
    "function": (
        "Funktion",
        "Position",
        "Job Title",
        "Function",
        "Funktion/Position",
        "Position/Funktion",
        "Stellung",
        "Tätigkeit",
        "Berufsbezeichnung",
        "Dienstbezeichnung",
        "Amtsbezeichnung",
        "Job",
    ),
    "email": (
        "Attendee email",
        "Attendee e-mail",
        "E-Mail",
        "Email",
        "E-Mail-Adresse",
        "E-Mail Adresse",
        "Email Address",
        "Mail",
        "Mailadresse",
    ),
    "category": (
        "Kategorie",
        "Category",
        "Teilnehmerkategorie",
        "Teilnehmergruppe",
        "Teilnehmerart",
        "Teilnahmeart",
        "Art der Teilnahme",
        "Rolle",
        "Role",
        "Badge category",
        "Badge type",
    ),
    "product": (
        "Product",
        "Product name",
        "Produkt",
        "Ticket type",
        "Ticket-Typ",
        "Tickettyp",
        "Ticketart",
        "Ticket-Art",
        "Ticketkategorie",
        "Tarif",
        "Item",
        "Artikel",
    ),
    "status": (
        "Attendee Status",
        "Status",
        "Registration state",
        "Registration status",
        "Anmeldestatus",
        "Buchungsstatus",
    ),
    "days": (
        "Tage",
        "Days",
        "Teilnahmetage",
        "Teilnahmetag",
        "Teilnahme an",
        "Veranstaltungstage",
        "Date Attending",
        "Tag",
        "Day",
    ),
    "workshops": (
        "Workshops",
        "Workshop",
        "Workshop-Auswahl",
        "Sessions",
        "Session",
        "Fachforum",
        "Fachforen",
        "Forum",
        "Foren",
        "Arbeitsgruppe",
        "Arbeitsgruppen",
        "Breakout",
        "Track",
    ),
    "notes": (
        "Notizen",
        "Notiz",
        "Notes",
        "Note",
        "Bemerkung",
        "Bemerkungen",
        "Anmerkung",
        "Anmerkungen",
        "Kommentar",
        "Comment",
        "Comments",
        "Hinweis",
        "Hinweise",
    ),
}

# Columns a preset knows by their exact name, tried before the generic synonyms.
PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    "generic": {},
    "pretix": {
        "code": ("Ticket secret", "Secret", "Ticket-Geheimnis", "Geheimnis"),
        "order_code": ("Order code", "Bestellnummer", "Bestellcode"),
        "full_name": ("Attendee name", "Name des Teilnehmers", "Teilnehmername"),
        "email": ("Attendee email", "E-Mail des Teilnehmers"),
        "organisation": ("Company", "Firma"),
        "status": ("Status",),
        "product": ("Product", "Produkt"),
    },
    "eventbrite": {
        "code": ("Barcode #", "Attendee #"),
        "order_code": ("Order #",),
        "status": ("Attendee Status",),
        "function": ("Job Title",),
        "organisation": ("Company",),
        "product": ("Ticket Type",),
    },
}

# Fields whose second matching column is used when the first is empty in a row
# (pretix: the attendee email is often empty; the order email is not).
FALLBACK_FIELDS = ("email",)

# Order in which fields choose their column (a column goes to the first field that wants it).
FIELD_ORDER = (
    "code",
    "order_code",
    "first_name",
    "last_name",
    "full_name",
    "title",
    "salutation",
    "email",
    "organisation",
    "function",
    "category",
    "product",
    "status",
    "days",
    "workshops",
    "notes",
)
MIN_PREFIX = 4  # shorter synonyms ("ID", "Tag", "Mail") only match whole headers
# Normalised synonyms that would catch unrelated columns as a prefix ("Order date", "Position ID").
NO_PREFIX = frozenset(
    {
        "order",
        "attendee",
        "position",
        "barcode",
        "secret",
        "code",
        "tage",
        "track",
        "note",
        "role",
        "name",
        "participant",
        "session",
        "forum",
        "foren",
        "title",
        "titel",
        "product",
        "item",
        "tarif",
    }
)


@lru_cache(maxsize=4096)  # called per row for category, product and status values, which repeat
def normalise_header(text: str) -> str:
    """Lower case, no accents, letters and digits only: "E-Mail-Adresse" -> "emailadresse".

    "#" reads "nr": "Attendee #" (Eventbrite's ticket number) -> "attendeenr", not "attendee" (a name).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss").replace("#", "nr"))
    return "".join(ch for ch in decomposed if ch.isalnum())


def day_field(date: dt.date) -> str:
    return f"{DAY_FIELD_PREFIX}{date.isoformat()}"


def parse_day_field(key: str) -> dt.date | None:
    if not key.startswith(DAY_FIELD_PREFIX):
        return None
    try:
        return dt.date.fromisoformat(key[len(DAY_FIELD_PREFIX) :])
    except ValueError:
        return None


def fields_for_event(event: object) -> tuple[FieldSpec, ...]:
    """FIELDS plus one yes/no field per event day (for the mapping combo boxes)."""
    days = getattr(event, "days", ())
    per_day = tuple(
        FieldSpec(
            day_field(day.date),
            N_("Attends on {date} (yes/no)"),
            (("date", format_date(day.date)),),
        )
        for day in days
    )
    return FIELDS + per_day


def workshop_synonyms(workshop_label: str) -> tuple[str, ...]:
    """The event's own word for workshops ("Zukunftswerkstatt") and its plural forms."""
    label = workshop_label.strip()
    if not label:
        return ()
    forms = [label, label + "s", label + "en", label + "e"]
    if label.endswith("statt"):
        forms.append(label[: -len("statt")] + "stätten")
    return tuple(forms)


_DATE_IN_TEXT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.\s?(\d{1,2})\.(\d{2,4})?")


def dates_in_text(text: str, years: Sequence[int] = ()) -> list[dt.date]:
    """Dates written in ``text`` (19.09.2024, 19.9., 19.09.24, 2024-09-19); a missing year is taken
    from ``years`` (the event's years) when that is unambiguous."""
    found: list[dt.date] = []
    for match in _DATE_IN_TEXT.finditer(text):
        try:
            if match.group(1):
                found.append(dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
                continue
            day, month, year_text = int(match.group(4)), int(match.group(5)), match.group(6)
            if year_text:
                year = int(year_text)
                year = year + 2000 if year < 100 else year
                found.append(dt.date(year, month, day))
            else:
                for year in sorted(set(years)):
                    found.append(dt.date(year, month, day))
        except ValueError:
            continue
    return found
