"""Working days in mainland China: official holidays, adjusted working weekends (调休), closures.

The official calendar comes from the `holidays` package, which carries each year's State
Council schedule, including the weekend days that are made working days. A year the package
has no schedule for cannot be decided: asking about it raises `NotCovered`, and working-day
rules report "cannot evaluate" instead of guessing. Organisation closures (厂休) from
qmsdoc.yaml are non-working days on top.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays
from holidays.countries.china import ChinaStaticHolidays

MAX_STEPS = 400
"""Upper bound on days walked for one deadline (a year and more of holidays)."""
BREAK_DAYS = 10
"""Days walked each way to see whether a rest day belongs to a public holiday break (the longest is 9)."""
SUBSTITUTED = "Day off"
"""How the `holidays` package names a weekend day given off in exchange for a working one (调休)."""


class NotCovered(Exception):
    """The official calendar for this year is not known; `key` and `params` name the reason in the
    label catalogue (`reason_calendar_not_covered`)."""

    key = "calendar_not_covered"

    def __init__(self, year: int):
        self.year = year
        self.params = {"year": str(year), "version": holidays.__version__, "years": covered_years_text()}
        super().__init__(f"the official working-day calendar for {year} is not available "
                         f"(holidays {holidays.__version__} covers {covered_years_text()})")


@lru_cache(maxsize=1)
def covered_years() -> frozenset[int]:
    """Years whose official schedule, with adjusted working days, is known."""
    return frozenset(ChinaStaticHolidays.special_public_holidays)


def covered_years_text() -> str:
    years = sorted(covered_years())
    return f"{years[0]}–{years[-1]}" if years else "no year"


class WorkCalendar:
    """Answers "is this a working day?" for the organisation; immutable and picklable."""

    def __init__(self, closures: Iterable[dt.date] = ()):
        self.closures = frozenset(closures)
        self._years: dict[int, holidays.HolidayBase] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"closures": self.closures}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.closures = state["closures"]  # type: ignore[assignment]
        self._years = {}

    def _official(self, year: int) -> holidays.HolidayBase:
        cal = self._years.get(year)
        if cal is None:
            if year not in covered_years():
                raise NotCovered(year)
            cal = holidays.China(years=year)
            self._years[year] = cal
        return cal

    def is_working_day(self, day: dt.date) -> bool:
        """True on a working day; raises NotCovered for a year without an official schedule."""
        if day in self.closures:
            return False
        return bool(self._official(day.year).is_working_day(day))

    def why_not_working(self, day: dt.date) -> str:
        """Why `day`, not a working day, is not: `holiday` (an official public holiday), `holiday_break`
        (a rest day inside the break around one, such as 2025-10-05 in the National Day break
        10-01…10-08), `closure` (the organisation's, from qmsdoc.yaml) or `rest_day` (a weekend)."""
        if self._holiday(day):
            return "holiday"
        if day not in self.closures and self._in_break(day):
            return "holiday_break"
        return "closure" if day in self.closures else "rest_day"

    def _holiday(self, day: dt.date) -> bool:
        """An official public holiday itself (not a weekend day given off in exchange: 调休)."""
        name = self._official(day.year).get(day)
        return bool(name) and not str(name).startswith(SUBSTITUTED)

    def _in_break(self, day: dt.date) -> bool:
        """`day` lies in a run of days off that holds an official public holiday."""
        for step in (-1, 1):
            other = day
            for _ in range(BREAK_DAYS):
                other += dt.timedelta(days=step)
                if self.is_working_day(other):
                    break
                if self._holiday(other):
                    return True
        return False

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself if it is a working day, else the first working day after it."""
        for _ in range(MAX_STEPS):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise NotCovered(day.year)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (the count starts the day after)."""
        day, left = start, n
        for _ in range(MAX_STEPS + n):
            if left <= 0:
                return day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        raise NotCovered(day.year)

    def latest_before(self, end: dt.date, n: int) -> dt.date:
        """The last day from which `end` is at least `n` working days away (`working_days_between(day, end)
        ≥ n`): a notice `n` working days ahead of `end` is due on it."""
        day, left = end, n
        for _ in range(MAX_STEPS + n):
            if left <= 0:
                return day
            if self.is_working_day(day):
                left -= 1
            day -= dt.timedelta(days=1)
        raise NotCovered(day.year)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
