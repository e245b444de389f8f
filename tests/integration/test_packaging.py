"""An installed wheel (not only an editable checkout) carries the resources and migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("checkin-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_has_the_seed_event_and_translations(wheel_names: set[str]):
    assert "checkin/_resources/events/tag-der-kommunalen-jobcenter-2024.toml" in wheel_names
    assert any(n.startswith("checkin/_resources/locale/de/") and n.endswith(".po") for n in wheel_names)


def test_wheel_has_fonts_with_licences(wheel_names: set[str]):
    fonts = [n for n in wheel_names if n.startswith("checkin/_resources/fonts/") and n.endswith(".ttf")]
    assert fonts
    assert any("LICENSE" in n.upper() or "COPYING" in n.upper() for n in wheel_names if "/fonts/" in n)


def test_wheel_has_the_migrations(wheel_names: set[str]):
    assert "checkin/domain/migrations/env.py" in wheel_names
    assert "checkin/domain/migrations/script.py.mako" in wheel_names
    assert any(n.startswith("checkin/domain/migrations/versions/0001") for n in wheel_names)


def test_every_package_is_in_the_wheel(wheel_names: set[str]):
    packages = sorted(str(init.parent.relative_to(ROOT)) for init in (ROOT / "checkin").rglob("__init__.py"))
    missing = [p for p in packages if f"{p}/__init__.py" not in wheel_names]
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
