"""Tracked changes (revision marks): w:ins / w:del around runs, on paragraph marks and table rows.

Word shows these in its review pane and lets a reviewer accept or reject each one; every
mark carries a unique w:id, the author and the date of the change. Deleted text is written
as w:delText, never w:t (a w:t inside w:del is invalid and Word refuses the file).
"""

from __future__ import annotations

import datetime as dt

from docx.table import _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from qmsdoc.generator.ooxml.xml import PPR, child, el, qn

INS, DEL = "ins", "del"


class RevisionMarks:
    """Hands out revision marks of one author and date, each with a document-unique id."""

    def __init__(self, author: str, date: dt.date, first_id: int = 1):
        self.author = author
        self.date = f"{date.isoformat()}T00:00:00Z"
        self._next = first_id

    def mark(self, change: str) -> etree._Element:
        """A new, empty w:ins or w:del element."""
        node = el(f"w:{change}", {"id": str(self._next), "author": self.author, "date": self.date})
        self._next += 1
        return node

    def add_run(self, paragraph: Paragraph, text: str, change: str | None) -> Run:
        """A run of `text` at the end of the paragraph: plain, inserted (w:ins) or deleted (w:del)."""
        if change is None:
            return paragraph.add_run(text)
        run = paragraph.add_run()
        if change == DEL:
            for k, line in enumerate(text.split("\n")):
                if k:
                    run._r.append(el("w:br"))
                node = el("w:delText", {"xml:space": "preserve"})
                node.text = line
                run._r.append(node)
        else:
            run.text = text
        wrapper = self.mark(change)
        paragraph._p.append(wrapper)
        wrapper.append(run._r)
        return run

    def mark_paragraph(self, paragraph: Paragraph, change: str) -> None:
        """Mark the paragraph mark as inserted or deleted (a whole paragraph added or removed)."""
        rpr = child(paragraph._p.get_or_add_pPr(), "rPr", PPR)
        existing = rpr.find(qn(f"w:{change}"))
        if existing is None:
            rpr.insert(0, self.mark(change))  # w:ins / w:del come first in a paragraph mark's rPr

    def wrap_runs(self, paragraph: Paragraph, change: str) -> None:
        """Put every run of the paragraph inside one w:ins or w:del (deleted text becomes w:delText)."""
        runs = [r for r in paragraph._p if r.tag == qn("w:r")]
        if not runs:
            return
        wrapper = self.mark(change)
        runs[0].addprevious(wrapper)
        for r in runs:
            if change == DEL:
                for t in r.findall(qn("w:t")):
                    t.tag = qn("w:delText")
                    t.set(qn("xml:space"), "preserve")
            wrapper.append(r)

    def mark_row(self, row: _Row, change: str) -> None:
        """Mark a table row as inserted or deleted (w:trPr/w:ins|w:del, after the other row properties)."""
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(self.mark(change))


def tracked_text(root: etree._Element, change: str) -> list[str]:
    """The texts inside each w:ins or w:del under `root`, in document order (for tests and summaries)."""
    tag = qn(f"w:{change}")
    text_tag = qn("w:delText") if change == DEL else qn("w:t")
    marks_of_properties = (qn("w:rPr"), qn("w:trPr"))
    return ["".join(t.text or "" for t in node.iter(text_tag)) for node in root.iter(tag)
            if (parent := node.getparent()) is not None and parent.tag not in marks_of_properties]
