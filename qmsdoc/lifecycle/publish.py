"""What `qmsdoc build` publishes beyond the current sources: revisions kept in releases/.

- A released revision still in force while a newer one waits for its effective date is
  published among the current documents, rebuilt from its snapshot.
- Superseded and obsolete revisions go to output/archive/, rebuilt from their snapshots
  with the 作废 / SUPERSEDED banner in the header of every page. They never stay among the
  current documents: a file left there by an earlier build is removed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from qmsdoc.generator.build import FORMS_OUT, PROCEDURES_OUT, Built, output_name, write_if_changed
from qmsdoc.lifecycle.states import ARCHIVED, RevisionState, document_states
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

ARCHIVE_OUT = "archive"
FOLDERS = {"procedure": PROCEDURES_OUT, "form": FORMS_OUT}


def model_of(project: Project, rs: RevisionState) -> Procedure | Form:
    """The model of one revision: the current source, or its release snapshot."""
    if rs.source is not None:
        return rs.source
    assert rs.release is not None
    return load_snapshot(project, rs.release)


def current_path(out: Path, kind: str, doc_id: str, revision: str) -> Path:
    return out / FOLDERS[kind] / output_name(doc_id, revision)


def archive_path(out: Path, kind: str, doc_id: str, revision: str) -> Path:
    return out / ARCHIVE_OUT / FOLDERS[kind] / output_name(doc_id, revision)


def archived_sources(project: Project) -> set[tuple[str, str]]:
    """(id, revision) of current sources that belong in the archive (an obsolete current revision)."""
    return {(rs.id, rs.revision) for states in document_states(project).values()
            for rs in states.revisions if rs.source is not None and rs.state in ARCHIVED}


def build_document(project: Project, doc: Procedure | Form, labels: Labels, *, status: str | None = None,
                   superseded_by: str | None = None) -> bytes:
    """The .docx of any revision; a snapshot procedure lists the forms it listed itself."""
    from qmsdoc.generator.form import build_form
    from qmsdoc.generator.procedure import build_procedure

    if status is not None:
        doc = replace(doc, status=status)
    if isinstance(doc, Procedure):
        view = replace(project, procedures={**project.procedures, doc.id: doc})
        return build_procedure(view, doc, labels, superseded_by=superseded_by)
    return build_form(project, doc, labels, superseded_by=superseded_by)


def build_released(project: Project, labels: Labels, out: Path) -> list[Built]:
    """Write in-force released revisions and the archive; remove archived ones from the current folders."""
    results = []
    for states in document_states(project).values():
        for rs in states.revisions:
            if rs.state in ARCHIVED:
                for stale in (current_path(out, rs.kind, rs.id, rs.revision),):
                    for path in (stale, stale.with_suffix(".pdf")):
                        if path.is_file():
                            path.unlink()
                doc = model_of(project, rs)
                data = build_document(project, doc, labels, status=rs.state, superseded_by=rs.superseded_by)
                path = archive_path(out, rs.kind, rs.id, rs.revision)
                results.append(Built(rs.id, rs.kind, path, write_if_changed(path, data)))
            elif rs.source is None and rs.state == "effective":
                doc = model_of(project, rs)
                path = current_path(out, rs.kind, rs.id, rs.revision)
                results.append(Built(rs.id, rs.kind, path, write_if_changed(path, build_document(project, doc, labels))))
    return results


def load_revision(project: Project, doc_id: str, revision: str) -> Procedure | Form:
    """Any known revision of a document: the current source or a released one.

    Raises LookupError with a message naming the revisions there are.
    """
    current = project.document(doc_id)
    if current is not None and current.revision == revision:
        return current
    release = project.release_of(doc_id, revision)
    if release is not None:
        return load_snapshot(project, release)
    known = [r.revision for r in project.releases.get(doc_id, ())]
    if current is not None and current.revision not in known:
        known.append(current.revision)
    if current is None and not known:
        raise LookupError(f"no procedure or form {doc_id}")
    raise LookupError(f"{doc_id} has no revision {revision}: released {', '.join(known) or 'none'}"
                      + (f"; the source is {current.revision}" if current else ""))
