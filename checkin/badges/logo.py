"""The event logo, prepared once so that every badge PDF embeds it without re-encoding.

reportlab compresses a PNG again for every new document (100 ms for a large
logo, twice the budget of a desk print) but copies JPEG data as it is. So the
logo is scaled to at most ``MAX_PIXELS`` on its long side (plenty for 50 mm at
400 dpi), flattened onto white (badges and certificates are white behind the
logo) and kept as a high-quality JPEG in memory.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from reportlab.lib.utils import ImageReader

MAX_PIXELS = 800
JPEG_QUALITY = 92

log = logging.getLogger(__name__)


def load_logo(path: Path | str | None) -> ImageReader | None:
    """The logo at ``path`` ready for ``canvas.drawImage``, or ``None`` if there is none or it is unreadable.

    An unreadable logo is logged and left out rather than stopping every
    badge print at the desk.
    """
    if not path:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as original:
            image = original.convert("RGBA")
    except (OSError, UnidentifiedImageError) as exc:
        log.warning("badge logo %s cannot be read: %s", path, exc)
        return None
    image.thumbnail((MAX_PIXELS, MAX_PIXELS), Image.Resampling.LANCZOS)
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    buffer = io.BytesIO()
    flat.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)
    buffer.seek(0)
    return ImageReader(buffer)
