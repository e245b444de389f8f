"""The big verdict on a small screen: what matters most stays readable, nothing overlaps.

On a 1024×600 netbook the result area of a scan station is a few hundred pixels high;
a long verdict (a workshop door's "Checked in at Zukunftswerkstatt 4: BASS-Studiengang
…") and all the person's lines do not fit, and Qt would draw them over each other.
``VerdictFit`` gives the lines up in order of importance (workshops, function, scan
notes, title), then uses smaller type for the band and the name. The verdict, the name,
the organisation, the category and the detail ("first checked in at …") always stay.
When the view grows again, everything comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.ui.checkin_panel import VerdictView

# The type sizes (pt) of the band and the name: as designed, and where space is short.
BAND_PT, NAME_PT = 22, 30
COMPACT_BAND_PT, COMPACT_NAME_PT = 16, 20


class VerdictFit:
    """Decides which of a ``VerdictView``'s lines show, given its height (no layout of its own)."""

    def __init__(self, view: VerdictView) -> None:
        self.view = view
        self._wanted: dict[QLabel, bool] = {}
        self.compact = False

    def _optional(self) -> list[QLabel]:
        """The lines that may go, least important first."""
        view = self.view
        return [view.workshops_label, view.function_label, view.notes_label, view.title_label]

    def content_changed(self) -> None:
        """The view has just shown new content: its visible lines are the ones wanted."""
        self._wanted = {label: not label.isHidden() for label in self._optional()}
        self.apply()

    def apply(self) -> None:
        """Show as much of what is wanted as fits the view's height."""
        view = self.view
        if not self._wanted or view.height() <= 0:
            return
        shown = {label for label, wanted in self._wanted.items() if wanted}
        self._set_compact(False)
        for label in self._optional():
            if self._needed(shown) <= view.height():
                break
            shown.discard(label)
        if self._needed(shown) > view.height():
            self._set_compact(True)
        for label, wanted in self._wanted.items():
            visible = wanted and label in shown
            if label.isHidden() == visible:
                label.setVisible(visible)

    def _set_compact(self, compact: bool) -> None:
        if compact == self.compact:
            return
        self.compact = compact
        view = self.view
        view.band.setFont(theme.font(COMPACT_BAND_PT if compact else BAND_PT, bold=True))
        view.name_label.setFont(theme.font(COMPACT_NAME_PT if compact else NAME_PT, bold=True))

    def _needed(self, shown: set[QLabel]) -> int:
        """The height the view needs with ``shown`` of the optional lines (and every other line it shows)."""
        view = self.view
        optional = set(self._optional())
        body_layout = view.body.layout()
        if body_layout is None:
            return 0
        margins = body_layout.contentsMargins()
        width = max(1, view.width() - 4 - margins.left() - margins.right())
        needed = _height(view.band, view.width() - 4) + margins.top() + margins.bottom() + 4 + 14
        for label in view.body.findChildren(QLabel):
            visible = label in shown if label in optional else not label.isHidden()
            if visible:
                needed += _height(label, width) + body_layout.spacing()
        return needed


def _height(label: QLabel, width: int) -> int:
    if label.wordWrap():
        height = label.heightForWidth(width)
        if height >= 0:
            return height
    return label.sizeHint().height()
