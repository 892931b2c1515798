"""What every report format shares: findings grouped by record, summaries, label look-ups.

Emitters only format. They never filter, re-sort or decide exit codes: the caller hands
them a `Report` whose findings are already in their final order, and every helper here
keeps that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qmsdoc.model.findings import OPEN, Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.rules import Severity

SEVERITIES = tuple(Severity)
"""Severities from the most to the least serious (major, minor, observation)."""

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE = re.compile(r"^(?:line\s*)?(\d+)(?::(\d+))?$", re.IGNORECASE)


@dataclass(frozen=True)
class RecordGroup:
    """One record and its findings, in the order the caller gave them."""

    record: RecordRef
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class RuleLine:
    """One line of the summary by rule: code, title, severity and number of findings."""

    code: str
    title: str
    severity: Severity
    count: int


def record_key(record: RecordRef) -> tuple[str, str]:
    """What identifies a record across findings: its file and its line or row."""
    return (record.source, record.location)


def group_by_record(findings: tuple[Finding, ...] | list[Finding]) -> list[RecordGroup]:
    """Findings grouped by record, records in order of first appearance.

    Findings of one record may carry more or less of its identity (a set rule may not know
    the record number); the group's record takes the first non-empty form, revision and
    record id among them.
    """
    order: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        order.setdefault(record_key(f.record), []).append(f)
    groups = []
    for items in order.values():
        first = items[0].record
        groups.append(RecordGroup(
            RecordRef(first.source, first.location,
                      next((f.record.form for f in items if f.record.form), None),
                      next((f.record.revision for f in items if f.record.revision), None),
                      next((f.record.record_id for f in items if f.record.record_id), None)),
            tuple(items)))
    return groups


def rule_summary(report: Report) -> list[RuleLine]:
    """Rules with at least one finding, by code: title, highest severity seen, count. Open items (a
    deadline still running) are not findings and are not counted here; rules that could not be
    evaluated are (each report also counts them apart)."""
    seen: dict[str, RuleLine] = {}
    for f in report.findings:  # one pass: a report may hold many thousands of findings
        if f.outcome == OPEN:
            continue
        line = seen.get(f.rule) or RuleLine(f.rule, report.rule_titles.get(f.rule) or f.title, f.severity, 0)
        severity = f.severity if f.severity.rank > line.severity.rank else line.severity
        seen[f.rule] = RuleLine(line.code, line.title, severity, line.count + 1)
    return [seen[code] for code in sorted(seen)]


def criteria_by_rule(findings: tuple[Finding, ...] | list[Finding], separator: str = "; ") -> dict[str, str]:
    """Per rule code, the criteria its findings cite (`SJE/ZY/GK-09 A/0 第四条`), each once and sorted: a
    rule judged by two revisions of its procedure cites both (A/0 before B/0)."""
    labels: dict[str, dict[str, None]] = {}
    for f in findings:
        if f.criterion.label:
            labels.setdefault(f.rule, {})[f.criterion.label] = None
        else:
            labels.setdefault(f.rule, {})
    return {code: separator.join(sorted(seen)) for code, seen in labels.items()}


def line_number(location: str) -> tuple[int, int | None] | None:
    """(line, column) when a record's location is a line number (`12`, `12:3`, `line 12`)."""
    m = _LINE.match(location.strip())
    if not m or int(m.group(1)) < 1:
        return None
    column = int(m.group(2)) if m.group(2) and int(m.group(2)) >= 1 else None
    return int(m.group(1)), column


def relative_source(source: str, root: str) -> str:
    """The record's path relative to the checked folder, with forward slashes.

    A source outside `root` is returned as given (with forward slashes).
    """
    posix = source.replace("\\", "/")
    base = root.replace("\\", "/").rstrip("/")
    if base not in ("", ".") and posix.startswith(base + "/"):
        posix = posix[len(base) + 1:]
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def xml_text(text: str) -> str:
    """Text that XML 1.0 (and so .docx and HTML) can carry: the characters it forbids, most
    control characters among them, become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def severity_label(labels: Labels, severity: Severity) -> str:
    return labels[f"report_severity_{severity.value}"]


def not_counted(report: Report, labels: Labels) -> str:
    """The line that counts what is reported but is not a nonconformity: rules that could not be
    evaluated, and open items (shown even when both are 0: the reader sees none were left out)."""
    counts = report.count_by_outcome()
    return labels.format("report_not_counted", undecided=counts["cannot_evaluate"], open=counts["open"])


def standing_label(labels: Labels, f: Finding) -> str:
    """What a finding is, first on its line: its severity for a nonconformity; for a rule that could not
    be evaluated or an open item, that outcome (never "major nonconformity" for what is not one)."""
    if f.is_nonconformity:
        return severity_label(labels, f.severity)
    return outcome_label(labels, f.outcome)


def outcome_label(labels: Labels, outcome: str) -> str:
    """The outcome in words; an outcome the catalogue does not know is shown as is."""
    return labels.texts.get(f"report_outcome_{outcome}", outcome)


def record_heading(record: RecordRef, labels: Labels) -> str:
    """`records/a.jsonl:12　SJE/JL/GK-09-01 A/0　记录号 FK-001` (only the parts known)."""
    parts = [record.where]
    form = " ".join(p for p in (record.form, record.revision) if p)
    if form:
        parts.append(form)
    if record.record_id:
        parts.append(f"{labels['report_record_id']} {record.record_id}")
    return "　".join(parts) if labels.language.startswith("zh") else "  ".join(parts)
