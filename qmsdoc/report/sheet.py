"""Findings as spreadsheets: `-o findings.xlsx` and `-o findings.csv`, one row per finding.

Auditors sort, filter and annotate findings in Excel. Both files have the same columns, each headed by
its label in the report's language, and say each finding in words as the Word report does
(report/wording.py): its number there (NC-01 for a nonconformity sheet, GC-01 for an observation),
what it is, department and procedure, rule, requirement, criterion, record, form, values seen, the
finding, the due date and the finding's id.

- **.xlsx**: a sheet of findings with a filter on every column, the head row (and the number column)
  frozen, wrapped long texts, and a print set-up (A4 landscape, as wide as the page, the head row on
  every page, the report's title and number in the page header, page numbers in the footer); a second
  sheet with the audit's cover (number, dates, scope, criteria, team, auditee, counts, conclusion).
  Reproducible: the workbook's dates are the audit date, never the clock, and the zip is normalised.
- **.csv**: UTF-8 with a byte-order mark and CRLF line ends, as Excel opens it.

Every cell goes through report/cells.py, so a record value such as `=HYPERLINK(…)` is shown as written
and never run as a formula.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from qmsdoc.generator.ooxml.package import normalise_zip
from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Severity
from qmsdoc.report.audit import Audit, build_audit, nc_number, observation_number
from qmsdoc.report.cells import append_row, csv_row
from qmsdoc.report.common import severity_label, standing_label
from qmsdoc.report.wording import Wording

HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True, size=10)
BODY = Font(size=10)


@dataclass(frozen=True)
class Column:
    """One column: the label key of its head, its width in characters, whether its text wraps."""

    key: str
    width: int
    wrap: bool = False


COLUMNS = (
    Column("audit_col_no", 7), Column("audit_col_status", 11), Column("audit_department", 11),
    Column("report_rule", 10), Column("audit_requirement", 26, True), Column("report_criterion", 22, True),
    Column("report_record", 26, True), Column("audit_col_form_title", 14, True), Column("report_record_id", 14),
    Column("report_values", 28, True), Column("report_message", 34, True), Column("report_due", 11),
    # not printed: for sorting and filtering, and for tracing a row back to the record
    Column("report_severity", 11), Column("audit_procedure", 15), Column("report_form", 17),
    Column("audit_col_revision", 9), Column("audit_col_location", 8), Column("report_finding_id", 18),
)
"""The columns of both spreadsheets, in order."""
PRINTED = 12
"""The first columns make the printed page (A4 landscape, as wide as the page); the others are in the sheet
for filters and tracing."""


@dataclass(frozen=True)
class FindingsTable:
    """The head row and one row per finding (a due date as a date, everything else as text)."""

    heads: tuple[str, ...]
    rows: tuple[tuple[str | dt.date, ...], ...]
    audit: Audit


def findings_table(report: Report, project: Project, labels: Labels) -> FindingsTable:
    """Every finding of the report as a row, in report order, numbered as the Word report numbers them."""
    words = Wording(project, labels)
    audit = build_audit(report, project, labels, words)
    numbers = _numbers(report, labels)
    rows = tuple(_row(f, numbers.get(k, ""), report, words, labels) for k, f in enumerate(report.findings))
    return FindingsTable(tuple(labels[c.key] for c in COLUMNS), rows, audit)


def _numbers(report: Report, labels: Labels) -> dict[int, str]:
    """NC-01… for the major and minor nonconformities, GC-01… for the observations (by index in findings)."""
    out: dict[int, str] = {}
    sheets = observations = 0
    for k, f in enumerate(report.findings):
        if not f.is_nonconformity:
            continue
        if f.severity == Severity.OBSERVATION:
            observations += 1
            out[k] = observation_number(observations, labels)
        else:
            sheets += 1
            out[k] = nc_number(sheets, labels)
    return out


def _row(f: Finding, number: str, report: Report, words: Wording, labels: Labels) -> tuple[str | dt.date, ...]:
    r = f.record
    form = words.form_of(r)
    return (number, standing_label(labels, f), words.department_of(f) or "", f.rule, words.requirement(f),
            words.criterion(f.criterion), words.where(r, report.root), form.title if form else "",
            r.record_id or "", words.values_text(f, "\n"), f.message, f.due or "",
            severity_label(labels, f.severity), words.procedure_of(f) or "", r.form or "", r.revision or "",
            "" if words.is_set_record(r, report.root) else r.location, f.id)


# -- CSV ----------------------------------------------------------------------------------------

def render_csv(report: Report, project: Project, labels: Labels) -> bytes:
    """The findings as CSV: UTF-8 with a byte-order mark and CRLF line ends; formula-like text is quoted."""
    table = findings_table(report, project, labels)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_row(table.heads))
    for row in table.rows:
        writer.writerow(csv_row(v.isoformat() if isinstance(v, dt.date) else v for v in row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- .xlsx --------------------------------------------------------------------------------------

def render_xlsx(report: Report, project: Project, labels: Labels) -> bytes:
    """The findings workbook as .xlsx bytes (same report and project → same bytes)."""
    table = findings_table(report, project, labels)
    audit = table.audit
    title = f"{labels['audit_report_title']} {audit.number}"
    wb = Workbook()
    for sheet in wb.worksheets:  # the default empty sheet
        wb.remove(sheet)
    ws = _findings_sheet(wb, labels["audit_sheet_findings"], table)
    _print_setup(ws, title, labels, report, landscape=True)
    cover = _cover_sheet(wb, labels["audit_report_title"], audit, labels)
    _print_setup(cover, title, labels, report, landscape=False)
    moment = dt.datetime.combine(report.as_of, dt.time())
    props = wb.properties
    props.creator = props.lastModifiedBy = project.site.organisation
    props.title = title
    props.identifier = audit.number
    props.created = props.modified = moment
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not save_workbook(), which stamps the clock
    return normalise_zip(raw.getvalue())


def _findings_sheet(wb: Workbook, name: str, table: FindingsTable) -> Worksheet:
    ws = wb.create_sheet(_sheet_name(name))
    for cell in append_row(ws, table.heads):
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    looks: dict[tuple[int, bool], StyleArray] = {}  # one look per column and kind of value, copied to each cell
    for row in table.rows:
        for c, (cell, column) in enumerate(zip(append_row(ws, row), COLUMNS, strict=True)):
            key = (c, isinstance(cell.value, dt.date))
            quoted = cell.quotePrefix
            styled = cast(Any, cell)  # the cell's style array: openpyxl's stubs leave it out
            if key in looks:
                styled._style = copy.copy(looks[key])
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
                cell.font = BODY
                if key[1]:
                    cell.number_format = "yyyy-mm-dd"
                looks[key] = copy.copy(styled._style)
            cell.quotePrefix = quoted  # formula-like text keeps its quote prefix (cells.py)
    for c, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = column.width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(table.rows) + 1}"
    ws.print_area = f"A1:{get_column_letter(PRINTED)}{len(table.rows) + 1}"
    return ws


def _cover_sheet(wb: Workbook, name: str, audit: Audit, labels: Labels) -> Worksheet:
    """The audit's cover as label / value rows."""
    ws = wb.create_sheet(_sheet_name(name))
    join = labels.texts.get("check_list_separator", ", ").join
    counts = join(f"{severity_label(labels, s)} {audit.by_severity[s.value]}" for s in Severity)
    rows: Sequence[tuple[str, str]] = [
        (labels["audit_number"], audit.number), (labels["audit_name"], audit.title or ""),
        (labels["audit_dates"], audit.dates), (labels["audit_as_of"], audit.as_of),
        (labels["audit_objectives"], "\n".join(audit.objectives)),
        (labels["audit_scope"], "\n".join(_scope(audit, labels))),
        (labels["audit_criteria"], "\n".join(audit.criteria)),
        (labels["audit_team"], audit.team_text(labels)), (labels["audit_auditee"], audit.auditee),
        (labels["audit_representative"], audit.representative),
        (labels["report_by_severity"], counts),
        (labels["audit_conclusion"], "\n".join(audit.conclusion)),
    ]
    for label, value in rows:
        head, cell = append_row(ws, [label, value])
        head.font = BOLD
        head.fill = HEADER_FILL
        head.alignment = Alignment(vertical="top")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    return ws


def _scope(audit: Audit, labels: Labels) -> list[str]:
    join = labels.texts.get("check_list_separator", ", ").join
    lines = [audit.scope_note] if audit.scope_note else []
    if audit.departments:
        lines.append(labels.format("audit_scope_departments", departments=join(audit.departments)))
    if audit.procedures_planned:
        lines.append(labels.format("audit_scope_procedures", procedures=join(audit.procedures)))
    lines += [labels.format("audit_scope_period", period=audit.period), audit.records]
    return lines


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31]


def _print_setup(ws: Worksheet, title: str, labels: Labels, report: Report, *, landscape: bool) -> None:
    """A sheet that prints: A4, as wide as the page, the head row on every page, the report's title and
    number in the page header and the page number in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if landscape:
        ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    header.center.text = title.replace("&", "&&")
    header.center.size = 12
    header.right.text = labels.format("audit_pair", label=labels["audit_as_of"], value=report.as_of.isoformat())
    footer.center.text = "&P / &N"
