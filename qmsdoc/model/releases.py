"""Releases: the record that one revision of a document was approved and frozen, with digests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qmsdoc.errors import NOWHERE, Location
from qmsdoc.model.documents import Signoff

RELEASES_DIR = "releases"
"""Top-level folder of the release records, committed with the sources."""
RELEASE_FILE = "release.json"

@dataclass(frozen=True)
class ReleasedFile:
    """One file of a release folder and its digest.

    `digest` is sha256 of the bytes for the source and the PDF, and the canonical package
    digest (see `qmsdoc.lifecycle.digest`) for the .docx.
    """

    name: str
    digest: str


@dataclass(frozen=True)
class Release:
    """One released revision: releases/<id>/<revision>/release.json and the files beside it."""

    id: str
    kind: str  # "procedure" | "form"
    title: str
    revision: str
    status: str  # as released: "effective" or "approved"
    prepared: Signoff
    reviewed: Signoff
    approved: Signoff
    effective: dt.date
    released_on: dt.date
    source: ReleasedFile
    docx: ReleasedFile
    pdf: ReleasedFile | None
    folder: str
    """The release folder relative to the project root, e.g. releases/SJE-ZY-GK-09/A-0."""
    loc: Location = field(default=NOWHERE, compare=False)
    """release.json itself, for messages."""
    released_by: str | None = None
    """Who released it (`release --by`); None in a record written before qmsdoc recorded it."""
    inputs: Mapping[str, Any] | None = field(default=None, compare=False)
    """What it was rendered from besides its source (see `qmsdoc.model.inputs`); None in a record
    written before qmsdoc recorded them (`qmsdoc freeze` adds them)."""
    signed: tuple[str, ...] = ()
    """The meanings released with an electronic signature (signatures/<meaning>.json in the folder);
    empty when the release was approved with typed sign-offs."""

    @property
    def source_path(self) -> str:
        return f"{self.folder}/{self.source.name}"

    @property
    def docx_path(self) -> str:
        return f"{self.folder}/{self.docx.name}"

    @property
    def pdf_path(self) -> str | None:
        return f"{self.folder}/{self.pdf.name}" if self.pdf else None


def slug(text: str) -> str:
    """A file-name-safe form of an id or revision: SJE/ZY/GK-09 → SJE-ZY-GK-09, A/0 → A-0."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)


def release_folder(doc_id: str, revision: str) -> str:
    """Where the release of one revision is kept, relative to the project root."""
    return f"{RELEASES_DIR}/{slug(doc_id)}/{slug(revision)}"


def next_amendment(revision: str) -> str | None:
    """The revision after `revision` with its last number raised: A/0 → A/1, 2 → 3; None if it has none."""
    import re

    m = re.match(r"^(.*?)(\d+)$", revision)
    return f"{m[1]}{int(m[2]) + 1}" if m else None
