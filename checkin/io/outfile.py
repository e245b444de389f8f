"""Writing an output file all-or-nothing: a half-written export never replaces a good one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from checkin.i18n import _
from checkin.io.export_filters import ExportError


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it becomes ``path`` only if the block succeeds."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(_("The folder {folder} does not exist.").format(folder=folder))
    if path.is_dir():
        raise ExportError(_("{path} is a folder; give a file name.").format(path=path))
    temporary = folder / f".{path.name}.{os.getpid()}.part"
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as exc:
        raise ExportError(
            _("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
