"""Parsing values people type: dates in Chinese and ISO writing, numbers, date-times.

Every value is bounded before it becomes a Python number or date (`qmsdoc.model.limits`): a
number's digits and power of ten are counted on its text, and a date's year must lie within
`year_min`–`year_max`, so no value read from a record can cost time or overflow later.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from qmsdoc.model.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from qmsdoc.model.records import DateOnly

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:：时點点]\s*(\d{1,2})\s*(?:[:：分]\s*(?:(\d{1,2})\s*秒?)?)?$")
_NUMERAL = re.compile(r"[+-]?([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
_EXPONENT_DIGITS = 6
"""An exponent written with more digits than this is out of range whatever the bound (1e1000000)."""
Day = TypeVar("Day", dt.date, dt.datetime)


class ValueError_(ValueError):
    """A value that was written but cannot be read; the message says why.

    `key` names the reason in the checker's label catalogues (`reason_<key>`), so reports can say
    it in the site's language; `params` fill that text.
    """

    kind = "unreadable"

    def __init__(self, message: str, key: str = "", **params: object):
        super().__init__(message)
        self.key = key
        self.params = tuple((k, str(v)) for k, v in params.items())


class ImpossibleValue(ValueError_):
    """A value written correctly that names no real day or time (2024-02-30, 25:00)."""

    kind = "impossible"


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII; trims ideographic spaces."""
    return unicodedata.normalize("NFKC", text).strip()


def _cn_number(text: str) -> str:
    """二〇二五 → 2025 and 十二 → 12 inside a Chinese-written date."""
    def small(m: re.Match[str]) -> str:
        s = m[0]
        if "十" in s:
            tens, _, ones = s.partition("十")
            return str((_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0))
        return "".join(str(_CN_DIGIT[c]) for c in s)
    return re.sub(r"[〇零○一二三四五六七八九十]+", small, text)


def parse_date(text: str, limits: Limits = DEFAULT_LIMITS) -> dt.date:
    """A date as people write it: 2025-04-03, 2025/4/3, 2025.4.3, 2025年4月3日, 二〇二五年四月三日."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            iso = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return check_year(iso, text, limits)
    s = _cn_number(normalise(text))
    m = _DATE.match(s) or _DATE_COMPACT.match(s)
    if not m:
        raise ValueError_(f'not a date: "{text}"', "not_a_date")
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ImpossibleValue(f'impossible date "{text}" ({exc})', "impossible_date") from None
    return check_year(day, text, limits)


def parse_datetime(text: str, tz: str, limits: Limits = DEFAULT_LIMITS) -> dt.datetime | DateOnly:
    """A date and time (2025-04-03 14:30, 2025年4月3日 14时30分, ISO with offset) in zone `tz`.

    A date written without a time of day (2025-04-03, 2025年4月3日) is that day and no more: a
    `DateOnly`, never midnight."""
    if len(text) >= 16 and text[4] == "-":
        iso = _iso_datetime(text, tz)
        if iso is not None:
            return check_year(iso, text, limits)
    day = _date_alone(text, limits)
    if day is not None:
        return DateOnly(day.year, day.month, day.day)
    s = _cn_number(normalise(text))
    iso = _iso_datetime(s, tz)
    if iso is not None:
        return check_year(iso, text, limits)
    m = re.match(r"^(.*?日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*(.+)$", s)
    if not m:
        raise ValueError_(f'not a date and time: "{text}" (write e.g. 2025-04-03 14:30)', "not_a_datetime")
    day = parse_date(m[1], limits)
    t = _TIME.match(m[2].strip())
    if not t:
        raise ValueError_(f'not a time of day: "{m[2].strip()}" in "{text}"', "not_a_time", time=m[2].strip())
    try:
        return dt.datetime(day.year, day.month, day.day, int(t[1]), int(t[2]), int(t[3] or 0),
                           tzinfo=ZoneInfo(tz))
    except ValueError as exc:
        raise ImpossibleValue(f'impossible time "{text}" ({exc})', "impossible_time") from None


def _date_alone(text: str, limits: Limits) -> dt.date | None:
    """The day when `text` is a date and nothing more; None when it is something else. A date that is
    written as one but names no real day (2025-02-30) is an ImpossibleValue, as in a date entry."""
    try:
        return parse_date(text, limits)
    except ImpossibleValue:
        raise
    except ValueError_:
        return None


def _iso_datetime(text: str, tz: str) -> dt.datetime | None:
    """An ISO date-time, in zone `tz` unless it gives its own offset; None when `text` is not one."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))


def check_year(value: Day, text: str, limits: Limits) -> Day:
    """`value` when its year lies within `year_min`–`year_max`; ImpossibleValue naming the bound otherwise.

    Dates far from now are mistakes, and near year 1 or 9999 the date arithmetic of rules overflows."""
    year = value.year
    if limits.year_min <= year <= limits.year_max:
        return value
    name, bound = ("year_min", limits.year_min) if year < limits.year_min else ("year_max", limits.year_max)
    message = str(LimitExceeded(name, bound, f'year {year} of "{_clip(text)}" is outside '
                                             f"{limits.year_min}–{limits.year_max}"))
    raise ImpossibleValue(message, "year_out_of_range", year=year, min=limits.year_min, max=limits.year_max)


def parse_number(text: str, limits: Limits = DEFAULT_LIMITS) -> Decimal:
    """12, 1,200.50, ¥1 200, 3.5元 → Decimal, within the bounds of `bounded_number`."""
    s = normalise(text)
    s = re.sub(r"[¥￥$,\s元]", "", s)
    return bounded_number(s, limits, text)


def bounded_number(numeral: str, limits: Limits, shown: str | None = None) -> Decimal:
    """A plain decimal numeral (ASCII digits, optional sign, point and exponent) as a Decimal.

    Its significant digits (`number_digits`) and its power of ten (`number_exponent`) are
    counted on the text before anything is converted, so a 5,000-digit integer or 1e100000000
    costs nothing; NaN and Infinity are not numerals. Raises ValueError_ naming the bound.
    `shown` is the text as written, for the message (default: the numeral).
    """
    shown = _clip(numeral if shown is None else shown)
    m = _NUMERAL.fullmatch(numeral)
    if m is None or not (m[1] or m[2]):
        raise ValueError_(f'not a number: "{shown}"', "not_a_number")
    digits = len((m[1] + (m[2] or "")).lstrip("0"))
    if digits > limits.number_digits:
        raise ValueError_(str(LimitExceeded("number_digits", limits.number_digits,
                                            f'the number "{shown}" has {digits} digits')),
                          "number_digits", digits=digits, limit=limits.number_digits)
    bound = limits.number_exponent
    exponent = m[3]
    if exponent is None or len(exponent.lstrip("+-0")) <= _EXPONENT_DIGITS:
        value = Decimal(numeral)
        if -bound <= value.adjusted() <= bound:
            return value
    raise ValueError_(str(LimitExceeded("number_exponent", bound,
                                        f'the number "{shown}" is beyond 1e{bound} or below 1e-{bound}')),
                      "number_exponent", limit=bound)


def _clip(text: str) -> str:
    """A value as messages quote it: at most 40 characters."""
    return text if len(text) <= 40 else text[:39] + "…"


class RefusedValue:
    """A literal of an export refused before it became a value (a 5,000-digit integer, 1e5000,
    NaN): it stands where it was written, and reading it as any entry gives its problem."""

    __slots__ = ("error", "text")

    def __init__(self, text: str, error: ValueError_):
        self.text = _clip(text)
        self.error = error

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__
