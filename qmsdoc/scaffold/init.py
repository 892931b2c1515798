"""`qmsdoc init`: a working starter project, copied from the packaged templates of one language."""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from qmsdoc.scaffold import ScaffoldError

LANGUAGES = ("zh-CN", "en")
DEFAULT_ORGANISATION = {"zh-CN": "示例有限公司", "en": "Example Ltd"}
ORGANISATION_MARK = "@ORGANISATION@"
RENAMED = {"gitignore.txt": ".gitignore"}
"""Template files stored under another name (a dot file is easily lost as package data)."""


def starter_files(language: str, organisation: str | None) -> dict[str, bytes]:
    """Each file of the starter project, by its path relative to the project folder."""
    if language not in LANGUAGES:
        raise ScaffoldError(f'no starter project in "{language}"', f"use --language {' or '.join(LANGUAGES)}")
    name = (organisation or DEFAULT_ORGANISATION[language]).strip()
    if not name or "\n" in name:
        raise ScaffoldError("--organisation: the name is empty or spans lines", 'e.g. --organisation "示例有限公司"')
    quoted = json.dumps(name, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    out: dict[str, bytes] = {}
    for rel, source in _walk(files("qmsdoc.scaffold") / "templates" / language, ""):
        text = source.read_text(encoding="utf-8")
        out[rel] = text.replace(ORGANISATION_MARK, quoted).encode("utf-8")
    return dict(sorted(out.items(), key=lambda item: (item[0] != "qmsdoc.yaml", item[0])))


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        rel = f"{prefix}{RENAMED.get(entry.name, entry.name)}"
        if entry.is_dir():
            found += _walk(entry, rel + "/")
        elif not entry.name.startswith((".", "__")):
            found.append((rel, entry))
    return found


def init_project(target: Path, language: str, organisation: str | None) -> list[str]:
    """Write the starter project into `target` (made if missing); the paths written, in order.

    Refuses before writing anything when any of its files exists already.
    """
    planned = starter_files(language, organisation)
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target}: exists and is not a folder", "name a new or existing folder")
    for rel in planned:
        if (target / rel).exists() or (target / rel).is_symlink():
            raise ScaffoldError(f"{target / rel}: already exists; qmsdoc init never overwrites a file",
                                "run it in an empty folder, or name a new one: qmsdoc init DIR")
    for rel, data in planned.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:  # exclusive: a file made meanwhile is not overwritten either
            handle.write(data)
    return list(planned)
