"""Document styles: fonts on docDefaults and every style we use, Chinese language, clean headings."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle

from qmsdoc.generator.ooxml.text import set_fonts, set_language, set_size
from qmsdoc.generator.ooxml.xml import PPR, RPR, child


@dataclass(frozen=True)
class StyleSheet:
    """What the styles need from the site config."""

    body_east_asian: str
    body_latin: str
    body_size_pt: float
    heading_east_asian: str
    heading_latin: str
    latin_lang: str


HEADING_SIZES = {1: 16, 2: 14, 3: 12, 4: 12}
REF_CODE_STYLE = "Reference Code"
"""Character style of the code that follows a cross-reference, e.g. （SJE/ZY/GK-10）."""
FORM_LABEL_STYLE = "Form Label"
FORM_ENTRY_STYLE = "Form Entry"
TABLE_TEXT_STYLE = "Table Text"


KEEP_STYLES = {"Normal", "Header", "Footer", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
               "Title", "Body Text", "List Bullet", "Default Paragraph Font", "Normal Table",
               "No List", "Table Grid"}
STYLE_IDS = {"Title": "Title", "Body Text": "BodyText", "List Bullet": "ListBullet",
             TABLE_TEXT_STYLE: "TableText", FORM_LABEL_STYLE: "FormLabel",
             FORM_ENTRY_STYLE: "FormEntry", REF_CODE_STYLE: "ReferenceCode",
             **{f"Heading {n}": f"Heading{n}" for n in range(1, 5)}}
"""Style ids by style name, for setting styles without python-docx's slow name lookup."""


def _prune(styles_el: BaseOxmlElement) -> None:
    """Keep only the styles we use; drop links to the removed character styles."""
    for style_el in styles_el.findall(qn("w:style")):
        name = style_el.find(qn("w:name"))
        if name is None or (name.get(qn("w:val")) or "").lower() not in {k.lower() for k in KEEP_STYLES}:
            styles_el.remove(style_el)
            continue
        for tag in ("link", "next", "rsid", "uiPriority", "unhideWhenUsed", "semiHidden"):
            node = style_el.find(qn(f"w:{tag}"))
            if node is not None and tag in ("link", "next", "rsid"):
                style_el.remove(node)


_PREPARED: dict[StyleSheet, BaseOxmlElement] = {}
"""The styles part as `apply_styles` leaves it, per style sheet: copied into each new document."""


def use_styles(doc: Document, sheet: StyleSheet) -> None:
    """Style a new document: the first time per style sheet by `apply_styles`, then by copying
    the styles part that gave (the same XML, without redoing it)."""
    styles_part = doc.part._styles_part
    prepared = _PREPARED.get(sheet)
    if prepared is not None:
        styles_part._element = copy.deepcopy(prepared)
    else:
        apply_styles(doc, sheet)
        _PREPARED[sheet] = copy.deepcopy(styles_part._element)


def apply_styles(doc: Document, sheet: StyleSheet) -> None:
    """Set docDefaults and restyle Normal, Title, Headings, Header/Footer, tables; add our styles."""
    styles_el = doc.styles.element
    _prune(styles_el)
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, sheet.body_east_asian, sheet.body_latin)
    set_size(rpr, sheet.body_size_pt)
    set_language(rpr, sheet.latin_lang)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    child(ppr, "spacing", PPR, {"after": "0", "line": "360", "lineRule": "auto"})

    # Every style that names theme fonts would override docDefaults: name ours instead.
    for style_el in styles_el.findall(qn("w:style")):
        srpr = style_el.find(qn("w:rPr"))
        if srpr is not None and srpr.find(qn("w:rFonts")) is not None:
            set_fonts(srpr, sheet.body_east_asian, sheet.body_latin)

    normal = doc.styles["Normal"]
    _fonts(normal, sheet.body_east_asian, sheet.body_latin, sheet.body_size_pt)
    normal.paragraph_format.space_after = Pt(0)

    title = doc.styles["Title"]
    _reset(title)
    _fonts(title, sheet.heading_east_asian, sheet.heading_latin, 18, bold=True)
    title.paragraph_format.alignment = 1  # centre
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.space_after = Pt(12)

    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        _reset(style)
        _fonts(style, sheet.heading_east_asian, sheet.heading_latin, size, bold=True)
        pf = style.paragraph_format
        pf.space_before = Pt(12 if level == 1 else 6)
        pf.space_after = Pt(6 if level == 1 else 3)
        pf.keep_with_next = True
        style.font.color.rgb = RGBColor(0, 0, 0)

    for name in ("Header", "Footer"):
        _fonts(doc.styles[name], sheet.body_east_asian, sheet.body_latin, 9)

    body_text = doc.styles["Body Text"]
    _reset(body_text)
    _fonts(body_text, sheet.body_east_asian, sheet.body_latin, sheet.body_size_pt)
    body_text.paragraph_format.first_line_indent = Pt(sheet.body_size_pt * 2)
    body_text.paragraph_format.space_after = Pt(0)

    table_text = _paragraph_style(doc, TABLE_TEXT_STYLE, "Normal")
    _fonts(table_text, sheet.body_east_asian, sheet.body_latin, 10.5)
    table_text.paragraph_format.line_spacing = 1.0

    label = _paragraph_style(doc, FORM_LABEL_STYLE, TABLE_TEXT_STYLE)
    _fonts(label, sheet.heading_east_asian, sheet.heading_latin, 10.5)

    entry = _paragraph_style(doc, FORM_ENTRY_STYLE, TABLE_TEXT_STYLE)
    _fonts(entry, sheet.body_east_asian, sheet.body_latin, 10.5)

    if REF_CODE_STYLE not in [s.name for s in doc.styles]:
        ref = doc.styles.add_style(REF_CODE_STYLE, WD_STYLE_TYPE.CHARACTER)
        ref.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        ref.font.size = Pt(max(sheet.body_size_pt - 1.5, 8))


def _paragraph_style(doc: Document, name: str, base: str) -> ParagraphStyle:
    if name in [s.name for s in doc.styles]:
        return doc.styles[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style


def _reset(style: BaseStyle) -> None:
    """Drop inherited colours, borders and spacing from a template style."""
    rpr = style.element.find(qn("w:rPr"))
    if rpr is not None:
        for tag in ("color", "u", "spacing", "kern", "i", "iCs"):
            node = rpr.find(qn(f"w:{tag}"))
            if node is not None:
                rpr.remove(node)
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for tag in ("pBdr", "contextualSpacing", "spacing"):
            node = ppr.find(qn(f"w:{tag}"))
            if node is not None:
                ppr.remove(node)


def _fonts(style: BaseStyle, east_asian: str, latin: str, size_pt: float, bold: bool | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, east_asian, latin)
    set_size(rpr, size_pt)
    if bold is not None:
        child(rpr, "b", RPR, {"val": "1" if bold else "0"})
        child(rpr, "bCs", RPR, {"val": "1" if bold else "0"})
