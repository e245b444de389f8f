"""Shipped Unicode fonts for every PDF checkin makes, with per-character fallback.

reportlab's built-in Helvetica/Vera lack most of Latin Extended and all of
Vietnamese, so names would print as empty boxes. We ship Noto Sans (the face
a badge is set in: compact, calm, covers Latin incl. Vietnamese, Greek and
Cyrillic), Noto Sans Arabic/Hebrew and DejaVu Sans (broad symbol coverage),
and split every string into runs of characters that one of those fonts has.

Chinese, Japanese and Korean are not shipped (a CJK font is 10–20 MB per
weight). Set ``CHECKIN_CJK_FONT`` to a TrueType font that has them (e.g.
Debian's ``fonts-droid-fallback``:
``/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf``) and it joins
the fallback chain; without it, ``FontSet.unprintable`` tells which
characters would print as U+FFFD, so badges can be warned about and
certificates refused before anything is printed.

Usage (also for other engineers' PDFs)::

    fonts = register_fonts()
    canvas.setFont(fonts.bold, 12)              # plain text known to be covered
    draw_runs(canvas, x, y, "Łukasz", fonts, 12)  # any text, with fallback
"""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from checkin.resources import resource_path

# (registered name, file) in fallback order; the first one is the main face.
_REGULAR_FILES: tuple[tuple[str, str], ...] = (
    ("CheckinSans", "NotoSans-Regular.ttf"),
    ("CheckinSansArabic", "NotoSansArabic-Regular.ttf"),
    ("CheckinSansHebrew", "NotoSansHebrew-Regular.ttf"),
    ("CheckinSansFallback", "DejaVuSans.ttf"),
)
_BOLD_FILES: tuple[tuple[str, str], ...] = (
    ("CheckinSans-Bold", "NotoSans-Bold.ttf"),
    ("CheckinSansArabic-Bold", "NotoSansArabic-Bold.ttf"),
    ("CheckinSansHebrew-Bold", "NotoSansHebrew-Bold.ttf"),
    ("CheckinSansFallback-Bold", "DejaVuSans-Bold.ttf"),
)

REPLACEMENT_CHARACTER = "\ufffd"  # drawn for characters no shipped font has
CJK_FONT_VARIABLE = "CHECKIN_CJK_FONT"  # path of an extra TrueType font for Chinese, Japanese, Korean
_CJK_NAME = "CheckinSansCJK"

log = logging.getLogger(__name__)

# Characters that never need a glyph of their own (zero-width marks etc.).
_INVISIBLE_CATEGORIES = {"Cf", "Cc"}


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names, main face first, then fallbacks."""

    regular: str
    bold: str
    regular_chain: tuple[str, ...]
    bold_chain: tuple[str, ...]
    _coverage: dict[str, frozenset[int]] = field(repr=False, compare=False, default_factory=dict)

    def chain(self, bold: bool) -> tuple[str, ...]:
        return self.bold_chain if bold else self.regular_chain

    def font_for_char(self, char: str, bold: bool = False) -> str | None:
        """The first font in the chain that has a glyph for ``char``, or ``None`` if none has."""
        code = ord(char)
        for name in self.chain(bold):
            if code in self._coverage[name]:
                return name
        return None

    def has_glyph(self, char: str) -> bool:
        """True when some shipped font can draw ``char``."""
        code = ord(char)
        return any(code in self._coverage[name] for name in self.regular_chain)

    def runs(self, text: str, bold: bool = False) -> list[tuple[str, str]]:
        """Split ``text`` into ``(font name, text)`` runs so each run is drawable in its font.

        Spaces and invisible characters stay in the current run instead of
        starting a new one, which keeps the PDF text stream compact and the
        extracted text intact. A visible character no shipped font has (e.g.
        Chinese) becomes U+FFFD (a question mark in a diamond) rather than an
        empty box; an invisible one (joiners, direction marks) is left out.
        """
        chain = self.chain(bold)
        main = chain[0]
        main_cov = self._coverage[main]
        if all(ord(c) in main_cov for c in text):  # the common case: one run
            return [(main, text)] if text else []
        runs: list[tuple[str, str]] = []
        current_font: str | None = None
        buf: list[str] = []
        for char in text:
            if (
                (char == " " or unicodedata.category(char) in _INVISIBLE_CATEGORIES)
                and current_font is not None
                and ord(char) in self._coverage[current_font]
            ):
                buf.append(char)
                continue
            font = self.font_for_char(char, bold)
            if font is None:
                if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
                    continue
                char, font = REPLACEMENT_CHARACTER, main
            if font != current_font and buf:
                runs.append((current_font or main, "".join(buf)))
                buf = []
            current_font = font
            buf.append(char)
        if buf:
            runs.append((current_font or main, "".join(buf)))
        return runs

    def unprintable(self, text: str) -> str:
        """The distinct visible characters of ``text`` that no font has (they would print as U+FFFD)."""
        missing = dict.fromkeys(
            c
            for c in unicodedata.normalize("NFC", text)
            if not self.has_glyph(c)
            and not c.isspace()
            and unicodedata.category(c) not in _INVISIBLE_CATEGORIES
        )
        return "".join(missing)

    def string_width(self, text: str, size: float, bold: bool = False) -> float:
        """Width in points of ``text`` drawn with fallback at ``size``."""
        return sum(pdfmetrics.stringWidth(run, font, size) for font, run in self.runs(text, bold))


_lock = threading.Lock()
_registered: FontSet | None = None


def register_fonts() -> FontSet:
    """Register the shipped TTFs with reportlab (once per process) and return their names.

    Fonts are embedded as subsets by reportlab automatically when used.
    Thread-safe; later calls return the same ``FontSet`` at no cost.
    """
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            coverage: dict[str, frozenset[int]] = {}
            registered = set(pdfmetrics.getRegisteredFontNames())
            for name, filename in _REGULAR_FILES + _BOLD_FILES:
                if name not in registered:
                    pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
                font = pdfmetrics.getFont(name)
                coverage[name] = frozenset(font.face.charToGlyph)
            regular_chain = tuple(name for name, _ in _REGULAR_FILES)
            bold_chain = tuple(name for name, _ in _BOLD_FILES)
            if _register_cjk(registered):
                coverage[_CJK_NAME] = frozenset(pdfmetrics.getFont(_CJK_NAME).face.charToGlyph)
                regular_chain += (_CJK_NAME,)
                bold_chain += (_CJK_NAME,)  # no bold CJK: the regular face beats U+FFFD
            pdfmetrics.registerFontFamily(
                regular_chain[0],
                normal=regular_chain[0],
                bold=bold_chain[0],
                italic=regular_chain[0],
                boldItalic=bold_chain[0],
            )
            _registered = FontSet(
                regular=regular_chain[0],
                bold=bold_chain[0],
                regular_chain=regular_chain,
                bold_chain=bold_chain,
                _coverage=coverage,
            )
    return _registered


def _register_cjk(registered: set[str]) -> bool:
    """Register the font ``CHECKIN_CJK_FONT`` names, if any; False when unset or unusable (logged)."""
    if _CJK_NAME in registered:
        return True
    path = os.environ.get(CJK_FONT_VARIABLE, "").strip()
    if not path:
        return False
    try:
        pdfmetrics.registerFont(TTFont(_CJK_NAME, path, subfontIndex=0))
    except Exception as exc:  # any unreadable or PostScript-outline font: go on without it
        log.warning("%s=%s cannot be used (a TrueType font is needed): %s", CJK_FONT_VARIABLE, path, exc)
        return False
    return True


def has_rtl(text: str) -> bool:
    """True when ``text`` contains right-to-left letters (Arabic, Hebrew, …)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def base_direction(text: str) -> str:
    """ "rtl" when the first strongly directional character is right-to-left, else "ltr".

    This is the Unicode bidi rule for a paragraph's direction: "Jobcenter
    عبد الله" reads left to right, "عبد الله, Jobcenter" right to left.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


@lru_cache(maxsize=4096)
def visual_text(text: str) -> str:
    """NFC-normalise ``text`` and, if it holds right-to-left script, shape and reorder it for drawing.

    PDF text is drawn left to right glyph by glyph, so Arabic letters must be
    replaced by their joined presentation forms and RTL runs reversed into
    visual order before drawing. Pure left-to-right text is only normalised.
    """
    text = unicodedata.normalize("NFC", text)
    if not has_rtl(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text), base_dir="R" if base_direction(text) == "rtl" else "L")


def draw_runs(
    canvas: Canvas, x: float, y: float, text: str, fonts: FontSet, size: float, bold: bool = False
) -> float:
    """Draw ``text`` (already visual, see ``visual_text``) at baseline ``(x, y)``; return its width."""
    cursor = x
    for font, run in fonts.runs(text, bold):
        canvas.setFont(font, size)
        canvas.drawString(cursor, y, run)
        cursor += pdfmetrics.stringWidth(run, font, size)
    return cursor - x
