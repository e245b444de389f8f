"""The demo: the seed event with synthetic but plausible registrations.

Names are invented (German and international, with umlauts, ß, Ł, ş, ễ,
Cyrillic and a few very long double names); organisations are the municipal
job centres of the German "Optionskommunen" plus ministries and associations.
Everything but the codes is determined by ``seed``: codes come from
``generate_code`` with the event secret, like the codes of a real list.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from checkin.domain.codes import generate_code
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.events import EventInfo, EventService
from checkin.domain.models import utcnow
from checkin.i18n import _

DEMO_SOURCE = "demo"


class DemoExistsError(UserError):
    """The demo event already has registrations and no reset was asked for."""


# --------------------------------------------------------------------------- the people

# fmt: off
_FIRST_FEMALE = (
    "Anna", "Sabine", "Claudia", "Petra", "Andrea", "Stefanie", "Julia", "Katharina", "Susanne", "Birgit",
    "Nicole", "Kerstin", "Monika", "Ute", "Heike", "Silke", "Melanie", "Christina", "Sandra", "Jana",
    "Lena", "Miriam", "Franziska", "Anja", "Doris", "Gabriele", "Ingrid", "Renate", "Ulrike", "Tanja",
    "Annegret", "Maren", "Wiebke", "Friederike", "Hannelore", "Karin", "Elke", "Jutta", "Sophie", "Marie",
    "Charlotte", "Johanna", "Dörte", "Bärbel", "Jördis", "Anne-Kathrin", "Eva-Maria", "Luisa", "Svenja",
)
_FIRST_MALE = (
    "Thomas", "Michael", "Andreas", "Stefan", "Frank", "Markus", "Christian", "Martin", "Jürgen", "Klaus",
    "Peter", "Wolfgang", "Matthias", "Uwe", "Ralf", "Jörg", "Holger", "Dirk", "Sven", "Torsten",
    "Bernd", "Björn", "Jan", "Tobias", "Florian", "Sebastian", "Alexander", "Daniel", "Heiko", "Olaf",
    "Rüdiger", "Hans-Jürgen", "Karl-Heinz", "Jens", "Lars", "Malte", "Henning", "Timo", "Niklas", "Lukas",
    "Günter", "Detlef", "Ingo", "Carsten", "Axel", "Götz", "Hans-Peter", "Friedrich", "Moritz", "Felix",
)
_LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin",
    "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
    "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl",
    "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer",
    "Große-Wilde", "Dreßler", "Strauß", "Weißenböck", "Grünewald", "Oßwald", "Ehrhardt", "Janßen", "Ahlers",
    "Hinrichs", "Tjaden", "Oltmanns", "Rötger", "Büscher", "Löffler", "Nüßlein", "zur Mühlen", "von Rönne",
)
# (first name, last name): international names, each keeps its own letters.
_INTERNATIONAL = (
    ("Łukasz", "Kowalski"), ("Zofia", "Wójcik"), ("Małgorzata", "Zielińska"), ("Paweł", "Łęcki"),
    ("Ayşe", "Yılmaz"), ("Mehmet", "Öztürk"), ("Şükrü", "Çelik"), ("Elif", "Kılıç"), ("Barış", "Aydın"),
    ("Thị Minh Anh", "Nguyễn"), ("Văn Đức", "Trần"), ("Thị Hương", "Phạm"), ("Quốc Việt", "Lê"),
    ("Ольга", "Иванова"), ("Дмитрий", "Соколов"), ("Наталья", "Смирнова"), ("Алексей", "Кузнецов"),
    ("Dragana", "Petrović"), ("Željko", "Marković"), ("Ioana", "Popescu"), ("Tomáš", "Dvořák"),
    ("Søren", "Ødegård"), ("José", "García Fernández"), ("François", "Lefèvre"), ("Zoë", "O'Brien"),
    ("Aleksandra", "Nowak-Wiśniewska"), ("Ahmad", "Al-Hassan"), ("Fatma", "Demir"),
    ("Giorgos", "Papadopoulos"),
)
# Very long names, as they appear on real lists and must still fit on a badge.
_LONG_NAMES = (
    ("Anna-Katharina", "Freifrau von Hohenberg-Waldenfels"),
    ("Maximilian-Alexander", "Müller-Lüdenscheidt"),
    ("Karl-Theodor", "Schwarzenberg-Hohenlohe-Ingelfingen"),
    ("Marie-Luise", "Wittgenstein-Berleburg-Großkreutz"),
)

_SPEAKERS = (
    # The programme's speakers (names as in the event file), then panel guests and moderators.
    ("Prof. Dr.", "Ronnie", "Schöb", "Freie Universität Berlin", "Keynote"),
    ("Dr.", "Corinna", "Funke", "", "Vortrag"),
)
_SPEAKER_FUNCTIONS = ("Podium", "Moderation", "Impulsvortrag", "Leitung Zukunftswerkstatt")

_OPTIONSKOMMUNEN = (
    "Jobcenter Landkreis Osnabrück – MaßArbeit kAöR",
    "Kommunales Jobcenter Hamm",
    "Jobcenter Emsland",
    "Jobcenter Kreis Borken",
    "Jobcenter Hochsauerlandkreis",
    "Jobcenter Kreis Steinfurt",
    "Jobcenter Kreis Coesfeld",
    "Jobcenter Kreis Kleve",
    "Sozialagentur Mülheim an der Ruhr",
    "Jobcenter Wuppertal AöR",
    "Jobcenter EN – Ennepe-Ruhr-Kreis",
    "job-com – Jobcenter des Kreises Düren",
    "Jobcenter Lippe AöR",
    "Pro Arbeit – Kreis Minden-Lübbecke (Jobcenter) AöR",
    "Vestisches Jobcenter Kreis Recklinghausen",
    "Pro Arbeit – Kreis Offenbach – (AöR) Kommunales Jobcenter",
    "Kommunales Center für Arbeit – Jobcenter Main-Kinzig-Kreis",
    "Jobcenter Hochtaunus",
    "Kommunales Kreisjobcenter Landkreis Fulda",
    "KreisJobCenter Marburg-Biedenkopf",
    "Kommunales Job-Center Vogelsbergkreis",
    "Kommunales Jobcenter Rheingau-Taunus-Kreis",
    "Kommunales Jobcenter Odenwaldkreis",
    "Kreisagentur für Beschäftigung Darmstadt-Dieburg",
    "GGFA AöR – Jobcenter Stadt Erlangen",
    "Jobcenter Landkreis Miesbach",
    "Jobcenter Landkreis Schweinfurt",
    "jenarbeit – Jobcenter der Stadt Jena",
    "Jobcenter Landkreis Eichsfeld",
    "Jobcenter Vorpommern-Greifswald",
    "Jobcenter Landkreis Oberhavel",
    "Jobcenter Landkreis Oder-Spree",
    "Jobcenter Uckermark",
    "Jobcenter Ostprignitz-Ruppin",
    "Jobcenter Landkreis Spree-Neiße",
    "Kommunales Jobcenter Landkreis Görlitz",
    "Jobcenter Landkreis Bautzen",
    "Jobcenter Erzgebirgskreis",
    "Jobcenter Landkreis Leipzig",
    "Kommunales Jobcenter Landkreis Meißen",
    "Kommunales Jobcenter Saalekreis",
    "KomBA-ABI – Kommunale Beschäftigungsagentur Jobcenter Landkreis Anhalt-Bitterfeld",
    "Jobcenter Salzlandkreis",
    "Kommunales Jobcenter Landkreis Harz",
    "Jobcenter Burgenlandkreis",
    "Jobcenter Landkreis Göttingen",
    "Jobcenter Landkreis Osterholz",
    "Jobcenter Landkreis Rotenburg (Wümme)",
    "Jobcenter Heidekreis",
    "Jobcenter Landkreis Leer",
    "Jobcenter Ammerland",
    "Jobcenter Grafschaft Bentheim",
    "Jobcenter Landkreis Peine",
    "Jobcenter Landkreis Schaumburg",
    "Jobcenter Landkreis Südwestpfalz",
    "Jobcenter Kreis Schleswig-Flensburg",
    "Jobcenter Kreis Nordfriesland",
    "Jobcenter Landkreis Kassel",
    "Jobcenter Bodenseekreis",
    "Kommunale Arbeitsförderung Ortenaukreis",
    "Jobcenter Landkreis Biberach",
    "Jobcenter Landkreis Tuttlingen",
    "Jobcenter Landkreis Waldshut",
    "Kommunales Jobcenter Landkreis Oberspreewald-Lausitz – Eigenbetrieb des Landkreises für "
    "Grundsicherung für Arbeitsuchende",
)
_OTHER_ORGANISATIONS = (
    "Bundesministerium für Arbeit und Soziales",
    "Niedersächsisches Ministerium für Soziales, Arbeit, Gesundheit und Gleichstellung",
    "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
    "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales",
    "Deutscher Landkreistag",
    "Deutscher Städtetag",
    "Landkreistag Nordrhein-Westfalen",
    "Hessischer Landkreistag",
    "Institut für Arbeitsmarkt- und Berufsforschung (IAB)",
    "Hochschule Fulda – Fachbereich Sozialwesen",
    "Bundesagentur für Arbeit – Regionaldirektion Berlin-Brandenburg",
    "Kommunale Gemeinschaftsstelle für Verwaltungsmanagement (KGSt)",
)
_PRESS = (
    "Der Tagesspiegel", "Frankfurter Allgemeine Zeitung", "Süddeutsche Zeitung", "Behörden Spiegel",
    "Der Landkreis – Zeitschrift für kommunale Selbstverwaltung", "kommune21", "dpa Deutsche Presse-Agentur",
    "epd sozial", "Deutschlandfunk", "rbb24 Inforadio",
)
_STAFF_ORGANISATIONS = ("Deutscher Landkreistag", "Deutscher Landkreistag", "Tagungswerk Berlin")
_FUNCTIONS = (
    "Geschäftsführer/in", "Bereichsleitung Markt und Integration", "Teamleitung Leistung",
    "Teamleitung Arbeitsvermittlung", "Fallmanager/in", "Integrationsfachkraft", "Arbeitsvermittler/in",
    "Sachbearbeiter/in Leistungsgewährung", "Beauftragte/r für Chancengleichheit am Arbeitsmarkt",
    "Controller/in", "IT-Koordinator/in", "Datenschutzbeauftragte/r", "Dezernent/in für Soziales",
    "Fachbereichsleitung Soziales", "Referent/in", "Projektleitung Digitalisierung",
    "Koordinator/in Reha und Schwerbehinderung", "Sozialplaner/in", "Landrat/Landrätin", "Stabsstelle",
)
_PRESS_FUNCTIONS = ("Redakteur/in", "Korrespondent/in", "Fotograf/in", "Reporter/in")
_STAFF_FUNCTIONS = ("Tagungsbüro", "Projektleitung", "Empfang", "Technik", "Referent/in Arbeitsmarkt")

_TRANSLIT = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ł": "l", "Ł": "L",
        "ı": "i", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "'": "", " ": "-",
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ы": "y", "э": "e", "ю": "yu", "я": "ya", "ь": "", "ъ": "",
    }
)
# fmt: on


_FEMALE_FIRST = frozenset(_FIRST_FEMALE) | {
    "Anna-Katharina",
    "Marie-Luise",
    "Zofia",
    "Małgorzata",
    "Ayşe",
    "Elif",
    "Ольга",
    "Наталья",
    "Dragana",
    "Ioana",
    "Zoë",
    "Aleksandra",
    "Fatma",
    "Nguyễn Thị",
    "Phạm",
    "Corinna",
}


def gendered(function: str, first_name: str) -> str:
    """ "Geschäftsführer/in" -> "Geschäftsführerin" for a woman's first name, "Geschäftsführer" otherwise."""
    female = first_name in _FEMALE_FIRST
    if "/" not in function:
        return function
    if function.endswith("/in") or "/in " in function:
        return function.replace("/in", "in" if female else "")
    if function.endswith("/r") or "/r " in function:
        return function.replace("/r", "" if female else "r")
    male_form, _sep, female_form = function.partition("/")
    return female_form if female else male_form


def _ascii(text: str) -> str:
    lowered = text.lower().translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in "-."))


def _domain(organisation: str) -> str:
    words = [
        w for w in _ascii(organisation.replace("–", " ").replace("(", " ").replace(")", " ")).split("-") if w
    ]
    skip = {"jobcenter", "kommunales", "kommunale", "kreis", "landkreis", "der", "des", "fuer", "und", "aoer"}
    core = [w for w in words if w not in skip][:2] or words[:1]
    return "-".join(core) + ".example"


@dataclass(frozen=True)
class DemoPerson:
    title: str
    first_name: str
    last_name: str
    organisation: str
    function: str
    email: str
    category: str  # category key
    day_index: tuple[int, ...]  # indexes into the event's days
    workshop: str | None  # session key
    status: str = "active"


def demo_people(event: EventInfo, count: int, seed: int) -> list[DemoPerson]:
    """``count`` synthetic people for ``event`` (deterministic for a seed); workshops within capacity."""
    rng = random.Random(seed)
    if count <= 0:
        return []
    speakers = min(15, max(2, count * 3 // 100)) if count >= 2 else count
    press = min(10, count // 50)
    staff = min(15, count * 3 // 100)
    participants = max(0, count - speakers - press - staff)
    used_names: set[tuple[str, str]] = set()
    long_names = list(_LONG_NAMES)
    international = list(_INTERNATIONAL)
    rng.shuffle(international)

    def new_name() -> tuple[str, str]:
        for _attempt in range(1000):
            roll = rng.random()
            if long_names and roll < 0.012:
                name = long_names.pop(0)
            elif international and roll < 0.14:
                name = international.pop()
            else:
                first = rng.choice(_FIRST_FEMALE if rng.random() < 0.55 else _FIRST_MALE)
                last = rng.choice(_LAST)
                if _attempt >= 10:  # the simple names are used up (large demos): double names
                    last = f"{last}-{rng.choice(_LAST)}"
                name = (first, last)
            if name not in used_names:
                used_names.add(name)
                return name
        raise RuntimeError("not enough distinct demo names")  # pragma: no cover

    def title() -> str:
        roll = rng.random()
        return "Prof. Dr." if roll < 0.02 else "Dr." if roll < 0.13 else ""

    def email(first: str, last: str, organisation: str) -> str:
        local = f"{_ascii(first.split(' ')[0])}.{_ascii(last)}".strip(".-")
        return f"{local}@{_domain(organisation or 'tagungswerk')}"

    days = len(event.days)
    both = tuple(range(days))
    people: list[DemoPerson] = []
    for index in range(speakers):
        if index < len(_SPEAKERS):
            t, first, last, org, function = _SPEAKERS[index]
            used_names.add((first, last))
        else:
            first, last = new_name()
            t = rng.choice(("", "Dr.", "Dr.", "Prof. Dr."))
            org = rng.choice(_OPTIONSKOMMUNEN + _OTHER_ORGANISATIONS[:8])
            function = rng.choice(_SPEAKER_FUNCTIONS)
        day_index = (0,) if index == 0 else (days - 1,) if index == 1 else both
        people.append(
            DemoPerson(t, first, last, org, function, email(first, last, org), "speaker", day_index, None)
        )
    for _index in range(press):
        first, last = new_name()
        org = rng.choice(_PRESS)
        people.append(
            DemoPerson(
                "",
                first,
                last,
                org,
                gendered(rng.choice(_PRESS_FUNCTIONS), first),
                email(first, last, org),
                "press",
                both if rng.random() < 0.5 else (0,),
                None,
            )
        )
    for _index in range(staff):
        first, last = new_name()
        org = rng.choice(_STAFF_ORGANISATIONS)
        people.append(
            DemoPerson(
                "",
                first,
                last,
                org,
                gendered(rng.choice(_STAFF_FUNCTIONS), first),
                email(first, last, org),
                "staff",
                both,
                None,
            )
        )
    # Participants: most both days; one workshop on the first day for most of them, within capacity.
    workshops = [w for w in event.workshops if event.days and w.day == event.days[0].date]
    remaining = {w.key: (w.capacity if w.capacity is not None else 10**9) for w in workshops}
    weights = {w.key: max(1, remaining[w.key] if w.capacity is not None else 100) for w in workshops}
    for _index in range(participants):
        first, last = new_name()
        org = rng.choice(_OPTIONSKOMMUNEN) if rng.random() < 0.85 else rng.choice(_OTHER_ORGANISATIONS)
        roll = rng.random()
        if days < 2 or roll < 0.76:
            day_index = both
        elif roll < 0.93:
            day_index = (0,)
        else:
            day_index = (days - 1,)
        workshop = None
        if 0 in day_index and workshops and rng.random() < 0.9:
            open_keys = [k for k, left in remaining.items() if left > 0]
            if open_keys:
                workshop = rng.choices(open_keys, weights=[weights[k] for k in open_keys])[0]
                remaining[workshop] -= 1
        status = "cancelled" if rng.random() < 0.012 else "active"
        people.append(
            DemoPerson(
                title(),
                first,
                last,
                org,
                gendered(rng.choice(_FUNCTIONS), first),
                email(first, last, org),
                "participant",
                day_index,
                workshop,
                status,
            )
        )
    return people


def create_demo(
    db: Database,
    *,
    registrations: int = 500,
    seed: int = 2024,
    reset: bool = False,
    clock: Callable[[], dt.datetime] = utcnow,
) -> EventInfo:
    """Load the seed event and add ``registrations`` synthetic registrations to it.

    Raises:
        DemoExistsError: the demo event already has registrations and ``reset`` is false
            (with ``reset`` they are deleted first, check-ins and badge prints included).
    """
    from sqlalchemy import Table, delete, func, insert, select

    from checkin.domain.eventfile import load_event_file
    from checkin.domain.models import AuditEntry, Registration, RegistrationStatus, registration_days
    from checkin.domain.models import registration_sessions as reg_sessions
    from checkin.resources import demo_event_file

    if registrations < 0:
        raise UserError(_("The number of demo registrations cannot be negative."))
    event = EventService(db).load_definition(load_event_file(demo_event_file()))
    now = clock()
    with db.session_factory.begin() as session:
        existing = session.scalar(
            select(func.count(Registration.id)).where(Registration.event_id == event.id)
        )
        if existing and not reset:
            raise DemoExistsError(
                _(
                    "The demo event already has {count} registrations; nothing was changed. "
                    "Use --reset to replace them."
                ).format(count=existing)
            )
        if existing:
            session.execute(delete(Registration).where(Registration.event_id == event.id))
        categories = {c.key: c.id for c in event.categories}
        sessions = {s.key: s.id for s in event.sessions}
        used: set[str] = set()
        people = demo_people(event, registrations, seed)
        for start in range(0, len(people), 2000):
            chunk = people[start : start + 2000]
            params = []
            for person in chunk:
                code = generate_code(event.secret)
                while code in used:
                    code = generate_code(event.secret)
                used.add(code)
                params.append(
                    {
                        "event_id": event.id,
                        "code": code,
                        "order_code": None,
                        "title": person.title,
                        "first_name": person.first_name,
                        "last_name": person.last_name,
                        "organisation": person.organisation,
                        "function": person.function,
                        "email": person.email,
                        "category_id": categories.get(person.category, event.default_category.id),
                        "status": RegistrationStatus(person.status),
                        "source": DEMO_SOURCE,
                        "notes": "",
                        "extra": {},
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            table = cast(Table, Registration.__table__)
            session.execute(insert(table), params)
            id_by_code = dict(
                session.execute(
                    select(table.c.code, table.c.id).where(
                        table.c.event_id == event.id, table.c.code.in_([p["code"] for p in params])
                    )
                ).all()
            )
            ids = [id_by_code[p["code"]] for p in params]
            day_rows = [
                {"registration_id": reg_id, "day_id": event.days[i].id}
                for reg_id, person in zip(ids, chunk, strict=True)
                for i in person.day_index
            ]
            if day_rows:
                session.execute(insert(registration_days), day_rows)
            ws_rows = [
                {"registration_id": reg_id, "session_id": sessions[person.workshop]}
                for reg_id, person in zip(ids, chunk, strict=True)
                if person.workshop
            ]
            if ws_rows:
                session.execute(insert(reg_sessions), ws_rows)
        session.add(
            AuditEntry(
                event_id=event.id,
                at=now,
                action="demo",
                detail={"registrations": len(people), "seed": seed, "replaced": int(existing or 0)},
            )
        )
    return event
