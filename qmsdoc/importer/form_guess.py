"""What a label and its blank say about an entry: its type, a signature's role and meaning, a
stable ASCII id, and what a cell's text says (blank, tick boxes, a 年 月 日 date line).

Every answer comes with the reason it was given (`label says 日期`), because a guess is
listed for review next to the place it was made.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

BOXES = "□☐☑☒■▢"
_BOX_SPLIT = re.compile(f"[{BOXES}]")
_BLANK_CHARS = " \t\n\r\u00a0\u3000_＿…．.·-—"
_DATE_LINE = re.compile(r"^[\s_＿]*(?:[\s_＿]*年[\s_＿]*月(?:[\s_＿]*日)?)[\s_＿]*$")
_REQUIRED_MARK = re.compile(r"[\s\u00a0]*[*＊]$")
_TRAILING_COLON = re.compile(r"[\s\u00a0]*[：:]$")
_PAREN_TAIL = re.compile(r"[（(][^（）()]*[）)]$")
FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")

_DATE = re.compile(r"(日期|年月日)$|\bdate$|^date\b", re.IGNORECASE)
_DATETIME = re.compile(r"时间$|\btime$|^time\b|date and time|date/time", re.IGNORECASE)
_PLANNED = re.compile(r"计划|要求|截止|期限|预计|预定|下次|到期|交货期|\b(planned|due|deadline|expected|next)\b",
                      re.IGNORECASE)
_SIGNATURE = re.compile(r"签字|签名|签章|盖章|signature|signed by|\bsign\b", re.IGNORECASE)
_SIGN_WORDS = re.compile(r"[（(]?(签字|签名|签章|盖章|Signature|Signed by|Sign)[）)]?|[：:\s]+$", re.IGNORECASE)
_MONEY = re.compile(r"金额|费用|价格|报价|单价|定价|价值|预算|产值|收入|数额|万元|[（(]元[）)]|额$|额合计|费$|"
                    r"\b(amount|price|cost|fee|value|total)\b", re.IGNORECASE)
_NUMBER = re.compile(r"数量|次数|页数|人数|张数|天数|件数|台数|个数|总数|问题数|年度|比例|批次|车次|[用货方]量$|"
                     r"\b(quantity|qty|number of|count|no\. of)\b", re.IGNORECASE)
_RATIO = re.compile(r"(比例|比率|率|[（(]%[）)])$")
_NAMES_A_THING = re.compile(r"名称|编号|项目|水平$|类别$|类型$|方式$")
"""A label that names a thing, not an amount (费用项目, 新报价单编号): never a number or money."""
_PERSON_END = re.compile(r"(人|员|司机|姓名|领导)$|^name$|\bby$", re.IGNORECASE)
_NOT_PERSON_END = re.compile(r"(联系人|联络人|负责人|接待人|人员|部门)$")
_MULTI = re.compile(r"多选|可多选|all that apply|select all|multiple|^(报送|下达至|抄送)$|"
                    r"(参加|参会|通知|发放|报送|转发|下达|反馈|协作|联络|派出|抄送).*(部门|单位)", re.IGNORECASE)
_MEANINGS = (("审核|审阅|审查|review", "reviewed"), ("批准|approv", "approved"), ("编制|填表|填写|prepar", "prepared"),
             ("接收|签收|receiv", "received"), ("确认|confirm", "confirmed"))
YES_NO = ({"是", "否"}, {"yes", "no"})
DATE_LABELS = frozenset({"日期", "签字日期", "签名日期", "date", "date signed"})


@dataclass(frozen=True)
class Guess:
    """A type (and what goes with it) and the reason, as listed for review."""

    type: str
    why: str
    planned: bool = False


def clean_label(text: str) -> tuple[str, bool]:
    """A label cell's text as the label (verbatim, without the required mark or a trailing colon)
    and whether it carries the required mark."""
    label = text.strip(" \t\n\r\u00a0\u3000")
    required = bool(_REQUIRED_MARK.search(label))
    label = _REQUIRED_MARK.sub("", label)
    label = _TRAILING_COLON.sub("", label).strip(" \t\n\r\u00a0\u3000")
    return label, required


def core(label: str) -> str:
    """The label without the spaces around Chinese characters and without a trailing parenthesis,
    for matching words against it (原件存档人（营销部门） → 原件存档人, 日  期 → 日期)."""
    squeezed = re.sub(r"(?<=[^\x00-\x7f])[\s\u00a0\u3000]+|[\s\u00a0\u3000]+(?=[^\x00-\x7f])", "", label.strip())
    squeezed = re.sub(r"\s+", " ", squeezed)
    return _PAREN_TAIL.sub("", squeezed) or squeezed


def is_blank(text: str) -> bool:
    """Nothing written: spaces, underscores and dots only."""
    return not text.strip(_BLANK_CHARS)


def is_date_line(text: str) -> bool:
    """A blank date written out as 年 月 日 (with room to write in)."""
    return bool(_DATE_LINE.match(text)) and not is_blank(text)


def boxes(text: str) -> list[str] | None:
    """The option labels of a cell written as tick boxes (□A □B), None when it has none."""
    if not _BOX_SPLIT.search(text):
        return None
    parts = _BOX_SPLIT.split(text)[1:]
    return [p.strip(_BLANK_CHARS + "，,;；、") for p in parts if p.strip(_BLANK_CHARS + "，,;；、")]


def yes_no(options: list[str]) -> bool:
    """Options that are just yes/no (or a lone yes): a yes/no entry."""
    folded = {o.casefold() for o in options}
    return any(folded == pair for pair in YES_NO) or folded in ({"是"}, {"yes"})


def type_from_label(label: str) -> Guess | None:
    """The type a label names, None when it names none (text, or whatever the blank says)."""
    word = core(label)
    if _DATETIME.search(word):
        return Guess("datetime", f"label says {_said(_DATETIME, word)}", _planned(word))
    if _DATE.search(word):
        return Guess("date", f"label says {_said(_DATE, word)}", _planned(word))
    if _SIGNATURE.search(word):
        return Guess("signature", f"label says {_said(_SIGNATURE, word)}")
    if _NAMES_A_THING.search(word):
        pass
    elif _RATIO.search(word):
        return Guess("number", f"label says {_said(_RATIO, word)}")
    elif _MONEY.search(word):
        return Guess("money", f"label says {_said(_MONEY, word)}")
    elif _NUMBER.search(word):
        return Guess("number", f"label says {_said(_NUMBER, word)}")
    if _PERSON_END.search(word) and not _NOT_PERSON_END.search(word):
        return Guess("person", f"label ends with {_said(_PERSON_END, word)}: a person's name")
    return None


def _planned(word: str) -> bool:
    return bool(_PLANNED.search(word))


def _said(pattern: re.Pattern[str], word: str) -> str:
    found = pattern.search(word)
    return found.group(0) if found else word


def choice_kind(label: str) -> Guess:
    """A choice or a multi-choice: they print alike (a tick box per option), so the label decides."""
    word = core(label)
    if _MULTI.search(word):
        return Guess("multichoice", f"tick boxes; label says {_said(_MULTI, word)}, so more than one may apply")
    return Guess("choice", "tick boxes: one to tick; a multi-choice prints alike")


def unit_type(label: str, unit: str) -> Guess:
    """A number written with a unit after its blank: money when the unit or label is money."""
    said = type_from_label(label)
    if said is not None and said.type in ("number", "money"):
        return Guess(said.type, f"unit {unit} after the blank; {said.why}")
    if "元" in unit:
        return Guess("money", f"unit {unit} after the blank")
    return Guess("number", f"unit {unit} after the blank")


def role_for(label: str, roles: tuple[str, ...] | list[str]) -> tuple[str, str]:
    """The role of a signature from its label, and why: the label itself when it is a role, a role
    the label contains (the longest), else the closest role of qmsdoc.yaml (to be checked)."""
    bare = _SIGN_WORDS.sub("", core(label)).strip() or core(label)
    if bare in roles:
        return bare, "the label names it"
    inside = sorted((r for r in roles if r in label), key=len, reverse=True)
    if inside:
        return inside[0], f'the label contains "{inside[0]}"'
    close = difflib.get_close_matches(bare, list(roles), n=1, cutoff=0.3)
    if close:
        return close[0], f'"{bare}" is not a role of qmsdoc.yaml; the closest is used: check it'
    fallback = "经办人" if "经办人" in roles else roles[0]
    return fallback, f'"{bare}" is not a role of qmsdoc.yaml; "{fallback}" is used: check it'


def meaning_for(label: str) -> str | None:
    for pattern, meaning in _MEANINGS:
        if re.search(pattern, label, re.IGNORECASE):
            return meaning
    return None


def slug(label: str) -> str | None:
    """An id from an English label (Customer name → customer_name); None for any other."""
    if not label.isascii():
        return None
    words = re.findall(r"[a-z0-9]+", label.lower())
    text = "_".join(words)[:40].strip("_")
    if not text or not text[0].isalpha():
        return None
    return text


class Ids:
    """Stable, unique ids for one scope (a form's fields, a table's columns, a field's options)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.used: set[str] = set()
        self.count = 0

    def take(self, wanted: str | None, label: str) -> tuple[str, bool]:
        """`wanted` (a tag) when it is a valid, unused id; else a slug of the label, else prefix_N;
        and whether the id was made up here (to be reviewed)."""
        self.count += 1
        if wanted and FIELD_ID.match(wanted) and wanted not in self.used:
            self.used.add(wanted)
            return wanted, False
        base = slug(label) or f"{self.prefix}_{self.count}"
        made, k = base, 2
        while made in self.used:
            made = f"{base}_{k}"
            k += 1
        self.used.add(made)
        return made, True
