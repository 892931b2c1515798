"""Validate every part of a .docx against the OOXML schemas kept in tests/schemas/ooxml/."""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from pathlib import Path

from lxml import etree

XSD_ROOT = Path(__file__).resolve().parents[1] / "schemas" / "ooxml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

SCHEMAS = {
    "wml": "microsoft/wml-2010.xsd",
    "content-types": "ecma/fouth-edition/opc-contentTypes.xsd",
    "relationships": "ecma/fouth-edition/opc-relationships.xsd",
    "app": "ISO-IEC29500-4_2016/shared-documentPropertiesExtended.xsd",
    "custom": "ISO-IEC29500-4_2016/shared-documentPropertiesCustom.xsd",
    "item-props": "ISO-IEC29500-4_2016/shared-customXmlDataProperties.xsd",
    "dml": "ISO-IEC29500-4_2016/dml-main.xsd",
}


@functools.cache
def schema(kind: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_ROOT / SCHEMAS[kind])))


def kind_of(name: str) -> str | None:
    if name == "[Content_Types].xml":
        return "content-types"
    if name.endswith(".rels"):
        return "relationships"
    if name == "docProps/core.xml":
        return None  # its schema imports Dublin Core from the web; tests check it by content
    if name == "docProps/app.xml":
        return "app"
    if name == "docProps/custom.xml":
        return "custom"
    if name.startswith("customXml/itemProps"):
        return "item-props"
    if name.startswith("customXml/"):
        return None  # our own manifest: no published schema
    if name.startswith("word/theme/"):
        return "dml"
    if name.startswith("word/") and name.endswith(".xml"):
        return "wml"
    return None


def strip_ignorable(root: etree._Element) -> etree._Element:
    """Remove what mc:Ignorable lists, as Word does before reading."""
    root = copy.deepcopy(root)
    ignorable = root.get(f"{{{MC}}}Ignorable")
    if not ignorable:
        return root
    uris = {root.nsmap.get(prefix) for prefix in ignorable.split()}
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace in uris and el.getparent() is not None:
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            if etree.QName(attr).namespace in uris:
                del el.attrib[attr]
    del root.attrib[f"{{{MC}}}Ignorable"]
    return root


def validate_docx(data: bytes) -> list[str]:
    """Every schema error of every part, as 'part:line: message'; empty when all valid."""
    errors = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            kind = kind_of(name)
            if kind is None:
                continue
            root = strip_ignorable(etree.fromstring(z.read(name)))
            root = etree.fromstring(etree.tostring(root))  # fresh line numbers are fine
            s = schema(kind)
            if not s.validate(root):
                errors.extend(f"{name}:{e.line}: {e.message}" for e in s.error_log)
    return errors
