"""A released .docx → its archive copy: the released file itself, marked as no longer in force.

A superseded or withdrawn revision is archived as what was released, not as a new rendering:
the released bytes, with the 作废 / SUPERSEDED banner in the header of every page, the status in
the document properties, and the footer's 受控文件 (controlled copy) mark replaced, since the copy
is no longer controlled. Nothing else in it changes.
"""

from __future__ import annotations

import io

import docx

from qmsdoc.generator.document import BANNER_COLOUR
from qmsdoc.generator.ooxml import package
from qmsdoc.generator.ooxml.text import clear_runs, replace_text, set_run_style


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
