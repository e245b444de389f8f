"""Category colours from the event file, and the text colour that reads on them."""

from __future__ import annotations

INK = (0.07, 0.07, 0.09)


def parse_colour(value: str) -> tuple[float, float, float]:
    """'#1f5fa8' or '1f5fa8' or '#15a' -> RGB floats; unreadable colours become a calm blue."""
    text = (value or "").strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    try:
        if len(text) != 6:
            raise ValueError(text)
        return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return (0.12, 0.37, 0.66)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour_on(background: tuple[float, float, float]) -> tuple[float, float, float]:
    """White or near-black, whichever contrasts more with ``background`` (WCAG ratio)."""
    lum = _luminance(background)
    contrast_white = 1.05 / (lum + 0.05)
    contrast_black = (lum + 0.05) / 0.05
    return (1.0, 1.0, 1.0) if contrast_white >= contrast_black else INK
