"""Sounds (made with the stdlib, distinct per verdict) and screen scaling."""

from __future__ import annotations

import wave
from pathlib import Path

from checkin.domain.verdicts import Severity
from checkin.resources import resource_path
from checkin.ui import theme
from checkin.ui.sounds import SOUND_FILES, SoundPlayer, write_tones


def _frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as sound:
        assert sound.getnchannels() == 1
        assert sound.getsampwidth() == 2
        return sound.readframes(sound.getnframes())


def test_shipped_sounds_are_the_generated_ones_and_distinct(tmp_path):
    written = write_tones(tmp_path)
    assert len(written) == 3
    contents = {}
    for severity, name in SOUND_FILES.items():
        shipped = _frames(resource_path("sounds", name))
        assert shipped == _frames(tmp_path / name)
        assert 0.2 < len(shipped) / 2 / 22050 < 1.0  # short: between 0.2 and 1 s
        contents[severity] = shipped
    assert len(set(contents.values())) == 3


def test_muted_player_plays_nothing(qtbot):
    player = SoundPlayer(enabled=False)
    assert player.play(Severity.OK) is False


def test_scale_follows_the_screen_height():
    assert theme.scale_for_screen_height(600) == 0.85  # never smaller than that
    assert 0.85 < theme.scale_for_screen_height(768) < 0.86
    assert theme.scale_for_screen_height(900) == 1.0
    assert theme.scale_for_screen_height(2160) == 2.2
    assert theme.pt(11, 2.0) == 22


def test_readable_text_on_category_colours():
    assert theme.readable_text_on("#1f5fa8") == "#ffffff"
    assert theme.readable_text_on("#ffe066") == theme.INK


def test_language_switcher_installs_qt_translations_for_stock_dialogs(qtbot):
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from checkin import i18n
    from checkin.ui.translations import LanguageSwitcher

    switcher = LanguageSwitcher(QApplication.instance())
    try:
        assert switcher.apply("de") == "de"
        assert switcher.has_qt_translation
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"
        assert switcher.apply("en") == "en"
        assert not switcher.has_qt_translation
        assert i18n.current_language() == "en"
        english = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(english)
        assert english.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    finally:
        switcher.remove()
