"""Render the badge designer at 1024 × 600 to ``docs/badges/designer*.png``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/badges/make_designer_screenshot.py

A throwaway database with the demo event and the hard test names (the
preview picks the longest, a Cyrillic and an Arabic one from them).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from checkin.domain.db import open_database  # noqa: E402
from checkin.domain.eventfile import load_event_file  # noqa: E402
from checkin.domain.events import EventService  # noqa: E402
from checkin.resources import demo_event_file  # noqa: E402
from checkin.ui.badge_designer import BadgeDesignerDialog  # noqa: E402
from checkin.ui.qt_compat import protect_singletons  # noqa: E402
from checkin.ui.theme import apply_theme  # noqa: E402
from tests.helpers import HARD_NAMES, People  # noqa: E402
from tests.helpers.desk import build_desk  # noqa: E402


def main() -> None:
    protect_singletons()
    app = QApplication(sys.argv)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as folder:
        event_file = Path(folder) / "event.toml"
        shutil.copy(demo_event_file(), event_file)
        db = open_database(Path(folder) / "checkin.db")
        event = EventService(db).load_definition(load_event_file(event_file))
        People(db, event).add_all(HARD_NAMES)
        context = build_desk(db, event, lambda: dt.datetime(2024, 9, 19, 9, 0, tzinfo=dt.UTC))
        dialog = BadgeDesignerDialog(context, event_file=event_file)
        dialog.resize(1024, 600)
        dialog.show()
        dialog.select(next(i for i, e in enumerate(dialog.draft.elements()) if e.kind == "person"))
        for _ in range(3):
            app.processEvents()
        dialog.refresh_preview()
        dialog.grab().save(str(HERE / "designer.png"))
        # A speaker's own design: a ribbon, pronouns, and the Arabic name in the preview.
        dialog.category_box.setCurrentIndex(dialog.category_box.findData("speaker"))
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("ribbon"))
        dialog.add_element()
        index = dialog.canvas.current
        ribbon = dialog.draft.elements()[index]
        w, _h = dialog.draft.badge_size
        dialog.draft.update(
            index,
            ribbon.__class__(**{**ribbon.__dict__, "text": "Podium", "x": 0.0, "y": 86.0, "w": w, "h": 7.0}),
        )
        dialog.person_box.setCurrentIndex(2)
        dialog._show_draft()
        dialog.select(index)
        for _ in range(3):
            app.processEvents()
        dialog.refresh_preview()
        dialog.grab().save(str(HERE / "designer-ribbon.png"))
        dialog.close()
        db.dispose()
    print(HERE / "designer.png", HERE / "designer-ribbon.png")


if __name__ == "__main__":
    main()
