"""How a blank form fits the paper: orientation, column widths and row heights, worked out
before anything is written.

A paper form is judged by how it prints. The plan keeps the definition's order and decides,
in twips (1/20 pt):

- the orientation: portrait, unless a repeating table's columns need more than its width
  (each column has a minimum by what is written in it: a date, a name, a tick box, free text);
- the width of the label column, from the longest label, so a label and its required mark
  never wrap character by character;
- column widths of repeating tables: every column its minimum, the rest shared by the columns
  people write most in (free text, multi-line text);
- row heights: a form without repeating tables is kept on one page by giving multi-line
  entries less room (never below a usable minimum); a repeating table that ends the form gets
  as many blank rows as fill its last page, since blank rows are what people write in by hand.

The heights are estimates of what Word and LibreOffice lay out (a row of one line of 10.5 pt
text in a cell with its margins); the PDF tests hold them to the truth.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qmsdoc.generator.typography import CHAR_TWIPS, text_width
from qmsdoc.model.documents import Field, FieldType, Form, Section

TWIPS_PER_MM = 1440 / 25.4
PAPER_MM = {"A4": (210, 297), "A5": (148, 210), "Letter": (215.9, 279.4)}

HEADER_BOTTOM_TWIPS = 2100
"""Where the body starts: below the page header (organisation, title, number, revision, date,
page X of Y), measured from the top of the page."""
LINE_TWIPS = 302
"""One line of 10.5 pt text in a table cell."""
INSTRUCTION_LINE_TWIPS = 260
BORDER_TWIPS = 15
MULTILINE_TWIPS = 1100
MULTILINE_MIN_TWIPS = 560
SECTION_TITLE_TWIPS = 360
CAPTION_TWIPS = 400
SAFETY = 0.98
"""The share of the page the estimate may fill: what the estimate cannot see (font metrics)."""

CELL_PADDING_TWIPS = 200
ROW_NO_TWIPS = 720
MIN_WIDTH = {FieldType.DATE: 1300, FieldType.DATETIME: 2000, FieldType.NUMBER: 1000, FieldType.MONEY: 1100,
             FieldType.CHECKBOX: 1300, FieldType.PERSON: 1100, FieldType.SIGNATURE: 1300,
             FieldType.TEXT: 1300, FieldType.MULTILINE: 2000}
SHARE = {FieldType.TEXT: 2.0, FieldType.MULTILINE: 4.0}
"""How the room left over is shared among the columns people write most in."""
MAX_FILL_ROWS = 40
FILL_MARGIN_ROWS = 1
"""Blank rows held back from filling the page: an estimate a row too generous would start a page."""


def choice_width(options: Sequence[str]) -> int:
    """One tick box and label per option, side by side."""
    return sum(text_width("☐ " + o) for o in options) + CHAR_TWIPS * max(0, len(options) - 1) + CELL_PADDING_TWIPS


def column_min(f: Field, *, tight: bool = False) -> int:
    """The narrowest a column of a repeating table can be for what is written in it; `tight`: for a
    table too wide for the page, its tick boxes one to a line."""
    if f.type == FieldType.CHOICE or f.type == FieldType.MULTICHOICE:  # the options wrap two to a line at most
        widest = max((text_width("☐ " + o.label) for o in f.options), default=CHAR_TWIPS)
        per_line = 1 if tight else 2
        content = min(choice_width([o.label for o in f.options]),
                      per_line * widest + (per_line - 1) * CHAR_TWIPS + CELL_PADDING_TWIPS)
    else:
        content = MIN_WIDTH.get(f.type, 1300)
    head = min(text_width(f.label), 4 * CHAR_TWIPS) + CELL_PADDING_TWIPS  # a head wraps, but not a character a line
    return max(content, head)


@dataclass(frozen=True)
class Rows:
    """The least height of an entry row and of a signature row (name and date)."""

    entry: int = 400
    signature: int = 460


COMPACT = Rows(340, 400)
"""Still room to write by hand (6 mm), for a form that then fits on one page."""


@dataclass(frozen=True)
class TablePlan:
    """A repeating table: widths of the row-number column and each column, and blank rows."""

    widths: tuple[int, ...]
    rows: int


@dataclass(frozen=True)
class FormPlan:
    """Orientation, the label column, the multi-line entry height and each repeating table."""

    landscape: bool
    content_width: int
    label_width: int
    multiline_twips: int
    tables: dict[str, TablePlan]
    too_wide: tuple[str, ...] = ()
    """Tables whose columns do not fit even in landscape: their columns are narrowed alike."""
    rows: Rows = Rows()
    one_page: bool = True
    """Whether the form is meant to fit on one page (its definition is not longer than a page holds)."""


def blocks(section: Section) -> Iterator[list[Field] | Field]:
    """A section's fields in definition order: runs of ordinary fields, and each table alone."""
    run: list[Field] = []
    for f in section.fields:
        if f.type == FieldType.TABLE:
            if run:
                yield run
                run = []
            yield f
        else:
            run.append(f)
    if run:
        yield run


def grid_rows(fields: Sequence[Field]) -> list[list[Field]]:
    """Pair consecutive half-width fields; everything else takes a row of its own."""
    rows: list[list[Field]] = []
    pending: Field | None = None
    for f in fields:
        half = f.width == "half" and f.type not in (FieldType.SIGNATURE, FieldType.MULTILINE, FieldType.MULTICHOICE,
                                                    FieldType.CHOICE)
        if half and pending is not None:
            rows.append([pending, f])
            pending = None
        elif half:
            pending = f
        else:
            if pending is not None:
                rows.append([pending])
                pending = None
            rows.append([f])
    if pending is not None:
        rows.append([pending])
    return rows


def plan_form(form: Form, paper: str, margins_mm: tuple[float, float, float, float],
              instructions: str) -> FormPlan:
    """The layout of `form` on `paper` with margins (top, bottom, left, right) in mm, under its
    instructions as printed."""
    width_mm, height_mm = PAPER_MM.get(paper, PAPER_MM["A4"])
    top, bottom, left, right = margins_mm
    tables = [f for s in form.sections for f in s.fields if f.type == FieldType.TABLE]
    portrait = round((width_mm - left - right) * TWIPS_PER_MM)
    landscape_width = round((height_mm - left - right) * TWIPS_PER_MM)
    needed = max((ROW_NO_TWIPS + sum(column_min(c) for c in t.columns) for t in tables), default=0)
    landscape = form.orientation == "landscape" or (form.orientation == "auto" and needed > portrait)
    content = landscape_width if landscape else portrait
    page_height = round((width_mm if landscape else height_mm) * TWIPS_PER_MM)
    body_top = max(round(top * TWIPS_PER_MM), HEADER_BOTTOM_TWIPS)
    usable = round((page_height - body_top - bottom * TWIPS_PER_MM) * SAFETY)

    labels = [f.label + (" *" if f.required else "") for s in form.sections for f in s.fields
              if f.type != FieldType.TABLE]
    longest = max((text_width(t) for t in labels), default=4 * CHAR_TWIPS) + CELL_PADDING_TWIPS
    label_width = max(round(content * 0.14), min(longest, round(content * 0.24)))
    table_plans = {t.id: _table_plan(t, content) for t in tables}
    too_wide = tuple(t.id for t in tables if ROW_NO_TWIPS + sum(column_min(c, tight=True) for c in t.columns) > content)

    fixed_top = math.ceil(text_width(instructions) * 0.86 / (content - 100)) * INSTRUCTION_LINE_TWIPS + 80
    one_page = False
    for rows in (Rows(), COMPACT):  # the usual heights; tighter ones only when that keeps the form on one page
        measure = _Measure(content, label_width, rows)
        fixed, multiline_count = _estimate(form, measure, table_plans)
        fixed += fixed_top
        room = usable - fixed - multiline_count * BORDER_TWIPS
        if room >= multiline_count * MULTILINE_MIN_TWIPS:
            one_page = True
            break
    else:
        if not tables:  # a form of single entries is squeezed as far as it goes: one sheet is what staff expect
            one_page = True
    if not one_page:  # longer than a page can hold: every entry keeps its full room to write in
        rows = Rows()
        measure = _Measure(content, label_width, rows)
        fixed, multiline_count = _estimate(form, measure, table_plans)
        fixed += fixed_top
        room = usable - fixed - multiline_count * BORDER_TWIPS
    multiline = MULTILINE_TWIPS
    if one_page and multiline_count and multiline_count * MULTILINE_TWIPS > room:
        multiline = max(MULTILINE_MIN_TWIPS, room // multiline_count)  # what fits at full height is left alone
    total = fixed + multiline_count * (multiline + BORDER_TWIPS)
    last = form.sections[-1].fields[-1] if form.sections and form.sections[-1].fields else None
    if last is not None and last.type == FieldType.TABLE:
        plan = table_plans[last.id]
        extra = _spare_rows(total, usable, last, plan, measure)
        cap = (last.max_rows or MAX_FILL_ROWS) - last.rows
        table_plans[last.id] = TablePlan(plan.widths, last.rows + max(0, min(extra, cap)))
    return FormPlan(landscape, content, label_width, multiline, table_plans, too_wide, rows, one_page)


def _spare_rows(total: int, usable: int, table: Field, plan: TablePlan, measure: _Measure) -> int:
    """How many blank rows the table that ends the form can add before its last page is full. Its
    rows are laid page by page as Word does: a row never splits, and every page repeats the head."""
    head, row = measure.table_head(table, plan), measure.table_row(table, plan)
    before = total - head - table.rows * row  # everything above the table's head
    used = before % usable if before > usable else before
    used += head
    if used > usable:  # the head itself starts a page
        used = head
    for _ in range(table.rows):
        if used + row > usable:
            used = head
        used += row
    return max(0, (usable - used) // row - FILL_MARGIN_ROWS)


def _estimate(form: Form, measure: _Measure, table_plans: dict[str, TablePlan]) -> tuple[int, int]:
    """The height of everything but multi-line entries, and how many multi-line rows there are."""
    fixed = multiline_count = 0
    for s in form.sections:
        fixed += SECTION_TITLE_TWIPS if s.title else 0
        for k, block in enumerate(blocks(s)):
            if isinstance(block, Field):
                captioned = not (k == 0 and block.label == s.title)
                fixed += (CAPTION_TWIPS if captioned else 0) + measure.table_head(block, table_plans[block.id])
                fixed += block.rows * measure.table_row(block, table_plans[block.id])
                continue
            for row in grid_rows(block):
                if any(f.type == FieldType.MULTILINE for f in row):
                    multiline_count += 1
                    fixed += max(0, measure.row(row) - MULTILINE_TWIPS)  # a label taller than the entry
                else:
                    fixed += measure.row(row)
    return fixed, multiline_count


class _Measure:
    """The height a row of the form takes, from how many lines its texts wrap to."""

    def __init__(self, content: int, label_width: int, heights: Rows):
        self.content, self.label, self.heights = content, label_width, heights

    @staticmethod
    def lines(text: str, width: int) -> int:
        return max(1, math.ceil(text_width(text) / max(width - CELL_PADDING_TWIPS, CHAR_TWIPS)))

    def row(self, row: Sequence[Field]) -> int:
        if row[0].type == FieldType.SIGNATURE:
            floor = self.heights.signature
        elif row[0].type == FieldType.MULTILINE:
            floor = MULTILINE_TWIPS
        else:
            floor = self.heights.entry
        entry = (self.content // 2 - self.label) if len(row) == 2 else self.content - self.label
        lines = max(max(self.lines(f.label + (" *" if f.required else ""), self.label),
                        self.lines(_entry_text(f), entry)) for f in row)
        return max(floor, lines * LINE_TWIPS + 130) + BORDER_TWIPS

    def table_row(self, table: Field, plan: TablePlan) -> int:
        """A blank row: as high as its tallest cell of tick boxes, at least an entry row."""
        lines = max((self.boxes(c, w) for c, w in zip(table.columns, plan.widths[1:], strict=True)), default=1)
        return max(self.heights.entry, lines * LINE_TWIPS + 130) + BORDER_TWIPS

    @staticmethod
    def boxes(f: Field, width: int) -> int:
        """The lines a cell of tick boxes takes: whole options side by side, as many as the width holds."""
        labels = [o.label for o in f.options] if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE) else (
            ["是", "否"] if f.type == FieldType.CHECKBOX and not f.single_box else [])
        if not labels:
            return 1
        room = max(width - CELL_PADDING_TWIPS, CHAR_TWIPS)
        lines, used = 1, 0
        for label in labels:
            w = text_width("☐ " + label) + CHAR_TWIPS
            if used and used + w > room:
                lines, used = lines + 1, 0
            used += w
        return lines

    def table_head(self, table: Field, plan: TablePlan) -> int:
        lines = max((self.lines(c.label + (" *" if c.required else ""), w)
                     for c, w in zip(table.columns, plan.widths[1:], strict=True)), default=1)
        return lines * LINE_TWIPS + 130 + BORDER_TWIPS


def _entry_text(f: Field) -> str:
    """What an entry cell prints before anyone writes in it: its tick boxes, or nothing."""
    if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
        return "　".join("☐ " + o.label for o in f.options)
    if f.type == FieldType.CHECKBOX:
        return "☐ 是　☐ 否"
    return ""


def _table_plan(table: Field, content: int) -> TablePlan:
    mins = [column_min(c) for c in table.columns]
    for k in sorted(range(len(mins)), key=lambda k: -mins[k]):  # the widest choices one box to a line, until it fits
        if ROW_NO_TWIPS + sum(mins) <= content:
            break
        mins[k] = column_min(table.columns[k], tight=True)
    room = content - ROW_NO_TWIPS - sum(mins)
    if room < 0:  # narrowed alike; the plan names the table
        scale = (content - ROW_NO_TWIPS) / sum(mins)
        widths = [math.floor(m * scale) for m in mins]
    else:
        shares = [SHARE.get(c.type, 0.5) for c in table.columns]
        total = sum(shares)
        widths = [m + math.floor(room * s / total) for m, s in zip(mins, shares, strict=True)]
    widths[-1] += content - ROW_NO_TWIPS - sum(widths)
    return TablePlan((ROW_NO_TWIPS, *widths), table.rows)
