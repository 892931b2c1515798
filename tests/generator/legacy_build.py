"""The python-docx build of procedures, blank forms and archive copies: the reference the direct
writer's bytes are compared with.

Procedures and forms are laid out once (`generator.procedure`, `generator.form`) and written by
either writer; here through `ControlledDocument`, which still lays out the check report, the
register and redlines, so the two writers must give the same bytes for the same calls. The archive
copy is the python-docx version `generator.archived` had before it edited the parts in place.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import docx

from qmsdoc.generator import procedure
from qmsdoc.generator.context import RenderContext
from qmsdoc.generator.document import BANNER_COLOUR, ControlledDocument
from qmsdoc.generator.form import build_form as build_blank_form
from qmsdoc.generator.ooxml import package
from qmsdoc.generator.ooxml.text import clear_runs, replace_text, set_run_style
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.signatures import Manifestation


def build_procedure(ctx: RenderContext, proc: Procedure, *, superseded_by: str | None = None,
                    approvals: Mapping[str, Manifestation | None] | None = None) -> bytes:
    """The procedure through python-docx: the production layout, written by `ControlledDocument`."""
    return procedure.build_procedure(ctx, proc, superseded_by=superseded_by, approvals=approvals,
                                     writer=ControlledDocument)


def build_form(ctx: RenderContext, form: Form, *, superseded_by: str | None = None) -> bytes:
    """The blank form through python-docx: the production layout, written by `ControlledDocument`."""
    return build_blank_form(ctx, form, superseded_by=superseded_by, writer=ControlledDocument)


def archived_copy(released: bytes, banner: str, status: str, east_asian: str,
                  controlled: tuple[str, str] | None = None) -> bytes:
    """`released` with `banner` (in `east_asian`, the heading font) on every page and `status`
    (superseded or obsolete) as its content status; `controlled`: the controlled-copy mark as
    printed, and what it becomes."""
    doc = docx.Document(io.BytesIO(released))
    for section in doc.sections:
        header = section.header
        if header.is_linked_to_previous:
            continue
        paragraph = header.paragraphs[-1] if header.paragraphs else header.add_paragraph()
        clear_runs(paragraph)
        set_run_style(paragraph.add_run(banner), bold=True, size_pt=12, color=BANNER_COLOUR, east_asian=east_asian)
        if controlled is not None and not section.footer.is_linked_to_previous:
            for p in section.footer.paragraphs:
                replace_text(p, *controlled)
    doc.core_properties.content_status = status
    return package.save_reproducible(doc)
