"""Scanning QR codes with a camera: frames in, one scan per code held up; no Qt.

A camera delivers 15–60 frames a second, and a code held in front of it is in most of
them. Three parts turn that into scans:

* ``decode_frame`` finds the QR codes in one grey frame (zxing-cpp, ~10 ms for 720p).
* ``ScanDebouncer`` makes one scan of a code held in view: a code counts again only after
  it was out of view for ``gone_after`` seconds (the desk's rules then say "already checked
  in"); a second person's code right after the first is a new scan at once.
* ``CameraScanner`` runs the decoding in one thread behind ``LatestSlot``, a single-slot
  handoff: the camera's thread (or the GUI thread) only drops the newest frame into the
  slot; a frame the decoder has not taken yet is replaced, never queued. When decoding
  falls behind, frames are dropped and the window never waits.
* ``ProcessDecoder`` runs ``decode_frame`` in a child process: zxing-cpp keeps the GIL
  while it decodes, which in-process would stall the GUI thread for a decode's length.

The Qt side (``checkin.ui.camera_view``) turns video frames into ``GrayFrame`` in the
decoder thread and hands the codes found to the same scan path as a USB scanner.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

log = logging.getLogger(__name__)

F = TypeVar("F")
T = TypeVar("T")

# A code missing from this many seconds of frames has left the view (a blurred frame or a
# hand in front of it for a moment is not leaving).
DEFAULT_GONE_AFTER = 1.5


@dataclass(frozen=True)
class GrayFrame:
    """One frame's luminance: ``height`` rows of ``stride`` bytes; a pixel every ``pixel_step`` bytes.

    ``pixels`` is anything with the buffer protocol (bytes, a numpy array, a memoryview of
    mapped video memory); it must stay valid while the frame is decoded. A grey or Y plane
    has ``pixel_step`` 1; a 32-bit RGB frame is read in place through its green bytes
    (``pixel_step`` 4, ``offset`` 1 for BGRX), which is luminance enough for a QR code and
    saves the conversion (~15 ms for 720p in Qt).
    """

    pixels: Any
    width: int
    height: int
    stride: int = 0
    pixel_step: int = 1
    offset: int = 0

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"a frame of {self.width}×{self.height} pixels")
        stride = self.stride or self.width * self.pixel_step
        needed = self.offset + stride * (self.height - 1) + self.pixel_step * (self.width - 1) + 1
        if stride < self.width * self.pixel_step or len(memoryview(self.pixels).cast("B")) < needed:
            raise ValueError("the pixel buffer is smaller than the frame")


def decode_frame(frame: GrayFrame) -> tuple[str, ...]:
    """The texts of the QR codes in ``frame``, top to bottom then left to right.

    Codes are found in any rotation, in light-on-dark (a phone in dark mode) and, for
    large frames, in downscaled copies. A frame without a code gives ``()``.
    """
    import numpy as np
    import zxingcpp

    step = frame.pixel_step
    stride = frame.stride or frame.width * step
    flat = np.frombuffer(memoryview(frame.pixels).cast("B"), dtype=np.uint8)[frame.offset :]
    rows = np.lib.stride_tricks.as_strided(
        flat, shape=(frame.height, frame.width), strides=(stride, step), writeable=False
    )
    found = zxingcpp.read_barcodes(rows, formats=zxingcpp.barcode_formats_from_str("QRCode"))
    placed = sorted(
        (b for b in found if b.valid and b.text),
        key=lambda b: (b.position.top_left.y // 40, b.position.top_left.x),
    )
    return tuple(dict.fromkeys(b.text for b in placed))


_HEADER = "<IIIII"  # width, height, stride, pixel step, offset


def _serve(connection: Connection) -> None:
    """The decoding process: frames in (a header, then the pixels), texts out, until the pipe closes."""
    import struct

    while True:
        try:
            header = connection.recv_bytes()
            pixels = connection.recv_bytes()
        except (EOFError, OSError):
            return
        width, height, stride, step, offset = struct.unpack(_HEADER, header)
        try:
            texts = decode_frame(GrayFrame(pixels, width, height, stride, step, offset))
        except Exception:  # a frame it cannot read is a frame without a code
            texts = ()
        connection.send(texts)


class ProcessDecoder:
    """``decode_frame`` in a child process, as a drop-in ``decode`` for ``CameraScanner``.

    zxing-cpp keeps Python's GIL while it decodes (1–10 ms a frame): in a thread of the
    window's process that stalls the GUI thread for as long. In a child process it costs
    the window nothing; the decoder thread waits on the pipe with the GIL released. The
    child starts with the first frame (spawned, ~0.5 s) and is ended by ``close``. If it
    cannot start or dies, frames are decoded in the calling thread instead.
    """

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._process: Any = None
        self._failed = False

    def _start(self) -> Connection | None:
        if self._connection is None and not self._failed:
            import multiprocessing

            context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
            try:
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs,), name="camera-decoder", daemon=True)
                process.start()
                theirs.close()
            except (OSError, RuntimeError, ValueError):
                log.exception("the camera's decoding process did not start; decoding in this process")
                self._failed = True
                return None
            self._connection, self._process = ours, process
        return self._connection

    def __call__(self, frame: GrayFrame) -> tuple[str, ...]:
        import struct

        connection = self._start()
        if connection is None:
            return decode_frame(frame)
        # The frame goes as it is (the child picks the luminance out): nothing here holds the GIL long.
        header = struct.pack(_HEADER, frame.width, frame.height, frame.stride, frame.pixel_step, frame.offset)
        try:
            connection.send_bytes(header)
            connection.send_bytes(memoryview(frame.pixels).cast("B"))
            texts: tuple[str, ...] = connection.recv()
        except (EOFError, OSError, TypeError, ValueError):
            if self._connection is not connection:
                return ()  # closed meanwhile (the camera stopped): this frame no longer matters
            log.warning("the camera's decoding process ended; decoding in this process")
            self.close()
            self._failed = True
            return decode_frame(frame)
        return texts

    @property
    def started(self) -> bool:
        return self._connection is not None

    def close(self) -> None:
        """End the child at once (a frame in flight is abandoned; never waits for a decode)."""
        connection, process = self._connection, self._process
        self._connection = self._process = None
        self._failed = False
        if process is not None:
            process.kill()  # a send or receive in flight in the decoder thread fails now
            process.join(1)
        if connection is not None:
            connection.close()


class ScanDebouncer:
    """One scan per code held in view, whatever the number of frames it is in.

    ``feed`` gets the codes of one decoded frame and the moment it was taken; it returns
    the codes that are new scans: never seen, or absent from every frame decoded over at
    least ``gone_after`` seconds. Out of view is judged by frames that lacked the code,
    never by time alone: when decoding stalls (the machine is busy, the decoder starts),
    a code still held up is not scanned again. Pure logic: the moments come from the
    caller (tests move them by hand).
    """

    def __init__(self, *, gone_after: float = DEFAULT_GONE_AFTER) -> None:
        self.gone_after = gone_after
        # code -> the moment of the first decoded frame without it since it was last seen (None: in view)
        self._missing_since: dict[str, float | None] = {}

    def feed(self, codes: Iterable[str], at: float) -> list[str]:
        seen = dict.fromkeys(codes)
        for code, since in list(self._missing_since.items()):
            if code in seen:
                continue
            if since is None:
                self._missing_since[code] = at
            elif at - since >= self.gone_after:
                del self._missing_since[code]  # left the view: seen again, it is a new scan
        new = [code for code in seen if code not in self._missing_since]
        for code in seen:
            self._missing_since[code] = None
        return new

    def in_view(self) -> list[str]:
        """The codes that count as in view (a new frame with them is no new scan)."""
        return list(self._missing_since)

    def reset(self) -> None:
        self._missing_since.clear()


class LatestSlot(Generic[T]):
    """A single-slot handoff between threads: ``offer`` replaces what was not taken yet.

    The producer never waits and nothing queues up: ``dropped`` counts the items replaced
    before the consumer took them. ``take`` waits for an item; it returns None once the
    slot is closed.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._item: T | None = None
        self._full = False
        self._closed = False
        self.offered = 0
        self.dropped = 0

    def offer(self, item: T) -> bool:
        """Put ``item`` into the slot; False when it replaced one that was waiting (dropped)."""
        with self._condition:
            replaced = self._full
            self._item = item
            self._full = True
            self.offered += 1
            if replaced:
                self.dropped += 1
            self._condition.notify()
            return not replaced

    def take(self, timeout: float | None = None) -> T | None:
        """The newest item (emptying the slot); None when closed or after ``timeout`` seconds."""
        with self._condition:
            if not self._condition.wait_for(lambda: self._full or self._closed, timeout):
                return None
            if self._closed:
                return None
            item, self._item, self._full = self._item, None, False
            return item

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._item, self._full = None, False
            self._condition.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed


@dataclass
class ScannerStats:
    """What the decoder thread did: frames decoded, failed, scans found; the last decode times (s)."""

    decoded: int = 0
    failed: int = 0
    scans: int = 0
    decode_seconds: list[float] = field(default_factory=list)


class CameraScanner(Generic[F]):
    """Frames in (from any thread), new scans out (from the decoder thread).

    Args:
        to_gray: turns one camera frame into a ``GrayFrame``, in the decoder thread (so the
            conversion costs the camera's and the GUI thread nothing); None skips the frame.
        on_scans: called in the decoder thread with the codes that are new scans.
        decode: finds the codes in a grey frame (``decode_frame``; tests pass slow ones).
        debouncer: decides what is a new scan (one made with ``DEFAULT_GONE_AFTER`` if None).
        clock: monotonic seconds; a frame's moment is taken when it is offered.
    """

    def __init__(
        self,
        to_gray: Callable[[F], GrayFrame | None],
        on_scans: Callable[[list[str]], None],
        *,
        decode: Callable[[GrayFrame], tuple[str, ...]] = decode_frame,
        debouncer: ScanDebouncer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._to_gray = to_gray
        self._on_scans = on_scans
        self._decode = decode
        self.debouncer = debouncer or ScanDebouncer()
        self._clock = clock
        self._slot: LatestSlot[tuple[F, float]] = LatestSlot()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.stats = ScannerStats()

    # -- producer side (cheap: called for every frame) ----------------------------------------
    def offer(self, frame: F) -> None:
        """Hand the newest frame to the decoder; an older one it has not started on is dropped."""
        self._slot.offer((frame, self._clock()))

    @property
    def offered(self) -> int:
        """Frames handed in since the last ``start``."""
        return self._slot.offered

    @property
    def dropped(self) -> int:
        """Frames replaced by a newer one before the decoder took them."""
        return self._slot.dropped

    # -- the decoder thread --------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        if self._slot.closed:
            self._slot = LatestSlot()
        self._thread = threading.Thread(target=self._run, name="camera-decoder", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def stop(self, timeout: float = 2.0) -> None:
        """Stop taking frames; waits for the frame being decoded (at most ``timeout`` seconds)."""
        self._slot.close()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self.debouncer.reset()

    def _run(self) -> None:
        slot = self._slot
        while (item := slot.take()) is not None:
            frame, at = item
            self.process(frame, at)

    def process(self, frame: F, at: float) -> list[str]:
        """Decode one frame taken at ``at`` and report its new scans (the thread's step; tests call it)."""
        try:
            gray = self._to_gray(frame)
            if gray is None:
                return []
            started = time.perf_counter()
            codes = self._decode(gray)
            elapsed = time.perf_counter() - started
        except Exception:  # a broken frame must not end the camera: log it, take the next
            log.exception("a camera frame could not be decoded")
            with self._lock:
                self.stats.failed += 1
            return []
        new = self.debouncer.feed(codes, at)
        with self._lock:
            stats = self.stats
            stats.decoded += 1
            stats.scans += len(new)
            stats.decode_seconds.append(elapsed)
            del stats.decode_seconds[:-500]
        if new:
            self._on_scans(new)
        return new
