"""Who would get a "�" on their badge or certificate: names with characters no font can draw.

Chinese, Japanese and Korean names are the usual case (no CJK font is
shipped, see ``fonts``). Badges are printed anyway after a warning that
lists the people concerned; certificates are refused for them, because a
certificate must not carry a wrong name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from checkin.badges.fonts import CJK_FONT_VARIABLE, FontSet, register_fonts
from checkin.domain.db import Database
from checkin.domain.errors import UserError
from checkin.domain.models import Registration
from checkin.i18n import _

LISTED = 20  # people named in a message; the rest are counted


@dataclass(frozen=True)
class UnprintableName:
    """One person whose name or organisation has characters no font has."""

    code: str
    name: str
    characters: str


class UnprintableNameError(UserError, ValueError):
    """A certificate would show "�" instead of part of a name."""


def find_unprintable(
    people: Iterable[tuple[str, Sequence[str]]], fonts: FontSet | None = None
) -> list[UnprintableName]:
    """``(code, texts)`` pairs -> the people whose texts (name first) hold characters no font has."""
    fonts = fonts or register_fonts()
    found = []
    for code, texts in people:
        missing = "".join(dict.fromkeys(c for text in texts for c in fonts.unprintable(text)))
        if missing:
            found.append(UnprintableName(code, texts[0] if texts else "", missing))
    return found


def unprintable_registrations(db: Database, registration_ids: Sequence[int]) -> list[UnprintableName]:
    """The registrations among ``registration_ids`` whose badge would show "�" (in the given order)."""
    ids = list(registration_ids)
    rows: dict[int, tuple[str, tuple[str, ...]]] = {}
    with db.session_factory() as session:
        for start in range(0, len(ids), 1000):
            query = select(
                Registration.id,
                Registration.code,
                Registration.title,
                Registration.first_name,
                Registration.last_name,
                Registration.organisation,
                Registration.function,
            ).where(Registration.id.in_(ids[start : start + 1000]))
            for row in session.execute(query):
                name = " ".join(p for p in (row.title, row.first_name, row.last_name) if p.strip())
                rows[row.id] = (row.code, (name, row.organisation, row.function))
    return find_unprintable(rows[i] for i in ids if i in rows)


def describe(people: Sequence[UnprintableName]) -> str:
    """One line per person (at most ``LISTED``), then how many more, then the remedy."""
    lines = [
        _("{name} ({code}): cannot print {characters}").format(
            name=p.name, code=p.code, characters=p.characters
        )
        for p in people[:LISTED]
    ]
    if len(people) > LISTED:
        lines.append(_("… and {n} more.").format(n=len(people) - LISTED))
    lines.append(
        _("Set {variable} to a TrueType font with these characters (e.g. fonts-droid-fallback).").format(
            variable=CJK_FONT_VARIABLE
        )
    )
    return "\n".join(lines)
