"""Parsing values people type: dates in Chinese and ISO writing, numbers, date-times."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:：时點点]\s*(\d{1,2})\s*(?:[:：分]\s*(?:(\d{1,2})\s*秒?)?)?$")


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


def parse_date(text: str) -> dt.date:
    """A date as people write it: 2025-04-03, 2025/4/3, 2025.4.3, 2025年4月3日, 二〇二五年四月三日."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    s = _cn_number(normalise(text))
    m = _DATE.match(s) or _DATE_COMPACT.match(s)
    if not m:
        raise ValueError_(f'not a date: "{text}"', "not_a_date")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ImpossibleValue(f'impossible date "{text}" ({exc})', "impossible_date") from None


def parse_datetime(text: str, tz: str) -> dt.datetime:
    """A date and time (2025-04-03 14:30, 2025年4月3日 14时30分, ISO with offset) in zone `tz`."""
    if len(text) >= 16 and text[4] == "-":
        try:
            value = dt.datetime.fromisoformat(text)
            return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))
        except ValueError:
            pass
    s = _cn_number(normalise(text))
    try:
        value = dt.datetime.fromisoformat(s)
        return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        pass
    m = re.match(r"^(.*?日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*(.+)$", s)
    if not m:
        raise ValueError_(f'not a date and time: "{text}" (write e.g. 2025-04-03 14:30)', "not_a_datetime")
    day = parse_date(m[1])
    t = _TIME.match(m[2].strip())
    if not t:
        raise ValueError_(f'not a time of day: "{m[2].strip()}" in "{text}"', "not_a_time", time=m[2].strip())
    try:
        return dt.datetime(day.year, day.month, day.day, int(t[1]), int(t[2]), int(t[3] or 0),
                           tzinfo=ZoneInfo(tz))
    except ValueError as exc:
        raise ImpossibleValue(f'impossible time "{text}" ({exc})', "impossible_time") from None


def parse_number(text: str) -> Decimal:
    """12, 1,200.50, ¥1 200, 3.5元 → Decimal."""
    s = normalise(text)
    s = re.sub(r"[¥￥$,\s元]", "", s)
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError_(f'not a number: "{text}"', "not_a_number") from None
    if not value.is_finite():
        raise ValueError_(f'not a number: "{text}"', "not_a_number")
    return value
