"""Procedure bodies: tables, bold and italic, soft line breaks and references, from Markdown to Word."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qmsdoc.errors import Diagnostics, Location, SourceError
from qmsdoc.generator.render import render_document
from qmsdoc.load.body import parse_body
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.body import Block, Inline, Paragraph, Ref, Table, Text
from qmsdoc.model.documents import ListNumbering, Procedure
from qmsdoc.model.project import Project

from conftest import make_project
from support.sources import body_line, form_text, front_matter, procedure_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROC, OTHER, FORM = "SJE/ZY/GK-90", "SJE/ZY/GK-91", "SJE/JL/GK-90-01"
PATH = "procedures/T.md"

FRONT = front_matter(forms=[FORM], params={"days": 10})
BODY_LINE = body_line(FRONT)
"""The file line of the body's first line."""

OTHER_PROC = procedure_text("1. 被引用的条款。\n", id=OTHER, title="引用制度")

FORM_YAML = form_text("- {id: record_no, label: 编号, type: text}\n", title="生产通知单")

LIST = "1. 第一条的内容。\n"
"""Every body ends with this list: the form's clause 第一条."""


def files(body: str) -> dict[str, str]:
    return {PATH: FRONT + body + "\n" + LIST, "procedures/O.md": OTHER_PROC, "forms/F.yaml": FORM_YAML}


def load(tmp_path: Path, body: str) -> tuple[Project, Procedure]:
    project = load_project(make_project(tmp_path, files(body)))
    return project, project.procedures[PROC]


def problems(tmp_path: Path, body: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        load_project(make_project(tmp_path, files(body)))
    return [d.format().split("\n")[0] for d in info.value.diagnostics.sorted()]


def one(node: etree._Element, path: str) -> etree._Element:
    found = node.find(path)
    assert found is not None, path
    return found


def document_body(project: Project, proc: Procedure) -> etree._Element:
    data = render_document(project, proc, load_labels(project.site.language))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return one(etree.fromstring(z.read("word/document.xml")), f"{W}body")


def text_of(node: etree._Element) -> str:
    return "".join(t.text or "" for t in node.iter(f"{W}t"))


def paragraph_with(body: etree._Element, needle: str) -> etree._Element:
    [p] = [p for p in body.iter(f"{W}p") if needle in text_of(p)]
    return p


def runs(p: etree._Element) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) of each run; w:br shown as a new line."""
    out = []
    for r in p.iter(f"{W}r"):
        text = "".join("\n" if c.tag == f"{W}br" else (c.text or "") for c in r if c.tag in (f"{W}t", f"{W}br"))
        out.append((text, r.find(f"{W}rPr/{W}b") is not None, r.find(f"{W}rPr/{W}i") is not None))
    return out


def run_style(r: etree._Element) -> str | None:
    style = r.find(f"{W}rPr/{W}rStyle")
    return None if style is None else style.get(f"{W}val")


def cell_texts(inlines: tuple[Inline, ...]) -> str:
    return "".join(i.text if isinstance(i, Text) else f"<{i.target}>" for i in inlines)


def first(blocks: tuple[Block, ...], kind: type) -> Block:
    return next(b for b in blocks if isinstance(b, kind))


# -- tables -----------------------------------------------------------------------------------

TABLE = """\
| 项目 | **期限** | 负责 |
|---|---|---|
| 复印件 | {{ params.days }}天 | 见[[SJE/ZY/GK-91]] |
| *备注* | 无 |
"""


def test_a_table_keeps_its_header_row_and_cells_in_the_model(tmp_path: Path) -> None:
    _, proc = load(tmp_path, TABLE)
    table = first(proc.body, Table)
    assert isinstance(table, Table)
    assert [cell_texts(c) for c in table.header] == ["项目", "期限", "负责"]
    assert [[cell_texts(c) for c in row] for row in table.rows] == [
        ["复印件", "10天", f"见<{OTHER}>"],
        ["备注", "无", ""],  # a short row is filled up to the header's width
    ]
    assert table.header[1] == (Text("期限", bold=True),)
    assert table.rows[1][0] == (Text("备注", italic=True),)


def test_a_table_is_a_word_table_with_a_repeating_bold_shaded_header_row(tmp_path: Path) -> None:
    project, proc = load(tmp_path, TABLE)
    body = document_body(project, proc)
    [tbl] = [t for t in body.iter(f"{W}tbl") if "复印件" in text_of(t)]
    rows = tbl.findall(f"{W}tr")
    assert [[text_of(tc) for tc in tr.findall(f"{W}tc")] for tr in rows] == [
        ["项目", "期限", "负责"],
        ["复印件", "10天", "见《引用制度》（SJE/ZY/GK-91）"],
        ["备注", "无", ""],
    ]
    assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows] == [True, False, False]
    head = rows[0].findall(f"{W}tc")
    assert all(runs(one(tc, f"{W}p")) == [(text_of(tc), True, False)] for tc in head)
    assert {one(tc, f"{W}tcPr/{W}shd").get(f"{W}fill") for tc in head} == {"F2F2F2"}
    assert all(tc.find(f"{W}tcPr/{W}shd") is None for tr in rows[1:] for tc in tr.findall(f"{W}tc"))
    assert runs(one(rows[2], f"{W}tc/{W}p")) == [("备注", False, True)]


# -- bold, italic, line breaks ----------------------------------------------------------------

def test_bold_and_italic_become_run_properties(tmp_path: Path) -> None:
    project, proc = load(tmp_path, "这是**粗体**、*斜体*和***两者***，其余照常。\n")
    assert first(proc.body, Paragraph) == Paragraph((
        Text("这是"), Text("粗体", bold=True), Text("、"), Text("斜体", italic=True), Text("和"),
        Text("两者", bold=True, italic=True), Text("，其余照常。")))
    p = paragraph_with(document_body(project, proc), "这是")
    assert runs(p) == [("这是", False, False), ("粗体", True, False), ("、", False, False), ("斜体", False, True),
                       ("和", False, False), ("两者", True, True), ("，其余照常。", False, False)]


@pytest.mark.parametrize("source,shown", [
    ("第一行中文\n第二行中文。", "第一行中文第二行中文。"),  # Chinese lines join without a space
    ("English words\nwrapped here.", "English words wrapped here."),  # other lines join with one
    ("售后服务按ISO\n9001执行。", "售后服务按ISO 9001执行。"),
    ("按合同在10天内\nreturn the copy.", "按合同在10天内return the copy."),  # a Chinese side: no space
    ("The copy goes to\n企管部门。", "The copy goes to企管部门。"),
    ("**粗体**\n中文。", "粗体中文。"),
])
def test_a_single_newline_joins_the_lines_into_one_paragraph(tmp_path: Path, source: str, shown: str) -> None:
    project, proc = load(tmp_path, source + "\n")
    paragraphs = [b for b in proc.body if isinstance(b, Paragraph)]
    assert len(paragraphs) == 1
    assert "".join(i.text for i in paragraphs[0].inlines if isinstance(i, Text)) == shown
    p = paragraph_with(document_body(project, proc), shown[:3])
    assert text_of(p) == shown
    assert p.find(f".//{W}br") is None


@pytest.mark.parametrize("source", ["第一行  \n第二行。", "第一行\\\n第二行。"])
def test_a_hard_break_is_a_line_break_inside_the_paragraph(tmp_path: Path, source: str) -> None:
    project, proc = load(tmp_path, source + "\n")
    assert first(proc.body, Paragraph) == Paragraph((Text("第一行\n第二行。"),))
    assert runs(paragraph_with(document_body(project, proc), "第一行")) == [("第一行\n第二行。", False, False)]


@pytest.mark.parametrize("source,shown", [
    ("按**第三条**\n10天内上交。", "按第三条10天内上交。"),  # as "按第三条\n10天内上交。" is joined
    ("见*附件*\nA。", "见附件A。"),
    ("ISO\n**九千**。", "ISO九千。"),
])
def test_emphasis_does_not_change_how_a_soft_break_joins(tmp_path: Path, source: str, shown: str) -> None:
    _, proc = load(tmp_path, source + "\n")
    paragraph = first(proc.body, Paragraph)
    assert isinstance(paragraph, Paragraph)
    assert "".join(i.text for i in paragraph.inlines if isinstance(i, Text)) == shown


# -- references -------------------------------------------------------------------------------

def test_a_ref_link_keeps_the_source_words_and_adds_the_code(tmp_path: Path) -> None:
    project, proc = load(tmp_path, f"填写[《生产通知单》](ref:{FORM})，按[该制度的规定](ref:{OTHER})执行。\n")
    paragraph = first(proc.body, Paragraph)
    assert isinstance(paragraph, Paragraph)
    assert [(i.target, i.shown) for i in paragraph.inlines if isinstance(i, Ref)] == [
        (FORM, "《生产通知单》"), (OTHER, "该制度的规定")]
    p = paragraph_with(document_body(project, proc), "填写")
    assert text_of(p) == f"填写《生产通知单》（{FORM}），按该制度的规定（{OTHER}）执行。"
    styled = [("".join(t.text or "" for t in r.iter(f"{W}t")), run_style(r)) for r in p.iter(f"{W}r")]
    assert [(text, style) for text, style in styled if style] == [
        (f"（{FORM}）", "ReferenceCode"), (f"（{OTHER}）", "ReferenceCode")]
    assert ("《生产通知单》", None) in styled and ("该制度的规定", None) in styled


def test_a_wiki_reference_shows_the_title_and_the_code(tmp_path: Path) -> None:
    project, proc = load(tmp_path, f"执行[[{OTHER}]]，填写[[{FORM}]]。\n")
    paragraph = first(proc.body, Paragraph)
    assert isinstance(paragraph, Paragraph)
    assert [(i.target, i.shown) for i in paragraph.inlines if isinstance(i, Ref)] == [(OTHER, None), (FORM, None)]
    p = paragraph_with(document_body(project, proc), "执行")
    assert text_of(p) == f"执行《引用制度》（{OTHER}），填写《生产通知单》（{FORM}）。"
    assert [run_style(r) for r in p.iter(f"{W}r") if "SJE" in text_of(r)] == ["ReferenceCode", "ReferenceCode"]


@pytest.mark.parametrize("body,line,col,target", [
    ("见[记录表](ref:SJE/JL/GK-90-09)。\n", 0, 12, "SJE/JL/GK-90-09"),
    ("见[[SJE/ZY/GK-99]]。\n", 0, 2, "SJE/ZY/GK-99"),
    ("第一行。\n然后见[记录表](ref:SJE/JL/GK-90-09)。\n", 1, 14, "SJE/JL/GK-90-09"),
    ("| 项目 | 记录 |\n|---|---|\n| 复印件 | [[SJE/ZY/GK-99]] |\n", 2, 9, "SJE/ZY/GK-99"),
    ("- 条目，见[表](ref:SJE/JL/GK-90-09)\n", 0, 15, "SJE/JL/GK-90-09"),
])
def test_a_dangling_reference_is_a_lint_error_at_its_position(tmp_path: Path, body: str, line: int, col: int,
                                                              target: str) -> None:
    assert problems(tmp_path, body) == [
        f'procedures/T.md:{BODY_LINE + line}:{col}: reference to "{target}", which is neither a procedure nor a form']


def test_a_dangling_reference_suggests_the_nearest_id(tmp_path: Path) -> None:
    root = make_project(tmp_path, files("见[[SJE/ZY/GK-19]]。\n"))
    with pytest.raises(SourceError) as info:
        load_project(root)
    assert [d.hint for d in info.value.diagnostics.items] == [f'did you mean "{OTHER}"?']


def test_a_dangling_reference_after_a_parameter_is_reported_at_its_source_column(tmp_path: Path) -> None:
    # "[[" is at column 25 of the source line; the rendered line "复印件在10天内见[[…" has it at 10
    assert problems(tmp_path, "复印件在{{ params.days }}天内见[[SJE/ZY/GK-99]]。\n") == [
        f'procedures/T.md:{BODY_LINE}:25: reference to "SJE/ZY/GK-99", which is neither a procedure nor a form']


def test_positions_are_taken_from_the_body_as_written_when_it_is_given() -> None:
    written, rendered = "复印件在{{ params.days }}天内见[[SJE/ZY/GK-99]]。", "复印件在10天内见[[SJE/ZY/GK-99]]。"
    blocks, _ = parse_body(rendered, PATH, 20, ListNumbering(), Diagnostics(), source=written)
    paragraph = first(blocks, Paragraph)
    assert isinstance(paragraph, Paragraph)
    assert [i.loc for i in paragraph.inlines if isinstance(i, Ref)] == [Location(PATH, 21, 25)]


def test_a_link_that_is_not_a_ref_is_a_lint_error(tmp_path: Path) -> None:
    found = problems(tmp_path, "见[网站](http://example.com)。\n")
    assert (f'procedures/T.md:{BODY_LINE}:7: links must point at a procedure or form as (ref:ID), '
            f'got "http://example.com"') in found


def test_a_link_that_is_not_a_ref_is_one_lint_error(tmp_path: Path) -> None:
    assert problems(tmp_path, "见[网站](http://example.com)。\n") == [
        f'procedures/T.md:{BODY_LINE}:7: links must point at a procedure or form as (ref:ID), got "http://example.com"']


def test_a_link_text_wrapped_over_two_lines_keeps_its_words(tmp_path: Path) -> None:
    _, proc = load(tmp_path, f"Fill in the [production\nnotice](ref:{FORM}).\n")
    paragraph = first(proc.body, Paragraph)
    assert isinstance(paragraph, Paragraph)
    assert [i.shown for i in paragraph.inlines if isinstance(i, Ref)] == ["production notice"]
