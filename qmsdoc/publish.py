"""`qmsdoc build`: which revision of each document is published on a day, from what, and where.

This sits above the generator (which renders a source) and the lifecycle (which says what
state each revision is in on the day, `as_of`):

- a released revision is published as its released .docx, byte for byte: never a new
  rendering, whatever changed in the sources or in qmsdoc since;
- the revision in force and the pending ones (approved but not yet in force, drafts) go among
  the current documents; a revision that is not released is rendered from its source;
- superseded and obsolete revisions go to output/archive/: the released file with the 作废 /
  SUPERSEDED banner on every page (a withdrawal never released is rendered with it). They
  never stay among the current documents: a file (and its PDF) left there by a build for
  another day is removed, as is an archived copy of a revision that is current on this day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qmsdoc.errors import Diagnostics, SourceError
from qmsdoc.generator.archived import archived_copy
from qmsdoc.generator.procedure import status_banner
from qmsdoc.generator.render import RenderJob, render_documents
from qmsdoc.lifecycle.revisions import model_of
from qmsdoc.lifecycle.states import ARCHIVED, RevisionState, document_states
from qmsdoc.load.labels import load_labels
from qmsdoc.model.inputs import label_key, site_with
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.releases import Release
from qmsdoc.outputs import Built, archive_path, current_path, write_if_changed


def build_all(project: Project, out: Path, *, as_of: dt.date | None = None, jobs: int | None = None) -> list[Built]:
    """Write every document published on `as_of` under `out` (None: every effective revision is
    taken to be in force). Sources are rendered in `jobs` worker processes (default: all
    cores); the bytes do not depend on that.

    Raises SourceError when a released file is missing.
    """
    labels = load_labels(project.site.language)
    diags = Diagnostics()
    copies: list[tuple[RevisionState, Path, bytes]] = []
    plan: list[tuple[RenderJob, RevisionState, Path]] = []
    for doc_states in document_states(project, as_of).values():
        for rs in doc_states.revisions:
            archived = rs.state in ARCHIVED
            path = (archive_path if archived else current_path)(out, rs.kind, rs.id, rs.revision)
            # a file (and its PDF) left in the other place by a build for another day goes
            _remove_stale((current_path if archived else archive_path)(out, rs.kind, rs.id, rs.revision))
            if rs.release is not None:
                data = _released_bytes(project, rs.release, diags)
                if data is not None:
                    copies.append((rs, path, _archived(project, rs, rs.release, data, labels) if archived else data))
            else:  # not released: rendered, with its banner when it is archived (a withdrawal)
                job = RenderJob(model_of(project, rs), status=rs.state if archived else None,
                                superseded_by=rs.superseded_by)
                plan.append((job, rs, path))
    if diags:
        raise SourceError(diags)
    rendered = render_documents(project, labels, [job for job, _, _ in plan], jobs)
    written = [(rs, path, data) for (_, rs, path), data in zip(plan, rendered, strict=True)] + copies
    return [Built(rs.id, rs.kind, path, write_if_changed(path, data))
            for rs, path, data in sorted(written, key=lambda w: (w[0].kind != "procedure", w[0].id, w[0].revision))]


def _released_bytes(project: Project, release: Release, diags: Diagnostics) -> bytes | None:
    path = project.root / release.docx_path
    try:
        return path.read_bytes()
    except OSError as exc:
        diags.error(release.loc, f"the released file {release.docx_path} cannot be read ({exc.strerror})",
                    "restore the release folder from git; a released revision is published as released")
        return None


def _archived(project: Project, rs: RevisionState, release: Release, data: bytes, labels: Labels) -> bytes:
    """The released file marked as superseded or obsolete."""
    banner = status_banner(rs.state, labels, rs.superseded_by)
    assert banner is not None
    inputs = release.inputs or {}
    font = site_with(project.site, inputs).heading_font.east_asian
    printed = inputs.get(label_key("controlled_copy"), labels["controlled_copy"])
    return archived_copy(data, banner, rs.state, font, (printed, labels["archived_copy"]))


def _remove_stale(path: Path) -> None:
    """An archived revision never stays among the current documents, nor a current one in the archive."""
    for stale in (path, path.with_suffix(".pdf")):
        if stale.is_file():
            stale.unlink()
