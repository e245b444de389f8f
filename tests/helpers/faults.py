"""Real faults for the tests: another process holding SQLite's write lock, a read-only file.

Qt-free. Nothing here is a mock: the lock is held by a second Python process through
``BEGIN IMMEDIATE``, as a long import in another window would hold it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

_HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
connection.close()
"""


class WriteLockHolder:
    """Another process that holds the write lock of an SQLite file until ``release()``."""

    def __init__(self, path: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _HOLD_LOCK, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        assert line.strip() == "locked", line

    def release(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.write("\n")
            self._process.stdin.flush()
            assert self._process.wait(timeout=30) == 0

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=30)
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()


@contextlib.contextmanager
def write_lock_held(path: Path) -> Iterator[WriteLockHolder]:
    """The write lock of ``path`` held by another process; released (at the latest) on leaving."""
    holder = WriteLockHolder(path)
    try:
        yield holder
        holder.release()
    finally:
        holder.kill()


@contextlib.contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """``path`` may not be written, as after a wrong copy or on a write-protected stick.

    Mode 0444; when the tests run as root (who may write anyway) the file is also made
    immutable with ``chattr +i`` (a real file-system flag), so SQLite is refused as anyone.
    """
    mode = path.stat().st_mode
    os.chmod(path, 0o444)
    immutable = os.geteuid() == 0
    if immutable:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)], check=False).returncode != 0:
            os.chmod(path, mode)
            import pytest

            pytest.skip("running as root without chattr +i: a file cannot be made read-only here")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        os.chmod(path, mode)
