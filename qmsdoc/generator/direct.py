"""A controlled document written straight as WordprocessingML: procedures and blank forms.

`ControlledDocument` lays a document out through python-docx, which other documents (the check
report, the register, redlines) build on. Procedures and forms, the documents `build` makes by
the hundred, are laid out here instead, in the same domain terms and to the same layout, but
through the prepared package of their look (`ooxml.skeleton`) and plain elements (`ooxml.wordml`),
about ten times faster. The bytes are those `ControlledDocument` writes for the same calls:
`tests/generator/test_direct.py` renders every bundled document both ways and compares them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Unpack

from qmsdoc.generator.document import (
    BANNER_COLOUR,
    CELL_MARGIN_TWIPS,
    HEADER_FILL,
    PAPER_TWIPS,
    SIGNATURE_DETAIL_PT,
    TWIPS_PER_MM,
    ControlledDocument,
    HeaderBlock,
)
from qmsdoc.generator.ooxml import controls, package, signatures, wordml
from qmsdoc.generator.ooxml.controls import ControlIds
from qmsdoc.generator.ooxml.numbering import NumberingBuilder
from qmsdoc.generator.ooxml.skeleton import Skeleton, fill_core_properties
from qmsdoc.generator.ooxml.styles import REF_CODE_STYLE, STYLE_IDS, TABLE_TEXT_STYLE
from qmsdoc.generator.ooxml.wordml import Element, Table
from qmsdoc.generator.typography import fit_title
from qmsdoc.model.body import Block, Heading, Inline, ListBlock, ListItem, Numbering, Ref, Text
from qmsdoc.model.body import Paragraph as BodyParagraph
from qmsdoc.model.body import Table as BodyTable
from qmsdoc.model.documents import HistoryEntry, Signoff
from qmsdoc.model.labels import Labels
from qmsdoc.model.signatures import MEANINGS, Manifestation
from qmsdoc.model.site import SiteConfig

_TABLE_TEXT = STYLE_IDS[TABLE_TEXT_STYLE]
_SKELETONS: dict[tuple[object, ...], Skeleton] = {}
"""Prepared skeletons by look, for the life of the process (see `skeleton_for`)."""


def skeleton_for(site: SiteConfig, labels: Labels, *, landscape: bool, manifest: bool) -> Skeleton:
    """The package skeleton of a look: made the first time it is asked for in a process (one
    body-less document through `ControlledDocument`, about one python-docx document's time),
    then reused. It depends only on the fonts, paper, margins and orientation."""
    key = (site.body_font, site.heading_font, site.paper, site.margins, landscape, manifest)
    skeleton = _SKELETONS.get(key)
    if skeleton is None:
        doc = ControlledDocument(site, labels, {}, landscape=landscape)
        section = doc.doc.sections[0]
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        day = dt.date(2000, 1, 1)
        doc.properties(title="", identifier="", version="", status="", language="", author="",
                       created=day, modified=day)
        if manifest:
            doc.manifest({"kind": ""})
        skeleton = _SKELETONS[key] = Skeleton(doc.to_bytes(), manifest)
    return skeleton


def prepare(site: SiteConfig, labels: Labels) -> None:
    """Prepare the skeletons of the site's looks now (before worker processes are forked, so
    they share them instead of each making its own): procedures (portrait, no manifest) and
    forms (either way round, with their manifest)."""
    for landscape, manifest in ((False, False), (False, True), (True, True)):
        skeleton_for(site, labels, landscape=landscape, manifest=manifest)


class DirectDocument:
    """Builds one procedure or blank form; call the domain methods in reading order, then `to_bytes()`.

    The methods are `ControlledDocument`'s; cells and paragraphs are `wordml.Element`s."""

    def __init__(self, site: SiteConfig, labels: Labels, titles: Mapping[str, str], *, landscape: bool = False,
                 manifest: bool = False):
        self.site = site
        self.labels = labels
        self.titles = titles
        self._skeleton = skeleton_for(site, labels, landscape=landscape, manifest=manifest)
        self._parts = self._skeleton.parts()
        self._body = self._parts.document[0]
        self._sect_pr = self._body[-1]
        self._body.remove(self._sect_pr)
        self._numbering = NumberingBuilder(self._parts.numbering)
        self._manifest: dict[str, str] | None = None
        width = PAPER_TWIPS[site.paper][1 if landscape else 0]
        m = site.margins
        self.content_width = width - round((m.left + m.right) * TWIPS_PER_MM)
        self.first_line_twips = round(site.body_font.size_pt * 2 * 20)

    # -- page ---------------------------------------------------------------------------
    def header(self, block: HeaderBlock) -> None:
        """The header table on every page: organisation, title, code, revision, date, page X of Y."""
        hdr = self._parts.header
        w = self.content_width
        widths = [round(w * 0.46), round(w * 0.18), w - round(w * 0.46) - round(w * 0.18)]
        table = Table(hdr, 4, widths, top_bottom_twips=20, keep_rows=False)
        hdr.insert(0, table.tbl)  # the table first, the (banner) paragraph after it
        self.cell_text(table.cell(0, 0), self.site.organisation, bold=True, size=10.5, centre=True)
        title = table.merge_down(0, 1, 3)
        size, text = fit_title(block.title, widths[0] - 2 * CELL_MARGIN_TWIPS)
        self.cell_text(title, text, bold=True, size=size, centre=True, east_asian=self.site.heading_font.east_asian)
        effective = block.effective.isoformat() if block.effective else "—"
        rows = list(block.rows or ((block.code_label, block.code), (self.labels["revision"], block.revision),
                                   (self.labels["effective_date"], effective)))
        for r, (label, value) in enumerate(rows):
            self.cell_text(table.cell(r, 1), label, size=9, centre=True)
            wordml.shade(table.cell(r, 1), HEADER_FILL)
            self.cell_text(table.cell(r, 2), value, size=9, centre=True)
        label_cell = table.span(3, 1, 2)
        self._page_of(wordml.cell_paragraph(label_cell))
        for r in range(4):
            for c in range(3):
                if r < 3 or c < 2:  # (3, 2) went into the span
                    wordml.valign(table.cell(r, c))
        banner = hdr[-1]
        wordml.align(banner, "center")
        if block.banner:
            wordml.style_run(wordml.run(banner, block.banner), bold=True, size_pt=12, color=BANNER_COLOUR,
                             east_asian=self.site.heading_font.east_asian)
        else:
            wordml.style_run(wordml.run(banner), size_pt=4)

    def _page_of(self, p: Element) -> None:
        wordml.align(p, "center")
        wordml.set_style(p, _TABLE_TEXT)
        text = self.labels["page_of"]
        before, _, rest = text.partition("{page}")
        middle, _, after = rest.partition("{pages}")
        for piece, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
            if piece:
                wordml.style_run(wordml.run(p, piece), size_pt=9)
            if field:
                wordml.add_field(p, field, "1")
        wordml.size_bare_runs(p, 9)

    def footer(self, left: str, right: str = "") -> None:
        p = self._parts.footer[0]
        wordml.align(p, "center")
        text = left + ("　　" + right if right else "")
        wordml.style_run(wordml.run(p, text), size_pt=9, color="404040")

    # -- first page ---------------------------------------------------------------------
    def title(self, text: str) -> None:
        wordml.run(self.paragraph("Title"), text)

    def approval_block(self, prepared: Signoff | None, reviewed: Signoff | None,
                       approved: Signoff | None) -> None:
        """编制 / 审核 / 批准 with names and dates."""
        lab = self.labels
        table = self.grid(3, 4, [0.16, 0.28, 0.28, 0.28])
        heads = ["", lab["prepared"], lab["reviewed"], lab["approved"]]
        people = [prepared, reviewed, approved]
        for c, head in enumerate(heads):
            self.cell_text(table.cell(0, c), head, bold=True, centre=True)
            wordml.shade(table.cell(0, c), HEADER_FILL)
        self.cell_text(table.cell(1, 0), lab["name"], bold=True, centre=True)
        self.cell_text(table.cell(2, 0), lab["date"], bold=True, centre=True)
        for c, person in enumerate(people, start=1):
            self.cell_text(table.cell(1, c), person.name if person else "", centre=True)
            self.cell_text(table.cell(2, c), person.date.isoformat() if person else "", centre=True)
        self.spacer()

    def signature_block(self, approvals: Mapping[str, Manifestation | None]) -> None:
        """编制 / 审核 / 批准 as electronic signatures, as `ControlledDocument.signature_block`."""
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
                p = wordml.cell_paragraph(table.cell(r, c))
                wordml.align(p, "center")
                run = wordml.run(p, text)
                wordml.style_run(run, size_pt=size)
                wordml.locked_text_control(run, signatures.signature_tag(meaning, field),
                                           f"{lab[meaning]} · {label}", ids.next())
        note = self.paragraph(TABLE_TEXT_STYLE)
        wordml.spacing(note, (("before", "40"),))
        wordml.style_run(wordml.run(note, lab["signature_note"]), size_pt=SIGNATURE_DETAIL_PT, color="404040")
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
        wordml.spacing(p, (("before", "60"), ("after", "0")))
        wordml.style_run(wordml.run(p, text), bold=True, east_asian=self.site.heading_font.east_asian)
        wordml.shade_paragraph(p, fill)
        wordml.keep_with_next(p)

    def end(self) -> None:
        """The paragraph a document must end with after a table: one point high."""
        p = self.paragraph(TABLE_TEXT_STYLE)
        wordml.spacing(p, (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")))
        wordml.style_run(wordml.run(p), size_pt=1)

    def caption(self, text: str) -> None:
        p = self.paragraph(TABLE_TEXT_STYLE)
        wordml.spacing(p, (("before", "120"),))
        wordml.style_run(wordml.run(p, text), bold=True, east_asian=self.site.heading_font.east_asian)
        wordml.keep_with_next(p)

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
                wordml.set_style(p, STYLE_IDS["List Bullet"])
                wordml.set_indent(p, left_twips=self.first_line_twips * (item.depth + 1), hanging_twips=360)
        else:
            rest = [first, *rest]
        self.blocks(rest)

    def _number(self, p: Element, numbering: Numbering | None, heading: bool) -> None:
        if numbering is None:
            return
        num_id = self._numbering.num_id(
            numbering.key, numbering.formats, numbering.start,
            heading=numbering.key == "headings", first_line_twips=self.first_line_twips)
        wordml.set_numbering(p, num_id, numbering.level)
        if numbering.key == "headings" and not heading:
            wordml.set_indent(p, first_line_twips=0)

    def _body_table(self, block: BodyTable) -> None:
        cols = max(len(block.header), *(len(r) for r in block.rows)) if block.rows else len(block.header)
        table = self.grid(1 + len(block.rows), cols, [1 / cols] * cols)
        for c, cell in enumerate(block.header):
            target = table.cell(0, c)
            self._inlines(wordml.cell_paragraph(target), cell, bold=True)
            wordml.shade(target, HEADER_FILL)
        wordml.repeat_as_header(table.rows[0])
        for r, row in enumerate(block.rows, start=1):
            for c, cell in enumerate(row):
                self._inlines(wordml.cell_paragraph(table.cell(r, c)), cell)
        self.spacer()

    def _inlines(self, p: Element, inlines: Sequence[Inline], bold: bool = False) -> None:
        for inline in inlines:
            if isinstance(inline, Text):
                wordml.emphasis(wordml.run(p, inline.text), inline.bold or bold, inline.italic)
            elif isinstance(inline, Ref):
                title = self.titles.get(inline.target, inline.target)
                wordml.run(p, inline.shown if inline.shown else f"《{title}》")
                wordml.run_style(wordml.run(p, f"（{inline.target}）"), STYLE_IDS[REF_CODE_STYLE])

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

    # -- blank-form entries (the calls `generator.form` makes; `ControlledDocument` has the same) ----
    def note(self, text: str) -> None:
        """A small grey paragraph above the form (填写说明)."""
        p = self.paragraph("Table Text")
        wordml.style_run(wordml.run(p, text), size_pt=9, color="404040")
        wordml.spacing(p, (("after", "80"),))

    @staticmethod
    def shade(cell: Element, fill: str) -> None:
        wordml.shade(cell, fill)

    @staticmethod
    def row_height(table: Table, r: int, twips: int) -> None:
        wordml.row_height(table.rows[r], twips)

    @staticmethod
    def span(table: Table, r: int, first: int, last: int) -> Element:
        return table.span(r, first, last)

    @staticmethod
    def repeat_header(table: Table) -> None:
        wordml.repeat_as_header(table.rows[0])

    def entry_paragraph(self, cell: Element, style_name: str) -> Element:
        p = wordml.cell_paragraph(cell)
        self.style(p, style_name)
        return p

    @staticmethod
    def date_control(p: Element, ids: controls.ControlIds, tag: str, title: str, date_format: str) -> None:
        wordml.date_control(p, tag, title, ids.next(), controls.BLANK, date_format)

    @staticmethod
    def text_control(p: Element, ids: controls.ControlIds, tag: str, title: str, *, multiline: bool) -> None:
        wordml.text_control(p, tag, title, ids.next(), controls.BLANK, multiline=multiline)

    @staticmethod
    def checkbox_control(p: Element, ids: controls.ControlIds, tag: str, title: str) -> None:
        wordml.checkbox_control(p, tag, title, ids.next(), controls.CHECKED, controls.UNCHECKED,
                                controls.CHECKBOX_FONT)

    @staticmethod
    def text_run(p: Element, text: str, *, size_pt: float | None = None, color: str | None = None) -> None:
        run = wordml.run(p, text)
        if size_pt is not None or color is not None:
            wordml.style_run(run, size_pt=size_pt, color=color)

    @staticmethod
    def align_left(p: Element) -> None:
        wordml.align(p, "left")

    # -- helpers ------------------------------------------------------------------------
    def paragraph(self, style_name: str) -> Element:
        """A new body paragraph in the named style."""
        return wordml.paragraph(self._body, STYLE_IDS[style_name])

    @staticmethod
    def style(p: Element, style_name: str) -> None:
        wordml.set_style(p, STYLE_IDS[style_name])

    def grid(self, rows: int, cols: int, fractions: Sequence[float]) -> Table:
        widths = [round(self.content_width * f) for f in fractions]
        widths[-1] = self.content_width - sum(widths[:-1])
        return Table(self._body, rows, widths, cell_style=_TABLE_TEXT, centre_cells=True)

    def head_row(self, table: Table, heads: Sequence[str], *, size: float | None = None) -> None:
        """The first row as column heads: bold, centred, shaded, repeated on every page."""
        for c, head in enumerate(heads):
            self.cell_text(table.cell(0, c), head, bold=True, centre=True, size=size)
            wordml.shade(table.cell(0, c), HEADER_FILL)
        wordml.repeat_as_header(table.rows[0])

    def cell_text(self, cell: Element, text: str, *, bold: bool = False, size: float | None = None,
                  centre: bool = False, east_asian: str | None = None) -> None:
        p = wordml.cell_paragraph(cell)
        wordml.set_style(p, _TABLE_TEXT)
        if centre:
            wordml.align(p, "center")
        lines = text.split("\n")
        for k, line in enumerate(lines):
            run = wordml.run(p, line)
            if k < len(lines) - 1:
                wordml.line_break(run)
            wordml.style_run(run, bold=bold or None, size_pt=size,
                             east_asian=east_asian or (self.site.heading_font.east_asian if bold else None))

    def spacer(self) -> None:
        wordml.spacing(self.paragraph(TABLE_TEXT_STYLE), (("after", "120"),))

    # -- package ------------------------------------------------------------------------
    def properties(self, **kwargs: Unpack[package.CoreProperties]) -> None:
        fill_core_properties(self._parts.core, **kwargs)

    def manifest(self, attributes: dict[str, str]) -> None:
        self._manifest = dict(attributes)

    def to_bytes(self) -> bytes:
        self._body.append(self._sect_pr)
        try:
            return self._skeleton.write(self._parts, self.site.organisation, self._manifest)
        finally:
            self._body.remove(self._sect_pr)
