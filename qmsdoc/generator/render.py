"""Any revision of a procedure or form → .docx bytes, one at a time or many in worker processes."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from qmsdoc.generator import direct
from qmsdoc.generator.context import RenderContext
from qmsdoc.generator.form import build_form
from qmsdoc.generator.procedure import build_procedure
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.inputs import Inputs
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.signatures import Manifestation


@dataclass(frozen=True)
class RenderJob:
    """One document to render: its model (current source or release snapshot) and how to mark it."""

    doc: Procedure | Form
    status: str | None = None
    """The state to print (e.g. obsolete) when it differs from the declared status."""
    superseded_by: str | None = None
    frozen: Inputs | None = None
    """A released revision's recorded inputs: render with the values of then."""
    approvals: Mapping[str, Manifestation | None] | None = None
    """Signature mode: the signatures to show by meaning (see `render`)."""


class Rendered(NamedTuple):
    """A document's .docx bytes and the inputs they were made from (see `qmsdoc.model.inputs`)."""

    data: bytes
    inputs: dict[str, Any]


def render(project: Project, doc: Procedure | Form, labels: Labels, *, status: str | None = None,
           superseded_by: str | None = None, frozen: Inputs | None = None,
           approvals: Mapping[str, Manifestation | None] | None = None) -> Rendered:
    """The .docx of any revision, and everything outside its source that it was made from.

    `approvals`: None for the approvals typed in a procedure's front matter; a mapping meaning →
    `Manifestation` (None for a meaning not signed yet) for signature mode, where a procedure shows
    its electronic signatures instead. A form has no approvals: it renders the same either way."""
    if status is not None:
        doc = replace(doc, status=status)
    ctx = RenderContext(project, labels, frozen)
    data = build_procedure(ctx, doc, superseded_by=superseded_by, approvals=approvals) if isinstance(
        doc, Procedure) else build_form(ctx, doc, superseded_by=superseded_by)
    return Rendered(data, dict(sorted({**doc.inputs, **ctx.inputs()}.items())))


def render_document(project: Project, doc: Procedure | Form, labels: Labels, *, status: str | None = None,
                    superseded_by: str | None = None, frozen: Inputs | None = None,
                    approvals: Mapping[str, Manifestation | None] | None = None) -> bytes:
    """The .docx bytes of any revision."""
    return render(project, doc, labels, status=status, superseded_by=superseded_by, frozen=frozen,
                  approvals=approvals).data


def render_documents(project: Project, labels: Labels, jobs: Sequence[RenderJob],
                     workers: int | None = None) -> list[bytes]:
    """Every job's bytes, in order. With more than one worker (default: all cores) the jobs run
    in forked processes; each document's bytes do not depend on that."""
    global _SHARED
    workers = max(1, workers or os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1  # the workers inherit the project and the jobs by forking
    _SHARED = (project, labels, tuple(jobs))
    try:
        if workers == 1 or len(jobs) < 8:
            return [_render(i) for i in range(len(jobs))]
        direct.prepare(project.site, labels)  # once, here, rather than once in every worker
        gc.freeze()  # the workers inherit the project: keep their collector off it
        try:
            with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
                return pool.map(_render, range(len(jobs)), chunksize=4)
        finally:
            gc.unfreeze()
    finally:
        _SHARED = None


_SHARED: tuple[Project, Labels, tuple[RenderJob, ...]] | None = None


def _render(index: int) -> bytes:
    assert _SHARED is not None
    project, labels, jobs = _SHARED
    job = jobs[index]
    return render_document(project, job.doc, labels, status=job.status, superseded_by=job.superseded_by,
                           frozen=job.frozen, approvals=job.approvals)
