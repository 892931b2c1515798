"""Every report format shows the revision a finding cites: document, revision and clause.

One rule judged two records under two revisions of its procedure (A/0 and B/0) cites both, in
each finding and in the summaries by rule; a built-in check citing ISO 9001 has no revision.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import docx
import jsonschema
import lxml.html
from lxml import etree

from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.report.docx import render_docx
from qmsdoc.report.html import render_html
from qmsdoc.report.json_ import render_json, render_jsonl
from qmsdoc.report.junit import render_junit
from qmsdoc.report.sarif import render_sarif
from qmsdoc.report.text import render_text
from report.test_formats import schemas  # noqa: F401  (the fixture that fetches the public schemas)

TITLE = "售后服务问题反馈调查的管理制度"
A0 = Citation("SJE/ZY/GK-09", "第四条", TITLE, "A/0")
B0 = Citation("SJE/ZY/GK-09", "第四条", TITLE, "B/0")
ISO = Citation("ISO 9001:2015", "7.5.3.2", "文件控制")
BOTH = "SJE/ZY/GK-09 A/0 第四条; SJE/ZY/GK-09 B/0 第四条"


def make_report() -> Report:
    march = RecordRef("in/march.json", "", "SJE/JL/GK-09-01", "A/0", "FK-2025-003")
    december = RecordRef("in/december.json", "", "SJE/JL/GK-09-01", "A/0", "FK-2025-112")
    early = RecordRef("in/early.json", "", "SJE/JL/GK-09-01", "A/0", "FK-2024-001")
    findings = [
        Finding("GK09-05", "复印件 10 天内报企管部门", Severity.MAJOR, "fail", A0, march, ("copy_to_qm_on",),
                {"copy_to_qm_on": "2025-03-20"}, "≤ 2025-03-17", "复印件 2025-03-20 才报企管部门"),
        Finding("GK09-05", "复印件 10 天内报企管部门", Severity.MAJOR, "fail", B0, december, ("copy_to_qm_on",),
                {"copy_to_qm_on": "2025-12-20"}, "≤ 2025-12-12", "复印件 2025-12-20 才报企管部门"),
        Finding("QMS-REVISION", "记录与其日期时有效的文件版本不符", Severity.MINOR, "fail", ISO, early, ("returned_on",),
                {"returned_on": "2024-06-01"}, "≥ 2025-04-01", "2024-06-01 时 SJE/ZY/GK-09 尚无生效版本"),
    ]
    checked = ((march, ("GK09-05",)), (december, ("GK09-05",)), (early, ()))
    return Report(dt.date(2026, 1, 15), "in", 3, 3, 1, tuple(sorted(findings, key=Finding.sort_key)),
                  {"GK09-05": "复印件 10 天内报企管部门"}, checked)


def test_text_cites_the_revision(labels: Labels) -> None:
    text = render_text(make_report(), labels)
    assert "SJE/ZY/GK-09 A/0 第四条" in text and "SJE/ZY/GK-09 B/0 第四条" in text
    assert "ISO 9001:2015 7.5.3.2" in text


def test_json_has_the_revision_as_its_own_key() -> None:
    for doc in (json.loads(render_json(make_report()))["findings"],
                [json.loads(line) for line in render_jsonl(make_report()).splitlines()]):
        criteria = {f["record"]["source"]: f["criterion"] for f in doc}
        assert criteria["in/march.json"] == {"document": "SJE/ZY/GK-09", "revision": "A/0", "clause": "第四条",
                                             "title": TITLE}
        assert criteria["in/december.json"]["revision"] == "B/0"
        assert criteria["in/early.json"] == {"document": "ISO 9001:2015", "revision": None, "clause": "7.5.3.2",
                                             "title": "文件控制"}


def test_html_shows_the_revision_of_each_finding_and_every_revision_of_a_rule(labels: Labels,
                                                                             project: Project) -> None:
    tree = lxml.html.document_fromstring(render_html(make_report(), labels, project))
    rows = {row.get("id"): row.text_content() for row in tree.iter("tr") if row.get("id")}
    by_id = {f.record.source: f.id for f in make_report().findings}
    assert "SJE/ZY/GK-09 A/0 第四条" in rows[f"f-{by_id['in/march.json']}"]
    assert "SJE/ZY/GK-09 B/0 第四条" in rows[f"f-{by_id['in/december.json']}"]
    summary = next(row for row in tree.iter("tr") if row.text_content().startswith("GK09-05"))
    assert [span.text_content() for span in summary.xpath("td[3]/span")] == BOTH.split("; ")


def test_junit_cites_both_revisions_and_stays_valid(schemas: Path) -> None:  # noqa: F811
    root = etree.fromstring(render_junit(make_report()))
    assert etree.XMLSchema(etree.parse(str(schemas / "junit-10.xsd"))).validate(root)
    suite = next(s for s in root.findall("testsuite") if s.get("name", "").startswith("GK09-05"))
    props = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert props["criterion"] == BOTH
    failures = [f.text or "" for f in suite.iter("failure")]
    assert any("criterion: SJE/ZY/GK-09 A/0 第四条" in t for t in failures)
    assert any("criterion: SJE/ZY/GK-09 B/0 第四条" in t for t in failures)


def test_sarif_cites_both_revisions_and_stays_valid(schemas: Path) -> None:  # noqa: F811
    log = json.loads(render_sarif(make_report()))
    schema = json.loads((schemas / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert sorted(jsonschema.validators.validator_for(schema)(schema).iter_errors(log), key=str) == []
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["GK09-05"]["fullDescription"]["text"] == f"复印件 10 天内报企管部门 ({BOTH})"
    revisions = [r["properties"]["criterion"]["revision"] for r in log["runs"][0]["results"]]
    assert sorted(revisions, key=str) == ["A/0", "B/0", None]


def test_docx_cites_the_revision_in_the_sheets_the_summary_and_the_basis(project: Project, labels: Labels) -> None:
    document = docx.Document(io.BytesIO(render_docx(make_report(), project, labels)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join(cells)
    assert "SJE/ZY/GK-09 A/0 第四条" in text and "SJE/ZY/GK-09 B/0 第四条" in text  # each finding's sheet
    assert "SJE/ZY/GK-09 A/0\n第四条\nSJE/ZY/GK-09 B/0\n第四条" in text  # the summary by rule
    assert f"SJE/ZY/GK-09 A/0、B/0 版《{TITLE}》" in text  # the criteria: each revision the findings cite
    assert "ISO 9001:2015 7.5.3.2" in text
