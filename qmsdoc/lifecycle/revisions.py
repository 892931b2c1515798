"""Any revision of a document as a model: the current source, or its release snapshot."""

from __future__ import annotations

from qmsdoc.lifecycle.states import RevisionState
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.project import Project


def model_of(project: Project, rs: RevisionState) -> Procedure | Form:
    """The model of one revision: the current source, or its release snapshot."""
    if rs.source is not None:
        return rs.source
    assert rs.release is not None
    return load_snapshot(project, rs.release)


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
