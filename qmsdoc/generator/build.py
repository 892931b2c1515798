"""`qmsdoc build`: every procedure and form of the project → output/."""

from __future__ import annotations

import gc
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path

from qmsdoc.generator.procedure import build_procedure
from qmsdoc.load.labels import load_labels
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

PROCEDURES_OUT = "procedures"
FORMS_OUT = "forms"


def output_name(doc_id: str, revision: str) -> str:
    """The file name of a generated document: id and revision, safe on every file system."""
    safe = lambda s: "".join(c if c.isalnum() or c in "-_." else "-" for c in s)  # noqa: E731
    return f"{safe(doc_id)}_{safe(revision)}.docx"


@dataclass(frozen=True)
class Built:
    """One written file."""

    doc_id: str
    kind: str
    path: Path
    changed: bool


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def build_all(project: Project, out: Path, *, jobs: int | None = None) -> list[Built]:
    """Every current document into output/procedures and output/forms; superseded and obsolete
    revisions into output/archive (see `qmsdoc.lifecycle.publish`). Documents are generated in
    `jobs` worker processes (default: all cores); each one's bytes do not depend on that."""
    from qmsdoc.lifecycle.publish import archived_sources, build_released

    labels = load_labels(project.site.language)
    archived = archived_sources(project)
    tasks = [("procedure", d.id) for d in project.procedures.values() if (d.id, d.revision) not in archived]
    tasks += [("form", d.id) for d in project.forms.values() if (d.id, d.revision) not in archived]
    results = []
    for (kind, doc_id), data in zip(tasks, _generate(project, labels, tasks, jobs), strict=True):
        doc = project.procedures[doc_id] if kind == "procedure" else project.forms[doc_id]
        path = out / (PROCEDURES_OUT if kind == "procedure" else FORMS_OUT) / output_name(doc.id, doc.revision)
        results.append(Built(doc.id, kind, path, write_if_changed(path, data)))
    results.extend(build_released(project, labels, out))
    return results


_SHARED: tuple[Project, Labels] | None = None


def _generate(project: Project, labels: Labels, tasks: list[tuple[str, str]], jobs: int | None) -> list[bytes]:
    global _SHARED
    jobs = max(1, jobs or os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1  # the workers inherit the project by forking
    _SHARED = (project, labels)
    try:
        if jobs == 1 or len(tasks) < 8:
            return [_render(task) for task in tasks]
        gc.freeze()  # the workers inherit the project: keep their collector off it
        try:
            with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
                return pool.map(_render, tasks, chunksize=4)
        finally:
            gc.unfreeze()
    finally:
        _SHARED = None


def _render(task: tuple[str, str]) -> bytes:
    from qmsdoc.generator.form import build_form

    assert _SHARED is not None
    project, labels = _SHARED
    kind, doc_id = task
    if kind == "procedure":
        return build_procedure(project, project.procedures[doc_id], labels)
    return build_form(project, project.forms[doc_id], labels)
