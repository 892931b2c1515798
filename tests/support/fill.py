"""Fill a blank form programmatically the way Word stores what a person types."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _run(text: str) -> etree._Element:
    r = etree.Element(_w("r"))
    t = etree.SubElement(r, _w("t"))
    t.text = text
    return r


def fill_docx(data: bytes, values: dict[str, object], *, split_runs: bool = True,
              proofing: bool = True, tracked: bool = False) -> bytes:
    """Set control values by tag.

    Text is split over several runs (Word does that on every edit), a proofing mark is put
    between them, and with `tracked` the text is written as a tracked insertion after a
    tracked deletion of other text. Dates set w:fullDate; booleans set w14:checked.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    for sdt in root.iter(_w("sdt")):
        pr = sdt.find(_w("sdtPr"))
        tag = pr.find(_w("tag")).get(_w("val"))
        if tag not in values:
            continue
        value = values[tag]
        content = sdt.find(_w("sdtContent"))
        box = pr.find(f"{{{W14}}}checkbox")
        if box is not None:
            box.find(f"{{{W14}}}checked").set(f"{{{W14}}}val", "1" if value else "0")
            content.find(f".//{_w('t')}").text = "\u2612" if value else "\u2610"
            continue
        placeholder = pr.find(_w("showingPlcHdr"))
        if placeholder is not None:
            pr.remove(placeholder)
        date = pr.find(_w("date"))
        if date is not None and isinstance(value, dt.date):
            date.set(_w("fullDate"), f"{value.isoformat()}T00:00:00Z")
            text = value.isoformat()
        else:
            text = str(value)
        for child in list(content):
            content.remove(child)
        pieces = [text[: len(text) // 2], text[len(text) // 2:]] if split_runs and len(text) > 1 else [text]
        target = content
        if tracked:
            deleted = etree.SubElement(content, _w("del"), {_w("id"): "9001", _w("author"): "staff"})
            dr = etree.SubElement(deleted, _w("r"))
            etree.SubElement(dr, _w("delText")).text = "旧值"
            target = etree.SubElement(content, _w("ins"), {_w("id"): "9002", _w("author"): "staff"})
        for k, piece in enumerate(pieces):
            if k and proofing:
                etree.SubElement(target, _w("proofErr"), {_w("type"): "spellStart"})
            if "\n" in piece:
                r = etree.SubElement(target, _w("r"))
                for j, line in enumerate(piece.split("\n")):
                    if j:
                        etree.SubElement(r, _w("br"))
                    etree.SubElement(r, _w("t")).text = line
            else:
                target.append(_run(piece))
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    return out.getvalue()
