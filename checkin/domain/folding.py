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

# Letters NFKD does not decompose into a base letter and a combining mark.
_SPECIAL = str.maketrans(
    {
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
        "ĸ": "k",
        "ŋ": "n",
    }
)
_DIGRAPHS = re.compile(r"([aou])e")
_TOKEN_SPLIT = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Fold ``text`` to its search key (lower-case ASCII letters, digits and separators)."""
    if text.isascii():
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
        folded = folded.translate(_SPECIAL)  # lower() can produce ß-like letters again
    return _DIGRAPHS.sub(r"\1", folded)


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (split at everything that is not a letter or digit)."""
    return [t for t in _TOKEN_SPLIT.split(fold(text)) if t]
