"""Camera scanning speed: decoding a 1280×720 frame, frame to verdict, the GUI thread's share.

1. Decode: frames drawn like a webcam's view of a ticket (``tests.helpers.camera_frames``:
   three sizes, out of focus, turned 30°, glare, two codes, a phone screen, no code) are
   decoded by ``decode_frame`` as the camera path does it — from a grey plane, and in
   place from a 32-bit BGRX frame (green bytes) — beside zxing-cpp alone on the same grey
   frames (``read_barcodes`` on a numpy array, QR codes only). p50 / p95 per frame.
2. Frame to verdict: the desk's window over ``--registrations`` people with a camera view
   fed by ``ImageFrameSource`` at 30 frames a second (no camera can be plugged in here).
   For each person a frame with their ticket is put "in front of the camera"; measured
   until the scan station has presented the verdict (one frame interval of waiting for
   the camera included, as with a real one). The decoding runs in the view's child
   process (``ProcessDecoder``), as in the app.
3. GUI thread per frame: what the view measured during part 2 (the handoff into the
   decoder's slot and the preview's painting), against the 2 ms budget, over the scans
   and a few seconds of the last ticket held up.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_camera.py [--registrations 10000]

Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.helpers.camera_frames draws frames

import numpy as np
from _common import FIXED_NOW, fill_registrations, open_benchmark_db

from checkin.domain.camera_scan import GrayFrame, decode_frame
from tests.helpers import camera_frames as cf

GUI_BUDGET_MS = 2.0
HOLD_SECONDS = 4.0


def percentiles_ms(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 3)

    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": at(0.95),
        "max_ms": round(ordered[-1] * 1000, 3),
        "n": len(ordered),
    }


def frame_kinds(code: str, other: str) -> dict[str, object]:
    return {
        "small_3px": cf.frame_with(code, 3),
        "medium_6px": cf.frame_with(code, 6),
        "large_14px": cf.frame_with(code, 14),
        "blurred": cf.frame_with(code, 6, blur=2.0),
        "turned_30": cf.frame_with(code, 6, angle=30),
        "glare": cf.with_glare(cf.frame_with(code, 6), (cf.WIDTH // 2 + 30, cf.HEIGHT // 2 - 20), 220, 0.7),
        "two_codes": cf.two_codes(code, other),
        "phone_screen": cf.phone_screen(code),
        "no_code": cf.empty_frame(),
    }


def _bgrx(image: object) -> GrayFrame:
    rgb = np.asarray(image.convert("RGB"))  # type: ignore[attr-defined]
    frame = np.zeros((cf.HEIGHT, cf.WIDTH, 4), dtype=np.uint8)
    frame[:, :, :3] = rgb[:, :, ::-1]
    return GrayFrame(frame.tobytes(), cf.WIDTH, cf.HEIGHT, cf.WIDTH * 4, pixel_step=4, offset=1)


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def bench_decode(runs: int) -> dict[str, object]:
    import zxingcpp

    qr_only = zxingcpp.barcode_formats_from_str("QRCode")
    kinds = frame_kinds("K7PX3MQ9WTRV4N", "ZZ9RTT4BXX")
    ours_gray: list[float] = []
    ours_bgrx: list[float] = []
    alone: list[float] = []
    per_kind: dict[str, object] = {}
    for name, image in kinds.items():
        gray = cf.gray(image)  # type: ignore[arg-type]
        bgrx = _bgrx(image)
        array = np.asarray(image.convert("L"))  # type: ignore[attr-defined]
        read = decode_frame(gray)
        gray_samples = _time(lambda gray=gray: decode_frame(gray), runs)
        ours_gray += gray_samples
        ours_bgrx += _time(lambda bgrx=bgrx: decode_frame(bgrx), runs)
        alone_samples = _time(lambda array=array: zxingcpp.read_barcodes(array, formats=qr_only), runs)
        alone += alone_samples
        per_kind[name] = {
            "codes_read": len(read),
            "decode_frame": percentiles_ms(gray_samples),
            "zxing_alone": percentiles_ms(alone_samples),
        }
    return {
        "frame": f"{cf.WIDTH}x{cf.HEIGHT}",
        "runs_per_kind": runs,
        "decode_frame_gray": percentiles_ms(ours_gray),
        "decode_frame_bgrx_in_place": percentiles_ms(ours_bgrx),
        "baseline_zxing_cpp_alone": percentiles_ms(alone),
        "per_kind": per_kind,
    }


def bench_window(folder: Path, registrations: int, people: int) -> dict[str, object]:
    from PIL import Image
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from checkin.badges.service import BadgeService
    from checkin.domain.checkin_service import CheckInService
    from checkin.domain.search import SearchIndex
    from checkin.ui import camera_view
    from checkin.ui.context import DeskContext
    from checkin.ui.main_window import MainWindow
    from checkin.ui.qt_compat import protect_singletons
    from checkin.ui.settings import DeskSettings, SettingsStore
    from checkin.ui.tasks import TaskRunner
    from checkin.ui.theme import apply_theme

    protect_singletons()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app, scale=1.0)
    db, event = open_benchmark_db(folder / "camera.db")
    codes = fill_registrations(db, event, registrations)

    def clock():  # type: ignore[no-untyped-def]
        return FIXED_NOW

    def qimage(image: Image.Image) -> QImage:
        rgb = np.ascontiguousarray(np.asarray(image.convert("RGB")))
        return QImage(
            rgb.data, cf.WIDTH, cf.HEIGHT, 3 * cf.WIDTH, QImage.Format.Format_RGB888
        ).convertToFormat(QImage.Format.Format_RGB32)

    sources: list[camera_view.ImageFrameSource] = []

    def open_camera(setting: str) -> camera_view.ImageFrameSource:
        source = camera_view.ImageFrameSource([qimage(cf.empty_frame())], fps=30)
        sources.append(source)
        return source

    camera_view.open_camera = open_camera  # type: ignore[assignment]
    context = DeskContext(
        db=db,
        event=event,
        checkin=CheckInService(db, event, desk="Bench", clock=clock),
        search=SearchIndex(db, event),
        badges=BadgeService(db, event, desk="Bench", clock=clock),
        settings=DeskSettings(desk_name="Bench", sound=False, camera="bench-frames"),
        tasks=TaskRunner(app),
        clock=clock,
    )
    window = MainWindow(context, store=SettingsStore(folder / "bench.ini"))
    window.resize(1366, 768)
    window.show()
    deadline = time.monotonic() + 5
    while not sources and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    (source,) = sources
    view = window.checkin_panel.findChild(camera_view.CameraStation).camera
    presented: list[float] = []
    window.checkin_panel.station.presented.connect(lambda _v: presented.append(time.perf_counter()))

    frames = [
        qimage(cf.frame_with(code, 5, angle=30 if i % 2 else 0)) for i, code in enumerate(codes[:people])
    ]
    # The first scan also waits for the decoding process to start (spawned with the first frame).
    presented.clear()
    started = time.perf_counter()
    source.show([qimage(cf.frame_with(codes[people], 5))])
    while not presented and time.perf_counter() - started < 10:
        app.processEvents()
        time.sleep(0.0005)
    first_scan = (presented[0] - started) if presented else None
    latencies = []
    missed = 0
    view.gui_seconds.clear()
    for image in frames:
        presented.clear()
        started = time.perf_counter()
        source.show([image])
        while not presented and time.perf_counter() - started < 5:
            app.processEvents()
            time.sleep(0.0005)
        if presented:
            latencies.append(presented[0] - started)
        else:
            missed += 1
    # The last person keeps holding their ticket up: 30 frames a second, previews painted, no new scan.
    held_until = time.perf_counter() + HOLD_SECONDS
    while time.perf_counter() < held_until:
        app.processEvents()
        time.sleep(0.0005)
    verdicts = window.checkin_panel.recent.scans
    gui = list(view.gui_seconds)
    gui_stats = percentiles_ms(gui)
    stats = view.scanner.stats
    result = {
        "registrations": registrations,
        "people_scanned": people,
        "verdicts_shown": len(verdicts),  # with the warm-up scan
        "checked_in": sum(1 for s in verdicts if s.verdict.admitted),  # the warm-up scan included
        "missed": missed,
        "first_scan_with_decoder_start_ms": round(first_scan * 1000, 1) if first_scan else None,
        "frame_to_verdict": percentiles_ms(latencies),
        "note": "from the ticket put in front of a 30 fps frame source to the verdict presented; then the "
        f"last ticket held up for {HOLD_SECONDS:g} s (GUI time over all frames)",
        "gui_thread_per_frame": gui_stats,
        "gui_budget_ms": GUI_BUDGET_MS,
        "gui_meets_budget_p95": gui_stats["p95_ms"] < GUI_BUDGET_MS,
        "frames_offered": view.scanner.offered,
        "frames_dropped_not_queued": view.scanner.dropped,
        "frames_decoded": stats.decoded,
    }
    window.close()
    db.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--load", action="store_true", help="add the machine's load average to the result")
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30, help="decodes per frame kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result: dict[str, object] = {
            "decode": bench_decode(args.runs),
            "window": bench_window(Path(tmp), args.registrations, args.people),
        }
    if args.load:
        result["load_average_1min"] = round(os.getloadavg()[0], 2)
        result["cpus"] = os.cpu_count()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
