"""A form definition → its blank, fillable Word form."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import _Cell

from qmsdoc import __version__
from qmsdoc.generator.context import RenderContext
from qmsdoc.generator.document import HEADER_FILL, ControlledDocument, HeaderBlock
from qmsdoc.generator.ooxml import controls, tables
from qmsdoc.generator.ooxml.merge import span_columns
from qmsdoc.generator.ooxml.tables import Grid
from qmsdoc.generator.ooxml.text import set_run_style
from qmsdoc.generator.procedure import document_dates, status_banner
from qmsdoc.model.documents import Field, FieldType, Form, Section
from qmsdoc.model.labels import Labels

COLUMNS = [0.2, 0.3, 0.2, 0.3]
MULTILINE_HEIGHT = 1100  # twips: about two centimetres of writing space
ENTRY_HEIGHT = 440


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


def build_form(ctx: RenderContext, form: Form, *, superseded_by: str | None = None) -> bytes:
    """The .docx bytes of one blank form."""
    labels, site = ctx.labels, ctx.site
    doc = ControlledDocument(site, labels, ctx.titles)
    doc.header(HeaderBlock(form.title, labels["form_no"], form.id, form.revision, form.effective,
                           status_banner(form.status, labels, superseded_by)))
    owner = ctx.title(form.procedure) or ""
    doc.footer(f"{labels['owning_procedure']}：{form.procedure}《{owner}》{form.clause}",
               f"{labels['retention']}：{retention_text(form, labels)}　"
               f"{labels['copies']}：{labels.format('copies_n', n=form.copies)}")
    doc.title(form.title)
    if form.instructions:
        p = doc.paragraph("Table Text")
        set_run_style(p.add_run(f"{labels['instructions']}：{form.instructions}"), size_pt=9, color="404040")
        doc.spacer()
    writer = _FormWriter(doc, labels, ctx.date_format)
    for section in form.sections:
        writer.section(section)
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
    """Lays out sections as bordered tables: label cells and entry cells holding controls."""

    def __init__(self, doc: ControlledDocument, labels: Labels, date_format: str):
        self.doc = doc
        self.labels = labels
        self.date_format = date_format
        self.ids = controls.ControlIds()

    def section(self, section: Section) -> None:
        rows = self._rows(section)
        if rows:
            table = self.doc.grid(len(rows) + (1 if section.title else 0), 4, COLUMNS)
            r = 0
            if section.title:
                cell = span_columns(table.table, 0, 0, 3)
                self.doc.cell_text(cell, section.title, bold=True)
                tables.shade(cell, HEADER_FILL)
                r = 1
            for row in rows:
                self._row(table, r, row)
                r += 1
        for f in section.fields:
            if f.type == FieldType.TABLE:
                self._repeating(f)
        self.doc.spacer()

    @staticmethod
    def _rows(section: Section) -> list[list[Field]]:
        """Pair consecutive half-width fields; everything else takes a row of its own."""
        rows: list[list[Field]] = []
        pending: Field | None = None
        for f in section.fields:
            if f.type == FieldType.TABLE:
                continue
            half = f.width == "half" and f.type not in (FieldType.SIGNATURE, FieldType.MULTILINE, FieldType.MULTICHOICE)
            if half and pending is not None:
                rows.append([pending, f])
                pending = None
            elif half:
                pending = f
            else:
                if pending is not None:
                    rows.append([pending])
                    pending = None
                rows.append([f])
        if pending is not None:
            rows.append([pending])
        return rows

    def _label(self, cell: _Cell, f: Field) -> None:
        text = f.label + (" *" if f.required else "")
        self.doc.cell_text(cell, text, bold=False)
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
            tables.row_height(table.rows[r], 560)
            return
        if len(row) == 2:
            for k, field in enumerate(row):
                self._label(table.cell(r, 2 * k), field)
                self._entry(table.cell(r, 2 * k + 1), field)
        else:
            self._label(table.cell(r, 0), f)
            self._entry(span_columns(table.table, r, 1, 3), f)
        height = MULTILINE_HEIGHT if f.type == FieldType.MULTILINE else ENTRY_HEIGHT
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
        elif kind == FieldType.CHECKBOX:
            controls.add_checkbox_control(p, self.ids, tag, title)
            p.add_run(" " + self.labels["checkbox_yes"])
        elif kind == FieldType.CHOICE:
            controls.add_dropdown_control(p, self.ids, tag, title, [(o.value, o.label) for o in f.options])
            hint = p.add_run("　（" + "／".join(o.label for o in f.options) + "）")
            set_run_style(hint, size_pt=8, color="666666")
        elif kind == FieldType.MULTICHOICE:
            for k, option in enumerate(f.options):
                if k:
                    p.add_run("　")
                controls.add_checkbox_control(p, self.ids, f"{tag}.{option.value}", f"{title}：{option.label}")
                p.add_run(" " + option.label)
        else:
            controls.add_text_control(p, self.ids, tag, title, multiline=kind == FieldType.MULTILINE)
            if kind in (FieldType.NUMBER, FieldType.MONEY) and f.unit:
                unit = p.add_run(f" {f.unit}")
                set_run_style(unit, size_pt=9, color="666666")
        if f.help:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT

    def _repeating(self, f: Field) -> None:
        """A repeating table: caption, header row repeated on each page, empty entry rows."""
        self.doc.caption(f.label + (" *" if f.required else ""))
        n = len(f.columns)
        fractions = [0.08] + [0.92 / n] * n
        table = self.doc.grid(1 + f.rows, n + 1, fractions)
        self.doc.cell_text(table.cell(0, 0), self.labels["row_no"], centre=True)
        tables.shade(table.cell(0, 0), HEADER_FILL)
        for c, col in enumerate(f.columns, start=1):
            self.doc.cell_text(table.cell(0, c), col.label, centre=True)
            tables.shade(table.cell(0, c), HEADER_FILL)
        tables.repeat_as_header(table.rows[0])
        for r in range(1, f.rows + 1):
            self.doc.cell_text(table.cell(r, 0), str(r), centre=True)
            for c, col in enumerate(f.columns, start=1):
                self._entry(table.cell(r, c), col, tag=f"{f.id}.{r}.{col.id}",
                            title=f"{f.label} {r}：{col.label}")
            tables.row_height(table.rows[r], ENTRY_HEIGHT)
