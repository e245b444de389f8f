"""Options for the documents handed out after the event, from the event file's ``[documents]`` table.

```toml
[documents]
grant_reference = "ESF Plus 2021-2027, Az. 01/2024"   # "Förderkennzeichen" on every signature list
funder = "Gefördert vom Bundesministerium für Arbeit und Soziales"   # footer line of every list
organiser = "Deutscher Landkreistag"   # who signs the confirmation
confirmation = true   # a block for the organiser's confirmation on each list's last page
                      # (or the confirmation's own text instead of true)

[documents.organisation_aliases]   # spellings of one organisation, merged in per-organisation files
"JC Köln" = "Jobcenter Köln"
```
Everything is optional; the file is checked when it is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from checkin.domain.errors import UserError
from checkin.i18n import _

SECTION = "documents"
_TEXT_KEYS = ("grant_reference", "funder", "organiser")
_KNOWN = {*_TEXT_KEYS, "confirmation", "organisation_aliases"}


class DocumentOptionsError(UserError, ValueError):
    """The ``[documents]`` table cannot be used; the message says why."""


@dataclass(frozen=True)
class DocumentOptions:
    grant_reference: str = ""
    funder: str = ""
    organiser: str = ""
    confirm: bool = False  # draw the organiser's confirmation block
    confirmation_text: str = ""  # its own wording; "" for the standard sentence
    organisation_aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def parse_document_options(table: Any, where: str = f"[{SECTION}]") -> DocumentOptions:
    """Validate the ``[documents]`` table (``None`` when the file has none)."""
    if table is None:
        return DocumentOptions()
    if not isinstance(table, dict):
        raise DocumentOptionsError(_("{where}: must be a table.").format(where=where))
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise DocumentOptionsError(_("{where}: unknown key '{key}'.").format(where=where, key=unknown[0]))
    texts: dict[str, str] = {}
    for key in _TEXT_KEYS:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise DocumentOptionsError(_("{where}: '{key}' must be text.").format(where=where, key=key))
        texts[key] = " ".join(value.split())
    confirmation = table.get("confirmation", False)
    if not isinstance(confirmation, bool | str):
        raise DocumentOptionsError(
            _("{where}: 'confirmation' must be true, false or a text.").format(where=where)
        )
    aliases = table.get("organisation_aliases", {})
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in aliases.items()
    ):
        raise DocumentOptionsError(
            _("{where}: 'organisation_aliases' must map names to names.").format(where=where)
        )
    return DocumentOptions(
        grant_reference=texts["grant_reference"],
        funder=texts["funder"],
        organiser=texts["organiser"],
        confirm=bool(confirmation),
        confirmation_text=confirmation.strip() if isinstance(confirmation, str) else "",
        organisation_aliases=MappingProxyType(
            {" ".join(k.split()): " ".join(v.split()) for k, v in aliases.items()}
        ),
    )


def document_options(definition: Mapping[str, Any]) -> DocumentOptions:
    """The options of an event's stored definition (``EventInfo.definition``)."""
    return parse_document_options(definition.get(SECTION))
