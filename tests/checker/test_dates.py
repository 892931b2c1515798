"""Dates and deadlines, exactly: counting, holidays, 调休, hours, leap days, outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.conftest import Check, codes, record
from checker.project_files import FILES, PROCEDURE
from qmsdoc.checker.engine import Checker
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import Finding
from qmsdoc.model.project import Project

from conftest import make_project

EARLY = {"prepared: {name: 王伟, date: 2025-03-03}": "prepared: {name: 王伟, date: 2023-12-01}",
         "reviewed: {name: 李娜, date: 2025-03-10}": "reviewed: {name: 李娜, date: 2023-12-10}",
         "approved: {name: 赵强, date: 2025-03-20}": "approved: {name: 赵强, date: 2023-12-20}",
         "effective: 2025-04-01": "effective: 2024-01-01", "{revision: A/0, date: 2025-04-01": "{revision: A/0, date: 2024-01-01"}
"""The small project's procedure in force from 2024-01-01: a record is judged by the revision in force on its date."""


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> Project:
    text = PROCEDURE
    for old, new in EARLY.items():
        assert old in text, old
        text = text.replace(old, new)
    return load_project(make_project(tmp_path_factory.mktemp("early"), {**FILES, "procedures/T.md": text}))


@pytest.mark.parametrize("copy_on,late", [
    ("2025-08-11", False),  # returned 08-01 (Fri): the 10th day is 08-11 (Mon)
    ("2025-08-12", True),
])
def test_within_ten_days_includes_the_tenth(check: Check, copy_on: str, late: bool) -> None:
    found = check({"issued_on": "2025-08-01", "returned_on": "2025-08-01", "copy_on": copy_on},
                  revision="B/0" if copy_on > "2025-06" else "A/0")
    assert codes(found) == ([("T-04", "fail", ("copy_on", "returned_on"))] if late else [])


def test_a_last_day_in_the_national_day_holiday_moves_to_the_next_working_day(check: Check) -> None:
    # returned 2025-09-26: the 10th day, 10-06, is inside the 2025 National Day holiday (10-01…10-08)
    base = {"issued_on": "2025-09-26", "returned_on": "2025-09-26"}
    assert check({**base, "copy_on": "2025-10-09"}) == []
    late = check({**base, "copy_on": "2025-10-10"})
    assert codes(late) == [("T-04", "fail", ("copy_on", "returned_on"))]
    assert late[0].expected == "≤ 2025-10-09"


def test_leap_day(early: Project) -> None:
    checker = Checker(early, load_labels("zh-CN"), dt.date(2025, 12, 31))

    def check(fields: dict[str, str]) -> list[Finding]:
        return checker.check(record(early, fields, revision="A/0"))[0]

    base = {"issued_on": "2024-02-19", "returned_on": "2024-02-19"}
    assert check({**base, "copy_on": "2024-02-29"}) == []
    late = check({**base, "copy_on": "2024-03-01"})
    assert codes(late) == [("T-04", "fail", ("copy_on", "returned_on"))]
    assert late[0].expected == "≤ 2024-02-29"


def test_working_days_count_an_adjusted_working_sunday(check: Check) -> None:
    # from Thu 2025-09-25: Fri 26, Sun 28 (调休, a working day), Mon 29 → the 3rd working day is 09-29
    base = {"started_on": "2025-09-25"}
    assert check({**base, "done_on": "2025-09-29"}) == []
    late = check({**base, "done_on": "2025-09-30"})
    assert codes(late) == [("T-06", "fail", ("done_on", "started_on"))]
    assert late[0].expected == "≤ 2025-09-29"


def test_working_days_in_a_year_without_an_official_calendar_cannot_be_evaluated(check: Check) -> None:
    found = check({"started_on": "2027-03-01", "done_on": "2027-03-05"}, as_of=dt.date(2027, 12, 31))
    assert codes(found) == [("T-06", "cannot_evaluate", ("started_on", "done_on"))]
    assert "2027" in found[0].message


@pytest.mark.parametrize("replied_at,late", [
    ("2025-09-04T09:00", False),  # exactly 72 hours
    ("2025-09-04T09:01", True),
])
def test_hours(check: Check, replied_at: str, late: bool) -> None:
    found = check({"received_at": "2025-09-01 09:00", "replied_at": replied_at})
    assert codes(found) == ([("T-05", "fail", ("replied_at", "received_at"))] if late else [])


def test_hours_respect_time_zones(check: Check) -> None:
    # 09:00 in Shanghai is 01:00 UTC: a reply at 2025-09-04T01:00Z is exactly 72 hours later
    assert check({"received_at": "2025-09-01 09:00", "replied_at": "2025-09-04T01:00:00+00:00"}) == []


def test_lead_time(check: Check) -> None:
    replied = {"replied_at": "2025-09-01 12:00"}
    assert check({"received_at": "2025-09-01 08:00", "supply_at": "2025-09-03 08:00", **replied}) == []
    short = check({"received_at": "2025-09-01 08:30", "supply_at": "2025-09-03 08:00", **replied})
    assert codes(short) == [("T-07", "fail", ("received_at", "supply_at"))]
    assert "仅 47 小时 30 分，应至少提前 48 小时" in short[0].message


def test_fixed_day_deadline(check: Check) -> None:
    base = {"returned_on": "2025-12-20", "copy_on": "2025-12-22", "target_year": 2026}
    assert check({**base, "issued_on": "2025-12-15"}) == []
    late = check({**base, "issued_on": "2025-12-16"})
    assert codes(late) == [("T-12", "fail", ("issued_on",))]
    assert late[0].expected == "≤ 2025-12-15"


def test_a_blank_end_is_a_finding_only_once_the_deadline_has_passed(check: Check) -> None:
    base = {"issued_on": "2025-09-01", "returned_on": "2025-09-01", "copy_on": None}
    [still_open] = check(base, as_of=dt.date(2025, 9, 11))  # the last day itself: still open
    assert codes([still_open]) == [("T-04", "open", ("copy_on", "returned_on"))]
    assert still_open.due == dt.date(2025, 9, 11)
    overdue = check(base, as_of=dt.date(2025, 9, 12))
    assert codes(overdue) == [("T-04", "fail", ("copy_on", "returned_on"))]
    assert overdue[0].message == "复印件上交日期未填写，已超过自返回日期 2025-09-01 起 10 天的期限 2025-09-11"
    assert overdue[0].due == dt.date(2025, 9, 11)


def test_date_outcomes_are_distinct(check: Check) -> None:
    base = {"issued_on": "2025-09-01"}
    missing = check({**base, "returned_on": None})  # no returned_on: the deadline has no start
    assert codes(missing) == [("T-04", "missing", ("returned_on",))]  # the rule, not QMS-REQUIRED too
    unreadable = check({**base, "returned_on": "九月初", "copy_on": "2025-09-05"})
    assert codes(unreadable) == [("QMS-VALUE", "unreadable", ("returned_on",))]
    assert unreadable[0].message == "返回日期无法识别：“九月初”（不是日期，请写成 2025-04-03 或 2025年4月3日）"
    impossible = check({**base, "returned_on": "2025-02-30", "copy_on": "2025-09-05"})
    assert codes(impossible) == [("QMS-VALUE", "impossible", ("returned_on",))]
    future = check({**base, "returned_on": "2026-01-02", "copy_on": None}, as_of=dt.date(2025, 12, 31))
    assert codes(future) == [("T-03", "future", ("returned_on",))]  # once, not again by T-04


def test_a_signature_dated_after_the_audit_date(check: Check) -> None:
    found = check({"leader": {"name": "李四", "date": "2026-01-02"}}, as_of=dt.date(2025, 12, 31))
    assert codes(found) == [("T-02", "future", ("leader.date",))]


def test_the_audit_date_not_the_clock_decides(check: Check) -> None:
    base = {"issued_on": "2025-09-01", "returned_on": "2025-09-01", "copy_on": None}
    assert check(base, as_of=dt.date(2025, 9, 5)) == check(base, as_of=dt.date(2025, 9, 5))
    assert check(base, as_of=dt.date(2025, 9, 5)) != check(base, as_of=dt.date(2025, 12, 5))


def test_organisation_closures_are_not_working_days(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from checker.conftest import record
    from checker.project_files import FILES
    from qmsdoc.checker.engine import Checker
    from qmsdoc.load.labels import load_labels
    from qmsdoc.load.project import load_project

    from conftest import REPO, make_project

    root = make_project(tmp_path, FILES)
    config = (REPO / "qmsdoc.yaml").read_text(encoding="utf-8")
    config = config.replace("closures: []", "closures: [{date: 2025-09-26, reason: 厂休}]")
    assert "2025-09-26" in config
    (root / "qmsdoc.yaml").write_text(config, encoding="utf-8")
    project = load_project(root)
    checker = Checker(project, load_labels("zh-CN"), dt.date(2025, 12, 31))
    # from Thu 09-25: Fri 26 is a 厂休 closure, so the 3rd working day is Tue 09-30 (Sun 28 is 调休)
    on_time = record(project, {"started_on": "2025-09-25", "done_on": "2025-09-30"})
    assert [f.rule for f in checker.check(on_time)[0]] == []
    late = record(project, {"started_on": "2025-09-25", "done_on": "2025-10-09"})
    assert [(f.rule, f.expected) for f in checker.check(late)[0]] == [("T-06", "≤ 2025-09-30")]
