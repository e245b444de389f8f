"""Every user-facing string has a German translation with the same placeholders."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import checkin
from checkin import i18n

PACKAGE = Path(checkin.__file__).parent


def _marked_strings() -> dict[str, str]:
    """msgid -> 'file:line' for every literal passed to _() or N_() in the package."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"_", "N_"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def _marked_plurals() -> dict[tuple[str, str], str]:
    """(singular, plural) -> 'file:line' for every literal pair passed to ngettext()."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ngettext"
                and len(node.args) >= 2
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
            ):
                key = (node.args[0].value, node.args[1].value)  # type: ignore[attr-defined]
                found.setdefault(key, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_marked_string_has_a_german_translation():
    catalog = i18n.catalog("de")
    missing = [f"{where}: {msgid!r}" for msgid, where in _marked_strings().items() if msgid not in catalog]
    assert not missing, "missing German translations:\n" + "\n".join(missing)


def test_every_plural_message_has_both_german_forms():
    plurals = i18n.plural_catalog("de")
    missing = [f"{where}: {pair[0]!r}" for pair, where in _marked_plurals().items() if pair[0] not in plurals]
    assert not missing, "missing German plural translations:\n" + "\n".join(missing)
    wrong = [
        f"{singular!r} -> {forms!r}"
        for singular, forms in plurals.items()
        if any(_fields(form) - {"n"} != _fields(singular) - {"n"} for form in forms)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_plural_forms_follow_the_count():
    i18n.set_language("en")
    assert i18n.ngettext("{n} list", "{n} lists", 1) == "{n} list"
    assert i18n.ngettext("{n} list", "{n} lists", 0) == "{n} lists"
    i18n.set_language("de")
    singular, plural = i18n.plural_catalog("de")["Wrote {path}: {n} list."]
    assert i18n.ngettext("Wrote {path}: {n} list.", "Wrote {path}: {n} lists.", 1) == singular
    assert i18n.ngettext("Wrote {path}: {n} list.", "Wrote {path}: {n} lists.", 3) == plural
    assert singular != plural


def test_translations_keep_their_placeholders():
    catalog = i18n.catalog("de")
    wrong = [
        f"{msgid!r} -> {msgstr!r}" for msgid, msgstr in catalog.items() if _fields(msgid) != _fields(msgstr)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_switching_language_switches_text():
    sample = "Cancelled; nothing was changed."
    i18n.set_language("en")
    assert i18n.gettext(sample) == sample
    i18n.set_language("de")
    assert i18n.gettext(sample) != sample
    assert re.search(r"[Aa]bgebrochen", i18n.gettext(sample))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "de"),
        ({"CHECKIN_LANG": "en", "LANG": "de_DE"}, "en"),
    ],
)
def test_system_language_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
):
    for var in ("CHECKIN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert i18n.system_language() == expected
