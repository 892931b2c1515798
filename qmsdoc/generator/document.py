"""A controlled Word document in domain terms: header block, approvals, history, body, footer.

Procedures and blank forms are both written through `ControlledDocument`, so they share one
layout: the same header on every page, the same footer, the same fonts and page size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Unpack

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from qmsdoc.generator.ooxml import clone, controls, package, signatures, tables
from qmsdoc.generator.ooxml.controls import ControlIds
from qmsdoc.generator.ooxml.merge import span_columns
from qmsdoc.generator.ooxml.numbering import NumberingBuilder
from qmsdoc.generator.ooxml.styles import REF_CODE_STYLE, STYLE_IDS, TABLE_TEXT_STYLE, StyleSheet, use_styles
from qmsdoc.generator.ooxml.tables import Grid
from qmsdoc.generator.ooxml.text import (
    add_field,
    keep_with_next,
    set_indent,
    set_numbering,
    set_run_style,
    shade_paragraph,
    size_bare_runs,
    use_run_style,
    use_style,
)
from qmsdoc.generator.typography import fit_title
from qmsdoc.model.body import (
    Block,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Numbering,
    Ref,
    Text,
)
from qmsdoc.model.body import (
    Paragraph as BodyParagraph,
)
from qmsdoc.model.body import (
    Table as BodyTable,
)
from qmsdoc.model.documents import HistoryEntry, Signoff
from qmsdoc.model.labels import Labels
from qmsdoc.model.signatures import MEANINGS, Manifestation
from qmsdoc.model.site import SiteConfig

PAPER_TWIPS = {"A4": (11906, 16838), "Letter": (12240, 15840)}
TWIPS_PER_MM = 56.6929
BANNER_COLOUR = "C00000"
CELL_MARGIN_TWIPS = 80
"""The left and right margin of a table cell (`tables.set_cell_margins`)."""
HEADER_FILL = "F2F2F2"
SIGNATURE_DETAIL_PT = 9
"""The size of the signing times, verification codes and the note under the signatures."""


@dataclass(frozen=True)
class HeaderBlock:
    """What the header shows on every page."""

    title: str
    code_label: str
    code: str
    revision: str
    effective: dt.date | None
    banner: str | None
    rows: tuple[tuple[str, str], ...] | None = None
    """Three (label, value) pairs shown instead of code, revision and effective date (a register)."""


class ControlledDocument:
    """Builds one controlled document; call the domain methods in reading order, then `to_bytes()`."""

    def __init__(self, site: SiteConfig, labels: Labels, titles: Mapping[str, str], *, landscape: bool = False,
                 manifest: bool = False):
        """`manifest`: accepted as `DirectDocument` takes it; here `manifest()` adds the part when called."""
        self.site = site
        self.landscape = landscape
        self.labels = labels
        self.titles = titles  # id → title, for references
        self.doc = docx.Document()
        package.prune_template(self.doc)
        self._latin_lang = "en-US"
        sheet = StyleSheet(site.body_font.east_asian, site.body_font.latin, site.body_font.size_pt,
                           site.heading_font.east_asian, site.heading_font.latin, self._latin_lang)
        use_styles(self.doc, sheet)
        package.configure_settings(self.doc, self._latin_lang)
        self._numbering = NumberingBuilder(self.doc)
        package.clear_body(self.doc)
        self._setup_page()
        self.first_line_twips = round(site.body_font.size_pt * 2 * 20)

    # -- page ---------------------------------------------------------------------------
    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        width, height = PAPER_TWIPS[self.site.paper]
        if self.landscape:
            width, height = height, width
            section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(width), Twips(height)
        m = self.site.margins
        section.top_margin = Twips(round(m.top * TWIPS_PER_MM))
        section.bottom_margin = Twips(round(m.bottom * TWIPS_PER_MM))
        section.left_margin = Twips(round(m.left * TWIPS_PER_MM))
        section.right_margin = Twips(round(m.right * TWIPS_PER_MM))
        section.header_distance = Twips(round(10 * TWIPS_PER_MM))
        section.footer_distance = Twips(round(8 * TWIPS_PER_MM))
        section.start_type = WD_SECTION.NEW_PAGE
        self.content_width = width - round((m.left + m.right) * TWIPS_PER_MM)

    def header(self, block: HeaderBlock) -> None:
        """The header table on every page: organisation, title, code, revision, date, page X of Y."""
        header = self.doc.sections[0].header
        header.is_linked_to_previous = False
        w = self.content_width
        widths = [round(w * 0.46), round(w * 0.18), w - round(w * 0.46) - round(w * 0.18)]
        raw_table = tables.add_header_table(header, 4, 3, w)  # the table first, the (banner) paragraph after it
        table = Grid(raw_table)
        tables.set_borders(raw_table)
        tables.set_fixed_widths(raw_table, widths)
        tables.set_cell_margins(raw_table, top_twips=20, bottom_twips=20)
        raw_table.alignment = WD_TABLE_ALIGNMENT.CENTER
        org = table.cell(0, 0)
        self.cell_text(org, self.site.organisation, bold=True, size=10.5, centre=True)
        title = table.cell(1, 0).merge(table.cell(3, 0))
        size, text = fit_title(block.title, widths[0] - 2 * CELL_MARGIN_TWIPS)
        self.cell_text(title, text, bold=True, size=size, centre=True, east_asian=self.site.heading_font.east_asian)
        effective = block.effective.isoformat() if block.effective else "—"
        rows = list(block.rows or ((block.code_label, block.code), (self.labels["revision"], block.revision),
                                   (self.labels["effective_date"], effective)))
        for r, (label, value) in enumerate(rows):
            self.cell_text(table.cell(r, 1), label, size=9, centre=True)
            tables.shade(table.cell(r, 1), HEADER_FILL)
            self.cell_text(table.cell(r, 2), value, size=9, centre=True)
        label_cell = table.cell(3, 1).merge(table.cell(3, 2))
        self._page_of(label_cell.paragraphs[0])
        for r in range(4):
            for c in range(3):
                tables.valign(table.cell(r, c))
        banner = header.paragraphs[-1]
        banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.banner:
            run = banner.add_run(block.banner)
            set_run_style(run, bold=True, size_pt=12, color=BANNER_COLOUR,
                          east_asian=self.site.heading_font.east_asian)
        else:
            set_run_style(banner.add_run(""), size_pt=4)

    def _page_of(self, paragraph: Paragraph) -> None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.style(paragraph, TABLE_TEXT_STYLE)
        text = self.labels["page_of"]
        before, _, rest = text.partition("{page}")
        middle, _, after = rest.partition("{pages}")
        for piece, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
            if piece:
                set_run_style(paragraph.add_run(piece), size_pt=9)
            if field:
                add_field(paragraph, field, "1")
        size_bare_runs(paragraph, 9)

    def footer(self, left: str, right: str = "") -> None:
        footer = self.doc.sections[0].footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = left + ("　　" + right if right else "")
        set_run_style(p.add_run(text), size_pt=9, color="404040")

    # -- first page ---------------------------------------------------------------------
    def title(self, text: str) -> None:
        self.paragraph("Title").add_run(text)

    def approval_block(self, prepared: Signoff | None, reviewed: Signoff | None,
                       approved: Signoff | None) -> None:
        """编制 / 审核 / 批准 with names and dates."""
        lab = self.labels
        table = self.grid(3, 4, [0.16, 0.28, 0.28, 0.28])
        heads = ["", lab["prepared"], lab["reviewed"], lab["approved"]]
        people = [prepared, reviewed, approved]
        for c, head in enumerate(heads):
            self.cell_text(table.cell(0, c), head, bold=True, centre=True)
            tables.shade(table.cell(0, c), HEADER_FILL)
        self.cell_text(table.cell(1, 0), lab["name"], bold=True, centre=True)
        self.cell_text(table.cell(2, 0), lab["date"], bold=True, centre=True)
        for c, person in enumerate(people, start=1):
            self.cell_text(table.cell(1, c), person.name if person else "", centre=True)
            self.cell_text(table.cell(2, c), person.date.isoformat() if person else "", centre=True)
        self.spacer()

    def signature_block(self, approvals: Mapping[str, Manifestation | None]) -> None:
        """编制 / 审核 / 批准 as electronic signatures (21 CFR 11.50): per meaning, the printed name,
        the date and time with its offset and the verification code, each in its own locked
        control (`ooxml.signatures`), empty for a meaning not signed yet. The controls are the same
        whether signed or not, so showing the signatures leaves the signing digest as it was."""
        lab = self.labels
        table = self.grid(4, 4, [0.19, 0.27, 0.27, 0.27])
        self.head_row(table, [lab["signature_meaning"], *(lab[m] for m in MEANINGS)])
        rows = (("name", lab["name"], None), ("time", lab["signed_at"], SIGNATURE_DETAIL_PT),
                ("code", lab["verification_code"], SIGNATURE_DETAIL_PT))
        ids = ControlIds()
        for r, (field, label, size) in enumerate(rows, start=1):
            self.cell_text(table.cell(r, 0), label, bold=True, centre=True)
            for c, meaning in enumerate(MEANINGS, start=1):
                shown = approvals.get(meaning)
                text = "" if shown is None else {"name": shown.name, "time": shown.signed_at, "code": shown.code}[field]
                p = table.cell(r, c).paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = p.add_run(text)
                set_run_style(run, size_pt=size)
                signatures.wrap_in_control(run, signatures.signature_tag(meaning, field),
                                           f"{lab[meaning]} · {label}", ids.next())
        note = self.paragraph(TABLE_TEXT_STYLE)
        note.paragraph_format.space_before = Pt(2)
        set_run_style(note.add_run(lab["signature_note"]), size_pt=SIGNATURE_DETAIL_PT, color="404040")
        self.spacer()

    def history(self, entries: Sequence[HistoryEntry]) -> None:
        """The revision history table (修订记录), header row repeated across pages."""
        lab = self.labels
        self.caption(lab["revision_history"])
        table = self.grid(1 + len(entries), 4, [0.12, 0.16, 0.56, 0.16])
        self.head_row(table, (lab["history_revision"], lab["history_date"], lab["history_description"],
                              lab["history_by"]))
        for r, entry in enumerate(entries, start=1):
            self.cell_text(table.cell(r, 0), entry.revision, centre=True)
            self.cell_text(table.cell(r, 1), entry.date.isoformat(), centre=True)
            self.cell_text(table.cell(r, 2), entry.description)
            self.cell_text(table.cell(r, 3), entry.by, centre=True)
        self.spacer()

    def section_bar(self, text: str, fill: str) -> None:
        """A form section's title: a shaded, bordered bar kept with what follows it."""
        p = self.paragraph(TABLE_TEXT_STYLE)
        p.paragraph_format.space_before = Pt(3)
        p.paragraph_format.space_after = Pt(0)
        set_run_style(p.add_run(text), bold=True, east_asian=self.site.heading_font.east_asian)
        shade_paragraph(p, fill)
        keep_with_next(p)

    def end(self) -> None:
        """The paragraph a document must end with after a table: one point high, so it never
        starts a page of its own."""
        p = self.paragraph(TABLE_TEXT_STYLE)
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = Pt(1)
        set_run_style(p.add_run(""), size_pt=1)

    def caption(self, text: str) -> None:
        p = self.paragraph(TABLE_TEXT_STYLE)
        p.paragraph_format.space_before = Pt(6)
        set_run_style(p.add_run(text), bold=True, east_asian=self.site.heading_font.east_asian)
        keep_with_next(p)

    # -- body ---------------------------------------------------------------------------
    def blocks(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                p = self.paragraph(f"Heading {min(block.level, 4)}")
                self._inlines(p, block.inlines)
                self._number(p, block.numbering, heading=True)
            elif isinstance(block, BodyParagraph):
                p = self.paragraph("Body Text")
                self._inlines(p, block.inlines)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    self._list_item(item, block.ordered)
            elif isinstance(block, BodyTable):
                self._body_table(block)

    def _list_item(self, item: ListItem, ordered: bool) -> None:
        first, *rest = item.blocks or (BodyParagraph(()),)
        if isinstance(first, BodyParagraph):
            p = self.paragraph("Body Text")
            self._inlines(p, first.inlines)
            if ordered:
                self._number(p, item.numbering, heading=False)
            else:
                self.bullet(p, item.depth)
        else:
            rest = [first, *rest]
        self.blocks(rest)

    def number(self, p: Paragraph, numbering: Numbering | None, *, heading: bool) -> None:
        """Give a paragraph its clause number (real Word numbering), as the body does."""
        self._number(p, numbering, heading)

    def bullet(self, p: Paragraph, depth: int) -> None:
        """Make a paragraph an item of a bullet list at `depth` (0: top level)."""
        self.style(p, "List Bullet")
        set_indent(p, left_twips=self.first_line_twips * (depth + 1), hanging_twips=360)

    def _number(self, p: Paragraph, numbering: Numbering | None, heading: bool) -> None:
        if numbering is None:
            return
        num_id = self._numbering.num_id(
            numbering.key, numbering.formats, numbering.start,
            heading=numbering.key == "headings", first_line_twips=self.first_line_twips)
        set_numbering(p, num_id, numbering.level)
        if numbering.key == "headings" and not heading:
            set_indent(p, first_line_twips=0)

    def _body_table(self, block: BodyTable) -> None:
        cols = max(len(block.header), *(len(r) for r in block.rows)) if block.rows else len(block.header)
        table = self.grid(1 + len(block.rows), cols, [1 / cols] * cols)
        for c, cell in enumerate(block.header):
            target = table.cell(0, c)
            self._inlines(target.paragraphs[0], cell, bold=True)
            tables.shade(target, HEADER_FILL)
        tables.repeat_as_header(table.rows[0])
        for r, row in enumerate(block.rows, start=1):
            for c, cell in enumerate(row):
                self._inlines(table.cell(r, c).paragraphs[0], cell)
        self.spacer()

    def _inlines(self, p: Paragraph, inlines: Sequence[Inline], bold: bool = False) -> None:
        for inline in inlines:
            if isinstance(inline, Text):
                run = p.add_run(inline.text)
                run.bold = inline.bold or bold or None
                run.italic = inline.italic or None
            elif isinstance(inline, Ref):
                title = self.titles.get(inline.target, inline.target)
                p.add_run(inline.shown if inline.shown else f"《{title}》")
                use_run_style(p.add_run(f"（{inline.target}）"), STYLE_IDS[REF_CODE_STYLE])

    # -- lists of documents -------------------------------------------------------------
    def document_list(self, caption: str, heads: tuple[str, str], rows: Sequence[tuple[str, str]]) -> None:
        """A two-column table of codes and titles (the forms of a procedure, related documents)."""
        if not rows:
            return
        self.caption(caption)
        table = self.grid(1 + len(rows), 2, [0.3, 0.7])
        self.head_row(table, heads)
        for r, (code, title) in enumerate(rows, start=1):
            self.cell_text(table.cell(r, 0), code)
            self.cell_text(table.cell(r, 1), title)
        self.spacer()

    # -- blank-form entries (the calls `generator.form` makes; `DirectDocument` has the same) ----
    def note(self, text: str) -> None:
        """A small grey paragraph above the form (填写说明)."""
        p = self.paragraph("Table Text")
        set_run_style(p.add_run(text), size_pt=9, color="404040")
        p.paragraph_format.space_after = Pt(4)

    @staticmethod
    def shade(cell: _Cell, fill: str) -> None:
        tables.shade(cell, fill)

    @staticmethod
    def row_height(table: Grid, r: int, twips: int) -> None:
        tables.row_height(table.rows[r], twips)

    @staticmethod
    def span(table: Grid, r: int, first: int, last: int) -> _Cell:
        return span_columns(table.table, r, first, last)

    @staticmethod
    def repeat_header(table: Grid) -> None:
        tables.repeat_as_header(table.rows[0])

    def entry_paragraph(self, cell: _Cell, style_name: str) -> Paragraph:
        p = cell.paragraphs[0]
        self.style(p, style_name)
        return p

    @staticmethod
    def date_control(p: Paragraph, ids: ControlIds, tag: str, title: str, date_format: str) -> None:
        controls.add_date_control(p, ids, tag, title, date_format)

    @staticmethod
    def text_control(p: Paragraph, ids: ControlIds, tag: str, title: str, *, multiline: bool) -> None:
        controls.add_text_control(p, ids, tag, title, multiline=multiline)

    @staticmethod
    def checkbox_control(p: Paragraph, ids: ControlIds, tag: str, title: str) -> None:
        controls.add_checkbox_control(p, ids, tag, title)

    @staticmethod
    def text_run(p: Paragraph, text: str, *, size_pt: float | None = None, color: str | None = None) -> None:
        run = p.add_run(text)
        if size_pt is not None or color is not None:
            set_run_style(run, size_pt=size_pt, color=color)

    @staticmethod
    def align_left(p: Paragraph) -> None:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT

    # -- helpers ------------------------------------------------------------------------
    def paragraph(self, style_name: str) -> Paragraph:
        """A new body paragraph in the named style."""
        p = self.doc.add_paragraph()
        use_style(p, STYLE_IDS[style_name])
        return p

    @staticmethod
    def style(p: Paragraph, style_name: str) -> None:
        use_style(p, STYLE_IDS[style_name])

    def grid(self, rows: int, cols: int, fractions: Sequence[float]) -> Grid:
        table = self.doc.add_table(rows=rows, cols=cols)
        widths = [round(self.content_width * f) for f in fractions]
        widths[-1] = self.content_width - sum(widths[:-1])
        tables.set_borders(table)
        tables.set_fixed_widths(table, widths)
        tables.set_cell_margins(table)
        tables.centre_table(table)
        grid = Grid(table)
        for r, row in enumerate(table.rows):
            tables.keep_row_together(row)
            for c in range(cols):
                cell = grid.cell(r, c)
                self.style(cell.paragraphs[0], TABLE_TEXT_STYLE)
                tables.valign(cell)
        return grid

    def head_row(self, table: Grid, heads: Sequence[str], *, size: float | None = None) -> None:
        """The first row as column heads: bold, centred, shaded, repeated on every page."""
        for c, head in enumerate(heads):
            self.cell_text(table.cell(0, c), head, bold=True, centre=True, size=size)
            tables.shade(table.cell(0, c), HEADER_FILL)
        tables.repeat_as_header(table.rows[0])

    def cell_text(self, cell: _Cell, text: str, *, bold: bool = False, size: float | None = None,
                   centre: bool = False, east_asian: str | None = None) -> None:
        p = cell.paragraphs[0]
        self.style(p, TABLE_TEXT_STYLE)
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        lines = text.split("\n")
        for k, line in enumerate(lines):
            run = p.add_run(line)
            if k < len(lines) - 1:
                run.add_break()
            set_run_style(run, bold=bold or None, size_pt=size,
                          east_asian=east_asian or (self.site.heading_font.east_asian if bold else None))

    def spacer(self) -> None:
        p = self.paragraph(TABLE_TEXT_STYLE)
        p.paragraph_format.space_after = Pt(6)

    # -- package ------------------------------------------------------------------------
    def properties(self, **kwargs: Unpack[package.CoreProperties]) -> None:
        package.set_core_properties(self.doc, **kwargs)
        package.set_app_properties(self.doc, self.site.organisation)

    def manifest(self, attributes: dict[str, str]) -> None:
        package.add_manifest(self.doc, attributes)

    def to_bytes(self) -> bytes:
        return package.save_reproducible(self.doc)

    def mark_stream_point(self) -> None:
        """Where `to_bytes_streamed` writes its blocks: the end of the body as it is now."""
        clone.splice_point(self.doc)

    def to_bytes_streamed(self, blocks: Iterable[bytes]) -> bytes:
        """The .docx bytes with `blocks` (serialised body content, e.g. from `clone.Template.render`)
        written at the stream point as they come, so a long document is never held whole."""
        return clone.save_streamed(self.doc, blocks)
