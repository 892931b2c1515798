"""A Word form (a bordered table of labels and blanks) → a draft form definition, and every guess.

What is read is what is visible, so that a form not made by qmsdoc is read as well as one that
was: a label cell followed by an empty cell is an entry; a row of headings followed by empty
rows is a repeating table; a cell of tick boxes (□A □B) is a choice (□是 □否: a yes/no); a
bar or a lone heading is a section. Where the file carries qmsdoc's entry controls, their tags
give the ids and their kind (a date picker, tick boxes, multi-line text, a signature's name and
date) decides what the label would only suggest. The rest is guessed from the label (日期 → a
date, 签字 → a signature, 金额 → money …) and each guess is listed with its place, so the
person importing knows what to review. Nothing here writes a file: see `form_import.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qmsdoc.importer import form_guess as g
from qmsdoc.importer.form_view import Cell, Paragraph, Row, Table, WordForm, form_view
from qmsdoc.importer.word import WordDocument
from qmsdoc.load.common import follows
from qmsdoc.load.forms import MAX_TABLE_ROWS
from qmsdoc.model.site import SiteConfig

_TABLE_TAG = re.compile(r"^([a-z][a-z0-9_]*)\.([0-9]+)\.([a-z][a-z0-9_.]*)$")
"""The tag of an entry in a repeating table: table.row.column (a tick box: table.row.column.option)."""
_ROW_NO = frozenset({"序号", "no.", "no", "#", "行号", "item"})
_INSTRUCTIONS = ("填写说明", "Instructions")
_LEGENDS = ("带“*”的栏目为必填项。", "Entries marked * must be filled in.")
_FORM_NO = frozenset({"表单编号", "表格编号", "记录编号", "form no.", "form no", "form number"})
_CN_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_INLINE_FIELD = re.compile(r"^([^：:\n]{1,40})[：:](.*)$", re.DOTALL)
MULTILINE_TWIPS = 540
"""A blank row at least this high is for multi-line writing: above one line of text with its
margins (qmsdoc's own entry rows are 400, signature rows 460, multi-line rows at least 560)."""


@dataclass
class DraftField:
    """A field (or table column) as the definition will say it."""

    id: str
    label: str
    type: str
    required: bool = False
    width: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    role: str | None = None
    meaning: str | None = None
    planned: bool = False
    single_box: bool = False
    unit: str | None = None
    columns: list[DraftField] = field(default_factory=list)
    rows: int | None = None
    min_rows: int | None = None


@dataclass
class DraftSection:
    title: str
    fields: list[DraftField] = field(default_factory=list)


@dataclass
class Draft:
    """What was read of the file, and what to review."""

    title: str | None = None
    form_id: str | None = None
    procedure: str | None = None
    clause: str | None = None
    retention: str | None = None
    copies: int | None = None
    instructions: str | None = None
    dated_by: str | None = None
    sections: list[DraftSection] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def fields(self) -> list[DraftField]:
        return [f for s in self.sections for f in s.fields]


def read_draft(word: WordDocument, source: str, site: SiteConfig) -> Draft:
    """The draft definition of the form in `word` (`source` names the file in the guesses)."""
    return _Interpreter(form_view(word), source, site).run()


class _Interpreter:
    def __init__(self, word: WordForm, source: str, site: SiteConfig):
        self.word = word
        self.source = source
        self.site = site
        self.draft = Draft()
        self.ids = g.Ids("field")
        self.tables = 0
        self.section: DraftSection | None = None
        self.caption: tuple[str, bool] | None = None
        self.made_ids: list[str] = []

    # -- the whole file ----------------------------------------------------------------------

    def run(self) -> Draft:
        d = self.draft
        self._identity()
        title_paragraph = self._title()
        paragraph_no = 0
        body = self.word.body
        for k, block in enumerate(body):
            if isinstance(block, Table):
                self._table(block)
                continue
            paragraph_no += 1
            text = block.text.strip(" \t\n\r\u00a0\u3000")
            if not text or paragraph_no == title_paragraph:
                continue
            if self._instructions(text):
                continue
            following = body[k + 1] if k + 1 < len(body) else None
            place = f"paragraph {paragraph_no}"
            if block.shaded or not isinstance(following, Table) or not self._starts_with_rows(following):
                if block.shaded or block.bold or len(text) <= 30:
                    self._new_section(text)
                    if not block.shaded:
                        self._guess(place, text, "section title", "a heading before the form's rows")
                else:
                    d.skipped.append(f"{self.source}: {place}: text not part of the form, not imported: "
                                     f'"{_short(text)}"')
            else:
                self.caption = g.clean_label(text)
        self._dating()
        if self.made_ids:
            d.guesses.append(f"{self.source}: ids made up, since no entry control names them (give them meaningful "
                             f"ones): {', '.join(self.made_ids)}")
        if not d.fields():
            d.skipped.append(f"{self.source}: no label followed by a blank was found: no fields imported")
        return d

    def _starts_with_rows(self, table: Table) -> bool:
        """Whether `table` starts with a repeating table's header row (a caption goes with it)."""
        return bool(table.rows) and self._blank_rows(table.rows, 0) > 0

    def _guess(self, place: str, label: str, what: str, why: str) -> None:
        self.draft.guesses.append(f'{self.source}: {place}: "{label}" → {what} ({why})')

    def _new_section(self, title: str) -> DraftSection:
        title, _ = g.clean_label(title)
        if self.section is not None and not self.section.fields:
            self.section.title = title  # a heading right after another one: the later, closer one counts
        else:
            self.section = DraftSection(title)
            self.draft.sections.append(self.section)
        self.caption = None
        return self.section

    def _current(self, place: str) -> DraftSection:
        if self.section is None:
            title = "基本信息" if self.site.language == "zh-CN" else "Details"
            self._new_section(title)
            self._guess(place, title, "section title", "the rows before any heading need a section")
        assert self.section is not None
        return self.section

    # -- what the header, footer and properties say --------------------------------------------

    def _texts(self) -> list[str]:
        first = [b.text for b in self.word.body[:5] if isinstance(b, Paragraph)]
        return [*self.word.headers, *self.word.footers, *first]

    def _identity(self) -> None:
        d, site = self.draft, self.site
        candidates = [self.word.core_identifier or "", *self._texts()]
        d.form_id = _token(candidates, site.form_code)
        if d.form_id is None:
            for row in self.word.header_cells:
                for k, text in enumerate(row[:-1]):
                    if g.core(text).casefold() in _FORM_NO and row[k + 1].strip():
                        d.form_id = row[k + 1].strip()
                        break
        d.procedure = _token([*self.word.footers, *self.word.headers], site.procedure_code)
        for text in self.word.footers:
            for line in text.splitlines():
                found = re.search(r"《[^》]*》\s*(\S[^\u3000\n]*)$", line)
                if found and d.procedure and d.procedure in line:
                    d.clause = found.group(1).strip()
                for part in re.split(r"[\u3000\t]+|\s{2,}", line):
                    self._footer_part(part.strip())

    def _footer_part(self, part: str) -> None:
        d = self.draft
        found = re.match(r"(?:保存期限|Retention)\s*[：:]\s*(.+)$", part)
        if found:
            value = found.group(1).strip()
            years = re.match(r"(\d+)\s*(?:年|years?)$", value)
            months = re.match(r"(\d+)\s*(?:个月|months?)$", value)
            if years:
                d.retention = f"{years.group(1)} years"
            elif months:
                d.retention = f"{months.group(1)} months"
            elif value in ("永久", "Permanent", "permanent"):
                d.retention = "permanent"
        found = re.match(r"(?:份数|Copies)\s*[：:]\s*(?:一式([一二两三四五六七八九十]|\d+)份|(\d+)\s*cop(?:y|ies))$",
                         part)
        if found:
            word = found.group(1) or found.group(2)
            d.copies = int(word) if word.isdigit() else _CN_DIGITS[word]

    def _title(self) -> int | None:
        """The form's title; the number of the body paragraph it was read from, if any."""
        d = self.draft
        if self.word.core_title:
            d.title = self.word.core_title.strip()
        elif self.word.header_cells:  # the longest text of a header table: not a label, a number, the organisation
            known = {d.form_id or "", self.site.organisation, *_FORM_NO}
            picks = [t.strip() for row in self.word.header_cells for t in row
                     if t.strip() and g.core(t) not in known and t.strip() not in known and not re.search(r"\d", t)
                     and not re.search(r"[：:]", t)]
            if picks:
                d.title = max(picks, key=len)
                self._guess("header", d.title, "title", "the longest text of the header table")
        number = 0
        for block in self.word.body:
            if isinstance(block, Table):
                break
            number += 1
            text = block.text.strip(" \t\n\r\u00a0\u3000")
            if not text:
                continue
            if d.title is not None:
                return number if text == d.title else None
            if len(text) <= 40 and "：" not in text and ":" not in text and not self._instructions(text, peek=True):
                d.title = text
                self._guess(f"paragraph {number}", text, "title", "the first line above the form")
                return number
            return None
        return None

    def _instructions(self, text: str, *, peek: bool = False) -> bool:
        for word in _INSTRUCTIONS:
            found = re.match(rf"{word}\s*[：:]\s*(.*)$", text, re.DOTALL)
            if found:
                if not peek:
                    rest = found.group(1).strip()
                    for legend in _LEGENDS:
                        rest = rest.removesuffix(legend).strip()
                    self.draft.instructions = rest or None
                return True
        return False

    # -- tables ------------------------------------------------------------------------------

    def _table(self, table: Table) -> None:
        rows = table.rows
        r = 0
        while r < len(rows):
            row = rows[r]
            place = f"table {table.number} row {r + 1}"
            cells = [c for c in row.cells if not c.nested or c.text.strip()]
            blank_rows = self._blank_rows(rows, r)
            if blank_rows:
                self._repeating(table, r, blank_rows)
                r += 1 + blank_rows
                continue
            texts = {c.text.strip() for c in cells if not g.is_blank(c.text)}
            if cells and len(texts) == 1 and all(self._label(c) for c in cells):
                self._single(cells[0], row, place)
            else:
                self._pairs(cells, row, place, table)
            r += 1

    def _label(self, cell: Cell) -> bool:
        """A cell that only labels: text, no entry controls, no tick boxes, not a 年 月 日 line."""
        return (not g.is_blank(cell.text) and not cell.controls and g.boxes(cell.text) is None
                and not g.is_date_line(cell.text))

    def _entry(self, cell: Cell) -> bool:
        return not self._label(cell)

    def _blank_rows(self, rows: list[Row], r: int) -> int:
        """How many blank rows follow row `r` when it heads a repeating table (0: it does not)."""
        head = rows[r].cells
        if len(head) < 2 or not all(self._label(c) for c in head):
            return 0
        n = 0
        for row in rows[r + 1:]:
            if len(row.cells) != len(head):
                break
            first = row.cells[0]
            row_no = not first.controls and first.text.strip().isdigit()
            rest = row.cells[1:] if row_no else row.cells
            if not all(self._entry(c) for c in rest):
                break
            n += 1
        tagged = any(_TABLE_TAG.match(c.tag) for row in rows[r + 1:r + 2] for cell in row.cells
                     for c in cell.controls)
        return n if n >= 2 or (n == 1 and tagged) else 0

    def _single(self, cell: Cell, row: Row, place: str) -> None:
        """A row of one text: a section heading, or a label with room to write under it (原因：…)."""
        text = cell.text.strip()
        inline = _INLINE_FIELD.match(text)
        if inline and (g.is_blank(inline.group(2)) or g.is_date_line(inline.group(2))):
            label, required = g.clean_label(inline.group(1))
            tall = cell.text.count("\n") >= 1 or (row.height or 0) >= MULTILINE_TWIPS
            section = self._current(place)
            guess = g.type_from_label(label)
            ftype = guess.type if guess else ("multiline" if tall else "text")
            why = guess.why if guess else ("room to write below the label" if tall else "the blank after the label")
            fld = self._make(label, required, ftype, place, why, planned=bool(guess and guess.planned))
            if ftype not in ("multiline", "signature", "choice", "multichoice"):
                fld.width = "full"
            section.fields.append(fld)
            return
        self._new_section(text)

    def _pairs(self, cells: list[Cell], row: Row, place: str, table: Table) -> None:
        widest = max((sum(c.span for c in r.cells) for r in table.rows), default=0)
        width = sum(c.span for c in cells)
        k = 0
        while k < len(cells):
            cell = cells[k]
            nxt = cells[k + 1] if k + 1 < len(cells) else None
            if self._label(cell) and nxt is not None and self._entry(nxt):
                self._current(place)
                label, required = g.clean_label(cell.text)
                alone = len(cells) == 2 and (nxt.span > 1 or width < widest or widest <= 2)
                fld = self._field(label, required, nxt, row, place, column=False)
                k += 2
                k += self._signature_date(fld, cells, k, place)
                if alone and fld.type in ("text", "person", "number", "money", "date", "datetime", "checkbox"):
                    fld.width = "full"
                self._current(place).fields.append(fld)
            elif self._label(cell) and re.search(r"[：:]\s*$", cell.text) and (nxt is None or self._label(nxt)):
                label, required = g.clean_label(cell.text)
                guess = g.type_from_label(label)
                ftype = guess.type if guess else "text"
                fld = self._make(label, required, ftype, place, guess.why if guess else "a label ending in a colon",
                                 planned=bool(guess and guess.planned))
                k += 1
                k += self._signature_date(fld, cells, k, place)
                self._current(place).fields.append(fld)
            else:
                if not g.is_blank(cell.text):
                    what = "a label with no blank after it" if self._label(cell) else "a blank with no label before it"
                    self.draft.skipped.append(f'{self.source}: {place}: "{_short(cell.text.strip())}": {what}, '
                                              "not imported")
                k += 1

    def _signature_date(self, fld: DraftField, cells: list[Cell], k: int, place: str) -> int:
        """How many cells after a field are its signature date (日期 and its blank): 2 or 0. A name
        with a date next to it (审核人 … 日期 …) becomes a signature when the file has no controls
        saying otherwise."""
        if k >= len(cells) or not self._label(cells[k]):
            return 0
        date_label = g.core(g.clean_label(cells[k].text)[0]).casefold()
        if k + 1 >= len(cells) or not self._entry(cells[k + 1]):  # 签字：… 日期：… in cells of their own
            inline = fld.type == "signature" and date_label in g.DATE_LABELS and bool(re.search(r"[：:]\s*$",
                                                                                                cells[k].text))
            return 1 if inline else 0
        tags = [c.tag for c in cells[k + 1].controls if c.tag]
        if fld.type == "signature":
            if (tags and tags[0] == f"{fld.id}.date") or (not tags and date_label in g.DATE_LABELS):
                return 2
            return 0
        if tags or date_label not in g.DATE_LABELS or fld.type not in ("person", "text"):
            return 0
        if not (fld.label in self.site.roles or g.core(fld.label).endswith(("人", "负责人", "领导"))):
            return 0
        self._to_signature(fld, place, "a name with a date beside it")
        return 2

    def _to_signature(self, fld: DraftField, place: str, why: str) -> None:
        said = f'{self.source}: {place}: "{fld.label}"'
        self.draft.guesses = [x for x in self.draft.guesses if not x.startswith(said)]
        fld.type, fld.width = "signature", None
        fld.role, role_why = g.role_for(fld.label, self.site.roles)
        fld.meaning = g.meaning_for(fld.label)
        self._guess(place, fld.label, f"signature, role {fld.role}", f"{why}; role: {role_why}")

    def _make(self, label: str, required: bool, ftype: str, place: str, why: str | None, *,
              tag: str | None = None, planned: bool = False, ids: g.Ids | None = None) -> DraftField:
        """A field of `ftype`; `why` (None: the file said so) is listed for review, as is a made-up id."""
        scope = ids or self.ids
        fid, made = scope.take(tag, label)
        fld = DraftField(fid, label, ftype, required, planned=planned and ftype in ("date", "datetime"))
        if ftype == "signature":
            fld.role, role_why = g.role_for(label, self.site.roles)
            fld.meaning = g.meaning_for(label)
            self._guess(place, label, f"signature, role {fld.role}", f"{why or 'signature name and date'}; "
                                                                         f"role: {role_why}")
        elif why is not None:
            self._guess(place, label, ftype + (" (planned)" if fld.planned else ""), why)
        if made:
            self.made_ids.append(f"{fid} ({label})")
        return fld

    def _field(self, label: str, required: bool, cell: Cell, row: Row, place: str, *, column: bool,
               ids: g.Ids | None = None, tag_of: str | None = None) -> DraftField:
        """The field that `cell` is the blank of, labelled `label`."""
        controls = cell.controls
        options = g.boxes(cell.text)
        guess = g.type_from_label(label)
        planned = bool(guess and guess.planned)
        tags = [c.tag for c in controls if c.tag]
        if column:
            tags = [m.group(3) for t in tags if (m := _TABLE_TAG.match(t))]
        if options is not None or any(c.kind == "checkbox" for c in controls):
            return self._choice(label, required, options or [], tags, place, ids)
        if controls:
            control = controls[0]
            tag = tags[0] if tags else None
            if tag and tag.endswith(".name") and not column:
                return self._make(label, required, "signature", place, None, tag=tag[:-5], ids=ids)
            if control.kind == "date":
                return self._make(label, required, "date", place, guess.why if planned and guess else None,
                                  tag=tag, planned=planned, ids=ids)
            if control.multiline:
                return self._make(label, required, "multiline", place, None, tag=tag, ids=ids)
            if not column and (row.height or 0) >= MULTILINE_TWIPS and not guess:
                return self._make(label, required, "multiline", place, "the blank is several lines high",
                                  tag=tag, ids=ids)
            unit = cell.text.strip(" \t\n\r\u00a0\u3000")
            if unit:
                fld = self._make(label, required, g.unit_type(label, unit).type, place,
                                 g.unit_type(label, unit).why, tag=tag, ids=ids)
                fld.unit = unit
                return fld
            if column and guess and guess.type == "signature":
                return self._make(label, required, "person", place, f"{guess.why}; a table column holds the name",
                                  tag=tag, ids=ids)
            if guess and guess.type in ("person", "number", "money", "datetime"):
                return self._make(label, required, guess.type, place, guess.why, tag=tag, planned=planned, ids=ids)
            return self._make(label, required, "text", place, None, tag=tag, ids=ids)
        if g.is_date_line(cell.text):
            return self._make(label, required, "date", place, "the blank is written 年 月 日", planned=planned, ids=ids)
        if guess and not (column and guess.type == "signature"):
            return self._make(label, required, guess.type, place, guess.why, planned=planned, ids=ids)
        if column and guess:  # a signature column: a table holds names and dates, not signatures
            return self._make(label, required, "person", place, f"{guess.why}; a table column holds the name",
                              ids=ids)
        tall = cell.text.count("\n") >= 1 or (row.height or 0) >= MULTILINE_TWIPS
        if tall and not column:
            return self._make(label, required, "multiline", place, "the blank is several lines high", ids=ids)
        return self._make(label, required, "text", place, None, ids=ids)

    def _choice(self, label: str, required: bool, shown: list[str], tags: list[str], place: str,
                ids: g.Ids | None) -> DraftField:
        """Tick boxes: a yes/no entry (□是 □否, or one □是), else a choice of the boxes' labels."""
        prefixes = {t.rsplit(".", 1)[0] for t in tags if "." in t}
        tag = prefixes.pop() if len(prefixes) == 1 else None
        values = [t.rsplit(".", 1)[1] for t in tags if "." in t] if tag else []
        if g.yes_no(shown) or values in (["yes", "no"], ["yes"]):
            fld = self._make(label, required, "checkbox", place, None if tag else "tick boxes 是/否", tag=tag, ids=ids)
            fld.single_box = len(shown) == 1
            return fld
        guess = g.choice_kind(label)
        fld = self._make(label, required, guess.type, place, guess.why, tag=tag, ids=ids)
        scope = g.Ids("option")
        for k, option in enumerate(shown):
            wanted = values[k] if len(values) == len(shown) else None
            value, made = scope.take(wanted, option)
            fld.options.append((value, option))
            if made:
                self._guess(place, option, f"option value {value}", f"an option of {label}; made up")
        if not shown:
            self.draft.skipped.append(f'{self.source}: {place}: "{label}": tick boxes without labels; '
                                      "add its options")
        return fld

    def _repeating(self, table: Table, r: int, blank_rows: int) -> None:
        """A header row and `blank_rows` empty rows: a repeating table field."""
        rows = table.rows
        place = f"table {table.number} row {r + 1}"
        heads = [g.clean_label(c.text) for c in rows[r].cells]
        body = rows[r + 1:r + 1 + blank_rows]
        first = body[0]
        start = 0
        if g.core(heads[0][0]).casefold() in _ROW_NO and all(
                not row.cells[0].controls and (row.cells[0].text.strip().isdigit() or g.is_blank(row.cells[0].text))
                for row in body):
            start = 1
        tags = [m for cell in first.cells for c in cell.controls if (m := _TABLE_TAG.match(c.tag))]
        tag = tags[0].group(1) if tags else None
        section = self._current(place)
        if self.caption is not None:
            label, required = self.caption
            why = None
        elif not section.fields:
            label, required = section.title, False
            why = "the table is the whole section: it is named after it"
        else:
            label, required = (f"表{table.number}" if self.site.language == "zh-CN" else f"Table {table.number}"), False
            why = "the table has no caption: name it"
        self.caption = None
        fld = self._make(label, required, "table", place, why, tag=tag)
        fld.rows = min(blank_rows, MAX_TABLE_ROWS)
        fld.min_rows = 1 if required else None
        columns = g.Ids("column")
        for k in range(start, len(heads)):
            col_label, col_required = heads[k]
            cell = first.cells[k]
            col = self._field(col_label, col_required, cell, first, f"{place} column {k + 1}", column=True,
                              ids=columns)
            fld.columns.append(col)
        section.fields.append(fld)

    # -- what dates a record -----------------------------------------------------------------

    def _dating(self) -> None:
        """dated_by: when the first done date is optional and a required date or signature could
        date every record instead (lint asks for it then; see docs/form-format.md)."""
        fields = self.draft.fields()
        done = [f for f in fields if f.type in ("date", "datetime") and not f.planned]
        if not done or done[0].required:
            return
        always = next((f for f in fields if f.required and (f in done or f.type == "signature")), None)
        if always is not None:
            self.draft.dated_by = always.id
            self.draft.guesses.append(f'{self.source}: dated_by: {always.id} ("{always.label}": the first required '
                                      f'date or signature; the first date, "{done[0].label}", is optional)')


def _token(texts: list[str], pattern: str) -> str | None:
    """The first word of `texts` that follows the code pattern `pattern`."""
    for text in texts:
        for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9/._-]*", text):
            if follows(pattern, word):
                return word
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"
