"""Findings as SARIF 2.1.0, for code-scanning dashboards and SARIF viewers.

One run of the tool `qmsdoc`. Its rules are the rule codes of the report (every code in
`Report.rule_titles` and every code that has a finding, sorted), each with its title and, when
a finding shows it, the criteria it cites (document, revision and clause: every revision the
findings were judged by). Each finding is one result: `ruleId`, `level` from
the severity (major → error, minor → warning, observation → note), the message, where the
record is (path relative to the checked folder; a line region when the record's location is a
line number) and `partialFingerprints` with the finding's stable id, so dashboards follow a
finding across runs. The audit date is an invocation property; nothing reads the clock.

A nonconformity is a result of kind `fail`. A rule that could not be evaluated is of kind `open`
(SARIF's word for "not enough information to decide"), an open item (a deadline still running, not
a finding yet) of kind `informational`; SARIF gives both the level `none`, and their severity,
outcome and due date are in the result's properties.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from qmsdoc import __version__
from qmsdoc.model.findings import OPEN, UNDECIDED, Finding, Report
from qmsdoc.model.rules import Severity
from qmsdoc.report.common import criteria_by_rule, line_number, relative_source
from qmsdoc.report.json_ import criterion_dict, finding_dict

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.MAJOR: "error", Severity.MINOR: "warning", Severity.OBSERVATION: "note"}
ROOT_BASE = "RECORDS"
"""The uriBaseId every artifact location is relative to: the checked folder."""
FINGERPRINT = "qmsdocFindingId/v1"
KINDS = {UNDECIDED: "open", OPEN: "informational"}
"""The SARIF result kind of the outcomes that are not nonconformities (any other is `fail`)."""


def artifact_location(source: str, root: str) -> dict[str, str]:
    """The record's path relative to the checked folder (base `RECORDS`), non-ASCII escaped;
    a file outside that folder gets an absolute `file://` URI of its own instead."""
    path = relative_source(source, root)
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": ROOT_BASE}


def _rules(report: Report) -> list[dict[str, Any]]:
    codes = sorted(set(report.rule_titles) | {f.rule for f in report.findings})
    criteria = criteria_by_rule(report.findings)
    first: dict[str, Finding] = {}
    for f in report.findings:
        first.setdefault(f.rule, f)
    rules = []
    for code in codes:
        sample = first.get(code)
        title = report.rule_titles.get(code) or (sample.title if sample else code)
        rule: dict[str, Any] = {"id": code, "name": code, "shortDescription": {"text": title or code}}
        if sample is not None:
            rule["defaultConfiguration"] = {"level": LEVELS[sample.severity]}
            props: dict[str, Any] = {"severity": sample.severity.value}
            criterion = sample.criterion
            if criterion.document or criterion.clause:
                rule["fullDescription"] = {"text": f"{title} ({criteria.get(code) or criterion.label})"}
                props["criterion"] = criterion_dict(criterion)
            rule["properties"] = props
        rules.append(rule)
    return rules


def _result(f: Finding, index: int, root: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(f.record.source, root)}
    line = line_number(f.record.location)
    if line:
        physical["region"] = {"startLine": line[0], **({"startColumn": line[1]} if line[1] else {})}
    location: dict[str, Any] = {"physicalLocation": physical}
    if f.record.record_id:
        location["logicalLocations"] = [{"name": f.record.record_id, "kind": "object",
                                         **({"fullyQualifiedName": f"{f.record.form}/{f.record.record_id}"}
                                            if f.record.form else {})}]
    kind = KINDS.get(f.outcome, "fail")
    return {
        "ruleId": f.rule,
        "ruleIndex": index,
        **({"kind": kind} if kind != "fail" else {}),
        "level": LEVELS[f.severity] if kind == "fail" else "none",
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: f.id},
        "properties": {k: v for k, v in finding_dict(f).items() if k not in ("rule", "title", "message")},
    }


def sarif_dict(report: Report) -> dict[str, Any]:
    """The SARIF log as plain JSON values."""
    rules = _rules(report)
    index = {r["id"]: k for k, r in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "qmsdoc", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [{"executionSuccessful": True,
                         "properties": {"as_of": report.as_of.isoformat(), "root": report.root,
                                        "sources": report.sources, "records": report.records,
                                        "rules": report.rules}}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule], report.root) for f in report.findings],
    }
    if PurePosixPath(report.root.replace("\\", "/")).is_absolute():
        base = quote(report.root.replace("\\", "/").rstrip("/"), safe="/")
        run["originalUriBaseIds"] = {ROOT_BASE: {"uri": f"file://{base}/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report) -> str:
    """The SARIF 2.1.0 log as indented JSON, ending with a newline."""
    return json.dumps(sarif_dict(report), ensure_ascii=False, indent=2) + "\n"
