"""The real app under a real X server, driven as a USB scanner types (keyboard wedge).

Needs Xvfb and xdotool (Debian packages); skipped without them. This is where the
key events come from the X server with their own time stamps, Shift presses around
capitals and Enter at the end — what the offscreen tests can only imitate. A scan is
sent as one burst (``tests.helpers.x11_scanner``), as a scanner's keys arrive however
busy the machine is; xdotool finds windows and presses single keys. Every step waits
for what it needs (the window having the keyboard focus, a row in the log), never for
a fixed time, so a loaded machine makes the test slower, not flaky.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checkin.domain.codes import generate_code
from tests.helpers.x11_scanner import scan_burst

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
    ),
]


def _codes(db_path: Path, count: int) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT r.code FROM registrations r JOIN registration_days d ON d.registration_id = r.id "
            "JOIN event_days e ON e.id = d.day_id WHERE r.status = 'active' AND e.date = '2024-09-19' "
            "ORDER BY r.id LIMIT ?",
            (count,),
        ).fetchall()
    connection.close()
    return [row[0] for row in rows]


def _checked_in(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT r.code FROM checkin_log l JOIN registrations r ON r.id = l.registration_id ORDER BY l.id"
        ).fetchall()
    connection.close()
    return [row[0] for row in rows]


def _wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def x_display(tmp_path: Path):
    display = f":{90 + os.getpid() % 9}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.8)
    yield display
    server.terminate()
    server.wait(timeout=10)


def _windows(env: dict[str, str], name: str) -> set[str]:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name], env=env, capture_output=True, check=False
    )
    return set(found.stdout.decode().split())


def _has_focus(env: dict[str, str], name: str) -> bool:
    """True when a shown window called ``name`` has the keyboard focus (keys typed now go there)."""
    focus = subprocess.run(["xdotool", "getwindowfocus"], env=env, capture_output=True, check=False)
    return focus.returncode == 0 and focus.stdout.decode().strip() in _windows(env, name)


def test_scanner_bursts_check_in_wherever_the_focus_is(x_display, tmp_path: Path):
    db_path = tmp_path / "desk.db"
    env = dict(os.environ, DISPLAY=x_display, QT_QPA_PLATFORM="xcb")
    app = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "--settings", str(tmp_path / "s.ini")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def xdotool(*args: str) -> None:
            subprocess.run(["xdotool", *args], env=env, check=True, timeout=30, capture_output=True)

        # Shown is not enough: the first keys would be lost before the window has the focus.
        assert _wait_for(lambda: _has_focus(env, "checkin"), timeout=90), "the window did not get the focus"
        first, second, third = _codes(db_path, 3)
        scan_burst(x_display, first + "\n")  # into the focused scan field
        assert _wait_for(lambda: _checked_in(db_path) == [first])
        xdotool("key", "Tab")  # focus moves to the list of recent scans (keys arrive in order)
        scan_burst(x_display, second + "\n")
        assert _wait_for(lambda: _checked_in(db_path) == [first, second])
        forged = generate_code("not the event's secret")
        scan_burst(x_display, forged + "\n")
        scan_burst(x_display, third + "\n")
        # Once the scan after it is in, the forged one has been decided: refused, nothing recorded.
        assert _wait_for(lambda: len(_checked_in(db_path)) >= 3)
        assert _checked_in(db_path) == [first, second, third]
    finally:
        app.terminate()
        app.wait(timeout=15)


def _window_open(env: dict[str, str], name: str) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name], env=env, capture_output=True, check=False
    )
    return found.returncode == 0


def test_a_scan_while_the_f1_help_is_open_checks_in_and_leaves_the_help_open(x_display, tmp_path: Path):
    db_path = tmp_path / "desk.db"
    env = dict(os.environ, DISPLAY=x_display, QT_QPA_PLATFORM="xcb")
    app = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "--settings", str(tmp_path / "s.ini")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    help_title = "Keyboard shortcuts|Tastenkürzel"
    try:

        def xdotool(*args: str) -> None:
            subprocess.run(["xdotool", *args], env=env, check=True, timeout=30, capture_output=True)

        assert _wait_for(lambda: _has_focus(env, "checkin"), timeout=90), "the window did not get the focus"
        (code,) = _codes(db_path, 1)
        xdotool("key", "F1")
        assert _wait_for(lambda: _has_focus(env, help_title)), "F1 did not open the help"
        scan_burst(x_display, code + "\n")  # the scanner's burst goes to the help box
        assert _wait_for(lambda: _checked_in(db_path) == [code])
        time.sleep(0.5)
        assert _window_open(env, help_title)  # the scanner's Enter did not close the box
    finally:
        app.terminate()
        app.wait(timeout=15)
