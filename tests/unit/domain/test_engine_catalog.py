"""Every message of the check-in engine has a German translation in engine.po."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import polib
import pytest

from checkin.resources import resource_path

ROOT = Path(__file__).resolve().parents[3]
ENGINE_MODULES = [
    "checkin/domain/scanning.py",
    "checkin/domain/folding.py",
    "checkin/domain/search.py",
    "checkin/domain/checkin_service.py",
    "checkin/domain/statistics/counts.py",
    "checkin/domain/people.py",
    "checkin/cli/desk_commands.py",
]


def _messages() -> list[str]:
    found: list[str] = []
    for module in ENGINE_MODULES:
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append(node.args[0].value)
    return sorted(set(found))


CATALOG = {e.msgid: e for e in polib.pofile(str(resource_path("locale", "de", "engine.po")))}


def test_catalog_header_is_utf8():
    catalog = polib.pofile(str(resource_path("locale", "de", "engine.po")))
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("message", _messages())
def test_message_has_a_german_translation_with_the_same_placeholders(message):
    entry = CATALOG.get(message)
    assert entry is not None, f"missing in engine.po: {message!r}"
    assert entry.msgstr
    assert "fuzzy" not in entry.flags

    def fields(text: str) -> set[str]:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}

    assert fields(entry.msgstr) == fields(message)
