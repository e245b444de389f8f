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
def _tie_breaks(text: str) -> tuple[str, str]:
    composed = unicodedata.normalize("NFC", text)
    return composed.casefold(), composed


def german_key(*parts: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Sort key over one or several fields (e.g. last name, first name).

    Compares the base letters of every field first, then accents, then case. Empty
    fields sort last, so people without a last name do not lead the list.
    """
    ties = [_tie_breaks(p) for p in parts]
    return (
        tuple(primary_key(p) or _LAST for p in parts),
        tuple(t[0] for t in ties),
        tuple(t[1] for t in ties),
    )


def person_sort_key(last_name: str, first_name: str, code: str, registration_id: int) -> tuple[Any, ...]:
    """People by last name, then first name; rows without a name (purged) go last, by code."""
    if not last_name and not first_name:
        return (1, german_key(code), registration_id)
    return (0, german_key(last_name, first_name), registration_id)
