"""What `import form` sees of a Word document read by `word.py`: the body's paragraphs and tables
as a form's grid, and the texts of its headers and footers.

Nothing here reads the file (that is `word.py`'s alone, with its safety bounds); this only
decides what counts on a form: a cell's text is its own paragraphs (a table inside it is not
read), a Wingdings box (w:sym) is written □ and any other symbol is left out, the lower part of a
vertically merged cell is not a cell of its own, and an entry is known by its content controls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qmsdoc.importer.word import Control, WordCell, WordDocument, WordParagraph, WordTable

SYMBOL_BOXES = frozenset({"F06F", "F0A8", "F071", "F072", "F0A3", "00A8", "F06E", "F0FE", "F078"})
"""Wingdings characters that print as an empty or ticked box (w:sym), read as □."""
BOX = "□"


@dataclass
class Cell:
    """A table cell as shown: its text (paragraphs as new lines), the columns it spans, its controls."""

    text: str
    span: int = 1
    controls: list[Control] = field(default_factory=list)
    nested: bool = False  # holds a table of its own, whose text is not read


@dataclass
class Row:
    cells: list[Cell]
    height: int | None = None  # twips, when the row says


@dataclass
class Table:
    rows: list[Row]
    number: int  # 1-based, in body order


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    shaded: bool = False


@dataclass
class WordForm:
    """What `import form` reads of a Word file."""

    body: list[Paragraph | Table]
    headers: list[str]
    footers: list[str]
    header_cells: list[list[str]]  # the rows of tables in headers and footers, as cell texts
    core_title: str | None = None
    core_identifier: str | None = None


def form_view(doc: WordDocument) -> WordForm:
    """`doc` as a form: its body, then its headers and footers in the order of their part names."""
    headers: list[str] = []
    footers: list[str] = []
    header_cells: list[list[str]] = []
    for part in sorted((*doc.headers, *doc.footers), key=lambda p: p.name):
        texts: list[str] = []
        rows: list[list[str]] = []
        for block in part.blocks:
            if isinstance(block, WordParagraph):
                text = _text(block)
                if text.strip():
                    texts.append(text)
            else:
                rows.extend([c.text for c in row.cells] for row in _table(block).rows)
        header_cells.extend(rows)
        texts.extend(t for row in rows for t in row if t.strip())
        (headers if part.kind == "header" else footers).extend(texts)
    body = [_paragraph(b) if isinstance(b, WordParagraph) else _table(b) for b in doc.body]
    return WordForm(body, headers, footers, header_cells, doc.title, doc.identifier)


def _text(paragraph: WordParagraph) -> str:
    """The paragraph's text with its symbols as a form shows them: a box as □, any other left out."""
    return "".join(r.text if r.symbol is None else BOX if r.symbol in SYMBOL_BOXES else "" for r in paragraph.pieces)


def _paragraph(paragraph: WordParagraph) -> Paragraph:
    bold = any(r.bold and r.symbol is None and r.text.strip() for r in paragraph.pieces)
    return Paragraph(_text(paragraph), bold, paragraph.shaded)


def _table(table: WordTable) -> Table:
    rows = []
    for k, row in enumerate(table.rows):
        height = table.heights[k] if k < len(table.heights) else None
        rows.append(Row([_cell(c) for c in row if not c.merged], height))
    return Table(rows, table.number)


def _cell(cell: WordCell) -> Cell:
    own = [p for p in cell.paragraphs if not p.nested]
    return Cell("\n".join(_text(p) for p in own), cell.span, [c for p in own for c in p.controls], cell.nested)
