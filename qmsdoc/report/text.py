"""The default terminal report: findings grouped by record, then a summary by severity and rule.

Plain text without colour or terminal codes, so it reads the same on a terminal, in a CI
log and in a file. What comes from records (values, file names, messages) can carry no
terminal codes either: control, bidirectional and invisible characters are printed escaped.
Columns are padded by display width, so Chinese text lines up. With the project, a finding's fields
are named in the form's own words (营销部门负责人签字日期, 派出人员名单第 2 行工种), as the audit report
names them; a path the form does not have is shown as it is. The machine formats (JSON, SARIF)
keep the ids.
"""

from __future__ import annotations

import re
import unicodedata

from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.report.common import (
    SEVERITIES,
    group_by_record,
    not_counted,
    outcome_label,
    record_heading,
    rule_summary,
    severity_label,
    standing_label,
)
from qmsdoc.report.wording import Wording

INDENT = "  "
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 and C1 control characters, ESC among them
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    "\u200b-\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, byte-order mark
    "\u2028\u2029\U000e0000-\U000e007f]")  # line and paragraph separators, invisible tag characters


def clean(text: str) -> str:
    """Text safe to print on a terminal: line breaks and tabs become spaces; other control
    characters, bidirectional controls and invisible characters are shown escaped (`\\x1b`,
    `\\u202e`), so a record value can neither drive the terminal nor reorder or hide what is
    printed. Chinese text, full-width punctuation and spaces are kept."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if match.group() in "\n\r\t":
        return " "
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def display_width(text: str) -> int:
    """Columns a terminal gives the text as printed (cleaned): wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in clean(text))


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render_text(report: Report, labels: Labels, project: Project | None = None) -> str:
    """The whole report as text, ending with a newline; `project`: the loaded project, whose forms name
    the fields (without it, fields are shown by id)."""
    lab = labels
    wording = Wording(project, labels) if project is not None else None
    sep = "　" if lab.language.startswith("zh") else "  "
    colon = "：" if lab.language.startswith("zh") else ": "
    lines = [sep.join((lab["report_check_title"], lab.format("report_as_of", date=report.as_of.isoformat()),
                       f"{lab['report_root']}{colon}{report.root}")),
             lab.format("report_scope", sources=report.sources, records=report.records, rules=report.rules),
             ""]
    sev_width = max(display_width(label) for label in (*(severity_label(lab, s) for s in SEVERITIES),
                                                         *(standing_label(lab, f) for f in report.findings)))
    code_width = max((display_width(f.rule) for f in report.findings), default=0)
    if not report.findings:
        lines += [lab["report_no_findings"], ""]
    for group in group_by_record(report.findings):
        lines.append(record_heading(group.record, lab))
        for f in group.findings:
            lines += _finding(f, lab, sev_width, code_width, sep, colon, wording)
        lines.append("")
    lines += _summary(report, lab, sev_width)
    return "\n".join(clean(line) for line in lines) + "\n"


def _finding(f: Finding, lab: Labels, sev_width: int, code_width: int, sep: str, colon: str,
             wording: Wording | None) -> list[str]:
    """Two lines: severity (or, for what is not a nonconformity, its outcome), rule and message; then
    criterion, fields, an unusual outcome and an open item's due date."""
    first = f"{INDENT}{pad(standing_label(lab, f), sev_width)}  {pad(f.rule, code_width)}  {f.message}"
    details = []
    if f.criterion.label:
        details.append(f"{lab['report_criterion']}{colon}{f.criterion.label}")
    if f.fields:
        details.append(f"{lab['report_fields']}{colon}{_fields(f, wording)}")
    if f.outcome != "fail" and f.is_nonconformity:  # what is not a nonconformity says so first on its line
        details.append(f"{lab['report_outcome']}{colon}{outcome_label(lab, f.outcome)}")
    if f.outcome == "open" and f.due is not None:
        details.append(f"{lab['report_due']}{colon}{f.due.isoformat()}")
    if not details:
        return [first]
    return [first, INDENT + " " * (sev_width + code_width + 4) + sep.join(details)]


def _fields(f: Finding, wording: Wording | None) -> str:
    """The finding's fields: in the form's words when the project is known (each once), else by id."""
    return ", ".join(f.fields) if wording is None else wording.field_names(f, keep_ids=True)


def _summary(report: Report, lab: Labels, sev_width: int) -> list[str]:
    """Nonconformities by severity and their total; then, apart, how many rules could not be evaluated
    and how many items are open; the open items by due date; then the findings by rule."""
    counts = report.count_by_severity()
    total = sum(counts.values())
    total_label = lab["report_total"]
    width = max(sev_width, display_width(total_label))
    number = max(len(str(len(report.findings))), 1)
    lines = [lab["report_by_severity"]]
    for s in SEVERITIES:
        lines.append(f"{INDENT}{pad(severity_label(lab, s), width)}  {counts[s.value]:>{number}}")
    lines.append(f"{INDENT}{pad(total_label, width)}  {total:>{number}}")
    lines.append(INDENT + not_counted(report, lab))
    lines += _open_items(report, lab)
    rules = rule_summary(report)
    if rules:
        lines += ["", lab["report_by_rule"]]
        code_width = max(display_width(r.code) for r in rules)
        title_width = max(display_width(r.title) for r in rules)
        for r in rules:
            lines.append(f"{INDENT}{pad(r.code, code_width)}  {pad(r.title, title_width)}  {r.count:>{number}}")
    return lines


def _open_items(report: Report, lab: Labels) -> list[str]:
    """The open items, the soonest due first: due date, rule, record and message."""
    items = report.open_items()
    if not items:
        return []
    code_width = max(display_width(f.rule) for f in items)
    lines = ["", lab["report_open_items"]]
    for f in items:
        due = f.due.isoformat() if f.due else "—"
        lines.append(f"{INDENT}{due:<10}  {pad(f.rule, code_width)}  {f.record.where}  {f.message}")
    return lines
