"""Hostile text in what the tool writes: spreadsheets never evaluate it, terminals never obey it, and
the Word report of many findings gives each its own sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from portal.project_files import form, procedure

from qmsdoc.lifecycle.register import build_register, register_csv
from qmsdoc.lifecycle.register_xlsx import register_xlsx
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.report.cells import append_row, csv_row
from qmsdoc.report.text import display_width, render_text

from conftest import make_project

FORMULAS = ("=1+2", "+1+2", "-1+2", "@SUM(1+1)", "\t=1+2", '=HYPERLINK("http://x.invalid","点此")')
"""Titles starting with each character a spreadsheet reads as the start of a formula (a source
cannot hold a carriage return: the one-cell tests below start a value with it)."""
NORMAL = ("售后服务反馈管理制度", "Returns (a=b, 1+1)", "外部质量信息反馈单")


@pytest.fixture(scope="module")
def register_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """register.csv and register.xlsx of a project whose documents carry those titles."""
    files = {}
    for k, title in enumerate((*FORMULAS, *NORMAL[:2])):
        pid = f"SJE/ZY/GK-{70 + k}"
        forms = [f"SJE/JL/GK-{70 + k}-01"] if k == 0 else []
        files[f"procedures/GK-{70 + k}.md"] = procedure(pid, json.dumps(title), "effective", "顾客服务部", forms,
                                                        "2025-04-01")
    files["forms/GK-70-01.yaml"] = form("SJE/JL/GK-70-01", NORMAL[2], "effective", "SJE/ZY/GK-70", "2025-04-01")
    project = load_project(make_project(tmp_path_factory.mktemp("formulas"), files))
    labels = load_labels(project.site.language)
    register = build_register(project)
    assert {d.title for d in project.procedures.values()} >= set(FORMULAS)
    return register_csv(register, labels), register_xlsx(register, labels)


def test_csv_cells_that_start_a_formula_are_quoted(register_files: tuple[bytes, bytes]) -> None:
    rows = list(csv.reader(io.StringIO(register_files[0].decode("utf-8-sig"), newline="")))
    titles = [row[2] for row in rows[1:]]
    for title in FORMULAS:
        assert "'" + title in titles, title
    assert set(NORMAL) <= set(titles)  # ordinary text is left as it is
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert {row[5] for row in rows[1:]} == {"2025-04-01"}  # the tool's own dates are unchanged


def test_xlsx_cells_that_start_a_formula_are_text_shown_as_written(register_files: tuple[bytes, bytes]) -> None:
    data = register_files[1]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)  # no formula anywhere
    wb = load_workbook(io.BytesIO(data))
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in FORMULAS or cell.value in NORMAL:
                    seen.setdefault(cell.value, []).append(cell)
    assert set(seen) == {*FORMULAS, *NORMAL}
    for title in FORMULAS:
        for cell in seen[title]:
            assert (cell.data_type, cell.quotePrefix) == ("s", True), (title, cell.coordinate)
    for title in NORMAL:
        for cell in seen[title]:
            assert (cell.data_type, cell.quotePrefix) == ("s", False), (title, cell.coordinate)


def test_numbers_and_dates_stay_numbers_and_dates() -> None:
    assert csv_row(["=1", -3, 2.5, "a=b", "-", "\r=1"]) == ["'=1", -3, 2.5, "a=b", "'-", "'\r=1"]
    ws = Workbook().active
    assert ws is not None
    cells = append_row(ws, ["=1", -3, 2.5, dt.date(2025, 4, 1), "a\x1bb", None, "\r=1"])
    assert [(c.value, c.data_type) for c in cells[:5]] == [
        ("=1", "s"), (-3, "n"), (2.5, "n"), (dt.date(2025, 4, 1), "d"), ("a\ufffdb", "s")]
    assert (cells[6].value, cells[6].data_type) == ("\r=1", "s")
    assert [c.quotePrefix for c in cells] == [True, False, False, False, False, False, True]
    path = io.BytesIO()
    ws.parent.save(path)
    back = load_workbook(path).active
    assert back is not None
    assert [(c.value, c.data_type) for c in back[1][:4]] == [
        ("=1", "s"), (-3, "n"), (2.5, "n"), (dt.datetime(2025, 4, 1), "d")]



# -- the text report on a terminal ---------------------------------------------------------

ESC, RLO, LRI, PDI, ZWSP, ZWJ, BOM = "\x1b", "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff"
HOSTILE = (f"金额{ESC}[2J{ESC}]0;pwned\x07 审批{RLO}exe.fdp{PDI}{LRI}x {ZWSP}张{ZWJ}三{BOM}"
           "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068\u200c\u2060\x85\x9b")
PLAIN = "反馈单未填写问题原因，见附件（第二页）：　“已处理”。 Ordinary text."
"""Chinese text, full-width punctuation, an ideographic and an ordinary space: printed as they are."""


def _hostile_report() -> Report:
    record = RecordRef(f"records/{RLO}xcod.exe{ZWSP}", "3", "SJE/JL/GK-09-01", "A/0", f"FK{ZWSP}-001{ESC}[8m")
    criterion = Citation("SJE/ZY/GK-09", "第二条", "售后服务问题反馈调查的管理制度")
    findings = (
        Finding("GK09-03", f"标题{RLO}否", Severity.MAJOR, "missing", criterion, record, (f"cause{ZWSP}",),
                {"cause": HOSTILE}, None, f"问题原因为“{HOSTILE}”"),
        Finding("GK09-05", PLAIN, Severity.MINOR, "fail", criterion, record, ("copy_to_qm_on",),
                {"copy_to_qm_on": "2025-05-20"}, "2025-05-17", PLAIN),
    )
    return Report(dt.date(2025, 6, 30), f"records{ESC}[2K", 1, 1, 2, findings, checked=((record, ("GK09-03",)),))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_text_report_escapes_control_bidi_and_invisible_characters(language: str) -> None:
    out = render_text(_hostile_report(), load_labels(language))
    raw = [ch for ch in out if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")]
    assert raw == []
    for escaped in ("\\x1b[2J", "\\x1b]0;pwned\\x07", "\\u202eexe.fdp\\u2069\\u2066x", "\\u200b张\\u200d三\\ufeff",
                    "\\u200e\\u200f\\u061c\\u202a\\u202b\\u202c\\u202d\\u2067\\u2068\\u200c\\u2060\\x85\\x9b",
                    "records/\\u202excod.exe\\u200b:3", "FK\\u200b-001\\x1b[8m", "cause\\u200b", "标题\\u202e否",
                    "records\\x1b[2K"):
        assert escaped in out, escaped
    assert PLAIN in out


def test_text_report_columns_line_up_after_escaping() -> None:
    out = render_text(_hostile_report(), load_labels("zh-CN"))
    by_rule = out.split("按规则汇总")[1].strip("\n").splitlines()
    assert [line.split()[0] for line in by_rule] == ["GK09-03", "GK09-05"]
    assert len({display_width(line) for line in by_rule}) == 1  # the counts end in one column


# (The Word report's sheets under hostile texts are in tests/report/test_audit_report.py:
# test_every_sheet_carries_its_own_finding_and_every_observation_its_row.)


