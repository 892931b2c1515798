"""Where generated documents go in output/, and how they are written.

Files are named by document id and revision. Current documents sit in `procedures/` and
`forms/`, superseded and obsolete revisions in `archive/procedures/` and `archive/forms/`.
A file is rewritten only when its bytes change, through a temporary file, so a reader never
sees half a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROCEDURES_OUT = "procedures"
FORMS_OUT = "forms"
ARCHIVE_OUT = "archive"
FOLDERS = {"procedure": PROCEDURES_OUT, "form": FORMS_OUT}


@dataclass(frozen=True)
class Built:
    """One written file."""

    doc_id: str
    kind: str
    path: Path
    changed: bool


def output_name(doc_id: str, revision: str) -> str:
    """The file name of a generated document: id and revision, safe on every file system."""
    return f"{_safe(doc_id)}_{_safe(revision)}.docx"


def current_path(out: Path, kind: str, doc_id: str, revision: str) -> Path:
    return out / FOLDERS[kind] / output_name(doc_id, revision)


def archive_path(out: Path, kind: str, doc_id: str, revision: str) -> Path:
    return out / ARCHIVE_OUT / FOLDERS[kind] / output_name(doc_id, revision)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds exactly it; True when written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)
