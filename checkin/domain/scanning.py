"""Telling scans from typing, and cleaning what a scanner (or a person) typed.

A USB scanner is a keyboard wedge: it "types" the code as a burst of keys a few
milliseconds apart, followed by Enter (or a line feed). ``KeyboardWedge`` is the
one detector of such bursts: a plain object fed with (key text, time) that the
window's Qt event filters wrap. ``looks_like_scan`` tells by the text alone
(codes and URLs are scanned, not searched).

Depending on its settings a scanner adds CR/LF/Tab, a prefix or suffix of
control characters, or types a URL that holds the code. A scanner set to a US
layout on a German keyboard swaps Y and Z. ``clean_scan`` turns any string into
the list of code spellings to look up, most likely first; it never raises.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from checkin.domain.codes import has_code_shape

# Longer input cannot be a code (Registration.code holds 200 characters).
MAX_CODE_LENGTH = 200
# Anything much longer is garbage (a scanner stuck in a loop, a pasted text): not parsed.
MAX_INPUT_LENGTH = 4096
_YZ_SWAP = str.maketrans("YZyz", "ZYzy")

# People type far slower than this between two keys (well over 30 ms even for fast typists),
# and they do not type a code's worth of characters without a pause.
DEFAULT_MAX_GAP_MS = 40.0
DEFAULT_MIN_LENGTH = 6
# What ends a scan: the Return key's text, or a line feed (some scanners, and xdotool).
END_OF_SCAN = ("\r", "\n")


class KeyboardWedge:
    """Recognises a scanner's burst of keys among typing; knows nothing of windows or widgets.

    Feed it every key as ``(text, seconds)``: printable text extends the current burst (a
    pause longer than ``max_gap_ms`` starts a new one), a line feed or carriage return ends
    it, anything else (arrows, shortcuts: empty or control text) breaks it off. ``feed``
    returns the code when the end key finishes a scan: a burst of at least ``min_length``
    characters, every gap (the end key's included) under ``max_gap_ms``.
    """

    def __init__(
        self, *, max_gap_ms: float = DEFAULT_MAX_GAP_MS, min_length: int = DEFAULT_MIN_LENGTH
    ) -> None:
        self.max_gap = max_gap_ms / 1000
        self.min_length = min_length
        self._burst: list[str] = []
        self._last_at: float | None = None
        self._new_burst = False

    @property
    def pending(self) -> str:
        """The characters of the current burst."""
        return "".join(self._burst)

    @property
    def started_burst(self) -> bool:
        """True when the last character fed began a new burst (after a pause or a break)."""
        return self._new_burst

    def is_scan_so_far(self) -> bool:
        """True when the current burst already holds a code's worth of characters."""
        return len(self.pending.strip()) >= self.min_length

    def reset(self) -> None:
        self._burst.clear()
        self._last_at = None
        self._new_burst = False

    def _in_time(self, at: float) -> bool:
        return self._last_at is not None and at - self._last_at <= self.max_gap

    def feed(self, text: str, at: float) -> str | None:
        """One key pressed at ``at`` seconds; the scanned code when this key ended a scan."""
        if text in END_OF_SCAN:
            code = self.pending
            scan = bool(self._burst) and self._in_time(at) and len(code) >= self.min_length
            self.reset()
            return code if scan else None
        if not text or not text.isprintable():
            self.reset()
            return None
        self._new_burst = not self._in_time(at)
        if self._new_burst:
            self._burst.clear()
        self._burst.append(text)
        self._last_at = at
        return None


def looks_like_scan(text: str) -> bool:
    """Codes and URLs are scanned, not searched (judged by the text alone, not its timing)."""
    stripped = text.strip()
    return "://" in stripped or has_code_shape(stripped.upper())


@dataclass(frozen=True)
class CleanedScan:
    """The cleaned text of a scan and the code spellings to look up.

    ``text`` is what the desk shows as "the code" (shortened for garbage);
    ``candidates`` are exact spellings in order of preference;
    ``swapped`` are the Y/Z-swapped spellings, tried only when no candidate is found.
    """

    text: str
    candidates: tuple[str, ...]
    swapped: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.candidates


def _strip_controls(text: str) -> str:
    """Drop control and format characters (CR, LF, Tab, NUL, BOM, zero-width...) and surrounding space."""
    if text.isprintable():
        return text.strip()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()


def _url_parts(text: str) -> list[str]:
    """Values that may be the code inside a URL: query values, then the last path segment, then fragment."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return []
    if not parts.scheme or not (parts.netloc or parts.path):
        return []
    found: list[str] = []
    for _key, value in parse_qsl(parts.query, keep_blank_values=False):
        found.append(value.strip())
    segments = [s for s in parts.path.split("/") if s]
    if segments:
        found.append(unquote(segments[-1]).strip())
    if parts.fragment:
        found.append(unquote(parts.fragment).strip())
    return [f for f in found if f]


def _spellings(value: str) -> list[str]:
    """The spellings of one value to look up: as typed, and upper-cased if it has our code's shape."""
    result: list[str] = []
    compact = "".join(value.split())  # "K7PX 3MQ9 WTRV 4N" as read aloud / typed in groups
    for spelling in (value, compact):
        upper = spelling.upper()
        # Our own codes are case-insensitive (caps lock, a scanner in lower-case mode).
        if has_code_shape(upper) and upper not in result:
            result.append(upper)
        if spelling not in result:
            result.append(spelling)
    # Imported codes (pretix secrets are lower case) typed by a scanner with caps lock on.
    for spelling in list(result):
        lower = spelling.lower()
        if lower not in result:
            result.append(lower)
    return [s for s in result if 0 < len(s) <= MAX_CODE_LENGTH]


def clean_scan(raw: object) -> CleanedScan:
    """Turn any scanned input into the code spellings to look up (never raises)."""
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw).decode("utf-8", errors="replace")
    elif not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    if len(raw) > MAX_INPUT_LENGTH:
        text = _strip_controls(raw[:MAX_INPUT_LENGTH])
        return CleanedScan(text=text[:40] + "…", candidates=(), swapped=())
    # Lone surrogates (from broken decoders) cannot be encoded for the database.
    raw = raw.encode("utf-8", errors="replace").decode("utf-8")
    text = _strip_controls(raw)
    values = [text]
    if "://" in text:
        values = _url_parts(text) + values
    candidates: list[str] = []
    for value in values:
        for spelling in _spellings(value):
            if spelling not in candidates:
                candidates.append(spelling)
    swapped = []
    for candidate in candidates:
        other = candidate.translate(_YZ_SWAP)
        if other != candidate and other not in candidates and other not in swapped:
            swapped.append(other)
    shown = text if len(text) <= 80 else text[:80] + "…"
    return CleanedScan(text=shown, candidates=tuple(candidates), swapped=tuple(swapped))
