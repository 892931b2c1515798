"""Periods of months and years, counted as the PRC Civil Code does (art. 201–203), and the messages about
deadlines and lead times: a moved last day says why, a duration never contradicts the requirement."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.conftest import Check, Outcomes
from qmsdoc.checker.calendar import WorkCalendar
from qmsdoc.checker.kinds import Context
from qmsdoc.checker.periods import add_months, add_period
from qmsdoc.load.labels import load_labels
from qmsdoc.model.findings import Finding

D = dt.date


def only(found: list[Finding], rule: str) -> list[Finding]:
    return [f for f in found if f.rule == rule]


@pytest.mark.parametrize("start,n,unit,last", [
    (D(2025, 1, 15), 1, "months", D(2025, 2, 15)),  # the corresponding day
    (D(2025, 1, 31), 1, "months", D(2025, 2, 28)),  # no 31st in February: its last day
    (D(2024, 1, 31), 1, "months", D(2024, 2, 29)),  # a leap year
    (D(2025, 3, 31), 1, "months", D(2025, 4, 30)),
    (D(2025, 12, 15), 1, "months", D(2026, 1, 15)),  # into the next year
    (D(2025, 1, 31), 13, "months", D(2026, 2, 28)),
    (D(2024, 2, 29), 1, "years", D(2025, 2, 28)),  # 29 February plus a year
    (D(2024, 2, 29), 4, "years", D(2028, 2, 29)),
    (D(2025, 3, 31), -1, "months", D(2025, 2, 28)),  # back a month (a lead time)
    (D(2025, 9, 26), 10, "calendar_days", D(2025, 10, 6)),
])
def test_periods_end_on_the_corresponding_day_or_the_months_last(start: dt.date, n: int, unit: str,
                                                                 last: dt.date) -> None:
    assert add_period(start, n, unit) == last


def test_a_period_past_the_calendar_is_an_overflow() -> None:
    with pytest.raises(OverflowError):
        add_months(D(9999, 12, 1), 1)


# -- deadlines in months and years ---------------------------------------------------------------

@pytest.mark.parametrize("recalibrated,outcome", [
    ("2026-01-31", None),  # 12 months from 2025-01-31; a Saturday, and roll: false keeps it
    ("2026-02-01", "fail"),
])
def test_calibration_every_twelve_months(outcomes: Outcomes, recalibrated: str, outcome: str | None) -> None:
    found = only(outcomes({"calibrated_on": "2025-01-31", "recalibrated_on": recalibrated},
                          as_of=D(2026, 3, 1)), "O-04")
    assert [f.outcome for f in found] == ([outcome] if outcome else [])
    if found:
        assert found[0].expected == "≤ 2026-01-31" and found[0].due == D(2026, 1, 31)
        assert "自校准日期 2025-01-31 起 12 个月的期限 2026-01-31" in found[0].message


@pytest.mark.parametrize("renewed,outcome", [("2025-02-28", None), ("2025-03-01", "fail")])
def test_a_year_from_29_february(outcomes: Outcomes, renewed: str, outcome: str | None) -> None:
    found = only(outcomes({"calibrated_on": "2024-02-29", "recalibrated_on": "2025-02-01", "renewed_on": renewed}),
                 "O-06")
    assert [f.outcome for f in found] == ([outcome] if outcome else [])


@pytest.mark.parametrize("started,reviewed,outcome", [
    ("2025-08-31", "2025-09-30", None),  # the 31st has no 30-day-month counterpart: 09-30
    ("2025-08-31", "2025-10-01", "fail"),
    ("2025-09-05", "2025-10-09", None),  # 10-05 falls in the National Day holiday: moved to 10-09
    ("2025-09-05", "2025-10-10", "fail"),
])
def test_a_month_with_the_non_working_day_roll(outcomes: Outcomes, started: str, reviewed: str,
                                               outcome: str | None) -> None:
    found = only(outcomes({"started_on": started, "reviewed_on": reviewed}), "O-05")
    assert [f.outcome for f in found] == ([outcome] if outcome else [])


def test_a_moved_deadline_says_so(outcomes: Outcomes) -> None:
    [late] = only(outcomes({"started_on": "2025-09-05", "reviewed_on": "2025-10-10"}), "O-05")
    assert late.message == ("评审日期为 2025-10-10，超过自开始日期 2025-09-05 起 1 个月的期限 "
                            "2025-10-09（2025-10-05 在节假日放假期间，顺延）")
    assert late.expected == "≤ 2025-10-09" and late.due == D(2025, 10, 9)
    [english] = only(outcomes({"started_on": "2025-09-05", "reviewed_on": "2025-10-10"}, language="en"), "O-05")
    assert english.message.endswith("2025-10-09 (2025-10-05 falls in a public holiday break, so the deadline moves "
                                    "to the next working day)")


def test_a_weekend_last_day_is_a_rest_day(check: Check) -> None:
    # returned Fri 2025-08-01: the 10th day, Mon 08-11, is a working day; returned Wed 08-06: Sat 08-16 → Mon 08-18
    [late] = check({"issued_on": "2025-08-06", "returned_on": "2025-08-06", "copy_on": "2025-08-19"})
    assert "期限 2025-08-18（2025-08-16 为休息日，顺延）" in late.message


def test_a_month_in_a_year_the_holiday_calendar_does_not_cover(outcomes: Outcomes) -> None:
    as_of = D(2028, 12, 31)
    # without the roll, a month needs no holiday data at all
    assert only(outcomes({"calibrated_on": "2027-01-31", "recalibrated_on": "2028-01-31"}, as_of=as_of), "O-04") == []
    late = only(outcomes({"calibrated_on": "2027-01-31", "recalibrated_on": "2028-02-02"}, as_of=as_of), "O-04")
    assert [f.outcome for f in late] == ["fail"]
    # with the roll, the calendar is asked only when the answer depends on it: done by the last day, no
    assert only(outcomes({"started_on": "2027-01-05", "reviewed_on": "2027-02-04"}, as_of=as_of), "O-05") == []
    undecided = only(outcomes({"started_on": "2027-01-05", "reviewed_on": "2027-02-10"}, as_of=as_of), "O-05")
    assert [f.outcome for f in undecided] == ["cannot_evaluate"] and "2027" in undecided[0].message


# -- lead times in months, durations --------------------------------------------------------------

@pytest.mark.parametrize("notified,outcome", [("2025-02-28", None), ("2025-03-01", "fail")])
def test_a_lead_time_of_a_month(outcomes: Outcomes, notified: str, outcome: str | None) -> None:
    found = only(outcomes({"notified_on": notified, "meeting_on": "2025-03-31"}), "O-07")
    assert [f.outcome for f in found] == ([outcome] if outcome else [])
    if found:
        assert found[0].message == "会议通知日期 2025-03-01 距会议日期 2025-03-31 仅 30 天，应至少提前 1 个月"


def test_a_lead_time_of_23_hours_59_minutes_is_not_shown_as_24_hours(outcomes: Outcomes) -> None:
    [short] = only(outcomes({"notice_at": "2025-11-10 08:01", "supply_at": "2025-11-11 08:00"}), "O-02")
    assert short.message == ("通知时间 2025-11-10 08:01 距供货时间 2025-11-11 08:00 仅 23 小时 59 分，"
                             "应至少提前 24 小时")
    [english] = only(outcomes({"notice_at": "2025-11-10 08:01", "supply_at": "2025-11-11 08:00"}, language="en"),
                     "O-02")
    assert "only 23 h 59 min before" in english.message


def test_a_notice_after_the_event_says_so(outcomes: Outcomes) -> None:
    [after] = only(outcomes({"notice_at": "2025-11-11 09:00", "supply_at": "2025-11-11 08:00"}), "O-02")
    assert after.message == "通知时间 2025-11-11 09:00 晚于供货时间 2025-11-11 08:00，应至少提前 24 小时"


@pytest.mark.parametrize("minutes,zh,en", [
    (24 * 60, "24 小时", "24 hours"), (23 * 60 + 59, "23 小时 59 分", "23 h 59 min"), (30, "30 分钟", "30 minutes"),
    (0, "0 小时", "0 hours"),
])
def test_durations_are_whole_hours_and_minutes_never_rounded_up(minutes: int, zh: str, en: str) -> None:
    for language, expected in (("zh-CN", zh), ("en", en)):
        ctx = Context(D(2025, 12, 31), WorkCalendar(), "Asia/Shanghai", load_labels(language))
        assert ctx.duration(minutes) == expected
