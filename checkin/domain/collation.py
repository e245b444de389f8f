"""German list order (DIN 5007-1, "dictionary" order), the one collation of the app.

Ä sorts with A, ß as ss, letters without a decomposition (ø, ł, æ...) with their
spelled-out base letters; then accents, then case break ties, so the order is total
and stable ("Muller" < "Müller", "Abel" < "abel"). Used by badges, certificates,
exports, signature lists, per-organisation lists and the search's name order.

Family names sort without their leading particles and titles of nobility
(DIN 5007-2, as German telephone books and library catalogues do): "von
Weizsäcker" under W, "Freiherr von Stein" under S; the particles break ties
after the first name. ``name_key`` and ``person_sort_key`` give the same order.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from checkin.domain.folding import SPELLED_OUT

# The table search folding uses (without the digraph reduction search adds), plus ŋ,
# which NFKD does not decompose either.
_SPELLED_OUT = str.maketrans({**SPELLED_OUT, "ŋ": "n", "Ŋ": "n"})
_LAST = "\uffff"  # empty fields sort after every name


@functools.lru_cache(maxsize=65536)
def primary_key(text: str) -> str:
    """Base letters only: ``"Äpfel" -> "apfel"``, ``"Groß" -> "gross"``, ``"Łukasz" -> "lukasz"``."""
    text = text.strip()
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=65536)
def _levels(text: str) -> tuple[str, str, str]:
    """Base letters (empty: last), then accents, then case: the three levels of one field."""
    composed = unicodedata.normalize("NFC", text)
    return primary_key(text) or _LAST, composed.casefold(), composed


def german_key(*parts: str) -> tuple[str, ...]:
    """Sort key over one or several fields (e.g. last name, first name).

    Compares the base letters of every field first, then accents, then case. Empty
    fields sort last, so people without a last name do not lead the list.
    """
    levels = [_levels(p) for p in parts]
    return tuple(field[level] for level in range(3) for field in levels)


# Words before a family name that do not count for its place in a list. Titles of nobility
# (part of the name in Germany since 1919) match in any case; "von", "zu"... too ("Von der
# Leyen" as typed into a form); the short Romance and Dutch particles only in lower case,
# so "De Gruyter" or "La Roche" written as one capitalised name stay under D and L.
_NOBILITY = frozenset((
    "freiherr", "freifrau", "freiin", "reichsfreiherr", "graf", "gräfin", "landgraf", "markgraf",
    "prinz", "prinzessin", "fürst", "fürstin", "herzog", "herzogin", "baron", "baronin", "baronesse",
    "ritter", "edler", "edle",
))  # fmt: skip
_GERMAN_PARTICLES = frozenset(["von", "vom", "zu", "zum", "zur", "und"])
_LOWER_PARTICLES = frozenset(
    ["van", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "la", "le", "ten", "ter"]
)


def _is_particle(word: str) -> bool:
    folded = word.casefold()
    return (
        folded in _NOBILITY or folded in _GERMAN_PARTICLES or (word.islower() and folded in _LOWER_PARTICLES)
    )


@functools.lru_cache(maxsize=65536)
def family_name_parts(last_name: str) -> tuple[str, str]:
    """(particles, family name): ``"Freiherr von Stein" -> ("Freiherr von", "Stein")``.

    A name that is only particles ("Graf", "Prinz") is a family name itself: ``("", "Graf")``.
    """
    words = last_name.split()
    if len(words) < 2:
        return "", last_name.strip()
    cut = 0
    while cut < len(words) - 1 and _is_particle(words[cut]):
        cut += 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def _particle_levels(particles: str) -> tuple[str, str, str]:
    # No particles sort first: "Stein, Karl" before "Stein, Karl Freiherr von".
    return _levels(particles) if particles else ("", "", "")


def name_key(last_name: str, first_name: str) -> tuple[str, ...]:
    """Sort key of a person: family name without particles, first name, then the particles."""
    particles, family = family_name_parts(last_name)
    last, first, extra = _levels(family), _levels(first_name), _particle_levels(particles)
    return tuple(field[level] for level in range(3) for field in (last, first, extra))


def list_name_parts(title: str, first_name: str, last_name: str) -> tuple[str, str]:
    """What a list sorted by family name shows before and after the comma.

    ``("Dr.", "Karl", "Freiherr von Stein") -> ("Stein", "Dr. Karl Freiherr von")``.
    """
    particles, family = family_name_parts(last_name)
    rest = " ".join(p for p in (title, first_name, particles) if p)
    return family, rest


def person_sort_key(last_name: str, first_name: str, code: str, registration_id: int) -> tuple[Any, ...]:
    """People by family name, then first name (as ``name_key``); rows without a name (purged)
    go last, by code.

    Built flat from cached per-field levels: it runs for every row of a 100,000-person export.
    """
    if not last_name and not first_name:
        return (1, *_levels(code), registration_id)
    particles, family = family_name_parts(last_name)
    last, first, extra = _levels(family), _levels(first_name), _particle_levels(particles)
    return (0, last[0], first[0], extra[0], last[1], first[1], extra[1], last[2], first[2], extra[2],
            registration_id)  # fmt: skip
