"""Redline diffing: characters for Chinese, short islands folded, paragraphs paired by similarity."""

from __future__ import annotations

from qmsdoc.lifecycle.redline import (
    CHANGED,
    DELETED,
    EQUAL,
    INSERTED,
    Segment,
    Unit,
    char_diff,
    compare,
    summarise,
    table_rows,
)
from qmsdoc.model.body import Table, Text


def ops(old: str, new: str) -> list[tuple[str, str]]:
    return [(s.op[0], s.text) for s in char_diff(old, (), new, ())]


def unit(text: str, clause: str | None = None, context: str | None = None) -> Unit:
    return Unit("item" if clause else "para", text, tuple([(False, False, False)] * len(text)), clause, context or clause)


def table(*rows: tuple[str, ...]) -> Table:
    head, *body = rows
    return Table(tuple((Text(c),) for c in head), tuple(tuple((Text(c),) for c in row) for row in body))


def table_unit(t: Table) -> Unit:
    text = "\t".join(cell[0].text for row in (t.header, *t.rows) for cell in row if isinstance(cell[0], Text))
    return Unit("table", text, tuple([(False, False, False)] * len(text)), table=t)


DUTIES = table(("部门", "职责"), ("顾客服务部", "受理反馈"), ("技术部", "分析原因"))
DUTIES_EDITED = table(("部门", "职责"), ("技术部", "分析原因并提出措施"), ("企管部", "存档"))


def test_chinese_is_diffed_by_character() -> None:
    assert ops("在10天内上交企管部门", "在10个工作日内上交企管部门") == [
        ("e", "在10"), ("d", "天"), ("i", "个工作日"), ("e", "内上交企管部门")]
    assert ops("费用由我公司全部承担。", "费用由我公司承担。") == [("e", "费用由我公司"), ("d", "全部"), ("e", "承担。")]


def test_a_single_unchanged_character_between_edits_is_folded_into_them() -> None:
    # 部 is common to both edits: shown as one replacement, not as 企管 / 部 / 门 fragments
    assert ops("企管部门负责", "财务部负责") == [("d", "企管部门"), ("i", "财务部"), ("e", "负责")]


def test_a_meaningful_unchanged_word_between_edits_stays() -> None:
    assert ("e", "人员") in ops("售后服务人员返回公司后", "外勤人员回到公司以后")


def test_paragraphs_are_paired_by_similarity_and_the_rest_added_or_removed() -> None:
    old = [unit("一、总则。", "第一条"), unit("旧的条款，将被删除。", "第二条"), unit("本制度由顾客服务部负责解释。", "第三条")]
    new = [unit("一、总则。", "第一条"), unit("完全新增的内容。", "第二条"), unit("本制度由顾客服务部负责解释和修订。", "第三条")]
    changes = compare(old, new)
    assert [c.op for c in changes] == [EQUAL, DELETED, INSERTED, CHANGED]
    summary = summarise(changes)
    assert (summary.added, summary.removed, summary.changed) == (("第二条",), ("第二条",), ("第三条",))


def test_an_unnumbered_paragraph_counts_for_its_clause_and_renumbering_is_named() -> None:
    old = [unit("甲。", "第一条"), unit("说明甲的细节。", None, "第一条"), unit("丙条款的内容很长。", "第二条")]
    new = [unit("甲。", "第一条"), unit("说明甲的全部细节。", None, "第一条"), unit("乙。", "第二条"),
           unit("丙条款的内容很长！", "第三条")]
    summary = summarise(compare(old, new))
    assert summary.added == ("第二条",)
    assert summary.changed == ("第一条", "第三条 (was 第二条)")


def test_an_edited_table_pairs_with_a_table_of_as_many_columns_only() -> None:
    intro = unit("各部门职责如下。")
    assert [c.op for c in compare([intro, table_unit(DUTIES)], [intro, table_unit(DUTIES_EDITED)])] == [EQUAL, CHANGED]
    wider = table(("部门", "职责", "期限"), ("顾客服务部", "受理反馈", "3天"), ("技术部", "分析原因", "5天"))
    assert [c.op for c in compare([intro, table_unit(DUTIES)], [intro, table_unit(wider)])] == [EQUAL, DELETED, INSERTED]


def test_the_rows_of_two_tables_are_aligned_and_paired_rows_diffed_by_cell() -> None:
    rows = table_rows(DUTIES, DUTIES_EDITED, {})
    assert [r.op for r in rows] == [EQUAL, DELETED, EQUAL, INSERTED]  # the header rows always pair up
    assert rows[2].cells == ((Segment(EQUAL, "技术部"),), (Segment(EQUAL, "分析原因"), Segment(INSERTED, "并提出措施")))
    assert rows[1].cells == ((Segment(DELETED, "顾客服务部"),), (Segment(DELETED, "受理反馈"),))
    assert [r.op for r in table_rows(None, DUTIES, {})] == [INSERTED] * 3
