"""Findings as one self-contained HTML page of the internal audit report, an auditor can mail or print.

The page is laid out by `report/templates/report.html`, its styles in `report.css` beside it,
included inline. Everything is inline: styles in one `<style>` element, no scripts, no fonts,
images or links to anything outside the file (a Content-Security-Policy says so to the browser
too). Every text from records, rules and labels goes through Jinja2's autoescaping. The
severity filter is pure CSS (checkboxes and `:has()`); where a browser lacks `:has()`, or when
printing, every finding simply shows.

It says what the Word report says (report/audit.py): the audit's number, dates, objectives, scope,
criteria, team and auditee, the conclusion; nonconformities by severity, by procedure, by department
and by rule (each clause its findings cite), and apart from them the rules that could not be evaluated
and the open items (deadlines still running, by due date); then the findings by record, each with its
requirement in words and the values seen under the form's labels (report/wording.py): no field id, no
expression. No generator line: the page is the auditor's.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import jinja2

from qmsdoc import __version__
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.report.audit import build_audit
from qmsdoc.report.common import (
    SEVERITIES,
    group_by_record,
    outcome_label,
    severity_label,
    standing_label,
    xml_text,
)
from qmsdoc.report.wording import Wording

SEVERITY_SETS = [tuple(s.value for s in combo) for n in range(1, len(SEVERITIES) + 1)
                 for combo in itertools.combinations(SEVERITIES, n)]
"""Every set of severities a record's findings can have: a record whose severities are all
filtered out is hidden as a whole (class `only-major-minor` and so on)."""

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("qmsdoc.report", "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class RecordSection:
    """One record's part of the page: its findings, the form, revision and record number its
    heading shows, and its set of severities (`major-minor`) the filter hides it by."""

    record: RecordRef
    findings: tuple[Finding, ...]
    meta: tuple[str, ...]
    severities: str


def _sections(report: Report, labels: Labels, words: Wording) -> list[RecordSection]:
    sections = []
    for g in group_by_record(report.findings):
        r = g.record
        meta = (words.form_line(r), f"{labels['report_record_id']} {r.record_id}" if r.record_id else "")
        present = {f.severity for f in g.findings}
        sections.append(RecordSection(r, g.findings, tuple(m for m in meta if m),
                                      "-".join(s.value for s in SEVERITIES if s in present)))
    return sections


def render_html(report: Report, labels: Labels, project: Project) -> str:
    """The report page as text (UTF-8 when written; the page declares its charset)."""
    words = Wording(project, labels)
    audit = build_audit(report, project, labels, words)

    def t(key: str, **values: object) -> str:
        return labels.format(key, **values) if values else labels[key]

    def outcome(f: Finding) -> str:
        """Under the badge: a nonconformity's outcome in words (nothing for a plain failure), an open
        item's due date; the badge itself says what is not a nonconformity."""
        if f.outcome == "open":
            return f"{labels['report_due']} {f.due.isoformat()}" if f.due is not None else ""
        return outcome_label(labels, f.outcome) if f.outcome != "fail" and f.is_nonconformity else ""

    page = _ENV.get_template("report.html").render(
        lang=labels.language, version=__version__, colon="：" if labels.language.startswith("zh") else ": ",
        t=t, severity=functools.partial(severity_label, labels), outcome=outcome,
        standing=functools.partial(standing_label, labels), words=words, audit=audit,
        team=audit.team_text(labels), join=labels.texts.get("check_list_separator", ", ").join,
        report=report, severities=SEVERITIES, severity_sets=SEVERITY_SETS,
        counts=report.count_by_severity(), outcomes=report.count_by_outcome(), open_items=report.open_items(),
        records=_sections(report, labels, words),
    )
    return xml_text(page)  # control characters from records have no place in HTML either
