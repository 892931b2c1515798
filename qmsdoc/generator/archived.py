"""A released .docx → its archive copy: the released file itself, marked as no longer in force.

A superseded or withdrawn revision is archived as what was released, not as a new rendering:
the released bytes, with the 作废 / SUPERSEDED banner in the header of every page, the status in
the document properties, and the footer's 受控文件 (controlled copy) mark replaced, since the copy
is no longer controlled. Nothing else in it changes.

The copy is made on the package's parts, not through python-docx (which would read and write
every part of the file again): only the headers, the footers and the core properties are parsed,
changed and written back, every other part keeps its bytes. The result is the file python-docx
made of it (`tests/generator/test_direct.py` compares the two on every bundled release).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from qmsdoc.generator.document import BANNER_COLOUR
from qmsdoc.generator.ooxml import package, wordml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_MAIN = "word/document.xml"
_CORE = "docProps/core.xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def archived_copy(released: bytes, banner: str, status: str, east_asian: str,
                  controlled: tuple[str, str] | None = None) -> bytes:
    """`released` with `banner` (in `east_asian`, the heading font) on every page and `status`
    (superseded or obsolete) as its content status; `controlled`: the controlled-copy mark as
    printed, and what it becomes."""
    with zipfile.ZipFile(io.BytesIO(released)) as z:
        members = {info.filename: z.read(info) for info in z.infolist()}
    document = etree.fromstring(members[_MAIN], _PARSER)
    targets = _targets(members.get("word/_rels/document.xml.rels"))
    changed: dict[str, etree._Element] = {}

    def part(r_id: str) -> etree._Element:
        name = posixpath.normpath(posixpath.join("word", targets[r_id]))
        if name not in changed:
            changed[name] = etree.fromstring(members[name], _PARSER)
        return changed[name]

    for sect_pr in document.iter(f"{_W}sectPr"):
        header_id = _reference(sect_pr, "header")
        if header_id is None:  # linked to the previous section's header
            continue
        header = part(header_id)
        paragraphs = header.findall(f"{_W}p")
        paragraph = paragraphs[-1] if paragraphs else wordml.paragraph(header)
        for node in list(paragraph):
            if node.tag != f"{_W}pPr":
                paragraph.remove(node)
        wordml.style_run(wordml.run(paragraph, banner), bold=True, size_pt=12, color=BANNER_COLOUR,
                         east_asian=east_asian)
        footer_id = _reference(sect_pr, "footer")
        if controlled is not None and footer_id is not None:
            old, new = controlled
            for p in part(footer_id).findall(f"{_W}p"):
                for t in p.iter(f"{_W}t"):
                    if t.text and old in t.text:
                        t.text = t.text.replace(old, new)
    core = etree.fromstring(members[_CORE], _PARSER)
    content_status = core.find(f"{_CP}contentStatus")
    if content_status is None:
        content_status = etree.SubElement(core, f"{_CP}contentStatus")
    content_status.text = status
    changed[_CORE] = core
    for name, root in changed.items():
        members[name] = etree.tostring(root, encoding="UTF-8", standalone=True)
    return package.write_zip(members)


def _targets(rels: bytes | None) -> dict[str, str]:
    """Relationship id → target, from the main document's relationships."""
    if rels is None:
        return {}
    return {rel.get("Id", ""): rel.get("Target", "") for rel in etree.fromstring(rels, _PARSER).iter(_REL)}


def _reference(sect_pr: etree._Element, kind: str) -> str | None:
    """The relationship id of a section's default header or footer (None: it has none of its own)."""
    for ref in sect_pr.iterchildren(f"{_W}{kind}Reference"):
        if ref.get(f"{_W}type") == "default":
            return ref.get(_R_ID)
    return None
