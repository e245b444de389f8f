"""Fonts, colours and sizes: calm, big, high contrast; from a 1366×768 laptop to a 4K screen.

Qt already scales by the screen's device pixel ratio; on top of that the base
font follows the height of the screen in logical pixels, so a 4K screen run
at 100 % still shows text that can be read from a step away.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from checkin.domain.verdicts import Severity

# Colours with a contrast ratio of at least 4.5:1 for white text on the strong shade.
INK = "#1b1f24"
MUTED = "#55606b"
SURFACE = "#f6f7f9"
CARD = "#ffffff"
LINE = "#d5dae0"
ACCENT = "#1f5fa8"


@dataclass(frozen=True)
class SeverityColours:
    strong: str  # band behind the verdict (white text on it)
    tint: str  # background of the person card
    text: str  # coloured text on the tint


SEVERITY_COLOURS: dict[Severity, SeverityColours] = {
    Severity.OK: SeverityColours(strong="#1b7a3a", tint="#e8f5ec", text="#135c2b"),
    Severity.WARNING: SeverityColours(strong="#a85a00", tint="#fff3e0", text="#7a4100"),
    Severity.REFUSED: SeverityColours(strong="#b3261e", tint="#fdecea", text="#8c1d18"),
}
NEUTRAL = SeverityColours(strong="#44505c", tint="#eef1f4", text=INK)
BANNER = SeverityColours(strong="#a85a00", tint="#fff3e0", text="#6b3a00")


def scale_for_screen_height(height: int) -> float:
    """1.0 on a 900 px high screen; 1366×768 gets slightly smaller, 4K at 100 % larger."""
    return max(0.85, min(2.2, height / 900))


SCALE_PROPERTY = "checkinUiScale"


def ui_scale() -> float:
    """The scale ``apply_theme`` chose (kept on the application), else the primary screen's."""
    app = QGuiApplication.instance()
    # Only read the property once it is set: PySide6 6.12 miscounts references to the None
    # it returns for a missing one.
    if app is not None and SCALE_PROPERTY.encode() in [bytes(n.data()) for n in app.dynamicPropertyNames()]:
        chosen = app.property(SCALE_PROPERTY)
        if isinstance(chosen, float | int) and chosen > 0:
            return float(chosen)
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1.0
    return scale_for_screen_height(screen.availableGeometry().height())


def pt(size: float, scale: float | None = None) -> int:
    """A point size scaled for the screen."""
    return max(7, round(size * (ui_scale() if scale is None else scale)))


def font(size: float, *, bold: bool = False, scale: float | None = None) -> QFont:
    result = QFont(QApplication.font())
    result.setPointSize(pt(size, scale))
    result.setBold(bold)
    return result


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``width`` × ``height``, but never larger than the screen's free area (a 1024×600 netbook,
    a 1366×768 laptop): the dialog's buttons stay on screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, available.width() - 16)
        height = min(height, available.height() - 48)  # room for the window's title bar
    widget.resize(width, height)


def readable_text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (category chips)."""
    qcolour = QColor(colour)
    if not qcolour.isValid():
        return INK
    luminance = 0.2126 * qcolour.redF() + 0.7152 * qcolour.greenF() + 0.0722 * qcolour.blueF()
    return INK if luminance > 0.55 else "#ffffff"


def stylesheet(scale: float) -> str:
    base = pt(11, scale)
    return f"""
QMainWindow, QDialog {{ background: {SURFACE}; }}
QWidget {{ color: {INK}; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="heading"] {{ font-size: {pt(15, scale)}pt; font-weight: 600; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit, QTextEdit {{
    background: {CARD}; border: 1px solid {LINE}; border-radius: 4px; padding: 4px 6px;
    font-size: {base}pt;
}}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border: 2px solid {ACCENT}; }}
QLineEdit[role="scan"] {{
    font-size: {pt(20, scale)}pt; padding: 8px 12px; border: 2px solid {LINE}; border-radius: 6px;
}}
QLineEdit[role="scan"]:focus {{ border: 3px solid {ACCENT}; }}
QPushButton {{
    background: {CARD}; border: 1px solid #aab3bd; border-radius: 4px; padding: 6px 14px;
    font-size: {base}pt;
}}
QPushButton:hover {{ background: #eef3f9; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:default, QPushButton[role="primary"] {{
    background: {ACCENT}; color: white; border: 1px solid {ACCENT};
}}
QPushButton:disabled {{ color: #9aa3ad; background: #f0f2f4; }}
QListWidget, QTreeWidget, QTableWidget {{
    background: {CARD}; border: 1px solid {LINE}; border-radius: 4px; font-size: {base}pt;
}}
QListWidget::item:selected, QTreeWidget::item:selected, QTableWidget::item:selected {{
    background: {ACCENT}; color: white;
}}
QTabWidget::pane {{ border: none; }}
QTabBar::tab {{
    padding: 8px 18px; font-size: {base}pt; border: 1px solid transparent; color: {MUTED};
}}
QTabBar::tab:selected {{ color: {INK}; font-weight: 600; border-bottom: 3px solid {ACCENT}; }}
QGroupBox {{ font-weight: 600; border: 1px solid {LINE}; border-radius: 6px; margin-top: 14px;
    padding-top: 8px; background: {CARD}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; }}
QProgressBar {{ border: 1px solid {LINE}; border-radius: 6px; background: {CARD}; text-align: center;
    font-size: {pt(14, scale)}pt; font-weight: 600; min-height: {round(34 * scale)}px; }}
QProgressBar::chunk {{ border-radius: 5px; background: {SEVERITY_COLOURS[Severity.OK].strong}; }}
QProgressBar[level="warning"]::chunk {{ background: {SEVERITY_COLOURS[Severity.WARNING].strong}; }}
QProgressBar[level="refused"]::chunk {{ background: {SEVERITY_COLOURS[Severity.REFUSED].strong}; }}
QStatusBar {{ color: {MUTED}; }}
QMenuBar, QMenu {{ font-size: {base}pt; }}
"""


def apply_theme(app: QApplication, scale: float | None = None) -> float:
    """Set the application font and style sheet; returns the scale used."""
    used = (
        scale_for_screen_height(app.primaryScreen().availableGeometry().height()) if scale is None else scale
    )
    app.setProperty(SCALE_PROPERTY, used)
    app.setStyle("Fusion")
    base = QFont(app.font())
    base.setPointSize(pt(11, used))
    app.setFont(base)
    app.setStyleSheet(stylesheet(used))
    return used
