"""A released revision's source snapshot (releases/<id>/<revision>/<file>) → its Procedure or Form.

Used to rebuild, archive and compare revisions that are no longer the current source. The
snapshot is read by the same loaders as the current sources, so its problems are reported
at its own path:line:col. What it read from outside its source (site settings, its owning
procedure's params) has the values recorded at its release; a release recorded before qmsdoc
kept them reads today's.
"""

from __future__ import annotations

from qmsdoc.errors import Diagnostics, SourceError
from qmsdoc.load.forms import load_form
from qmsdoc.load.procedures import load_procedure
from qmsdoc.load.project import render_instructions
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.inputs import site_with
from qmsdoc.model.project import Project
from qmsdoc.model.releases import Release


def load_snapshot(project: Project, release: Release) -> Procedure | Form:
    """The model of a released revision; the current source itself when it is that revision."""
    current = project.document(release.id)
    if (current is not None and current.revision == release.revision and current.digest == release.source.digest
            and all((release.inputs or {}).get(k, v) == v for k, v in current.inputs.items())):
        return current  # the same source, read with the same values
    diags = Diagnostics()
    path = project.root / release.source_path
    if not path.is_file():
        diags.error(release.loc, f"the released source {release.source_path} is missing",
                    "restore the release folder from git")
        raise SourceError(diags)
    doc: Procedure | Form | None
    site = site_with(project.site, release.inputs or {})
    if release.kind == "procedure":
        doc = load_procedure(path, release.source_path, site, diags)
    else:
        doc = load_form(path, release.source_path, site, diags)
        if doc is not None:
            doc = render_instructions(doc, project.procedures, site, diags, release.inputs)
    if doc is not None and (doc.id, doc.revision) != (release.id, release.revision):
        diags.error(doc.locs.get("revision", release.loc),
                    f"the snapshot is {doc.id} {doc.revision}, but its release record says "
                    f"{release.id} {release.revision}")
    if diags or doc is None:
        raise SourceError(diags)
    return doc
