"""`qmsdoc freeze`: record the inputs of releases made before qmsdoc kept them.

A release record written by an earlier qmsdoc has the digests of its files but not the values
its .docx was rendered from besides its source (see `qmsdoc.model.inputs`). They are recorded
only when they are proven: the released revision, rendered today with today's values, must
give the released .docx (the same canonical digest). Then those values are what it was made
from, and they are added to its release.json; nothing else in the record changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qmsdoc.errors import SourceError
from qmsdoc.generator.render import render
from qmsdoc.lifecycle.digest import canonical_digest
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.releases import RELEASE_FILE, Release


@dataclass(frozen=True)
class Frozen:
    """What freezing one release did: recorded its inputs, or why it could not."""

    release: Release
    recorded: bool
    reason: str = ""


def without_inputs(project: Project) -> list[Release]:
    """The releases whose record has no inputs, by id and revision."""
    return [r for rs in project.releases.values() for r in rs if r.inputs is None]


def freeze(project: Project, labels: Labels, ids: list[str] | None = None) -> list[Frozen]:
    """Record the inputs of every release without them (of `ids` only, when given)."""
    out = []
    for release in without_inputs(project):
        if ids and release.id not in ids:
            continue
        try:
            doc = load_snapshot(project, release)
        except SourceError as exc:
            out.append(Frozen(release, False, f"its snapshot does not load: {exc.diagnostics.sorted()[0].format()}"))
            continue
        rendered = render(project, doc, labels)
        if canonical_digest(rendered.data) != release.docx.digest:
            out.append(Frozen(release, False, "rendered with today's sources it is not the released file, so "
                                              "today's values are not proven to be the ones it was released with"))
            continue
        _write(project.root / release.folder / RELEASE_FILE, rendered.inputs)
        out.append(Frozen(release, True))
    return out


def _write(path: Path, inputs: dict[str, object]) -> None:
    """Add "inputs" to a release.json, before "generator", keeping every other key as it is."""
    record = json.loads(path.read_text(encoding="utf-8"))
    updated: dict[str, object] = {}
    for key, value in record.items():
        if key == "generator":
            updated["inputs"] = inputs
        updated[key] = value
    updated.setdefault("inputs", inputs)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(updated, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
