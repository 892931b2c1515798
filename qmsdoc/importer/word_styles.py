"""A Word file's styles and list numbering resolved, as a reader of the document sees them.

The content reader (`word.py`) asks two things of them for each paragraph: its style's name,
outline level and bold, and the number Word shows before it (a numbering definition resolved,
its counters carried from paragraph to paragraph, e.g. 第三条 or 4.2.1). The small helpers for
WordprocessingML names and toggles live here too, so that both modules read attributes alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from qmsdoc.model.numbering import chinese_counting, lower_letter
from qmsdoc.records.safezip import W

_FALSE = frozenset(("0", "false", "off", "none"))


def w(tag: str) -> str:
    """The WordprocessingML element or attribute `tag` (w:tag) as lxml names it."""
    return f"{{{W}}}{tag}"


def val(node: etree._Element | None, attr: str = "val") -> str | None:
    """The w:val (or w:`attr`) of `node`; None when there is no node or no such attribute."""
    return None if node is None else node.get(w(attr))


def on(node: etree._Element | None) -> bool | None:
    """A toggle property (w:b …): None when absent, else whether it is on."""
    if node is None:
        return None
    return (val(node) or "1").lower() not in _FALSE


@dataclass(frozen=True)
class ListNumber:
    """The number Word shows before a paragraph: its numbering instance and level, the level's
    format (Word's numFmt and lvlText, e.g. chineseCounting and 第%1条) and the text shown."""

    num_id: str
    level: int
    word_fmt: str
    lvl_text: str
    text: str
    value: int
    """This level's counter (3 for 第三条, 1 for 4.2.1)."""
    values: tuple[int, ...]
    """The counters of every level down to this one (4, 2, 1 for 4.2.1)."""


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None
    bold: bool | None


class Styles:
    def __init__(self, root: etree._Element | None):
        self._styles: dict[str, _Style] = {}
        self.default_paragraph = ""
        if root is None:
            return
        for node in root.findall(w("style")):
            sid = node.get(w("styleId")) or ""
            ppr, rpr = node.find(w("pPr")), node.find(w("rPr"))
            num_pr = ppr.find(w("numPr")) if ppr is not None else None
            outline = to_int(val(ppr.find(w("outlineLvl")))) if ppr is not None else None
            ilvl = to_int(val(num_pr.find(w("ilvl")))) if num_pr is not None else None
            self._styles[sid] = _Style(
                val(node.find(w("name"))) or sid, val(node.find(w("basedOn"))), outline,
                val(num_pr.find(w("numId"))) if num_pr is not None else None, ilvl,
                on(rpr.find(w("b"))) if rpr is not None else None)
            if node.get(w("type")) == "paragraph" and node.get(w("default")) in ("1", "true"):
                self.default_paragraph = sid

    def _chain(self, sid: str) -> Iterator[_Style]:
        seen: set[str] = set()
        current: str | None = sid
        while current and current not in seen and current in self._styles:
            seen.add(current)
            style = self._styles[current]
            yield style
            current = style.based_on

    def name(self, sid: str) -> str:
        style = self._styles.get(sid)
        return style.name if style else sid

    def outline(self, sid: str) -> int | None:
        for style in self._chain(sid):
            if style.outline is not None:
                return style.outline if style.outline < 9 else None
            level = _heading_level(style.name)
            if level is not None:
                return level
        return None

    def numbering(self, sid: str) -> tuple[str | None, int | None]:
        for style in self._chain(sid):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None

    def bold(self, sid: str) -> bool:
        return next((s.bold for s in self._chain(sid) if s.bold is not None), False)


def _heading_level(name: str) -> int | None:
    low = name.casefold().replace(" ", "")
    for prefix in ("heading", "标题"):
        if low.startswith(prefix) and low[len(prefix):].isdigit():
            level = int(low[len(prefix):])
            return level - 1 if 1 <= level <= 9 else None
    return None


def to_int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    style: str | None = None
    legal: bool = False


class Numbering:
    """numbering.xml resolved: the levels of each numId, and the counters as paragraphs come."""

    def __init__(self, root: etree._Element | None):
        self._levels: dict[str, dict[int, _Level]] = {}
        self._counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstracts: dict[str, dict[int, _Level]] = {}
        for node in root.findall(w("abstractNum")):
            abstracts[node.get(w("abstractNumId"), "")] = _levels(node)
        for num in root.findall(w("num")):
            levels = {k: _Level(v.start, v.fmt, v.text, v.style, v.legal)
                      for k, v in abstracts.get(val(num.find(w("abstractNumId"))) or "", {}).items()}
            for override in num.findall(w("lvlOverride")):
                ilvl = to_int(override.get(w("ilvl"))) or 0
                redefined = override.find(w("lvl"))
                if redefined is not None:
                    levels.update(_levels_of([redefined]))
                start = to_int(val(override.find(w("startOverride"))))
                if start is not None:
                    levels.setdefault(ilvl, _Level()).start = start
            self._levels[num.get(w("numId"), "")] = levels

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        return next((k for k, lvl in self._levels.get(num_id, {}).items() if lvl.style == style_id), None)

    def next(self, num_id: str, ilvl: int) -> ListNumber | None:
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return None
        counters = self._counters.setdefault(num_id, [0] * 9)
        ilvl = max(0, min(ilvl, 8))
        for k in range(ilvl):  # a level used before its parents counts from the parents' starts
            if counters[k] == 0:
                counters[k] = levels[k].start if k in levels else 1
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl].start
        for k in range(ilvl + 1, 9):
            counters[k] = 0
        lvl = levels[ilvl]
        text = lvl.text
        for k in range(ilvl, -1, -1):
            fmt = "decimal" if lvl.legal else (levels[k].fmt if k in levels else "decimal")
            text = text.replace(f"%{k + 1}", format_counter(fmt, counters[k]))
        return ListNumber(num_id, ilvl, lvl.fmt, lvl.text, text, counters[ilvl], tuple(counters[:ilvl + 1]))


def _levels(abstract: etree._Element) -> dict[int, _Level]:
    return _levels_of(abstract.findall(w("lvl")))


def _levels_of(nodes: Iterable[etree._Element]) -> dict[int, _Level]:
    out = {}
    for node in nodes:
        ilvl = to_int(node.get(w("ilvl"))) or 0
        text_node = node.find(w("lvlText"))
        out[ilvl] = _Level(to_int(val(node.find(w("start")))) or (0 if node.find(w("start")) is not None else 1),
                           val(node.find(w("numFmt"))) or "decimal",
                           (val(text_node) or "") if text_node is not None else f"%{ilvl + 1}.",
                           val(node.find(w("pStyle"))), bool(on(node.find(w("isLgl")))))
    return out


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def format_counter(word_fmt: str, n: int) -> str:
    """A counter as Word shows it in numbering format `word_fmt` (decimal for formats not known here)."""
    if word_fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
                    "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return chinese_counting(n)
    if word_fmt == "lowerLetter":
        return lower_letter(n)
    if word_fmt == "upperLetter":
        return lower_letter(n).upper()
    if word_fmt == "lowerRoman":
        return _roman(n)
    if word_fmt == "upperRoman":
        return _roman(n).upper()
    if word_fmt == "decimalEnclosedCircle" or word_fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
    if word_fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if word_fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if word_fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n >= 1 else str(n)
    if word_fmt == "decimalZero":
        return f"{n:02d}"
    if word_fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if word_fmt in ("none", "bullet"):
        return ""
    return str(n)
