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


class NotCovered(Exception):
    """The official calendar for this year is not known."""

    def __init__(self, year: int):
        self.year = year
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

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
