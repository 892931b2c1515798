"""Runs and paragraphs: East Asian fonts, language, indents, numbering references, fields."""

from __future__ import annotations

from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from qmsdoc.generator.ooxml.xml import PPR, RPR, child, el, qn

EAST_ASIAN_LANG = "zh-CN"


def set_fonts(rpr: etree._Element, east_asian: str | None, latin: str | None) -> None:
    """Name the fonts explicitly (w:eastAsia too) and drop theme fonts, which would win."""
    fonts = child(rpr, "rFonts", RPR)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        if qn(f"w:{attr}") in fonts.attrib:
            del fonts.attrib[qn(f"w:{attr}")]
    if latin:
        for attr in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{attr}"), latin)
    if east_asian:
        fonts.set(qn("w:eastAsia"), east_asian)


def set_language(rpr: etree._Element, latin_lang: str) -> None:
    child(rpr, "lang", RPR, {"val": latin_lang, "eastAsia": EAST_ASIAN_LANG, "bidi": "ar-SA"})


def set_size(rpr: etree._Element, size_pt: float) -> None:
    half_points = str(round(size_pt * 2))
    child(rpr, "sz", RPR, {"val": half_points})
    child(rpr, "szCs", RPR, {"val": half_points})


def set_run_style(run: Run, *, bold: bool | None = None, size_pt: float | None = None,
                  color: str | None = None, east_asian: str | None = None,
                  latin: str | None = None) -> None:
    rpr = run._r.get_or_add_rPr()
    if east_asian or latin:
        set_fonts(rpr, east_asian, latin)
    if bold is not None:
        child(rpr, "b", RPR, {"val": "1" if bold else "0"})
        child(rpr, "bCs", RPR, {"val": "1" if bold else "0"})
    if color:
        child(rpr, "color", RPR, {"val": color})
    if size_pt:
        set_size(rpr, size_pt)


def set_indent(paragraph: Paragraph, *, left_twips: int = 0, first_line_twips: int = 0,
               hanging_twips: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    attrs = {"left": str(left_twips), "right": "0"}
    if hanging_twips:
        attrs["hanging"] = str(hanging_twips)
    else:
        attrs["firstLine"] = str(first_line_twips)
    ind = child(ppr, "ind", PPR)
    ind.attrib.clear()
    for k, v in attrs.items():
        ind.set(qn(f"w:{k}"), v)


def set_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Bind a paragraph to a numbering instance (w:numPr)."""
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = child(ppr, "numPr", PPR)
    for node in list(num_pr):
        num_pr.remove(node)
    num_pr.append(el("w:ilvl", {"val": str(level)}))
    num_pr.append(el("w:numId", {"val": str(num_id)}))


def keep_with_next(paragraph: Paragraph) -> None:
    child(paragraph._p.get_or_add_pPr(), "keepNext", PPR)


def add_field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES …) with a cached result, as Word itself writes it."""
    def run(*children: etree._Element) -> etree._Element:
        r = el("w:r")
        for c in children:
            r.append(c)
        return r

    p = paragraph._p
    p.append(run(el("w:fldChar", {"fldCharType": "begin"})))
    instr = el("w:instrText", {"xml:space": "preserve"})
    instr.text = f" {instruction} "
    p.append(run(instr))
    p.append(run(el("w:fldChar", {"fldCharType": "separate"})))
    t = el("w:t")
    t.text = cached
    p.append(run(t))
    p.append(run(el("w:fldChar", {"fldCharType": "end"})))


def size_bare_runs(paragraph: Paragraph, size_pt: float) -> None:
    """Give every run of the paragraph that has no run properties yet (e.g. field runs) a size."""
    for r in paragraph._p.r_lst:
        if r.rPr is None:
            set_size(r.get_or_add_rPr(), size_pt)


def use_style(paragraph: Paragraph, style_id: str) -> None:
    """Set a paragraph style by id (python-docx's lookup by name scans every style)."""
    paragraph._p.style = style_id


def use_run_style(run: Run, style_id: str) -> None:
    run._r.style = style_id


def clear_runs(paragraph: Paragraph) -> None:
    """Remove every run (and hyperlink, field) of a paragraph, keeping its properties."""
    p = paragraph._p
    for node in list(p):
        if node.tag != qn("w:pPr"):
            p.remove(node)


def shade_paragraph(paragraph: Paragraph, fill: str, border: str = "000000") -> None:
    """A paragraph as a bar: filled, with a thin border on all sides (a section title of a form)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = child(ppr, "pBdr", PPR)
    for side in ("top", "left", "bottom", "right"):
        child(borders, side, ("top", "left", "bottom", "right", "between", "bar"),
              {"val": "single", "sz": "6", "space": "1", "color": border})
    child(ppr, "shd", PPR, {"val": "clear", "color": "auto", "fill": fill})


def replace_text(paragraph: Paragraph, old: str, new: str) -> None:
    """Replace `old` by `new` in the text of each run of a paragraph (a mark written in one run)."""
    for t in paragraph._p.iter(qn("w:t")):
        if t.text and old in t.text:
            t.text = t.text.replace(old, new)
