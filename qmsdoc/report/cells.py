"""Spreadsheet cells that are shown as written and never evaluated: every .csv and .xlsx goes through here.

Excel and LibreOffice take text starting with `=`, `+`, `-`, `@`, a tab or a carriage return
for a formula (OWASP "CSV injection"): a title or a record value such as `=HYPERLINK(…)` would
run when the file is opened. `formula_like` says which text is at risk. In CSV, `csv_row` puts
a single quote before it. In .xlsx, `append_row` writes it as a string cell with Excel's quote
prefix, so it shows as written (openpyxl would otherwise write text starting with `=` as a
formula). Numbers and dates are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeGuard

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from qmsdoc.report.common import xml_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula."""


def formula_like(value: object) -> TypeGuard[str]:
    """Whether `value` is text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_row(values: Iterable[object]) -> list[object]:
    """A row for csv.writer: formula-like text gets a leading single quote, the rest is unchanged."""
    return [f"'{v}" if formula_like(v) else v for v in values]


def append_row(ws: Worksheet, values: Sequence[Any]) -> list[Cell]:
    """Append a row to an openpyxl worksheet and return its cells. Text is written as text:
    characters XML cannot carry become U+FFFD, and formula-like text is a string cell with the
    quote prefix, never a formula."""
    # row and column are set by ws.append, which takes the cells themselves
    cells = [Cell(ws, row=1, column=c, value=xml_text(v) if isinstance(v, str) else v)
             for c, v in enumerate(values, start=1)]
    for cell in cells:
        if formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
    ws.append(cells)  # the cells themselves: no lookup of the row just written (ws.max_row is slow)
    return cells
