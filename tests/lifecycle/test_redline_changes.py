"""Redlines of a table edit and of a title change: tracked in the .docx, named in the printed summary."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from lxml import etree

from lifecycle.walk import edit, run
from qmsdoc.generator.ooxml.tracked import tracked_text

from conftest import make_project
from support.ooxml_schema import validate_docx
from support.sources import procedure_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROC, PATH = "SJE/ZY/GK-90", "procedures/T.md"

SOURCE_A = procedure_text("""\
# 目的

为了测试，特制定本制度。

# 职责

| 部门 | 职责 | 期限 |
|---|---|---|
| 顾客服务部 | 受理反馈 | 3天 |
| 技术部 | 分析原因 | 5天 |

# 程序

1. 复印件在10天内上交。
""", numbering="{headings: [decimal], lists: [arabic-paren]}")

TABLE_A = [["部门", "职责", "期限"], ["顾客服务部", "受理反馈", "3天"], ["技术部", "分析原因", "5天"]]
TITLE_EDIT = ("title: 测试制度", "title: 检验管理制度")
CELL_EDITS = (("| 分析原因 | 5天 |", "| 分析原因并提出措施 | 7天 |"),)
ROW_ADDED = (("| 技术部 | 分析原因 | 5天 |\n", "| 技术部 | 分析原因 | 5天 |\n| 企管部 | 存档 | 10天 |\n"),)
ROW_REMOVED = (("| 顾客服务部 | 受理反馈 | 3天 |\n", ""),)
COLUMN_ADDED = (("| 部门 | 职责 | 期限 |\n|---|---|---|\n", "| 部门 | 职责 | 期限 | 备注 |\n|---|---|---|---|\n"),)
SUMMARY = f"{PROC} A/0 → B/0 (李娜, 2025-09-01): "


@dataclass
class Redline:
    result: Result
    body: etree._Element
    data: bytes

    @property
    def output(self) -> str:
        return self.result.output


def redline(tmp: Path, *edits: tuple[str, str]) -> Redline:
    """Release A/0 of the small procedure, make B/0 with `edits`, and redline A/0 → B/0."""
    root = make_project(tmp, {PATH: SOURCE_A})
    assert run("release", "--all", "--date", "2025-03-25", "--no-pdf", "--by", "陈静", "--root", str(root)).exit_code == 0
    edit(root, PATH, ("revision: A/0", "revision: B/0"), ("effective: 2025-04-01", "effective: 2025-09-01"),
         ("首次发布。}\n", "首次发布。}\n  - {revision: B/0, date: 2025-09-01, by: 李娜, description: 修订。}\n"),
         *edits)
    out = tmp / "redline.docx"
    result = run("redline", PROC, "--from", "A/0", "--to", "B/0", "-o", str(out), "--root", str(root))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    with zipfile.ZipFile(out) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    return Redline(result, body, data)


def _inside(node: etree._Element, tag: str) -> bool:
    return any(a.tag == f"{W}{tag}" for a in node.iterancestors())


def shown(node: etree._Element, accept: bool) -> str:
    """The text of `node` once every tracked change in it is accepted (or rejected)."""
    dropped = "del" if accept else "ins"
    return "".join(t.text or "" for t in node.iter(f"{W}t", f"{W}delText") if not _inside(t, dropped))


def tables(body: etree._Element, accept: bool) -> list[list[list[str]]]:
    """The body's tables, cell by cell, once every tracked change is accepted (or rejected)."""
    dropped = f"{W}trPr/{W}{'del' if accept else 'ins'}"
    out = []
    for tbl in body.iter(f"{W}tbl"):
        rows = [[shown(tc, accept) for tc in tr.findall(f"{W}tc")]
                for tr in tbl.findall(f"{W}tr") if tr.find(dropped) is None]
        if rows:
            out.append(rows)
    return out


def duty_table(body: etree._Element, accept: bool) -> list[list[str]]:
    [table] = [t for t in tables(body, accept) if t[0][0] == "部门"]
    return table


def row_marks(body: etree._Element) -> list[str | None]:
    """For each row of the one duty table: "ins" or "del" if it is marked inserted or deleted, else None."""
    [table] = [t for t in body.iter(f"{W}tbl") if "部门" in shown(t, True)]
    marks = [[etree.QName(m).localname for m in tr.iterfind(f"{W}trPr/*")] for tr in table.findall(f"{W}tr")]
    return [next((m for m in names if m in ("ins", "del")), None) for names in marks]


def title_paragraph(body: etree._Element) -> etree._Element:
    [p] = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='Title']") is not None]
    return p


def marked_in_tables(body: etree._Element, change: str) -> list[str]:
    return [text for tbl in body.iter(f"{W}tbl") if "部门" in shown(tbl, True) + shown(tbl, False)
            for text in tracked_text(tbl, change)]


@pytest.fixture(scope="module")
def cell_and_title(tmp_path_factory: pytest.TempPathFactory) -> Redline:
    return redline(tmp_path_factory.mktemp("redline-cell"), TITLE_EDIT, *CELL_EDITS)


# -- a change inside a table ------------------------------------------------------------------

def test_accepting_the_table_changes_gives_the_new_table_and_rejecting_them_the_old(cell_and_title: Redline) -> None:
    assert duty_table(cell_and_title.body, accept=True) == [
        ["部门", "职责", "期限"], ["顾客服务部", "受理反馈", "3天"], ["技术部", "分析原因并提出措施", "7天"]]
    assert duty_table(cell_and_title.body, accept=False) == TABLE_A


def test_the_edited_cells_text_is_marked_inserted_and_deleted(cell_and_title: Redline) -> None:
    inserted, deleted = marked_in_tables(cell_and_title.body, "ins"), marked_in_tables(cell_and_title.body, "del")
    assert any("并提出措施" in text for text in inserted)
    assert any("7" in text for text in inserted) and any("5" in text for text in deleted)
    assert not any("7" in text for text in deleted) and not any("5" in text for text in inserted)


def test_only_the_edited_text_of_a_table_is_marked(cell_and_title: Redline) -> None:
    duty_tables = [t for t in cell_and_title.body.iter(f"{W}tbl") if "部门" in shown(t, True)]
    assert len(duty_tables) == 1
    [table] = duty_tables
    assert [tr.find(f"{W}trPr/{W}ins") is None and tr.find(f"{W}trPr/{W}del") is None
            for tr in table.findall(f"{W}tr")] == [True, True, True]
    assert (tracked_text(table, "ins"), tracked_text(table, "del")) == (["并提出措施", "7"], ["5"])


def test_a_table_change_is_summarised_under_its_clause(cell_and_title: Redline) -> None:
    lines = cell_and_title.output.splitlines()
    assert lines[0] == SUMMARY + "0 added, 0 removed, 1 changed"
    assert "  changed: 2" in lines  # the table stands under heading 2 职责


def test_a_row_added_to_a_table_is_tracked(tmp_path: Path) -> None:
    red = redline(tmp_path, *ROW_ADDED)
    assert duty_table(red.body, accept=True) == [*TABLE_A, ["企管部", "存档", "10天"]]
    assert duty_table(red.body, accept=False) == TABLE_A
    inserted_rows = [tr for tr in red.body.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}ins") is not None]
    assert ["企管部", "存档", "10天"] in [[shown(tc, True) for tc in tr.findall(f"{W}tc")] for tr in inserted_rows]
    assert row_marks(red.body) == [None, None, None, "ins"]  # the rows kept are not marked
    assert (marked_in_tables(red.body, "ins"), marked_in_tables(red.body, "del")) == (["企管部", "存档", "10天"], [])
    assert red.output.splitlines()[0] == SUMMARY + "0 added, 0 removed, 1 changed"
    assert "  changed: 2" in red.output.splitlines()
    assert "title:" not in red.output


def test_a_row_removed_from_a_table_is_tracked_and_the_other_rows_kept(tmp_path: Path) -> None:
    red = redline(tmp_path, *ROW_REMOVED)
    assert duty_table(red.body, accept=True) == [TABLE_A[0], TABLE_A[2]]
    assert duty_table(red.body, accept=False) == TABLE_A
    assert row_marks(red.body) == [None, "del", None]
    assert (marked_in_tables(red.body, "ins"), marked_in_tables(red.body, "del")) == ([], ["顾客服务部", "受理反馈", "3天"])
    assert red.output.splitlines()[:2] == [SUMMARY + "0 added, 0 removed, 1 changed", "  changed: 2"]
    assert validate_docx(red.data) == []


def test_a_table_whose_columns_change_is_replaced_whole_with_its_header_rows_valid(tmp_path: Path) -> None:
    red = redline(tmp_path, *COLUMN_ADDED)
    assert duty_table(red.body, accept=True) == [
        ["部门", "职责", "期限", "备注"], ["顾客服务部", "受理反馈", "3天", ""], ["技术部", "分析原因", "5天", ""]]
    assert duty_table(red.body, accept=False) == TABLE_A
    heads = [tr for tr in red.body.iter(f"{W}tr") if "部门" in shown(tr, True) + shown(tr, False)]
    # the old header row deleted, the new one inserted; CT_TrPr wants the revision mark after w:tblHeader
    assert [[etree.QName(p).localname for p in tr.iterfind(f"{W}trPr/*")] for tr in heads] == [
        ["cantSplit", "tblHeader", "del"], ["cantSplit", "tblHeader", "ins"]]
    assert validate_docx(red.data) == []


# -- a change of the title --------------------------------------------------------------------

def test_a_new_title_is_tracked_in_the_title_paragraph(cell_and_title: Redline) -> None:
    p = title_paragraph(cell_and_title.body)
    assert (tracked_text(p, "ins"), tracked_text(p, "del")) == (["检验管理"], ["测试"])
    assert (shown(p, accept=True), shown(p, accept=False)) == ("检验管理制度", "测试制度")


def test_a_title_change_is_printed_in_the_summary(tmp_path: Path) -> None:
    red = redline(tmp_path, TITLE_EDIT)
    assert red.output.splitlines()[:2] == [
        SUMMARY + "0 added, 0 removed, 0 changed", "  title:   测试制度 → 检验管理制度"]
    assert (tracked_text(red.body, "ins"), tracked_text(red.body, "del")) == (
        ["检验管理", "B/0", "2025-09-01", "修订。", "李娜"], ["测试"])  # the title and the new history row only
    assert shown(red.body, accept=False).count("测试制度") == 1


def test_every_mark_is_by_the_new_revisions_author_on_its_date(cell_and_title: Redline) -> None:
    marks = [m for tag in ("ins", "del") for m in cell_and_title.body.iter(f"{W}{tag}")]
    assert marks
    assert {(m.get(f"{W}author"), m.get(f"{W}date")) for m in marks} == {("李娜", "2025-09-01T00:00:00Z")}
    ids = [m.get(f"{W}id") for m in marks]
    assert len(ids) == len(set(ids))
    assert not any(_inside(t, "del") for t in cell_and_title.body.iter(f"{W}t")), "deleted text must be w:delText"


def test_the_redline_of_a_title_change_is_valid_ooxml(tmp_path: Path) -> None:
    assert validate_docx(redline(tmp_path, TITLE_EDIT).data) == []


def test_the_redline_of_a_table_change_is_valid_ooxml(cell_and_title: Redline) -> None:
    assert validate_docx(cell_and_title.data) == []
