"""Unknown is never a pass: a rule that cannot decide says so (cannot_evaluate, with the reason), unless
its unknown is already on the report at its cause (a required entry left blank: QMS-REQUIRED; an entry
that cannot be read: QMS-VALUE); and a blank optional entry still means "not recorded", not a flood of
cannot-evaluate findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from checker.conftest import Check, Outcomes, codes
from qmsdoc.checker.engine import Checker
from qmsdoc.load.labels import load_labels
from qmsdoc.model.project import Project


def test_a_record_with_nothing_to_judge_has_no_findings(outcomes: Outcomes) -> None:
    assert outcomes() == []


# -- when: -----------------------------------------------------------------------------------

def test_a_condition_that_cannot_be_computed_is_reported_not_skipped(outcomes: Outcomes) -> None:
    # O-08: when: amount / output_value > params.cap_ratio, with an output value of 0
    found, limit = outcomes({"amount": "500", "output_value": "0"})
    assert codes([found]) == [("O-08", "cannot_evaluate", ("amount", "output_value"))]
    assert codes([limit]) == [("O-10", "fail", ("amount",))]  # 1 % of 0 is 0: decided, no division there
    assert found.message == "无法判断本规则是否适用：计算时除数为零"
    assert found.values == {"amount": "500", "output_value": "0"}
    english = outcomes({"amount": "500", "output_value": "0"}, language="en")[0].message
    assert english == "cannot tell whether the rule applies: division by zero in the calculation"


def test_a_condition_on_a_blank_optional_entry_does_not_apply(outcomes: Outcomes) -> None:
    # O-08 reads output_value, which the form does not require: not recorded, so the rule does not
    # apply; the limit O-10, which needs it to judge the amount that is recorded, cannot be evaluated
    found = outcomes({"amount": "500"})
    assert codes(found) == [("O-10", "cannot_evaluate", ("output_value",))]
    assert found[0].message == "无法判断：产值未填写"


def test_a_condition_on_a_blank_required_entry_is_reported_once_at_its_cause(outcomes: Outcomes) -> None:
    # O-09: when: category == "special"; the form requires category: its blank is the finding, once
    assert codes(outcomes({"category": None})) == [("QMS-REQUIRED", "missing", ("category",))]


def test_an_unreadable_entry_is_reported_once_by_the_value_check(outcomes: Outcomes) -> None:
    # the rules that need it (O-08's condition, O-10's bound, O-12's fixed day) do not repeat it
    found = outcomes({"amount": "500", "output_value": "很多", "done_on": "2025-11-20", "target_year": "明年"})
    assert codes(found) == [("QMS-VALUE", "unreadable", ("output_value",)),
                            ("QMS-VALUE", "unreadable", ("target_year",))]


def test_a_decided_condition_is_unchanged(outcomes: Outcomes) -> None:
    assert codes(outcomes({"category": "special"})) == [("O-09", "missing", ("attached",))]
    assert outcomes({"category": "special", "attached": True}) == []
    assert codes(outcomes({"amount": "500", "output_value": "1000"})) == [
        ("O-08", "missing", ("attached",)), ("O-10", "fail", ("amount",))]


# -- limit, expect, by ------------------------------------------------------------------------

@pytest.mark.parametrize("fields,expected", [
    ({}, []),  # nothing recorded: nothing to limit
    ({"output_value": "1000"}, []),  # no amount: nothing to limit
    ({"amount": "10", "output_value": "1000"}, []),  # exactly 1 %
    ({"amount": "10.01", "output_value": "1000"}, [("O-10", "fail", ("amount",))]),
    ({"amount": "10"}, [("O-10", "cannot_evaluate", ("output_value",))]),  # the bound is missing
])
def test_limit_judges_a_recorded_value_or_says_what_is_missing(outcomes: Outcomes, fields: dict[str, str],
                                                               expected: list[tuple[str, str, tuple[str, ...]]]
                                                               ) -> None:
    assert codes([f for f in outcomes(fields) if f.rule == "O-10"]) == expected


def test_limit_reports_the_value_it_saw_when_the_bound_is_missing(outcomes: Outcomes) -> None:
    [found] = [f for f in outcomes({"amount": "10"}) if f.rule == "O-10"]
    assert found.values == {"amount": "10"} and found.expected is None


@pytest.mark.parametrize("fields,outcome", [
    ({}, None),  # unticked and blank, as on the blank form: nothing to judge
    ({"kind": "minor"}, None),
    ({"kind": "major", "attached": True}, None),
    ({"kind": "major"}, "fail"),
])
def test_expect_in_three_valued_logic(outcomes: Outcomes, fields: dict[str, Any], outcome: str | None) -> None:
    found = [f for f in outcomes(fields) if f.rule == "O-11"]
    assert [f.outcome for f in found] == ([outcome] if outcome else [])


def test_expect_with_part_of_what_it_reads_blank_cannot_be_evaluated(outcomes: Outcomes) -> None:
    # O-13: hours(complaint_at, replied_at) <= 72 with the reply blank (O-01 times the blank reply itself)
    found = outcomes({"complaint_at": "2025-09-01 09:00"}, as_of=dt.date(2025, 9, 2))
    assert codes(found) == [("O-01", "open", ("replied_at", "complaint_at")),
                            ("O-13", "cannot_evaluate", ("replied_at",))]
    assert found[1].message == "无法判断：答复时间未填写"
    assert found[1].values == {"complaint_at": "2025-09-01 09:00"}


def test_a_fixed_day_that_cannot_be_worked_out_is_reported_once_something_was_done(outcomes: Outcomes) -> None:
    # O-12: to: done_on, by: date(target_year, 12, 31)
    [found] = outcomes({"done_on": "2025-11-20"})
    assert codes([found]) == [("O-12", "cannot_evaluate", ("done_on", "target_year"))]
    assert found.message == "无法判断：目标年度未填写" and found.values == {"done_on": "2025-11-20"}
    assert outcomes({"done_on": "2025-11-20", "target_year": "2025"}) == []
    # neither a target year nor a completion: no deadline was set, nothing to time
    assert outcomes({}) == []


def test_an_amount_that_is_not_whole_cannot_be_evaluated(outcomes: Outcomes) -> None:
    # O-15: within: params.half_day (0.5)
    [found] = outcomes({"reviewed_on": "2025-09-01", "done_on": "2025-09-01", "target_year": "2025"})
    assert codes([found]) == [("O-15", "cannot_evaluate", ("reviewed_on",))]
    assert found.message == "无法判断：规定的天数或数量为 0.5，不是整数天"


def test_a_year_the_holiday_calendar_does_not_cover_says_so_in_the_sites_language(check: Check) -> None:
    [found] = check({"started_on": "2027-03-01", "done_on": "2027-03-05"}, as_of=dt.date(2027, 12, 31))
    assert found.outcome == "cannot_evaluate"
    assert found.message.startswith("无法判断：2027 年的法定节假日和调休安排尚无数据")


def test_cannot_evaluate_on_a_set_rule_is_a_finding_of_that_rule(outcome_project: Project) -> None:
    # a rule over the set whose count is unknown: reported on the set (the engine catches CannotEvaluate)
    checker = Checker(outcome_project, load_labels("zh-CN"), dt.date(2025, 12, 31))
    findings, _ = checker.check_set([], None)
    assert findings == []  # the outcome project has no set rules: nothing is made up
