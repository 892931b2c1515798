"""Rules over the whole set of records: frequency, coverage, duplicates, matched records; revisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from checker.conftest import FORM, TRIP, codes, record
from qmsdoc.checker.engine import Checker
from qmsdoc.load.labels import load_labels
from qmsdoc.model.findings import Finding
from qmsdoc.model.project import Project


def check_set(project: Project, records: list[dict[str, Any]], as_of: dt.date,
              since: dt.date | None = None) -> list[Finding]:
    checker = Checker(project, load_labels("zh-CN"), as_of, since=since, scope="records")
    recs = [record(project, r.get("fields", {}), form=r.get("form", FORM), source=f"r{i}.json")
            for i, r in enumerate(records)]
    earliest = min(d for d in (checker.record_date(r) for r in recs) if d is not None)
    return checker.check_set(recs, earliest)[0]


def rec(**fields: Any) -> dict[str, Any]:
    return {"fields": fields}


def trip(no: str, who: str, returned: str) -> dict[str, Any]:
    return {"form": TRIP, "fields": {"record_no": no, "salesperson": who, "returned_on": returned}}


def test_frequency_per_quarter_counts_only_whole_quarters(mini: Project) -> None:
    records = [rec(record_no="A", issued_on="2025-01-10"), rec(record_no="B", issued_on="2025-07-01"),
               rec(record_no="C", issued_on="2025-12-20")]
    found = [f for f in check_set(mini, records, dt.date(2025, 12, 31)) if f.rule == "T-13"]
    # Q2 has none; Q4 is not over on 2025-12-31 (it ends that day), so only Q2 is reported
    assert [(f.record.location, f.outcome) for f in found] == [("2025-Q2", "fail")]
    assert "2025-04-01 至 2025-06-30 期间" in found[0].message and "只有 0 份" in found[0].message
    found = [f for f in check_set(mini, records, dt.date(2026, 1, 1)) if f.rule == "T-13"]
    assert [f.record.location for f in found] == ["2025-Q2"]  # Q4 had one: fine


def test_frequency_starts_at_since(mini: Project) -> None:
    records = [rec(record_no="A", issued_on="2025-07-10")]
    found = [f for f in check_set(mini, records, dt.date(2025, 10, 1), since=dt.date(2025, 1, 1))
             if f.rule == "T-13"]
    assert [f.record.location for f in found] == ["2025-Q1", "2025-Q2"]


def test_coverage_every_salesperson_every_year(mini: Project) -> None:
    records = [trip("T1", "张三", "2025-03-01"), trip("T2", "李四", "2025-05-01"),
               rec(record_no="A", owner="张三", issued_on="2025-12-01")]
    found = [f for f in check_set(mini, records, dt.date(2026, 1, 10)) if f.rule == "T-16"]
    assert [(f.record.location, f.outcome) for f in found] == [("2025 李四", "missing")]


def test_duplicates(mini: Project) -> None:
    records = [rec(record_no="A-1", issued_on="2025-09-01"), rec(record_no="A-2", issued_on="2025-09-01"),
               rec(record_no=" A-1", issued_on="2025-09-02")]
    found = [f for f in check_set(mini, records, dt.date(2025, 9, 30)) if f.rule == "T-14"]
    assert [(f.record.source, f.outcome) for f in found] == [("r2.json", "fail")]
    assert "r0.json" in found[0].message


def test_matched_records(mini: Project) -> None:
    records = [trip("T1", "张三", "2025-09-01"),
               rec(record_no="A", owner="张三", issued_on="2025-09-01", copy_on="2025-09-04"),
               rec(record_no="B", owner="王五", issued_on="2025-09-01", copy_on="2025-09-04")]
    found = [f for f in check_set(mini, records, dt.date(2025, 9, 30)) if f.rule == "T-15"]
    assert codes(found) == [("T-15", "missing", ("owner",))]  # 王五 has no trip report
    late = [trip("T1", "张三", "2025-09-01"), rec(record_no="A", owner="张三", issued_on="2025-09-01",
                                                   copy_on="2025-09-05")]
    found = [f for f in check_set(mini, late, dt.date(2025, 9, 30)) if f.rule == "T-15"]
    assert codes(found) == [("T-15", "fail", ("copy_on", "match.returned_on"))]


def test_revision_in_force_on_the_record_date(mini: Project) -> None:
    checker = Checker(mini, load_labels("zh-CN"), dt.date(2025, 12, 31))
    base = {"returned_on": "2025-05-02", "copy_on": "2025-05-03"}

    def revision_findings(issued: str, revision: str) -> list[str]:
        r = record(mini, {**base, "issued_on": issued, "returned_on": issued, "copy_on": issued}, revision=revision)
        return [f.message for f in checker.check(r)[0] if f.rule == "QMS-REVISION"]

    assert revision_findings("2025-05-01", "A/0") == []
    assert revision_findings("2025-06-01", "B/0") == []
    assert revision_findings("2025-05-31", "B/0") == [
        "记录日期 2025-05-31 时，SJE/JL/GK-90-01 B/0 版尚未生效（2025-06-01 生效）"]
    assert revision_findings("2025-06-01", "A/0") == [
        "记录日期 2025-06-01 时，SJE/JL/GK-90-01 A/0 版已被 B/0 版替代（2025-06-01 起）"]
    assert revision_findings("2025-06-01", "C/0") == [
        "记录所用表单版本 C/0 不是 SJE/JL/GK-90-01 的已知版本（现行版本 B/0）"]


def test_a_rule_over_the_set_lists_at_most_the_bound_then_counts_the_rest(mini: Project) -> None:
    limits = dataclasses.replace(mini.site.limits, findings_per_record=3)
    capped = dataclasses.replace(mini, site=dataclasses.replace(mini.site, limits=limits))
    records = [rec(record_no="A", issued_on="2025-04-10")]
    found = [f for f in check_set(capped, records, dt.date(2030, 12, 31), since=dt.date(2025, 4, 1))
             if f.rule in ("T-13", "QMS-MORE")]
    assert [(f.rule, f.record.location) for f in found] == [
        ("T-13", "2025-Q3"), ("T-13", "2025-Q4"), ("T-13", "2026-Q1"), ("QMS-MORE", "")]
    assert "另有 18 个问题" in found[-1].message  # 2026-Q2 … 2030-Q3 (2030-Q4 ends on the audit date)
    assert found[-1].severity == found[0].severity


def test_a_key_is_the_values_without_white_space_and_none_when_a_part_is_blank() -> None:
    """`unique:` and `match:` keys (engine._key_of), one reference or several, against the rule as written:
    the values with their white space removed, no key when any part is blank."""
    import datetime as dt
    from decimal import Decimal

    from qmsdoc.checker.engine import _key_of, _norm
    from qmsdoc.model.rules import FieldRef

    a = FieldRef("a", "a", None, "text", "A")
    b = FieldRef("b", "b", None, "number", "B")
    c = FieldRef("s.name", "s", "name", "text", "S")
    values: list[object] = [None, "", " ", "\u3000", "X 1", " x\u30001 ", Decimal("0"), 0, False, dt.date(2025, 1, 2),
                            [], ["a"]]
    for refs in ((a,), (a, b), (b, c), (a, b, c)):
        for x in values:
            for y in values[:6] + values[-3:]:
                fields = {"a": x, "b": y, "s": {"name": x} if y is not None else None}
                written = tuple(_norm(r.get(fields)) for r in refs)
                expected = None if any(k in (None, "") for k in written) else written
                assert _key_of(refs)(fields) == expected, (refs, fields)
