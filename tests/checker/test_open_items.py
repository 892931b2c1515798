"""Open is not late: a deadline still running on the audit date is an open item with its due date (outcome
`open`, not a finding, not counted by --fail-on), and overdue (a finding) only once its last day has
passed."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from checker.conftest import Check, Outcomes, codes
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.rules import Citation, Severity


def only(found: list[Finding], rule: str) -> list[Finding]:
    return [f for f in found if f.rule == rule]


@pytest.mark.parametrize("as_of,outcome", [
    (dt.date(2025, 9, 2), "open"),  # the day after the start
    (dt.date(2025, 9, 11), "open"),  # the last day itself
    (dt.date(2025, 9, 12), "fail"),  # the day after the last day: overdue
])
def test_a_calendar_day_deadline_is_open_until_its_last_day_has_passed(check: Check, as_of: dt.date,
                                                                       outcome: str) -> None:
    [found] = check({"issued_on": "2025-09-01", "returned_on": "2025-09-01", "copy_on": None}, as_of=as_of)
    assert (found.rule, found.outcome, found.due, found.expected) == ("T-04", outcome, dt.date(2025, 9, 11),
                                                                      "≤ 2025-09-11")


def test_an_open_item_says_when_it_is_due(check: Check) -> None:
    [found] = check({"issued_on": "2025-09-01", "returned_on": "2025-09-01", "copy_on": None},
                    as_of=dt.date(2025, 9, 5))
    assert found.message == "复印件上交日期尚未填写，期限未到：自返回日期 2025-09-01 起 10 天，至 2025-09-11"
    assert found.values == {"returned_on": "2025-09-01"}  # what was seen: no made-up end
    assert found.fields == ("copy_on", "returned_on")


def test_an_open_item_shows_its_last_day_after_the_non_working_day_roll(check: Check) -> None:
    # returned 09-26: the 10th day, 10-06, is in the National Day holiday; the deadline moves to 10-09
    base = {"issued_on": "2025-09-26", "returned_on": "2025-09-26", "copy_on": None}
    [still_open] = check(base, as_of=dt.date(2025, 10, 9))
    assert (still_open.outcome, still_open.due) == ("open", dt.date(2025, 10, 9))
    assert still_open.message.endswith("期限未到：自返回日期 2025-09-26 起 10 天，至 2025-10-09（2025-10-06 为法定节假日，顺延）")
    [overdue] = check(base, as_of=dt.date(2025, 10, 10))
    assert (overdue.outcome, overdue.due) == ("fail", dt.date(2025, 10, 9))
    assert overdue.message.endswith("已超过自返回日期 2025-09-26 起 10 天的期限 2025-10-09（2025-10-06 为法定节假日，顺延）")


def test_an_open_item_needs_no_holiday_calendar_but_overdue_may(check: Check) -> None:
    base = {"issued_on": "2027-03-01", "returned_on": "2027-03-01", "copy_on": None}
    [still_open] = only(check(base, as_of=dt.date(2027, 3, 5)), "T-04")  # 2027 is not in the calendar: open
    assert (still_open.outcome, still_open.due) == ("open", dt.date(2027, 3, 11))
    [undecided] = only(check(base, as_of=dt.date(2027, 3, 20)), "T-04")  # past 03-11: did it move? ask the calendar
    assert undecided.outcome == "cannot_evaluate" and "2027" in undecided.message


@pytest.mark.parametrize("as_of,outcome", [(dt.date(2025, 9, 13), "open"), (dt.date(2025, 9, 14), "fail")])
def test_an_hours_deadline_is_open_until_the_day_of_its_last_hour_has_passed(check: Check, as_of: dt.date,
                                                                             outcome: str) -> None:
    [found] = check({"received_at": "2025-09-10 09:00"}, as_of=as_of)
    assert (found.rule, found.outcome, found.due) == ("T-05", outcome, dt.date(2025, 9, 13))
    assert found.expected == "≤ 2025-09-13 09:00"


@pytest.mark.parametrize("as_of,outcome", [(dt.date(2025, 12, 31), "open"), (dt.date(2026, 1, 1), "fail")])
def test_a_fixed_day_deadline_is_open_until_that_day_has_passed(outcomes: Outcomes, as_of: dt.date,
                                                                outcome: str) -> None:
    [found] = only(outcomes({"target_year": "2025"}, as_of=as_of), "O-12")
    assert (found.outcome, found.due, found.expected) == (outcome, dt.date(2025, 12, 31), "≤ 2025-12-31")


@pytest.mark.parametrize("as_of,outcome", [
    (dt.date(2025, 11, 20), "open"),  # a month before the meeting of 12-20: the notice can still be given
    (dt.date(2025, 11, 21), "fail"),
])
def test_a_notice_not_given_yet_is_open_until_its_last_day(outcomes: Outcomes, as_of: dt.date, outcome: str) -> None:
    [found] = only(outcomes({"meeting_on": "2025-12-20"}, as_of=as_of), "O-07")
    assert (found.outcome, found.due) == (outcome, dt.date(2025, 11, 20))
    said = {"open": "会议通知日期尚未填写，期限未到：最迟 2025-11-20（会议日期 2025-12-20，应至少提前 1 个月）",
            "fail": "会议通知日期未填写，已超过最迟期限 2025-11-20（会议日期 2025-12-20，应至少提前 1 个月）"}
    assert found.message == said[outcome]


def test_a_notice_in_working_days_counts_back_over_the_holiday(outcomes: Outcomes) -> None:
    # the meeting on Thu 10-09: two working days before are 10-09 and 09-30 (10-01…10-08 are holidays),
    # so the notice is due by 09-29
    found = outcomes({"meeting_on": "2025-10-09"}, as_of=dt.date(2025, 9, 29))
    assert [(f.rule, f.outcome, f.due) for f in only(found, "O-14")] == [("O-14", "open", dt.date(2025, 9, 29))]


# -- the report model: open items are not findings -----------------------------------------------

REF = RecordRef("r.json", "", "SJE/JL/GK-90-01", "B/0", "R-1")
CITE = Citation("SJE/ZY/GK-90", "第一条", "测试制度", "A/0")


def _f(outcome: str, severity: Severity, due: dt.date | None = None, rule: str = "T-04") -> Finding:
    return Finding(rule, "t", severity, outcome, CITE, REF, ("copy_on",), {}, None, outcome, due=due)


def test_open_items_are_counted_apart_and_never_fail_the_run() -> None:
    report = Report(dt.date(2025, 9, 5), ".", 1, 1, 1, (
        _f("open", Severity.MAJOR, dt.date(2025, 9, 30), "T-05"), _f("open", Severity.MAJOR, dt.date(2025, 9, 11)),
        _f("cannot_evaluate", Severity.MINOR), _f("fail", Severity.OBSERVATION)))
    assert report.count_by_severity() == {"major": 0, "minor": 0, "observation": 1}
    assert report.count_by_outcome() == {"findings": 1, "cannot_evaluate": 1, "open": 2}
    assert report.at_or_above(Severity.MAJOR) == 0  # two major open items: --fail-on major passes
    assert report.at_or_above(Severity.MINOR) == 1  # a rule that cannot be evaluated is never a pass
    assert [f.due for f in report.open_items()] == [dt.date(2025, 9, 11), dt.date(2025, 9, 30)]
    assert [f.outcome for f in report.nonconformities] == ["fail"]
    assert report.count_by_rule() == {"T-04": 2}


def test_a_finding_keeps_its_due_date_across_processes() -> None:
    f = _f("open", Severity.MAJOR, dt.date(2025, 9, 11))
    again = pickle.loads(pickle.dumps(f))
    assert again == f and again.due == dt.date(2025, 9, 11) and again.id == f.id
    assert codes([again]) == [("T-04", "open", ("copy_on",))]


def test_a_required_notice_still_open_is_not_a_missing_entry(tmp_path_factory: pytest.TempPathFactory) -> None:
    # the lead time reports its notice's blank itself: open while it can be given, overdue after, and
    # missing only when there is no event to time it by; the required-entry check leaves it to the rule
    from checker.conftest import outcome_record
    from checker.outcome_files import FILES
    from qmsdoc.checker.engine import Checker
    from qmsdoc.load.labels import load_labels
    from qmsdoc.load.project import load_project

    from conftest import make_project

    plain = "- {id: notice_at, label: 通知时间, type: datetime}"
    assert plain in FILES["forms/F.yaml"]
    files = {**FILES, "forms/F.yaml": FILES["forms/F.yaml"].replace(
        plain, "- {id: notice_at, label: 通知时间, type: datetime, required: true}")}
    project = load_project(make_project(tmp_path_factory.mktemp("required_notice"), files))

    def check(fields: dict[str, str], as_of: dt.date) -> list[tuple[str, str, tuple[str, ...]]]:
        found = Checker(project, load_labels("zh-CN"), as_of).check(outcome_record(project, fields))[0]
        return codes([f for f in found if f.rule in ("O-02", "QMS-REQUIRED")])  # (a supply planned ahead is
        # the form's to mark `planned`: QMS-FUTURE is not this test's business)

    supply = {"supply_at": "2025-11-20 08:00"}
    assert check(supply, dt.date(2025, 11, 19)) == [("O-02", "open", ("notice_at", "supply_at"))]
    assert check(supply, dt.date(2025, 11, 20)) == [("O-02", "fail", ("notice_at", "supply_at"))]
    assert check({}, dt.date(2025, 11, 20)) == [("O-02", "missing", ("notice_at",))]
