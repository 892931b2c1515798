"""A procedure → its controlled Word document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from qmsdoc.generator.context import RenderContext
from qmsdoc.generator.direct import DirectDocument
from qmsdoc.generator.document import ControlledDocument, HeaderBlock
from qmsdoc.model.documents import HistoryEntry, Procedure
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.signatures import Manifestation

BANNERS = {"draft": "draft_banner", "approved": "approved_banner", "obsolete": "obsolete_banner",
           "superseded": "superseded_banner"}


def status_banner(status: str, labels: Labels, superseded_by: str | None = None) -> str | None:
    """The banner text for a document that is not in force, None for an effective one.

    A superseded revision names its successor (`superseded_by`); it is built only from its
    release snapshot (see `qmsdoc.publish`).
    """
    key = BANNERS.get(status)
    if key is None:
        return None
    return labels.format(key, revision=superseded_by or "—") if status == "superseded" else labels[key]


def document_dates(history: Sequence[HistoryEntry], effective: dt.date | None) -> tuple[dt.date, dt.date]:
    """(created, modified) for core properties: first history date and effective date, never the clock."""
    fallback = dt.date(2000, 1, 1)
    created = history[0].date if history else (effective or fallback)
    modified = effective or (history[-1].date if history else created)
    return created, modified


def titles(project: Project) -> dict[str, str]:
    out = {pid: p.title for pid, p in project.procedures.items()}
    out.update({fid: f.title for fid, f in project.forms.items()})
    return out


def build_procedure(ctx: RenderContext, proc: Procedure, *, superseded_by: str | None = None,
                    approvals: Mapping[str, Manifestation | None] | None = None,
                    writer: type[DirectDocument] | type[ControlledDocument] = DirectDocument) -> bytes:
    """The .docx bytes of one procedure: header, approvals, history, body, its forms.

    `approvals` None: the approvals typed in the front matter (names and dates). Given: signature
    mode, the electronic signatures shown by meaning (None for one not signed yet), and nothing in
    the package names a signer, so the signing digest does not depend on who signed
    (`ooxml.signatures`). `writer`: the direct writer; `ControlledDocument` (python-docx), which
    lays out the check report, the register and redlines, gives the same bytes for the same
    calls (tests/generator/test_direct.py builds with both)."""
    labels, site = ctx.labels, ctx.site
    doc = writer(site, labels, ctx.titles)
    doc.header(HeaderBlock(proc.title, labels["document_no"], proc.id, proc.revision,
                           proc.effective, status_banner(proc.status, labels, superseded_by)))
    doc.footer(labels["controlled_copy"], f"{labels['owner']}：{proc.owner}")
    doc.title(proc.title)
    if approvals is None:
        doc.approval_block(proc.prepared, proc.reviewed, proc.approved)
    else:
        doc.signature_block(approvals)
    doc.history(proc.history)
    doc.blocks(proc.body)
    forms = [(fid, title) for fid in proc.forms if (title := ctx.title(fid)) is not None]
    doc.document_list(labels["forms_list"], (labels["form_code"], labels["form_title"]), forms)
    related = [(rid, title) for rid in proc.related if (title := ctx.title(rid)) is not None]
    doc.document_list(labels["related_procedures"], (labels["document_no"], labels["document_title"]), related)
    created, modified = document_dates(proc.history, proc.effective)
    doc.properties(
        title=proc.title, identifier=proc.id, version=proc.revision, status=proc.status,
        language=site.language, author=proc.prepared.name if proc.prepared and approvals is None else site.organisation,
        created=created, modified=modified,
        subject=site.organisation, keywords=proc.id, category=proc.owner,
    )
    return doc.to_bytes()

