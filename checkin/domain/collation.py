"""German list order (DIN 5007-1, "dictionary" order), the one collation of the app.

Ä sorts with A, ß as ss, letters without a decomposition (ø, ł, æ...) with their
spelled-out base letters; then accents, then case break ties, so the order is total
and stable ("Muller" < "Müller", "Abel" < "abel"). Used by badges, certificates,
exports, signature lists, per-organisation lists and the search's name order.
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


def person_sort_key(last_name: str, first_name: str, code: str, registration_id: int) -> tuple[Any, ...]:
    """People by last name, then first name; rows without a name (purged) go last, by code.

    Built flat from cached per-field levels: it runs for every row of a 100,000-person export.
    """
    if not last_name and not first_name:
        return (1, *_levels(code), registration_id)
    last, first = _levels(last_name), _levels(first_name)
    return (0, last[0], first[0], last[1], first[1], last[2], first[2], registration_id)
