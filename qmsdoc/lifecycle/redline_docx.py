"""A redline as a Word document with native tracked changes, laid out like the procedure itself.

The header, footer, approval block and revision history are the new revision's (its new
history entries shown as inserted rows); the body is the new revision with every edit from
the old one as a w:ins / w:del by the author of the new revision's history entry, on its
date. A whole paragraph added or removed has its paragraph mark marked too, so accepting
or rejecting it leaves no empty paragraph. An edited table is one table with its edited cells
marked and its rows added or removed marked as such (with a column added or removed, the old
table is deleted whole and the new one inserted). A deleted numbered clause keeps its numbering in
the list it stood in, as Word records a deletion made with tracking on. The header banner says on
every page that this is a comparison copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.text.paragraph import Paragraph as DocxParagraph

from qmsdoc.generator.document import HEADER_FILL, ControlledDocument, HeaderBlock
from qmsdoc.generator.ooxml import tables
from qmsdoc.generator.ooxml.styles import REF_CODE_STYLE, STYLE_IDS, TABLE_TEXT_STYLE
from qmsdoc.generator.ooxml.text import use_run_style
from qmsdoc.generator.ooxml.tracked import DEL, INS, RevisionMarks
from qmsdoc.generator.procedure import titles
from qmsdoc.lifecycle.redline import (
    CHANGED,
    DELETED,
    EQUAL,
    INSERTED,
    PLAIN,
    Change,
    RowChange,
    Segment,
    Unit,
    char_diff,
    same_columns,
    table_rows,
)
from qmsdoc.model.body import Numbering
from qmsdoc.model.documents import Form, HistoryEntry, Procedure
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

MARKS = {INSERTED: INS, DELETED: DEL}
OPS: dict[str, str | None] = {EQUAL: None, **MARKS}


def redline_docx(project: Project, old: Procedure | Form, new: Procedure | Form, changes: list[Change],
                 labels: Labels, author: str, date: dt.date) -> bytes:
    """The .docx bytes of the comparison of `old` and `new`."""
    marks = RevisionMarks(author, date)
    names = titles(project)
    doc = ControlledDocument(project.site, labels, names)
    code_label = labels["document_no"] if isinstance(new, Procedure) else labels["form_no"]
    banner = labels.format("redline_banner", old=old.revision, new=new.revision)
    doc.header(HeaderBlock(new.title, code_label, new.id, f"{old.revision} → {new.revision}", new.effective, banner))
    if isinstance(new, Procedure):
        doc.footer(banner, f"{labels['owner']}：{new.owner}")
    else:
        doc.footer(banner, f"{labels['owning_procedure']}：{new.procedure}")
    _title(doc, marks, old.title, new.title)
    doc.approval_block(new.prepared, new.reviewed, new.approved)
    _history(doc, marks, old.history, new.history)
    writer = _BodyWriter(doc, marks)
    for change in changes:
        writer.change(change)
    if isinstance(new, Procedure) and isinstance(old, Procedure):
        _document_list(doc, marks, labels["forms_list"], (labels["form_code"], labels["form_title"]),
                       old.forms, new.forms, names)
        _document_list(doc, marks, labels["related_procedures"], (labels["document_no"], labels["document_title"]),
                       old.related, new.related, names)
    doc.properties(
        title=new.title, identifier=new.id, version=f"{old.revision} → {new.revision}", status="redline",
        language=project.site.language, author=author, created=date, modified=date,
        subject=banner, keywords=new.id, category="redline",
    )
    return doc.to_bytes()


def _title(doc: ControlledDocument, marks: RevisionMarks, old: str, new: str) -> None:
    p = doc.paragraph("Title")
    if old == new:
        p.add_run(new)
        return
    for seg in char_diff(old, (), new, ()):
        marks.add_run(p, seg.text, OPS[seg.op])


def _history(doc: ControlledDocument, marks: RevisionMarks, old: Sequence[HistoryEntry],
             new: Sequence[HistoryEntry]) -> None:
    doc.history(new)
    table = doc.doc.tables[-1]
    known = {(h.revision, h.date) for h in old}
    for r, entry in enumerate(new, start=1):
        if (entry.revision, entry.date) not in known:
            row = table.rows[r]
            marks.mark_row(row, INS)
            for cell in row.cells:
                for p in cell.paragraphs:
                    marks.wrap_runs(p, INS)


def _document_list(doc: ControlledDocument, marks: RevisionMarks, caption: str, heads: tuple[str, str],
                   old: Sequence[str], new: Sequence[str], names: dict[str, str]) -> None:
    """The list of forms or related procedures: added rows inserted, removed rows deleted."""
    ids = list(new) + [i for i in old if i not in new]
    if not ids:
        return
    doc.document_list(caption, heads, [(i, names.get(i, "")) for i in ids])
    table = doc.doc.tables[-1]
    for r, doc_id in enumerate(ids, start=1):
        change = INS if doc_id not in old else DEL if doc_id not in new else None
        if change:
            marks.mark_row(table.rows[r], change)
            for cell in table.rows[r].cells:
                for p in cell.paragraphs:
                    marks.wrap_runs(p, change)


class _BodyWriter:
    """Writes aligned units as paragraphs with tracked runs."""

    def __init__(self, doc: ControlledDocument, marks: RevisionMarks):
        self.doc = doc
        self.marks = marks
        self.lists: dict[tuple[int, int, tuple[str, ...]], Numbering] = {}
        """The numbering last used at each (depth, level, formats): a deleted clause joins that list."""

    def change(self, c: Change) -> None:
        unit = c.new if c.op != DELETED else c.old
        assert unit is not None
        if unit.kind == "table":
            self._table_change(c)
            return
        p = self._paragraph(unit, numbered=c.op != DELETED)
        if c.op == EQUAL:
            self._segments(p, [Segment(EQUAL, t, s) for t, s in _runs(unit)])
        elif c.op == CHANGED:
            self._segments(p, c.segments)
        else:
            op = INSERTED if c.op == INSERTED else DELETED
            self._segments(p, [Segment(op, t, s) for t, s in _runs(unit)])
            self.marks.mark_paragraph(p, MARKS[op])

    def _paragraph(self, unit: Unit, numbered: bool) -> DocxParagraph:
        if unit.kind == "bullet":
            p = self.doc.paragraph("Body Text")
            self.doc.bullet(p, unit.depth)
            return p
        p = self.doc.paragraph(unit.style_name)
        n = unit.numbering
        if n is not None:
            key = (unit.depth, n.level, n.formats)
            if numbered:
                self.lists[key] = n
            else:  # a deleted clause keeps its number, in the list it stood in, as Word itself records it
                n = self.lists.get(key) or replace(n, key=f"deleted-{n.key}")
            self.doc.number(p, n, heading=unit.kind == "heading")
        return p

    def _segments(self, p: DocxParagraph, segments: Sequence[Segment]) -> None:
        for seg in segments:
            run = self.marks.add_run(p, seg.text, OPS[seg.op])
            bold, italic, ref = seg.style
            if ref:
                use_run_style(run, STYLE_IDS[REF_CODE_STYLE])
            run.bold = bold or None
            run.italic = italic or None

    # -- tables -------------------------------------------------------------------------------
    def _table_change(self, c: Change) -> None:
        old, new = c.old.table if c.old else None, c.new.table if c.new else None
        names = self.doc.titles
        if old and new and not same_columns(old, new):  # a column added or removed: the table replaced whole
            self._table(table_rows(old, None, names))
            self._table(table_rows(None, new, names))
        else:
            self._table(table_rows(old, new, names))

    def _table(self, rows: list[RowChange]) -> None:
        cols = max(len(row.cells) for row in rows)
        grid = self.doc.grid(len(rows), cols, [1 / cols] * cols)
        for r, row in enumerate(rows):
            if row.op != EQUAL:
                self.marks.mark_row(grid.rows[r], MARKS[row.op])
            for col, segments in enumerate(row.cells):
                target = grid.cell(r, col).paragraphs[0]
                self.doc.style(target, TABLE_TEXT_STYLE)
                if r == 0:
                    segments = tuple(Segment(s.op, s.text, (True, s.style[1], s.style[2])) for s in segments)
                    tables.shade(grid.cell(r, col), HEADER_FILL)
                    target.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._segments(target, segments)
        tables.repeat_as_header(grid.rows[0])
        self.doc.spacer()


def _runs(unit: Unit) -> list[tuple[str, tuple[bool, bool, bool]]]:
    return _split(unit.text, unit.styles)


def _split(text: str, styles: tuple[tuple[bool, bool, bool], ...]) -> list[tuple[str, tuple[bool, bool, bool]]]:
    out: list[tuple[str, tuple[bool, bool, bool]]] = []
    for k, ch in enumerate(text):
        style = styles[k] if k < len(styles) else PLAIN
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + ch, style)
        else:
            out.append((ch, style))
    return out


def change_record(doc: Procedure | Form) -> tuple[str, dt.date]:
    """Author and date of a revision's change: its history entry, else who prepared it and when."""
    entry = next((h for h in reversed(doc.history) if h.revision == doc.revision), None)
    if entry is not None:
        return entry.by, entry.date
    if doc.prepared is not None:
        return doc.prepared.name, doc.prepared.date
    return "qmsdoc", doc.effective or dt.date(2000, 1, 1)
