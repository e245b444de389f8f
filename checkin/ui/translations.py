"""The UI language: our gettext catalogs plus Qt's own translations for stock dialogs.

Qt's ``qtbase_<lang>.qm`` (shipped with PySide6) translates the buttons and
labels of QMessageBox, QFileDialog, QPrintDialog and friends. Switching the
language at runtime installs the matching translator and asks the caller to
re-label its widgets (every widget of ours has ``retranslate()``).
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from checkin import i18n

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


class LanguageSwitcher:
    """Keeps one Qt translator installed for the current language."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None

    def apply(self, language: str | None) -> str:
        """Switch to ``language`` (empty/None: the system's); returns the language now in use."""
        wanted = language if language in i18n.SUPPORTED_LANGUAGES else i18n.system_language()
        i18n.set_language(wanted)
        QLocale.setDefault(QLocale(QLocale.Language.German if wanted == "de" else QLocale.Language.English))
        self.remove()
        if wanted != "en":
            translator = QTranslator(self._app)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{wanted}", folder):
                self._app.installTranslator(translator)
                self._translator = translator
        return wanted

    def remove(self) -> None:
        """Take Qt's translations out again (back to Qt's English)."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None

    @property
    def has_qt_translation(self) -> bool:
        return self._translator is not None
