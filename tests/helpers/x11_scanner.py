"""A USB scanner for the tests under Xvfb: a code's keys sent to the X server in one burst.

A scanner's keys reach the X server a millisecond or so apart however busy the computer
is. ``xdotool type`` sends them one by one with sleeps between, so on a loaded machine
its "burst" gets pauses of tens of milliseconds, longer than the keyboard wedge allows
between a scanner's keys (``DEFAULT_MAX_GAP_MS``) — a flaky test, not a scanner.
``scan_burst`` queues every key event (XTest, as xdotool uses) and flushes them at once,
so the server stamps them together: the app's wedge sees what a scanner sends.
Qt-free (ctypes over libX11 and libXtst, which xdotool needs anyway).
"""

from __future__ import annotations

import ctypes
import ctypes.util

_NAMES = {"\n": "Return", "-": "minus", " ": "space", "/": "slash", ":": "colon", ".": "period"}


def _library(name: str) -> ctypes.CDLL:
    found = ctypes.util.find_library(name)
    if found is None:
        raise OSError(f"lib{name} not found")
    return ctypes.CDLL(found)


def scan_burst(display: str, text: str) -> None:
    """Type ``text`` (letters, digits, a few signs; ``\\n`` for the scanner's Enter) into whatever
    has the focus on ``display``, as one burst."""
    x11, xtst = _library("X11"), _library("Xtst")
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
    x11.XStringToKeysym.restype = ctypes.c_ulong
    x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XKeysymToKeycode.restype = ctypes.c_ubyte
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    connection = x11.XOpenDisplay(display.encode())
    if not connection:
        raise OSError(f"cannot open display {display}")
    try:

        def keycode(name: str) -> int:
            code = int(x11.XKeysymToKeycode(connection, x11.XStringToKeysym(name.encode())))
            if not code:
                raise ValueError(f"no key for {name!r} on {display}")
            return code

        shift = keycode("Shift_L")
        for char in text:
            key = keycode(_NAMES.get(char, char))
            shifted = char.isalpha() and char.isupper()
            if shifted:
                xtst.XTestFakeKeyEvent(connection, shift, 1, 0)
            xtst.XTestFakeKeyEvent(connection, key, 1, 0)
            xtst.XTestFakeKeyEvent(connection, key, 0, 0)
            if shifted:
                xtst.XTestFakeKeyEvent(connection, shift, 0, 0)
        x11.XSync(connection, 0)  # one flush: the server takes the whole burst in one go
    finally:
        x11.XCloseDisplay(connection)


__all__ = ["scan_burst"]
