"""The register as a controlled Word document: landscape A4, the standard header on every page.

Three tables: procedures (with next review and forms), forms (with owning procedure), and the
superseded and obsolete revisions. A review due or overdue on the as-of date is shown in red.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qmsdoc import __version__
from qmsdoc.generator.document import BANNER_COLOUR, ControlledDocument, HeaderBlock
from qmsdoc.generator.ooxml.text import set_run_style
from qmsdoc.generator.procedure import titles
from qmsdoc.lifecycle.register import (
    ARCHIVE,
    FORMS,
    PROCEDURES,
    Register,
    RegisterRow,
    forms_text,
    iso,
    review_text,
    state_text,
)
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

Column = tuple[str, float, Callable[[RegisterRow, Labels], str]]

PROCEDURE_COLUMNS: tuple[Column, ...] = (
    ("register_id", 0.11, lambda r, lab: r.id),
    ("register_title_col", 0.17, lambda r, lab: r.title),
    ("register_revision", 0.05, lambda r, lab: r.revision),
    ("register_status", 0.08, state_text),
    ("register_effective", 0.09, lambda r, lab: iso(r.effective)),
    ("register_owner", 0.08, lambda r, lab: r.owner),
    ("register_approver", 0.06, lambda r, lab: r.approver),
    ("register_next_review", 0.09, lambda r, lab: iso(r.next_review)),
    ("register_review", 0.07, review_text),
    ("register_forms_col", 0.16, lambda r, lab: forms_text(r)),
)
FORM_COLUMNS: tuple[Column, ...] = (
    ("register_id", 0.13, lambda r, lab: r.id),
    ("register_title_col", 0.27, lambda r, lab: r.title),
    ("register_revision", 0.06, lambda r, lab: r.revision),
    ("register_status", 0.1, state_text),
    ("register_effective", 0.09, lambda r, lab: iso(r.effective)),
    ("register_procedure", 0.12, lambda r, lab: r.procedure or ""),
    ("register_owner", 0.09, lambda r, lab: r.owner),
    ("register_approver", 0.08, lambda r, lab: r.approver),
)
ARCHIVE_COLUMNS: tuple[Column, ...] = (
    ("register_id", 0.13, lambda r, lab: r.id),
    ("register_title_col", 0.3, lambda r, lab: r.title),
    ("register_revision", 0.06, lambda r, lab: r.revision),
    ("register_status", 0.1, state_text),
    ("register_effective", 0.1, lambda r, lab: iso(r.effective)),
    ("register_superseded_by", 0.09, lambda r, lab: r.superseded_by or ""),
    ("register_superseded_on", 0.12, lambda r, lab: iso(r.superseded_on)),
)
SEQ_WIDTH = 0.04


def register_docx(register: Register, project: Project, labels: Labels) -> bytes:
    """The .docx bytes of the register; the same register gives the same bytes."""
    doc = ControlledDocument(project.site, labels, titles(project), landscape=True)
    procs, forms, archive = (register.section(s) for s in (PROCEDURES, FORMS, ARCHIVE))
    counts = labels.format("register_counts", procedures=len(procs), forms=len(forms))
    doc.header(HeaderBlock(labels["register_title"], "", "", "", None, None, rows=(
        (labels["register_as_of"], register.dated.isoformat()),
        (labels["register_counts_label"], counts),
        (labels["register_archive"], str(len(archive))),
    )))
    doc.footer(labels.format("register_footer", version=__version__))
    for caption, rows, columns in ((labels["register_procedures"], procs, PROCEDURE_COLUMNS),
                                   (labels["register_forms"], forms, FORM_COLUMNS),
                                   (labels["register_archive"], archive, ARCHIVE_COLUMNS)):
        if rows:
            _table(doc, labels, caption, rows, columns)
    doc.approval_block(None, None, None)  # signed on paper by whoever prepares, reviews and approves the list
    doc.end()
    doc.properties(
        title=labels["register_title"], identifier=f"{project.site.organisation_short}-register",
        version=register.dated.isoformat(), status="final", language=project.site.language,
        author=project.site.organisation, created=register.dated, modified=register.dated,
        subject=project.site.organisation, keywords=labels["register_title"], category=labels["register_title"],
    )
    return doc.to_bytes()


def _table(doc: ControlledDocument, labels: Labels, caption: str, rows: Sequence[RegisterRow],
           columns: Sequence[Column]) -> None:
    doc.caption(caption)
    fractions = [SEQ_WIDTH, *(c[1] for c in columns)]
    total = sum(fractions)
    grid = doc.grid(1 + len(rows), len(fractions), [f / total for f in fractions])
    heads = [labels["register_seq"], *(labels[c[0]] for c in columns)]
    doc.head_row(grid, heads, size=9)
    for r, row in enumerate(rows, start=1):
        doc.cell_text(grid.cell(r, 0), str(r), centre=True, size=9)
        for c, (key, _, value) in enumerate(columns, start=1):
            cell = grid.cell(r, c)
            centre = key not in ("register_title_col", "register_forms_col")
            doc.cell_text(cell, value(row, labels), size=9, centre=centre)
            if key == "register_review" and row.review:
                for run in cell.paragraphs[0].runs:
                    set_run_style(run, bold=True, color=BANNER_COLOUR)
    doc.spacer()
