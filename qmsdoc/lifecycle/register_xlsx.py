"""The register as an Excel workbook: one sheet per section and one of every revision.

openpyxl writes the workbook; the core properties take the register's date, never the
clock, and the package goes through the generator's zip normalisation, so the same
register gives the same bytes. Rows go through `append_row`, so no title or name is ever
written as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from qmsdoc.generator.ooxml.package import normalise_zip
from qmsdoc.lifecycle.register import (
    ARCHIVE,
    COLUMNS,
    FORMS,
    PROCEDURES,
    Register,
    RegisterRow,
    flat_values,
    forms_text,
    review_text,
    state_text,
)
from qmsdoc.model.labels import Labels
from qmsdoc.report.cells import append_row

HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
RED = Font(color="C00000", bold=True)
WIDTHS = {"register_id": 18, "register_title_col": 40, "register_forms_col": 60, "register_procedure": 16,
          "register_owner": 12, "register_superseded_on": 14, "register_superseded_by": 10}


def _sheet_columns(section: str) -> tuple[str, ...]:
    if section == PROCEDURES:
        return ("register_id", "register_title_col", "register_revision", "register_status", "register_effective",
                "register_owner", "register_approver", "register_review_period", "register_next_review",
                "register_review", "register_forms_col", "register_released_on")
    if section == FORMS:
        return ("register_id", "register_title_col", "register_revision", "register_status", "register_effective",
                "register_procedure", "register_owner", "register_approver", "register_released_on")
    return ("register_kind", "register_id", "register_title_col", "register_revision", "register_status",
            "register_effective", "register_superseded_by", "register_superseded_on", "register_released_on")


def _value(row: RegisterRow, key: str, labels: Labels) -> str:
    if key == "register_forms_col":
        return forms_text(row, "\n")
    if key == "register_status":
        return state_text(row, labels)
    if key == "register_review":
        return review_text(row, labels)
    return flat_values(row, labels)[COLUMNS.index(key)]


def register_xlsx(register: Register, labels: Labels) -> bytes:
    """The .xlsx bytes: sheets for procedures, forms, archive and all revisions."""
    wb = Workbook()
    for sheet in wb.worksheets:  # the default empty sheet
        wb.remove(sheet)
    for section, title in ((PROCEDURES, "register_procedures"), (FORMS, "register_forms"),
                           (ARCHIVE, "register_archive")):
        keys = _sheet_columns(section)
        rows = [[_value(r, k, labels) for k in keys] for r in register.section(section)]
        ws = _sheet(wb, labels[title], [labels[k] for k in keys], keys, rows, register.section(section))
        _print_setup(ws, f"{labels['register_title']}：{labels[title]}", register, labels)
    all_rows = [flat_values(r, labels) for r in register.rows]
    ws = _sheet(wb, labels["register_title"][:31], [labels[k] for k in COLUMNS], COLUMNS, all_rows, register.rows)
    _print_setup(ws, labels["register_title"], register, labels)
    moment = dt.datetime.combine(register.dated, dt.time())
    props = wb.properties
    props.creator = props.lastModifiedBy = "qmsdoc"
    props.title = labels["register_title"]
    props.created = props.modified = moment
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not save_workbook(), which stamps the clock
    return normalise_zip(raw.getvalue())


def _print_setup(ws: Worksheet, title: str, register: Register, labels: Labels) -> None:
    """A sheet that prints: A4 landscape, as wide as the page, the head row on every page, and
    the register's title, date and page number in the page header and footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    header.center.text = title
    header.center.size = 12
    header.right.text = f"{labels['register_as_of']}：{register.dated.isoformat()}"
    footer.center.text = "&P / &N"


def _sheet(wb: Workbook, title: str, heads: list[str], keys: tuple[str, ...], rows: list[list[str]],
           source: tuple[RegisterRow, ...]) -> Worksheet:
    ws = wb.create_sheet(title[:31].replace("／", "-").replace("/", "-"))
    for cell in append_row(ws, heads):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values, row in zip(rows, source, strict=True):
        for cell, key in zip(append_row(ws, values), keys, strict=True):
            cell.alignment = Alignment(vertical="top", wrap_text=key in ("register_forms_col", "register_title_col"))
            if key == "register_review" and row.review:
                cell.font = RED
    for c, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(key, 11)
    ws.freeze_panes = "B2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows) + 1}"
    return ws
