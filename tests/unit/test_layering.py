"""The domain, badge, io, cli and presentation packages never import Qt (checked in a fresh interpreter).

The import-linter contracts in pyproject.toml say the same statically (tests/unit/test_lint.py runs them);
this proves it for what an import really pulls in at run time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import checkin

NON_QT_PACKAGES = (
    "checkin.domain",
    "checkin.badges",
    "checkin.io",
    "checkin.cli",
    "checkin.presentation",
    "checkin.pretix",
    "checkin.sync",
)


def _all_modules(package: str) -> list[str]:
    import pkgutil

    module = __import__(package, fromlist=["__path__"])
    names = [package]
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=package + "."):
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


def test_the_shared_test_helpers_import_without_qt() -> None:
    """tests.helpers serves the Qt-free tests too; its Qt parts live in tests.helpers.desk and .keys."""
    code = (
        "import sys, tests.helpers\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('PySide6', 'checkin.ui')))))\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert result.stdout.strip() == "", f"tests.helpers pulled in: {result.stdout.strip()}"
