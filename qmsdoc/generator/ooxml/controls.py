"""Content controls (w:sdt): the entry cells of blank forms.

Every control is tagged with the field's stable id and titled with its label, locked
against deletion (sdtLocked), and shows blank space rather than a prompt, so the printed
blank form has empty cells. Tags: `field`, `field.name` / `field.date` for signatures,
`field.option` for multi-choice boxes, `table.row.column` for repeating tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.text.paragraph import Paragraph
from lxml import etree

from qmsdoc.generator.ooxml.xml import W14, el

BLANK = "\u3000" * 4
"""What an untouched text control shows: ideographic spaces, invisible when printed."""
CHECKED = "\u2612"
UNCHECKED = "\u2610"
CHECKBOX_FONT = "MS Gothic"


class ControlIds:
    """Hands out the w:id of each control: sequential, so output stays reproducible."""

    def __init__(self) -> None:
        self._next = 1000

    def next(self) -> int:
        self._next += 1
        return self._next


def _w14(tag: str, **attrs: str) -> etree._Element:
    node = etree.Element(f"{{{W14}}}{tag}", nsmap={"w14": W14})
    for key, value in attrs.items():
        node.set(f"{{{W14}}}{key}", value)
    return node


def _sdt_pr(tag: str, title: str, ident: int, *, placeholder: bool) -> etree._Element:
    pr = el("w:sdtPr")
    pr.append(el("w:alias", {"val": title[:255]}))
    pr.append(el("w:tag", {"val": tag}))
    pr.append(el("w:id", {"val": str(ident)}))
    pr.append(el("w:lock", {"val": "sdtLocked"}))
    if placeholder:
        pr.append(el("w:showingPlcHdr"))
    return pr


def _run(text: str, font: str | None = None) -> etree._Element:
    r = el("w:r")
    if font:
        rpr = el("w:rPr", {}, el("w:rFonts", {"ascii": font, "hAnsi": font, "eastAsia": font}))
        r.append(rpr)
    t = el("w:t", {"xml:space": "preserve"})
    t.text = text
    r.append(t)
    return r


def _append(paragraph: Paragraph, pr: etree._Element, content_runs: Sequence[etree._Element]) -> None:
    sdt = el("w:sdt", {}, pr)
    content = el("w:sdtContent")
    for r in content_runs:
        content.append(r)
    sdt.append(content)
    paragraph._p.append(sdt)


def add_text_control(paragraph: Paragraph, ids: ControlIds, tag: str, title: str,
                     multiline: bool = False) -> None:
    pr = _sdt_pr(tag, title, ids.next(), placeholder=True)
    pr.append(el("w:text", {"multiLine": "1"} if multiline else {}))
    _append(paragraph, pr, [_run(BLANK)])


def add_date_control(paragraph: Paragraph, ids: ControlIds, tag: str, title: str,
                     date_format: str) -> None:
    pr = _sdt_pr(tag, title, ids.next(), placeholder=True)
    date = el("w:date")
    date.append(el("w:dateFormat", {"val": date_format}))
    date.append(el("w:lid", {"val": "zh-CN"}))
    date.append(el("w:storeMappedDataAs", {"val": "dateTime"}))
    date.append(el("w:calendar", {"val": "gregorian"}))
    pr.append(date)
    _append(paragraph, pr, [_run(BLANK)])


def add_dropdown_control(paragraph: Paragraph, ids: ControlIds, tag: str, title: str,
                         options: Sequence[tuple[str, str]]) -> None:
    """A drop-down list; options are (stored value, shown label)."""
    pr = _sdt_pr(tag, title, ids.next(), placeholder=True)
    dd = el("w:dropDownList")
    for value, label in options:
        dd.append(el("w:listItem", {"displayText": label, "value": value}))
    pr.append(dd)
    _append(paragraph, pr, [_run(BLANK)])


def add_checkbox_control(paragraph: Paragraph, ids: ControlIds, tag: str, title: str) -> None:
    pr = _sdt_pr(tag, title, ids.next(), placeholder=False)
    box = _w14("checkbox")
    box.append(_w14("checked", val="0"))
    box.append(_w14("checkedState", val=f"{ord(CHECKED):04X}", font=CHECKBOX_FONT))
    box.append(_w14("uncheckedState", val=f"{ord(UNCHECKED):04X}", font=CHECKBOX_FONT))
    pr.append(box)
    _append(paragraph, pr, [_run(UNCHECKED, CHECKBOX_FONT)])
