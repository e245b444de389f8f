"""Work-arounds for defects of the Qt binding that the desk would otherwise run into.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` each time a
wrapped Qt call returns a null pointer or an empty QVariant as ``None``
(``QApplication.focusWidget()`` with no focus, ``QListWidget.currentItem()``
with no current item, ``QObject.property()`` of a missing property, ...), and
likewise to ``True``/``False`` in some conversions. A desk that runs all day
makes such calls on every keystroke; when the count reaches zero the
interpreter aborts ("Fatal Python error: none_dealloc"). Measured here: each
``focusWidget()`` returning ``None`` lowers ``sys.getrefcount(None)`` by one,
and a full UI test run ends in "bool_dealloc".

CPython 3.12 made these singletons immortal (their count is never used). On
older interpreters :func:`protect_singletons` does the same by hand: it adds
a very large number to their reference counts once, so that lost references
can never bring them to zero. Objects that are never freed anyway lose
nothing by it.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # a trillion lost references: far beyond any desk's lifetime
_protected = False


def protect_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` effectively immortal on CPython < 3.12 (idempotent).

    Returns True when the counts were raised now.
    """
    global _protected
    if _protected or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _protected = True
    return True
