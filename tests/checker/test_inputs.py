"""Records in: JSON, JSON Lines, YAML, CSV and .docx, mixed, walked recursively; bad input is a finding."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checker.conftest import BASE, FORM
from qmsdoc.checker.engine import Checker
from qmsdoc.checker.run import check_paths
from qmsdoc.load.labels import load_labels
from qmsdoc.model.findings import Report
from qmsdoc.model.project import Project


def run(project: Project, folder: Path, jobs: int = 1) -> Report:
    checker = Checker(project, load_labels("zh-CN"), dt.date(2025, 12, 31), scope="in")
    return check_paths(checker, [folder], jobs=jobs, root=folder)


def good(**fields: object) -> dict[str, object]:
    return {"form": FORM, "revision": "B/0", "fields": {**BASE, **fields}}


def summary(report: Report) -> list[tuple[str, str, str]]:
    return [(f.record.where, f.rule, f.outcome) for f in report.findings if not f.rule.startswith("T-1")]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "one.json").write_text(json.dumps(good(note="")), encoding="utf-8")
    lines = [json.dumps(good(record_no=f"L{i}")) for i in range(3)]
    lines.insert(1, '{"form": "SJE/JL/GK-90-01", "revision": "B/0", "fields": {')  # broken line 2
    lines.append(json.dumps({"form": "SJE/JL/GK-99-99", "revision": "A/0", "fields": {}}))
    (tmp_path / "a" / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.yaml").write_text(
        "form: SJE/JL/GK-90-01\nrevision: B/0\nfields:\n  record_no: Y1\n  issued_on: 2025-09-01\n"
        "  returned_on: 2025-09-01\n  copy_on: 2025-09-05\n  owner: 张三\n  note: 'NO'\n  attached: 'true'\n"
        "  leader: {name: 李四, date: 2025-09-02}\n  staff: [{name: 王五, via: 传真}]\n"
        "---\nform: SJE/JL/GK-90-01\nrevision: B/0\nfields:\n  record_no: Y2\n  issued_on: 2025-09-01\n"
        "  returned_on: 2025-09-01\n  copy_on: 2025-09-20\n  owner: 张三\n  note: x\n  attached: 'true'\n"
        "  leader: {name: 李四, date: 2025-09-02}\n  staff: [{name: 王五}]\n", encoding="utf-8")
    header = "form,revision,id,record_no,issued_on,returned_on,copy_on,owner,note,attached,leader.name,leader.date," \
             "staff.1.name,staff.1.via,channel\n"
    rows = ["SJE/JL/GK-90-01,B/0,C-1,C1,2025-09-01,2025-09-01,2025-09-05,张三,x,是,李四,2025-09-02,王五,fax,phone",
            "SJE/JL/GK-90-01,B/0,C-2,C2,2025/9/1,2025年9月1日,2025-09-05,张三,x,true,,,王五,fax,",
            "SJE/JL/GK-90-01,B/0,too,few"]
    (tmp_path / "a" / "rows.csv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a record", encoding="utf-8")
    (tmp_path / ".hidden.json").write_text("{", encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    return tmp_path


def test_every_format_mixed_with_sources_and_lines(mini: Project, folder: Path) -> None:
    report = run(mini, folder)
    assert summary(report) == [
        ("a/b/two.yaml:14", "T-04", "fail"),            # the second YAML document: copy 19 days later
        ("a/many.jsonl:2", "QMS-RECORD", "unreadable_record"),
        ("a/many.jsonl:5", "QMS-RECORD", "unreadable_record"),  # unknown form; the batch went on
        ("a/rows.csv:2", "T-08", "fail"),               # channel phone
        ("a/rows.csv:3", "T-02", "missing"),            # no leader signature
        ("a/rows.csv:4", "QMS-RECORD", "unreadable_record"),
        ("broken.json:1", "QMS-RECORD", "unreadable_record"),
        ("one.json", "T-01", "missing"),
    ]
    assert report.records == 8  # 1 json + 3 jsonl + 2 yaml + 2 csv; not the hidden or the .txt file
    assert report.sources == 5
    messages = {f.record.where: f.message for f in report.findings}
    assert messages["a/many.jsonl:5"] == "记录无法读取：表单 SJE/JL/GK-99-99 不属于本文件体系"
    assert messages["a/rows.csv:4"] == "记录无法读取：此行有 4 个单元格，而表头有 15 列"
    assert messages["broken.json:1"] == "记录无法读取：不是有效的 JSON"


def test_csv_ids_and_yaml_text_are_not_coerced(mini: Project, folder: Path) -> None:
    report = run(mini, folder)
    csv_refs = {r.location: r.record_id for r, _ in report.checked if r.source == "a/rows.csv"}
    assert csv_refs == {"2": "C-1", "3": "C-2", "4": None}
    # note: 'NO' stayed the text NO; a bare NO would have stayed text as well (no YAML 1.1 booleans)
    assert not [f for f in report.findings if f.record.where == "a/b/two.yaml:1" and not f.rule.startswith("T-1")]


def test_workers_give_identical_reports(mini: Project, folder: Path) -> None:
    one, two = run(mini, folder, jobs=1), run(mini, folder, jobs=2)
    assert one.findings == two.findings and one.checked == two.checked


def test_finding_ids_are_stable(mini: Project, folder: Path) -> None:
    assert [f.id for f in run(mini, folder).findings] == [f.id for f in run(mini, folder).findings]
    assert len({f.id for f in run(mini, folder).findings}) == len(run(mini, folder).findings)


def test_hostile_yaml_and_json_are_refused_not_expanded(mini: Project, tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    (tmp_path / "bomb.yaml").write_text(bomb, encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    report = run(mini, tmp_path)
    assert [(f.record.source, f.rule) for f in report.findings] == [("bomb.yaml", "QMS-RECORD"),
                                                                    ("deep.json", "QMS-RECORD")]


def test_a_checker_error_on_one_record_does_not_stop_the_batch(mini: Project, folder: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from qmsdoc.checker import engine

    real = engine.CHECKS["allowed"]

    def broken(rule, spec, view, ctx):  # type: ignore[no-untyped-def]
        if view.fields.get("channel") == "phone":
            raise RuntimeError("boom")
        return real(rule, spec, view, ctx)
    monkeypatch.setitem(engine.CHECKS, "allowed", broken)
    report = run(mini, folder)
    failed = [f for f in report.findings if "程序出错（RuntimeError: boom）" in f.message]
    assert [(f.record.where, f.rule) for f in failed] == [("a/rows.csv:2", "QMS-RECORD")]
    assert report.records == 8  # the others were checked
