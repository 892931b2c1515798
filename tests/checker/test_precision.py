"""Precision is never silently completed: a date-time entry given as a date alone is that day, and what
depends on its time of day is decided only when every time of that day (00:00–23:59 in the site's
zone) gives the same answer; otherwise the rule cannot be evaluated and says whose time is missing."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from checker.conftest import Outcomes, codes, outcome_record
from qmsdoc.errors import Diagnostics, Location
from qmsdoc.load.expressions import compile_expr
from qmsdoc.model.project import Project
from qmsdoc.model.records import DateOnly, completions
from qmsdoc.model.rules import Env, Failed, FieldRef

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = dt.date(2025, 12, 31)


def only(found: list[Any], rule: str) -> list[Any]:
    return [f for f in found if f.rule == rule]


def test_a_date_alone_is_kept_and_spans_its_whole_day(outcome_project: Project) -> None:
    record = outcome_record(outcome_project, {"complaint_at": "2025-11-10"})
    value = record.fields["complaint_at"]
    assert type(value) is DateOnly and value.isoformat() == "2025-11-10"
    first, last = completions(value, SHANGHAI)
    assert (first.astimezone(SHANGHAI).isoformat(), last.astimezone(SHANGHAI).isoformat()) == (
        "2025-11-10T00:00:00+08:00", "2025-11-10T23:59:00+08:00")
    assert pickle.loads(pickle.dumps(record)).fields["complaint_at"] == value  # records cross processes


# -- a deadline in hours (O-01: a reply within 72 hours of the complaint) ------------------------

@pytest.mark.parametrize("replied_at,outcome", [
    ("2025-11-12 23:59", None),  # in time even if the complaint came at 00:00
    ("2025-11-13 00:00", None),  # exactly 72 hours after 00:00 of the 10th: in time for every completion
    ("2025-11-13 00:01", "cannot_evaluate"),  # late only if the complaint came before 00:01
    ("2025-11-13 23:59", "cannot_evaluate"),  # in time only if it came at 23:59
    ("2025-11-14 00:00", "fail"),  # late even if the complaint came at 23:59
    ("2025-11-12", None),  # a reply date alone, every completion in time
    ("2025-11-13", "cannot_evaluate"),
    ("2025-11-14", "fail"),
])
def test_an_hours_deadline_from_a_date_alone(outcomes: Outcomes, replied_at: str, outcome: str | None) -> None:
    found = only(outcomes({"complaint_at": "2025-11-10", "replied_at": replied_at}), "O-01")
    assert [f.outcome for f in found] == ([outcome] if outcome else [])


def test_undecided_says_whose_time_of_day_is_missing(outcomes: Outcomes) -> None:
    [found] = only(outcomes({"complaint_at": "2025-11-10", "replied_at": "2025-11-13 12:00"}), "O-01")
    assert found.message == "无法判断：投诉时间只填了日期（2025-11-10），未填具体时刻，而结论取决于当天的时刻"
    assert found.fields == ("replied_at", "complaint_at")
    assert found.values == {"replied_at": "2025-11-13 12:00", "complaint_at": "2025-11-10"}


def test_late_from_a_date_alone_is_judged_against_its_latest_completion(outcomes: Outcomes) -> None:
    [late] = only(outcomes({"complaint_at": "2025-11-10", "replied_at": "2025-11-14 08:00"}), "O-01")
    assert late.expected == "≤ 2025-11-13 23:59" and late.due == dt.date(2025, 11, 13)
    assert "2025-11-13 23:59" in late.message


def test_a_precise_complaint_is_timed_to_the_minute(outcomes: Outcomes) -> None:
    assert only(outcomes({"complaint_at": "2025-11-10 09:00:50", "replied_at": "2025-11-13 09:00:10"}), "O-01") == []
    late = only(outcomes({"complaint_at": "2025-11-10 09:00", "replied_at": "2025-11-13 09:01"}), "O-01")
    assert codes(late) == [("O-01", "fail", ("replied_at", "complaint_at"))]


@pytest.mark.parametrize("as_of,outcome", [
    (dt.date(2025, 11, 13), "open"),  # the last day, for every completion, is the 13th
    (dt.date(2025, 11, 14), "fail"),
])
def test_a_blank_reply_after_a_date_alone(outcomes: Outcomes, as_of: dt.date, outcome: str) -> None:
    [found] = only(outcomes({"complaint_at": "2025-11-10"}, as_of=as_of), "O-01")
    assert (found.outcome, found.due) == (outcome, dt.date(2025, 11, 13))


# -- order (O-03: the complaint before the reply) ------------------------------------------------

@pytest.mark.parametrize("complaint_at,replied_at,outcome", [
    ("2025-11-10 10:00", "2025-11-10", "cannot_evaluate"),  # the reply may be before or after 10:00
    ("2025-11-10 10:00", "2025-11-11", None),
    ("2025-11-11", "2025-11-10 10:00", "fail"),  # before, whatever the time of the 11th
    ("2025-11-10", "2025-11-10", "cannot_evaluate"),  # the same day, times unknown
    ("2025-11-10", "2025-11-11", None),
])
def test_order_with_a_date_alone(outcomes: Outcomes, complaint_at: str, replied_at: str,
                                 outcome: str | None) -> None:
    found = only(outcomes({"complaint_at": complaint_at, "replied_at": replied_at}), "O-03")
    assert [f.outcome for f in found] == ([outcome] if outcome else [])


# -- a lead time in hours (O-02: notice at least 24 hours before supply) --------------------------

@pytest.mark.parametrize("notice_at,supply_at,outcome", [
    ("2025-11-10", "2025-11-11 23:59", None),  # 24 hours even from 23:59
    ("2025-11-10", "2025-11-11 23:58", "cannot_evaluate"),  # 23 h 59 min from 23:59, more from earlier
    ("2025-11-10", "2025-11-11 00:00", "cannot_evaluate"),  # exactly 24 hours from 00:00
    ("2025-11-10", "2025-11-10 23:00", "fail"),  # at most 23 hours
    ("2025-11-10 08:00", "2025-11-11", "cannot_evaluate"),
    ("2025-11-10 08:00", "2025-11-12", None),
])
def test_a_lead_time_with_a_date_alone(outcomes: Outcomes, notice_at: str, supply_at: str,
                                       outcome: str | None) -> None:
    found = only(outcomes({"notice_at": notice_at, "supply_at": supply_at}), "O-02")
    assert [f.outcome for f in found] == ([outcome] if outcome else [])


def test_a_short_lead_from_a_date_alone_states_the_most_it_can_have_been(outcomes: Outcomes) -> None:
    [short] = only(outcomes({"notice_at": "2025-11-10", "supply_at": "2025-11-10 23:00"}), "O-02")
    assert short.message == "通知时间 2025-11-10 距供货时间 2025-11-10 23:00 仅 23 小时，应至少提前 24 小时"


# -- expressions ---------------------------------------------------------------------------------

def _evaluate(text: str, **fields: Any) -> Any:
    def resolve(path: str, loc: Location) -> FieldRef:
        return FieldRef(path, path, None, "datetime", path)
    expr = compile_expr(text, Location("x.yaml", 1, 1), resolve, {"h": Decimal(72)}, Diagnostics(),
                        timezone="Asia/Shanghai")
    assert expr is not None
    return expr.fn(Env(fields, None, AS_OF))


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize("text,a,b,expected", [
    ("a < b", DateOnly(2025, 11, 10), _at("2025-11-11 00:00"), True),
    ("a < b", DateOnly(2025, 11, 10), _at("2025-11-10 23:59"), "unknown"),
    ("a < b", DateOnly(2025, 11, 10), _at("2025-11-10 00:00"), False),
    ("a <= b", DateOnly(2025, 11, 10), _at("2025-11-10 00:00"), "unknown"),
    ("a >= b", DateOnly(2025, 11, 11), _at("2025-11-10 23:59"), True),
    ("a == b", DateOnly(2025, 11, 10), _at("2025-11-11 08:00"), False),
    ("a == b", DateOnly(2025, 11, 10), _at("2025-11-10 08:00"), "unknown"),
    ("a != b", DateOnly(2025, 11, 10), DateOnly(2025, 11, 12), True),
    ("a < b", DateOnly(2025, 11, 10), DateOnly(2025, 11, 10), "unknown"),
    ("a < b", _at("2025-11-10 08:00"), _at("2025-11-10 09:00"), True),
])
def test_date_time_comparisons_are_decided_only_when_every_completion_agrees(text: str, a: Any, b: Any,
                                                                            expected: Any) -> None:
    result = _evaluate(text, a=a, b=b)
    if expected == "unknown":
        assert isinstance(result, Failed) and result.key == "time_not_recorded"
    else:
        assert result is expected


def test_hours_of_a_date_alone_is_not_made_up_but_its_day_is_known() -> None:
    result = _evaluate("hours(a, b) <= params.h", a=DateOnly(2025, 11, 10), b=_at("2025-11-12 08:00"))
    assert isinstance(result, Failed) and result.key == "time_not_recorded"
    assert _evaluate("date(a) == date(b)", a=DateOnly(2025, 11, 10), b=_at("2025-11-10 23:30")) is True
    assert _evaluate("day(a) == 10 and month(a) == 11", a=DateOnly(2025, 11, 10), b=None) is True


def test_hours_in_a_rule_with_a_date_alone_cannot_be_evaluated(outcomes: Outcomes) -> None:
    [found] = only(outcomes({"complaint_at": "2025-11-10", "replied_at": "2025-11-12 08:00"}), "O-13")
    assert found.outcome == "cannot_evaluate"
    assert found.message == "无法判断：投诉时间只填了日期（2025-11-10），未填具体时刻，而结论取决于当天的时刻"
