"""German-aware text folding for search: Müller = Mueller = Muller, Groß = Gross.

Folding maps every spelling of a name to one key: lower case, accents
removed, ß -> ss, letters without a decomposition (ø, ł, æ...) spelled out,
and the German digraphs ae/oe/ue reduced to a/o/u. The last step also turns
"Manuel" into "manul"; that does no harm because the query is folded the
same way, so "Manuel", "Manu" and "Manül" still find it.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into a base letter and a combining mark, spelled out.
# One table for search folding and for the German sort keys (checkin.domain.collation).
SPELLED_OUT: dict[str, str] = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "ı": "i",
}
# Search also folds letters a sort key leaves as they are.
_SPECIAL = str.maketrans({**SPELLED_OUT, "ĸ": "k", "ŋ": "n"})
_TOKEN_SPLIT = re.compile(r"[\W_]+")


def _slow_fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch.translate(_SPECIAL))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return folded.translate(_SPECIAL)


# Latin-1, Latin Extended-A/B and Latin Extended Additional (Vietnamese) folded once, so
# that folding a name is one C-level str.translate instead of a per-character loop.
_FAST = {cp: _slow_fold_char(chr(cp)) for cp in (*range(0x80, 0x250), *range(0x1E00, 0x1F00))}


def fold(text: str) -> str:
    """Fold ``text`` to its search key (lower case, no accents; other scripts kept as they are)."""
    folded = text.lower() if text.isascii() else text.translate(_FAST).lower()
    if not folded.isascii():
        folded = "".join(_slow_fold_char(ch) if ord(ch) > 0x7F else ch for ch in folded)
    # German digraphs: Mueller -> muller, like Müller -> muller (repeated so that folding
    # a folded text changes nothing: "aee" -> "ae" -> "a").
    while "ae" in folded or "oe" in folded or "ue" in folded:
        folded = folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return folded


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (split at everything that is not a letter or digit)."""
    return [t for t in _TOKEN_SPLIT.split(fold(text)) if t]
