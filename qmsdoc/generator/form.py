"""A form definition → its blank, fillable Word form."""

from __future__ import annotations

from typing import Any

from qmsdoc import __version__
from qmsdoc.generator.context import RenderContext
from qmsdoc.generator.direct import DirectDocument
from qmsdoc.generator.document import HEADER_FILL, ControlledDocument, HeaderBlock
from qmsdoc.generator.form_layout import (
    FormPlan,
    blocks,
    grid_rows,
    plan_form,
)
from qmsdoc.generator.ooxml import controls
from qmsdoc.generator.procedure import document_dates, status_banner
from qmsdoc.generator.typography import tidy_spaces
from qmsdoc.model.documents import Field, FieldType, Form, Section
from qmsdoc.model.entries import option_tag, row_tag, yes_no_tags
from qmsdoc.model.labels import Labels
from qmsdoc.model.numbering import chinese_count_word


def manifest_of(form: Form) -> dict[str, str]:
    """What a filled form carries to trace it back to its exact definition."""
    return {"kind": "form", "id": form.id, "revision": form.revision, "digest": form.digest,
            "generator": f"qmsdoc {__version__}"}


def retention_text(form: Form, labels: Labels) -> str:
    months = form.retention_months
    if months is None:
        return labels["retention_permanent"]
    if months % 12 == 0:
        return labels.format("retention_years", n=months // 12)
    return labels.format("retention_months", n=months)


def copies_text(form: Form, labels: Labels) -> str:
    """一式两份: how many copies, written one way wherever it is shown."""
    return labels.format("copies_n", n=form.copies, cn=chinese_count_word(form.copies))


def build_form(ctx: RenderContext, form: Form, *, superseded_by: str | None = None,
               writer: type[DirectDocument] | type[ControlledDocument] = DirectDocument) -> bytes:
    """The .docx bytes of one blank form, laid out for the paper (see `form_layout`). `writer`: the
    direct writer; `ControlledDocument` (python-docx) gives the same bytes for the same calls
    (tests/generator/test_direct.py builds with both)."""
    labels, site = ctx.labels, ctx.site
    instructions = instructions_text(form, labels)
    m = site.margins
    plan = plan_form(form, site.paper, (m.top, m.bottom, m.left, m.right), instructions)
    doc = writer(site, labels, ctx.titles, landscape=plan.landscape, manifest=True)
    doc.header(HeaderBlock(form.title, labels["form_no"], form.id, form.revision, form.effective,
                           status_banner(form.status, labels, superseded_by)))
    owner = ctx.title(form.procedure) or ""
    doc.footer(f"{labels['owning_procedure']}：{form.procedure}《{owner}》{form.clause}\n"
               f"{labels['retention']}：{retention_text(form, labels)}　"
               f"{labels['copies']}：{copies_text(form, labels)}")
    if instructions:
        doc.note(instructions)
    sections = _FormWriter(doc, labels, ctx.date_format, plan)
    for section in form.sections:
        sections.section(section)
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


def instructions_text(form: Form, labels: Labels) -> str:
    """The 填写说明 as printed: the definition's text, tidied, and what the required mark means."""
    parts = [tidy_spaces(form.instructions)] if form.instructions else []
    if any(f.required for s in form.sections for f in s.fields):
        parts.append(labels["required_legend"])
    return f"{labels['instructions']}：{''.join(parts)}" if parts else ""


class _FormWriter:
    """Writes sections in definition order: a title bar, grids of label and entry cells, and
    repeating tables in place, each entry a content control."""

    def __init__(self, doc: DirectDocument | ControlledDocument, labels: Labels, date_format: str, plan: FormPlan):
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
        table: Any = self.doc.grid(len(rows), 4, self.columns)  # a wordml Table or a python-docx Grid
        for r, row in enumerate(rows):
            self._row(table, r, row)

    def _label(self, cell: Any, f: Field) -> None:
        self.doc.cell_text(cell, f.label + ("\u00a0*" if f.required else ""), bold=False)
        self.doc.shade(cell, HEADER_FILL)

    def _row(self, table: Any, r: int, row: list[Field]) -> None:
        f = row[0]
        if f.type == FieldType.SIGNATURE:
            self._label(table.cell(r, 0), f)
            self._entry(table.cell(r, 1), f, tag=f"{f.id}.name", title=f"{f.label}（{self.labels['signed_name']}）",
                        as_type=FieldType.PERSON)
            date_label = table.cell(r, 2)
            self.doc.cell_text(date_label, self.labels["signed_date"])
            self.doc.shade(date_label, HEADER_FILL)
            self._entry(table.cell(r, 3), f, tag=f"{f.id}.date", title=f"{f.label}（{self.labels['signed_date']}）",
                        as_type=FieldType.DATE)
            self.doc.row_height(table, r, self.plan.rows.signature)
            return
        if len(row) == 2:
            for k, field in enumerate(row):
                self._label(table.cell(r, 2 * k), field)
                self._entry(table.cell(r, 2 * k + 1), field)
        else:
            self._label(table.cell(r, 0), f)
            self._entry(self.doc.span(table, r, 1, 3), f)
        height = self.plan.multiline_twips if f.type == FieldType.MULTILINE else self.plan.rows.entry
        self.doc.row_height(table, r, height)

    def _entry(self, cell: Any, f: Field, tag: str | None = None, title: str | None = None,
               as_type: FieldType | None = None) -> None:
        p: Any = self.doc.entry_paragraph(cell, "Form Entry")  # a wordml paragraph or a python-docx one
        tag = tag or f.id
        title = title or f.label
        kind = as_type or f.type
        if kind in (FieldType.DATE,):
            self.doc.date_control(p, self.ids, tag, title, self.date_format)
        elif kind == FieldType.CHECKBOX and f.single_box:  # □是, as the form asks: unticked is no
            self._boxes(p, [(tag, self.labels["checkbox_yes"])], title)
        elif kind == FieldType.CHECKBOX:  # □是 □否: an unticked pair is not filled in, never "no"
            yes, no = yes_no_tags(tag)
            self._boxes(p, [(yes, self.labels["checkbox_yes"]), (no, self.labels["checkbox_no"])], title)
        elif kind in (FieldType.CHOICE, FieldType.MULTICHOICE):  # one tick box per option
            self._boxes(p, [(option_tag(tag, o.value), o.label) for o in f.options], title)
        else:
            self.doc.text_control(p, self.ids, tag, title, multiline=kind == FieldType.MULTILINE)
            if kind in (FieldType.NUMBER, FieldType.MONEY) and f.unit:
                self.doc.text_run(p, f" {f.unit}", size_pt=9, color="666666")
        if f.help:
            self.doc.align_left(p)

    def _boxes(self, p: Any, boxes: list[tuple[str, str]], title: str) -> None:
        for k, (tag, label) in enumerate(boxes):
            if k:
                self.doc.text_run(p, "\u3000")
            self.doc.checkbox_control(p, self.ids, tag, f"{title}：{label}")
            self.doc.text_run(p, "\u00a0" + label)

    def _repeating(self, f: Field, *, caption: bool) -> None:
        """A repeating table in place: caption, header row repeated on each page, blank rows."""
        plan = self.plan.tables[f.id]
        if caption:
            self.doc.caption(f.label + ("\u00a0*" if f.required else ""))
        n = len(f.columns)
        fractions = [w / self.plan.content_width for w in plan.widths]
        table: Any = self.doc.grid(1 + plan.rows, n + 1, fractions)
        self.doc.cell_text(table.cell(0, 0), self.labels["row_no"], centre=True)
        self.doc.shade(table.cell(0, 0), HEADER_FILL)
        for c, col in enumerate(f.columns, start=1):
            self.doc.cell_text(table.cell(0, c), col.label + ("\u00a0*" if col.required else ""), centre=True)
            self.doc.shade(table.cell(0, c), HEADER_FILL)
        self.doc.repeat_header(table)
        for r in range(1, plan.rows + 1):
            self.doc.cell_text(table.cell(r, 0), str(r), centre=True)
            for c, col in enumerate(f.columns, start=1):
                self._entry(table.cell(r, c), col, tag=row_tag(f.id, r, col.id),
                            title=f"{f.label} {r}：{col.label}")
            self.doc.row_height(table, r, self.plan.rows.entry)
