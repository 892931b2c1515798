"""What a record's dates mean: planned dates may lie after the audit date, done dates may not; a record
is dated by the first filled field of a documented order, and a record with no date at all says so.

The small project: procedure SJE/ZY/GK-90 A/0 in force from 2025-04-01; its form is at B/0 since
2025-09-01 (A/0 before, by the form's history). The form names an optional dated_by (issued_on), has
planned dates (a due date, a planned time, a table's delivery dates) and done ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from checker.conftest import codes, record
from qmsdoc.checker.builtin import record_dating, record_day, undated_issue
from qmsdoc.checker.engine import Checker
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import Finding
from qmsdoc.model.project import Project

from conftest import make_project
from support.sources import form_text, procedure_text

FORM = "SJE/JL/GK-90-01"
LABELS = load_labels("zh-CN")
AS_OF = dt.date(2025, 12, 31)

FIELDS = """\
- {id: record_no, label: 编号, type: text}
- {id: issued_on, label: 填写日期, type: date}
- {id: due_on, label: 要求完成日期, type: date, planned: true}
- {id: next_at, label: 计划时间, type: datetime, planned: true}
- {id: done_at, label: 完成时间, type: datetime}
- {id: leader, label: 负责人, type: signature, role: 主管领导}
- {id: checked_on, label: 检查日期, type: date}
- id: items
  label: 明细
  type: table
  columns:
    - {id: delivery_on, label: 交货日期, type: date, planned: true}
    - {id: shipped_on, label: 发货日期, type: date}
"""
FILES = {
    "procedures/T.md": procedure_text("1. 记录写明日期。\n", forms=[FORM]),
    "forms/F.yaml": form_text(FIELDS, revision="B/0", effective="2025-09-01", dated_by="issued_on",
                              history=[("A/0", "2025-04-01", "王伟", "首次发布。"),
                                       ("B/0", "2025-09-01", "王伟", "改版。")]),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return load_project(make_project(tmp_path_factory.mktemp("dates"), FILES))


def check(project: Project, fields: dict[str, Any], *, revision: str = "B/0", as_of: dt.date = AS_OF
          ) -> list[Finding]:
    return Checker(project, LABELS, as_of).check(record(project, fields, form=FORM, revision=revision, base=False))[0]


# -- planned and done dates after the audit date --------------------------------------------------

def test_planned_dates_may_lie_after_the_audit_date(project: Project) -> None:
    found = check(project, {"issued_on": "2025-10-01", "due_on": "2026-03-01", "next_at": "2026-03-01 09:00",
                            "items": [{"delivery_on": "2026-02-01", "shipped_on": "2025-12-30"}]})
    assert found == []


@pytest.mark.parametrize("fields,expected", [
    ({"checked_on": "2025-12-31"}, []),  # the audit date itself is not after it
    ({"checked_on": "2026-01-01"}, [("QMS-FUTURE", "future", ("checked_on",))]),
    ({"done_at": "2025-12-31 23:59"}, []),
    ({"done_at": "2026-01-01 00:00"}, [("QMS-FUTURE", "future", ("done_at",))]),
    ({"leader": {"name": "李四", "date": "2026-01-01"}}, [("QMS-FUTURE", "future", ("leader.date",))]),
    ({"items": [{"shipped_on": "2025-12-01"}, {"shipped_on": "2026-01-02"}]},
     [("QMS-FUTURE", "future", ("items.2.shipped_on",))]),
])
def test_a_done_date_after_the_audit_date_is_a_finding(project: Project, fields: dict[str, Any],
                                                       expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    assert codes(check(project, {"issued_on": "2025-10-01", **fields})) == expected


def test_a_date_column_after_the_audit_date_names_its_row(project: Project) -> None:
    (found,) = check(project, {"issued_on": "2025-10-01", "items": [{"shipped_on": "2026-01-02"}]})
    assert found.message == "明细/发货日期一栏填写的日期 2026-01-02 晚于审核日期 2025-12-31"
    assert (found.title, found.expected, found.values) == (
        "日期晚于审核日期", "≤ 2025-12-31", {"items.1.shipped_on": "2026-01-02"})


# -- what dates a record ----------------------------------------------------------------------------

def dating(project: Project, fields: dict[str, Any]) -> tuple[str, dt.date] | None:
    checker = Checker(project, LABELS, AS_OF)
    return record_dating(project.forms[FORM], record(project, fields, form=FORM, base=False), checker.ctx)


@pytest.mark.parametrize("fields,expected", [
    ({"issued_on": "2025-10-01", "leader": {"name": "李四", "date": "2025-10-02"}}, ("issued_on", "2025-10-01")),
    ({"leader": {"name": "李四", "date": "2025-10-02"}, "done_at": "2025-09-30 10:00"}, ("leader.date", "2025-10-02")),
    ({"leader": {"name": "李四"}, "done_at": "2025-09-30 23:30", "checked_on": "2025-09-01"},
     ("done_at", "2025-09-30")),  # a signature without its date does not date the record
    ({"due_on": "2025-05-01", "checked_on": "2025-10-05"}, ("checked_on", "2025-10-05")),  # planned: never
    ({"issued_on": "2025-13-01", "checked_on": "2025-10-05"}, ("checked_on", "2025-10-05")),  # unreadable: next
    ({"due_on": "2025-05-01", "items": [{"shipped_on": "2025-10-01"}]}, None),  # columns never date a record
])
def test_a_record_is_dated_by_the_first_filled_field_in_order(project: Project, fields: dict[str, Any],
                                                              expected: tuple[str, str] | None) -> None:
    got = dating(project, fields)
    assert got == (None if expected is None else (expected[0], dt.date.fromisoformat(expected[1])))


def test_the_form_revision_is_checked_on_the_date_that_was_found(project: Project) -> None:
    # issued_on (dated_by) left blank: the leader's signature dates the record, after B/0 replaced A/0
    found = check(project, {"leader": {"name": "李四", "date": "2025-10-02"}}, revision="A/0")
    assert [(f.rule, f.outcome, f.expected) for f in found] == [("QMS-REVISION", "fail", "B/0")]
    assert "记录日期 2025-10-02 时" in found[0].message
    # dated before B/0 by a done date: A/0 was in force
    assert check(project, {"checked_on": "2025-08-01"}, revision="A/0") == []


def test_a_record_without_a_date_has_an_undated_issue(project: Project) -> None:
    checker = Checker(project, LABELS, AS_OF)
    form = project.forms[FORM]
    undated = record(project, {"due_on": "2025-05-01", "items": [{"shipped_on": "2025-10-01"}]}, form=FORM, base=False)
    assert record_day(form, undated, checker.ctx) is None
    issue = undated_issue(form, undated, checker.ctx)
    assert issue is not None
    assert (issue.outcome, issue.fields, issue.key) == ("missing", ("issued_on",), "check_undated")
    assert LABELS["check_undated"].format(**issue.names) == (
        "记录上没有可识别的日期（填写日期、负责人、完成时间、检查日期均未填写或无法识别），"
        "无法确定记录日期时有效的表单和文件版本；本记录按审核日期 2025-12-31 时有效的版本检查")
    dated = record(project, {"checked_on": "2025-10-05"}, form=FORM, base=False)
    assert undated_issue(form, dated, checker.ctx) is None


def test_a_record_without_a_date_is_reported_once(project: Project) -> None:
    found = check(project, {"due_on": "2025-05-01"})
    assert [(f.rule, f.outcome, f.fields) for f in found] == [("QMS-UNDATED", "missing", ("issued_on",))]
    assert (found[0].criterion.document, found[0].criterion.clause) == ("ISO 9001:2015", "7.5.3.2")
