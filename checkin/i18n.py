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
_current = DEFAULT_LANGUAGE


def _load_catalog(language: str) -> dict[str, str]:
    import polib

    from checkin.resources import resource_path

    merged: dict[str, str] = {}
    folder = resource_path("locale", language)
    if not folder.is_dir():
        return merged
    for po_file in sorted(folder.glob("*.po")):
        for entry in polib.pofile(str(po_file)):
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                merged[entry.msgid] = entry.msgstr
    return merged


def catalog(language: str) -> dict[str, str]:
    """The merged msgid -> msgstr mapping of one language (loaded once)."""
    with _lock:
        if language not in _catalogs:
            _catalogs[language] = {} if language == "en" else _load_catalog(language)
        return _catalogs[language]


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


def translate(message: str, language: str) -> str:
    """Translate into a given language regardless of the current one (e.g. both texts of a verdict)."""
    if language == "en":
        return message
    return catalog(language).get(message, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


_ = gettext
