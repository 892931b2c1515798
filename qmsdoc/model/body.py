"""A procedure body as blocks: headings, paragraphs, lists, tables, with clause numbers resolved."""

from __future__ import annotations

from dataclasses import dataclass

from qmsdoc.errors import Location


@dataclass(frozen=True)
class Text:
    """A run of text; bold and italic as written with ** and *."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Ref:
    """A reference to a procedure or form: shown text (None → 《title》) plus the target's code."""

    target: str
    shown: str | None
    loc: Location


Inline = Text | Ref


@dataclass(frozen=True)
class Clause:
    """A numbered place in a procedure: how it is shown (第二条) and how it is cited (第二条（三）)."""

    label: str
    shown: str
    loc: Location


@dataclass(frozen=True)
class Numbering:
    """Word numbering of one heading or list item.

    `key` names the numbering instance (one for the heading outline, one per ordered list);
    `level` is the Word level (0-based); `formats` the format name of each level of that
    instance, and `start` the first number of the instance's top level.
    """

    key: str
    level: int
    formats: tuple[str, ...]
    start: int = 1


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    depth: int = 0  # list nesting of the paragraph (for indentation)


@dataclass(frozen=True)
class Heading:
    level: int
    inlines: tuple[Inline, ...]
    clause: Clause | None
    numbering: Numbering | None


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its first paragraph carries the number; more blocks may follow."""

    blocks: tuple[Block, ...]
    clause: Clause | None
    numbering: Numbering | None
    depth: int


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    depth: int


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


Block = Paragraph | Heading | ListBlock | Table


