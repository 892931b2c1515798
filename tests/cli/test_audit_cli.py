"""`qmsdoc check --plan audit.yaml`, `--auditor`, `--auditee`, `--audit-number`, the spreadsheet outputs, and
the lint that keeps rules said in words (a rule without a usable human statement is a lint error)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pytest
from checker.project_files import FILES, RULES

from cli.test_check_cli import run, site  # noqa: F401  (the small document set with three records)

from conftest import make_project

PLAN = """\
number: SJE/JL/NS-2025-09
title: 2025 年第三季度内部审核
date: 2025-10-01
team:
  leader: {name: 王伟, role: 审核组长}
  members: [李娜]
auditee: {name: 顾客服务部, representative: 周敏}
scope:
  departments: [顾客服务部]
  procedures: [SJE/ZY/GK-90]
  period: {from: 2025-07-01, to: 2025-09-30}
objectives: 确认测试记录符合制度要求
conclusion: 记录基本符合要求。
"""


def _cover(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(c.text for row in document.tables[0].rows for c in row.cells)


def _check(site: Path, *args: str, quiet: bool = True):  # type: ignore[no-untyped-def]  # noqa: F811
    return run("check", "--root", str(site), str(site / "records"), "--as-of", "2025-10-01", "-j", "1",
               "--exit-zero", *(("-q",) if quiet else ()), *args)


def test_the_plan_and_the_options_are_on_the_cover(site: Path, tmp_path: Path) -> None:  # noqa: F811
    plan = tmp_path / "audit.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out"
    result = _check(site, "--plan", str(plan), "-o", str(out / "r.docx"), "-o", str(out / "r.xlsx"),
                    "-o", str(out / "r.csv"), "-o", str(out / "r.html"))
    assert result.exit_code == 0, result.output
    cover = _cover(out / "r.docx")
    for text in ("SJE/JL/NS-2025-09", "2025-10-01", "王伟（审核组长）、李娜", "顾客服务部\n受审核方代表：周敏",
                 "记录期间：2025-07-01 至 2025-09-30", "涉及程序文件：SJE/ZY/GK-90", "确认测试记录符合制度要求"):
        assert text in cover, text
    assert "记录基本符合要求。" in "\n".join(p.text for p in docx.Document(str(out / "r.docx")).paragraphs)
    assert "SJE/JL/NS-2025-09" in (out / "r.html").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO((out / "r.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0][:3] == ["编号", "类别", "部门"] and rows[1][0] == "NC-01"
    assert openpyxl.load_workbook(out / "r.xlsx").sheetnames == ["审核发现", "内部审核报告"]
    again = _check(site, "--plan", str(plan), "--auditor", "赵强", "--auditor", "钱芳", "--auditee", "营销部",
                   "--audit-number", "NS-99", "-o", str(out / "o.docx"))
    assert again.exit_code == 0, again.output
    cover = _cover(out / "o.docx")
    assert "NS-99" in cover and "赵强（审核组长）、钱芳" in cover and "营销部" in cover and "王伟" not in cover


def test_without_a_plan_the_number_follows_the_site_and_differs_between_runs(site: Path,  # noqa: F811
                                                                             tmp_path: Path) -> None:
    first = _check(site, "-o", str(tmp_path / "a.docx"))
    (site / "records" / "minor.json").unlink()
    second = _check(site, "-o", str(tmp_path / "b.docx"))
    assert first.exit_code == second.exit_code == 0
    numbers = [_cover(tmp_path / name).split("\n")[1] for name in ("a.docx", "b.docx")]
    assert all(n.startswith("SJE/JL/NS-20251001-") for n in numbers) and numbers[0] != numbers[1]


def test_a_bad_plan_is_a_usage_error_at_its_line_before_records_are_read(site: Path,  # noqa: F811
                                                                         tmp_path: Path) -> None:
    plan = tmp_path / "audit.yaml"
    plan.write_text("number: N-1\ndates: {from: 2025-10-02, to: 2025-10-01}\nscope:\n  departments: [顾客服务]\n"
                    "  procedures: [SJE/JL/GK-90-01]\nteem: {leader: 王伟}\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    result = _check(site, "--plan", str(plan), "-o", str(out))
    assert result.exit_code == 2
    lines = result.output
    assert f"{plan}:2:31: audit plan: dates: to (2025-10-01) is before from (2025-10-02)" in lines
    assert f'{plan}:4:17: audit plan: scope: departments: "顾客服务" is not a department of qmsdoc.yaml' in lines
    assert 'hint: did you mean "顾客服务部"?' in lines
    assert f'{plan}:5:16: audit plan: scope: procedures: "SJE/JL/GK-90-01" is not a procedure' in lines
    assert "that is a form; name its procedure, SJE/ZY/GK-90" in lines
    assert f'{plan}:6:1: audit plan: unknown key "teem"' in lines and 'did you mean "team"?' in lines
    assert not out.exists()


def test_spreadsheets_go_to_files_and_csv_to_the_terminal(site: Path) -> None:  # noqa: F811
    refused = _check(site, "--format", "xlsx", quiet=False)
    assert "error: xlsx goes to a file: -o report.xlsx" in refused.output
    printed = _check(site, "--format", "csv", quiet=False)
    rows = list(csv.reader(io.StringIO(printed.output.lstrip("\ufeff"), newline="")))
    assert rows[0][0] == "编号" and rows[1][3] == "T-01"


# -- lint: rules said in words ------------------------------------------------------------------

BAD_RULES = RULES + """\
  - code: W-01
    title: note_text 必填
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: minor
    required: [note]
  - code: W-02
    title: 顺序
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: minor
    message: "{fields} 顺序不对：{expected}"
    order: [issued_on, returned_on]
  - code: W-03
    title: 费用比例不超过上限
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: major
    limit: {value: amount / output_value, max: 1}
  - code: W-04
    title: 附件
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    message: 当 attached == false 时不合格
    expect: attached
"""


@pytest.fixture
def wordless(tmp_path: Path) -> Path:
    return make_project(tmp_path, {**FILES, "rules/T.yaml": BAD_RULES})


def test_lint_refuses_rules_that_would_print_code(wordless: Path) -> None:
    result = run("lint", "--root", str(wordless))
    assert result.exit_code == 1
    out = result.output
    start = len(RULES.splitlines())
    assert (f'rules/T.yaml:{start + 2}:12: rule W-01: title: "note_text" is code, not words; the title is '
            "printed in audit reports as the requirement") in out
    assert f'rules/T.yaml:{start + 12}:14: rule W-02: message placeholder "{{fields}}" prints the ids' in out
    assert f'rules/T.yaml:{start + 12}:14: rule W-02: message placeholder "{{expected}}" prints the order' in out
    assert (f'rules/T.yaml:{start + 19}:5: rule W-03: limit: the value "amount / output_value" is computed; '
            "without a message the finding would name it by its expression") in out
    assert f'rules/T.yaml:{start + 25}:14: rule W-04: message: "==" is code, not words' in out
    for code in ("W-01", "W-02", "W-03", "W-04"):
        assert code in out
    check = run("check", "--root", str(wordless), str(wordless), "--as-of", "2025-10-01", "-q")
    assert check.exit_code == 2  # check refuses what lint refuses


def test_the_bundled_rules_are_said_in_words() -> None:
    result = run("lint")
    assert result.exit_code == 0, result.output
