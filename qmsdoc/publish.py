"""`qmsdoc build`: which revision of each document is published, from which source, and where.

This sits above the generator (which renders any revision) and the lifecycle (which says what
state each revision is in):

- the current source of every document goes among the current documents, unless its own
  status archives it (an obsolete current revision);
- a released revision still in force while a newer one is a draft or waits for its effective
  date is published among the current documents, rebuilt from its snapshot;
- superseded and obsolete revisions go to output/archive/, rebuilt from their snapshots with
  the 作废 / SUPERSEDED banner on every page. They never stay among the current documents: a
  file (and its PDF) left there by an earlier build is removed.
"""

from __future__ import annotations

from pathlib import Path

from qmsdoc.generator.render import RenderJob, render_documents
from qmsdoc.lifecycle.revisions import model_of
from qmsdoc.lifecycle.states import ARCHIVED, document_states
from qmsdoc.load.labels import load_labels
from qmsdoc.model.project import Project
from qmsdoc.outputs import Built, archive_path, current_path, write_if_changed


def build_all(project: Project, out: Path, *, jobs: int | None = None) -> list[Built]:
    """Write every published document under `out`; documents are rendered in `jobs` worker
    processes (default: all cores), and each one's bytes do not depend on that."""
    labels = load_labels(project.site.language)
    states = [rs for doc_states in document_states(project).values() for rs in doc_states.revisions]
    archived = {(rs.id, rs.revision) for rs in states if rs.source is not None and rs.state in ARCHIVED}
    plan: list[tuple[RenderJob, str, Path]] = []
    for kind, docs in (("procedure", project.procedures), ("form", project.forms)):
        plan.extend((RenderJob(doc), kind, current_path(out, kind, doc.id, doc.revision))
                    for doc in docs.values() if (doc.id, doc.revision) not in archived)
    for rs in states:
        if rs.state in ARCHIVED:
            _remove_current(current_path(out, rs.kind, rs.id, rs.revision))
            job = RenderJob(model_of(project, rs), status=rs.state, superseded_by=rs.superseded_by)
            plan.append((job, rs.kind, archive_path(out, rs.kind, rs.id, rs.revision)))
        elif rs.source is None and rs.state == "effective":
            plan.append((RenderJob(model_of(project, rs)), rs.kind, current_path(out, rs.kind, rs.id, rs.revision)))
    rendered = render_documents(project, labels, [job for job, _, _ in plan], jobs)
    return [Built(job.doc.id, kind, path, write_if_changed(path, data))
            for (job, kind, path), data in zip(plan, rendered, strict=True)]


def _remove_current(path: Path) -> None:
    """An archived revision's file and PDF never stay among the current documents."""
    for stale in (path, path.with_suffix(".pdf")):
        if stale.is_file():
            stale.unlink()
