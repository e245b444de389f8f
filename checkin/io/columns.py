"""Which column of a registration list holds which field.

Headers are compared after normalising (case, accents, punctuation and
spaces ignored: "E-Mail-Adresse" == "email adresse"), first exactly against
German and English synonyms in priority order, then by prefix ("Total Paid
(USD)", "E-Mail (dienstlich)"). Presets for pretix and Eventbrite put their
own column names first; Indico, Hi.Events, Attendize and alf.io headers are
among the generic synonyms. A column per event day is found by the date (or
weekday / day label) in its header, e.g. "Teilnahme 19.09.2024".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checkin.domain.weekdays import WEEKDAY_WORDS
from checkin.i18n import N_, _

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
    FieldSpec("status", N_("Status")),
    FieldSpec("days", N_("Days (list of days)")),
    FieldSpec("workshops", N_("Workshops")),
    FieldSpec("notes", N_("Notes")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
NAME_FIELDS = ("full_name", "last_name", "first_name")

_GENERIC: dict[str, tuple[str, ...]] = {
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
    },
    "eventbrite": {
        "code": ("Barcode #", "Attendee #"),
        "order_code": ("Order #",),
        "status": ("Attendee Status",),
        "function": ("Job Title",),
        "organisation": ("Company",),
    },
}

# Fields whose second matching column is used when the first is empty in a row
# (pretix: the attendee email is often empty; the order email is not).
FALLBACK_FIELDS = ("email",)

# Order in which fields choose their column (a column goes to the first field that wants it).
_FIELD_ORDER = (
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
    "status",
    "days",
    "workshops",
    "notes",
)
_MIN_PREFIX = 4  # shorter synonyms ("ID", "Tag", "Mail") only match whole headers
# Normalised synonyms that would catch unrelated columns as a prefix ("Order date", "Position ID").
_NO_PREFIX = frozenset(
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
    }
)


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
            (("date", day.date.strftime("%d.%m.%Y")),),
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


def day_for_header(header: str, days: Sequence[object]) -> dt.date | None:
    """The event day a per-day column stands for ("Teilnahme 19.09.2024", "Donnerstag", a day label)."""
    dates = [d.date for d in days]  # type: ignore[attr-defined]
    in_header = [d for d in dates_in_text(header, [d.year for d in dates]) if d in dates]
    if len(set(in_header)) == 1:
        return in_header[0]
    norm = normalise_header(header)
    for day in days:
        label = normalise_header(getattr(day, "label", "") or "")
        if label and label == norm:
            return day.date  # type: ignore[attr-defined]
    words = set(re.findall(r"[a-zäöüß]+", header.casefold()))
    hits = [d for d in dates if words & {w for w in WEEKDAY_WORDS[d.weekday()] if len(w) > 3}]
    if len(hits) == 1:
        return hits[0]
    return None


@dataclass(frozen=True)
class ColumnMapping:
    """The detected or chosen mapping: field -> header, and fallback columns per field."""

    fields: dict[str, str]
    fallbacks: dict[str, str]


def _synonym_table(preset: str, workshop_label: str) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for field in _FIELD_ORDER:
        names = list(PRESETS.get(preset, {}).get(field, ())) + list(_GENERIC[field])
        if field == "workshops":
            names = list(workshop_synonyms(workshop_label)) + names
        table[field] = [n for n in dict.fromkeys(normalise_header(x) for x in names) if n]
    return table


def header_score(cells: Sequence[str], workshop_label: str = "") -> int:
    """How many cells of a row are known header names (to find the header row)."""
    known = {syn for names in _synonym_table("generic", workshop_label).values() for syn in names}
    score = 0
    for cell in cells:
        norm = normalise_header(cell)
        if norm in known:
            score += 1
    return score


def find_header_row(rows: Sequence[Sequence[str]], workshop_label: str = "", *, look_ahead: int = 15) -> int:
    """Index of the header row: the first of the first rows with the most known header names."""
    best_index, best_score = 0, 0
    for index, row in enumerate(rows[:look_ahead]):
        score = header_score(row, workshop_label)
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def detect_format(headers: Sequence[str]) -> str:
    """ "pretix", "eventbrite" or "generic" from the column names."""
    norm = {normalise_header(h) for h in headers}
    if "ordercode" in norm and ({"ticketsecret", "positionid", "secret"} & norm):
        return "pretix"
    if ("bestellnummer" in norm or "bestellcode" in norm) and ({"ticketgeheimnis", "positionsid"} & norm):
        return "pretix"
    if "ordernr" in norm and ("attendeenr" in norm or "barcodenr" in norm):
        return "eventbrite"
    return "generic"


def detect_mapping(
    headers: Sequence[str], *, preset: str = "generic", workshop_label: str = "", days: Sequence[object] = ()
) -> ColumnMapping:
    """Map fields to headers (each header used once) by exact synonym, per-day date, then prefix."""
    table = _synonym_table(preset, workshop_label)
    norm_headers = [normalise_header(h) for h in headers]
    taken: set[int] = set()
    fields: dict[str, str] = {}
    fallbacks: dict[str, str] = {}
    # 1. exact synonyms, in each field's order of preference
    for field in _FIELD_ORDER:
        for synonym in table[field]:
            index = next((i for i, h in enumerate(norm_headers) if h == synonym and i not in taken), None)
            if index is not None:
                fields[field] = headers[index]
                taken.add(index)
                break
    for field in FALLBACK_FIELDS:
        if field in fields:
            for synonym in table[field]:
                index = next((i for i, h in enumerate(norm_headers) if h == synonym and i not in taken), None)
                if index is not None:
                    fallbacks[field] = headers[index]
                    taken.add(index)
                    break
    # 2. one column per event day
    if days and "days" not in fields:
        for index, header in enumerate(headers):
            if index in taken:
                continue
            date = day_for_header(header, days)
            if date is not None and day_field(date) not in fields:
                fields[day_field(date)] = header
                taken.add(index)
    # 3. prefixes, longest synonym first ("E-Mail-Adresse (dienstlich)" -> email)
    candidates = sorted(
        (
            (len(syn), field, syn)
            for field, names in table.items()
            for syn in names
            if len(syn) >= _MIN_PREFIX and syn not in _NO_PREFIX
        ),
        reverse=True,
    )
    for _length, field, synonym in candidates:
        if field in fields:
            continue
        index = next(
            (i for i, h in enumerate(norm_headers) if i not in taken and h.startswith(synonym)), None
        )
        if index is not None:
            fields[field] = headers[index]
            taken.add(index)
    # German lists: "Vorname" + "Name" means "Name" is the family name.
    if (
        "first_name" in fields
        and "last_name" not in fields
        and normalise_header(fields.get("full_name", "")) == "name"
    ):
        fields["last_name"] = fields.pop("full_name")
    return ColumnMapping(fields=fields, fallbacks=fallbacks)


def resolve_override(
    field: str, column: str, headers: Sequence[str], event: object | None = None
) -> tuple[str, str]:
    """Check one ``--map FIELD=COLUMN``; return (field key, header as written in the file; "" unmaps).

    FIELD is a key ("last_name") or a label in German or English ("Nachname", "Last name").

    Raises:
        ValueError: with a translated message naming the known fields or columns.
    """
    specs = fields_for_event(event) if event is not None else FIELDS
    known_fields = [f.key for f in specs]
    if field not in known_fields:
        # the label works too, in German or English: --map Nachname=Name, --map "Last name=Name"
        by_label = {normalise_header(f.label): f.key for f in specs}
        by_label.update({normalise_header(f.source_label.format(**dict(f.label_args))): f.key for f in specs})
        field = by_label.get(normalise_header(field), field)
    if field not in known_fields:
        raise ValueError(
            _("Unknown field '{field}'. Known fields: {fields}.").format(
                field=field, fields=", ".join(known_fields)
            )
        )
    if not column.strip():
        return field, ""
    if column in headers:
        return field, column
    wanted = normalise_header(column)
    matches = [h for h in headers if normalise_header(h) == wanted]
    if len(matches) >= 1:
        return field, matches[0]
    raise ValueError(
        _("The file has no column '{column}'. Its columns are: {columns}.").format(
            column=column, columns=", ".join(headers)
        )
    )


def apply_overrides(
    mapping: ColumnMapping, overrides: Mapping[str, str], headers: Sequence[str], event: object | None = None
) -> ColumnMapping:
    """The mapping with ``overrides`` (field -> column; "" removes the field) applied."""
    fields = dict(mapping.fields)
    fallbacks = dict(mapping.fallbacks)
    for given, column in overrides.items():
        field, header = resolve_override(given, column, headers, event)
        if header:
            # a column can serve one field only (except code and order code being the same column)
            for other, used in list(fields.items()):
                if used == header and other != field and {other, field} != {"code", "order_code"}:
                    del fields[other]
            fields[field] = header
        else:
            fields.pop(field, None)
            fallbacks.pop(field, None)
    return ColumnMapping(fields=fields, fallbacks=fallbacks)
