"""Many copies of one block of body content, filled in and written straight into the package.

A document of thousands of like blocks (a nonconformity sheet per finding) is slow and large
when every block is built through python-docx: each paragraph and table added to the body
looks for the body's section properties from the start, each cell takes dozens of lookups,
and the whole tree is held in memory and serialised at once. Instead, the block is built
once through the usual API with `slot(name)` as the text of each run that varies, and taken
out of the body as a `Template`. Each copy is a deep copy with its slots filled, serialised
on its own; `save_streamed` writes the document with the copies, in order, where
`splice_point` was put, so only one copy is in memory at a time.

Filling a slot gives what `ControlledDocument.cell_text` gives for the same text: one run per
line with the slot run's properties, a break after every line but the last, and whatever
followed the slot's text in its run after the last line.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence

from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from qmsdoc.generator.ooxml.package import save_reproducible

DOCUMENT_PART = "word/document.xml"
SPLICE_NS = "urn:qmsdoc:splice"
_SLOT_OPEN, _SLOT_CLOSE = "\ue000", "\ue001"  # private-use characters: never in a label or a value
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_T, _R, _RPR, _BR, _TAB = (f"{{{W}}}{tag}" for tag in ("t", "r", "rPr", "br", "tab"))
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TAB_OR_CR = re.compile("([\t\r])")


def slot(name: str) -> str:
    """The text that marks a run as the slot `name` when a template is built."""
    return f"{_SLOT_OPEN}{name}{_SLOT_CLOSE}"


class Template:
    """Body blocks (paragraphs and tables) taken out of their document, to be copied and filled."""

    def __init__(self, blocks: Sequence[Paragraph | Table]):
        """Take `blocks` (one or more, in order) out of the body of their document."""
        self._elements = [b._p if isinstance(b, Paragraph) else b._tbl for b in blocks]
        self._nsmap = self._elements[0].getroottree().getroot().nsmap  # so that copies declare nothing
        for element in self._elements:
            if (body := element.getparent()) is not None:
                body.remove(element)

    def render(self, texts: Mapping[str, str]) -> bytes:
        """A filled copy as UTF-8 WordprocessingML, ready to stand in the body; `texts` has a text
        for every slot, and may hold only characters XML can carry."""
        holder = etree.Element(f"{{{W}}}body", nsmap=self._nsmap)  # type: ignore[arg-type]
        for element in self._elements:
            holder.append(copy.deepcopy(element))
        slots = [(r, t) for r in holder.iter(_R) if (t := r.find(_T)) is not None and _slot_name(t.text)]
        for run, t in slots:  # all found before any is filled: no text becomes a slot
            _fill(run, t, texts[_slot_name(t.text)])
        xml = etree.tostring(holder, encoding="UTF-8")
        return xml[xml.index(b">") + 1:xml.rindex(b"</")]


def _slot_name(text: str | None) -> str:
    if text and text.startswith(_SLOT_OPEN) and text.endswith(_SLOT_CLOSE):
        return text[1:-1]
    return ""


def _fill(run: etree._Element, t: etree._Element, text: str) -> None:
    """Put `text` in place of the slot text `t` of `run`, as cell_text writes it: a run per line."""
    props = run.find(_RPR)
    lines = text.split("\n")
    for line in lines[:-1]:
        r = _run(props, line)
        etree.SubElement(r, _BR)
        run.addprevious(r)
    for node in list(_run(None, lines[-1])):
        t.addprevious(node)
    run.remove(t)


def _run(props: etree._Element | None, text: str) -> etree._Element:
    """A new run with a copy of `props` and `text` as python-docx writes it: a tab as w:tab, a
    carriage return as w:br, and the text between in w:t (spaces kept at either end)."""
    r = etree.Element(_R, nsmap={"w": W})
    if props is not None:
        r.append(copy.deepcopy(props))
    for piece in _TAB_OR_CR.split(text):
        if piece in ("\t", "\r"):
            etree.SubElement(r, _TAB if piece == "\t" else _BR)
        elif piece:
            etree.SubElement(r, _T).text = piece
            if len(piece.strip()) < len(piece):
                r[-1].set(_SPACE, "preserve")
    return r


def splice_point(doc: Document) -> None:
    """Mark the end of the body as where `save_streamed` writes its blocks."""
    sect_pr = doc.element.body.find(f"{{{W}}}sectPr")
    marker = etree.Element(f"{{{SPLICE_NS}}}here", nsmap={"qmsdoc": SPLICE_NS})
    if sect_pr is None:
        doc.element.body.append(marker)
    else:
        sect_pr.addprevious(marker)


def save_streamed(doc: Document, blocks: Iterable[bytes]) -> bytes:
    """The .docx bytes, reproducible as `save_reproducible`, with `blocks` (serialised body
    content, e.g. from Template.render) written at the splice point as they come."""
    data = save_reproducible(doc)
    marker = b'<qmsdoc:here xmlns:qmsdoc="' + SPLICE_NS.encode() + b'"/>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type, member.external_attr = info.compress_type, info.external_attr
            member.create_system = info.create_system
            if info.filename != DOCUMENT_PART:
                dst.writestr(member, src.read(info), compresslevel=6)
                continue
            document = src.read(info)
            if document.count(marker) != 1:
                raise ValueError("save_streamed needs one splice_point in the document")
            before, after = document.split(marker)
            with dst.open(member, "w") as part:
                part.write(before)
                for block in blocks:
                    part.write(block)
                part.write(after)
    return out.getvalue()
