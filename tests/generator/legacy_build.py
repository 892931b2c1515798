"""The python-docx build of procedures and blank forms, as `qmsdoc.generator` had it before the
direct writer (`generator.direct`): the reference the direct writer's bytes are compared with.

`ControlledDocument` still lays out the check report, the register and redlines, so both must keep
one layout; this module is that layout written through it, call for call.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from qmsdoc.generator import procedure
from qmsdoc.generator.context import RenderContext
from qmsdoc.generator.document import BANNER_COLOUR, HEADER_FILL, ControlledDocument, HeaderBlock
from qmsdoc.generator.form import copies_text, instructions_text, manifest_of, retention_text
from qmsdoc.generator.form_layout import FormPlan, blocks, grid_rows, plan_form
from qmsdoc.generator.ooxml import controls, package, tables
from qmsdoc.generator.ooxml.merge import span_columns
from qmsdoc.generator.ooxml.tables import Grid
from qmsdoc.generator.ooxml.text import clear_runs, replace_text, set_run_style
from qmsdoc.generator.procedure import document_dates, status_banner
from qmsdoc.model.documents import Field, FieldType, Form, Procedure, Section
from qmsdoc.model.entries import option_tag, row_tag, yes_no_tags
from qmsdoc.model.labels import Labels
from qmsdoc.model.signatures import Manifestation


def build_procedure(ctx: RenderContext, proc: Procedure, *, superseded_by: str | None = None,
                    approvals: Mapping[str, Manifestation | None] | None = None) -> bytes:
    """The procedure through python-docx: the production layout, written by `ControlledDocument`."""
    return procedure.build_procedure(ctx, proc, superseded_by=superseded_by, approvals=approvals,
                                     writer=ControlledDocument)


def build_form(ctx: RenderContext, form: Form, *, superseded_by: str | None = None) -> bytes:
    """The .docx bytes of one blank form, laid out for the paper (see `form_layout`)."""
    labels, site = ctx.labels, ctx.site
    instructions = instructions_text(form, labels)
    m = site.margins
    plan = plan_form(form, site.paper, (m.top, m.bottom, m.left, m.right), instructions)
    doc = ControlledDocument(site, labels, ctx.titles, landscape=plan.landscape)
    doc.header(HeaderBlock(form.title, labels["form_no"], form.id, form.revision, form.effective,
                           status_banner(form.status, labels, superseded_by)))
    owner = ctx.title(form.procedure) or ""
    doc.footer(f"{labels['owning_procedure']}：{form.procedure}《{owner}》{form.clause}\n"
               f"{labels['retention']}：{retention_text(form, labels)}　"
               f"{labels['copies']}：{copies_text(form, labels)}")
    if instructions:
        p = doc.paragraph("Table Text")
        set_run_style(p.add_run(instructions), size_pt=9, color="404040")
        p.paragraph_format.space_after = Pt(4)
    writer = _FormWriter(doc, labels, ctx.date_format, plan)
    for section in form.sections:
        writer.section(section)
    doc.end()
    created, modified = document_dates(form.history, form.effective)
    doc.properties(
        title=form.title, identifier=form.id, version=form.revision, status=form.status,
        language=site.language, author=site.organisation,
        created=created, modified=modified,
        subject=f"{form.procedure} {form.clause}", keywords=form.id, category="form",
    )
    doc.manifest(manifest_of(form))
    return doc.to_bytes()



class _FormWriter:
    """Writes sections in definition order: a title bar, grids of label and entry cells, and
    repeating tables in place, each entry a content control."""

    def __init__(self, doc: ControlledDocument, labels: Labels, date_format: str, plan: FormPlan):
        self.doc = doc
        self.labels = labels
        self.date_format = date_format
        self.plan = plan
        self.ids = controls.ControlIds()
        label = plan.label_width / plan.content_width
        self.columns = [label, 0.5 - label, label, 0.5 - label]

    def section(self, section: Section) -> None:
        if section.title:
            self.doc.section_bar(section.title, HEADER_FILL)
        for k, block in enumerate(blocks(section)):
            if isinstance(block, Field):  # a table that is the whole titled section needs no caption of its own
                self._repeating(block, caption=not (k == 0 and block.label == section.title))
            else:
                self._grid(grid_rows(block))

    def _grid(self, rows: list[list[Field]]) -> None:
        table = self.doc.grid(len(rows), 4, self.columns)
        for r, row in enumerate(rows):
            self._row(table, r, row)

    def _label(self, cell: _Cell, f: Field) -> None:
        self.doc.cell_text(cell, f.label + ("\u00a0*" if f.required else ""), bold=False)
        tables.shade(cell, HEADER_FILL)

    def _row(self, table: Grid, r: int, row: list[Field]) -> None:
        f = row[0]
        if f.type == FieldType.SIGNATURE:
            self._label(table.cell(r, 0), f)
            self._entry(table.cell(r, 1), f, tag=f"{f.id}.name", title=f"{f.label}（{self.labels['signed_name']}）",
                        as_type=FieldType.PERSON)
            date_label = table.cell(r, 2)
            self.doc.cell_text(date_label, self.labels["signed_date"])
            tables.shade(date_label, HEADER_FILL)
            self._entry(table.cell(r, 3), f, tag=f"{f.id}.date", title=f"{f.label}（{self.labels['signed_date']}）",
                        as_type=FieldType.DATE)
            tables.row_height(table.rows[r], self.plan.rows.signature)
            return
        if len(row) == 2:
            for k, field in enumerate(row):
                self._label(table.cell(r, 2 * k), field)
                self._entry(table.cell(r, 2 * k + 1), field)
        else:
            self._label(table.cell(r, 0), f)
            self._entry(span_columns(table.table, r, 1, 3), f)
        height = self.plan.multiline_twips if f.type == FieldType.MULTILINE else self.plan.rows.entry
        tables.row_height(table.rows[r], height)

    def _entry(self, cell: _Cell, f: Field, tag: str | None = None, title: str | None = None,
               as_type: FieldType | None = None) -> None:
        p = cell.paragraphs[0]
        self.doc.style(p, "Form Entry")
        tag = tag or f.id
        title = title or f.label
        kind = as_type or f.type
        if kind in (FieldType.DATE,):
            controls.add_date_control(p, self.ids, tag, title, self.date_format)
        elif kind == FieldType.CHECKBOX and f.single_box:  # □是, as the form asks: unticked is no
            self._boxes(p, [(tag, self.labels["checkbox_yes"])], title)
        elif kind == FieldType.CHECKBOX:  # □是 □否: an unticked pair is not filled in, never "no"
            yes, no = yes_no_tags(tag)
            self._boxes(p, [(yes, self.labels["checkbox_yes"]), (no, self.labels["checkbox_no"])], title)
        elif kind in (FieldType.CHOICE, FieldType.MULTICHOICE):  # one tick box per option
            self._boxes(p, [(option_tag(tag, o.value), o.label) for o in f.options], title)
        else:
            controls.add_text_control(p, self.ids, tag, title, multiline=kind == FieldType.MULTILINE)
            if kind in (FieldType.NUMBER, FieldType.MONEY) and f.unit:
                unit = p.add_run(f" {f.unit}")
                set_run_style(unit, size_pt=9, color="666666")
        if f.help:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT

    def _boxes(self, p: Paragraph, boxes: list[tuple[str, str]], title: str) -> None:
        for k, (tag, label) in enumerate(boxes):
            if k:
                p.add_run("\u3000")
            controls.add_checkbox_control(p, self.ids, tag, f"{title}：{label}")
            p.add_run("\u00a0" + label)

    def _repeating(self, f: Field, *, caption: bool) -> None:
        """A repeating table in place: caption, header row repeated on each page, blank rows."""
        plan = self.plan.tables[f.id]
        if caption:
            self.doc.caption(f.label + ("\u00a0*" if f.required else ""))
        n = len(f.columns)
        fractions = [w / self.plan.content_width for w in plan.widths]
        table = self.doc.grid(1 + plan.rows, n + 1, fractions)
        self.doc.cell_text(table.cell(0, 0), self.labels["row_no"], centre=True)
        tables.shade(table.cell(0, 0), HEADER_FILL)
        for c, col in enumerate(f.columns, start=1):
            self.doc.cell_text(table.cell(0, c), col.label + ("\u00a0*" if col.required else ""), centre=True)
            tables.shade(table.cell(0, c), HEADER_FILL)
        tables.repeat_as_header(table.rows[0])
        for r in range(1, plan.rows + 1):
            self.doc.cell_text(table.cell(r, 0), str(r), centre=True)
            for c, col in enumerate(f.columns, start=1):
                self._entry(table.cell(r, c), col, tag=row_tag(f.id, r, col.id),
                            title=f"{f.label} {r}：{col.label}")
            tables.row_height(table.rows[r], self.plan.rows.entry)


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
