"""Camera scanning without Qt: frames made from images are decoded, debounced and checked in.

The frames are drawn by ``tests.helpers.camera_frames`` (a webcam cannot be plugged in
here): printed tickets at several sizes, out of focus, turned 30°, under a lamp's glare,
two in one frame, and a ticket on a phone screen with moiré and noise.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from sqlalchemy import select

from checkin.domain.camera_scan import (
    CameraScanner,
    GrayFrame,
    LatestSlot,
    ProcessDecoder,
    ScanDebouncer,
    decode_frame,
)
from checkin.domain.checkin_service import CheckInService
from checkin.domain.models import CheckInLogEntry, LogAction
from checkin.domain.verdicts import VerdictKind
from tests.helpers import DAY1
from tests.helpers.camera_frames import (
    HEIGHT,
    WIDTH,
    empty_frame,
    frame_with,
    gray,
    phone_screen,
    two_codes,
    with_glare,
)

CODE = "K7PX3MQ9WTRV4N"
FPS = 30


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("small (3 px per module)", lambda: frame_with(CODE, 3)),
        ("medium (6 px per module)", lambda: frame_with(CODE, 6)),
        ("large (14 px per module)", lambda: frame_with(CODE, 14)),
        ("out of focus", lambda: frame_with(CODE, 6, blur=2.0)),
        ("turned 30°", lambda: frame_with(CODE, 6, angle=30)),
        (
            "under glare",
            lambda: with_glare(frame_with(CODE, 6), (WIDTH // 2 + 30, HEIGHT // 2 - 20), 220, 0.7),
        ),
        ("on a phone screen", lambda: phone_screen(CODE)),
    ],
)
def test_a_code_is_read_from_the_frame(name: str, make) -> None:  # type: ignore[no-untyped-def]
    assert decode_frame(gray(make())) == (CODE,), name


def test_two_codes_in_one_frame_are_both_read_left_first() -> None:
    assert decode_frame(gray(two_codes(CODE, "ZZ9RTT4BXX"))) == (CODE, "ZZ9RTT4BXX")


def test_a_frame_without_a_code_reads_nothing() -> None:
    assert decode_frame(gray(empty_frame())) == ()


def test_a_frame_buffer_smaller_than_its_size_is_refused() -> None:
    with pytest.raises(ValueError, match="smaller"):
        GrayFrame(b"\0" * 100, 20, 20)
    with pytest.raises(ValueError, match="0×20"):
        GrayFrame(b"", 0, 20)


# ---------------------------------------------------------------------------- debounce


def test_a_code_held_up_is_one_scan_and_the_next_person_is_a_new_one() -> None:
    debouncer = ScanDebouncer(gone_after=1.5)
    at = 100.0
    found = []
    for _ in range(3 * FPS):  # three seconds in front of the camera
        found += debouncer.feed([CODE], at)
        at += 1 / FPS
    assert found == [CODE]
    assert debouncer.feed(["SECOND"], at) == ["SECOND"]  # the next person, right after


def test_a_code_missing_from_a_few_frames_has_not_left_the_view() -> None:
    debouncer = ScanDebouncer(gone_after=1.5)
    assert debouncer.feed([CODE], 0.0) == [CODE]
    assert debouncer.feed([], 0.5) == []  # blurred frames, a hand in front of it
    assert debouncer.feed([], 1.0) == []
    assert debouncer.feed([CODE], 1.2) == []
    assert debouncer.in_view() == [CODE]


def test_a_code_that_left_the_view_for_a_while_is_scanned_again() -> None:
    debouncer = ScanDebouncer(gone_after=1.5)
    assert debouncer.feed([CODE], 0.0) == [CODE]
    for at in (0.5, 1.0, 1.5, 2.0):
        assert debouncer.feed([], at) == []
    assert debouncer.in_view() == []  # absent from every frame for 1.5 s
    assert debouncer.feed([CODE], 2.1) == [CODE]


def test_a_stall_in_decoding_is_not_leaving_the_view() -> None:
    """No frame decoded for seconds (a busy machine, the decoder starting): the code held up
    all along is not scanned twice."""
    debouncer = ScanDebouncer(gone_after=1.5)
    assert debouncer.feed([CODE], 0.0) == [CODE]
    assert debouncer.feed([CODE], 3.0) == []
    assert debouncer.feed([], 3.1) == []  # one frame without it is no evidence of leaving
    assert debouncer.feed([CODE], 6.0) == []


def test_two_codes_in_one_frame_are_two_scans_once() -> None:
    debouncer = ScanDebouncer()
    assert debouncer.feed([CODE, "OTHER", CODE], 0.0) == [CODE, "OTHER"]
    assert debouncer.feed(["OTHER", CODE], 0.1) == []


# ---------------------------------------------------------------------------- the handoff


def test_the_slot_keeps_only_the_newest_item() -> None:
    slot: LatestSlot[int] = LatestSlot()
    assert slot.offer(1)
    assert not slot.offer(2)
    assert not slot.offer(3)
    assert (slot.offered, slot.dropped) == (3, 2)
    assert slot.take(timeout=0) == 3
    assert slot.take(timeout=0.01) is None  # empty: nothing after the timeout
    slot.offer(4)
    slot.close()
    assert slot.take() is None


def test_frames_are_dropped_not_queued_while_the_decoder_is_busy() -> None:
    started, release = threading.Event(), threading.Event()
    decoded: list[int] = []

    def slow_decode(frame: GrayFrame) -> tuple[str, ...]:
        started.set()
        release.wait(5)
        decoded.append(frame.width)
        return ()

    scanner: CameraScanner[int] = CameraScanner(
        lambda n: GrayFrame(b"\0" * n, n, 1), lambda _c: None, decode=slow_decode
    )
    scanner.start()
    try:
        scanner.offer(1)
        assert started.wait(5)  # the decoder is stuck on frame 1
        slowest = 0.0
        for width in range(2, 302):
            before = time.perf_counter()
            scanner.offer(width)
            slowest = max(slowest, time.perf_counter() - before)
        assert slowest < 0.005  # the camera's side never waits for the decoder
        release.set()
        deadline = time.monotonic() + 5
        while len(decoded) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        scanner.stop()
    assert decoded == [1, 301]  # the busy frame, then only the newest one
    assert (scanner.offered, scanner.dropped) == (301, 299)


def test_a_broken_frame_is_skipped_and_the_decoder_goes_on() -> None:
    def to_gray(n: int) -> GrayFrame:
        if n == 0:
            raise RuntimeError("torn frame")
        return gray(frame_with(CODE, 6))

    scans: list[list[str]] = []
    scanner: CameraScanner[int] = CameraScanner(to_gray, scans.append)
    assert scanner.process(0, 0.0) == []
    assert scanner.process(1, 0.1) == [CODE]
    assert scans == [[CODE]]
    assert (scanner.stats.failed, scanner.stats.decoded, scanner.stats.scans) == (1, 1, 1)


# ---------------------------------------------------------------------------- frame to verdict


def _entrance_checkins(db, registration_id: int) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        rows = session.scalars(
            select(CheckInLogEntry).where(
                CheckInLogEntry.registration_id == registration_id,
                CheckInLogEntry.action == LogAction.CHECK_IN,
            )
        ).all()
    return len(rows)


def test_frames_to_verdicts_one_check_in_each(db, people, desk: CheckInService) -> None:  # type: ignore[no-untyped-def]
    anna = people.add("Anna", "Schmidt")
    omar = people.add("Omar", "Yilmaz")
    lena = people.add("Lena", "Wolf")
    verdicts = []
    scanner: CameraScanner[object] = CameraScanner(
        gray, lambda codes: verdicts.extend(desk.scan(code, day=DAY1) for code in codes)
    )
    at = 0.0

    def hold(image, seconds: float) -> None:  # type: ignore[no-untyped-def]
        nonlocal at
        frame = image
        for _ in range(round(seconds * FPS / 3)):  # every third frame reaches the decoder
            scanner.process(frame, at)
            at += 3 / FPS

    hold(frame_with(anna.code, 5, angle=30), 2.0)  # Anna holds her printed ticket up, turned
    hold(phone_screen(omar.code), 1.5)  # Omar right after, on his phone
    hold(empty_frame(), 2.0)
    hold(with_glare(frame_with(anna.code, 6), (WIDTH // 2, HEIGHT // 2), 200, 0.6), 1.0)  # Anna again
    hold(two_codes(lena.code, omar.code), 1.0)  # Lena, with Omar's phone still in view

    assert [(v.kind, v.person.registration_id if v.person else None) for v in verdicts] == [
        (VerdictKind.CHECKED_IN, anna.registration_id),
        (VerdictKind.CHECKED_IN, omar.registration_id),
        (VerdictKind.ALREADY_CHECKED_IN, anna.registration_id),
        (VerdictKind.CHECKED_IN, lena.registration_id),
        (VerdictKind.ALREADY_CHECKED_IN, omar.registration_id),
    ]
    for person in (anna, omar, lena):
        assert _entrance_checkins(db, person.registration_id) == 1


def test_the_decoding_process_reads_what_the_thread_reads_and_falls_back_when_it_dies() -> None:
    decoder = ProcessDecoder()
    try:
        frame = gray(phone_screen(CODE))
        assert decoder(frame) == (CODE,)
        assert decoder.started
        bgrx = np.zeros((HEIGHT, WIDTH, 4), dtype=np.uint8)
        bgrx[:, :, 1] = np.asarray(two_codes(CODE, "ZZ9RTT4BXX"))  # the green bytes carry the picture
        assert decoder(GrayFrame(bgrx.tobytes(), WIDTH, HEIGHT, WIDTH * 4, pixel_step=4, offset=1)) == (
            CODE,
            "ZZ9RTT4BXX",
        )
        decoder._process.kill()
        decoder._process.join(5)
        assert decoder(frame) == (CODE,)  # decoded here instead
        assert not decoder.started
    finally:
        decoder.close()
