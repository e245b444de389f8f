"""Writing badge templates back into the event file, leaving everything else in it as it was.

The designer saves its templates as ``[[badge.templates]]`` tables at the
end of the event file. The old template tables are cut out line by line
(comments and order of the rest stay), and the result is read back: if the
rest of the file would read differently, or the templates do not come back
as they were saved, nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checkin.domain.badge_templates import SIDES, BadgeTemplate, parse_templates, template_spec
from checkin.domain.errors import UserError
from checkin.i18n import _

_TEMPLATE_HEADER = re.compile(
    r"^\s*\[\[\s*badge\s*\.\s*templates\s*(\.\s*(front|back|inside)\s*)?\]\]\s*(#.*)?$"
)
_ANY_HEADER = re.compile(r"^\s*\[")


class TemplateFileError(UserError, ValueError):
    """The templates cannot be written into this event file."""


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(round(float(value), 3)) if isinstance(value, float) else str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string uses JSON's escapes


def _relative(src: str, folder: Path) -> str:
    """Image paths relative to the event file where they lie beside or below it."""
    try:
        return Path(src).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return src


def dump_templates(templates: Sequence[BadgeTemplate], folder: Path | None = None) -> str:
    """``[[badge.templates]]`` tables for ``templates`` (image paths relative to ``folder``)."""
    out: list[str] = []
    for template in templates:
        spec = template_spec(template)
        out.append("[[badge.templates]]")
        out += [f"{k} = {_value(v)}" for k, v in spec.items() if k not in SIDES]
        out += [f"{side} = []" for side in SIDES if spec.get(side) == []]  # a side left blank on purpose
        out.append("")
        for side in SIDES:
            for element in spec.get(side, ()):
                out.append(f"[[badge.templates.{side}]]")
                for key, value in element.items():
                    if key == "src" and folder is not None:
                        value = _relative(value, folder)
                    out.append(f"{key} = {_value(value)}")
                out.append("")
    return "\n".join(out)


def strip_templates(text: str) -> str:
    """``text`` without its ``[[badge.templates]]`` tables (and their sides)."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if _TEMPLATE_HEADER.match(line):
            skipping = True
        elif _ANY_HEADER.match(line):
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)


def _without_templates(data: dict[str, Any]) -> dict[str, Any]:
    badge = data.get("badge")
    if isinstance(badge, dict) and "templates" in badge:
        data = {**data, "badge": {k: v for k, v in badge.items() if k != "templates"}}
        if not data["badge"]:
            del data["badge"]
    return data


def _images_as_read(templates: Sequence[BadgeTemplate], folder: Path) -> tuple[BadgeTemplate, ...]:
    """The templates with image paths as they read back from the file (relative to ``folder``)."""
    return parse_templates(
        {
            "templates": [
                tomllib.loads(dump_templates([t], folder))["badge"]["templates"][0] for t in templates
            ]
        }
    )


def save_templates(path: Path, templates: Sequence[BadgeTemplate]) -> None:
    """Replace the templates in the event file at ``path`` by ``templates``."""
    path = Path(path)
    try:
        original = path.read_text(encoding="utf-8-sig")
        before = tomllib.loads(original)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateFileError(_("Cannot read {path}: {error}").format(path=path, error=exc)) from exc
    text = strip_templates(original).rstrip("\n") + "\n"
    if templates:
        text += "\n" + dump_templates(templates, path.parent)
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateFileError(
            _("The badge templates cannot be written into {path}: {error}").format(path=path, error=exc)
        ) from exc
    written = parse_templates(after.get("badge"))
    if _without_templates(after) != _without_templates(before) or written != _images_as_read(
        templates, path.parent
    ):
        raise TemplateFileError(
            _("The badge templates cannot be written into {path} without changing the rest of it.").format(
                path=path
            )
        )
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".checkin-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise TemplateFileError(
            _("Cannot write {path}: {error}").format(path=path, error=exc.strerror)
        ) from exc
