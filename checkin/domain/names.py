"""Cleaning personal names as they come out of spreadsheets (pure functions).

Lists typed by hand carry non-breaking spaces, decomposed umlauts (macOS),
academic titles inside the name ("Prof. Dr. Ronnie Schöb"), the "Last, First"
form and salutations ("Herr", "Frau") that are not part of a name. These
helpers turn such cells into (title, first name, last name) without ever
changing the letters of a name (no re-casing: "McDonald", "van Gogh").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that look like a space, or like nothing, in a spreadsheet cell.
_SPACE_LIKE = dict.fromkeys(
    map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000\t\r\n"),
    " ",
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TRANSLATION = {**_SPACE_LIKE, **_INVISIBLE}
_MULTI_SPACE = re.compile(r" {2,}")
_NEEDS_WORK = re.compile("[" + "".join(chr(c) for c in _TRANSLATION) + "]")

# Salutations are not names; they may precede a name or fill a title column.
SALUTATIONS = frozenset(
    {
        "herr",
        "herrn",
        "frau",
        "fr",
        "hr",
        "divers",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "sir",
        "madam",
        "dame",
    }
)

# Degree words that follow a title ("Dr. med.", "Dr. rer. nat.", "Prof. Dr. h.c."); they are
# title tokens themselves and continue a title.
_DEGREE_WORDS = frozenset(
    {
        "med",
        "dent",
        "vet",
        "rer",
        "nat",
        "pol",
        "oec",
        "phil",
        "jur",
        "soc",
        "paed",
        "publ",
        "theol",
        "habil",
        "h.c",
        "mult",
        "e.h",
    }
)

# Academic and professional titles printed before a name. Matched token by token,
# case-insensitively; a token ending in "." that starts with "Dipl" or "Dr" also counts.
_TITLE_TOKENS = _DEGREE_WORDS | frozenset(
    {
        "dr",
        "prof",
        "professor",
        "professorin",
        "pd",
        "priv.-doz",
        "privatdozent",
        "apl",
        "jun.-prof",
        "dr.-ing",
        "dr.-ing.",
        "dr.rer.nat",
        "dr.rer.pol",
        "dr.med",
        "dr.phil",
        "dr.jur",
        "dipl.-ing",
        "dipl.-kfm",
        "dipl.-kffr",
        "dipl.-vw",
        "dipl.-soz",
        "dipl.-päd",
        "dipl.-psych",
        "dipl.-verw.-wiss",
        "dipl.-inf",
        "dipl.-oec",
        "dipl.-betriebsw",
        "dipl.-sozialarb",
        "dipl.-sozpäd",
        "mag",
        "ing",
        "ra",
        "b.a",
        "m.a",
        "m.sc",
        "b.sc",
        "mba",
        "ll.m",
        "phd",
        "ph.d",
    }
)
# Tokens that only count as a title after another title token ("Dr. med.", "Prof. em.").
_TITLE_CONTINUATIONS = _DEGREE_WORDS | frozenset(
    {
        "em",
        "h",
        "c",
    }
)

# Words that are also given names ("Ing", "Ra"): titles only when written with a dot.
_NEEDS_DOT = frozenset({"ing", "mag", "ra"})

# Lower-case words that belong to the family name ("Ursula von der Leyen").
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "de",
        "der",
        "den",
        "del",
        "della",
        "di",
        "da",
        "du",
        "des",
        "le",
        "la",
        "zu",
        "zum",
        "zur",
        "ten",
        "ter",
        "dos",
        "das",
        "al",
        "bin",
        "ibn",
        "vom",
    }
)


# Former titles of nobility are part of the German family name ("Anna Freifrau von Hohenberg").
_NOBILITY = frozenset(
    {
        "freifrau",
        "freiherr",
        "freiin",
        "graf",
        "gräfin",
        "prinz",
        "prinzessin",
        "fürst",
        "fürstin",
        "baron",
        "baronin",
        "ritter",
        "edle",
        "edler",
    }
)


@dataclass(frozen=True)
class PersonName:
    """A name split into the parts the badge and the search use."""

    title: str
    first_name: str
    last_name: str


def clean_text(value: object) -> str:
    """Trim a cell: NFC, non-breaking and other odd spaces to one plain space, invisible characters out."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text:
        return ""
    if (
        "  " not in text
        and not _NEEDS_WORK.search(text)
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        return text.strip()  # the common case, several times faster than the full treatment
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATION))
    if "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    return text.strip()


def _token_key(token: str) -> str:
    return token.casefold().rstrip(".,")


def is_salutation(token: str) -> bool:
    """True for "Herr", "Frau", "Mr.", "Ms" ... (not a name, not a title)."""
    return _token_key(token) in SALUTATIONS


def is_title_token(token: str, *, after_title: bool = False) -> bool:
    """True if ``token`` is (part of) an academic title such as "Dr.", "Prof.", "Dipl.-Ing."."""
    key = _token_key(token)
    if not key:
        return False
    if key in _TITLE_CONTINUATIONS:
        return after_title
    if key in _NEEDS_DOT:
        return token.endswith(".")
    if key in _TITLE_TOKENS:
        return True
    # "Dr.rer.nat.", "Dipl.-Verwaltungswirt", "Dr.-Ing.habil."
    return bool(re.match(r"^(dr|dipl)[.-]", key))


def clean_title(value: str) -> str:
    """A title cell without salutations: "Herr Dr." -> "Dr.", "Frau" -> ""."""
    tokens = [t for t in clean_text(value).split(" ") if t and not is_salutation(t)]
    return " ".join(tokens)


def split_title(name: str) -> tuple[str, str]:
    """Split leading salutations and titles off ``name``.

    "Herr Prof. Dr. Ronnie Schöb" -> ("Prof. Dr.", "Ronnie Schöb"). A name that consists only of
    title words keeps its last word.
    """
    tokens = [t for t in clean_text(name).split(" ") if t]
    titles: list[str] = []
    index = 0
    while index < len(tokens) - 1:
        token = tokens[index]
        if is_salutation(token) and not titles:
            index += 1
            continue
        if is_title_token(token, after_title=bool(titles)):
            titles.append(token)
            index += 1
            continue
        break
    return " ".join(titles), " ".join(tokens[index:])


def join_titles(*titles: str) -> str:
    """Combine title parts without repeating words ("Dr." + "Prof. Dr." -> "Prof. Dr.")."""
    result: list[str] = []
    seen: set[str] = set()
    for title in sorted((t for t in titles if t), key=len, reverse=True):
        for token in title.split(" "):
            key = _token_key(token)
            if key and key not in seen:
                seen.add(key)
                result.append(token)
    return " ".join(result)


def split_full_name(full_name: str) -> PersonName:
    """Split a one-field name into title, first and last name.

    Handles "Prof. Dr. Ronnie Schöb", "Schöb, Ronnie", "Schöb, Prof. Dr. Ronnie",
    "Herr Dr. Max Mustermann" and family names with particles ("Ursula von der Leyen").
    Everything after the last given name is the family name; a single word is a family name.
    """
    text = clean_text(full_name)
    if not text:
        return PersonName("", "", "")
    if "," in text:
        last_part, *rest_parts = (part.strip() for part in text.split(","))
        titles: list[str] = []
        given: list[str] = []
        for part in rest_parts:
            tokens = [t for t in part.split(" ") if t and not is_salutation(t)]
            if tokens and all(is_title_token(t, after_title=True) for t in tokens):
                titles.append(" ".join(tokens))
            elif tokens:
                given.append(" ".join(tokens))
        first_title, first = split_title(" ".join(given))
        last_title, last = split_title(last_part)
        return PersonName(join_titles(last_title, first_title, *titles), first, last)
    title, rest = split_title(text)
    tokens = rest.split(" ")
    if len(tokens) == 1:
        return PersonName(title, "", tokens[0])
    # The family name starts at the first particle after the first given name, else it is the last word.
    split_at = len(tokens) - 1
    for index in range(1, len(tokens) - 1):
        if tokens[index] in _PARTICLES or tokens[index].casefold() in _NOBILITY:
            split_at = index
            break
    return PersonName(title, " ".join(tokens[:split_at]), " ".join(tokens[split_at:]))


def clean_name_parts(title: str, first_name: str, last_name: str) -> PersonName:
    """Clean separate title/first/last cells; titles typed into a name cell move to the title."""
    title = clean_title(title)
    first_title, first = split_title(first_name)
    last_title, last = split_title(last_name)
    return PersonName(join_titles(title, first_title, last_title), first, last)


def display_name(title: str, first_name: str, last_name: str) -> str:
    """The name as the desk, lists and exports show it: ``"Dr. Anna Müller"`` (empty parts left out)."""
    return " ".join(p for p in (title, first_name, last_name) if p)


def name_key(first_name: str, last_name: str) -> str:
    """A key for "same person?" comparisons: case- and accent-insensitive, spaces ignored."""
    text = f"{first_name}{last_name}".casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return "".join(filter(str.isalnum, text))
