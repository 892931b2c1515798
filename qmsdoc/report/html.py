"""Findings as one self-contained HTML page an auditor can mail or print.

Everything is inline: styles in one `<style>` element, no scripts, no fonts, images or links
to anything outside the file (a Content-Security-Policy says so to the browser too). Every
text from records, rules and labels goes through Jinja2's autoescaping. The severity filter
is pure CSS (checkboxes and `:has()`); where a browser lacks `:has()`, or when printing, every
finding simply shows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import jinja2

from qmsdoc import __version__
from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels
from qmsdoc.report.common import (
    SEVERITIES,
    group_by_record,
    outcome_label,
    rule_summary,
    severity_label,
    xml_text,
)

TEMPLATE = """\
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="qmsdoc {{ version }}">
<title>{{ title }} · {{ as_of_text }}</title>
<style>
:root { --major: #a4161a; --minor: #9a5b00; --observation: #2f5d8a; --rule: #d0d4d9; --shade: #f2f3f5; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 3rem; color: #1d1f21; background: #fff;
  font: 15px/1.55 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid #1d1f21; }
h3 { font-size: 1rem; margin: 0; padding: .45rem .7rem; background: var(--shade); border: 1px solid var(--rule);
  border-bottom: none; font-weight: 600; }
h3 .where { font-family: "Noto Sans Mono", Consolas, "Courier New", monospace; font-weight: 600; }
h3 .meta { font-weight: normal; color: #4a4f55; margin-left: .9rem; white-space: nowrap; }
.meta-line { color: #4a4f55; margin: 0; }
.summary { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .35rem .55rem; text-align: left; vertical-align: top; }
th { background: var(--shade); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary table { width: auto; min-width: 16rem; }
.summary .by-rule { flex: 1 1 28rem; }
.summary .by-rule table { width: 100%; }
tr.total td { font-weight: 600; border-top: 2px solid #1d1f21; }
.record { margin: 0 0 1.2rem; }
.record table { table-layout: fixed; }
.record col.sev { width: 13%; } .record col.rule { width: 15%; } .record col.msg { width: 31%; }
.record col.crit { width: 18%; } .record col.vals { width: 23%; }
td.code, .nowrap { white-space: nowrap; }
.sev-badge { display: inline-block; padding: .05rem .45rem; border-radius: 3px; color: #fff; font-size: .85em;
  font-weight: 600; white-space: nowrap; }
.sev-major .sev-badge, .sev-badge.sev-major { background: var(--major); }
.sev-minor .sev-badge, .sev-badge.sev-minor { background: var(--minor); }
.sev-observation .sev-badge, .sev-badge.sev-observation { background: var(--observation); }
tr.sev-major td:first-child { box-shadow: inset 4px 0 var(--major); }
tr.sev-minor td:first-child { box-shadow: inset 4px 0 var(--minor); }
tr.sev-observation td:first-child { box-shadow: inset 4px 0 var(--observation); }
.code { font-family: "Noto Sans Mono", Consolas, "Courier New", monospace; }
.small { font-size: .85em; color: #4a4f55; }
.outcome { display: inline-block; margin-top: .2rem; font-size: .85em; border: 1px solid #8a9097; border-radius: 3px;
  padding: 0 .35rem; color: #33383d; }
.vals ul { margin: 0; padding: 0; list-style: none; }
.vals li { overflow-wrap: break-word; }
.vals .k { color: #4a4f55; }
td { overflow-wrap: break-word; }
.empty { color: #8a9097; font-style: italic; }
.none { padding: .8rem 1rem; border: 1px solid var(--rule); background: #f3f8f3; }
.filter { margin: 1rem 0 0; color: #4a4f55; }
.filter label { margin-right: 1rem; white-space: nowrap; cursor: pointer; }
{% for s in severities %}
body:has(#show-{{ s.value }}:not(:checked)) .record tr.sev-{{ s.value }} { display: none; }
{% endfor %}
{% for combo in severity_sets %}
body{% for v in combo %}:has(#show-{{ v }}:not(:checked)){% endfor %} .record.only-{{ combo|join("-") }} { display: none; }
{% endfor %}
footer { margin-top: 2.5rem; padding-top: .5rem; border-top: 1px solid var(--rule); color: #6a7077; font-size: .85em; }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filter { display: none; }
  tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .summary { display: block; }
  .summary table { break-inside: avoid-page; }
  .summary > div + div { margin-top: 1rem; }
  .record { break-inside: avoid-page; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .record { display: block !important; }
  .record tr { display: table-row !important; }
}
</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p class="meta-line"><strong>{{ as_of_text }}</strong> · {{ root_label }}{{ colon }}<span class="code">{{ root }}</span></p>
<p class="meta-line">{{ scope }}</p>
{% if findings_total %}
<form class="filter" aria-label="{{ filter_label }}">{{ filter_label }}{{ colon }}
{% for s in summary_severities %}
<label><input type="checkbox" id="show-{{ s.value }}" checked> <span class="sev-badge sev-{{ s.value }}">{{ s.label }}</span> {{ s.count }}</label>
{% endfor %}
</form>
{% endif %}
</header>
<main>
<section class="summary" aria-label="{{ by_severity }}">
<div>
<h2>{{ by_severity }}</h2>
<table>
<thead><tr><th>{{ severity_head }}</th><th class="num">{{ count_head }}</th></tr></thead>
<tbody>
{% for s in summary_severities %}
<tr class="sev-{{ s.value }}"><td><span class="sev-badge">{{ s.label }}</span></td><td class="num">{{ s.count }}</td></tr>
{% endfor %}
<tr class="total"><td>{{ total_label }}</td><td class="num">{{ findings_total }}</td></tr>
</tbody>
</table>
</div>
{% if rules %}
<div class="by-rule">
<h2>{{ by_rule }}</h2>
<table>
<thead><tr><th>{{ rule_head }}</th><th>{{ rule_title_head }}</th><th>{{ criterion_head }}</th><th>{{ severity_head }}</th><th class="num">{{ count_head }}</th></tr></thead>
<tbody>
{% for r in rules %}
<tr class="sev-{{ r.severity }}"><td class="code">{{ r.code }}</td><td>{{ r.title }}</td><td class="code">{{ r.criterion or "—" }}</td><td><span class="sev-badge">{{ r.severity_label }}</span></td><td class="num">{{ r.count }}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endif %}
</section>
<h2>{{ findings_head }}</h2>
{% if not groups %}
<p class="none">{{ no_findings }}</p>
{% endif %}
{% for g in groups %}
<section class="record only-{{ g.severities }}" aria-label="{{ g.where }}">
<h3><span class="where">{{ g.where }}</span>{% for m in g.meta %}<span class="meta">{{ m }}</span>{% endfor %}</h3>
<table>
<colgroup><col class="sev"><col class="rule"><col class="msg"><col class="crit"><col class="vals"></colgroup>
<thead><tr><th>{{ severity_head }}</th><th>{{ rule_head }}</th><th>{{ message_head }}</th><th>{{ criterion_head }}</th><th>{{ values_head }}</th></tr></thead>
<tbody>
{% for f in g.findings %}
<tr class="sev-{{ f.severity }}" id="f-{{ f.id }}">
<td><span class="sev-badge">{{ f.severity_label }}</span>{% if f.outcome %}<br><span class="outcome">{{ f.outcome }}</span>{% endif %}</td>
<td><span class="code">{{ f.rule }}</span><br><span class="small">{{ f.title }}</span></td>
<td>{{ f.message }}<br><span class="small code" title="{{ finding_id_head }}">{{ f.id }}</span></td>
<td>{% if f.criterion_doc or f.criterion_clause %}<span class="code nowrap">{{ f.criterion_doc }}</span> <span class="nowrap">{{ f.criterion_clause }}</span>{% if f.criterion_title %}<br><span class="small">{{ f.criterion_title }}</span>{% endif %}{% else %}<span class="empty">—</span>{% endif %}</td>
<td class="vals">{% if f.seen or f.fields or f.expected %}<ul>
{% for k, v in f.seen %}<li><span class="k">{{ k }}</span> = {% if v %}<span class="{{ 'nowrap' if v|length <= 24 else 'v' }}">{{ v }}</span>{% else %}<span class="empty">{{ empty_value }}</span>{% endif %}</li>
{% endfor %}{% if not f.seen and f.fields %}<li><span class="k">{{ fields_head }}</span>{{ colon }}{{ f.fields }}</li>
{% endif %}{% if f.expected %}<li><span class="k">{{ expected_head }}</span>{{ colon }}{{ f.expected }}</li>
{% endif %}</ul>{% else %}<span class="empty">—</span>{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
</section>
{% endfor %}
</main>
<footer>{{ generated_by }} · {{ as_of_text }}</footer>
</body>
</html>
"""


@dataclass(frozen=True)
class _Severity:
    value: str
    label: str
    count: int


SEVERITY_SETS = [tuple(s.value for s in combo) for n in range(1, len(SEVERITIES) + 1)
                 for combo in itertools.combinations(SEVERITIES, n)]
"""Every set of severities a record's findings can have: a record whose severities are all
filtered out is hidden as a whole (class `only-major-minor` and so on)."""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                          lstrip_blocks=True, keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(TEMPLATE)


def _finding(f: Finding, lab: Labels) -> dict[str, object]:
    return {
        "id": f.id, "rule": f.rule, "title": f.title, "severity": f.severity.value,
        "severity_label": severity_label(lab, f.severity),
        "outcome": outcome_label(lab, f.outcome) if f.outcome != "fail" else "",
        "message": f.message, "criterion_doc": f.criterion.document, "criterion_clause": f.criterion.clause,
        "criterion_title": f.criterion.title,
        "seen": list(f.values.items()), "fields": ", ".join(f.fields), "expected": f.expected or "",
    }


def render_html(report: Report, labels: Labels) -> str:
    """The report page as text (UTF-8 when written; the page declares its charset)."""
    lab = labels
    counts = report.count_by_severity()
    criteria: dict[str, str] = {}
    for f in report.findings:
        criteria.setdefault(f.rule, f.criterion.label)
    groups = []
    for g in group_by_record(report.findings):
        r = g.record
        meta = [" ".join(p for p in (r.form, r.revision) if p)]
        if r.record_id:
            meta.append(f"{lab['report_record_id']} {r.record_id}")
        present = {f.severity for f in g.findings}
        groups.append({"where": r.where, "meta": [m for m in meta if m],
                       "severities": "-".join(s.value for s in SEVERITIES if s in present),
                       "findings": [_finding(f, lab) for f in g.findings]})
    page = _TEMPLATE.render(
        lang=lab.language, version=__version__, title=lab["report_check_title"],
        colon="：" if lab.language.startswith("zh") else ": ",
        as_of_text=lab.format("report_as_of", date=report.as_of.isoformat()),
        root_label=lab["report_root"], root=report.root,
        scope=lab.format("report_scope", sources=report.sources, records=report.records, rules=report.rules),
        filter_label=lab["report_filter"], severities=SEVERITIES, severity_sets=SEVERITY_SETS,
        summary_severities=[_Severity(s.value, severity_label(lab, s), counts[s.value]) for s in SEVERITIES],
        findings_total=len(report.findings), total_label=lab["report_total"],
        by_severity=lab["report_by_severity"], by_rule=lab["report_by_rule"],
        rules=[{"code": r.code, "title": r.title, "severity": r.severity.value,
                "severity_label": severity_label(lab, r.severity), "criterion": criteria.get(r.code, ""),
                "count": r.count} for r in rule_summary(report)],
        severity_head=lab["report_severity"], count_head=lab["report_count"], rule_head=lab["report_rule"],
        rule_title_head=lab["report_rule_title"], message_head=lab["report_message"],
        criterion_head=lab["report_criterion"], values_head=lab["report_values"],
        fields_head=lab["report_fields"], expected_head=lab["report_expected"],
        finding_id_head=lab["report_finding_id"], empty_value=lab["report_empty_value"],
        findings_head=lab["report_findings"], no_findings=lab["report_no_findings"], groups=groups,
        generated_by=lab.format("report_generated_by", version=__version__),
    )
    return xml_text(page)  # control characters from records have no place in HTML either
