"""Reading any Word file's content safely: paragraphs, tables, numbering, headers, with their places.

The importers (`import procedure`, `import form`) need what a reader of the document sees, not
what qmsdoc would have written: the text of every paragraph and table cell, which runs are bold,
which paragraphs are headings (by style or outline level), and the number Word shows before a
numbered paragraph (its numbering definition resolved and counted, e.g. 第三条 or 4.2.1). Each
piece carries its place in the file ("paragraph 12", "table 2 row 3 cell 1") so that a review
list can point at it. What the reader cannot represent (images, text boxes, fields, footnotes,
comments, tracked changes) is listed on the paragraph it was found in, and its text is kept.
For a form it also keeps what a blank is made of: each content control's tag and kind, each
symbol character's code (a Wingdings box), a paragraph's shading, a row's height, a cell's span,
and the document properties' title and identifier.

This is the one reader of a Word file's content; both importers go through it. The file is
untrusted: it is opened through `qmsdoc.records.safezip`, so every size is bounded and no DTD or
entity is read; what a tracked change deletes (text, or a whole row) is left out, and noted.
Styles and list numbering are resolved in `word_styles.py`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from qmsdoc.importer.word_styles import ListNumber, Numbering, Styles
from qmsdoc.importer.word_styles import on as _on
from qmsdoc.importer.word_styles import to_int as _int
from qmsdoc.importer.word_styles import val as _val
from qmsdoc.importer.word_styles import w as _w
from qmsdoc.model.limits import DEFAULT_LIMITS, Limits
from qmsdoc.model.records import RecordError
from qmsdoc.records.files import read_bounded
from qmsdoc.records.safezip import SafePackage, UnsafeFile

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_CORE = {"dc": "http://purl.org/dc/elements/1.1/",
         "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
_ALTERNATE = f"{{{_MC}}}AlternateContent"
MAX_SPAN = 63
"""The most columns a cell can span (Word's table has at most 63 columns); a larger span is read as 1."""


class WordFileError(Exception):
    """The file cannot be read as a Word document: what is wrong and how to fix it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


# -- the model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """Text of one run (or field result), and whether it shows bold (direct or character style)."""

    text: str
    bold: bool = False
    symbol: str | None = None
    """For a symbol character (w:sym), its code as the file gives it, in capitals (F0A8): `text`
    is the character it names, but in a symbol font such as Wingdings it prints as something else."""


@dataclass(frozen=True)
class Control:
    """A content control (w:sdt) in a paragraph: its tag and what kind of entry it makes."""

    tag: str
    kind: str  # "text" | "date" | "checkbox" | "dropdown"
    multiline: bool = False


@dataclass(frozen=True)
class Note:
    """Something the reader kept as text, or could not represent: its place and what it is."""

    place: str
    what: str


@dataclass(frozen=True)
class WordParagraph:
    place: str
    pieces: tuple[Run, ...]
    """The text in runs, with each symbol character a run of its own (see `runs`)."""
    style_id: str
    style_name: str
    outline_level: int | None
    """0-based heading level from the paragraph or its style (Heading 1 → 0); None for body text."""
    number: ListNumber | None
    notes: tuple[Note, ...] = ()
    boxes: tuple[str, ...] = ()
    """Text of text boxes anchored in the paragraph, one entry per box paragraph."""
    shaded: bool = False
    """The paragraph has a background fill (a bar) other than white."""
    controls: tuple[Control, ...] = ()
    """The content controls in the paragraph's text (not those of its text boxes)."""
    nested: bool = False
    """The paragraph is in a table inside a table cell (kept as a line of that cell)."""

    @property
    def runs(self) -> tuple[Run, ...]:
        """The text in as few runs as its bold allows (symbol characters among the rest)."""
        return tuple(_merge([Run(r.text, r.bold) for r in self.pieces]))

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.pieces)

    @property
    def is_title(self) -> bool:
        return self.style_name.casefold() in ("title", "标题") or self.style_id == "Title"


@dataclass(frozen=True)
class WordCell:
    place: str
    paragraphs: tuple[WordParagraph, ...]
    span: int = 1
    merged: bool = False
    """A continuation of a vertically merged cell (its text is in the cell above)."""

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def nested(self) -> bool:
        """The cell holds a table of its own (its paragraphs are among `paragraphs`, marked nested)."""
        return any(p.nested for p in self.paragraphs)


@dataclass(frozen=True)
class WordTable:
    place: str
    rows: tuple[tuple[WordCell, ...], ...]
    """The rows Word shows: a row deleted as a tracked change is left out (and noted)."""
    notes: tuple[Note, ...] = ()
    number: int = 0
    """1-based, in the order of its part (the body, or one header or footer)."""
    heights: tuple[int | None, ...] = ()
    """Each row's height in twips, when the row gives one."""

    def grid(self) -> list[list[str]]:
        """Cell texts row by row, a spanned cell's text in its first column and "" in the rest."""
        out: list[list[str]] = []
        for row in self.rows:
            line: list[str] = []
            for cell in row:
                line.append("" if cell.merged else cell.text)
                line.extend([""] * (cell.span - 1))
            out.append(line)
        return out


Block = WordParagraph | WordTable


@dataclass(frozen=True)
class WordPart:
    """A header or footer part: its blocks."""

    kind: str
    name: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class WordDocument:
    body: tuple[Block, ...]
    headers: tuple[WordPart, ...] = ()
    footers: tuple[WordPart, ...] = ()
    notes: tuple[Note, ...] = ()
    """Footnotes, endnotes and comments (their text), and parts not read."""
    title: str | None = None
    identifier: str | None = None
    """The title and identifier of the document properties (docProps/core.xml)."""

    def paragraphs(self) -> Iterator[WordParagraph]:
        """Every paragraph of the body, those in table cells too, in reading order."""
        yield from _paragraphs(self.body)


def _paragraphs(blocks: Iterable[Block]) -> Iterator[WordParagraph]:
    for block in blocks:
        if isinstance(block, WordParagraph):
            yield block
        else:
            for row in block.rows:
                for cell in row:
                    yield from cell.paragraphs


# -- opening ----------------------------------------------------------------------------------------

def read_word_file(path: Path, limits: Limits = DEFAULT_LIMITS, source: str | None = None) -> WordDocument:
    """The content of the .docx at `path`, within `limits`; WordFileError when it cannot be read."""
    shown = source or str(path)
    try:
        data = read_bounded(path, limits.record_file_bytes, shown)
    except RecordError as exc:
        raise WordFileError(f"{shown}: {exc.message}", "pass a readable .docx file") from None
    return read_word(data, limits, shown)


def read_word(data: bytes, limits: Limits = DEFAULT_LIMITS, source: str = "the file") -> WordDocument:
    try:
        pkg = SafePackage(data, limits)
        main = pkg.main_part()
        document = pkg.main_document()
        styles = Styles(pkg.styles(main))
        related = _related(pkg, main)
        numbering_part = next((t for kind, t in related if kind == "numbering"), None)
        numbering = Numbering(pkg.xml(numbering_part) if numbering_part else None)
        reader = _Reader(styles, numbering)
        body = document.find(_w("body"))
        if document.tag != _w("document") or body is None:
            raise WordFileError(f"{source}: not a Word document (its main part is not w:document)",
                                "save the file as Word .docx (Office Open XML), not Strict Open XML or another format")
        blocks = reader.blocks(body, "", top=True)
        headers: list[WordPart] = []
        footers: list[WordPart] = []
        notes: list[Note] = []
        counts = {"header": 0, "footer": 0}
        for kind, target in related:
            if kind in ("header", "footer"):
                root = pkg.xml(target)
                if root is None:
                    continue
                counts[kind] += 1
                part_reader = _Reader(styles, Numbering(None))
                part = WordPart(kind, target, tuple(part_reader.blocks(root, f"{kind} {counts[kind]} ", top=True)))
                (headers if kind == "header" else footers).append(part)
            elif kind in ("footnotes", "endnotes", "comments"):
                root = pkg.xml(target)
                if root is not None:
                    notes.extend(_notes(root, kind, _Reader(styles, Numbering(None))))
        core = pkg.xml("docProps/core.xml")
    except UnsafeFile as exc:
        raise WordFileError(f"{source}: {exc}", "open it in Word or LibreOffice and save it again as .docx") from None
    return WordDocument(tuple(blocks), tuple(headers), tuple(footers), tuple(notes),
                        _core(core, "dc:title"), _core(core, "dc:identifier"))


def _core(core: etree._Element | None, name: str) -> str | None:
    """A document property (dc:title …) of docProps/core.xml, None when it is absent or empty."""
    found = core.find(name, _CORE) if core is not None else None
    text = "".join(str(t) for t in found.itertext()).strip() if found is not None else ""
    return text or None


def _related(pkg: SafePackage, part: str) -> list[tuple[str, str]]:
    """(kind, part name) of each internal relationship of `part`; kind is the type's last segment."""
    folder, name = posixpath.split(part)
    rels = pkg.xml(posixpath.join(folder, "_rels", f"{name}.rels"), f"{{{_RELS}}}Relationships")
    if rels is None:
        return []
    out = []
    for rel in rels.iter(f"{{{_RELS}}}Relationship"):
        if rel.get("TargetMode", "Internal") != "Internal":
            continue
        target = posixpath.normpath(posixpath.join("/" + folder, unquote(rel.get("Target", "")))).lstrip("/")
        out.append((rel.get("Type", "").rsplit("/", 1)[-1], target))
    return out


def _notes(root: etree._Element, kind: str, reader: _Reader) -> list[Note]:
    tag = {"footnotes": "footnote", "endnotes": "endnote", "comments": "comment"}[kind]
    out = []
    for k, node in enumerate(root.findall(_w(tag)), start=1):
        if node.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(p.text for p in _paragraphs(reader.blocks(node, "", top=False)) if p.text)
        author = node.get(_w("author"))
        what = f"{tag} {node.get(_w('id'), str(k))}" + (f" by {author}" if author else "")
        out.append(Note(what, text))
    return out


# -- content ------------------------------------------------------------------------------------------

_SKIPPED = frozenset(_w(t) for t in ("pPr", "rPr", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd",
                                     "commentRangeStart", "commentRangeEnd", "lastRenderedPageBreak", "sectPr",
                                     "tblPr", "tblGrid", "trPr", "tcPr", "tblPrEx", "annotationRef",
                                     "footnoteRef", "endnoteRef", "separator", "continuationSeparator"))


@dataclass
class _Gather:
    """What one paragraph's content yields while it is walked."""

    place: str
    runs: list[Run] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    boxes: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    field_depth: int = 0
    in_instruction: list[bool] = field(default_factory=list)
    instruction: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if not any(n.what == what for n in self.notes):
            self.notes.append(Note(self.place, what))


class _Reader:
    def __init__(self, styles: Styles, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering
        self.paragraph_count = 0
        self.table_count = 0

    def blocks(self, parent: etree._Element, prefix: str, *, top: bool, cell_place: str | None = None) -> list[Block]:
        out: list[Block] = []
        for node in self._children(parent):
            if node.tag == _w("p"):
                if cell_place is None:
                    self.paragraph_count += 1
                    place = f"{prefix}paragraph {self.paragraph_count}"
                else:
                    place = cell_place
                out.append(self.paragraph(node, place))
            elif node.tag == _w("tbl"):
                if cell_place is not None:  # a table in a table cell: its text, cell by cell, as paragraphs
                    nested = self.table(node, cell_place + " nested table")
                    for row in nested.rows:
                        for cell in row:
                            for p in cell.paragraphs:
                                note = Note(cell_place, "a table inside a table cell: its cells are kept as lines"
                                                        " of this cell")
                                out.append(replace(p, outline_level=None, notes=(*p.notes, note), nested=True))
                    continue
                self.table_count += 1
                out.append(self.table(node, f"{prefix}table {self.table_count}", self.table_count))
        return out

    def _children(self, parent: etree._Element) -> Iterator[etree._Element]:
        """Block-level children, looking through content controls, custom XML and alternate content."""
        for node in parent:
            tag = node.tag
            if tag in (_w("sdt"),):
                content = node.find(_w("sdtContent"))
                if content is not None:
                    yield from self._children(content)
            elif tag == _w("customXml"):
                yield from self._children(node)
            elif tag == _ALTERNATE:
                branch = _branch(node)
                if branch is not None:
                    yield from self._children(branch)
            else:
                yield node

    def table(self, node: etree._Element, place: str, number: int = 0) -> WordTable:
        rows: list[tuple[WordCell, ...]] = []
        heights: list[int | None] = []
        notes: list[Note] = []
        shown: list[etree._Element] = []
        for tr in (t for t in self._children(node) if t.tag == _w("tr")):
            trpr = tr.find(_w("trPr"))
            if trpr is not None and trpr.find(_w("del")) is not None:
                notes.append(Note(f"{place} after row {len(shown)}", "a row deleted as a tracked change: not kept"))
            else:
                shown.append(tr)
                height = _val(trpr.find(_w("trHeight"))) if trpr is not None else None
                heights.append(int(height) if height is not None and height.isdigit() else None)
        for r, tr in enumerate(shown, start=1):
            cells: list[WordCell] = []
            for c, tc in enumerate((t for t in self._children(tr) if t.tag == _w("tc")), start=1):
                cell_place = f"{place} row {r} cell {c}"
                tcpr = tc.find(_w("tcPr"))
                span = (_int(_val(tcpr.find(_w("gridSpan")))) or 1) if tcpr is not None else 1
                span = span if 0 < span <= MAX_SPAN else 1
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                merged = vmerge is not None and (_val(vmerge) or "continue") == "continue"
                if span > 1 or merged:
                    notes.append(Note(cell_place, "merged cells"))
                paragraphs = tuple(b for b in self.blocks(tc, "", top=False, cell_place=cell_place)
                                   if isinstance(b, WordParagraph))
                cells.append(WordCell(cell_place, paragraphs, span, merged))
            rows.append(tuple(cells))
        return WordTable(place, tuple(rows), tuple(notes), number, tuple(heights))

    def paragraph(self, node: etree._Element, place: str) -> WordParagraph:
        ppr = node.find(_w("pPr"))
        style_id = _val(ppr.find(_w("pStyle"))) if ppr is not None else None
        style_id = style_id or self.styles.default_paragraph
        outline = _int(_val(ppr.find(_w("outlineLvl")))) if ppr is not None else None
        if outline is None or outline >= 9:
            outline = self.styles.outline(style_id)
        gathered = _Gather(place)
        self._content(node, gathered, style_bold=False)
        number = self._number(ppr, style_id)
        shading = ppr.find(_w("shd")) if ppr is not None else None
        shaded = shading is not None and shading.get(_w("fill"), "auto").lower() not in ("auto", "ffffff", "")
        return WordParagraph(place, tuple(_merge(gathered.runs)), style_id, self.styles.name(style_id), outline,
                             number, tuple(gathered.notes), tuple(gathered.boxes), shaded, tuple(gathered.controls))

    def _number(self, ppr: etree._Element | None, style_id: str) -> ListNumber | None:
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id = _val(num_pr.find(_w("numId"))) if num_pr is not None else None
        ilvl = _int(_val(num_pr.find(_w("ilvl")))) if num_pr is not None else None
        style_num, style_ilvl = self.styles.numbering(style_id)
        if num_id is None:
            num_id = style_num
            if ilvl is None:
                ilvl = style_ilvl
        if num_id is None or num_id == "0":
            return None
        if ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style_id) or 0
        return self.numbering.next(num_id, ilvl)

    def _content(self, parent: etree._Element, g: _Gather, style_bold: bool) -> None:
        for node in parent:
            tag = node.tag
            if tag in _SKIPPED or not isinstance(tag, str):
                continue
            if tag == _w("r"):
                self._run(node, g)
            elif tag in (_w("hyperlink"), _w("smartTag"), _w("customXml"), _w("sdt"), _w("sdtContent"),
                         _w("fldSimple"), _w("dir"), _w("bdo")):
                if tag == _w("sdt"):
                    control = _control(node.find(_w("sdtPr")))
                    if control is not None:
                        g.controls.append(control)
                if tag == _w("hyperlink") and node.get(f"{{{_R}}}id"):
                    g.note("a hyperlink: its text is kept, its target is not")
                if tag == _w("fldSimple"):
                    g.note(f"a field ({(node.get(_w('instr')) or '').strip()}): its shown text is kept")
                self._content(node, g, style_bold)
            elif tag in (_w("ins"), _w("moveTo")):
                g.note("a tracked insertion: kept as shown")
                self._content(node, g, style_bold)
            elif tag in (_w("del"), _w("moveFrom")):
                deleted = "".join(t.text or "" for t in node.iter(_w("delText"), _w("t")))
                g.note(f"a tracked deletion, not kept: “{deleted}”")
            elif tag == _ALTERNATE:
                branch = _branch(node)
                if branch is not None:
                    self._content(branch, g, style_bold)
            elif tag in (f"{{{_M}}}oMath", f"{{{_M}}}oMathPara"):
                g.note("an equation: its text is kept")
                g.runs.append(Run("".join(t.text or "" for t in node.iter(f"{{{_M}}}t"))))
            else:
                g.note(f"an element Word calls {etree.QName(node).localname}: not read")

    def _run(self, r: etree._Element, g: _Gather) -> None:
        rpr = r.find(_w("rPr"))
        bold = False
        if rpr is not None:
            direct = _on(rpr.find(_w("b")))
            style = _val(rpr.find(_w("rStyle")))
            bold = direct if direct is not None else (self.styles.bold(style) if style else False)
            if _on(rpr.find(_w("vanish"))):
                g.note("hidden text: kept as text")
        for node in r:
            tag = node.tag
            if tag == _w("fldChar"):
                kind = node.get(_w("fldCharType"))
                if kind == "begin":
                    g.in_instruction.append(True)
                    g.instruction.append("")
                elif kind == "separate" and g.in_instruction:
                    g.in_instruction[-1] = False
                elif kind == "end" and g.in_instruction:
                    g.in_instruction.pop()
                    instr = g.instruction.pop().strip()
                    g.note(f"a field ({instr.split()[0] if instr else 'empty'}): its shown text is kept")
                continue
            if g.in_instruction and g.in_instruction[-1]:
                if tag == _w("instrText") and g.instruction:
                    g.instruction[-1] += node.text or ""
                continue
            if tag == _w("t"):
                g.runs.append(Run(node.text or "", bold))
            elif tag == _w("tab") or tag == _w("ptab"):
                g.runs.append(Run("\t", bold))
            elif tag == _w("br") or tag == _w("cr"):
                if node.get(_w("type")) in ("page", "column"):
                    continue
                g.runs.append(Run("\n", bold))
            elif tag == _w("noBreakHyphen"):
                g.runs.append(Run("-", bold))
            elif tag == _w("sym"):
                char = node.get(_w("char")) or ""
                code = _int_hex(char)
                if code is not None:
                    g.note("a symbol character: kept as the character code it names")
                    g.runs.append(Run(chr(code - 0xF000 if code >= 0xF000 else code), bold, char.upper()))
            elif tag in (_w("drawing"), _w("pict"), _w("object")):
                self._drawing(node, g)
            elif tag in (_w("footnoteReference"), _w("endnoteReference")):
                kind = "footnote" if tag == _w("footnoteReference") else "endnote"
                g.note(f"a {kind} reference ({kind} {node.get(_w('id'))}): the {kind}'s text is listed separately")
            elif tag == _ALTERNATE:
                branch = _branch(node)
                if branch is not None:
                    fake = etree.Element(_w("r"))
                    if rpr is not None:
                        fake.append(etree.fromstring(etree.tostring(rpr)))
                    for child in branch:
                        fake.append(etree.fromstring(etree.tostring(child)))
                    self._run(fake, g)
            elif tag in (_w("delText"), _w("instrText"), _w("rPr"), _w("lastRenderedPageBreak"),
                         _w("commentReference"), _w("softHyphen"), _w("annotationRef"), _w("footnoteRef"),
                         _w("endnoteRef"), _w("separator"), _w("continuationSeparator")):
                continue
            elif isinstance(tag, str):
                g.note(f"an element Word calls {etree.QName(node).localname}: not read")

    def _drawing(self, node: etree._Element, g: _Gather) -> None:
        boxes = list(node.iter(_w("txbxContent")))
        if boxes:
            g.note("a text box: its text is kept as paragraphs after this one")
            for box in boxes[:1] if len(boxes) > 1 and _same_text(boxes) else boxes:
                for p in box.iter(_w("p")):
                    inner = _Gather(g.place)
                    self._content(p, inner, False)
                    text = "".join(run.text for run in inner.runs)
                    if text.strip():
                        g.boxes.append(text)
        else:
            g.note("an image or drawing: not kept (it has no text)")


def _branch(alternate: etree._Element) -> etree._Element | None:
    """The branch of mc:AlternateContent that is read: its first mc:Choice, else its mc:Fallback."""
    branch = alternate.find(f"{{{_MC}}}Choice")
    return branch if branch is not None else alternate.find(f"{{{_MC}}}Fallback")


def _control(pr: etree._Element | None) -> Control | None:
    """What a content control's properties (w:sdtPr) say about the entry it makes."""
    if pr is None:
        return None
    tag = (_val(pr.find(_w("tag"))) or "").strip()
    if pr.find(f"{{{_W14}}}checkbox") is not None:
        kind = "checkbox"
    elif pr.find(_w("date")) is not None:
        kind = "date"
    elif pr.find(_w("dropDownList")) is not None or pr.find(_w("comboBox")) is not None:
        kind = "dropdown"
    else:
        kind = "text"
    multiline = _val(pr.find(_w("text")), "multiLine") in ("1", "true", "on")
    return Control(tag, kind, multiline)


def _same_text(boxes: list[etree._Element]) -> bool:
    texts = {"".join(t.text or "" for t in box.iter(_w("t"))) for box in boxes}
    return len(texts) == 1


def _int_hex(text: str | None) -> int | None:
    try:
        return int(text, 16) if text else None
    except ValueError:
        return None


def _merge(runs: list[Run]) -> list[Run]:
    """`runs` without empty ones, neighbours of the same bold joined (a symbol character is not joined)."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and out[-1].bold == run.bold and out[-1].symbol is None and run.symbol is None:
            out[-1] = Run(out[-1].text + run.text, run.bold)
        else:
            out.append(run)
    return out
