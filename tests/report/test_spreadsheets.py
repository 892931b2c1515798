"""The findings as spreadsheets (`-o findings.xlsx`, `-o findings.csv`): one row per finding, the columns'
labels in the report's language, filters, a frozen head row and a print set-up; record values that look
like formulas stay text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qmsdoc.load.labels import load_labels
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.report import guess_format, render
from qmsdoc.report.sheet import COLUMNS, PRINTED
from report.test_formats import make_report

FORMULAS = ('=HYPERLINK("http://example.invalid","点击")', "+1+2", "-3+4", "@SUM(1,2)", "=1+1")
GK09_2 = Citation("SJE/ZY/GK-09", "第二条", "售后服务问题反馈调查的管理制度", "A/0")


def formula_report() -> Report:
    """Findings whose record values, record number, file name and message start like formulas."""
    findings = []
    for n, text in enumerate(FORMULAS):
        record = RecordRef(f"records/{text}.json", "", "SJE/JL/GK-09-01", "A/0", text)
        findings.append(Finding("GK09-03", "反馈单记录问题性质、原因和处理情况", Severity.MAJOR, "fail", GK09_2, record,
                                ("problem_cause",), {"problem_cause": text}, None, text, due=dt.date(2025, 7, n + 1)))
    return Report(dt.date(2025, 6, 30), "records", len(findings), len(findings), 1, tuple(findings))


@pytest.fixture(scope="module")
def workbook(project: Project, labels: Labels) -> bytes:
    return render("xlsx", make_report(), project, labels)


def test_suffixes_pick_the_spreadsheet_formats() -> None:
    assert guess_format("out/findings.xlsx") == "xlsx" and guess_format("审核发现.CSV") == "csv"


def test_the_workbook_opens_with_a_row_per_finding_filters_a_frozen_head_and_a_print_set_up(
        workbook: bytes, project: Project, labels: Labels) -> None:
    report = make_report()
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    assert wb.sheetnames == [labels["audit_sheet_findings"], labels["audit_report_title"]]
    ws = wb[labels["audit_sheet_findings"]]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [labels[c.key] for c in COLUMNS]
    assert len(rows) == 1 + len(report.findings)
    heads = list(rows[0])
    ids = [row[heads.index(labels["report_finding_id"])] for row in rows[1:]]
    assert ids == [f.id for f in report.findings]
    numbers = [row[0] for row in rows[1:]]
    assert [n for n in numbers if n] == ["GC-01", "NC-01", "NC-02", "NC-03", "NC-04"]  # as the Word report numbers
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS))}{len(rows)}"
    assert ws.freeze_panes == "B2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_area == f"'{ws.title}'!$A$1:${openpyxl.utils.get_column_letter(PRINTED)}${len(rows)}"
    due = [row[heads.index(labels["report_due"])] for row in rows[1:]]
    assert dt.datetime(2025, 7, 8) in due  # a date cell, not text
    values = [row[heads.index(labels["report_values"])] for row in rows[1:]]
    assert "营销部门负责人签字日期：2025-05-07\n复印件上交企管部门日期：2025-05-20" in values
    assert wb.properties.created == dt.datetime(2025, 6, 30) and wb.properties.creator == project.site.organisation


def test_the_workbook_is_reproducible(workbook: bytes, project: Project, labels: Labels) -> None:
    assert render("xlsx", make_report(), project, labels) == workbook
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_column_heads_are_in_the_reports_language(project: Project) -> None:
    en = load_labels("en")
    ws = openpyxl.load_workbook(io.BytesIO(render("xlsx", make_report(), project, en)))[en["audit_sheet_findings"]]
    heads = [c.value for c in ws[1]]
    assert heads[:4] == ["No.", "Kind", "Department", "Rule"] and "Requirement" in heads
    text = render("csv", make_report(), project, en).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("No.,Kind,Department,Rule,Requirement")


def test_the_csv_is_utf8_with_a_byte_order_mark_and_round_trips(project: Project, labels: Labels,
                                                                workbook: bytes) -> None:
    data = render("csv", make_report(), project, labels)
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))[labels["audit_sheet_findings"]]
    expected = [["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)]
    assert rows == expected  # the same table, cell for cell (the message with its markup too)


def test_formula_like_record_values_stay_text(project: Project, labels: Labels) -> None:
    report = formula_report()
    data = render("xlsx", report, project, labels)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)  # no formula anywhere
    ws = openpyxl.load_workbook(io.BytesIO(data))[labels["audit_sheet_findings"]]
    heads = [c.value for c in ws[1]]
    for key in ("report_record_id", "report_message"):
        cells = [row[heads.index(labels[key])] for row in ws.iter_rows(min_row=2)]
        assert [c.value for c in cells] == list(FORMULAS)
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    rows = list(csv.reader(io.StringIO(render("csv", report, project, labels).decode("utf-8-sig"), newline="")))
    heads = rows[0]
    for key in ("report_record_id", "report_message"):
        assert [row[heads.index(labels[key])] for row in rows[1:]] == [f"'{t}" for t in FORMULAS]
    records = [row[heads.index(labels["report_record"])] for row in rows[1:]]
    assert records == [f"records/{t}.json" for t in FORMULAS]  # not at the start of a cell: as written


@pytest.mark.libreoffice
def test_the_workbook_prints_landscape_as_wide_as_the_page(workbook: bytes, project: Project, labels: Labels,
                                                           soffice: str, tmp_path: Path) -> None:
    from conftest import to_pdf
    source = tmp_path / "findings.xlsx"
    source.write_bytes(workbook)
    to_pdf(soffice, [source], tmp_path)
    pdf = tmp_path / "findings.pdf"
    assert pdf.is_file(), "LibreOffice Calc converts the workbook (libreoffice-calc-nogui)"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in next(line for line in info.splitlines()
                                            if line.startswith("Page size:")).split()[2:5:2])
    assert width > height  # landscape
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    first, last = labels[COLUMNS[0].key], labels[COLUMNS[PRINTED - 1].key]
    findings_pages = 0
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if labels["report_message"] in text:  # a page of the findings sheet: every printed column on it
            findings_pages += 1
            head = next(line for line in text.splitlines() if labels["report_message"] in line)
            assert first in head and last in head, head
    assert findings_pages >= 1
