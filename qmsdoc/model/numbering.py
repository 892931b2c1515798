"""Clause numbering formats: how an item is shown (第三条, （三）, 4.2.3, c)) and cited.

The same table drives the Word numbering definitions the generator writes and the clause
labels rules cite, so what a reader sees in Word and what a finding cites always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

_CN_DIGITS = "零一二三四五六七八九"


def chinese_counting(n: int) -> str:
    """Chinese counting numerals as Word's chineseCounting shows them: 1→一, 10→十, 21→二十一."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = ""
        if rest:
            tail = ("零" + chinese_counting(rest)) if rest < 10 else (
                "一" + chinese_counting(rest) if rest < 20 else chinese_counting(rest))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def chinese_count_word(n: int) -> str:
    """A count as said before a measure word: 2 → 两 (两天, 两次), otherwise as chinese_counting."""
    return "两" if n == 2 else chinese_counting(n)


def lower_letter(n: int) -> str:
    """Word's lowerLetter: a … z, then aa, bb …"""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


@dataclass(frozen=True)
class NumberFormat:
    """One numbering format: Word's numFmt, the shown text and the citation form.

    `text` and `cite` use {n} for this level's counter; `joiner` joins the citation to the
    parent clause's citation (None: the citation stands alone, as 4.2.3 does).
    """

    name: str
    word_fmt: str
    text: str
    cite: str
    joiner: str | None
    suffix: str  # Word's w:suff: "nothing", "space" or "tab"

    def counter(self, n: int) -> str:
        if self.word_fmt == "chineseCounting":
            return chinese_counting(n)
        if self.word_fmt == "lowerLetter":
            return lower_letter(n)
        if self.word_fmt == "decimalEnclosedParen":
            return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
        return str(n)


FORMATS: dict[str, NumberFormat] = {
    f.name: f
    for f in (
        NumberFormat("article", "chineseCounting", "第{n}条", "第{n}条", "", "space"),
        NumberFormat("cn-paren", "chineseCounting", "（{n}）", "（{n}）", "", "nothing"),
        NumberFormat("cn-dun", "chineseCounting", "{n}、", "{n}", "", "nothing"),
        NumberFormat("arabic-dun", "decimal", "{n}、", "{n}", "", "nothing"),
        NumberFormat("arabic-dot", "decimal", "{n}.", "{n}", "", "nothing"),
        NumberFormat("arabic-paren", "decimal", "{n})", "{n})", " ", "nothing"),
        NumberFormat("arabic-fullparen", "decimal", "（{n}）", "（{n}）", "", "nothing"),
        NumberFormat("letter-paren", "lowerLetter", "{n})", "{n})", " ", "nothing"),
        NumberFormat("arabic-parens", "decimal", "({n})", "({n})", "", "nothing"),
        NumberFormat("decimal", "decimal", "{n}", "{n}", None, "space"),
    )
}
"""Formats by name. `decimal` is the outline format: its text is the whole outline number."""

LIST_ONLY = ("outline",)
"""`outline`: list items that continue the heading outline (4.2 → 4.2.1, 4.2.2)."""


def format_names(for_lists: bool) -> list[str]:
    return list(FORMATS) + (list(LIST_ONLY) if for_lists else [])


def cite_join(parent: str | None, fmt: NumberFormat, own: str) -> str:
    """The citation of an item: its own cite text joined to its parent's citation."""
    if fmt.joiner is None or not parent:
        return own
    return parent + fmt.joiner + own
