"""The camera beside the scan field: frames in, the desk's own verdicts out.

No camera can be plugged in here: ``ImageFrameSource`` puts frames drawn from images
(``tests.helpers.camera_frames``) into the view's video sink at 30 frames a second, in
place of a camera. From the sink on, everything is the real path: the single-slot handoff,
the decoder thread, the debounce and the scan station's ``submit_scan``.
"""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from sqlalchemy import func, select

from checkin.domain.models import CheckInLogEntry
from checkin.domain.verdicts import VerdictKind
from checkin.ui import camera_view
from checkin.ui.camera_view import CameraStation, ImageFrameSource
from tests.helpers.camera_frames import empty_frame, frame_with, phone_screen
from tests.helpers.keys import press, type_text

TEST_CAMERA = "test-camera"


def qimage(image: Image.Image) -> QImage:
    """A PIL image as a camera's 32-bit frame (BGRX in memory, as most webcams deliver)."""
    rgb = np.ascontiguousarray(np.asarray(image.convert("RGB")))
    height, width, _ = rgb.shape
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).convertToFormat(
        QImage.Format.Format_RGB32
    )


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> list[ImageFrameSource]:
    """Stands in for the camera called ``test-camera``: frames from images (none shown yet)."""
    made: list[ImageFrameSource] = []

    def open_camera(setting: str) -> ImageFrameSource | None:
        if setting != TEST_CAMERA:
            return None
        source = ImageFrameSource([qimage(empty_frame())], fps=30)
        made.append(source)
        return source

    monkeypatch.setattr(camera_view, "open_camera", open_camera)
    return made


def _station(panel) -> CameraStation:  # type: ignore[no-untyped-def]
    return panel.findChild(CameraStation)


def _checkins(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(CheckInLogEntry))


def test_without_a_camera_chosen_the_desk_looks_as_before(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    station = _station(main_window.checkin_panel)
    assert station is not None
    assert station.camera is None  # not even made: Qt Multimedia is not loaded for nothing


def test_camera_scans_at_the_desk_once_per_person(  # type: ignore[no-untyped-def]
    qtbot, main_window, desk_context, people, sources, db
) -> None:
    panel = main_window.checkin_panel
    admitted = []
    panel.checked_in.connect(admitted.append)  # auto-print listens to this
    desk_context.settings.camera = TEST_CAMERA
    qtbot.waitUntil(lambda: len(sources) == 1, timeout=3000)  # the settings are followed within a second
    view = _station(panel).camera
    assert view is not None
    assert view.isVisible()
    (source,) = sources

    source.show([qimage(frame_with(people["mueller"].code, 5, angle=30))])
    qtbot.waitUntil(lambda: panel.verdict_view.verdict is not None, timeout=5000)
    assert panel.verdict_view.verdict.kind is VerdictKind.CHECKED_IN
    qtbot.wait(1000)  # still held up: 30 more frames
    source.show([qimage(phone_screen(people["schmidt"].code))])  # the next person, on a phone
    qtbot.waitUntil(lambda: len(panel.recent.scans) == 2, timeout=5000)
    qtbot.wait(500)

    assert [(s.verdict.kind, s.verdict.person.registration_id) for s in reversed(panel.recent.scans)] == [
        (VerdictKind.CHECKED_IN, people["mueller"].registration_id),
        (VerdictKind.CHECKED_IN, people["schmidt"].registration_id),
    ]
    assert [v.person.registration_id for v in admitted] == [
        people["mueller"].registration_id,
        people["schmidt"].registration_id,
    ]
    assert _checkins(db) == 2
    assert view.scanner.stats.decoded > 10
    # The GUI thread's share of a frame: the handoff and the preview's painting.
    assert len(view.gui_seconds) > 20
    assert statistics.median(view.gui_seconds) < 0.002


def test_camera_scans_at_the_door_into_its_session(  # type: ignore[no-untyped-def]
    qtbot, main_window, desk_context, people, sources
) -> None:
    desk_context.settings.camera = TEST_CAMERA
    main_window.show_door()
    door = main_window.door_panel
    assert door.select_session("zw-digitalisierung")
    qtbot.waitUntil(lambda: bool(sources) and _station(door).camera.source is sources[-1], timeout=3000)
    desk_camera = _station(main_window.checkin_panel).camera
    assert desk_camera is None or desk_camera.source is None  # one camera, on the page shown
    sources[-1].show([qimage(frame_with(people["schmidt"].code, 6))])
    qtbot.waitUntil(lambda: door.verdict_view.verdict is not None, timeout=5000)
    verdict = door.verdict_view.verdict
    assert verdict.kind is VerdictKind.CHECKED_IN
    assert verdict.session_key == "zw-digitalisierung"


def test_a_camera_not_connected_is_said_and_the_desk_keeps_working(  # type: ignore[no-untyped-def]
    qtbot, main_window, desk_context, people
) -> None:
    desk_context.settings.camera = "a-camera-that-was-unplugged"
    panel = main_window.checkin_panel
    station = _station(panel)
    qtbot.waitUntil(lambda: station.camera is not None, timeout=3000)
    view = station.camera
    qtbot.waitUntil(lambda: view.isVisible() and "nicht angeschlossen" in view.message, timeout=3000)
    assert view.source is None
    type_text(panel.scan_field, people["mueller"].code)
    press(panel.scan_field, Qt.Key.Key_Return)
    assert panel.verdict_view.verdict.kind is VerdictKind.CHECKED_IN


def test_switching_the_camera_off_in_the_settings_stops_it(  # type: ignore[no-untyped-def]
    qtbot, main_window, desk_context, sources
) -> None:
    desk_context.settings.camera = TEST_CAMERA
    station = _station(main_window.checkin_panel)
    qtbot.waitUntil(lambda: station.camera is not None and station.camera.source is not None, timeout=3000)
    view = station.camera
    desk_context.settings.camera = ""
    qtbot.waitUntil(lambda: view.source is None and not view.isVisible(), timeout=3000)
    assert not view.scanner.running


def test_the_settings_offer_no_camera_and_keep_one_not_connected(qtbot, desk_context) -> None:  # type: ignore[no-untyped-def]
    from checkin.ui.settings_dialog import SettingsDialog

    desk_context.settings.camera = "old-camera"
    dialog = SettingsDialog(desk_context)
    qtbot.addWidget(dialog)
    combo = dialog.camera_combo
    assert combo.itemData(0) == ""
    assert combo.currentData() == "old-camera"
    assert dialog.result_settings().camera == "old-camera"
    combo.setCurrentIndex(0)
    assert dialog.result_settings().camera == ""


def test_the_kiosk_scans_with_the_camera_too(qtbot, desk_context, people, sources, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from checkin.domain.supervisor import hash_pin
    from checkin.ui.kiosk_window import KioskWindow

    desk_context.settings.camera = TEST_CAMERA
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "badge.pdf"))
    kiosk = KioskWindow(desk_context, pin_hash=hash_pin("2468"), printer=printer)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(
        lambda: (
            bool(sources) and kiosk.station.camera is not None and kiosk.station.camera.source is sources[-1]
        ),
        timeout=3000,
    )
    checked_in = []
    kiosk.checked_in.connect(checked_in.append)
    sources[-1].show([qimage(phone_screen(people["schmidt"].code))])
    qtbot.waitUntil(lambda: bool(checked_in), timeout=5000)
    qtbot.wait(600)  # held up a while longer: still one check-in
    assert [v.person.registration_id for v in checked_in] == [people["schmidt"].registration_id]
    assert "Willkommen, Anna Schmidt!" in kiosk.result_text()
    assert (tmp_path / "badge.pdf").exists()
    kiosk._unlocked = True


def test_a_code_already_in_view_while_the_decoder_starts_is_one_scan(  # type: ignore[no-untyped-def]
    qtbot, main_window, desk_context, people, monkeypatch
) -> None:
    """The decoding process takes a second or two to start; the frames meanwhile are dropped.
    The code held up all along must not count as having left the view."""
    frame = qimage(frame_with(people["mueller"].code, 6))
    monkeypatch.setattr(camera_view, "open_camera", lambda _setting: ImageFrameSource([frame], fps=30))
    desk_context.settings.camera = TEST_CAMERA
    panel = main_window.checkin_panel
    qtbot.waitUntil(lambda: bool(panel.recent.scans), timeout=8000)
    view = _station(panel).camera
    qtbot.waitUntil(lambda: view.scanner.stats.decoded >= 20, timeout=10000)
    assert [s.verdict.kind for s in panel.recent.scans] == [VerdictKind.CHECKED_IN]
