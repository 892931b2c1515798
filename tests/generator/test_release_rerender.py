"""Every released revision, rendered now from the inputs it recorded, against its released file.

A release is published as its released bytes (`build`), never re-rendered. These tests say how
far today's generator is from each released file, so that a generator change which alters what
a released revision says cannot go unnoticed:

- a released procedure, and a form released since the present form layout, is its released file
  byte for byte, or differs in layout only (row heights, the number of blank rows a table leaves
  for writing): the same text, numbering, fields, content controls and tables;
- a form released with the first form layout (the A/0 set of 2025-03-25) differs in content too,
  as listed in `FIRST_LAYOUT`; the test checks the list is still true.

That the direct writer writes what python-docx writes, for every release snapshot, is
`test_direct`'s; that a released procedure is its released file, `test_signature_block`'s.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from lxml import etree

from qmsdoc.generator.render import render_document
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml")
ROW_INDEX = re.compile(r"\.\d+\.")
NUMBER = re.compile(r"^\d+$")

Rerendered = tuple[str, str, dt.date, bool, bytes, bytes]
"""(document, revision, released on, is a form, today's render, released file)."""

FIRST_LAYOUT = dt.date(2025, 3, 25)
"""Forms released on this day were laid out before the present form layout: the title was a paragraph
of the body, the instructions did not say which entries are required, the footer was one line, and a
multiple choice was one control. Each of them differs from today's render in text and controls."""


def _row(tr: etree._Element) -> tuple[Any, ...]:
    """A table row as content: its cells' texts and the controls they hold, without the row's number (in
    its cell's text, or in its controls' tags)."""
    return tuple((NUMBER.sub("n", "".join(map(str, tc.itertext()))),
                  tuple(ROW_INDEX.sub(".n.", t.get(f"{W}val", "")) for t in tc.iter(f"{W}tag")))
                 for tc in tr.iter(f"{W}tc"))


def _table(tbl: etree._Element) -> tuple[Any, ...]:
    """A table as content: its columns, and its rows with each run of identical rows (the blank rows
    left for writing) as one."""
    rows: list[tuple[Any, ...]] = []
    for tr in tbl.findall(f"{W}tr"):
        row = _row(tr)
        if not rows or rows[-1] != row:
            rows.append(row)
    grid = tbl.find(f"{W}tblGrid")
    return (len(grid) if grid is not None else 0, tuple(rows))


def content(data: bytes) -> dict[str, Any]:
    """What a document says, part by part: paragraphs outside tables, tables, fields, numbering and the
    controls outside tables; not how it is laid out."""
    out: dict[str, Any] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in PARTS:
            root = etree.fromstring(z.read(name))
            outside = [p for p in root.iter(f"{W}p") if next(p.iterancestors(f"{W}tbl"), None) is None]
            out[name] = {
                "text": ["".join(map(str, p.itertext())) for p in outside],
                "controls": [t.get(f"{W}val") for p in outside for t in p.iter(f"{W}tag")],
                "tables": [_table(t) for t in root.iter(f"{W}tbl") if next(t.iterancestors(f"{W}tbl"), None) is None],
                "fields": [t.text for t in root.iter(f"{W}instrText")] + [f.get(f"{W}instr") for f in root.iter(f"{W}fldSimple")],
                "numbering": [tuple(n.get(f"{W}val") for n in numpr) for numpr in root.iter(f"{W}numPr")],
            }
    return out


@pytest.fixture(scope="module")
def rerendered(project: Project, labels: Labels) -> list[Rerendered]:
    """(document, revision, released on, is a form, today's render, released file) for every release."""
    out = []
    for doc_id, releases in sorted(project.releases.items()):
        for release in releases:
            now = render_document(project, load_snapshot(project, release), labels, frozen=release.inputs)
            out.append((doc_id, release.revision, release.released_on, doc_id in project.forms, now,
                        (project.root / release.docx_path).read_bytes()))
    return out


def test_every_release_since_the_present_layout_says_what_its_released_file_says(
        rerendered: list[Rerendered]) -> None:
    checked = identical = 0
    for doc_id, revision, released_on, is_form, now, released in rerendered:
        if is_form and released_on == FIRST_LAYOUT:
            continue
        checked += 1
        if now == released:
            identical += 1
            continue
        assert content(now) == content(released), (doc_id, revision)
    assert checked >= 100 and identical >= 80, (checked, identical)


def test_the_forms_of_the_first_layout_are_the_ones_that_say_more_now(
        rerendered: list[Rerendered]) -> None:
    first = [(doc_id, revision, now, released) for doc_id, revision, released_on, is_form, now, released in rerendered
             if is_form and released_on == FIRST_LAYOUT]
    assert len(first) >= 70
    for doc_id, revision, now, released in first:
        said_now, said_then = content(now), content(released)
        assert said_now != said_then, f"{doc_id} {revision} renders as released: FIRST_LAYOUT is out of date"
        # what changed is the layout of the form's head and notes, never the form's own entries
        assert said_now["word/header1.xml"]["fields"] == said_then["word/header1.xml"]["fields"], doc_id


def test_content_tells_a_changed_word_from_a_changed_layout(
        rerendered: list[Rerendered]) -> None:
    """The comparison would catch a change of what a document says: a word, a control, a field."""
    doc_id, _, _, _, now, _ = next(r for r in rerendered if r[3] and r[2] != FIRST_LAYOUT)
    base = content(now)
    for old, new in ((b"<w:tag w:val=\"", b"<w:tag w:val=\"x"), (b"PAGE", b"DATE"), (b"\xe5\xa1\xab", b"\xe5\x86\x99")):
        edited = _edit(now, old, new)
        assert content(edited) != base, (doc_id, old)
    assert content(_edit(now, b'w:hRule="atLeast"', b'w:hRule="exact"')) == base


def _edit(data: bytes, old: bytes, new: bytes) -> bytes:
    """`data` with the first `old` in its main document (or its footer) replaced by `new`."""
    out = io.BytesIO()
    done = False
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if not done and info.filename in PARTS and old in body:
                body, done = body.replace(old, new, 1), True
            dst.writestr(info, body)
    assert done, old
    return out.getvalue()
