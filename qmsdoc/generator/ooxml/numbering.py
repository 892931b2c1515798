"""Word numbering definitions (numbering.xml) from the model's clause numbering.

One abstract definition per numbering instance: the heading outline (nine levels, so
4.2.3.1 comes from %1.%2.%3.%4) and each ordered list (its one level), so every list
restarts where the source starts it, in Word and in LibreOffice alike.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from qmsdoc.generator.ooxml.xml import el
from qmsdoc.model.numbering import FORMATS


class NumberingBuilder:
    """Adds numbering instances to a document and hands out their numIds."""

    def __init__(self, doc: Document):
        self._numbering = doc.part.numbering_part.element
        for node in list(self._numbering):  # start from a clean part: only our definitions
            self._numbering.remove(node)
        self._ids: dict[str, int] = {}

    def num_id(self, key: str, formats: tuple[str, ...], start: int, *, heading: bool,
               first_line_twips: int) -> int:
        """The numId of instance `key`, defining it the first time it is asked for."""
        if key in self._ids:
            return self._ids[key]
        ident = len(self._ids) + 1
        abstract = el("w:abstractNum", {"abstractNumId": str(ident)})
        abstract.append(el("w:multiLevelType", {"val": "multilevel" if heading else "singleLevel"}))
        for level, name in enumerate(formats):
            abstract.append(self._level(level, name, start if level == 0 else 1, heading,
                                        formats, first_line_twips))
        first_num = self._numbering.find(qn("w:num"))
        if first_num is None:
            self._numbering.append(abstract)
        else:
            first_num.addprevious(abstract)
        num = el("w:num", {"numId": str(ident)}, el("w:abstractNumId", {"val": str(ident)}))
        self._numbering.append(num)
        self._ids[key] = ident
        return ident

    @staticmethod
    def _level(level: int, name: str, start: int, heading: bool, formats: tuple[str, ...],
               first_line_twips: int) -> etree._Element:
        fmt = FORMATS[name]
        if fmt.joiner is None:  # decimal outline: %1.%2…
            text = ".".join(f"%{k + 1}" for k in range(level + 1)) if heading else f"%{level + 1}"
        else:
            text = fmt.text.replace("{n}", f"%{level + 1}")
        lvl = el("w:lvl", {"ilvl": str(level)})
        lvl.append(el("w:start", {"val": str(start)}))
        lvl.append(el("w:numFmt", {"val": fmt.word_fmt}))
        lvl.append(el("w:suff", {"val": fmt.suffix}))
        lvl.append(el("w:lvlText", {"val": text}))
        lvl.append(el("w:lvlJc", {"val": "left"}))
        indent = {"left": "0", "firstLine": "0" if heading else str(first_line_twips)}
        lvl.append(el("w:pPr", {}, el("w:ind", indent)))
        return lvl
