"""Table mechanics: borders, fixed layout and widths, shading, repeated header rows, merges."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.section import _Header
from docx.shared import Twips
from docx.table import Table, _Cell, _Row

from qmsdoc.generator.ooxml.xml import TBLPR, TCPR, TRPR, child, el

BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def set_borders(table: Table, size_eighths: int = 6, color: str = "000000") -> None:
    """Single-line borders on all sides and between all cells."""
    tbl_pr = table._tbl.tblPr
    borders = child(tbl_pr, "tblBorders", TBLPR)
    for node in list(borders):
        borders.remove(node)
    for side in BORDER_SIDES:
        borders.append(el(f"w:{side}", {"val": "single", "sz": str(size_eighths), "space": "0", "color": color}))


def set_fixed_widths(table: Table, widths_twips: list[int]) -> None:
    """Fixed layout with the given column widths (Word and LibreOffice then agree on the grid)."""
    tbl_pr = table._tbl.tblPr
    child(tbl_pr, "tblW", TBLPR, {"w": str(sum(widths_twips)), "type": "dxa"})
    child(tbl_pr, "tblLayout", TBLPR, {"type": "fixed"})
    grid = table._tbl.tblGrid
    cols = grid.findall(qn("w:gridCol"))
    for col, width in zip(cols, widths_twips, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for tc, width in zip(row._tr.findall(qn("w:tc")), widths_twips, strict=True):
            child(tc.get_or_add_tcPr(), "tcW", TCPR, {"w": str(width), "type": "dxa"})


def set_cell_margins(table: Table, left_twips: int = 80, right_twips: int = 80,
                     top_twips: int = 30, bottom_twips: int = 30) -> None:
    mar = child(table._tbl.tblPr, "tblCellMar", TBLPR)
    for node in list(mar):
        mar.remove(node)
    for side, value in (("top", top_twips), ("left", left_twips), ("bottom", bottom_twips), ("right", right_twips)):
        mar.append(el(f"w:{side}", {"w": str(value), "type": "dxa"}))


def centre_table(table: Table) -> None:
    child(table._tbl.tblPr, "jc", TBLPR, {"val": "center"})


def shade(cell: _Cell, fill: str) -> None:
    child(cell._tc.get_or_add_tcPr(), "shd", TCPR, {"val": "clear", "color": "auto", "fill": fill})


def valign(cell: _Cell, where: str = "center") -> None:
    child(cell._tc.get_or_add_tcPr(), "vAlign", TCPR, {"val": where})


def repeat_as_header(row: _Row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    child(tr_pr, "tblHeader", TRPR)


def keep_row_together(row: _Row) -> None:
    child(row._tr.get_or_add_trPr(), "cantSplit", TRPR)


def row_height(row: _Row, twips: int, exact: bool = False) -> None:
    child(row._tr.get_or_add_trPr(), "trHeight", TRPR,
          {"val": str(twips), "hRule": "exact" if exact else "atLeast"})


class Grid:
    """A new table with its cells looked up once (python-docx recomputes the grid per call)."""

    def __init__(self, table: Table):
        self.table = table
        self.rows = table.rows
        self._cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]

    def cell(self, row: int, col: int) -> _Cell:
        return self._cells[row][col]


def add_header_table(header: _Header, rows: int, cols: int, width_twips: int) -> Table:
    """A table at the very start of a page header, before the header's own paragraph."""
    table = header.add_table(rows=rows, cols=cols, width=Twips(width_twips))
    header._element.insert(0, table._tbl)
    return table
