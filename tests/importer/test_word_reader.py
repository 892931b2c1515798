"""The one Word reader (`importer/word.py`) as both importers see it: the procedure import's
blocks and the form import's view (`form_view.py`) of the same hand-written WordprocessingML."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from qmsdoc.importer.form_view import Table, form_view
from qmsdoc.importer.word import WordFileError, WordParagraph, WordTable, read_word

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"')


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(inner: str, ppr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr>{inner}</w:p>"


def _tc(inner: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{inner}</w:tc>"


def _sdt(pr: str, text: str) -> str:
    return f"<w:sdt><w:sdtPr>{pr}</w:sdtPr><w:sdtContent>{_r(text)}</w:sdtContent></w:sdt>"


def _docx(body: str, replace: dict[str, bytes] | None = None) -> bytes:
    """A python-docx package whose document body is `body` (and other parts replaced)."""
    base = io.BytesIO()
    docx.Document().save(base)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>'
    parts = {"word/document.xml": xml.encode(), **(replace or {})}
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, parts.get(item.filename, src.read(item)))
    return out.getvalue()


BOX = '<w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>'
TABLE = "".join([
    "<w:tbl><w:tblPr/><w:tblGrid/>",
    '<w:tr><w:trPr><w:trHeight w:val="600"/></w:trPr>' + _tc(_p(_r("结论"))) + _tc(_p(BOX + _r("合格") + BOX + _r("不合格")))
    + "</w:tr>",
    '<w:tr><w:trPr><w:del w:id="1" w:author="a"/></w:trPr>' + _tc(_p(_r("deleted row"))) + _tc(_p("")) + "</w:tr>",
    "<w:tr>" + _tc(_p(_r("日期"))) + _tc(_p(_sdt('<w:tag w:val="when"/><w:date/>', "")), '<w:gridSpan w:val="999"/>')
    + "</w:tr>",
    "<w:tr>" + _tc(_p(_r("意见"))) + _tc(_p(_sdt('<w:tag w:val="note"/><w:text w:multiLine="1"/>', "x"))
                                           + "<w:tbl><w:tr>" + _tc(_p(_sdt('<w:tag w:val="inner"/>', "in"))) + "</w:tr></w:tbl>")
    + "</w:tr>",
    "</w:tbl>",
])
BODY = _p(_r("基本信息"), '<w:shd w:val="clear" w:fill="D9D9D9"/>') + _p(_r("plain"), '<w:shd w:fill="FFFFFF"/>') + TABLE


def test_both_importers_read_the_same_rows_and_cells() -> None:
    doc = read_word(_docx(BODY))
    table = doc.body[2]
    assert isinstance(table, WordTable)
    assert [[c.text for c in row] for row in table.rows] == [["结论", "¨合格¨不合格"], ["日期", ""],
                                                               ["意见", "x\nin"]]
    assert (table.notes[0].place, table.notes[0].what) == ("table 1 after row 1",
                                                           "a row deleted as a tracked change: not kept")
    assert table.rows[1][1].span == 1  # a span past Word's 63 columns is not believed
    assert table.heights == (600, None, None)
    form = form_view(doc)
    shown = form.body[2]
    assert isinstance(shown, Table)
    assert [[c.text for c in row.cells] for row in shown.rows] == [["结论", "□合格□不合格"], ["日期", ""],
                                                                    ["意见", "x"]]
    assert [row.height for row in shown.rows] == [600, None, None]
    assert [(c.tag, c.kind, c.multiline) for c in shown.rows[1].cells[1].controls] == [("when", "date", False)]
    note = shown.rows[2].cells[1]
    assert [(c.tag, c.multiline) for c in note.controls] == [("note", True)]  # not the nested table's
    assert note.nested


def test_shading_and_symbols_are_kept_for_the_form_and_runs_stay_whole_for_the_procedure() -> None:
    doc = read_word(_docx(BODY))
    bar, plain = doc.body[0], doc.body[1]
    assert isinstance(bar, WordParagraph) and isinstance(plain, WordParagraph)
    assert (bar.shaded, plain.shaded) == (True, False)
    form = form_view(doc)
    assert [(p.text, p.shaded) for p in form.body[:2] if not isinstance(p, Table)] == [("基本信息", True),
                                                                                        ("plain", False)]
    cell = next(c for c in doc.paragraphs() if "合格" in c.text)
    assert [r.text for r in cell.runs] == ["¨合格¨不合格"]
    assert [r.symbol for r in cell.pieces] == ["F0A8", None, "F0A8", None]


def test_a_part_with_a_dtd_is_refused() -> None:
    data = _docx(BODY)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    header = next((n for n in names if n.startswith("word/header")), None)
    part = header or "word/styles.xml"
    hostile = _docx(BODY, {part: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><w:hdr ' + NS.encode()
                           + b"><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:hdr>"})
    with pytest.raises(WordFileError) as caught:
        read_word(hostile, source="hostile.docx")
    assert caught.value.message.startswith("hostile.docx: ") and caught.value.hint
