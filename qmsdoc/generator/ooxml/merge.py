"""Fast horizontal cell merges for freshly built tables (w:gridSpan).

python-docx's `_Cell.merge` recomputes the whole grid on every call, which dominates the time
of a document made of many small label/value tables. A new, regular table needs none of
that: the first cell takes a `w:gridSpan` and the sum of the widths, and the cells it covers
are removed.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.table import Table, _Cell

from qmsdoc.generator.ooxml.xml import TCPR, child


def span_columns(table: Table, row: int, first: int, last: int) -> _Cell:
    """Merge cells `first`..`last` of one row of a regular table (no earlier spans in the row).

    The merged cell keeps the first cell's properties and paragraphs; the covered cells and
    their (empty) contents are dropped. Returns the merged cell.
    """
    tr = table._tbl.tr_lst[row]
    tcs = tr.tc_lst
    if not 0 <= first < last < len(tcs):
        raise ValueError(f"cannot span columns {first}..{last} of a row of {len(tcs)} cells")
    head = tcs[first]
    width = 0
    for tc in tcs[first:last + 1]:
        tc_w = tc.tcPr.find(qn("w:tcW")) if tc.tcPr is not None else None
        if tc_w is not None and tc_w.get(qn("w:type")) == "dxa":
            width += int(tc_w.get(qn("w:w")) or 0)
    tc_pr = head.get_or_add_tcPr()
    if width:
        child(tc_pr, "tcW", TCPR, {"w": str(width), "type": "dxa"})
    child(tc_pr, "gridSpan", TCPR, {"val": str(last - first + 1)})
    for tc in tcs[first + 1:last + 1]:
        tr.remove(tc)
    return _Cell(head, table)
