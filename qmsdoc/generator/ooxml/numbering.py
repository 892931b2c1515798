"""Word numbering definitions (numbering.xml) from the model's clause numbering.

One abstract definition per numbering instance: the heading outline (nine levels, so
4.2.3.1 comes from %1.%2.%3.%4) and each ordered list (its one level), so every list
restarts where the source starts it, in Word and in LibreOffice alike.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from qmsdoc.generator.ooxml.wordml import numbering_level, sub
from qmsdoc.model.numbering import FORMATS


class NumberingBuilder:
    """Adds numbering instances to a document and hands out their numIds."""

    def __init__(self, doc: Document | etree._Element):
        """`doc`: a python-docx document, or the w:numbering element of a part being written."""
        self._numbering = doc.part.numbering_part.element if isinstance(doc, Document) else doc
        for node in list(self._numbering):  # start from a clean part: only our definitions
            self._numbering.remove(node)
        self._ids: dict[str, int] = {}

    def num_id(self, key: str, formats: tuple[str, ...], start: int, *, heading: bool,
               first_line_twips: int) -> int:
        """The numId of instance `key`, defining it the first time it is asked for."""
        if key in self._ids:
            return self._ids[key]
        ident = len(self._ids) + 1
        first_num = self._numbering.find(qn("w:num"))
        abstract = sub(self._numbering, "abstractNum", (("abstractNumId", str(ident)),))
        if first_num is not None:
            first_num.addprevious(abstract)
        sub(abstract, "multiLevelType", (("val", "multilevel" if heading else "singleLevel"),))
        for level, name in enumerate(formats):
            self._level(abstract, level, name, start if level == 0 else 1, heading, first_line_twips)
        sub(sub(self._numbering, "num", (("numId", str(ident)),)), "abstractNumId", (("val", str(ident)),))
        self._ids[key] = ident
        return ident

    @staticmethod
    def _level(abstract: etree._Element, level: int, name: str, start: int, heading: bool,
               first_line_twips: int) -> None:
        fmt = FORMATS[name]
        if fmt.joiner is None:  # decimal outline: %1.%2…
            text = ".".join(f"%{k + 1}" for k in range(level + 1)) if heading else f"%{level + 1}"
        else:
            text = fmt.text.replace("{n}", f"%{level + 1}")
        indent = (("left", "0"), ("firstLine", "0" if heading else str(first_line_twips)))
        numbering_level(abstract, level, start, fmt.word_fmt, fmt.suffix, text, indent)
