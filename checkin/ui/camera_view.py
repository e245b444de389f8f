"""Camera scanning in the window: a live preview beside the scan field; codes go the scanner's way.

``CameraView`` shows what the camera chosen in the settings sees and hands every code it
reads to ``submit`` — at the desk and the door that is the scan station's
``submit_scan``, so a camera scan gets the same verdict, sound and automatic badge as a
USB scanner's. ``with_camera`` puts the view beside a panel's scan station and runs the
camera only while that page is shown.

The GUI thread does almost nothing per frame: the video sink's frame goes into
``CameraScanner``'s single slot (a frame not yet taken is replaced, never queued), and
the decoder thread copies the frame, makes the small preview image and hands the pixels
to the decoding child process (``checkin.domain.camera_scan``), which picks the
luminance out in place and decodes. The GUI thread only paints the preview;
``gui_seconds`` keeps what it spent per frame (the benchmark and a test read it).

Without a camera, or when the chosen one is not connected or fails, the view says so and
the desk works on with scanner and keyboard. ``open_camera`` finds the camera for a
setting; tests and the screenshot script replace it by ``ImageFrameSource`` (frames from
images, labelled as test frames on screen: never mistaken for a camera).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QLoggingCategory, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QImage, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from checkin.domain.camera_scan import CameraScanner, GrayFrame, ProcessDecoder
from checkin.i18n import _
from checkin.ui import theme

if TYPE_CHECKING:
    from checkin.ui.context import DeskContext
    from checkin.ui.scan_station import ScanStation

PREVIEW_WIDTH = 360
PREVIEW_INTERVAL = 1 / 15  # seconds between preview images (decoding may run faster)
SETTINGS_CHECK_MS = 1000


def quiet_multimedia_probes() -> None:
    """Qt Multimedia warns about every optional video-acceleration library it cannot find
    (VA-API, PipeWire); the camera does not need them. Silence that one category."""
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")


class FrameSource(Protocol):
    """Something that puts video frames into a ``QVideoSink``: a camera, or test frames."""

    name: str
    is_camera: bool

    def start(self, sink: object, on_error: Callable[[str], None]) -> None: ...

    def stop(self) -> None: ...


class CameraSource:
    """A real camera (Qt Multimedia) feeding a video sink."""

    is_camera = True

    def __init__(self, device: object) -> None:
        from PySide6.QtMultimedia import QCamera, QCameraDevice, QMediaCaptureSession

        assert isinstance(device, QCameraDevice)
        self.name = device.description()
        self._camera = QCamera(device)
        self._session = QMediaCaptureSession()
        self._session.setCamera(self._camera)

    def start(self, sink: object, on_error: Callable[[str], None]) -> None:
        from PySide6.QtMultimedia import QCamera, QVideoSink

        assert isinstance(sink, QVideoSink)
        self._session.setVideoSink(sink)
        self._camera.errorOccurred.connect(
            lambda error, text: on_error(text) if error != QCamera.Error.NoError else None
        )
        self._camera.start()

    def stop(self) -> None:
        self._camera.stop()


class ImageFrameSource(QObject):
    """Frames from images at a steady rate, as a camera would deliver them (tests, screenshots).

    ``show(images)`` changes what is "in front of the camera"; the view labels these frames
    as test frames, so a screenshot cannot be mistaken for a camera.
    """

    is_camera = False

    def __init__(self, images: Sequence[QImage], *, fps: float = 30.0, name: str = "") -> None:
        super().__init__()
        self.name = name or _("Test frames (no camera)")
        self._images = list(images)
        self._index = 0
        self._sink: object = None
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(1000 / fps)))
        self._timer.timeout.connect(self.push)

    def show(self, images: Sequence[QImage]) -> None:
        self._images, self._index = list(images), 0

    def start(self, sink: object, on_error: Callable[[str], None]) -> None:
        self._sink = sink
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._sink = None

    def push(self) -> None:
        """Deliver the next frame now (the timer does this ``fps`` times a second)."""
        from PySide6.QtMultimedia import QVideoFrame, QVideoSink

        if not isinstance(self._sink, QVideoSink) or not self._images:
            return
        image = self._images[self._index % len(self._images)]
        self._index += 1
        self._sink.setVideoFrame(QVideoFrame(image))


def camera_choices() -> list[tuple[str, str]]:
    """(setting, description) of every camera connected now, the system's default first."""
    quiet_multimedia_probes()
    from PySide6.QtMultimedia import QMediaDevices

    return [(_camera_id(d), d.description()) for d in QMediaDevices.videoInputs()]


def camera_combo(current: str) -> QComboBox:
    """The settings' choice of camera: none (scanner and keyboard only) or one connected now;
    a chosen camera that is not connected stays listed as such."""
    combo = QComboBox()
    combo.setObjectName("camera")
    combo.addItem(_("No camera (scanner and keyboard only)"), "")
    for setting, description in camera_choices():
        combo.addItem(description, setting)
    if current and combo.findData(current) < 0:
        combo.addItem(_("The camera chosen before (not connected)"), current)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _camera_id(device: object) -> str:
    return bytes(device.id().data()).decode("utf-8", errors="replace")  # type: ignore[attr-defined]


def open_camera(setting: str) -> FrameSource | None:
    """The camera a desk's ``camera`` setting names, or None when it is not connected now."""
    quiet_multimedia_probes()
    from PySide6.QtMultimedia import QMediaDevices

    for device in QMediaDevices.videoInputs():
        if _camera_id(device) == setting:
            return CameraSource(device)
    return None


class _Relay(QObject):
    """Carries results from the decoder thread to the GUI thread (queued signals)."""

    preview = Signal(QImage)
    scans = Signal(list)


# Where the green byte sits in 32-bit RGB frames (QVideoFrameFormat byte order): luminance enough.
_GREEN_AT = {"BGRA8888": 1, "BGRX8888": 1, "RGBA8888": 1, "RGBX8888": 1, "ARGB8888": 2, "XRGB8888": 2}
_GREEN_AT |= {"ABGR8888": 2, "XBGR8888": 2, "BGRA8888_Premultiplied": 1, "ARGB8888_Premultiplied": 2}
# Formats whose first plane is the luminance (Y) itself, one byte a pixel.
_Y_PLANE = {"Y8", "NV12", "NV21", "YUV420P", "YV12", "YUV422P", "IMC1", "IMC2", "IMC3", "IMC4"}
_PACKED_YUV = {"YUYV": 0, "UYVY": 1}  # Y every second byte, from this offset


class FrameReader:
    """Turns a ``QVideoFrame`` into a ``GrayFrame`` (in the decoder thread) and, at most
    every ``PREVIEW_INTERVAL`` seconds, a preview image ``preview_size`` wide."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._last_preview = 0.0
        self.preview_width = PREVIEW_WIDTH

    def __call__(self, frame: object) -> GrayFrame | None:
        from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

        assert isinstance(frame, QVideoFrame)
        if not frame.isValid():
            return None
        name = frame.pixelFormat().name.removeprefix("Format_")
        width, height = frame.width(), frame.height()
        if name in _GREEN_AT or name in _Y_PLANE or name in _PACKED_YUV:
            if not frame.map(QVideoFrame.MapMode.ReadOnly):
                return None
            try:
                stride = frame.bytesPerLine(0)
                pixels = bytes(frame.bits(0))  # a copy: the frame goes back to the camera at once
            finally:
                frame.unmap()
            if name in _GREEN_AT:
                gray = GrayFrame(pixels, width, height, stride, pixel_step=4, offset=_GREEN_AT[name])
                image_format = QVideoFrameFormat.imageFormatFromPixelFormat(frame.pixelFormat())
                self._preview(lambda: QImage(pixels, width, height, stride, image_format))
            elif name in _PACKED_YUV:
                gray = GrayFrame(pixels, width, height, stride, pixel_step=2, offset=_PACKED_YUV[name])
                self._preview(frame.toImage)
            else:
                gray = GrayFrame(pixels, width, height, stride)
                self._preview(lambda: QImage(pixels, width, height, stride, QImage.Format.Format_Grayscale8))
            return gray
        # Anything else (a camera sending JPEG): Qt decodes it.
        image = frame.toImage().convertToFormat(QImage.Format.Format_RGBX8888)
        self._preview(lambda: image)
        data = bytes(image.constBits())
        return GrayFrame(data, image.width(), image.height(), image.bytesPerLine(), pixel_step=4, offset=1)

    def _preview(self, make: Callable[[], QImage]) -> None:
        now = time.monotonic()
        if now - self._last_preview < PREVIEW_INTERVAL:
            return
        self._last_preview = now
        image = make()
        if image.isNull():
            return
        # Fast to twice the size, then smooth: a clean preview for a fraction of a smooth scale's time.
        if image.width() > 2 * self.preview_width:
            image = image.scaledToWidth(2 * self.preview_width, Qt.TransformationMode.FastTransformation)
        self._relay.preview.emit(
            image.scaledToWidth(self.preview_width, Qt.TransformationMode.SmoothTransformation)
        )


class PreviewArea(QWidget):
    """Paints the latest preview image, letterboxed; the text over it when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.caption = ""
        self.painted: Callable[[float], None] = lambda _seconds: None  # time each paint took
        self.setMinimumSize(QSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 9 // 16))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(PREVIEW_WIDTH * 9 // 16)

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1f2328"))
        if self.image is not None and not self.image.isNull():
            size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(
                (self.width() - size.width()) // 2,
                (self.height() - size.height()) // 2,
                size.width(),
                size.height(),
            )
            painter.drawImage(target, self.image)
        if self.caption:
            painter.setPen(QColor("white"))
            painter.setFont(theme.font(10, bold=True))
            band = QRect(0, self.height() - 26, self.width(), 26)
            painter.fillRect(band, QColor(0, 0, 0, 150))
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter, self.caption)
        painter.end()
        self.painted(time.perf_counter() - started)


class CameraView(QFrame):
    """The camera's preview and state; every new code it reads goes to ``submit``.

    Args:
        settings_camera: returns the camera setting ("" = no camera): read each time the
            view starts, and every second while it runs (a change in the settings applies).
        submit: takes a scanned code, as a USB scanner's scan is taken.

    Signals:
        scanned(str): a code was read and handed to ``submit``.
    """

    scanned = Signal(str)

    def __init__(
        self,
        settings_camera: Callable[[], str],
        submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        quiet_multimedia_probes()
        from PySide6.QtMultimedia import QVideoSink

        self.setObjectName("cameraView")
        self._setting = settings_camera
        self._submit = submit
        self._source: FrameSource | None = None
        self._source_setting = ""
        self._active = False
        self.gui_seconds: deque[float] = deque(maxlen=2000)  # GUI-thread time per frame
        self._pending_gui = 0.0
        self._lock = threading.Lock()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.preview = PreviewArea()
        self.preview.painted = self._add_gui_time
        self.status = QLabel()
        self.status.setObjectName("cameraStatus")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "muted")
        layout.addWidget(self.title)
        layout.addWidget(self.preview)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.setFixedWidth(PREVIEW_WIDTH)

        self.relay = _Relay(self)
        self.relay.preview.connect(self._show_preview)
        self.relay.scans.connect(self._on_scans)
        self.reader = FrameReader(self.relay)
        self.decoder = ProcessDecoder()  # zxing-cpp keeps the GIL while decoding: not in this process
        self.scanner: CameraScanner[object] = CameraScanner(
            self.reader, self.relay.scans.emit, decode=self.decoder
        )
        self.sink = QVideoSink(self)
        # Direct: the frame goes into the slot in whatever thread the camera delivers it.
        self.sink.videoFrameChanged.connect(self._on_frame, Qt.ConnectionType.DirectConnection)
        self.retranslate()

    # -- running ---------------------------------------------------------------------------------
    @property
    def source(self) -> FrameSource | None:
        return self._source

    @property
    def wanted(self) -> bool:
        """True when the settings name a camera (the view is shown at all)."""
        return bool(self._setting())

    def set_active(self, active: bool) -> None:
        """Run the camera while the page is shown; stop it (the light goes off) when hidden."""
        self._active = active
        if active:
            self.sync()
        else:
            self._stop()

    def sync(self) -> None:
        """Start, change or stop the camera as the settings now say."""
        setting = self._setting() if self._active else ""
        if setting == self._source_setting and (self._source is not None or not setting):
            return
        self._stop()
        self._source_setting = setting
        if not setting:
            self.preview.image = None
            self._say("")
            return
        source = open_camera(setting)
        if source is None:
            self._say(
                _(
                    "The camera chosen in the settings is not connected. The desk works on: "
                    "scan with the scanner or type the code."
                ),
                problem=True,
            )
            return
        self._source = source
        self.scanner.start()
        source.start(self.sink, self._on_camera_error)
        if source.is_camera:
            self._say(_("Hold the QR code in front of the camera."))
        self.preview.caption = "" if source.is_camera else source.name
        self.preview.update()

    def _stop(self) -> None:
        if self._source is not None:
            self._source.stop()
            self._source = None
        self.decoder.close()  # first: a decoder thread waiting on the child is let go at once
        self.scanner.stop()
        self._source_setting = ""

    def _on_camera_error(self, reason: str) -> None:
        self._stop()
        self._source_setting = self._setting()  # not retried every second; a settings change retries
        self.preview.image = None
        self.preview.update()
        self._say(
            _("The camera stopped: {reason} The desk works on with the scanner and keyboard.").format(
                reason=reason
            ),
            problem=True,
        )

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("problem", problem)
        colours = theme.SEVERITY_COLOURS[theme.Severity.WARNING]
        self.status.setStyleSheet(
            f"color: {colours.text}; background: {colours.tint}; padding: 6px; border-radius: 4px;"
            if problem
            else ""
        )

    @property
    def message(self) -> str:
        return self.status.text()

    # -- per frame -------------------------------------------------------------------------------
    def _on_frame(self, frame: object) -> None:
        started = time.perf_counter()
        self.scanner.offer(frame)
        spent = time.perf_counter() - started
        if threading.current_thread() is not threading.main_thread():
            spent = 0.0  # the camera's own thread: no GUI time
        with self._lock:
            # One entry per frame: its handoff and what the GUI thread did for the camera since the last.
            self.gui_seconds.append(spent + self._pending_gui)
            self._pending_gui = 0.0

    def _show_preview(self, image: QImage) -> None:
        started = time.perf_counter()
        if self._source is None:
            return
        self.preview.image = image
        self.preview.update()
        self._add_gui_time(time.perf_counter() - started)

    def _add_gui_time(self, seconds: float) -> None:
        """GUI-thread time spent for the camera since the last frame (a slot, a paint)."""
        with self._lock:
            self._pending_gui += seconds

    def _on_scans(self, codes: list[str]) -> None:
        if self._source is None:  # read just before the camera was stopped
            return
        for code in codes:
            self._submit(code)
            self.scanned.emit(code)

    def retranslate(self) -> None:
        self.title.setText(_("Camera"))
        if self._source is not None and self._source.is_camera:
            self._say(_("Hold the QR code in front of the camera."))


class CameraStation(QWidget):
    """A page's main widget with the camera view beside it (only when a camera is chosen).

    The view (and Qt Multimedia, ~0.15 s to load) is made when a camera is first chosen,
    so a desk without one starts as fast as before. The camera runs while this is shown;
    every second it follows the settings (a camera chosen, changed or switched off in the
    settings dialog applies without a restart).
    """

    def __init__(
        self,
        main: QWidget,
        settings_camera: Callable[[], str],
        submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(14)
        self.main = main
        self._settings_camera = settings_camera
        self._submit = submit
        self.camera: CameraView | None = None
        self._layout.addWidget(main, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(SETTINGS_CHECK_MS)
        self._timer.timeout.connect(self._follow_settings)

    def _follow_settings(self) -> None:
        wanted = bool(self._settings_camera())
        if wanted and self.camera is None:
            self.camera = CameraView(self._settings_camera, self._submit)
            self._layout.addWidget(self.camera, 0, Qt.AlignmentFlag.AlignTop)
        if self.camera is None:
            return
        if wanted != self.camera.isVisible():
            self.camera.setVisible(wanted)
        self.camera.set_active(wanted)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self._follow_settings()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()
        if self.camera is not None:
            self.camera.set_active(False)


def with_camera(station: ScanStation, context: DeskContext) -> CameraStation:
    """``station`` with the camera chosen in the desk's settings beside it; codes the camera
    reads go to the station's ``submit_scan``, as a scanner's do."""
    return CameraStation(station, lambda: context.settings.camera, station.submit_scan)
