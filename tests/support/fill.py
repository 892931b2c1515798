"""Fill a blank form programmatically the way Word stores what a person types."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

from lxml import etree

from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.entries import option_tag, row_tag, yes_no_tags

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


TZ = dt.timezone(dt.timedelta(hours=8))


def sample(f: Field, tag: str, n: int) -> tuple[dict[str, Any], Any]:
    """(what is typed into the entry `tag`'s controls, by tag; the value extract must return) for a field."""
    kind = f.type
    if kind == FieldType.DATE:
        day = dt.date(2025, 5, 1 + n % 27)
        return {tag: day}, day
    if kind == FieldType.DATETIME:
        return {tag: f"2025-05-0{1 + n % 8} 14:3{n % 10}"}, dt.datetime(2025, 5, 1 + n % 8, 14, 30 + n % 10, tzinfo=TZ)
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        return {tag: f"1,2{n}0.5"}, Decimal(f"12{n}0.5")
    if kind == FieldType.CHECKBOX:
        return {yes_no_tags(tag)[0]: True}, True
    if kind == FieldType.CHOICE:
        option = f.options[n % len(f.options)]
        return {option_tag(tag, option.value): True}, option.value
    if kind == FieldType.MULTILINE:
        return {tag: f"第一行{n}\n第二行"}, f"第一行{n}\n第二行"
    return {tag: f"值{f.id}{n}"}, f"值{f.id}{n}"


def fill_plan(form: Form) -> tuple[dict[str, Any], dict[str, Any]]:
    typed: dict[str, Any] = {}
    expected: dict[str, Any] = {}
    for n, f in enumerate(x for s in form.sections for x in s.fields):
        if f.type == FieldType.SIGNATURE:
            name, date = f"签名{n}", dt.date(2025, 6, 1 + n % 27)
            typed[f"{f.id}.name"], typed[f"{f.id}.date"] = name, date
            expected[f.id] = {"name": name, "date": date}
        elif f.type == FieldType.MULTICHOICE:
            chosen = [o.value for o in f.options[::2]]
            typed.update({f"{f.id}.{v}": True for v in chosen})
            expected[f.id] = chosen
        elif f.type == FieldType.TABLE:
            rows = []
            for r in (1, 2):
                row = {}
                for k, c in enumerate(f.columns):
                    put, want = sample(c, row_tag(f.id, r, c.id), n + r + k)
                    typed.update(put)
                    row[c.id] = want
                rows.append(row)
            expected[f.id] = rows
        else:
            put, want = sample(f, f.id, n)
            typed.update(put)
            expected[f.id] = want
    return typed, expected


