"""The parts every controlled document shares, prepared once and reused: the package skeleton.

A document's styles, settings, theme, font table, web settings, content types and relationships
do not depend on what it says, only on the site's look (fonts, paper, margins, orientation) and
on whether it carries a manifest. `Skeleton.of` takes them from a body-less document written
once through python-docx (its default template, restyled: `styles.use_styles`); every document
after that copies their bytes and writes only its own parts: the body, the header and footer,
the numbering, the core and app properties and the manifest. Preparing a skeleton costs about
as much as one document through python-docx, once per process and look; nothing is kept on disk.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from qmsdoc.generator.ooxml.package import app_properties, manifest_parts, write_zip

DOCUMENT, HEADER, FOOTER, NUMBERING, CORE = ("word/document.xml", "word/header1.xml", "word/footer1.xml",
                                             "word/numbering.xml", "docProps/core.xml")
_OWN = (DOCUMENT, HEADER, FOOTER, NUMBERING, CORE, "docProps/app.xml", "customXml/item1.xml",
        "customXml/itemProps1.xml", "docProps/custom.xml")
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


@dataclass(frozen=True)
class Parts:
    """A document's own parts, as elements, ready to be filled in: copies of the skeleton's."""

    document: etree._Element
    """w:document whose w:body holds only its w:sectPr."""
    header: etree._Element
    """w:hdr with its one (Header-styled) paragraph."""
    footer: etree._Element
    """w:ftr with its one (Footer-styled) paragraph."""
    numbering: etree._Element
    """An empty w:numbering."""
    core: etree._Element
    """An empty cp:coreProperties."""


class Skeleton:
    """The shared parts of one look, as bytes, and fresh copies of the parts each document writes."""

    def __init__(self, data: bytes, manifest: bool):
        """From the .docx bytes of a body-less document with a header and a footer of its own,
        core properties, and (`manifest`) a manifest."""
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = {name: z.read(name) for name in z.namelist()}
        missing = [n for n in _OWN[:6] + (_OWN[6:] if manifest else ()) if n not in members]
        if missing:
            raise ValueError(f"not a document skeleton: {', '.join(missing)} missing")
        self.manifest = manifest
        self.fixed = {n: b for n, b in members.items() if n not in _OWN}
        self._parts = Parts(*(etree.fromstring(members[n], _PARSER) for n in (DOCUMENT, HEADER, FOOTER,
                                                                              NUMBERING, CORE)))
        body = self._parts.document[0]
        for node in list(body)[:-1]:
            body.remove(node)
        core = self._parts.core
        for node in list(core):
            core.remove(node)

    def parts(self) -> Parts:
        """Fresh copies of the parts a document writes itself."""
        p = self._parts
        return Parts(copy.deepcopy(p.document), copy.deepcopy(p.header), copy.deepcopy(p.footer),
                     copy.deepcopy(p.numbering), copy.deepcopy(p.core))

    def write(self, parts: Parts, company: str, manifest: Mapping[str, str] | None) -> bytes:
        """The .docx bytes: the shared parts as prepared, `parts` serialised as python-docx
        serialises a part, the app properties naming `company`, and the `manifest` parts."""
        if (manifest is not None) != self.manifest:
            raise ValueError("the skeleton was prepared " + ("with" if self.manifest else "without") + " a manifest")
        members = dict(self.fixed)
        for name, root in ((DOCUMENT, parts.document), (HEADER, parts.header), (FOOTER, parts.footer),
                           (NUMBERING, parts.numbering), (CORE, parts.core)):
            members[name] = etree.tostring(root, encoding="UTF-8", standalone=True)
        members["docProps/app.xml"] = app_properties(company)
        if manifest is not None:
            members.update(manifest_parts(manifest))
        return write_zip(members)


_CORE_TEXTS = (("title", _DC), ("identifier", _DC), ("version", _CP), ("contentStatus", _CP), ("language", _DC),
               ("creator", _DC), ("lastModifiedBy", _CP), ("subject", _DC), ("keywords", _CP), ("category", _CP))


def fill_core_properties(core: etree._Element, *, title: str, identifier: str, version: str, status: str,
                         language: str, author: str, created: dt.date, modified: dt.date, subject: str = "",
                         keywords: str = "", category: str = "") -> None:
    """The core properties `package.set_core_properties` writes, in its order, into an empty
    cp:coreProperties."""
    values = (title, identifier, version, status, language, author, author, subject, keywords, category)
    for (name, ns), value in zip(_CORE_TEXTS, values, strict=True):
        if len(value) > 255:
            raise ValueError(f"exceeded 255 char limit for property, got: '{value}'")
        etree.SubElement(core, f"{{{ns}}}{name}").text = value
    etree.SubElement(core, f"{{{_CP}}}revision").text = "1"
    for name, day in (("created", created), ("modified", modified)):
        node = etree.SubElement(core, f"{{{_DCTERMS}}}{name}")
        node.text = dt.datetime.combine(day, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
        node.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
