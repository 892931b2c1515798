"""Report emitters: every format on one small hand-made report, checked for what it must show.

JUnit and SARIF are validated against their public schemas, fetched at test time by
`scripts/fetch-test-schemas` into `.cache/schemas/` (nothing public is committed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import subprocess
import zipfile
from pathlib import Path

import docx
import jsonschema
import lxml.html
import pytest
from lxml import etree

from qmsdoc import __version__
from qmsdoc.load.labels import load_labels
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.report import FORMATS, guess_format, render
from qmsdoc.report.docx import render_docx
from qmsdoc.report.html import render_html
from qmsdoc.report.json_ import render_json, render_jsonl
from qmsdoc.report.junit import render_junit
from qmsdoc.report.sarif import render_sarif
from qmsdoc.report.text import render_text

from support.ooxml_schema import validate_docx

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / ".cache" / "schemas"
SARIF_SCHEMA = SCHEMAS / "sarif-2.1.0.json"
JUNIT_XSD = SCHEMAS / "junit-10.xsd"
INJECTION = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'

ROOT = "records/examples"
FEEDBACK_1 = RecordRef(f"{ROOT}/docx/反馈单-001.docx", "", "SJE/JL/GK-09-01", "A/0", "FK-2025-001")
FEEDBACK_2 = RecordRef(f"{ROOT}/docx/反馈单-002.docx", "", "SJE/JL/GK-09-01", "A/0", "FK-2025-002")
TRIP = RecordRef(f"{ROOT}/jsonl/出差报告.jsonl", "12", "SJE/JL/GK-03-01", "A/0", "CC-2025-017")
SURVEY = RecordRef(f"{ROOT}/csv/customer visits.csv", "7", "SJE/JL/GK-03-01", "A/0", None)
BROKEN = RecordRef(f"{ROOT}/docx/损坏.docx")

GK09_2 = Citation("SJE/ZY/GK-09", "第二条", "售后服务问题反馈调查的管理制度", "A/0")
GK09_4 = Citation("SJE/ZY/GK-09", "第四条", "售后服务问题反馈调查的管理制度", "A/0")
GK03 = Citation("SJE/ZY/GK-03", "第二条（二）", "客户档案管理制度", "B/0")
TITLES = {
    "GK09-03": "反馈单记录问题性质、原因和处理情况",
    "GK09-05": "签字后的反馈单复印件 10 天内报企管部门",
    "GK09-06": "营销部门负责人签字",
    "GK03-02": "出差报告 3 天内交营销部门",
    "GK03-04": "出差报告客户信息完整",
    "REC-01": "记录文件可读",
}


def _finding(rule: str, severity: Severity, outcome: str, criterion: Citation, record: RecordRef,
             fields: tuple[str, ...], values: dict[str, str], expected: str | None, message: str,
             due: dt.date | None = None) -> Finding:
    return Finding(rule, TITLES[rule], severity, outcome, criterion, record, fields, values, expected, message,
                   due=due)


OPEN_MESSAGE = "复印件上交企管部门日期尚未填写，自营销部门负责人 2025-06-28 起 10 天的期限 2025-07-08 未到"


def make_report() -> Report:
    """Five nonconformities on four records (one unreadable), a rule that could not be evaluated, an open
    item (a deadline still running), every severity."""
    findings = [
        _finding("GK09-03", Severity.MAJOR, "missing", GK09_2, FEEDBACK_1, ("problem_cause",),
                 {"problem_cause": ""}, None, "反馈单未填写问题原因"),
        _finding("GK09-05", Severity.MAJOR, "fail", GK09_4, FEEDBACK_1, ("marketing_leader.date", "copy_to_qm_on"),
                 {"marketing_leader.date": "2025-05-07", "copy_to_qm_on": "2025-05-20"}, "2025-05-17",
                 "复印件于 2025-05-20 上交企管部门，超过营销部门负责人签字（2025-05-07）后 10 天的期限 2025-05-17"),
        _finding("GK03-02", Severity.MINOR, "fail", GK03, TRIP, ("returned_on", "submitted_on"),
                 {"returned_on": "2025-06-03", "submitted_on": "2025-06-09"}, "2025-06-06",
                 f"出差报告返回后 6 天才交营销部门 {INJECTION}"),
        _finding("GK03-04", Severity.OBSERVATION, "cannot_evaluate", GK03, TRIP, ("customers.customer",),
                 {"customers.customer": "华东电力公司"}, None, "客户信息的档案类别无法判定"),
        _finding("GK03-02", Severity.OBSERVATION, "future", GK03, SURVEY, ("submitted_on",),
                 {"submitted_on": "2025-07-15"}, "≤ 2025-06-30", "交至营销部门日期 2025-07-15 晚于审核基准日"),
        _finding("REC-01", Severity.MAJOR, "unreadable_record", Citation("", ""), BROKEN, (), {}, None,
                 "文件不是有效的 .docx：zip 目录损坏"),
        _finding("GK09-05", Severity.MAJOR, "open", GK09_4, FEEDBACK_2, ("copy_to_qm_on", "marketing_leader.date"),
                 {"marketing_leader.date": "2025-06-28"}, "≤ 2025-07-08", OPEN_MESSAGE, dt.date(2025, 7, 8)),
    ]
    checked = (
        (FEEDBACK_1, ("GK09-03", "GK09-05", "GK09-06")),
        (FEEDBACK_2, ("GK09-03", "GK09-05", "GK09-06")),
        (TRIP, ("GK03-02", "GK03-04")),
        (SURVEY, ("GK03-02",)),
    )
    return Report(as_of=dt.date(2025, 6, 30), root=ROOT, sources=5, records=4, rules=5,
                  findings=tuple(sorted(findings, key=Finding.sort_key)), rule_titles=dict(TITLES),
                  checked=checked)


@pytest.fixture(scope="module")
def report() -> Report:
    return make_report()


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def any_labels(request: pytest.FixtureRequest) -> Labels:
    return load_labels(request.param)


@pytest.fixture(scope="session")
def schemas() -> Path:
    """The public schemas, fetched once; a missing schema fails the run, it never skips."""
    if not (SARIF_SCHEMA.is_file() and JUNIT_XSD.is_file()):
        script = REPO / "scripts" / "fetch-test-schemas"
        done = subprocess.run(["bash", str(script)], check=False, cwd=REPO, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not (SARIF_SCHEMA.is_file() and JUNIT_XSD.is_file()):
            pytest.fail(f"cannot fetch the SARIF and JUnit schemas into {SCHEMAS} with {script} "
                        f"(needs npm and pip with registry access):\n{done.stdout}{done.stderr}")
    return SCHEMAS


# -- dispatch -----------------------------------------------------------------------------

def test_every_format_renders_to_bytes(report: Report, project: Project, labels: Labels) -> None:
    for fmt in FORMATS:
        data = render(fmt, report, project, labels)
        assert isinstance(data, bytes) and data, fmt
    assert render("text", report, None, labels) == render_text(report, labels).encode("utf-8")
    assert render("junit", report, None, labels) == render_junit(report)


def test_unknown_format_and_docx_without_project_are_clear_errors(report: Report, labels: Labels) -> None:
    with pytest.raises(ValueError, match="expected one of text, json"):
        render("pdf", report, None, labels)
    with pytest.raises(ValueError, match="project"):
        render("docx", report, None, labels)


@pytest.mark.parametrize(("name", "fmt"), [
    ("report.txt", "text"), ("out/findings.json", "json"), ("findings.jsonl", "jsonl"),
    ("TEST-qmsdoc.xml", "junit"), ("scan.sarif", "sarif"), ("scan.sarif.json", "sarif"),
    ("审核报告.HTML", "html"), ("nc-report.docx", "docx"), ("report.pdf", None), ("json", None),
])
def test_format_is_guessed_from_the_suffix(name: str, fmt: str | None) -> None:
    assert guess_format(name) == fmt


# -- text ---------------------------------------------------------------------------------

def test_text_prints_the_audit_date_groups_by_record_and_summarises(report: Report) -> None:
    out = render_text(report, load_labels("en"))
    lines = out.splitlines()
    assert "as of 2025-06-30" in lines[0] and ROOT in lines[0]
    headings = [line for line in lines if line.startswith(ROOT)]
    assert headings == [
        f"{SURVEY.source}:7  SJE/JL/GK-03-01 A/0",
        f"{FEEDBACK_1.source}  SJE/JL/GK-09-01 A/0  Record No. FK-2025-001",
        f"{FEEDBACK_2.source}  SJE/JL/GK-09-01 A/0  Record No. FK-2025-002",
        f"{BROKEN.source}",
        f"{TRIP.source}:12  SJE/JL/GK-03-01 A/0  Record No. CC-2025-017",
    ]
    block = out.split(headings[1])[1].split("\n\n")[0]
    assert "GK09-03" in block and "GK09-05" in block and "反馈单未填写问题原因" in block
    assert "Criterion: SJE/ZY/GK-09 A/0 第四条" in block and "marketing_leader.date, copy_to_qm_on" in block
    assert "Outcome: value missing" in block
    open_block = out.split(headings[2])[1].split("\n\n")[0].splitlines()[1:]
    assert open_block[0].split()[:4] == ["open,", "not", "yet", "due"]  # never "Major" for what is not a finding
    assert "Due: 2025-07-08" in open_block[1] and "Outcome" not in open_block[1]
    summary = out.split("Findings by severity")[1]
    # nonconformities by severity; the undecided rule and the open item are counted apart, not in the total
    assert [line.split() for line in summary.splitlines()[1:5]] == [
        ["Major", "3"], ["Minor", "1"], ["Observation", "1"], ["Total", "5"]]
    assert summary.splitlines()[5].strip() == "not counted as findings: 1 cannot be evaluated, 1 open (not yet due)"
    open_items = out.split("Open items (not yet due)")[1].splitlines()[1:2]
    assert [line.split()[:3] for line in open_items] == [["2025-07-08", "GK09-05", FEEDBACK_2.source]]
    by_rule = out.split("Findings by rule")[1].splitlines()[1:]
    assert [(line.split()[0], line.split()[-1]) for line in by_rule] == [
        ("GK03-02", "2"), ("GK03-04", "1"), ("GK09-03", "1"), ("GK09-05", "1"), ("REC-01", "1")]
    assert "出差报告 3 天内交营销部门" in by_rule[0]


def test_text_names_fields_in_the_forms_words(report: Report, labels: Labels, project: Project) -> None:
    """With the project (as `qmsdoc check` prints it), fields are named as the form names them; without it,
    by id. A path the form does not have is shown as it is."""
    assert "marketing_leader.date, copy_to_qm_on" in render_text(report, labels)
    worded = render_text(report, labels, project)
    assert "字段：营销部门负责人签字日期、复印件上交企管部门日期" in worded
    assert "marketing_leader" not in worded and "copy_to_qm_on" not in worded
    assert render("text", report, project, labels) == worded.encode("utf-8")
    odd = dataclasses.replace(report.findings[0], fields=("no_such_field", "no_such_field"))
    shown = render_text(dataclasses.replace(report, findings=(odd,)), labels, project)
    assert shown.split("字段：")[1].split("　")[0].split("\n")[0] == "no_such_field"  # as it is, once


def test_text_keeps_the_callers_order_and_is_deterministic(report: Report, labels: Labels) -> None:
    out = render_text(report, labels)
    assert "审核基准日 2025-06-30" in out.splitlines()[0]
    positions = [out.index(f.message) for f in report.findings]
    assert positions == sorted(positions)
    assert out == render_text(report, labels)
    assert "严重不符合  3" in out and "未计入不符合项：无法判定 1 项，未到期 1 项" in out


def test_text_without_findings_says_so(labels: Labels) -> None:
    empty = Report(dt.date(2025, 6, 30), ROOT, 3, 3, 5, ())
    out = render_text(empty, labels)
    assert "未发现不符合项" in out and "审核基准日 2025-06-30" in out
    assert "未计入不符合项：无法判定 0 项，未到期 0 项" in out and "未到期事项" not in out


# -- json / jsonl -------------------------------------------------------------------------

FINDING_KEYS = ["id", "rule", "title", "severity", "outcome", "criterion", "record", "fields", "values",
                "expected", "due", "message"]


def test_json_has_every_field_of_every_finding(report: Report) -> None:
    doc = json.loads(render_json(report))
    assert list(doc) == ["as_of", "root", "counts", "summary", "findings"]
    assert doc["as_of"] == "2025-06-30" and doc["root"] == ROOT
    assert doc["counts"] == {"sources": 5, "records": 4, "rules": 5, "findings": 5, "cannot_evaluate": 1, "open": 1}
    assert doc["summary"]["by_severity"] == {"major": 3, "minor": 1, "observation": 1}
    [open_item] = report.open_items()
    assert doc["summary"]["open_items"] == [{"id": open_item.id, "due": "2025-07-08"}]
    assert [(r["rule"], r["count"], r["severity"]) for r in doc["summary"]["by_rule"]] == [
        ("GK03-02", 2, "minor"), ("GK03-04", 1, "observation"), ("GK09-03", 1, "major"),
        ("GK09-05", 1, "major"), ("REC-01", 1, "major")]
    assert len(doc["findings"]) == 7
    for item, f in zip(doc["findings"], report.findings, strict=True):
        assert list(item) == FINDING_KEYS
        assert item == {
            "id": f.id, "rule": f.rule, "title": f.title, "severity": f.severity.value, "outcome": f.outcome,
            "criterion": {"document": f.criterion.document, "revision": f.criterion.revision,
                          "clause": f.criterion.clause, "title": f.criterion.title},
            "record": {"source": f.record.source, "location": f.record.location, "form": f.record.form,
                       "revision": f.record.revision, "record_id": f.record.record_id},
            "fields": list(f.fields), "values": f.values, "expected": f.expected,
            "due": f.due.isoformat() if f.due else None, "message": f.message,
        }
    assert [item["due"] for item in doc["findings"] if item["outcome"] == "open"] == ["2025-07-08"]


def test_json_round_trips_into_findings(report: Report) -> None:
    doc = json.loads(render_json(report))
    rebuilt = tuple(
        Finding(d["rule"], d["title"], Severity(d["severity"]), d["outcome"], Citation(**d["criterion"]),
                RecordRef(**d["record"]), tuple(d["fields"]), d["values"], d["expected"], d["message"], d["id"],
                dt.date.fromisoformat(d["due"]) if d["due"] else None)
        for d in doc["findings"])
    assert rebuilt == report.findings
    assert all(f.id == dataclasses.replace(f, id="").id for f in rebuilt)  # ids are recomputed equal


def test_json_writes_chinese_as_is_and_is_stable(report: Report) -> None:
    text = render_json(report)
    assert "反馈单未填写问题原因" in text and "\\u" not in text
    assert text == render_json(make_report())


def test_jsonl_is_one_finding_per_line_with_the_audit_date(report: Report) -> None:
    text = render_jsonl(report)
    assert text.endswith("\n")
    lines = text.splitlines()
    assert len(lines) == len(report.findings)
    full = json.loads(render_json(report))["findings"]
    for line, expected in zip(lines, full, strict=True):
        item = json.loads(line)
        assert list(item) == ["as_of", *FINDING_KEYS]
        assert item.pop("as_of") == "2025-06-30"
        assert item == expected
    assert render_jsonl(Report(dt.date(2025, 6, 30), ROOT, 0, 0, 0, ())) == ""


# -- JUnit --------------------------------------------------------------------------------

def test_junit_validates_against_the_jenkins_xunit_schema(report: Report, schemas: Path) -> None:
    xsd = etree.XMLSchema(etree.parse(str(schemas / "junit-10.xsd")))
    doc = etree.fromstring(render_junit(report))
    assert xsd.validate(doc), xsd.error_log
    empty = etree.fromstring(render_junit(Report(dt.date(2025, 6, 30), ROOT, 0, 0, 0, ())))
    assert xsd.validate(empty), xsd.error_log


def test_junit_has_one_case_per_record_and_rule_and_a_failure_per_finding(report: Report) -> None:
    root = etree.fromstring(render_junit(report))
    cases = root.findall("testsuite/testcase")
    # 2 feedback forms × 3 rules + trip × 2 + survey × 1, and the unreadable file
    assert len(cases) == 10
    # nonconformities fail; the rule that could not be evaluated is an error; the open item is skipped
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("10", "5", "1")
    failures = root.findall("testsuite/testcase/failure")
    assert len(failures) == 5
    assert sorted(f.get("type") for f in failures) == ["major"] * 3 + ["minor"] + ["observation"]
    [error] = root.findall("testsuite/testcase/error")
    assert (error.get("type"), error.get("message")) == ("observation", "客户信息的档案类别无法判定")
    [skipped] = root.findall("testsuite/testcase/skipped")
    assert skipped.get("message") == f"{OPEN_MESSAGE} [due 2025-07-08]"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["GK03-02 出差报告 3 天内交营销部门", "GK03-04 出差报告客户信息完整",
                            "GK09-03 反馈单记录问题性质、原因和处理情况", "GK09-05 签字后的反馈单复印件 10 天内报企管部门",
                            "GK09-06 营销部门负责人签字", "REC-01 记录文件可读"]
    gk0905 = suites["GK09-05 签字后的反馈单复印件 10 天内报企管部门"]
    assert [gk0905.get(a) for a in ("tests", "failures", "errors", "skipped")] == ["2", "1", "0", "1"]
    failed, still_open = gk0905.findall("testcase")
    assert failed.get("name") == f"{FEEDBACK_1.source} [FK-2025-001]" and failed.get("classname") == "GK09-05"
    assert failed.find("failure").get("message").startswith("复印件于 2025-05-20")
    assert "expected: 2025-05-17" in failed.find("failure").text
    assert still_open.find("failure") is None and still_open.find("skipped") is not None
    trip = suites["GK03-02 出差报告 3 天内交营销部门"].find("testcase")
    assert trip.get("line") == "12" and trip.get("file") == TRIP.source
    assert INJECTION in trip.find("failure").get("message")
    unreadable = suites["REC-01 记录文件可读"].findall("testcase")
    assert [c.get("name") for c in unreadable] == [f"unreadable record: {BROKEN.source}"]
    assert unreadable[0].find("failure").get("type") == "major"
    props = {p.get("name"): p.get("value") for p in gk0905.findall("properties/property")}
    assert props["as_of"] == "2025-06-30" and props["criterion"] == "SJE/ZY/GK-09 A/0 第四条"


# -- SARIF --------------------------------------------------------------------------------

def test_sarif_validates_against_the_official_schema(report: Report, schemas: Path) -> None:
    schema = json.loads((schemas / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    for r in (report, Report(dt.date(2025, 6, 30), "/srv/audit/records", 0, 0, 0, ())):
        errors = sorted(validator(schema).iter_errors(json.loads(render_sarif(r))), key=str)
        assert errors == []


def test_sarif_results_levels_locations_and_fingerprints(report: Report) -> None:
    log = json.loads(render_sarif(report))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("qmsdoc", __version__)
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == set(TITLES)
    assert rules["GK09-05"]["shortDescription"]["text"] == TITLES["GK09-05"]
    assert rules["GK09-05"]["properties"]["criterion"] == {"document": "SJE/ZY/GK-09", "revision": "A/0",
                                                          "clause": "第四条", "title": "售后服务问题反馈调查的管理制度"}
    assert rules["GK09-05"]["fullDescription"]["text"] == f"{TITLES['GK09-05']} (SJE/ZY/GK-09 A/0 第四条)"
    assert run["invocations"][0]["properties"]["as_of"] == "2025-06-30"
    results = run["results"]
    assert len(results) == 7
    levels = {"major": "error", "minor": "warning", "observation": "note"}
    kinds = {"cannot_evaluate": "open", "open": "informational"}  # SARIF's words; level "none" for both
    for result, f in zip(results, report.findings, strict=True):
        assert result["ruleId"] == f.rule
        assert driver["rules"][result["ruleIndex"]]["id"] == f.rule
        assert result.get("kind", "fail") == kinds.get(f.outcome, "fail")
        assert result["level"] == (levels[f.severity.value] if f.outcome not in kinds else "none")
        assert result["properties"]["due"] == (f.due.isoformat() if f.due else None)
        assert result["message"]["text"] == f.message
        assert result["partialFingerprints"] == {"qmsdocFindingId/v1": f.id}
        assert result["properties"]["outcome"] == f.outcome
    by_source = {r["properties"]["record"]["source"]: r["locations"][0]["physicalLocation"] for r in results}
    assert by_source[TRIP.source] == {"artifactLocation": {"uri": "jsonl/%E5%87%BA%E5%B7%AE%E6%8A%A5%E5%91%8A.jsonl",
                                                           "uriBaseId": "RECORDS"},
                                      "region": {"startLine": 12}}
    assert by_source[SURVEY.source]["artifactLocation"]["uri"] == "csv/customer%20visits.csv"
    assert "region" not in by_source[FEEDBACK_1.source]


def test_sarif_names_an_absolute_root_as_the_base_uri(report: Report) -> None:
    moved = Report(report.as_of, "/srv/审核/records", 1, 1, 1, (
        _finding("GK09-03", Severity.MINOR, "fail", GK09_2, RecordRef("/srv/审核/records/a.docx"), (), {}, None, "x"),))
    run = json.loads(render_sarif(moved))["runs"][0]
    assert run["originalUriBaseIds"] == {"RECORDS": {"uri": "file:///srv/%E5%AE%A1%E6%A0%B8/records/"}}
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "a.docx", "uriBaseId": "RECORDS"}
    outside = Report(report.as_of, "records", 1, 1, 1, (
        _finding("GK09-03", Severity.MINOR, "fail", GK09_2, RecordRef("/tmp/其他/b.docx"), (), {}, None, "x"),))
    location = json.loads(render_sarif(outside))["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "file:///tmp/%E5%85%B6%E4%BB%96/b.docx"}


# -- HTML ---------------------------------------------------------------------------------

def test_html_is_well_formed_self_contained_and_escaped(report: Report, any_labels: Labels, project: Project) -> None:
    page = render_html(report, any_labels, project)
    assert page.startswith("<!DOCTYPE html>")
    strict = etree.HTMLParser(recover=False)
    tree = etree.fromstring(page.encode("utf-8"), strict)
    assert tree.get("lang") == any_labels.language
    # the injected markup is text, never an element
    assert tree.xpath("//body//script") == [] and tree.xpath("//img") == []
    assert any(INJECTION in "".join(td.itertext()) for td in tree.iter("td"))
    assert "&lt;script&gt;" in page
    # nothing outside the file: no src/href/url() anywhere, no external stylesheet
    for el in tree.iter():
        if isinstance(el.tag, str):
            for attr in ("src", "href", "action", "srcset"):
                assert el.get(attr) is None, (el.tag, attr)
    assert "http://" not in page and "https://" not in page and "url(" not in page
    assert tree.xpath("//link") == []


def test_html_shows_the_summary_and_groups_findings_by_record(report: Report, project: Project) -> None:
    labels = load_labels("zh-CN")
    tree = lxml.html.document_fromstring(render_html(report, labels, project))
    text = tree.text_content()
    assert "审核基准日 2025-06-30" in text and ROOT in text
    sections = tree.xpath("//section[contains(concat(' ', @class, ' '), ' record ')]")
    assert [s.xpath("string(h3/span[@class='where'])") for s in sections] == [
        f"{SURVEY.source}:7", FEEDBACK_1.source, FEEDBACK_2.source, BROKEN.source, f"{TRIP.source}:12"]
    rows = [len(s.xpath(".//tbody/tr")) for s in sections]
    assert rows == [1, 2, 1, 1, 2]
    # the CSS-only filter hides a record whose severities are all unticked: it needs their set
    assert [s.get("class") for s in sections] == [
        "record only-observation", "record only-major", "record only-major", "record only-major",
        "record only-minor-observation"]
    assert sections[2].xpath("string(.//span[@class='sev-badge'])") == "未到期"
    assert sections[2].xpath("string(.//span[@class='outcome'])") == "期限 2025-07-08"
    assert sections[4].xpath(".//span[@class='sev-badge']/text()") == ["一般不符合", "无法判定"]
    assert "FK-2025-001" in sections[1].text_content()
    first = sections[1].xpath(".//tbody/tr")[1]
    assert first.get("class") == "sev-major"
    assert "SJE/ZY/GK-09 A/0 第四条" in first.text_content() and "2025-05-17" in first.text_content()
    # the requirement in words and the values under the form's labels, never a field id
    assert first.xpath("string(td[@class='req'])").endswith(TITLES["GK09-05"])
    assert [li.text_content() for li in first.xpath("td[@class='vals']//li")] == [
        "营销部门负责人签字日期：2025-05-07", "复印件上交企管部门日期：2025-05-20"]
    assert "marketing_leader" not in tree.text_content() and "copy_to_qm_on" not in tree.text_content()
    assert "qmsdoc" not in tree.xpath("string(//footer)")  # no generator line
    summary = tree.xpath("//section[@class='summary']//table")[0]
    assert [[td.text_content() for td in tr.xpath("td")] for tr in summary.xpath(".//tbody/tr")] == [
        ["严重不符合", "3"], ["一般不符合", "1"], ["观察项", "1"], ["合计", "5"], ["无法判定", "1"], ["未到期事项", "1"]]
    assert len(tree.xpath("//section[@class='summary']//table")[1].xpath(".//tbody/tr")) == 5
    [open_row] = tree.xpath("//section[@class='open-items']//tbody/tr")
    assert [td.text_content() for td in open_row.xpath("td")] == ["2025-07-08", "GK09-05", FEEDBACK_2.source,
                                                                  OPEN_MESSAGE]


# -- DOCX ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nc_docx(report: Report, project: Project, labels: Labels) -> bytes:
    return render_docx(report, project, labels)


def _all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for table in section.header.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_opens_and_shows_criteria_evidence_and_findings(nc_docx: bytes, report: Report) -> None:
    document = docx.Document(io.BytesIO(nc_docx))
    text = _all_text(document)
    assert "内部审核报告" in text and "2025-06-30" in text
    for f in report.findings:
        assert f.message in text
        if f.criterion.label:
            assert f.criterion.label in text
    assert "《售后服务问题反馈调查的管理制度》" in text  # the cited document's title from the project
    assert "营销部门负责人签字日期：2025-05-07" in text  # the form's own words for a field
    assert "marketing_leader" not in text and "copy_to_qm_on" not in text
    for label in ("纠正措施", "责任部门／责任人", "完成期限", "验证结果", "验证人", "审核组长", "受审核方代表"):
        assert label in text
    # cover, counts, sign-off, by procedure, by department, by rule, the undecided rules, the open items,
    # a sheet per major and minor nonconformity (4), the observations (1) in one table
    sheets = [f for f in report.nonconformities if f.severity != Severity.OBSERVATION]
    assert len(sheets) == 4
    assert len(document.tables) == 8 + len(sheets) + 1 == 13
    undecided, open_items = document.tables[6], document.tables[7]
    assert [c.text for c in undecided.rows[1].cells] == ["GK03-04", TRIP.where, "客户信息的档案类别无法判定"]
    assert [c.text for c in open_items.rows[1].cells] == ["2025-07-08", "GK09-05", FEEDBACK_2.where, OPEN_MESSAGE]
    counts = [c.text for c in document.tables[1].rows[1].cells]
    assert counts == ["3", "1", "1", "5", "1", "1"]
    assert "不符合项报告 NC-04（共 4 项）" in text and "NC-05" not in text
    observations = document.tables[-1]
    assert [c.text for c in observations.rows[0].cells][:2] == ["编号", "要求"]
    assert observations.rows[1].cells[0].text == "GC-01" and len(observations.rows) == 2
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "qmsdoc" not in footer and __version__ not in footer
    props = document.core_properties
    assert props.created.date() == report.as_of and props.modified.date() == report.as_of


def test_docx_is_reproducible(nc_docx: bytes, project: Project, labels: Labels) -> None:
    assert render_docx(make_report(), project, labels) == nc_docx
    with zipfile.ZipFile(io.BytesIO(nc_docx)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_docx_validates_against_the_ooxml_schemas(nc_docx: bytes, project: Project) -> None:
    assert validate_docx(nc_docx) == []
    english = render_docx(make_report(), project, load_labels("en"))
    assert validate_docx(english) == []
    assert "Internal audit report" in _all_text(docx.Document(io.BytesIO(english)))


def test_docx_without_findings_still_reports_the_audit(project: Project, labels: Labels) -> None:
    data = render_docx(Report(dt.date(2025, 6, 30), ROOT, 3, 3, 5, ()), project, labels)
    assert validate_docx(data) == []
    assert "未发现不符合项" in _all_text(docx.Document(io.BytesIO(data)))


# -- hostile text -------------------------------------------------------------------------

def test_control_characters_from_records_never_break_a_format(project: Project, labels: Labels) -> None:
    bad = "值\x00含\x1b[2J控制\x07字符\n第二行"
    f = _finding("GK09-03", Severity.MINOR, "fail", GK09_2, FEEDBACK_1, ("problem_cause",),
                 {"problem_cause": bad}, bad, bad)
    r = Report(dt.date(2025, 6, 30), ROOT, 1, 1, 1, (f,), checked=((FEEDBACK_1, ("GK09-03",)),))
    text = render_text(r, labels)
    assert "\x1b" not in text and "\x00" not in text and "\\x1b[2J" in text
    assert json.loads(render_json(r))["findings"][0]["message"] == bad  # JSON escapes them losslessly
    assert etree.fromstring(render_junit(r)).find(".//failure") is not None
    etree.fromstring(render_html(r, labels, project).encode("utf-8"), etree.HTMLParser(recover=False))
    data = render_docx(r, project, labels)
    assert validate_docx(data) == []
    assert "值\ufffd含\ufffd[2J控制\ufffd字符" in _all_text(docx.Document(io.BytesIO(data)))


@pytest.mark.libreoffice
def test_docx_renders_in_libreoffice_one_finding_a_page(nc_docx: bytes, report: Report, soffice: str,
                                                        tmp_path: Path) -> None:
    from conftest import to_pdf
    source = tmp_path / "nc.docx"
    source.write_bytes(nc_docx)
    to_pdf(soffice, [source], tmp_path)
    pdf = tmp_path / "nc.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    texts = ["".join(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                                    text=True, check=True).stdout.split()) for n in range(1, pages + 1)]
    sheets = [n for n, t in enumerate(texts) if "不符合项报告NC-" in t]
    # each major and minor nonconformity on a page of its own, in order; the observation on no sheet
    assert [texts[n].split("不符合项报告")[1][:5] for n in sheets] == ["NC-01", "NC-02", "NC-03", "NC-04"]
    assert sheets == list(range(sheets[0], sheets[0] + 4))
    assert "观察项（共1项）" in texts[-1] and "GC-01" in texts[-1]
    assert pages == sheets[-1] + 2  # the sheets, then the observations' page
    text = "".join(texts)
    assert f"第1页共{pages}页" in text and f"第{pages}页共{pages}页" in text
    assert "内部审核报告" in text and "反馈单未填写问题原因" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines()), fonts
