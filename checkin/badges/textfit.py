"""Fit a piece of text into a box: wrap at spaces and hyphens, then shrink, then hyphenate, then ellipsise.

A line break at a space is preferred to one after a hyphen ("Freiherr von /
Hohenzollern-Sigmaringen", not "Freiherr von Hohenzollern- / Sigmaringen").
A word too wide for any line at the smallest size is hyphenated with
German patterns (pyphen, the hyphenation dictionaries of LibreOffice) before
anything is cut with "…": long German compounds are the common case on
badges and certificates.

Widths are measured on the text as it will be drawn (NFC, right-to-left
runs shaped and reordered by ``visual_text``), with per-character font
fallback, so what is measured is what is printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from checkin.badges.fonts import FontSet, visual_text

ELLIPSIS = "…"
# Break opportunities: after a run of spaces, or after a hyphen/dash that follows a letter.
_TOKEN_RE = re.compile(r"[^\s\-‐‑–—/]*(?:[\-‐‑–—/]+|\s+|$)")
_SPACE_TOKEN_RE = re.compile(r"\S*(?:\s+|$)")
HYPHEN = "-"


@dataclass(frozen=True)
class FittedText:
    """The lines to draw (logical order, unshaped) and the font size that makes them fit."""

    lines: tuple[str, ...]
    size: float
    truncated: bool = False


def tokens(text: str) -> list[str]:
    """Pieces that may end a line: ``"Marburg-Biedenkopf x"`` -> ``["Marburg-", "Biedenkopf ", "x"]``."""
    return [t for t in _TOKEN_RE.findall(text) if t]


def _width(fonts: FontSet, text: str, size: float, bold: bool) -> float:
    return fonts.string_width(visual_text(text.strip()), size, bold)


def space_tokens(text: str) -> list[str]:
    """Pieces that end at a space only: ``"Marburg-Biedenkopf x"`` -> ``["Marburg-Biedenkopf ", "x"]``."""
    return [t for t in _SPACE_TOKEN_RE.findall(text) if t]


@lru_cache(maxsize=1)
def _hyphenator() -> object:
    import pyphen  # type: ignore[import-untyped,unused-ignore]

    return pyphen.Pyphen(lang="de_DE", left=3, right=3)


def hyphenation_points(word: str) -> list[int]:
    """Indices inside ``word`` where it may be hyphenated (German patterns; none for short words)."""
    core = word.rstrip()
    if len(core) < 7 or not core.isalpha():
        return []
    return list(_hyphenator().positions(core))  # type: ignore[attr-defined]


def _hyphenated_tokens(text: str, fonts: FontSet, size: float, max_width: float, bold: bool) -> list[str]:
    """Tokens, with every word wider than a line split into syllable groups ending in "-"."""
    result: list[str] = []
    for token in tokens(text):
        if _width(fonts, token, size, bold) <= max_width:
            result.append(token)
            continue
        core = token.rstrip(" ")
        trail = token[len(core) :]
        # Split before a trailing hyphen/dash so that "Wort-" keeps its own hyphen.
        word = core.rstrip("-‐‑–—/")
        tail = core[len(word) :] + trail
        points = hyphenation_points(word)
        if not points:
            result.append(token)
            continue
        start = 0
        while start < len(word):
            # The longest piece from ``start`` that fits with its hyphen.
            end = len(word)
            candidates = [p for p in points if p > start]
            piece_end = end
            if _width(fonts, word[start:] + tail, size, bold) > max_width:
                fitting = [
                    p for p in candidates if _width(fonts, word[start:p] + HYPHEN, size, bold) <= max_width
                ]
                piece_end = fitting[-1] if fitting else (candidates[0] if candidates else end)
            if piece_end >= end:
                result.append(word[start:] + tail)
                break
            result.append(word[start:piece_end] + HYPHEN)
            start = piece_end
    return result


def _greedy(pieces: list[str], fonts: FontSet, size: float, max_width: float, bold: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in pieces:
        candidate = current + token
        if current and _width(fonts, candidate, size, bold) > max_width:
            lines.append(current.rstrip())
            current = token
        else:
            current = candidate
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def wrap(
    text: str,
    fonts: FontSet,
    size: float,
    max_width: float,
    *,
    bold: bool = False,
    hyphenate: bool = False,
) -> list[str]:
    """Greedy line breaking at spaces and hyphens; a word wider than the box gets a line of its own.

    With ``hyphenate`` such a word is split at German hyphenation points instead.
    """
    pieces = _hyphenated_tokens(text, fonts, size, max_width, bold) if hyphenate else tokens(text)
    return _greedy(pieces, fonts, size, max_width, bold)


def _fits(lines: list[str], allowed: int, fonts: FontSet, size: float, max_width: float, bold: bool) -> bool:
    return len(lines) <= allowed and all(_width(fonts, line, size, bold) <= max_width for line in lines)


def ellipsise(text: str, fonts: FontSet, size: float, max_width: float, *, bold: bool = False) -> str:
    """The longest prefix of ``text`` followed by "…" that fits (binary search on grapheme starts)."""
    if _width(fonts, text, size, bold) <= max_width:
        return text
    # Cut only before base characters so accents stay with their letter.
    cut_points = [i for i, c in enumerate(text) if i > 0 and not unicodedata.combining(c)]
    low, high, best = 0, len(cut_points) - 1, ELLIPSIS
    while low <= high:
        mid = (low + high) // 2
        candidate = text[: cut_points[mid]].rstrip(" -–") + ELLIPSIS
        if _width(fonts, candidate, size, bold) <= max_width:
            best = candidate
            low = mid + 1
        else:
            high = mid - 1
    return best


def fit_text(
    text: str,
    fonts: FontSet,
    max_width: float,
    *,
    max_size: float,
    min_size: float,
    max_lines: int = 1,
    bold: bool = False,
    shrink_before_wrap: bool = False,
    step: float = 0.5,
) -> FittedText:
    """Find the largest size from ``max_size`` down to ``min_size`` at which ``text`` fits.

    By default wrapping is tried first at each size (an organisation on two
    lines at full size beats one tiny line); with ``shrink_before_wrap`` a
    single line is preferred down to ``min_size`` before wrapping (first
    names). If nothing fits at ``min_size``, the last line is ellipsised and
    over-long words are cut, so the result always fits ``max_width``.
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if not text:
        return FittedText((), max_size)
    sizes = []
    size = max_size
    while size > min_size:
        sizes.append(size)
        size = round(size - step, 3)
    sizes.append(min_size)

    def attempt(lines_allowed: int, hyphenate: bool = False) -> FittedText | None:
        for candidate_size in sizes:
            if lines_allowed == 1 and not hyphenate:
                if _width(fonts, text, candidate_size, bold) <= max_width:
                    return FittedText((text,), candidate_size)
                continue
            if not hyphenate:
                # A break at a space beats one after a hyphen at the same size.
                by_space = _greedy(space_tokens(text), fonts, candidate_size, max_width, bold)
                if _fits(by_space, lines_allowed, fonts, candidate_size, max_width, bold):
                    return FittedText(tuple(by_space), candidate_size)
            lines = wrap(text, fonts, candidate_size, max_width, bold=bold, hyphenate=hyphenate)
            if _fits(lines, lines_allowed, fonts, candidate_size, max_width, bold):
                return FittedText(tuple(lines), candidate_size)
        return None

    if shrink_before_wrap or max_lines == 1:
        fitted = attempt(1)
        if fitted is None and max_lines > 1:
            fitted = attempt(max_lines)
    else:
        fitted = attempt(max_lines)
    if fitted is None and max_lines > 1:
        fitted = attempt(max_lines, hyphenate=True)
    if fitted is not None:
        return fitted
    # Last resort at the minimum size: keep what fits, ellipsise the rest.
    lines = wrap(text, fonts, min_size, max_width, bold=bold, hyphenate=max_lines > 1)
    kept = lines[:max_lines]
    if len(lines) > max_lines:
        kept[-1] = kept[-1] + " " + " ".join(lines[max_lines:])
    kept = [ellipsise(line, fonts, min_size, max_width, bold=bold) for line in kept]
    return FittedText(tuple(kept), min_size, truncated=True)
