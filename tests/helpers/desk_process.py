"""Desk processes for the kill -9 tests: this tree's ``checkin`` in a child process, and one
``sync --once`` round run the way a person runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def desk_env() -> dict[str, str]:
    """The environment of a child desk process: this tree's package first on the path."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def sync_once(local: Path, *extra: str) -> subprocess.Popen[str]:
    """``checkin --db LOCAL sync --once --json [extra]`` in a child process (not yet waited for)."""
    return subprocess.Popen(
        [sys.executable, "-m", "checkin", "--db", str(local), "sync", "--once", "--json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=desk_env(),
        cwd=ROOT,
    )


def finish_sync(local: Path, timeout: float) -> None:
    """One ``sync --once`` round to its end; it must succeed."""
    process = sync_once(local)
    _out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err


__all__ = ["ROOT", "desk_env", "finish_sync", "sync_once"]
