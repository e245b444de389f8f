"""Paths to files shipped in ``resources/`` (installed as ``checkin._resources``).

reportlab and Qt need real file paths, so the traversable is turned into a
``Path``; both editable checkouts and installed wheels keep resources as
plain files on disk.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _base() -> Path:
    try:
        return Path(str(files("checkin._resources")))
    except ModuleNotFoundError:
        # Running from a source checkout that was not installed.
        return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of a shipped resource, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``."""
    return _base().joinpath(*parts)


def demo_event_file() -> Path:
    """The seed event (Tag der kommunalen Jobcenter 2024)."""
    return resource_path("events", "tag-der-kommunalen-jobcenter-2024.toml")
