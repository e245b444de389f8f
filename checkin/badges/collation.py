"""Sort keys for German lists (DIN 5007-1, "dictionary" order): Ä with A, ß with ss, case-insensitive."""

from __future__ import annotations

import unicodedata

from checkin.domain.folding import SPELLED_OUT

# Letters that NFKD does not split into base letter + accent (the table search folding uses too,
# without the letters only search folds).
_SPELLED_OUT = str.maketrans(SPELLED_OUT)


def primary_key(text: str) -> str:
    """Base letters only: ``"Äpfel" -> "apfel"``, ``"Groß" -> "gross"``, ``"Łukasz" -> "lukasz"``."""
    text = text.strip()
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def german_key(*parts: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Sort key over several fields (e.g. last name, first name).

    Compares base letters of every field first, then accents, then case as
    tie-breaks so that "Muller" < "Müller" and "Anna" < "anna"
    deterministically. Empty fields sort last, so people without a last
    name do not lead the list.
    """
    primary = tuple(primary_key(p) or "\uffff" for p in parts)
    secondary = tuple(unicodedata.normalize("NFC", p).casefold() for p in parts)
    tertiary = tuple(unicodedata.normalize("NFC", p) for p in parts)
    return primary, secondary, tertiary
