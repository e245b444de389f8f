"""Distinct sounds for admitted / warning / refused scans.

The WAV files in ``resources/sounds/`` are made by :func:`write_tones`
(``python -m checkin.ui.sounds`` regenerates them): admitted is a short rising
two-note chime, warning two equal mid notes, refused a low, longer double buzz.
They play through QtMultimedia's QSoundEffect; without audio (no sound card,
no PulseAudio library, offscreen tests) the desk stays silent and works on.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from checkin.domain.verdicts import Severity
from checkin.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

SAMPLE_RATE = 22050
SOUND_FILES = {
    Severity.OK: "admitted.wav",
    Severity.WARNING: "warning.wav",
    Severity.REFUSED: "refused.wav",
}
# (frequency Hz, duration s, waveform) per note; 0 Hz is a pause.
_TONES: dict[Severity, list[tuple[float, float, str]]] = {
    Severity.OK: [(880.0, 0.09, "sine"), (0.0, 0.02, "sine"), (1318.5, 0.16, "sine")],
    Severity.WARNING: [(659.3, 0.14, "sine"), (0.0, 0.07, "sine"), (659.3, 0.14, "sine")],
    Severity.REFUSED: [(220.0, 0.22, "square"), (0.0, 0.06, "sine"), (196.0, 0.30, "square")],
}


def _samples(frequency: float, duration: float, waveform: str) -> list[int]:
    count = int(SAMPLE_RATE * duration)
    fade = max(1, int(SAMPLE_RATE * 0.01))  # 10 ms fade in/out: no clicks
    out = []
    for i in range(count):
        if frequency <= 0:
            out.append(0)
            continue
        phase = math.sin(2 * math.pi * frequency * i / SAMPLE_RATE)
        value = phase if waveform == "sine" else (0.55 if phase >= 0 else -0.55)
        envelope = min(1.0, i / fade, (count - i) / fade)
        out.append(int(value * envelope * 0.6 * 32767))
    return out


def write_tones(folder: Path) -> list[Path]:
    """Write the three WAV files (16-bit mono) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for severity, notes in _TONES.items():
        samples: list[int] = []
        for frequency, duration, waveform in notes:
            samples.extend(_samples(frequency, duration, waveform))
        path = folder / SOUND_FILES[severity]
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
        written.append(path)
    return written


class SoundPlayer:
    """Plays the verdict sounds; loads QtMultimedia only when sound is first needed."""

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        self._parent = parent
        self.enabled = enabled
        self._effects: dict[Severity, object] | None = None
        self._available = True

    @property
    def available(self) -> bool:
        return self._available

    def _load(self) -> None:
        self._effects = {}
        try:
            from PySide6.QtCore import QUrl
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if not QMediaDevices.audioOutputs():
                self._available = False
                return
            for severity, name in SOUND_FILES.items():
                effect = QSoundEffect(self._parent)
                effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", name))))
                effect.setVolume(0.8)
                self._effects[severity] = effect
        except (ImportError, OSError, RuntimeError):
            self._available = False

    def play(self, severity: Severity) -> bool:
        """Play the sound of ``severity``; False when muted or no audio is available."""
        if not self.enabled:
            return False
        if self._effects is None:
            self._load()
        effect = (self._effects or {}).get(severity)
        if effect is None:
            return False
        effect.play()  # type: ignore[attr-defined]
        return True


if __name__ == "__main__":
    for written_path in write_tones(resource_path("sounds")):
        print(written_path)
