"""Hostile text in what the tool writes: spreadsheets never evaluate it as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from portal.project_files import form, procedure

from qmsdoc.lifecycle.register import build_register, register_csv
from qmsdoc.lifecycle.register_xlsx import register_xlsx
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.report.cells import append_row, csv_row

from conftest import make_project

FORMULAS = ("=1+2", "+1+2", "-1+2", "@SUM(1+1)", "\t=1+2", "\r=1+2", '=HYPERLINK("http://x.invalid","点此")')
"""Titles starting with each character a spreadsheet reads as the start of a formula."""
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
    assert csv_row(["=1", -3, 2.5, "a=b", "-"]) == ["'=1", -3, 2.5, "a=b", "'-"]
    ws = Workbook().active
    assert ws is not None
    cells = append_row(ws, ["=1", -3, 2.5, dt.date(2025, 4, 1), "a\x1bb", None])
    assert [(c.value, c.data_type) for c in cells[:5]] == [
        ("=1", "s"), (-3, "n"), (2.5, "n"), (dt.date(2025, 4, 1), "d"), ("a\ufffdb", "s")]
    assert [c.quotePrefix for c in cells] == [True, False, False, False, False, False]
    path = io.BytesIO()
    ws.parent.save(path)
    back = load_workbook(path).active
    assert back is not None
    assert [(c.value, c.data_type) for c in back[1][:4]] == [
        ("=1", "s"), (-3, "n"), (2.5, "n"), (dt.datetime(2025, 4, 1), "d")]

