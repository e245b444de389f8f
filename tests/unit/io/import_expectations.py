"""The expected import results in tests/data/imports/expected.py, shared by the import tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

IMPORTS = Path(__file__).resolve().parents[2] / "data" / "imports"


def load_expectations() -> ModuleType:
    """tests/data/imports/expected.py as a module (tests/ is not a package), loaded once."""
    module = sys.modules.get("checkin_import_expected")
    if module is None:
        spec = importlib.util.spec_from_file_location("checkin_import_expected", IMPORTS / "expected.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module
