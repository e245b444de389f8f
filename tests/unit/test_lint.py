"""The checks CI runs before the tests, run by the test suite too: the layers contract
(import-linter), ``ruff check`` and ``ruff format --check`` over the whole repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_import_contracts_are_kept() -> None:
    """Qt stays in checkin.ui, and each layer imports only the layers below it (pyproject.toml)."""
    result = _run(str(BIN / "lint-imports"), "--no-cache", "--no-logo")
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}{result.stderr}"
    assert "0 broken" in result.stdout


def test_ruff_finds_nothing() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, f"ruff check failed:\n{result.stdout}{result.stderr}"


def test_code_is_formatted() -> None:
    result = _run(sys.executable, "-m", "ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, (
        f"ruff format --check failed (run `ruff format`):\n{result.stdout}{result.stderr}"
    )


def test_no_module_is_over_600_lines():
    """One module, one job: a module past 600 lines is doing several (the migrations aside)."""
    package = Path(__file__).resolve().parents[2] / "checkin"
    too_long = {
        str(path.relative_to(package)): count
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not too_long, too_long
