"""The audit report an internal auditor signs (issue 15), on the example records and on every rule.

- No code in the reports people read: the requirement and the values of every finding, for every rule in
  rules/ and every built-in check, are words in the Word, HTML and spreadsheet reports (no field id, no
  expression, no English in a Chinese report); the whole Chinese report has no English word but file
  names, record numbers and finding ids.
- The shape of an ISO 19011 report: the plan's data on the cover, the sign-off, summaries by procedure,
  by department and by rule (each clause its findings cite), a sheet per major and minor nonconformity,
  the observations in one table, no generator line.
- The audit number: the plan's, else unique per content (two audits on one day differ), reproducible.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pytest

from qmsdoc.checker.engine import Checker
from qmsdoc.checker.run import check_paths
from qmsdoc.load.audit_plan import load_audit_plan
from qmsdoc.load.labels import load_labels
from qmsdoc.model.documents import FieldType
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation, Frequency, Limit, Rule, Severity
from qmsdoc.report import render
from qmsdoc.report.audit import build_audit, records_prefix
from qmsdoc.report.wording import Wording

from conftest import REPO

AS_OF = dt.date(2026, 1, 15)
EXAMPLES = REPO / "records" / "examples"
PLAN = REPO / "docs" / "examples" / "audit-plan.yaml"
CODE = re.compile(r"[A-Za-z0-9]_[A-Za-z0-9]|[A-Za-z]\.[a-z]|==|!=|>=|<=|≥|≤|∈|∉|&&|\|\||[A-Za-z]\(")
"""Expression syntax and field paths: `copy_to_qm_on`, `marketing_leader.date`, `a >= b`, `len(x)`."""
WORD = re.compile(r"(?<![.\w])(?=[A-Za-z]{2})[A-Za-z]*[a-z][A-Za-z]*(?!\w)")
"""A word of two letters or more with a lower-case one (English, or a field id): codes such as SJE/ZY/GK-09,
NC-01, A/0 or FK-2025-031 are upper case, and a clause's letter (4.2.3.1 a)) is one letter."""


def assert_words(text: str, where: str, field_ids: set[str]) -> None:
    """`text` is said in words: no expression syntax, no field id, no word with a lower-case Latin letter."""
    assert not CODE.search(text), f"{where}: code in {text!r}"
    found = set(WORD.findall(text))
    assert not found, f"{where}: English or field ids {sorted(found)} in {text!r}"
    assert not (found & field_ids)


@pytest.fixture(scope="module")
def field_ids(project: Project) -> set[str]:
    ids = set()
    for form in project.forms.values():
        for f in form.fields().values():
            ids.add(f.id)
            ids.update(c.id for c in f.columns)
            ids.update(o.value for o in f.options)
    return ids


@pytest.fixture(scope="module")
def examples(project: Project, labels: Labels) -> Report:
    checker = Checker(project, labels, AS_OF, scope="records/examples")
    return check_paths(checker, [EXAMPLES], jobs=1, root=REPO)


@pytest.fixture(scope="module")
def planned(examples: Report, project: Project) -> Report:
    return dataclasses.replace(examples, plan=load_audit_plan(PLAN, "docs/examples/audit-plan.yaml", project))


# -- reading the reports back ---------------------------------------------------------------------

def docx_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def docx_statements(data: bytes, labels: Labels) -> Iterator[tuple[str, str]]:
    """(where, text) for every requirement and values text of the Word report: the sheets' rows of those
    names, and the columns of those names in the observations and the summary by rule."""
    document = docx.Document(io.BytesIO(data))
    wanted = (labels["audit_requirement"], labels["report_values"])
    for t, table in enumerate(document.tables):
        heads = [c.text for c in table.rows[0].cells]
        columns = [k for k, h in enumerate(heads) if h in wanted]
        for r, row in enumerate(table.rows):
            cells = [c.text for c in row.cells]
            if cells[0] in wanted:
                yield f"docx table {t} row {r}", cells[1]
            if r > 0:
                for k in columns:
                    yield f"docx table {t} row {r} column {heads[k]}", cells[k]


def html_statements(page: str) -> Iterator[tuple[str, str]]:
    tree = lxml.html.document_fromstring(page)
    for td in tree.xpath("//td[@class='req']"):
        code = td.xpath("string(span[contains(@class, 'code')])")
        yield "html requirement", td.text_content().removeprefix(code)
    for li in tree.xpath("//td[@class='vals']//li"):
        yield "html value", li.text_content()


def xlsx_statements(data: bytes, labels: Labels) -> Iterator[tuple[str, str]]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[labels["audit_sheet_findings"]]
    rows = list(ws.iter_rows(values_only=True))
    heads = list(rows[0])
    for key in ("audit_requirement", "report_values"):
        k = heads.index(labels[key])
        for n, row in enumerate(rows[1:], start=2):
            yield f"xlsx {labels[key]} row {n}", str(row[k] or "")


def statements(report: Report, project: Project, labels: Labels) -> Iterator[tuple[str, str]]:
    yield from docx_statements(render("docx", report, project, labels), labels)
    yield from html_statements(render("html", report, project, labels).decode("utf-8"))
    yield from xlsx_statements(render("xlsx", report, project, labels), labels)


# -- no code in the reports people read ---------------------------------------------------------------

def test_the_example_reports_state_requirements_and_values_in_words(examples: Report, project: Project,
                                                                    labels: Labels, field_ids: set[str]) -> None:
    said = list(statements(examples, project, labels))
    assert len(said) > 3 * len(examples.findings)
    for where, text in said:
        assert_words(text, where, field_ids)


def _synthetic(rule: Rule, project: Project, n: int) -> Finding:
    """A finding of `rule` with a value for every field it reads, as the checker keys them (a table cell by
    its row, a period, a computed value), a choice by its stored value, and code as the expected value."""
    form = project.forms[rule.forms[0]]
    refs = list(rule.spec.refs()) + [r for e in rule.spec.exprs() for r in e.refs]
    values: dict[str, str] = {}
    for ref in refs:
        key = f"{ref.field}.2.{ref.part}" if ref.is_column else ref.path
        values[key] = ref.options[0] if ref.options else "2025-09-01"
    if isinstance(rule.spec, Frequency):
        values = {"2025-Q3": "0"}
    if isinstance(rule.spec, Limit):
        values[rule.spec.value.text] = "3"
    record = RecordRef(f"records/r{n}.json", "", form.id, form.revision, f"R-{n}")
    return Finding(rule.code, rule.title, rule.severity, "fail", rule.citation, record, tuple(values), values,
                   "copy_to_qm_on >= marketing_leader.date", "消息")


def _builtins(project: Project) -> list[Finding]:
    """A finding of every built-in check, on fields of every shape: a signature's date, a table cell, a choice."""
    form = project.forms["SJE/JL/GK-09-02"]
    fields = form.fields()
    table = next(f for f in fields.values() if f.type == FieldType.TABLE)
    signature = next(f for f in fields.values() if f.type == FieldType.SIGNATURE)
    cell = f"{table.id}.2.{table.columns[0].id}"
    record = RecordRef("records/b.json", "3", form.id, form.revision, "PQ-1")
    iso = Citation("ISO 9001:2015", "7.5.3.2", "文件控制")
    cite = Citation(form.procedure, form.clause, "", "A/0")
    items = [("QMS-REQUIRED", "missing", (f"{signature.id}.date",), {}), ("QMS-REQUIRED", "missing", (cell,), {}),
             ("QMS-VALUE", "unreadable", (cell,), {cell: "下周一"}), ("QMS-VALUE", "impossible",
                                                                      (f"{signature.id}.date",), {}),
             ("QMS-VALUE", "fail", (cell,), {cell: "120"}),
             ("QMS-FUTURE", "future", (f"{signature.id}.date",), {f"{signature.id}.date": "2026-12-01"}),
             ("QMS-REVISION", "fail", ("revision",), {"revision": "B/0"}),
             ("QMS-UNDATED", "missing", (f"{signature.id}.date",), {}),
             ("QMS-RECORD", "unreadable_record", (), {}), ("QMS-MORE", "fail", (), {"findings": "3"})]
    return [Finding(code, code, Severity.MINOR, outcome, iso if code in ("QMS-REVISION", "QMS-UNDATED") else cite,
                    record, paths, values, "0–100" if code == "QMS-VALUE" else "≤ 2026-01-15", "消息")
            for code, outcome, paths, values in items]


@pytest.mark.parametrize("severity", [Severity.MAJOR, Severity.OBSERVATION])
def test_every_rule_and_built_in_check_is_said_in_words(project: Project, labels: Labels, field_ids: set[str],
                                                       severity: Severity) -> None:
    """Every rule in rules/ (each form it names) and every built-in check, as a sheet (major) and as a row
    of the observations table: the requirement and values texts are words in every report."""
    findings = [dataclasses.replace(_synthetic(rule, project, n), severity=severity, id="")
                for n, rule in enumerate(project.rules)]
    findings += [dataclasses.replace(f, severity=severity, id="") for f in _builtins(project)]
    report = Report(AS_OF, "records", len(findings), len(findings), len(project.rules), tuple(findings))
    said = list(statements(report, project, labels))
    assert len(said) >= 3 * len(findings)
    for where, text in said:
        assert_words(text, where, field_ids)
    words = Wording(project, labels)
    assert {words.requirement(f) for f in findings if f.rule.startswith("QMS-")} <= {
        t for _, t in said}  # the built-in checks' requirements are in the reports


def test_a_chinese_report_has_no_english_word(examples: Report, project: Project, labels: Labels) -> None:
    """The whole text of the Word, HTML and spreadsheet reports, but the record files' names, the record
    numbers and the finding ids: no English word, no field id."""
    removed = {f.id for f in examples.findings} | {f.record.source for f in examples.findings}
    removed |= {ref.source for ref, _ in examples.checked}

    def clean(text: str) -> str:
        for item in sorted(removed, key=len, reverse=True):
            text = text.replace(item, " ")
        return text

    document = docx.Document(io.BytesIO(render("docx", examples, project, labels)))
    texts = {"docx": "\n".join(["\n".join(r) for r in docx_rows(render("docx", examples, project, labels))]
                               + [p.text for p in document.paragraphs]),
             "html": lxml.html.document_fromstring(render("html", examples, project, labels)).body.text_content(),
             "csv": render("csv", examples, project, labels).decode("utf-8-sig")}
    for name, text in texts.items():
        words = set(WORD.findall(clean(text))) - {"records", "examples"}  # the checked folder's name
        assert not words, f"{name}: {sorted(words)}"


def test_values_carry_the_forms_labels_choices_periods_and_rows(examples: Report, project: Project,
                                                                labels: Labels) -> None:
    text = "\n".join("\n".join(r) for r in docx_rows(render("docx", examples, project, labels)))
    assert "经办人签字日期：2026-01-20" in text  # QMS-FUTURE on a signature's date, as the issue asks
    assert "经办人一栏填写的日期 2026-01-20 晚于审核日期 2026-01-15" in text
    assert "派出人员名单第 2 行工种：（空）" in text  # a table cell: row and column
    assert "报送：总经理" in text and "复印件转发部门：生产管理部、财务部、技术部" in text  # options by label
    assert "2025 年第 3 季度的顾客问卷份数：0" in text  # a period in words
    assert "营销员：赵敏" in text and "全部受检记录（2025 年　赵敏）" in text
    assert "2025 期间赵敏有出差报告" in text  # not "在 2025 有"


# -- the shape of an audit report -----------------------------------------------------------------

def test_the_plan_is_on_the_cover_of_every_report(planned: Report, project: Project, labels: Labels) -> None:
    plan = planned.plan
    assert plan is not None and plan.number == "SJE/JL/NS-2026-01"
    expected = ["SJE/JL/NS-2026-01", "2026 年第一次内部审核（顾客服务过程记录）", "2026-01-12 至 2026-01-15",
                "王伟（审核组长）、李娜、赵强（技术专家）", "顾客服务部、市场部、销售部、生产部", "周敏",
                "记录期间：2025-04-01 至 2025-12-31", "确认顾客服务过程的记录是否符合程序文件的要求",
                "受审核部门：顾客服务部、市场部、销售部、生产部", "2025 年 4 月至 12 月形成的顾客服务过程记录"]
    document = docx.Document(io.BytesIO(render("docx", planned, project, labels)))
    cover = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    cover += "\n".join(p.text for p in document.paragraphs[:3])
    header = "\n".join(c.text for t in document.sections[0].header.tables for row in t.rows for c in row.cells)
    html = lxml.html.document_fromstring(render("html", planned, project, labels))
    details = html.xpath("string(//table[@class='details'])")
    sheet = openpyxl.load_workbook(io.BytesIO(render("xlsx", planned, project, labels)))[labels["audit_report_title"]]
    workbook = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    for text in expected:
        assert text in cover and text in details and text in workbook, text
    assert "SJE/JL/NS-2026-01" in header and "2026-01-12 至 2026-01-15" in header
    signoff = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert signoff == [["职责", "姓名", "签字", "日期"], ["审核组长", "王伟", "", ""], ["受审核方代表", "周敏", "", ""]]


def test_two_reports_on_one_day_get_different_numbers_and_the_same_run_the_same_bytes(
        examples: Report, project: Project, labels: Labels) -> None:
    checker = Checker(project, labels, AS_OF, scope="records/examples/json")
    other = check_paths(checker, [EXAMPLES / "json"], jobs=1, root=REPO)
    first = build_audit(examples, project, labels, Wording(project, labels)).number
    second = build_audit(other, project, labels, Wording(project, labels)).number
    assert first.startswith("SJE/JL/NS-20260115-") and second.startswith("SJE/JL/NS-20260115-")
    assert first != second
    again = check_paths(Checker(project, labels, AS_OF, scope="records/examples"), [EXAMPLES], jobs=2, root=REPO)
    for fmt in ("docx", "html", "xlsx", "csv"):
        assert render(fmt, again, project, labels) == render(fmt, examples, project, labels), fmt
    assert first in render("html", examples, project, labels).decode("utf-8")
    assert records_prefix(project.site) == "SJE/JL/"  # the site's record numbers: codes.form


def test_summaries_by_rule_cite_every_clause_and_by_procedure_and_department_add_up(
        examples: Report, project: Project, labels: Labels) -> None:
    audit = build_audit(examples, project, labels, Wording(project, labels))
    required = next(r for r in audit.by_rule if r.code == "QMS-REQUIRED")
    cited = {f.criterion.label for f in examples.findings if f.rule == "QMS-REQUIRED"}
    assert {c.label for c in required.clauses} == cited and len({c.document for c in required.clauses}) >= 3
    nonconformities = len(examples.nonconformities)
    assert sum(t.total for t in audit.by_procedure) == nonconformities
    assert sum(t.total for t in audit.by_department) == nonconformities
    assert [t.key for t in audit.by_procedure if t.key] == sorted(project.procedures)  # none left out
    assert {t.title for t in audit.by_department} >= {"顾客服务部", "市场部", "销售部", "生产部"}
    text = "\n".join("\n".join(r) for r in docx_rows(render("docx", examples, project, labels)))
    for label in cited:
        document, revision, clause = label.split(" ", 2)
        assert f"{document} {revision}\n{clause}" in text


def test_a_sheet_per_major_and_minor_nonconformity_and_one_table_of_observations(
        examples: Report, project: Project, labels: Labels) -> None:
    document = docx.Document(io.BytesIO(render("docx", examples, project, labels)))
    sheets = [t for t in document.tables if t.cell(0, 0).text == "编号" and t.cell(0, 1).text.startswith("NC-")]
    wanted = [f for f in examples.nonconformities if f.severity != Severity.OBSERVATION]
    observations = [f for f in examples.nonconformities if f.severity == Severity.OBSERVATION]
    assert len(sheets) == len(wanted) and observations
    for n, (table, f) in enumerate(zip(sheets, wanted, strict=True), start=1):
        number, trace = table.cell(0, 1).text.split("\n")
        assert number == f"NC-{n:02d}" and f.id in trace and f.rule in trace  # the id in small type
        assert table.cell(6, 1).text == f.message
    [table] = [t for t in document.tables if t.cell(0, 0).text == "编号" and t.cell(0, 1).text == "要求"]
    assert [row.cells[0].text for row in table.rows[1:]] == [f"GC-{n:02d}" for n in range(1, len(observations) + 1)]
    assert [row.cells[4].text for row in table.rows[1:]] == [f.message for f in observations]
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert footer == labels["audit_footer"] and "qmsdoc" not in footer


def test_english_reports_use_the_english_catalogue(examples: Report, project: Project) -> None:
    en = load_labels("en")
    document = docx.Document(io.BytesIO(render("docx", examples, project, en)))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells)
    for key in ("audit_report_title", "audit_criteria", "audit_conclusion", "audit_signoff"):
        assert en[key] in text
    assert "Nonconformity report NC-01" in text and "OBS-01" in text
    assert "内部审核报告" not in text and "审核准则" not in text and "：" not in en["audit_pair"]


def test_label_catalogues_match_and_each_speaks_its_language() -> None:
    zh, en = load_labels("zh-CN"), load_labels("en")
    placeholder = re.compile(r"\{(\w*)\}")
    check_keys = [k for k in zh.texts if k.startswith(("check_", "reason_", "audit_", "due_"))]
    assert sorted(check_keys) == sorted(k for k in en.texts if k.startswith(("check_", "reason_", "audit_", "due_")))
    for key in check_keys:
        assert set(placeholder.findall(zh[key])) == set(placeholder.findall(en[key])), key
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    for key in (k for k in en.texts if k.startswith("audit_")):
        assert not cjk.search(en[key]), key  # no Chinese, no full-width punctuation in English
    for key in (k for k in zh.texts if k.startswith("audit_")):
        assert not WORD.search(placeholder.sub("", zh[key])), key  # no English word in Chinese


def test_reports_are_the_same_for_any_number_of_workers(project: Project, labels: Labels, tmp_path: Path) -> None:
    """The audit number and every report depend on the findings, not on how they were found."""
    one = check_paths(Checker(project, labels, AS_OF, scope="records/examples/yaml"), [EXAMPLES / "yaml"], jobs=1,
                      root=REPO)
    four = check_paths(Checker(project, labels, AS_OF, scope="records/examples/yaml"), [EXAMPLES / "yaml"], jobs=4,
                       root=REPO)
    assert render("xlsx", one, project, labels) == render("xlsx", four, project, labels)


# -- thousands of sheets, each its own finding ----------------------------------------------------

def test_every_sheet_carries_its_own_finding_and_every_observation_its_row(project: Project,
                                                                          labels: Labels) -> None:
    """Sheets are copied from one built per severity: each must carry its finding's texts, in order; the
    observations are rows of one table. (Replaces tests/hostile/test_outputs.py's sheet test, which
    expects a sheet for observations too.)"""
    from support.ooxml_schema import validate_docx

    n = 300
    odd = " 前导空格\t制表符\r回车  \n\n第三行 "
    criterion = Citation("SJE/ZY/GK-09", "第二条", "售后服务问题反馈调查的管理制度")
    findings = tuple(
        Finding(f"R-{k % 7}", f"规则 {k % 7}", tuple(Severity)[k % 3], "fail", criterion,
                RecordRef(f"records/r{k:04d}.jsonl", str(k + 1), "SJE/JL/GK-09-01", "A/0", f"FK-{k:04d}"),
                ("problem_cause",), {"problem_cause": f"值 {k}"}, None, f"第 {k} 条{odd if k % 50 == 0 else ''}")
        for k in range(n))
    report = Report(dt.date(2025, 6, 30), "records", n, n, 7, findings)
    data = render("docx", report, project, labels)
    assert data == render("docx", report, project, labels)
    assert validate_docx(data) == []
    tables = docx.Document(io.BytesIO(data)).tables
    sheets = [t for t in tables if t.cell(0, 0).text == "编号" and t.cell(0, 1).text.startswith("NC-")]
    wanted = [f for f in findings if f.severity != Severity.OBSERVATION]
    assert len(sheets) == len(wanted) == 200
    severities = {s: labels[f"report_severity_{s.value}"] for s in Severity}
    for k, (f, table) in enumerate(zip(wanted, sheets, strict=True), start=1):
        assert table.cell(0, 1).text == f"NC-{k:02d}\n{f.rule}　追溯码 {f.id}"
        assert table.cell(0, 3).text == severities[f.severity]
        assert table.cell(2, 1).text == f.title  # the requirement: the rule's title
        assert f.record.record_id in table.cell(4, 1).text and f.record.where in table.cell(4, 1).text
        assert table.cell(5, 1).text == f"问题原因：{f.values['problem_cause']}"
        assert table.cell(6, 1).text == f.message.replace("\r", "\n")  # a CR is a line break in Word
    [observations] = [t for t in tables if t.cell(0, 0).text == "编号" and t.cell(0, 1).text == "要求"]
    rows = observations.rows[1:]
    assert [r.cells[0].text for r in rows] == [f"GC-{k:02d}" for k in range(1, 101)]
    assert [r.cells[4].text for r in rows] == [f.message.replace("\r", "\n") for f in findings
                                                if f.severity == Severity.OBSERVATION]
