"""Records are checked against the requirements in force on their date.

The scenario: procedure SJE/ZY/GK-90 A/0 (limit_days: 5, clauses 第一条 and 第二条) released and
effective on 2025-01-01; then its source becomes B/0 (limit_days: 3, a new 第三条 with
reply_days: 2), effective on 2025-12-01 and not released. A record is judged by the rules
compiled for the revision in force on its date, with that revision's params, and its findings
cite that revision; a record from before A/0 is judged by none. Lint reports revision names
that are none of the procedure's and rules that do not hold for a revision they apply to.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.conftest import record
from qmsdoc.checker.engine import Checker
from qmsdoc.checker.revisions import check_rule_revisions, in_force_by_day, rule_book
from qmsdoc.checker.run import check_paths
from qmsdoc.errors import SourceError
from qmsdoc.lifecycle.release import release
from qmsdoc.lifecycle.states import document_states
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import Finding
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation
from qmsdoc.report.json_ import render_json

from conftest import make_project
from support.sources import form_text, procedure_text

PROC, FORM, LOG = "SJE/ZY/GK-90", "SJE/JL/GK-90-01", "SJE/JL/GK-90-02"
LABELS = load_labels("zh-CN")
AFTER_B0 = dt.date(2026, 1, 15)
"""An audit date on which B/0 is in force."""
BEFORE_B0 = dt.date(2025, 6, 30)
"""An audit date on which A/0 is in force."""

BODY_A0 = """\
为了测试，特制定本制度。

1. 记录写明日期和备注。
2. 结果在{{ params.limit_days }}天内填写。
"""
BODY_B0 = BODY_A0 + "3. 答复在{{ params.reply_days }}天内。\n"
A0 = procedure_text(BODY_A0, forms=[FORM, LOG], params={"limit_days": 5, "per_quarter": 1},
                    prepared=("王伟", "2024-12-01"), reviewed=("李娜", "2024-12-05"), approved=("赵强", "2024-12-10"),
                    effective="2025-01-01")
B0 = procedure_text(BODY_B0, forms=[FORM, LOG], revision="B/0",
                    params={"limit_days": 3, "reply_days": 2, "per_quarter": 2},
                    prepared=("王伟", "2025-11-01"), reviewed=("李娜", "2025-11-05"), approved=("赵强", "2025-11-10"),
                    effective="2025-12-01",
                    history=[("A/0", "2025-01-01", "王伟", "首次发布。"), ("B/0", "2025-12-01", "李娜", "期限改为 3 天。")])

FIELDS = """\
- {id: record_no, label: 编号, type: text}
- {id: issued_on, label: 填写日期, type: date}
- {id: x, label: 开始日期, type: date}
- {id: y, label: 完成日期, type: date}
- {id: answered_on, label: 答复日期, type: date}
- {id: note, label: 备注, type: text}
"""
RECORD_FORM = form_text(FIELDS, title="测试记录", effective="2025-01-01", dated_by="issued_on")
SIGNED = ("copies: 1\nprepared: {name: 王伟, date: 2024-12-01}\nreviewed: {name: 李娜, date: 2024-12-05}\n"
          "approved: {name: 赵强, date: 2024-12-10}\n")
LOG_A0 = form_text("- {id: done_on, label: 完成日期, type: date}\n", id=LOG, title="台账", effective="2025-01-01",
                   clause="第二条").replace("copies: 1\n", SIGNED)
LOG_B0_DRAFT = form_text("- {id: done_on, label: 完成日期, type: date}\n- {id: by, label: 经办人, type: person}\n",
                         id=LOG, title="台账", revision="B/0", status="draft", effective="2025-12-01", clause="第二条",
                         history=[("A/0", "2025-01-01", "王伟", "首次发布。"), ("B/0", "2025-12-01", "李娜", "增加经办人。")])
"""The log's B/0: still a draft, though its history gives a date: A/0 stays in force."""

RULES = """\
procedure: SJE/ZY/GK-90
rules:
  - code: T-01
    title: 结果在期限内填写
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: major
    deadline: {from: x, to: y, within: params.limit_days, unit: calendar_days}
  - code: T-02
    title: 写明备注
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: minor
    revisions: [A/0]
    required: [note]
  - code: T-03
    title: 答复期限
    form: SJE/JL/GK-90-01
    clause: 第三条
    severity: major
    from_revision: B/0
    deadline: {from: y, to: answered_on, within: params.reply_days}
  - code: T-04
    title: 每季度的记录
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: minor
    frequency: {date: issued_on, per: quarter, at_least: params.per_quarter}
"""


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project once A/0 (and the log's A/0) is released and the sources have moved on to B/0."""
    root = make_project(tmp_path_factory.mktemp("revisions"),
                        {"procedures/T.md": A0, "forms/F.yaml": RECORD_FORM, "forms/L.yaml": LOG_A0})
    before = load_project(root)
    release(before, [before.procedures[PROC], before.forms[LOG]], dt.date(2024, 12, 20), LABELS, soffice=None,
            released_by="陈静")
    (root / "procedures/T.md").write_text(B0, encoding="utf-8")
    (root / "forms/L.yaml").write_text(LOG_B0_DRAFT, encoding="utf-8")
    (root / "rules").mkdir()
    (root / "rules/T.yaml").write_text(RULES, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(released: Path) -> Project:
    return load_project(released)


def with_rules(released: Path, tmp_path: Path, rules: str) -> Path:
    """A copy of the released project with another rules file."""
    root = tmp_path / "copy"
    shutil.copytree(released, root)
    (root / "rules/T.yaml").write_text(rules, encoding="utf-8")
    return root


def check(project: Project, fields: dict[str, Any], as_of: dt.date = AFTER_B0,
          form: str = FORM, revision: str | None = None) -> tuple[list[Finding], tuple[str, ...]]:
    checker = Checker(project, LABELS, as_of)
    return checker.check(record(project, fields, form=form, base=False, revision=revision))


def at(text: str, needle: str, occurrence: int = 1) -> str:
    """`line:col` of the `occurrence`-th `needle` in a source text (1-based, in characters)."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return f"{line}:{start - (text.rfind(chr(10), 0, start) + 1) + 1}"


# -- which revision judges a record --------------------------------------------------------

MARCH_4_DAYS = {"issued_on": "2025-03-03", "x": "2025-03-03", "y": "2025-03-07", "note": "有"}
"""Mon to Fri: within A/0's 5 days (the 5th day, a Saturday, moves to Monday 03-10), not within 3."""
DECEMBER_4_DAYS = {"issued_on": "2025-12-08", "x": "2025-12-08", "y": "2025-12-12", "note": "有",
                   "answered_on": "2025-12-12"}
"""Mon to Fri under B/0: the 3rd day is Thursday 12-11."""


def test_a_record_dated_under_a0_is_judged_by_a0s_params(project: Project) -> None:
    assert check(project, MARCH_4_DAYS)[0] == []
    late, applied = check(project, {**MARCH_4_DAYS, "y": "2025-03-11"})
    assert [(f.rule, f.outcome, f.expected) for f in late] == [("T-01", "fail", "≤ 2025-03-10")]
    assert late[0].criterion == Citation(PROC, "第二条", "测试制度", "A/0")
    assert late[0].criterion.label == "SJE/ZY/GK-90 A/0 第二条"
    assert "起 5 天" in late[0].message
    assert applied == ("T-01", "T-02")


def test_a_record_dated_under_b0_is_judged_by_b0s_params_and_cites_b0(project: Project) -> None:
    found, applied = check(project, DECEMBER_4_DAYS)
    assert [(f.rule, f.outcome, f.expected) for f in found] == [("T-01", "fail", "≤ 2025-12-11")]
    assert found[0].criterion.label == "SJE/ZY/GK-90 B/0 第二条"
    assert "起 3 天" in found[0].message
    assert applied == ("T-01", "T-03")


def test_the_revision_is_chosen_by_the_record_date_not_the_audit_date(project: Project) -> None:
    # audited after B/0 took effect, the March record is still judged by A/0, and the other way round
    assert check(project, MARCH_4_DAYS, as_of=AFTER_B0)[0] == []
    found, _ = check(project, {**DECEMBER_4_DAYS, "issued_on": "2025-03-03"}, as_of=AFTER_B0)
    assert found == []  # dated in March: A/0's 5 days, although x and y are in December


def test_a_record_whose_dating_field_is_blank_is_dated_by_its_next_filled_date(project: Project) -> None:
    # issued_on (dated_by) is blank: x dates it (2025-03-03), so A/0's 5 days apply on any audit date
    no_issue_date = {**{k: v for k, v in MARCH_4_DAYS.items() if k != "issued_on"}, "answered_on": "2025-03-07"}
    assert check(project, no_issue_date, as_of=BEFORE_B0)[0] == []
    assert check(project, no_issue_date, as_of=AFTER_B0)[0] == []


def test_a_record_from_before_any_revision_gets_one_finding_and_no_rule_findings(project: Project) -> None:
    # late (T-01) and without a note (T-02) in A/0's terms, but A/0 was not in force yet
    found, applied = check(project, {"issued_on": "2024-06-01", "x": "2024-06-03", "y": "2024-06-30"})
    assert len(found) == 1 and applied == ()
    (f,) = found
    assert (f.rule, f.outcome, f.fields, f.expected) == ("QMS-REVISION", "fail", ("issued_on",), "≥ 2025-01-01")
    assert f.message == "2024-06-01 时 SJE/ZY/GK-90 尚无生效版本（首个版本 A/0 于 2025-01-01 生效），本记录不按其规则检查"
    assert f.criterion == Citation("ISO 9001:2015", "7.5.3.2", "文件控制")
    assert f.criterion.revision is None and f.criterion.label == "ISO 9001:2015 7.5.3.2"
    assert f.title == LABELS["check_title_revision"]


def test_the_revision_in_force_is_what_document_states_says(project: Project) -> None:
    timelines = in_force_by_day(project)
    days = [dt.date(2024, 12, 31) + dt.timedelta(days=n) for n in range(3)]
    days += [dt.date(2025, 11, 30) + dt.timedelta(days=n) for n in range(3)] + [dt.date.min, dt.date(2999, 1, 1)]
    for day in days:
        states = document_states(project, as_of=day)
        for doc_id in (PROC, FORM, LOG):
            expected = states[doc_id].in_force
            got = timelines[doc_id].on(day)
            assert (got.revision if got else None) == (expected.revision if expected else None), (doc_id, day)


# -- revisions: and from_revision: ------------------------------------------------------------

def test_revisions_lists_the_revisions_a_rule_applies_to(project: Project) -> None:
    march, _ = check(project, {**MARCH_4_DAYS, "note": None})
    assert [(f.rule, f.outcome, f.criterion.label) for f in march] == [("T-02", "missing", "SJE/ZY/GK-90 A/0 第一条")]
    december, _ = check(project, {**DECEMBER_4_DAYS, "y": "2025-12-10", "note": None})
    assert december == []  # T-02 is A/0's only


def test_from_revision_applies_from_that_revision_on(project: Project) -> None:
    late_answer = {"x": "2025-12-08", "y": "2025-12-10", "answered_on": "2025-12-15", "note": "有"}
    december, _ = check(project, {**late_answer, "issued_on": "2025-12-08"})
    assert [(f.rule, f.expected, f.criterion.label) for f in december] == [
        ("T-03", "≤ 2025-12-12", "SJE/ZY/GK-90 B/0 第三条")]
    march, _ = check(project, {**late_answer, "issued_on": "2025-03-03"})
    assert march == []  # A/0 has no 第三条 and no reply deadline


def test_the_rules_are_compiled_once_per_revision_with_that_revisions_params(project: Project) -> None:
    book = rule_book(project)
    assert book.order[PROC] == ("A/0", "B/0")
    assert [r.code for r in book.rules[(PROC, "A/0")]] == ["T-01", "T-02", "T-04"]
    assert [r.code for r in book.rules[(PROC, "B/0")]] == ["T-01", "T-03", "T-04"]
    assert {rev: [r.params["limit_days"] for r in rules] for (_, rev), rules in book.rules.items()} == {
        "A/0": [5, 5, 5], "B/0": [3, 3, 3]}
    assert not book.diagnostics and not check_rule_revisions(project)
    assert {r.code for r in project.rules} == {"T-01", "T-03", "T-04"}  # the current source's: B/0


def test_a_checker_can_be_given_some_of_the_rules(project: Project) -> None:
    checker = Checker(project, LABELS, AFTER_B0, book=rule_book(project).only(["T-03"]))
    found, applied = checker.check(record(project, {**DECEMBER_4_DAYS, "answered_on": None}, base=False))
    assert [f.rule for f in found] == ["T-03"] and applied == ("T-03",)
    assert checker.rule_codes == {"T-03"} and checker.set_rules == ()


def test_set_rules_are_those_of_the_revision_in_force_on_the_audit_date(project: Project) -> None:
    def quarter_findings(as_of: dt.date, since: dt.date) -> list[tuple[str, str | None, str | None]]:
        findings, _ = Checker(project, LABELS, as_of, since=since).check_set([], None)
        return [(f.record.location, f.expected, f.criterion.revision) for f in findings if f.rule == "T-04"]

    assert quarter_findings(dt.date(2025, 7, 15), dt.date(2025, 4, 1)) == [("2025-Q2", "≥ 1", "A/0")]
    assert quarter_findings(AFTER_B0, dt.date(2025, 10, 1)) == [("2025-Q4", "≥ 2", "B/0")]


def test_the_report_is_the_same_for_any_number_of_workers(project: Project, tmp_path: Path) -> None:
    records = [MARCH_4_DAYS, {**MARCH_4_DAYS, "y": "2025-03-11"}, DECEMBER_4_DAYS,
               {"issued_on": "2024-06-01", "x": "2024-06-03"}, {"x": "2025-03-03", "y": "2025-03-07"}]
    folder = tmp_path / "in"
    folder.mkdir()
    for n, fields in enumerate(records):
        item = {"form": FORM, "revision": "A/0", "id": f"R-{n}", "fields": fields}
        (folder / f"r{n}.json").write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    checker = Checker(project, LABELS, AFTER_B0, scope="in")
    one = check_paths(checker, [folder], jobs=1, root=tmp_path)
    two = check_paths(checker, [folder], jobs=2, root=tmp_path)
    assert render_json(one) == render_json(two)
    cited = sorted({(f.rule, f.criterion.revision) for f in one.findings})
    # {"x", "y"} has no issued_on: x dates it in March, under A/0
    assert cited == [("QMS-REVISION", None), ("T-01", "A/0"), ("T-01", "B/0"), ("T-02", "A/0"), ("T-04", "B/0")]


# -- the form's revision, by the form's states ----------------------------------------------

def test_a_form_revision_stays_in_force_while_its_successor_is_a_draft(project: Project) -> None:
    # the log's history dates B/0 2025-12-01, but B/0 is a draft: A/0 (released) is still in force
    found, _ = check(project, {"done_on": "2025-12-08"}, form=LOG, revision="A/0")
    assert found == []
    early, _ = check(project, {"done_on": "2024-12-30"}, form=LOG, revision="A/0")
    assert [f.rule for f in early] == ["QMS-REVISION"]  # before any revision of the procedure


# -- lint: revision names and rules that do not hold for a revision ----------------------------

def rule_problems(released: Path, tmp_path: Path, rule: str) -> list[str]:
    """check_rule_revisions' problems with one more rule (T-05) in the rules file; the checker refuses the same."""
    rules = RULES + rule
    project = load_project(with_rules(released, tmp_path, rules))
    problems = [d.format() for d in check_rule_revisions(project).sorted()]
    with pytest.raises(SourceError) as refused:
        Checker(project, LABELS, AFTER_B0)
    assert [d.format() for d in refused.value.diagnostics.sorted()] == problems
    return problems


T05 = """\
  - code: T-05
    title: 另一条
    form: SJE/JL/GK-90-01
    clause: {clause}
    severity: minor
{extra}"""


def test_a_revision_name_that_is_not_a_revision_of_the_procedure(released: Path, tmp_path: Path) -> None:
    rule = T05.format(clause="第一条", extra="    revisions: [A/1]\n    required: [note]\n")
    assert rule_problems(released, tmp_path, rule) == [
        f'rules/T.yaml:{at(RULES + rule, "A/1")}: rule T-05: revisions: SJE/ZY/GK-90 has no revision "A/1"\n'
        '    hint: did you mean "A/0"?']


def test_a_from_revision_that_is_not_a_revision_of_the_procedure(released: Path, tmp_path: Path) -> None:
    rule = T05.format(clause="第一条", extra="    from_revision: B0\n    required: [note]\n")
    assert rule_problems(released, tmp_path, rule) == [
        f'rules/T.yaml:{at(RULES + rule, "B0")}: rule T-05: from_revision: SJE/ZY/GK-90 has no revision "B0"\n'
        '    hint: did you mean "B/0"?']


def test_revisions_and_from_revision_together_do_not_load(released: Path, tmp_path: Path) -> None:
    rule = T05.format(clause="第一条", extra="    revisions: [A/0]\n    from_revision: B/0\n    required: [note]\n")
    with pytest.raises(SourceError) as info:
        load_project(with_rules(released, tmp_path, RULES + rule))
    assert [d.format() for d in info.value.diagnostics.sorted()] == [
        f"rules/T.yaml:{at(RULES + rule, 'from_revision', 2)}: rule T-05: give revisions: or from_revision:, "
        "not both\n    hint: revisions: [A/0, A/1] names each revision the rule applies to; "
        "from_revision: B/0 means B/0 and every later revision"]


def test_a_rule_using_a_param_an_older_revision_lacks(released: Path, tmp_path: Path) -> None:
    rule = T05.format(clause="第二条", extra="    deadline: {from: y, to: answered_on, within: params.reply_days}\n")
    assert rule_problems(released, tmp_path, rule) == [
        f"rules/T.yaml:{at(RULES + rule, 'params.reply_days', 2)}: rule T-05 does not compile against "
        'SJE/ZY/GK-90 A/0, which it applies to: deadline: within: unknown parameter "params.reply_days"\n'
        "    hint: if the rule applies only from B/0, add from_revision: B/0 to it; "
        'or change the rule so that it holds for A/0; did you mean "limit_days"?']


def test_a_rule_citing_a_clause_an_older_revision_lacks(released: Path, tmp_path: Path) -> None:
    rule = T05.format(clause="第三条", extra="    required: [note]\n")
    (problem,) = rule_problems(released, tmp_path, rule)
    assert problem.startswith(f"rules/T.yaml:{at(RULES + rule, '第三条', 2)}: rule T-05 does not compile against "
                              'SJE/ZY/GK-90 A/0, which it applies to: SJE/ZY/GK-90 has no clause "第三条"\n'
                              "    hint: if the rule applies only from B/0, add from_revision: B/0 to it")


def test_a_rule_listing_only_a_revision_it_does_not_hold_for(released: Path, tmp_path: Path) -> None:
    rule = T05.format(clause="第三条", extra="    revisions: [A/0]\n    required: [note]\n")
    (problem,) = rule_problems(released, tmp_path, rule)
    assert problem.startswith(f"rules/T.yaml:{at(RULES + rule, '第三条', 2)}: rule T-05 does not compile against "
                              "SJE/ZY/GK-90 A/0")
    assert "hint: the rule applies to A/0 alone (revisions: [A/0]): change it so that it holds for A/0" in problem


def test_the_bundled_rules_hold_for_every_revision() -> None:
    project = load_project(Path(__file__).resolve().parents[2])
    assert not check_rule_revisions(project)
