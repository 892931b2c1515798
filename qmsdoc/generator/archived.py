"""A released .docx → its archive copy: the released file itself, marked as no longer in force.

A superseded or withdrawn revision is archived as what was released, not as a new rendering:
the released bytes, with the 作废 / SUPERSEDED banner in the header of every page and the
status in the document properties. Nothing else in it changes.
"""

from __future__ import annotations

import io

import docx

from qmsdoc.generator.document import BANNER_COLOUR
from qmsdoc.generator.ooxml import package
from qmsdoc.generator.ooxml.text import clear_runs, set_run_style


def archived_copy(released: bytes, banner: str, status: str, east_asian: str) -> bytes:
    """`released` with `banner` (in `east_asian`, the heading font) on every page and `status`
    (superseded or obsolete) as its content status."""
    doc = docx.Document(io.BytesIO(released))
    for section in doc.sections:
        header = section.header
        if header.is_linked_to_previous:
            continue
        paragraph = header.paragraphs[-1] if header.paragraphs else header.add_paragraph()
        clear_runs(paragraph)
        set_run_style(paragraph.add_run(banner), bold=True, size_pt=12, color=BANNER_COLOUR, east_asian=east_asian)
    doc.core_properties.content_status = status
    return package.save_reproducible(doc)
