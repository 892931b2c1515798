"""Compare two revisions of a document: aligned paragraphs, character-level edits, a clause summary.

Both revisions are flattened into *units* — one per paragraph as the generated document
shows it (heading, numbered clause, bullet, plain paragraph) or one per table. Units are
aligned with difflib; within a replaced stretch each old unit is paired with the most
similar new one (a table only with a table of as many columns), and the rest are whole
paragraphs deleted or inserted. A paired unit is diffed by character (Chinese has no
spaces to diff by words); tiny unchanged islands between two edits are folded into the
edit, so 修改 reads as one replacement rather than a scatter of single characters. The
rows of two paired tables are aligned the same way and paired rows diffed cell by cell.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from qmsdoc.model.body import (
    Block,
    Heading,
    Inline,
    ListBlock,
    Numbering,
    Paragraph,
    Ref,
    Table,
    Text,
)
from qmsdoc.model.documents import Field, FieldType, Form, Procedure
from qmsdoc.model.labels import Labels

EQUAL, CHANGED, INSERTED, DELETED = "equal", "changed", "inserted", "deleted"
PAIR_RATIO = 0.4
"""Two paragraphs at least this similar are one paragraph edited, not one removed and one added."""
ISLAND_CHARS = 1
"""Unchanged runs this short between two edits are folded into them."""

Style = tuple[bool, bool, bool]
"""(bold, italic, reference code) of one character."""
PLAIN: Style = (False, False, False)
Row = tuple[tuple[Inline, ...], ...]
"""The cells of one table row."""
T = TypeVar("T")


@dataclass(frozen=True)
class Unit:
    """One paragraph (or table) of a revision as the generated document shows it."""

    kind: str  # "heading" | "item" | "bullet" | "para" | "table" | "title"
    text: str
    styles: tuple[Style, ...]
    clause: str | None = None
    """The clause this unit is (its label), if numbered."""
    context: str | None = None
    """The clause this unit belongs to: its own, or the enclosing one."""
    shown: str | None = None
    """How its number reads (第三条, （二）), for a deleted unit that loses its numbering."""
    numbering: Numbering | None = None
    level: int = 0
    depth: int = 0
    table: Table | None = None
    style_name: str = "Body Text"

    def same_as(self, other: Unit) -> bool:
        return (self.kind, self.text, self.styles) == (other.kind, other.text, other.styles) and (
            self.table == other.table)


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph: unchanged, inserted or deleted text in one style."""

    op: str  # EQUAL | INSERTED | DELETED
    text: str
    style: Style = PLAIN


@dataclass(frozen=True)
class Change:
    """One aligned unit: unchanged, edited (with segments), inserted or deleted."""

    op: str  # EQUAL | CHANGED | INSERTED | DELETED
    old: Unit | None
    new: Unit | None
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class RowChange:
    """One row of a table in the redline: kept (its cells' edits in the segments), inserted or deleted."""

    op: str  # EQUAL | INSERTED | DELETED
    cells: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True)
class Summary:
    """Clauses added, removed and changed, by clause label."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


# -- flattening -------------------------------------------------------------------------------

def inline_chars(inlines: tuple[Inline, ...], titles: Mapping[str, str]) -> tuple[str, tuple[Style, ...]]:
    text: list[str] = []
    styles: list[Style] = []
    for inline in inlines:
        if isinstance(inline, Text):
            text.append(inline.text)
            styles.extend([(inline.bold, inline.italic, False)] * len(inline.text))
        elif isinstance(inline, Ref):
            shown = inline.shown if inline.shown else f"《{titles.get(inline.target, inline.target)}》"
            code = f"（{inline.target}）"
            text.extend([shown, code])
            styles.extend([PLAIN] * len(shown) + [(False, False, True)] * len(code))
    return "".join(text), tuple(styles)


def procedure_units(proc: Procedure, titles: Mapping[str, str]) -> list[Unit]:
    """The body of a procedure as units, in reading order."""
    out: list[Unit] = []
    _flatten(proc.body, titles, out, context=None)
    return out


def _flatten(blocks: tuple[Block, ...], titles: Mapping[str, str], out: list[Unit], context: str | None) -> str | None:
    for block in blocks:
        if isinstance(block, Heading):
            text, styles = inline_chars(block.inlines, titles)
            label = block.clause.label if block.clause else None
            context = label or context
            out.append(Unit("heading", text, styles, label, context, block.clause.shown if block.clause else None,
                            block.numbering, level=block.level, style_name=f"Heading {min(block.level, 4)}"))
        elif isinstance(block, Paragraph):
            text, styles = inline_chars(block.inlines, titles)
            out.append(Unit("para", text, styles, None, context, depth=block.depth))
        elif isinstance(block, ListBlock):
            for item in block.items:
                first, *rest = item.blocks or (Paragraph(()),)
                label = item.clause.label if item.clause else None
                item_context = label or context
                if isinstance(first, Paragraph):
                    text, styles = inline_chars(first.inlines, titles)
                    if block.ordered:
                        out.append(Unit("item", text, styles, label, item_context,
                                        item.clause.shown if item.clause else None, item.numbering, depth=item.depth))
                    else:
                        out.append(Unit("bullet", text, styles, None, item_context, depth=item.depth))
                else:
                    rest = [first, *rest]
                _flatten(tuple(rest), titles, out, item_context)
        elif isinstance(block, Table):
            cells = [c for row in (block.header, *block.rows) for c in row]
            text = "\t".join(inline_chars(c, titles)[0] for c in cells)
            out.append(Unit("table", text, tuple([PLAIN] * len(text)), None, context, table=block))
    return context


def form_units(form: Form, labels: Labels) -> list[Unit]:
    """A form definition as units: instructions, section titles, one paragraph per field."""
    out: list[Unit] = []

    def para(kind: str, text: str, clause: str | None, context: str | None, style_name: str = "Body Text",
             depth: int = 0) -> None:
        out.append(Unit(kind, text, tuple([PLAIN] * len(text)), clause, context, depth=depth, style_name=style_name))

    if form.instructions:
        para("para", f"{labels['redline_instructions']}：{form.instructions}", None, labels["redline_instructions"])
    for section in form.sections:
        para("heading", section.title, section.title, section.title, style_name="Heading 2")
        for f in section.fields:  # a field is cited by its label, as a clause is by its number
            para("bullet", _field_text(f, labels), f.label, f.label)
            for column in f.columns:
                para("bullet", _field_text(column, labels), None, f.label, depth=1)
    return out


def _field_text(f: Field, labels: Labels) -> str:
    parts = [labels[f"field_type_{f.type.value}"]]  # never the format's English names in the document
    if f.required:
        parts.append(labels["redline_required"])
    if f.role:
        parts.append(f.role)
    if f.unit:
        parts.append(f.unit)
    text = f"{f.label}（{'，'.join(parts)}）"
    if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE) and f.options:
        text += f"　{labels['redline_options']}：" + "、".join(o.label for o in f.options)
    return text


# -- alignment --------------------------------------------------------------------------------

def compare(old: list[Unit], new: list[Unit]) -> list[Change]:
    """Align two revisions' units; edited units carry their character-level segments."""
    out: list[Change] = []
    for a, b in align(old, new, lambda u: u.text, _pairable):
        if a is None:
            out.append(Change(INSERTED, None, b))
        elif b is None:
            out.append(Change(DELETED, a, None))
        else:
            out.append(_pair(a, b))
    return out


def _pairable(a: Unit, b: Unit) -> bool:
    """A paragraph pairs with a paragraph, a table with a table of as many columns."""
    if a.table is None or b.table is None:
        return a.table is None and b.table is None
    return same_columns(a.table, b.table)


def same_columns(a: Table, b: Table) -> bool:
    return len(a.header) == len(b.header)


def _pair(a: Unit, b: Unit) -> Change:
    if a.same_as(b):
        return Change(EQUAL, a, b)
    return Change(CHANGED, a, b, char_diff(a.text, a.styles, b.text, b.styles))


def align(old: Sequence[T], new: Sequence[T], text: Callable[[T], str],
          pairable: Callable[[T, T], bool]) -> Iterator[tuple[T | None, T | None]]:
    """(old, new) pairs in order: equal texts, then similar ones paired; the rest alone, deleted or inserted."""
    matcher = difflib.SequenceMatcher(None, [text(a) for a in old], [text(b) for b in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(old[i1:i2], new[j1:j2], strict=True)
        else:
            yield from _match_block(old[i1:i2], new[j1:j2], text, pairable)


def _match_block(old: Sequence[T], new: Sequence[T], text: Callable[[T], str],
                 pairable: Callable[[T, T], bool]) -> list[tuple[T | None, T | None]]:
    """Pair similar items in order; the others are deleted or inserted where they stand."""
    out: list[tuple[T | None, T | None]] = []
    j = 0
    for a in old:
        best, best_ratio = None, PAIR_RATIO
        for k in range(j, len(new)):
            if not pairable(a, new[k]):
                continue
            ratio = difflib.SequenceMatcher(None, text(a), text(new[k]), autojunk=False).ratio()
            if ratio >= best_ratio:
                best, best_ratio = k, ratio
        if best is None:
            out.append((a, None))
            continue
        out.extend((None, b) for b in new[j:best])
        out.append((a, new[best]))
        j = best + 1
    out.extend((None, b) for b in new[j:])
    return out


def table_rows(old: Table | None, new: Table | None, titles: Mapping[str, str]) -> list[RowChange]:
    """The rows of a table in the redline, from its old and new versions (of as many columns).

    The header rows pair up and the other rows are aligned by their text like paragraphs;
    a table on one side only has every row inserted or deleted.
    """
    def row_text(row: Row) -> str:
        return "\t".join(inline_chars(cell, titles)[0] for cell in row)

    pairs: list[tuple[Row | None, Row | None]]
    if old is not None and new is not None:
        pairs = [(old.header, new.header), *align(old.rows, new.rows, row_text, lambda a, b: True)]
    elif new is not None:
        pairs = [(None, row) for row in (new.header, *new.rows)]
    else:
        assert old is not None, "a table change has an old or a new table"
        pairs = [(row, None) for row in (old.header, *old.rows)]
    return [_row(a, b, titles) for a, b in pairs]


def _row(old: Row | None, new: Row | None, titles: Mapping[str, str]) -> RowChange:
    """A row diffed cell by cell; a row on one side only is diffed against empty cells."""
    op = INSERTED if old is None else DELETED if new is None else EQUAL
    empty: Row = ((),) * len(old or new or ())
    cells = (char_diff(*inline_chars(a, titles), *inline_chars(b, titles))
             for a, b in zip(old or empty, new or empty, strict=True))
    return RowChange(op, tuple(cells))


Op = tuple[str, int, int, int, int]
"""A difflib opcode: tag, old start, old end, new start, new end."""


def char_diff(old: str, old_styles: tuple[Style, ...], new: str, new_styles: tuple[Style, ...]) -> tuple[Segment, ...]:
    """Character-level segments turning `old` into `new`, with short unchanged islands folded in."""
    ops: list[Op] = [(t, a, b, c, d) for t, a, b, c, d in
                     difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()]
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in _fold_islands(ops):
        if tag == "equal":
            out.extend(_styled(EQUAL, new, new_styles, j1, j2))
        else:
            out.extend(_styled(DELETED, old, old_styles, i1, i2))
            out.extend(_styled(INSERTED, new, new_styles, j1, j2))
    return tuple(s for s in out if s.text)


def _edit_size(op: Op) -> int:
    return max(op[2] - op[1], op[4] - op[3])


def _fold_islands(ops: list[Op]) -> list[Op]:
    """Merge edits separated by an unchanged run of ≤ ISLAND_CHARS, or shorter than half of both edits."""
    merged: list[Op] = []
    for op in ops:
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            last = merged[-1]
            merged[-1] = ("replace", last[1], op[2], last[3], op[4])
        else:
            merged.append(op)
    changed = True
    while changed:
        changed = False
        for k in range(1, len(merged) - 1):
            prev, eq, nxt = merged[k - 1], merged[k], merged[k + 1]
            if eq[0] != "equal" or prev[0] == "equal" or nxt[0] == "equal":
                continue
            size = eq[2] - eq[1]
            if size <= ISLAND_CHARS or size * 2 <= min(_edit_size(prev), _edit_size(nxt)):
                merged[k - 1:k + 2] = [("replace", prev[1], nxt[2], prev[3], nxt[4])]
                changed = True
                break
    return merged


def _styled(op: str, text: str, styles: tuple[Style, ...], start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    k = start
    while k < end:
        style = styles[k] if k < len(styles) else PLAIN
        m = k
        while m < end and (styles[m] if m < len(styles) else PLAIN) == style:
            m += 1
        out.append(Segment(op, text[k:m], style))
        k = m
    return out


# -- summary ----------------------------------------------------------------------------------

def summarise(changes: list[Change], outside: str = "unnumbered text") -> Summary:
    """Clauses added, removed and changed; an edit to unnumbered text counts for its clause."""
    added: list[str] = []
    removed: list[str] = []
    changed: list[str] = []
    for c in changes:
        if c.op == EQUAL:
            continue
        if c.op == INSERTED and c.new and c.new.clause:
            added.append(c.new.clause)
        elif c.op == DELETED and c.old and c.old.clause:
            removed.append(c.old.clause)
        else:
            unit = c.new or c.old
            assert unit is not None
            label = unit.context or outside
            if c.op == CHANGED and c.old and c.new and c.old.clause and c.new.clause and c.old.clause != c.new.clause:
                label = f"{c.new.clause} (was {c.old.clause})"
            changed.append(label)
    added_set, removed_set = set(added), set(removed)
    changed = [c for c in dict.fromkeys(changed) if c not in added_set and c not in removed_set]
    return Summary(tuple(dict.fromkeys(added)), tuple(dict.fromkeys(removed)), tuple(changed))
