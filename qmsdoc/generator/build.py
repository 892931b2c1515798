"""`qmsdoc build`: every procedure and form of the project → output/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qmsdoc.generator.procedure import build_procedure
from qmsdoc.load.labels import load_labels
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


def build_all(project: Project, out: Path) -> list[Built]:
    """Every current document into output/procedures and output/forms; superseded and obsolete
    revisions into output/archive (see `qmsdoc.lifecycle.publish`)."""
    from qmsdoc.lifecycle.publish import archived_sources, build_released

    labels = load_labels(project.site.language)
    archived = archived_sources(project)
    results = []
    for proc in project.procedures.values():
        if (proc.id, proc.revision) in archived:
            continue
        path = out / PROCEDURES_OUT / output_name(proc.id, proc.revision)
        results.append(Built(proc.id, "procedure", path, write_if_changed(path, build_procedure(project, proc, labels))))
    from qmsdoc.generator.form import build_form
    for form in project.forms.values():
        if (form.id, form.revision) in archived:
            continue
        path = out / FORMS_OUT / output_name(form.id, form.revision)
        results.append(Built(form.id, "form", path, write_if_changed(path, build_form(project, form, labels))))
    results.extend(build_released(project, labels, out))
    return results
