"""The document-control data of an imported procedure: number, revision, dates, sign-offs, history.

Read from what a controlled Word procedure usually has: a header table (文件编号 | SJE/ZY/GK-09,
版本 | A/0, 生效日期 | 2025-04-01), the first page (the same pairs as a table or as
"文件编号：…" lines, and an approval table of 编制/审核/批准 with names and dates), a revision
history table (版本 | 日期 | 修订内容 | 修订人) and the lists of forms and related documents
qmsdoc puts at the end. Labels are recognised in Chinese and English, qmsdoc's own and the
common variants. Each value remembers where it was found, for the review list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from qmsdoc.importer.word import WordParagraph, WordTable

LABELS: dict[str, tuple[str, ...]] = {
    "id": ("文件编号", "文件编码", "文件代号", "文件号", "程序编号", "制度编号", "编号", "documentno",
           "documentnumber", "docno", "documentcode", "documentid"),
    "revision": ("版本", "版次", "版本号", "修订号", "版本/修订", "修改状态", "版本/修改", "revision", "rev",
                 "version"),
    "effective": ("生效日期", "实施日期", "执行日期", "生效时间", "实施时间", "effectivedate", "effective",
                  "dateeffective"),
    "owner": ("归口部门", "主管部门", "归口管理部门", "编制部门", "owner", "owningdepartment", "department"),
    "prepared": ("编制", "编写", "拟制", "起草", "编制人", "prepared", "preparedby", "author"),
    "reviewed": ("审核", "审核人", "reviewed", "reviewedby", "checked", "checkedby"),
    "approved": ("批准", "批准人", "审批", "approved", "approvedby"),
    "name": ("姓名", "签名", "签字", "name", "signature"),
    "date": ("日期", "date"),
}
HISTORY_CAPTIONS = ("修订记录", "修改记录", "版本记录", "文件修订记录", "修订履历", "revisionhistory", "changehistory",
                    "documenthistory")
HISTORY_HEADS = {
    "revision": ("版本", "版次", "版本号", "revision", "rev", "version"),
    "date": ("日期", "修订日期", "生效日期", "date"),
    "description": ("修订内容", "修改内容", "变更内容", "修订说明", "descriptionofchange", "description", "change",
                    "changes"),
    "by": ("修订人", "修改人", "编制", "by", "author", "changedby"),
}
FORMS_CAPTIONS = ("相关表单记录", "相关表单", "记录表单", "相关记录", "formsandrecords", "forms", "records")
RELATED_CAPTIONS = ("相关文件", "相关文件清单", "relateddocuments", "relatedprocedures")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def norm(text: str) -> str:
    """A label as compared: no spaces, colons or dots, case-folded (文件 编号： → 文件编号, Doc. No. → docno)."""
    return re.sub(r"[\s\u3000:：.．_]", "", text).casefold()


def label_of(text: str) -> str | None:
    key = norm(text)
    if not key or len(key) > 24:
        return None
    return next((name for name, labels in LABELS.items() if key in labels), None)


def parse_date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Found:
    value: str
    place: str


@dataclass(frozen=True)
class SignOffFound:
    name: str
    date: dt.date
    place: str


@dataclass(frozen=True)
class HistoryRow:
    revision: str
    date: dt.date
    description: str
    by: str
    place: str


@dataclass
class Metadata:
    values: dict[str, Found] = field(default_factory=dict)
    signoffs: dict[str, SignOffFound] = field(default_factory=dict)
    partial: list[str] = field(default_factory=list)
    """Sign-offs found without a name or a readable date: "place: 编制: 王伟" for the review."""
    history: list[HistoryRow] = field(default_factory=list)
    history_place: str = ""

    def put(self, key: str, value: str, place: str) -> bool:
        value = value.strip()
        if not value or key in self.values:
            return False
        self.values[key] = Found(value, place)
        return True


def read_pairs(meta: Metadata, blocks: Iterable[WordParagraph | WordTable]) -> set[str]:
    """Label/value pairs in tables and "label：value" lines; the places of the blocks that held any."""
    used: set[str] = set()
    for block in blocks:
        if isinstance(block, WordTable):
            if _approval_grid(meta, block) or _table_pairs(meta, block):
                used.add(block.place)
        elif _line_pairs(meta, block.text, block.place):
            used.add(block.place)
    return used


def _table_pairs(meta: Metadata, table: WordTable) -> bool:
    hits = 0
    for row in table.rows:
        cells = [c for c in row if not c.merged]
        for k, cell in enumerate(cells):
            if _line_pairs(meta, cell.text, cell.place):
                hits += 1
                continue
            key = label_of(cell.text)
            if key is None or key in ("name", "date"):
                continue
            value_cell = next((c for c in cells[k + 1:] if c.text.strip()), None)
            if value_cell is None or label_of(value_cell.text):
                continue
            if key in ("prepared", "reviewed", "approved"):
                hits += _signoff(meta, key, value_cell.text, value_cell.place)
            else:
                hits += meta.put(key, value_cell.text, value_cell.place)
    return hits > 0


def _flexible(label: str) -> str:
    """A label as it may be written: its characters with spaces or dots between them (documentno →
    "Document No.", 文件编号 → "文件 编号")."""
    return r"[\s.．_]*".join(re.escape(c) for c in label)


_LABELLED = re.compile(
    r"(?:(?<=\s)|^)(" + "|".join(_flexible(label) for label in sorted(
        {label for labels in LABELS.values() for label in labels}, key=len, reverse=True)) + r")[\s.．]*[:：]",
    re.IGNORECASE)
"""A known label followed by its colon, at the start of a line or after a space: where a value starts."""


PAIR_SHAPE = re.compile(r"^\s*[^:：]{1,20}?\s*[:：]")
"""Text that starts like "label：value" (a known label or not)."""


def pairs(text: str) -> list[tuple[str, str]]:
    """The (label key, value) pairs written in `text`: "文件编号：SJE/ZY/GK-09　版本：A/0", "Document No.:
    QP-07 Revision: B/1 Effective date: 2026-03-01", several on a line or on several lines; each value runs
    to the next known label. Pairs without a value are left out."""
    out = []
    for line in text.split("\n"):
        found = list(_LABELLED.finditer(line))
        for m, after in zip(found, [*found[1:], None], strict=False):  # the last value runs to the line's end
            key = label_of(m[1])
            value = line[m.end():after.start() if after else len(line)].strip()
            if key is not None and value:
                out.append((key, value))
    return out


def _line_pairs(meta: Metadata, text: str, place: str) -> bool:
    """The document data written as "label：value" pairs in `text` (see `pairs`)."""
    hits = 0
    for key, value in pairs(text):
        if key in ("name", "date"):
            continue
        if key in ("prepared", "reviewed", "approved"):
            hits += _signoff(meta, key, value, place)
        else:
            hits += meta.put(key, value, place)
    return hits > 0


def _signoff(meta: Metadata, key: str, text: str, place: str) -> bool:
    date = parse_date(text)
    name = _DATE.sub("", text).strip(" \t\u3000/，,;；")
    if key in meta.signoffs:
        return False
    if name and date:
        meta.signoffs[key] = SignOffFound(name, date, place)
    else:
        meta.partial.append(f"{place}: {key}: {text.strip()}")
    return True


def _approval_grid(meta: Metadata, table: WordTable) -> bool:
    """qmsdoc's approval table: a head row 编制 | 审核 | 批准 and rows 姓名 and 日期 under it."""
    grid = table.grid()
    if len(grid) < 2:
        return False
    heads = [label_of(t) for t in grid[0]]
    if not {"prepared", "reviewed", "approved"} & {h for h in heads if h}:
        return False
    rows = {label_of(r[0]): r for r in grid[1:] if r}
    names, dates = rows.get("name"), rows.get("date")
    if names is None and len(grid) >= 2 and heads[0] is not None:  # no label column: names then dates
        names, dates = grid[1], grid[2] if len(grid) > 2 else None
    if names is None:
        return False
    for c, head in enumerate(heads):
        if head in ("prepared", "reviewed", "approved") and c < len(names):
            text = names[c] + (" " + dates[c] if dates is not None and c < len(dates) else "")
            if text.strip():
                _signoff(meta, head, text, f"{table.place} row 2 cell {c + 1}")
    return True


def read_history(meta: Metadata, table: WordTable) -> bool:
    """A revision history table (版本 | 日期 | 修订内容 | 修订人); False when it is not one."""
    grid = table.grid()
    if len(grid) < 2:
        return False
    heads = [norm(t) for t in grid[0]]
    columns: dict[str, int] = {}
    for key, names in HISTORY_HEADS.items():
        for c, head in enumerate(heads):
            if head in names and c not in columns.values():
                columns[key] = c
                break
    if not {"revision", "date", "description"} <= set(columns):
        return False
    rows = []
    for r, row in enumerate(grid[1:], start=2):
        def cell(key: str, row: list[str] = row) -> str:
            c = columns.get(key)
            return row[c].strip() if c is not None and c < len(row) else ""
        date = parse_date(cell("date"))
        if not cell("revision") or date is None:
            continue
        rows.append(HistoryRow(cell("revision"), date, cell("description"), cell("by"), f"{table.place} row {r}"))
    meta.history = rows
    meta.history_place = table.place
    return True


def two_column_codes(table: WordTable) -> list[tuple[str, str]] | None:
    """(code, title) rows of a list of documents (表单编号 | 表单名称), head row left out."""
    grid = table.grid()
    if not grid or any(len(row) != 2 for row in grid):
        return None
    return [(row[0].strip(), row[1].strip()) for row in grid[1:] if row[0].strip()]


def is_caption(paragraph: WordParagraph, captions: tuple[str, ...]) -> bool:
    return norm(paragraph.text) in captions
