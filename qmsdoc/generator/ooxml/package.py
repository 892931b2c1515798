"""The package around the document: settings, properties, the manifest part, reproducible zip."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Mapping
from typing import NotRequired, TypedDict
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

from qmsdoc.generator.ooxml.xml import SETTINGS, child

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MANIFEST_NS = "urn:qmsdoc:manifest:1"
CT_CUSTOM_XML = "application/xml"
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_CUSTOM_PROPS = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
RT_CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_DROP_RELS = (RT.THUMBNAIL, RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def prune_template(doc: Document) -> None:
    """Drop the template's thumbnail, sample custom XML and stylesWithEffects parts."""
    for rels in (doc.part.package.rels, doc.part.rels):
        for r_id in [k for k, rel in rels.items() if rel.reltype in _DROP_RELS]:
            rels.pop(r_id)


def clear_body(doc: Document) -> None:
    """Remove the template's paragraphs from the body (the section properties stay)."""
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)


def configure_settings(doc: Document, latin_lang: str) -> None:
    """Valid, quiet settings: zoom with a percentage, no rsids, East Asian theme language."""
    settings = doc.settings.element
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None:
        zoom.attrib.clear()
        zoom.set(qn("w:percent"), "100")
    for tag in ("rsids", "attachedTemplate", "proofState"):
        node = settings.find(qn(f"w:{tag}"))
        if node is not None:
            settings.remove(node)
    child(settings, "themeFontLang", SETTINGS, {"val": latin_lang, "eastAsia": "zh-CN"})


class CoreProperties(TypedDict):
    """What a document says about itself in docProps/core.xml, all from its own sources."""

    title: str
    identifier: str
    version: str
    status: str
    language: str
    author: str
    created: dt.date
    modified: dt.date
    subject: NotRequired[str]
    keywords: NotRequired[str]
    category: NotRequired[str]


def set_core_properties(doc: Document, *, title: str, identifier: str, version: str,
                        status: str, language: str, author: str, created: dt.date,
                        modified: dt.date, subject: str = "", keywords: str = "",
                        category: str = "") -> None:
    """Core properties from the document's own data, never from the clock."""
    props = doc.core_properties
    element = props._element
    for node in list(element):
        element.remove(node)
    props.title = title
    props.identifier = identifier
    props.version = version
    props.content_status = status
    props.language = language
    props.author = author
    props.last_modified_by = author
    props.subject = subject
    props.keywords = keywords
    props.category = category
    props.revision = 1
    props.created = dt.datetime.combine(created, dt.time())
    props.modified = dt.datetime.combine(modified, dt.time())


def set_app_properties(doc: Document, company: str) -> None:
    """A minimal docProps/app.xml naming the generator instead of the template's stale counts."""
    for rel in doc.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_properties(company)


def add_manifest(doc: Document, attributes: Mapping[str, str]) -> None:
    """Trace a file back to its source: a custom XML part and the same data as custom properties.

    Word keeps custom XML parts with item properties; LibreOffice keeps custom document
    properties. Readers look in either.
    """
    package = doc.part.package
    parts = manifest_parts(attributes)
    item = Part(PackURI("/customXml/item1.xml"), CT_CUSTOM_XML, parts["customXml/item1.xml"], package)
    item_props = Part(PackURI("/customXml/itemProps1.xml"), CT_CUSTOM_XML_PROPS,
                      parts["customXml/itemProps1.xml"], package)
    item.relate_to(item_props, RT.CUSTOM_XML_PROPS)
    doc.part.relate_to(item, RT.CUSTOM_XML)
    custom_xml = parts["docProps/custom.xml"]
    custom = Part(PackURI("/docProps/custom.xml"), CT_CUSTOM_PROPS, custom_xml, package)
    package.relate_to(custom, RT_CUSTOM_PROPS)


def manifest_parts(attributes: Mapping[str, str]) -> dict[str, bytes]:
    """The manifest's parts by name: the custom XML item, its item properties and the custom
    document properties (see `add_manifest`)."""
    attrs = "".join(f' {k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in sorted(attributes.items()))
    item_xml = f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<manifest xmlns=\"{MANIFEST_NS}\"{attrs}/>"
    store_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, MANIFEST_NS + attrs)).upper() + "}"
    props_xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='no'?>\n"
        '<ds:datastoreItem ds:itemID="' + store_id + '" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{MANIFEST_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    )
    props = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="qmsdoc.{escape(k)}">'
        f'<vt:lpwstr>{escape(v)}</vt:lpwstr></property>'
        for pid, (k, v) in enumerate(sorted(attributes.items()), start=2)
    )
    custom_xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' + props + "</Properties>"
    )
    return {"customXml/item1.xml": item_xml.encode("utf-8"), "customXml/itemProps1.xml": props_xml.encode("utf-8"),
            "docProps/custom.xml": custom_xml.encode("utf-8")}


def app_properties(company: str) -> bytes:
    """docProps/app.xml: the generator and the company, nothing else."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>qmsdoc</Application><Company>{escape(company)}</Company></Properties>"
    ).encode()


def save_reproducible(doc: Document) -> bytes:
    """The .docx bytes, with a fixed member order, fixed timestamps and fixed compression."""
    raw = io.BytesIO()
    doc.save(raw)
    return normalise_zip(raw.getvalue())


def normalise_zip(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    return write_zip(members)


def write_zip(members: Mapping[str, bytes]) -> bytes:
    """A zip of `members` as `normalise_zip` writes one: content types and package relationships
    first, then the rest by name, every member with the same time stamp, mode and compression."""
    first = ["[Content_Types].xml", "_rels/.rels"]
    names = [n for n in first if n in members] + sorted(n for n in members if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, members[name], compresslevel=6)
    return out.getvalue()
