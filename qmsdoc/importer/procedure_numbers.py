"""Clause numbers of an imported paragraph: Word's own numbering, or a number typed as text.

Both are mapped to the qmsdoc numbering formats (`qmsdoc.model.numbering.FORMATS`), so that the
built document shows the same number again: 第三条 → article, （三） → cn-paren, 三、 → cn-dun,
3、 → arabic-dun, 4.2.3.1 → the decimal outline, c) → letter-paren, and so on. A typed number
is removed from the paragraph's text (qmsdoc numbers clauses itself); a number whose format
qmsdoc cannot show is left in the text and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qmsdoc.importer.word import ListNumber

_CN = "零〇一二两三四五六七八九十百"
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_SEP = r"[ \t\u3000\u00a0]*"
_CJK = "\u3400-\u9fff"


@dataclass(frozen=True)
class ClauseNumber:
    """A detected number: its qmsdoc format, its value, and (outline) the values of every level.

    `typed` numbers were written as text; `shown` is the number as the reader saw it.
    """

    fmt: str
    value: int
    parts: tuple[int, ...]
    shown: str
    typed: bool

    @property
    def outline_depth(self) -> int:
        return len(self.parts) if self.fmt == "decimal" else 0


def chinese_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None for what is not a Chinese counting numeral."""
    if not text or any(c not in _CN for c in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_VALUES[ch]
    return total + current if total + current > 0 else None


_TYPED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("article", re.compile(rf"^第([{_CN}]+)条{_SEP}")),
    ("cn-paren", re.compile(rf"^[（(]([{_CN}]+)[）)]{_SEP}")),
    ("cn-dun", re.compile(rf"^([{_CN}]+)、{_SEP}")),
    ("arabic-dun", re.compile(rf"^([0-9]+)、{_SEP}")),
    ("arabic-fullparen", re.compile(rf"^（([0-9]+)）{_SEP}")),
    ("arabic-parens", re.compile(rf"^\(([0-9]+)\){_SEP}")),
    ("arabic-parens", re.compile(rf"^([\u2474-\u2487]){_SEP}")),
    ("letter-paren", re.compile(rf"^([a-z])\){_SEP}")),
    ("arabic-paren", re.compile(rf"^([0-9]+)\)(?![0-9]){_SEP}")),
    ("decimal", re.compile(rf"^([1-9][0-9]*(?:\.[1-9][0-9]*)+)\.?(?:[ \t\u3000]+|(?=[{_CJK}“《（]))")),
    ("arabic-dot", re.compile(rf"^([0-9]+)[.．](?![0-9]){_SEP}")),
    ("decimal", re.compile(r"^([1-9][0-9]?)[ \t\u3000]+(?=\S)")),
)
_UNITS = frozenset("米倍元个天年月日吨次%％万千克")


def typed_number(text: str) -> tuple[ClauseNumber, str] | None:
    """The number typed at the start of `text`, and the text without it; None when there is none."""
    for fmt, pattern in _TYPED:
        m = pattern.match(text)
        if m is None:
            continue
        rest = text[m.end():]
        if not rest.strip():
            return None  # a number alone is text, not a clause
        raw = m.group(1)
        if fmt == "decimal":
            if rest[:1] in _UNITS:
                continue
            parts = tuple(int(p) for p in raw.split("."))
            return ClauseNumber("decimal", parts[-1], parts, raw, True), rest
        if fmt in ("article", "cn-paren", "cn-dun"):
            value = chinese_value(raw)
        elif fmt == "letter-paren":
            value = ord(raw) - ord("a") + 1
        elif raw.isascii() and raw.isdigit():
            value = int(raw)
        else:
            value = ord(raw) - 0x2474 + 1
        if value is None or value <= 0:
            continue
        return ClauseNumber(fmt, value, (value,), text[:m.end()].strip(), True), rest
    return None


_WORD_FORMATS: dict[tuple[str, str], str] = {
    ("第{n}条", "cn"): "article",
    ("（{n}）", "cn"): "cn-paren",
    ("({n})", "cn"): "cn-paren",
    ("{n}、", "cn"): "cn-dun",
    ("{n}、", "decimal"): "arabic-dun",
    ("{n}.", "decimal"): "arabic-dot",
    ("{n}．", "decimal"): "arabic-dot",
    ("{n})", "decimal"): "arabic-paren",
    ("（{n}）", "decimal"): "arabic-fullparen",
    ("({n})", "decimal"): "arabic-parens",
    ("{n}", "decimalEnclosedParen"): "arabic-parens",
    ("{n})", "lowerLetter"): "letter-paren",
    ("{n}", "decimal"): "decimal",
}
_CN_FORMATS = frozenset(("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
                         "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"))


def word_number(number: ListNumber) -> ClauseNumber | None:
    """The qmsdoc format of a number Word shows from its numbering; None when qmsdoc has none like it."""
    placeholders = re.findall(r"%([1-9])", number.lvl_text)
    own = f"%{number.level + 1}"
    if len(placeholders) > 1:
        if re.fullmatch(r"%1(?:\.%[2-9])+\.?", number.lvl_text) and number.word_fmt in ("decimal", "decimalZero"):
            return ClauseNumber("decimal", number.value, number.values, number.text, False)
        return None
    if placeholders and own not in number.lvl_text:
        return None
    family = "cn" if number.word_fmt in _CN_FORMATS else number.word_fmt
    fmt = _WORD_FORMATS.get((number.lvl_text.replace(own, "{n}").strip(), family))
    if fmt is None:
        return None
    parts = (number.value,) if fmt != "decimal" else number.values
    return ClauseNumber(fmt, number.value, parts, number.text, False)
