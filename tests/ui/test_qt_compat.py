"""The work-around for PySide6 6.12 losing references to None (checkin/ui/qt_compat.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

LOSE_NONE = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    {protect}
    from PySide6.QtWidgets import QApplication, QListWidget
    app = QApplication([])
    widget = QListWidget()
    before = sys.getrefcount(None)
    for _ in range(20_000):  # more than None's reference count at start (about 5,000)
        widget.currentItem()  # no current item: returns None
    print("survived", before - sys.getrefcount(None))
    """
)


def _run(protect: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LOSE_NONE.format(protect=protect)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from CPython 3.12 on")
def test_protected_none_survives_what_the_binding_loses():
    protected = _run("from checkin.ui.qt_compat import protect_singletons; protect_singletons()")
    assert protected.returncode == 0, protected.stderr  # unprotected, 6.12.0 aborts: none_dealloc
    assert protected.stdout.startswith("survived")
    assert sys.getrefcount(None) > 1 << 39  # this test process is protected by tests/ui/conftest.py
