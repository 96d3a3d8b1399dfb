"""The console's way of handing over a reply's files: written to its export directory
(`MARKETSAFE_EXPORT_DIR`, `./exports` by default), the path printed."""

from __future__ import annotations

import os
import re
from pathlib import Path

from handlers.kit.i18n import _, format_number
from handlers.kit.replies import ReplyFile

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def save_files(files: list[ReplyFile], directory: Path) -> list[str]:
    """Write each file under `directory` (made if missing) and say where; a name already there gets
    a number rather than overwriting an earlier export."""
    if not files:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    said = []
    for file in files:
        path = _free_path(directory, _UNSAFE.sub("_", file.name).lstrip(".") or "file")
        with open(path, "xb") as out:  # never follows or replaces something already there
            out.write(file.data)
        said.append("  " + _("file: {path} ({size} bytes)", path=path, size=format_number(len(file.data))))
    return said


def _free_path(directory: Path, name: str) -> Path:
    path = directory / name
    stem, suffix = os.path.splitext(name)
    number = 1
    while path.exists():
        number += 1
        path = directory / f"{stem}-{number}{suffix}"
    return path
