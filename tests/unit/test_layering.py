"""The domain, badge, io and cli packages never import Qt (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import checkin

NON_QT_PACKAGES = ("checkin.domain", "checkin.badges", "checkin.io", "checkin.cli", "checkin.presentation")


def _all_modules(package: str) -> list[str]:
    import pkgutil

    module = __import__(package, fromlist=["__path__"])
    names = [package]
    for info in pkgutil.walk_packages(module.__path__, prefix=package + "."):
        if ".migrations" not in info.name:
            names.append(info.name)
    return names


@pytest.mark.parametrize("package", NON_QT_PACKAGES)
def test_package_imports_without_qt(package: str):
    modules = _all_modules(package)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6') or m.startswith('checkin.ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=checkin.__path__[0]
    )
    assert result.stdout.strip() == "", f"{package} pulled in: {result.stdout.strip()}"
