"""What an audit report says about its audit, as ISO 19011 (6.5.1) lists it, worked out once for every
report people read (Word, HTML, spreadsheets).

- **The audit number** is the plan's `number:`, else made from the site's code scheme, the audit date
  and a digest of what the report is about (the records checked, the rules applied, the findings, the
  plan): `SJE/JL/NS-20260115-3F2A`. Two audits on one day of different records or with different
  findings get different numbers; the same run gives the same number, so a report stays reproducible
  (same inputs, same bytes). The clock is never read and no counter file is kept.
- **Criteria**: each procedure whose rules were applied (or that the plan names), with the revisions
  the records were judged by (the ones the findings cite, and the one in force on the audit date), and
  any standard a built-in check cites (ISO 9001:2015 and its clauses).
- **Scope**: the departments (the plan's, else the owners of those procedures), the procedures, the
  period of the records (the plan's, else up to the audit date) and the records checked.
- **Summaries**: nonconformities by severity, by procedure, by department (every one in scope, none
  left out for having no finding), and by rule with every clause its findings cite.
- **Conclusion**: the plan's `conclusion:`, else a paragraph made from the counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qmsdoc.lifecycle.states import document_states
from qmsdoc.model.audit import AuditPlan, TeamMember
from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.model.site import SiteConfig
from qmsdoc.report.common import SEVERITIES
from qmsdoc.report.wording import Wording

SHEET_SEVERITIES = (Severity.MAJOR, Severity.MINOR)
"""The severities that get a nonconformity sheet in the Word report; observations go in one table."""
DIGEST_CHARS = 4
"""Hex digits of the content digest in a derived audit number (one in 65,536 for two audits on a day)."""
PATTERN_SYNTAX = frozenset("^$.[](){}*+?|\\")
"""Characters that end the literal start of a code pattern."""


@dataclass(frozen=True)
class Tally:
    """Nonconformities of one procedure, department or rule, by severity."""

    key: str
    title: str
    counts: tuple[int, int, int]
    """major, minor, observation"""
    department: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class RuleTally:
    """One line of the summary by rule: the requirement, every clause its findings cite, the highest
    severity and the number of findings (undecided ones included, open items not)."""

    code: str
    requirement: str
    clauses: tuple[Citation, ...]
    severity: Severity
    count: int


@dataclass(frozen=True)
class Audit:
    """Everything the cover and the summaries of an audit report show."""

    number: str
    title: str | None
    dates: str
    as_of: str
    objectives: tuple[str, ...]
    departments: tuple[str, ...]
    procedures: tuple[str, ...]
    procedures_planned: bool
    """Whether the plan names the procedures in scope (else they are those of the criteria, not repeated)."""
    period: str
    records: str
    scope_note: str | None
    criteria: tuple[str, ...]
    team: tuple[TeamMember, ...]
    auditee: str
    representative: str
    by_severity: dict[str, int]
    undecided: int
    open: int
    by_procedure: tuple[Tally, ...]
    by_department: tuple[Tally, ...]
    by_rule: tuple[RuleTally, ...]
    conclusion: tuple[str, ...]
    leader_named: bool = True
    """Whether the first of `team` leads it (the plan names a leader)."""

    def team_text(self, labels: Labels) -> str:
        """`王伟（审核组长）、李娜` or "" when no team is named."""
        zh = labels.language.startswith("zh")
        shown = []
        for k, m in enumerate(self.team):
            role = m.role or (labels["audit_team_leader"] if k == 0 and self.leader_named else "")
            shown.append(f"{m.name}（{role}）" if role and zh else f"{m.name} ({role})" if role else m.name)
        return labels.texts.get("check_list_separator", ", ").join(shown)

    @property
    def leader(self) -> str:
        return self.team[0].name if self.team and self.leader_named else ""


def build_audit(report: Report, project: Project, labels: Labels, wording: Wording) -> Audit:
    """The audit a report is about: the plan's data where it gives them, the run's otherwise."""
    plan = report.plan or AuditPlan()
    procedures = _procedures(report, project, wording, plan)
    departments = plan.departments or _departments(project, procedures)
    join = labels.texts.get("check_list_separator", ", ").join
    return Audit(
        number=audit_number(report, project.site, labels),
        title=plan.title,
        dates=_span(labels, plan.start, plan.end) if plan.start and plan.end else report.as_of.isoformat(),
        as_of=report.as_of.isoformat(),
        objectives=plan.objectives or (labels["audit_default_objective"],),
        departments=departments,
        procedures=plan.procedures or tuple(procedures),
        procedures_planned=bool(plan.procedures),
        period=(_span(labels, plan.period_from, plan.period_to) if plan.period_from and plan.period_to
                else labels.format("audit_until", date=report.as_of.isoformat())),
        records=labels.format("audit_scope_records", root=report.root, sources=report.sources,
                              records=report.records, rules=report.rules),
        scope_note=plan.scope,
        criteria=_criteria(report, project, wording, labels, procedures),
        team=plan.team,
        auditee=plan.auditee or join(departments),
        representative=plan.representative or "",
        by_severity=report.count_by_severity(),
        undecided=report.count_by_outcome()["cannot_evaluate"],
        open=report.count_by_outcome()["open"],
        by_procedure=_by_procedure(report, project, wording, labels, procedures),
        by_department=_by_department(report, wording, labels, departments),
        by_rule=_by_rule(report, wording),
        conclusion=(plan.conclusion,) if plan.conclusion else _conclusion(report, labels),
        leader_named=plan.leader is not None,
    )


def nc_number(n: int, labels: Labels) -> str:
    """`NC-01`: the number of the n-th nonconformity sheet."""
    return f"{labels['audit_nc_prefix']}-{n:02d}"


def observation_number(n: int, labels: Labels) -> str:
    """`GC-01` (观察) or `OBS-01`: the number of the n-th observation."""
    return f"{labels['audit_observation_prefix']}-{n:02d}"


def sheet_findings(report: Report) -> tuple[Finding, ...]:
    """The findings that get a nonconformity sheet: major and minor nonconformities, in report order."""
    return tuple(f for f in report.nonconformities if f.severity in SHEET_SEVERITIES)


def observations(report: Report) -> tuple[Finding, ...]:
    """The observations, in report order: one table, no sheet each."""
    return tuple(f for f in report.nonconformities if f.severity == Severity.OBSERVATION)


# -- the number ---------------------------------------------------------------------------------

def audit_number(report: Report, site: SiteConfig, labels: Labels) -> str:
    """The plan's number, else `<records prefix><code>-<audit date>-<digest>` (see the module docstring)."""
    if report.plan is not None and report.plan.number:
        return report.plan.number
    digest = content_digest(report)[:DIGEST_CHARS].upper()
    return f"{records_prefix(site)}{labels['audit_number_code']}-{report.as_of:%Y%m%d}-{digest}"


def records_prefix(site: SiteConfig) -> str:
    """How the site's record numbers start, from its form code pattern (`^SJE/JL/GK-…` → `SJE/JL/`): the
    literal start of the pattern up to its last slash; else the organisation's short name and a hyphen."""
    literal = []
    for ch in site.form_code.removeprefix("^"):
        if ch in PATTERN_SYNTAX:
            break
        literal.append(ch)
    text = "".join(literal)
    if "/" in text:
        return text[: text.rindex("/") + 1]
    return f"{site.organisation_short or 'QMS'}-"


def content_digest(report: Report) -> str:
    """sha256 over what the report is about: the audit date, the records and the rules applied to each,
    the findings, the plan (but its number)."""
    h = hashlib.sha256()

    def put(*parts: object) -> None:
        h.update("\x1f".join(str(p) for p in parts).encode("utf-8") + b"\x1e")

    put(report.as_of.isoformat(), report.root, report.sources, report.records, report.rules)
    for ref, codes in report.checked:
        put(ref.source, ref.location, ref.form or "", ref.revision or "", ",".join(codes))
    for f in report.findings:
        put(f.id, f.outcome, f.severity.value)
    if report.plan is not None:
        p = report.plan
        put(p.title, p.start, p.end, p.team, p.auditee, p.representative, p.departments, p.procedures,
            p.period_from, p.period_to, p.scope, p.objectives, p.conclusion)
    return h.hexdigest()


# -- scope and criteria -------------------------------------------------------------------------

def _procedures(report: Report, project: Project, wording: Wording, plan: AuditPlan) -> list[str]:
    """The procedures the audit judged records by: those whose rules were applied or are cited, and the
    plan's, in id order."""
    found: set[str] = set(plan.procedures)
    codes = {code for _, applied in report.checked for code in applied}
    for code in codes:
        rule = wording.rules.get(code)
        if rule is not None:
            found.add(rule.citation.document)
    for f in report.findings:
        procedure = wording.procedure_of(f)
        if procedure is not None:
            found.add(procedure)
    return sorted(p for p in found if p in project.procedures)


def _departments(project: Project, procedures: Iterable[str]) -> tuple[str, ...]:
    """The owners of the procedures, in the order of qmsdoc.yaml's departments (others after them)."""
    owners = {project.procedures[p].owner for p in procedures}
    order = {name: k for k, name in enumerate(project.site.departments)}
    return tuple(sorted(owners, key=lambda d: (order.get(d, len(order)), d)))


def _criteria(report: Report, project: Project, wording: Wording, labels: Labels,
              procedures: list[str]) -> tuple[str, ...]:
    """One line per document: `SJE/ZY/GK-09 A/0 版《…》`, then the standards cited with their clauses."""
    revisions: dict[str, dict[str, None]] = {p: {} for p in procedures}
    others: dict[str, dict[str, None]] = {}
    for f in report.findings:
        c = f.criterion
        if c.document in revisions and c.revision:
            revisions[c.document][c.revision] = None
        elif c.document and c.document not in project.procedures:
            others.setdefault(c.document, {})[c.clause] = None
    states = document_states(project, report.as_of)
    join = labels.texts.get("check_list_separator", ", ").join
    lines = []
    for doc_id in procedures:
        seen = revisions[doc_id]
        in_force = states[doc_id].in_force if doc_id in states else None
        if in_force is not None:
            seen.setdefault(in_force.revision, None)
        lines.append(labels.format("audit_criterion_line", document=doc_id, revisions=join(sorted(seen)) or "—",
                                   title=project.title_of(doc_id) or ""))
    for doc, clauses in sorted(others.items()):
        lines.append(labels.format("audit_criterion_iso", document=doc, clauses=join(sorted(c for c in clauses if c))))
    return tuple(lines)


def _span(labels: Labels, start: object, end: object) -> str:
    return str(start) if start == end else labels.format("audit_span", start=start, end=end)


# -- summaries ----------------------------------------------------------------------------------

def _severity_counts(findings: Iterable[Finding]) -> tuple[int, int, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    major, minor, observation = (counts[s] for s in SEVERITIES)
    return major, minor, observation


def _grouped(report: Report, key: Callable[[Finding], str | None]) -> dict[str, list[Finding]]:
    """The nonconformities by `key` ("" for those it cannot place)."""
    out: dict[str, list[Finding]] = {}
    for f in report.nonconformities:
        out.setdefault(key(f) or "", []).append(f)
    return out


def _by_procedure(report: Report, project: Project, wording: Wording, labels: Labels,
                  procedures: list[str]) -> tuple[Tally, ...]:
    groups = _grouped(report, wording.procedure_of)
    rows = []
    for doc_id in [*procedures, *sorted(k for k in groups if k and k not in procedures)]:
        proc = project.procedures.get(doc_id)
        rows.append(Tally(doc_id, proc.title if proc else "", _severity_counts(groups.get(doc_id, ())),
                          proc.owner if proc else ""))
    if "" in groups:
        rows.append(Tally("", labels["audit_no_procedure"], _severity_counts(groups[""])))
    return tuple(rows)


def _by_department(report: Report, wording: Wording, labels: Labels,
                   departments: tuple[str, ...]) -> tuple[Tally, ...]:
    groups = _grouped(report, wording.department_of)
    rows = [Tally(d, d, _severity_counts(groups.get(d, ()))) for d in departments]
    rows += [Tally(d, d, _severity_counts(groups[d])) for d in sorted(groups) if d and d not in departments]
    if "" in groups:
        rows.append(Tally("", labels["audit_no_department"], _severity_counts(groups[""])))
    return tuple(rows)


def _by_rule(report: Report, wording: Wording) -> tuple[RuleTally, ...]:
    """Rules with findings (not open items), by code, each with every clause its findings cite."""
    seen: dict[str, tuple[Finding, dict[Citation, None], Severity, int]] = {}
    for f in report.findings:
        if f.outcome == "open":
            continue
        first, clauses, severity, count = seen.get(f.rule, (f, {}, f.severity, 0))
        if f.criterion.label:
            clauses[f.criterion] = None
        if f.severity.rank > severity.rank:
            severity = f.severity
        seen[f.rule] = (first, clauses, severity, count + 1)
    return tuple(RuleTally(code, wording.requirement(first), tuple(sorted(clauses, key=lambda c: c.label)),
                           severity, count)
                 for code, (first, clauses, severity, count) in sorted(seen.items()))


def _conclusion(report: Report, labels: Labels) -> tuple[str, ...]:
    """The conclusion written from the counts: what was found, what it means, what the auditee does."""
    counts = report.count_by_severity()
    outcomes = report.count_by_outcome()
    major, minor, observations = counts["major"], counts["minor"], counts["observation"]
    paragraphs = [labels.format("audit_conclusion_counts", records=report.records, nonconformities=major + minor,
                                major=major, minor=minor, observations=observations,
                                undecided=outcomes["cannot_evaluate"], open=outcomes["open"])]
    paragraphs.append(labels["audit_conclusion_major" if major else "audit_conclusion_minor" if minor
                             else "audit_conclusion_clean"])
    if observations:
        paragraphs.append(labels["audit_conclusion_observations"])
    return tuple(paragraphs)
