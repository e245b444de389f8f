"""Translations usable from every layer, without Qt.

Source strings are English. Catalogs are gettext ``.po`` files under
``resources/locale/<lang>/`` (one file per area, so that areas can be
translated independently); all files of a language are merged on load.
German is the default language; English is the source language.

Use ``_("Checked in: {name}").format(name=...)`` — never concatenate
translated fragments.
"""

from __future__ import annotations

import locale
import os
import threading

SUPPORTED_LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

_lock = threading.Lock()
_catalogs: dict[str, dict[str, str]] = {}
# msgid (singular) -> its plural forms; German and English both have two (n == 1, else).
_plural_catalogs: dict[str, dict[str, tuple[str, str]]] = {}
_current = DEFAULT_LANGUAGE


def _load_catalog(language: str) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    import polib

    from checkin.resources import resource_path

    merged: dict[str, str] = {}
    plurals: dict[str, tuple[str, str]] = {}
    folder = resource_path("locale", language)
    if not folder.is_dir():
        return merged, plurals
    for po_file in sorted(folder.glob("*.po")):
        for entry in polib.pofile(str(po_file)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            if entry.msgid_plural:
                forms = entry.msgstr_plural
                if forms.get(0) and forms.get(1):
                    plurals[entry.msgid] = (forms[0], forms[1])
            elif entry.msgstr:
                merged[entry.msgid] = entry.msgstr
    return merged, plurals


def catalog(language: str) -> dict[str, str]:
    """The merged msgid -> msgstr mapping of one language (loaded once)."""
    _ensure_loaded(language)
    return _catalogs[language]


def plural_catalog(language: str) -> dict[str, tuple[str, str]]:
    """The merged msgid -> (singular, plural) mapping of one language (loaded once)."""
    _ensure_loaded(language)
    return _plural_catalogs[language]


def _ensure_loaded(language: str) -> None:
    with _lock:
        if language not in _catalogs:
            _catalogs[language], _plural_catalogs[language] = (
                ({}, {}) if language == "en" else _load_catalog(language)
            )


def system_language() -> str:
    """The UI language the system asks for: ``CHECKIN_LANG``, else the locale; German otherwise."""
    wanted = os.environ.get("CHECKIN_LANG")
    if not wanted:
        for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
            if os.environ.get(var):
                wanted = os.environ[var]
                break
    if not wanted:
        wanted = (locale.getlocale()[0] or "") if hasattr(locale, "getlocale") else ""
    code = (wanted or "").split(":")[0].split(".")[0].split("_")[0].lower()
    return code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Switch the language of every later ``_()`` call."""
    global _current
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _current = language


def current_language() -> str:
    return _current


def gettext(message: str) -> str:
    """Translate ``message`` into the current language (English source text as fallback)."""
    if _current == "en":
        return message
    return catalog(_current).get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Singular or plural for ``n`` in the current language: ``ngettext("{n} list", "{n} lists", n)``."""
    index = 0 if n == 1 else 1
    if _current != "en":
        forms = plural_catalog(_current).get(singular)
        if forms is not None:
            return forms[index]
    return (singular, plural)[index]


def translate(message: str, language: str) -> str:
    """Translate into a given language regardless of the current one (e.g. both texts of a verdict)."""
    if language == "en":
        return message
    return catalog(language).get(message, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


_ = gettext
