"""Calendar periods: weeks, months, quarters, halves and years for frequency and coverage rules, and
periods of months and years for deadlines and lead times, counted as the PRC Civil Code does."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator


def period_of(day: dt.date, per: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the `per` period that contains `day`."""
    if per == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if per == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    months = {"month": 1, "quarter": 3, "half_year": 6}[per]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + months
    end = (dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)) - dt.timedelta(days=1)
    return start, end


def whole_periods(since: dt.date, as_of: dt.date, per: str) -> Iterator[tuple[dt.date, dt.date]]:
    """Every period from the one containing `since` that has ended by `as_of`."""
    start, end = period_of(since, per)
    while end < as_of:
        yield start, end
        start, end = period_of(end + dt.timedelta(days=1), per)


def period_label(start: dt.date, per: str) -> str:
    """2025-Q3, 2025-H2, 2025-07, 2025-W27 or 2025: how a period is named in findings."""
    if per == "year":
        return str(start.year)
    if per == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if per == "half_year":
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    if per == "month":
        return f"{start.year}-{start.month:02d}"
    iso = start.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` months that starts after `day` (PRC Civil Code art. 201,
    202): the day of the last month that corresponds to `day`, or that month's last day when it has no
    such day (01-31 + 1 month → 02-28, or 02-29 in a leap year). A negative count goes back the same
    way: 03-31 − 1 month → 02-28. Raises OverflowError outside years 1–9999."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(f"date value out of range: {day.isoformat()} + {months} months")
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_period(day: dt.date, n: int, unit: str) -> dt.date:
    """`day` plus `n` calendar days, months or years (`unit`), to the last day of the period."""
    if unit == "months":
        return add_months(day, n)
    if unit == "years":
        return add_months(day, 12 * n)
    return day + dt.timedelta(days=n)
