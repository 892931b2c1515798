"""WordprocessingML written straight with lxml: paragraphs, runs, tables, cells, fields, controls.

python-docx builds every element by parsing a snippet of XML, looks up each child's place by
XPath, and wraps everything in proxy objects; for a document of a few hundred paragraphs that is
most of the time of a build. These builders make plain lxml elements in the places and with the
attributes python-docx gives them, so a document written through them is byte for byte the one
`ControlledDocument` (python-docx) writes; `tests/generator/test_direct.py` checks it on every
bundled document. Children of property elements (w:pPr, w:rPr, w:tcPr, w:trPr …) go at their
schema position (`xml.PPR` …), as `xml.child` puts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree

from qmsdoc.generator.ooxml.xml import PPR, RPR, TCPR, TRPR, W14

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_W14 = f"{{{W14}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
P, PPR_TAG, R, RPR_TAG, T, BR, TAB = (_W + t for t in ("p", "pPr", "r", "rPr", "t", "br", "tab"))
TBL, TR, TC, TCPR_TAG, TRPR_TAG = (_W + t for t in ("tbl", "tr", "tc", "tcPr", "trPr"))
_RANKS = {_W + name: {_W + local: k for k, local in enumerate(order)} for name, order in
          (("pPr", PPR), ("rPr", RPR), ("tcPr", TCPR), ("trPr", TRPR))}
BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
_TBL_LOOK = (("firstColumn", "1"), ("firstRow", "1"), ("lastColumn", "0"), ("lastRow", "0"),
             ("noHBand", "0"), ("noVBand", "1"), ("val", "04A0"))

Element = etree._Element
"""A paragraph, run, table cell or row being written: a handle the domain layer passes back."""
Attrs = Sequence[tuple[str, str]]
"""Attributes of a w: element, unprefixed, in the order they are written."""


def sub(parent: etree._Element, local: str, attrs: Attrs = ()) -> etree._Element:
    """A new `w:local` appended to `parent`."""
    node = etree.SubElement(parent, _W + local)
    for key, value in attrs:
        node.set(_W + key, value)
    return node


def put(parent: etree._Element, local: str, attrs: Attrs = ()) -> etree._Element:
    """The child `w:local` of a property element (w:pPr, w:rPr, w:tcPr, w:trPr), made at its
    schema position if there is none yet; `attrs` set on it (an existing attribute keeps its place)."""
    tag = _W + local
    ranks = _RANKS[parent.tag]
    rank = ranks[tag]
    node = None
    for k, sibling in enumerate(parent):
        if sibling.tag == tag:
            node = sibling
            break
        if ranks.get(sibling.tag, -1) > rank:
            node = parent.makeelement(tag)
            parent.insert(k, node)
            break
    if node is None:
        node = etree.SubElement(parent, tag)
    for key, value in attrs:
        node.set(_W + key, value)
    return node


def properties(element: etree._Element, tag: str) -> etree._Element:
    """The property element (`tag`: w:pPr, w:rPr, w:tcPr, w:trPr) of `element`: its first child,
    made if missing."""
    first = element[0] if len(element) else None
    if first is not None and first.tag == tag:
        return first
    node = element.makeelement(tag)
    element.insert(0, node)
    return node


# -- runs -------------------------------------------------------------------------------

def add_text(r: etree._Element, text: str) -> None:
    """`text` into a run as python-docx writes it: a tab as w:tab, a line break as w:br, the text
    between in w:t, with xml:space="preserve" when it begins or ends with white space."""
    start = 0
    for k, char in enumerate(text):
        if char in "\t\r\n":
            _t(r, text[start:k])
            etree.SubElement(r, TAB if char == "\t" else BR)
            start = k + 1
    _t(r, text[start:])


def _t(r: etree._Element, text: str) -> None:
    if text:
        t = etree.SubElement(r, T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(XML_SPACE, "preserve")


def run(parent: etree._Element, text: str = "") -> etree._Element:
    """A new run of `text` at the end of `parent` (a paragraph), with no properties."""
    r = etree.SubElement(parent, R)
    if text:
        add_text(r, text)
    return r


def line_break(r: etree._Element) -> None:
    """A line break at the end of the run (python-docx's `add_break`)."""
    etree.SubElement(r, BR)


def style_run(r: etree._Element, *, bold: bool | None = None, size_pt: float | None = None,
              color: str | None = None, east_asian: str | None = None) -> etree._Element:
    """Run properties as `text.set_run_style` sets them (its w:rPr is made even when empty)."""
    if not len(r) or r[0].tag != RPR_TAG:  # a new w:rPr: its children in schema order
        rpr = r.makeelement(RPR_TAG)
        r.insert(0, rpr)
        if east_asian:
            sub(rpr, "rFonts", (("eastAsia", east_asian),))
        if bold is not None:
            sub(rpr, "b", (("val", "1" if bold else "0"),))
            sub(rpr, "bCs", (("val", "1" if bold else "0"),))
        if color:
            sub(rpr, "color", (("val", color),))
        if size_pt:
            half_points = str(round(size_pt * 2))
            sub(rpr, "sz", (("val", half_points),))
            sub(rpr, "szCs", (("val", half_points),))
        return rpr
    rpr = r[0]
    if east_asian:
        put(rpr, "rFonts", (("eastAsia", east_asian),))
    if bold is not None:
        put(rpr, "b", (("val", "1" if bold else "0"),))
        put(rpr, "bCs", (("val", "1" if bold else "0"),))
    if color:
        put(rpr, "color", (("val", color),))
    if size_pt:
        half_points = str(round(size_pt * 2))
        put(rpr, "sz", (("val", half_points),))
        put(rpr, "szCs", (("val", half_points),))
    return rpr


def emphasis(r: etree._Element, bold: bool | None, italic: bool | None) -> None:
    """python-docx's `run.bold = …; run.italic = …`: w:b / w:i with no value, w:rPr made always."""
    rpr = properties(r, RPR_TAG)
    if bold:
        put(rpr, "b")
    if italic:
        put(rpr, "i")


def run_style(r: etree._Element, style_id: str) -> None:
    put(properties(r, RPR_TAG), "rStyle", (("val", style_id),))


def add_field(p: etree._Element, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES …) with a cached result, as `text.add_field` writes it."""
    sub(sub(p, "r"), "fldChar", (("fldCharType", "begin"),))
    instr = sub(sub(p, "r"), "instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    sub(sub(p, "r"), "fldChar", (("fldCharType", "separate"),))
    sub(sub(p, "r"), "t").text = cached
    sub(sub(p, "r"), "fldChar", (("fldCharType", "end"),))


def size_bare_runs(p: etree._Element, size_pt: float) -> None:
    """Give every run of the paragraph without run properties a size (`text.size_bare_runs`)."""
    for r in p.iterchildren(R):
        if not len(r) or r[0].tag != RPR_TAG:
            style_run(r, size_pt=size_pt)


# -- paragraphs ---------------------------------------------------------------------------

def paragraph(parent: etree._Element, style_id: str | None = None) -> etree._Element:
    """A new paragraph at the end of `parent`, in the style `style_id`."""
    p = etree.SubElement(parent, P)
    if style_id is not None:
        sub(etree.SubElement(p, PPR_TAG), "pStyle", (("val", style_id),))
    return p


def ppr(p: etree._Element) -> etree._Element:
    return properties(p, PPR_TAG)


def set_style(p: etree._Element, style_id: str) -> None:
    put(ppr(p), "pStyle", (("val", style_id),))


def align(p: etree._Element, value: str) -> None:
    """w:jc: `center`, `left` … (python-docx's `alignment`)."""
    put(ppr(p), "jc", (("val", value),))


def spacing(p: etree._Element, attrs: Attrs) -> None:
    """w:spacing attributes in twips, in the order python-docx would set them."""
    put(ppr(p), "spacing", attrs)


def keep_with_next(p: etree._Element) -> None:
    put(ppr(p), "keepNext")


def set_indent(p: etree._Element, *, left_twips: int = 0, first_line_twips: int = 0,
               hanging_twips: int = 0) -> None:
    """`text.set_indent`: the whole w:ind rewritten."""
    ind = put(ppr(p), "ind")
    ind.attrib.clear()
    ind.set(_W + "left", str(left_twips))
    ind.set(_W + "right", "0")
    if hanging_twips:
        ind.set(_W + "hanging", str(hanging_twips))
    else:
        ind.set(_W + "firstLine", str(first_line_twips))


def set_numbering(p: etree._Element, num_id: int, level: int) -> None:
    num_pr = put(ppr(p), "numPr")
    for node in list(num_pr):
        num_pr.remove(node)
    sub(num_pr, "ilvl", (("val", str(level)),))
    sub(num_pr, "numId", (("val", str(num_id)),))


def shade_paragraph(p: etree._Element, fill: str, border: str = "000000") -> None:
    """`text.shade_paragraph`: filled, with a thin border on all sides."""
    pr = ppr(p)
    borders = put(pr, "pBdr")
    for side in ("top", "left", "bottom", "right"):
        sub(borders, side, (("val", "single"), ("sz", "6"), ("space", "1"), ("color", border)))
    put(pr, "shd", (("val", "clear"), ("color", "auto"), ("fill", fill)))


# -- tables -------------------------------------------------------------------------------

class Table:
    """A new table as python-docx makes it, with the grid `tables` gives it: fixed widths, single
    borders, cell margins; cells are looked up by (row, column) as laid out at first."""

    def __init__(self, parent: etree._Element, rows: int, widths: Sequence[int], *, centre: bool = True,
                 top_bottom_twips: int = 30, keep_rows: bool = True, cell_style: str | None = None,
                 centre_cells: bool = False):
        """`keep_rows`: rows do not split across pages; `cell_style`: the style of every cell's
        paragraph; `centre_cells`: every cell's content centred vertically."""
        tbl = self.tbl = etree.SubElement(parent, TBL)
        pr = sub(tbl, "tblPr")
        sub(pr, "tblW", (("type", "dxa"), ("w", str(sum(widths)))))
        if centre:
            sub(pr, "jc", (("val", "center"),))
        borders = sub(pr, "tblBorders")
        for side in BORDER_SIDES:
            sub(borders, side, (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")))
        sub(pr, "tblLayout", (("type", "fixed"),))
        mar = sub(pr, "tblCellMar")
        for side, value in (("top", top_bottom_twips), ("left", 80), ("bottom", top_bottom_twips), ("right", 80)):
            sub(mar, side, (("w", str(value)), ("type", "dxa")))
        sub(pr, "tblLook", _TBL_LOOK)
        grid = sub(tbl, "tblGrid")
        for width in widths:
            sub(grid, "gridCol", (("w", str(width)),))
        self.rows: list[etree._Element] = []
        self.cells: list[list[etree._Element]] = []
        for _ in range(rows):
            tr = etree.SubElement(tbl, TR)
            if keep_rows:
                sub(sub(tr, "trPr"), "cantSplit")
            row = []
            for width in widths:
                tc = etree.SubElement(tr, TC)
                tc_pr = etree.SubElement(tc, TCPR_TAG)
                sub(tc_pr, "tcW", (("type", "dxa"), ("w", str(width))))
                if centre_cells:
                    sub(tc_pr, "vAlign", (("val", "center"),))
                p = etree.SubElement(tc, P)
                if cell_style is not None:
                    sub(etree.SubElement(p, PPR_TAG), "pStyle", (("val", cell_style),))
                row.append(tc)
            self.rows.append(tr)
            self.cells.append(row)

    def cell(self, row: int, col: int) -> etree._Element:
        """The w:tc at (row, col)."""
        return self.cells[row][col]

    def span(self, row: int, first: int, last: int) -> etree._Element:
        """Merge cells `first`..`last` of a row (`merge.span_columns`): the first takes a
        w:gridSpan and the sum of the widths, the others go. Returns the merged cell."""
        cells = self.cells[row]
        head = cells[first]
        width = sum(int(c[0][0].get(_W + "w") or 0) for c in cells[first:last + 1])
        tc_pr = head[0]
        if width:
            put(tc_pr, "tcW", (("w", str(width)), ("type", "dxa")))
        put(tc_pr, "gridSpan", (("val", str(last - first + 1)),))
        tr = self.rows[row]
        for tc in cells[first + 1:last + 1]:
            tr.remove(tc)
        return head

    def merge_down(self, col: int, first: int, last: int) -> etree._Element:
        """python-docx's vertical `_Cell.merge` of empty cells: w:vMerge restart and continue."""
        head = self.cells[first][col]
        put(head[0], "vMerge", (("val", "restart"),))
        for r in range(first + 1, last + 1):
            put(self.cells[r][col][0], "vMerge")
        return head


def cell_paragraph(tc: etree._Element) -> etree._Element:
    """The cell's (first) paragraph."""
    for node in tc:
        if node.tag == P:
            return node
    raise ValueError("a table cell without a paragraph")


def shade(tc: etree._Element, fill: str) -> None:
    put(tc[0], "shd", (("val", "clear"), ("color", "auto"), ("fill", fill)))


def valign(tc: etree._Element, where: str = "center") -> None:
    put(tc[0], "vAlign", (("val", where),))


def _tr_pr(tr: etree._Element) -> etree._Element:
    return properties(tr, TRPR_TAG)


def repeat_as_header(tr: etree._Element) -> None:
    put(_tr_pr(tr), "tblHeader")


def row_height(tr: etree._Element, twips: int, exact: bool = False) -> None:
    put(_tr_pr(tr), "trHeight", (("val", str(twips)), ("hRule", "exact" if exact else "atLeast")))


# -- content controls ---------------------------------------------------------------------

def _sdt_pr(sdt: etree._Element, tag: str, title: str, ident: int, lock: str,
            placeholder: bool) -> etree._Element:
    pr = sub(sdt, "sdtPr")
    sub(pr, "alias", (("val", title[:255]),))
    sub(pr, "tag", (("val", tag),))
    sub(pr, "id", (("val", str(ident)),))
    sub(pr, "lock", (("val", lock),))
    if placeholder:
        sub(pr, "showingPlcHdr")
    return pr


def _control_run(content: etree._Element, text: str, font: str | None = None) -> None:
    r = sub(content, "r")
    if font:
        sub(sub(r, "rPr"), "rFonts", (("ascii", font), ("hAnsi", font), ("eastAsia", font)))
    t = sub(r, "t")
    t.set(XML_SPACE, "preserve")
    t.text = text


def text_control(p: etree._Element, tag: str, title: str, ident: int, blank: str, *,
                 multiline: bool = False) -> None:
    """`controls.add_text_control`: a plain-text control showing `blank`."""
    sdt = sub(p, "sdt")
    sub(_sdt_pr(sdt, tag, title, ident, "sdtLocked", True), "text", (("multiLine", "1"),) if multiline else ())
    _control_run(sub(sdt, "sdtContent"), blank)


def date_control(p: etree._Element, tag: str, title: str, ident: int, blank: str, date_format: str) -> None:
    """`controls.add_date_control`."""
    sdt = sub(p, "sdt")
    date = sub(_sdt_pr(sdt, tag, title, ident, "sdtLocked", True), "date")
    sub(date, "dateFormat", (("val", date_format),))
    sub(date, "lid", (("val", "zh-CN"),))
    sub(date, "storeMappedDataAs", (("val", "dateTime"),))
    sub(date, "calendar", (("val", "gregorian"),))
    _control_run(sub(sdt, "sdtContent"), blank)


def checkbox_control(p: etree._Element, tag: str, title: str, ident: int, checked: str, unchecked: str,
                     font: str) -> None:
    """`controls.add_checkbox_control`: a w14 check box, unticked."""
    sdt = sub(p, "sdt")
    box = etree.SubElement(_sdt_pr(sdt, tag, title, ident, "sdtLocked", False), _W14 + "checkbox")
    etree.SubElement(box, _W14 + "checked").set(_W14 + "val", "0")
    for state, char in (("checkedState", checked), ("uncheckedState", unchecked)):
        node = etree.SubElement(box, _W14 + state)
        node.set(_W14 + "val", f"{ord(char):04X}")
        node.set(_W14 + "font", font)
    _control_run(sub(sdt, "sdtContent"), unchecked, font)


def locked_text_control(r: etree._Element, tag: str, title: str, ident: int) -> None:
    """`signatures.wrap_in_control`: the run `r` (in its paragraph, formatted) put in a plain-text
    control locked against editing, its w:t kept (an empty one made when it has none)."""
    texts = r.findall(T)
    if not texts:
        texts = [etree.SubElement(r, T)]
    for t in texts:
        t.set(XML_SPACE, "preserve")
    sdt = r.makeelement(_W + "sdt")
    r.addprevious(sdt)
    sub(_sdt_pr(sdt, tag, title, ident, "sdtContentLocked", False), "text")
    sub(sdt, "sdtContent").append(r)


# -- parts --------------------------------------------------------------------------------

def numbering_level(parent: etree._Element, level: int, start: int, word_fmt: str, suffix: str,
                    text: str, indent: Attrs) -> None:
    """One w:lvl of an abstract numbering definition (`numbering.NumberingBuilder`)."""
    lvl = sub(parent, "lvl", (("ilvl", str(level)),))
    sub(lvl, "start", (("val", str(start)),))
    sub(lvl, "numFmt", (("val", word_fmt),))
    sub(lvl, "suff", (("val", suffix),))
    sub(lvl, "lvlText", (("val", text),))
    sub(lvl, "lvlJc", (("val", "left"),))
    sub(sub(lvl, "pPr"), "ind", indent)


def children(parent: etree._Element, nodes: Iterable[etree._Element]) -> None:
    for node in nodes:
        parent.append(node)
