"""The checker: `check(record) → findings` for one record, and the rules over the whole set.

`Checker.check` is a pure function of the record and the checker's fixed state (rules, audit
date, calendar): no I/O, no clock. That is what lets batches run in worker processes with
identical results. Rules that need other records (frequency, coverage, duplicates, matched
records) run once over the set in `Checker.check_set`.

Besides the rules in rules/, every record gets the checks its form's definition implies:
required entries (QMS-REQUIRED), values that cannot be read (QMS-VALUE), signatures dated
after the audit date (QMS-FUTURE) and the form revision in force on the record's date
(QMS-REVISION). A required entry that a rule already checks is left to that rule, so one
blank field gives one finding, citing the most specific clause.

A record is judged by the requirements in force on its date (`record_day`; the audit date when
it has none): the rules as compiled for the revision of their procedure in force on that day,
with that revision's params, citing it. A record dated before any revision of its form's
procedure took effect gets one finding saying so (QMS-REVISION) and nothing else. The rules
over the whole set are those of the revisions in force on the audit date. Every plan is worked
out when the checker is made, so `check` only looks the record's day up.

Nothing one record holds can cost the run: a record gets at most `findings_per_record`
findings, the most severe first, then one QMS-MORE that counts the others; a rule over the set
that fails (on one record, or as a whole) is a finding saying it could not be evaluated.
"""

from __future__ import annotations

import datetime as dt
import string
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from qmsdoc.checker import kinds, quick
from qmsdoc.checker.builtin import FormChecks, dated_field, form_checks, form_issues, record_day, undated_issue
from qmsdoc.checker.calendar import NotCovered, WorkCalendar
from qmsdoc.checker.kinds import CannotEvaluate, Context, Issue, View
from qmsdoc.checker.periods import period_label, period_of, whole_periods
from qmsdoc.checker.quick import FormQuick, Quick
from qmsdoc.checker.revisions import RuleBook, form_procedures, rule_book
from qmsdoc.errors import SourceError
from qmsdoc.lifecycle.states import RevisionState
from qmsdoc.model.documents import FieldType, Form
from qmsdoc.model.findings import Finding, RecordRef
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.model.rules import Citation, Coverage, Env, FieldRef, Frequency, Match, Rule, Severity, Unique
from qmsdoc.records.coerce import MORE

ISO_9001 = "ISO 9001:2015"
BUILTIN_SEVERITY = {
    "QMS-REQUIRED": Severity.MINOR, "QMS-VALUE": Severity.MINOR, "QMS-FUTURE": Severity.MINOR,
    "QMS-REVISION": Severity.MINOR, "QMS-UNDATED": Severity.MINOR, "QMS-RECORD": Severity.MAJOR,
}
"""The severity of each built-in check; QMS-MORE takes the highest of the findings it counts."""
IN_FORCE_MEMO = 65_536
"""At most this many (form, revision, day) are remembered as in force; past it the memory starts again."""
BUILTIN_TITLE_KEYS = {
    "QMS-REQUIRED": "check_title_required", "QMS-VALUE": "check_title_read",
    "QMS-FUTURE": "check_title_future", "QMS-REVISION": "check_title_revision",
    "QMS-UNDATED": "check_title_undated", "QMS-RECORD": "check_title_file", "QMS-MORE": "check_title_more",
}


@dataclass(frozen=True)
class FormPlan:
    """Everything fixed about checking records of one form under the revisions in force on a day,
    worked out once."""

    form: Form
    checkers: tuple[tuple[Rule, RecordCheck], ...]
    """The form's single-record rules, each with the function of its kind."""
    checks: FormChecks
    conditional_claims: dict[str, frozenset[str]]
    id_field: str | None
    citation: Citation
    """The form's own clause, in the revision of its procedure in force (QMS-REQUIRED and the like cite it)."""
    revisions: tuple[tuple[str, dt.date], ...]
    """The form's revisions by its history, and the day each came into force, oldest first."""
    known: tuple[str, ...] = ()
    """Every revision of the form a record may name: its history's, its released ones and the current source."""
    judged: bool = True
    """False when no revision of the form's procedure was in force: the record gets one finding saying so."""
    quick: Quick | None = None
    """The rules compiled into one function naming those the full check must evaluate (`checker.quick`)."""
    checks_quick: FormQuick | None = None
    """`checks` compiled into one function that passes a record on which none of them says anything."""

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The codes of `checkers`, in order: the rules applied to a record on which none says anything."""
        return tuple(rule.code for rule, _ in self.checkers)


@dataclass(frozen=True)
class FormPlans:
    """The plans of one form by the record's day: `before` until the first of `starts`, then
    `plans[i]` from `starts[i]` on (the days a revision of a procedure concerned takes effect)."""

    form: Form
    starts: tuple[dt.date, ...]
    plans: tuple[FormPlan, ...]
    before: FormPlan

    def on(self, day: dt.date) -> FormPlan:
        if not self.starts:
            return self.before
        i = bisect_right(self.starts, day) - 1
        return self.before if i < 0 else self.plans[i]


class Checked(NamedTuple):
    """What checking one record gives: findings, rules applied, its reference and its date."""

    findings: list[Finding]
    applied: tuple[str, ...]
    ref: RecordRef
    day: dt.date | None


class SetScope(NamedTuple):
    """What the set rules run over besides the records of their own form."""

    records: dict[str, list[tuple[int, Record]]]
    """Every record of the forms the set rules concern, by form, each with its index in the batch."""
    since: dt.date | None
    """The first day audited: --since, else the earliest record date (None: no record has one)."""
    applied: dict[int, list[str]]
    """Per record index, the set rules that applied to it, filled in as they run."""


class _Names(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


class Checker:
    """Checks records against the project's rules as of one audit date."""

    def __init__(self, project: Project, labels: Labels, as_of: dt.date, *, since: dt.date | None = None,
                 scope: str = ".", book: RuleBook | None = None):
        """Raises SourceError when a rule does not compile against a revision of its procedure it
        applies to, or names a revision there is not (`check_rule_revisions` says the same for lint).
        `book`: the rules compiled per revision, when the caller has them already."""
        self.project = project
        self.labels = labels
        self.as_of = as_of
        self.since = since
        self.scope = scope
        self.limits = project.site.limits
        calendar = WorkCalendar(c.date for c in project.site.closures)
        self.ctx = Context(as_of, calendar, project.site.timezone, labels)
        self.book = book if book is not None else rule_book(project)
        if self.book.diagnostics:  # a rule that does not compile against a revision it applies to is never skipped
            raise SourceError(self.book.diagnostics)
        self.timelines = {fid: self._form_plans(form) for fid, form in project.forms.items()}
        self.plans = {fid: plans.on(as_of) for fid, plans in self.timelines.items()}
        """The plan of each form for an undated record: the revisions in force on the audit date."""
        self.set_rules = tuple(sorted((r for pid in self.book.order for r in self.book.rules_in_force(pid, as_of)
                                       if r.is_set_rule), key=_source_order))
        self.set_fields = _set_fields(self.set_rules)
        self._pair_quick = {r.code: quick.compile_pair_quick(r, as_of, self.ctx.tz)
                            for r in self.set_rules if r.match is not None}
        """Each `match:` rule compiled: what passes a pair without the full check (`quick.compile_pair_quick`)."""
        self.set_forms = frozenset(self.set_fields)
        self._set_order = {fid: tuple(sorted(keep)) for fid, keep in self.set_fields.items()}
        """The fields the set rules read, per form, in a fixed order (a slimmed record's)."""
        every_rule = sorted(self.book.all_rules(), key=_source_order)
        self.titles = {r.code: r.title for r in every_rule}
        self.rule_codes = frozenset(self.titles)
        """Every rule code, of any revision (the report counts them)."""
        self.titles.update({code: labels[key] for code, key in BUILTIN_TITLE_KEYS.items()})
        self._option_labels: dict[tuple[str, str], dict[str, str]] = {}
        self._template_wants: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        """(a rule's message, the catalogue key of its issue) → (which of the rule's and record's own names
        either uses, the names the message uses)."""
        self._in_force_memo: set[tuple[str, str, dt.date]] = set()
        """(form, revision, day) already found in force: the revision check has nothing to say on them."""

    # -- plans ---------------------------------------------------------------------------

    def _form_plans(self, form: Form) -> FormPlans:
        """The form's plans for each stretch of days in which the same revisions are in force."""
        procedures = form_procedures(self.book, form)
        timelines = [self.book.in_force[pid] for pid in procedures if pid in self.book.in_force]
        starts = sorted({day for t in timelines for day in t.starts})
        made: dict[tuple[tuple[str, str | None], ...], FormPlan] = {}

        def plan_on(day: dt.date) -> FormPlan:
            in_force = tuple((pid, s.revision if (s := self._in_force_on(pid, day)) else None) for pid in procedures)
            if in_force not in made:
                made[in_force] = self._plan(form, dict(in_force))
            return made[in_force]

        before = plan_on(dt.date.min)
        return FormPlans(form, tuple(starts), tuple(plan_on(day) for day in starts), before)

    def _in_force_on(self, pid: str, day: dt.date) -> RevisionState | None:
        timeline = self.book.in_force.get(pid)
        return timeline.on(day) if timeline is not None else None

    def _plan(self, form: Form, in_force: dict[str, str | None]) -> FormPlan:
        """The plan for records of `form` on a day when `in_force` gives each procedure's revision."""
        own = in_force.get(form.procedure)
        rules = () if own is None else tuple(sorted(
            (r for pid, rev in in_force.items() if rev is not None for r in self.book.rules.get((pid, rev), ())
             if form.id in r.forms and not r.is_set_rule), key=_source_order))
        claimed = {f for r in rules if r.when is None for f in _claims(r)}
        columns = {(ref.field, ref.part) for r in rules if r.when is None and r.kind == "required"
                   for ref in r.spec.refs() if ref.is_column and ref.part}
        conditional = {r.code: frozenset(_claims(r)) for r in rules if r.when is not None and _claims(r)}
        fields = form.fields()
        id_field = "record_no" if "record_no" in fields else next(
            (fid for fid, f in fields.items() if fid.endswith("_no") and f.type == FieldType.TEXT), None)
        owner = self.project.procedures.get(form.procedure)
        citation = Citation(form.procedure, form.clause, owner.title if owner else "", own)
        checkers = tuple((r, CHECKS[r.kind]) for r in rules)
        revisions = _revisions(form)
        states = self.book.in_force.get(form.id)
        known = tuple(dict.fromkeys([*(r for r, _ in revisions),
                                     *(s.revision for s in (states.before.revisions if states else ()))]))
        checks = form_checks(form, claimed, columns)
        return FormPlan(form, checkers, checks, conditional, id_field, citation, revisions, known,
                        judged=own is not None,
                        quick=quick.compile_quick(rules, self.as_of, self.ctx.tz, conditional, self.ctx),
                        checks_quick=quick.compile_form_quick(checks, self.as_of))

    def plan_for(self, record: Record, day: dt.date | None = None) -> FormPlan:
        """The plan a record is checked by: that of the revisions in force on its day (on the audit date
        when it has none). `day` is the record's day when the caller has it."""
        plans = self.timelines[record.form]
        if day is None:
            day = record_day(plans.form, record, self.ctx)
        return plans.on(day) if day is not None else self.plans[record.form]

    # -- one record ----------------------------------------------------------------------

    def check(self, record: Record) -> tuple[list[Finding], tuple[str, ...]]:
        """Findings for one record (built-in checks and rules), and the codes of the rules that applied."""
        result = self.check_record(record)
        return result.findings, result.applied

    def check_record(self, record: Record) -> Checked:
        """`check`, with the record's reference and date worked out on the way."""
        plans = self.timelines[record.form]
        day = record_day(plans.form, record, self.ctx)
        plan = plans.on(day) if day is not None else self.plans[record.form]
        ref = self.record_ref(record, plan)
        if not plan.judged:  # no revision of its procedure in force: judged by none, and said so once
            return Checked([self._no_revision(record, plan, ref, day)], (), ref, day)
        findings, applied, claimed = self.rule_findings(record, plan, ref)
        builtin: list[Finding] = []
        self._builtins(record, plan, ref, builtin, claimed, day)
        more = sum(int(dict(p.params)["count"]) for p in record.problems if p.kind == MORE) if record.problems else 0
        if builtin:
            findings = _dedupe_future(builtin + findings)
        elif len(findings) > 1:
            findings = _dedupe_future(findings)
        return Checked(self._at_most(findings, more, plan.citation, ref), applied, ref, day)

    def _at_most(self, findings: list[Finding], more: int, citation: Citation, ref: RecordRef,
                 message_key: str = "check_more") -> list[Finding]:
        """At most `findings_per_record` findings, the most severe first (a rule's before a built-in check's),
        then one QMS-MORE counting the others and the `more` problems the reader only counted."""
        cap = self.limits.findings_per_record
        if len(findings) <= cap and not more:
            return findings
        findings.sort(key=lambda f: (-f.severity.rank, f.rule in BUILTIN_TITLE_KEYS))  # stable otherwise
        listed, rest = findings[:cap], findings[cap:]
        severity = max((f.severity for f in rest), key=lambda s: s.rank, default=BUILTIN_SEVERITY["QMS-VALUE"])
        count = len(rest) + more
        message = self.labels.format(message_key, count=count, limit=cap)
        listed.append(Finding("QMS-MORE", self.titles["QMS-MORE"], severity, "fail", citation, ref, (),
                              {"findings": str(count)}, f"≤ {cap}", message))
        return listed

    def rule_findings(self, record: Record, plan: FormPlan | None = None, ref: RecordRef | None = None,
                      ) -> tuple[list[Finding], tuple[str, ...], set[str]]:
        """The findings of the rules alone: (findings, rules applied, blank fields they took over)."""
        plan = plan or self.plan_for(record)
        slow: Sequence[int] = range(len(plan.checkers))
        claimed: set[str] = set()
        skipped: list[int] = []  # conditional rules that do not apply: not among the rules applied
        decided: dict[int, list[Issue]] = {}  # rules the compiled function decided, with their issues
        if plan.quick is not None and not record.problems:
            # the rules the full check must evaluate; the others say nothing, do not apply (`skipped`), or
            # were decided there (`decided`: a deadline or lead time plainly missed, worded as the full check does)
            slow = plan.quick(record.fields, skipped, claimed, decided)
            if not slow and not decided:
                return [], _applied(plan.codes, skipped), claimed
        findings: list[Finding] = []
        view: View | None = None  # made only for a rule the full check evaluates
        ctx = self.ctx
        for i in sorted((*slow, *decided)) if decided else slow:  # in the rules' order, as the full check
            rule, check = plan.checkers[i]
            if decided and i in decided:
                ref = ref or self.record_ref(record, plan)
                findings.extend(self._finding(rule, ref, issue, record.fields) for issue in decided[i])
                continue
            if view is None:
                view = View(record, plan.form, self.as_of)
            if rule.when is not None:
                decision = kinds.applies(rule.when, view, ctx)
                if decision is False:
                    skipped.append(i)
                    continue
                if decision is not True:  # cannot tell whether the rule applies: said so, never a pass
                    ref = ref or self.record_ref(record, plan)
                    findings.append(self._finding(rule, ref, decision))
                    continue
                claimed.update(plan.conditional_claims.get(rule.code, ()))
            issues = check(rule, rule.spec, view, ctx)
            if issues:
                ref = ref or self.record_ref(record, plan)
                findings.extend(self._finding(rule, ref, issue, record.fields) for issue in issues)
        return findings, _applied(plan.codes, skipped), claimed

    def record_ref(self, record: Record, plan: FormPlan | None = None) -> RecordRef:
        plan = plan or self.plans[record.form]
        record_id = record.record_id
        if record_id is None and plan.id_field is not None:
            value = record.fields.get(plan.id_field)
            record_id = str(value) if value not in (None, "") else None
        return RecordRef(record.source, record.location, record.form, record.revision, record_id)

    def slim(self, record: Record, record_id: str | None = None) -> Record:
        """The record with only what the set rules read, to send to the set phase."""
        keep = self.set_fields[record.form]
        values = record.fields
        fields = {k: values[k] for k in self._set_order[record.form] if k in values}  # the few, not every field
        problems = tuple(p for p in record.problems if p.field.split(".")[0] in keep) if record.problems else ()
        return Record(record.form, record.revision, record.source, fields, problems, record.location,
                      record_id=record_id if record_id is not None else self.record_ref(record).record_id)

    def record_date(self, record: Record) -> dt.date | None:
        plan = self.plans.get(record.form)
        return record_day(plan.form, record, self.ctx) if plan is not None else None
    def _builtins(self, record: Record, plan: FormPlan, ref: RecordRef, out: list[Finding],
                  claimed: set[str], day: dt.date | None) -> None:
        ctx = self.ctx
        fields = plan.form.fields()
        for problem in record.problems:
            if problem.kind == MORE:
                continue
            head = problem.field.split(".")[0]
            label = fields[head].label if head in fields else problem.field
            # an impossible date says why only when the reason is a bound (a year outside year_min–year_max)
            plain = problem.kind == "impossible" and problem.key != "year_out_of_range"
            key = "check_impossible" if plain else "check_unreadable"
            names = {"field": label, "found": problem.found, "reason": self._reason(problem)}
            out.append(self._builtin("QMS-VALUE", plan.citation, ref, Issue(
                problem.kind, (problem.field,), key, names, None, {problem.field: problem.found})))
        # the compiled checks pass most records; the others are checked in full. Fields the rules `claimed`
        # only take checks away, so a record the compiled checks pass has nothing to report with them either
        passed = plan.checks_quick is not None and not record.problems and plan.checks_quick(record.fields)
        if not passed:
            for code, issue in form_issues(plan.checks, record, claimed, ctx):
                out.append(self._builtin(code, plan.citation, ref, issue))
        revision = self._revision_issue(record, plan, day)
        if revision is not None:
            out.append(self._builtin("QMS-REVISION", self._document_control(), ref, revision))
        undated = undated_issue(plan.form, record, ctx) if day is None else None
        if undated is not None:  # nothing dates it: its revision and period cannot be told, said once
            out.append(self._builtin("QMS-UNDATED", self._document_control(), ref, undated))

    def _document_control(self) -> Citation:
        """ISO 9001 7.5.3.2, the control of documents: what the revision checks cite."""
        return Citation(ISO_9001, "7.5.3.2", self.labels["check_document_control"])

    def _no_revision(self, record: Record, plan: FormPlan, ref: RecordRef, day: dt.date | None) -> Finding:
        """The one finding of a record on whose day (the audit date, when it has none) no revision of
        its form's procedure was in force: before the first took effect, after a withdrawal, or never."""
        pid = plan.form.procedure
        on = day or self.as_of
        timeline = self.book.in_force.get(pid)
        names: dict[str, Any] = {"procedure": pid, "date": on.isoformat()}
        dated = dated_field(plan.form)
        values = {dated: on.isoformat()} if dated and day is not None else {}
        fields = (dated,) if dated and day is not None else ()
        withdrawn = next((r for r in reversed(timeline.states_on(on).revisions) if r.state == "obsolete"), None) \
            if timeline is not None else None
        first = timeline.next_after(on) if timeline is not None else None
        if withdrawn is not None:
            names.update(revision=withdrawn.revision, effective=_day(withdrawn.effective))
            issue = Issue("fail", fields, "check_procedure_withdrawn", names, None, values)
        elif first is not None:
            names.update(revision=first.revision, effective=_day(first.effective))
            issue = Issue("fail", fields, "check_procedure_not_yet", names, f"≥ {_day(first.effective)}", values)
        else:
            issue = Issue("fail", fields, "check_procedure_none", names, None, values)
        return self._builtin("QMS-REVISION", self._document_control(), ref, issue)

    def _reason(self, problem: FieldProblem) -> str:
        """Why a value cannot be read, in the site's language when the catalogue has the reason."""
        text = self.labels.texts.get(f"reason_{problem.key}") if problem.key else None
        if text is None:
            return problem.message
        try:
            return text.format(**dict(problem.params))
        except (KeyError, IndexError, ValueError):
            return problem.message

    def _revision_issue(self, record: Record, plan: FormPlan, day: dt.date | None) -> Issue | None:
        """Whether the record's form revision was in force on its day, as the form's states say
        (its released revisions and the current source); a revision only its history names is
        judged by the history's dates."""
        form = plan.form
        if day is not None and (form.id, record.revision, day) in self._in_force_memo:
            return None  # found in force on that day before (the day decides the plan, so it is a known one)
        timeline = self.book.in_force.get(form.id)
        names: dict[str, Any] = {"form": form.id, "revision": record.revision, "current": form.revision}
        values = {"revision": record.revision}
        if record.revision not in plan.known:
            return Issue("fail", ("revision",), "check_revision_unknown", names, " / ".join(plan.known), values)
        if day is None:
            return None
        memo = (form.id, record.revision, day)
        state = timeline.states_on(day).get(record.revision) if timeline is not None else None
        if state is None:
            return _history_issue(record.revision, plan.revisions, day, names, values)
        names.update(date=day.isoformat(), effective=_day(state.effective))
        if state.state == "effective":
            if len(self._in_force_memo) >= IN_FORCE_MEMO:
                self._in_force_memo.clear()
            self._in_force_memo.add(memo)
            return None
        if state.state == "obsolete":
            return Issue("fail", ("revision",), "check_revision_withdrawn", names, None, values)
        if state.state == "superseded":
            names.update(next=state.superseded_by, effective=_day(state.superseded_on))
            return Issue("fail", ("revision",), "check_revision_superseded", names, state.superseded_by, values)
        return Issue("fail", ("revision",), "check_revision_not_yet", names,
                     f"{record.revision} ≥ {_day(state.effective)}", values)

    # -- findings ------------------------------------------------------------------------

    def _message(self, issue: Issue) -> str:
        """The issue in the catalogue's words."""
        names = _Names(issue.names)
        if "expected" not in names:
            names["expected"] = issue.expected or ""
        return self.labels[issue.key].format_map(names)

    def _finding(self, rule: Rule, ref: RecordRef, issue: Issue, fields: dict[str, Any] | None = None) -> Finding:
        if issue.outcome != "fail" or rule.message is None:  # the catalogue's text
            return Finding(rule.code, rule.title, rule.severity, issue.outcome, rule.citation, ref, issue.fields,
                           issue.values, issue.expected, self._message(issue), due=issue.due)
        template = rule.message
        names = _Names(issue.names)
        if "expected" not in names:
            names["expected"] = issue.expected or ""
        self._template_names(rule, ref, issue, template, fields, names)
        try:
            message = template.format_map(names)
        except (ValueError, KeyError, IndexError, AttributeError):
            message = self.labels[issue.key].format_map(names)
        return Finding(rule.code, rule.title, rule.severity, issue.outcome, rule.citation, ref, issue.fields,
                       issue.values, issue.expected, message, due=issue.due)

    def _template_names(self, rule: Rule, ref: RecordRef, issue: Issue, template: str,
                        fields: dict[str, Any] | None, names: dict[str, Any]) -> None:
        """Add to `names` what a rule's own message may name besides the issue's values (which come first):
        the rule, the record, its fields. Only the names the message uses are worked out (and those of the
        catalogue's text it falls back to)."""
        key = (template, issue.key)
        wants = self._template_wants.get(key)
        if wants is None:  # once per message and catalogue text: their placeholders do not change
            used = _placeholders(template)
            wanted = used | _placeholders(self.labels[issue.key])
            wants = self._template_wants[key] = (
                tuple(name for name in ("rule", "title", "form", "record", "fields", "values") if name in wanted),
                tuple(sorted(used)))
        about, uses = wants
        if fields is not None:  # a field the message names, first: it wins over the rule's and record's names
            form_id = rule.forms[0]
            for fid in uses:
                if fid in fields and fid not in names:
                    value = fields[fid]
                    options = self._options(form_id, fid)
                    if isinstance(value, list) and options:
                        names[fid] = self.ctx.join(options.get(v, v) for v in value)
                    else:
                        names[fid] = options.get(value, self.ctx.show(value)) if options else self.ctx.show(value)
        for name in about:
            if name in names:
                continue
            if name == "rule":
                names[name] = rule.code
            elif name == "title":
                names[name] = rule.title
            elif name == "form":
                names[name] = ref.form or ""
            elif name == "record":
                names[name] = ref.record_id or ""
            elif name == "fields":
                names[name] = self.ctx.join(issue.fields)
            else:
                names[name] = "; ".join(f"{k}={v}" for k, v in issue.values.items())

    def _options(self, form_id: str, field_id: str) -> dict[str, str]:
        """The labels of a field's options by value (empty: it has none), worked out once per field."""
        key = (form_id, field_id)
        options = self._option_labels.get(key)
        if options is None:
            f = self.project.forms[form_id].fields()[field_id]
            options = self._option_labels[key] = {o.value: o.label for o in f.options}
        return options

    def _builtin(self, code: str, citation: Citation, ref: RecordRef, issue: Issue) -> Finding:
        return Finding(code, self.titles[code], BUILTIN_SEVERITY[code], issue.outcome, citation, ref, issue.fields,
                       issue.values, issue.expected, self._message(issue))

    def unreadable(self, error: RecordError) -> Finding:
        """The finding for a record (or file) that could not be read at all."""
        ref = RecordRef(error.source, error.location, error.form)
        text = self.labels.texts.get(f"reason_{error.key}") if error.key else None
        try:
            reason = text.format(**error.params) if text else error.message
        except (KeyError, IndexError, ValueError):
            reason = error.message
        issue = Issue("unreadable_record", (), "check_unreadable_record", {"reason": reason})
        return self._builtin("QMS-RECORD", Citation(ISO_9001, "7.5.3.1", self.labels["check_retention_criterion"]),
                             ref, issue)

    # -- the whole set -------------------------------------------------------------------

    def check_set(self, records: Iterable[Record],
                  earliest: dt.date | None) -> tuple[list[Finding], dict[int, list[str]]]:
        """Findings of the rules over all records of their forms; `earliest` starts the audited period
        unless `since` was given. Also returns, per record index, the set-rule codes applied."""
        by_form: dict[str, list[tuple[int, Record]]] = defaultdict(list)
        for i, record in enumerate(records):
            if record.form in self.set_forms:
                by_form[record.form].append((i, record))
        scope = SetScope(by_form, self.since or earliest, defaultdict(list))
        findings: list[Finding] = []
        for rule in self.set_rules:
            key, spec = ("match", rule.match) if rule.match is not None else (rule.kind, rule.spec)
            check: SetCheck = CHECKS[key]
            try:
                produced = check(self, rule, spec, by_form.get(rule.forms[0], []), scope)
            except Exception as exc:  # one rule that cannot be evaluated must not cost the run
                findings.append(self._not_evaluated(rule, self._set_ref(rule.forms[0], ""), exc))
                continue
            produced.sort(key=Finding.sort_key)
            findings.extend(self._at_most(produced, 0, rule.citation, self._set_ref(rule.forms[0], ""),
                                          "check_more_rule"))
        return findings, scope.applied

    def _not_evaluated(self, rule: Rule, ref: RecordRef, exc: Exception) -> Finding:
        """The finding for a rule that failed on `ref` (a record, or the set): it could not be evaluated."""
        if isinstance(exc, CannotEvaluate):
            reason = str(exc)
        elif isinstance(exc, NotCovered):
            reason = self.ctx.reason(exc.key, str(exc), **exc.params)
        else:
            reason = self.labels.format("reason_rule_error", error=f"{type(exc).__name__}: {exc}")
        return self._finding(rule, ref, Issue("cannot_evaluate", (), "check_cannot_evaluate", {"reason": reason}))

    def _in_force(self, form_id: str, since: dt.date) -> dt.date:
        """The audited period starts no earlier than the day the form (its first revision) came into force."""
        revisions = self.plans[form_id].revisions
        return max(since, revisions[0][1]) if revisions else since

    def _set_ref(self, form_id: str, period: str, record_id: str | None = None) -> RecordRef:
        return RecordRef(self.scope, period, form_id, None, record_id)

    def _frequency(self, rule: Rule, spec: Frequency, items: list[tuple[int, Record]],
                   scope: SetScope) -> list[Finding]:
        # no record of the form at all: out of scope, unless a period was named (--since)
        if scope.since is None or not (items or self.since is not None):
            return []
        since = self._in_force(rule.forms[0], scope.since)
        counts: dict[dt.date, int] = defaultdict(int)
        for _, record in items:
            value = spec.date.get(record.fields)
            if value is not None:
                counts[period_of(self.ctx.day(value), spec.per)[0]] += 1
        n = kinds.amount(spec.at_least, Env({}, None, self.as_of), ctx=self.ctx)
        form = self.project.forms[rule.forms[0]]
        out = []
        for start, end in whole_periods(since, self.as_of, spec.per):
            count = counts.get(start, 0)
            if count < n:
                label = period_label(start, spec.per)
                issue = Issue("fail", (spec.date.path,), "check_frequency",
                              {"period": self.labels.format("check_period", label=label, start=start.isoformat(),
                                                          end=end.isoformat()), "count": count,
                               "at_least": n, "form_title": form.title},
                              f"≥ {n}", {label: str(count)})
                out.append(self._finding(rule, self._set_ref(form.id, label), issue))
        return out

    def _coverage(self, rule: Rule, spec: Coverage, items: list[tuple[int, Record]],
                  scope: SetScope) -> list[Finding]:
        if scope.since is None:
            return []
        since = self._in_force(rule.forms[0], scope.since)
        have = set()
        for _, record in items:
            key, day = spec.key.get(record.fields), spec.date.get(record.fields)
            if key and day is not None:
                have.add((period_of(self.ctx.day(day), spec.per)[0], _norm(key)))
        periods = dict(whole_periods(since, self.as_of, spec.per))
        needed: dict[tuple[dt.date, str], str] = {}
        for _, record in scope.records.get(spec.population_form, []):
            key, day = spec.population_key.get(record.fields), spec.population_date.get(record.fields)
            if key and day is not None:
                start = period_of(self.ctx.day(day), spec.per)[0]
                if start in periods:
                    needed.setdefault((start, _norm(key)), str(key))
        form = self.project.forms[rule.forms[0]]
        pform = self.project.forms[spec.population_form]
        out = []
        for (start, key), shown in sorted(needed.items()):
            if (start, key) in have:
                continue
            label = period_label(start, spec.per)
            issue = Issue("missing", (spec.key.path,), "check_coverage",
                          {"key": shown, "period": label, "form_title": form.title, "population_title": pform.title},
                          form.title, {spec.key.path: shown})
            out.append(self._finding(rule, self._set_ref(form.id, f"{label} {shown}"), issue))
        return out

    def _unique(self, rule: Rule, spec: Unique, items: list[tuple[int, Record]], scope: SetScope) -> list[Finding]:
        first: dict[tuple[Any, ...], Record] = {}
        out = []
        key_of = _key_of(spec.fields)
        for i, record in items:
            key = key_of(record.fields)
            if key is None:
                continue
            scope.applied[i].append(rule.code)
            if key in first:
                other = first[key]
                shown = " / ".join(self.ctx.show(r.get(record.fields)) for r in spec.fields)
                issue = Issue("fail", tuple(r.path for r in spec.fields), "check_unique",
                              {"fields": self.ctx.join(r.label for r in spec.fields), "other": other.where,
                               "value": shown},
                              None, {r.path: self.ctx.show(r.get(record.fields)) for r in spec.fields})
                out.append(self._finding(rule, self.record_ref(record), issue))
            else:
                first[key] = record
        return out

    def _matched(self, rule: Rule, spec: Match, items: list[tuple[int, Record]], scope: SetScope) -> list[Finding]:
        """A rule with `match:`: each record is paired, then judged by the rule's kind like one record."""
        index: dict[tuple[Any, ...], Record] = {}
        theirs, ours = _key_of(spec.theirs), _key_of(spec.ours)
        for _, other in scope.records.get(spec.form, []):
            key = theirs(other.fields)
            if key is not None:
                index.setdefault(key, other)
        form = self.project.forms[rule.forms[0]]
        other_form = self.project.forms[spec.form]
        check: RecordCheck = CHECKS[rule.kind]
        passes = self._pair_quick.get(rule.code)
        out = []
        for i, record in items:
            key = ours(record.fields)
            if key is None:
                continue
            match = index.get(key)
            if match is not None and passes is not None and not record.problems and _passes(passes, record, match):
                scope.applied[i].append(rule.code)  # the pair passes what the full check would pass
                continue
            ref = self.record_ref(record)
            if match is None:
                if spec.required:
                    scope.applied[i].append(rule.code)
                    keys = ", ".join(f"{a.label}={self.ctx.show(a.get(record.fields))}" for a in spec.ours)
                    out.append(self._finding(rule, ref, Issue(
                        "missing", tuple(a.path for a in spec.ours), "check_match_missing",
                        {"form_title": other_form.title, "keys": keys}, other_form.id)))
                continue
            view = View(record, form, self.as_of, match)
            try:  # like a single record's rules: a failure on one pair is a finding on it, the others go on
                decision = kinds.applies(rule.when, view, self.ctx) if rule.when is not None else True
                if decision is False:
                    continue
                scope.applied[i].append(rule.code)
                issues = check(rule, rule.spec, view, self.ctx) if decision is True else [decision]
            except Exception as exc:
                out.append(self._not_evaluated(rule, ref, exc))
                continue
            out.extend(self._finding(rule, ref, issue, record.fields) for issue in issues)
        return out


def _passes(passes: quick.PairQuick, record: Record, match: Record) -> bool:
    """Whether the compiled `match:` rule passes the pair; a value it cannot look at (a failure the full
    check reports on the pair) is left to the full check."""
    try:
        return passes(record.fields, match.fields)
    except Exception:  # the full check says what went wrong, on this pair only
        return False


@lru_cache(maxsize=1024)
def _placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _key_of(refs: tuple[FieldRef, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...] | None]:
    """The key a record's fields give for `refs` (the values, texts without their white space), or None
    when a part of it is blank. One reference, the common case, is looked up without a loop."""
    if len(refs) == 1:
        ref = refs[0]

        def one(fields: dict[str, Any]) -> tuple[Any, ...] | None:
            value = _norm(ref.get(fields))
            return None if value is None or value == "" else (value,)
        return one

    def several(fields: dict[str, Any]) -> tuple[Any, ...] | None:
        key = tuple(_norm(r.get(fields)) for r in refs)
        return None if any(k is None or k == "" for k in key) else key
    return several


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(value.split())
    return value


def _applied(codes: tuple[str, ...], skipped: list[int]) -> tuple[str, ...]:
    """The codes of a plan's rules that applied to a record: all but the conditional ones `skipped`."""
    if not skipped:
        return codes
    return tuple(code for i, code in enumerate(codes) if i not in skipped)


def _claims(rule: Rule) -> list[str]:
    """Fields a rule reports blank itself (a table column does not claim its whole table)."""
    if rule.match is not None:
        return []
    return [ref.field for ref in rule.spec.claims() if not ref.in_match and not ref.is_column]


def _set_fields(rules: tuple[Rule, ...]) -> dict[str, frozenset[str]]:
    """Per form, the fields the set rules read: all that records of it must carry to the set phase."""
    needed: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        own = matched = needed[rule.forms[0]]
        if rule.match is not None:
            matched = needed[rule.match.form]
            own.update(r.field for r in rule.match.ours)
            matched.update(r.field for r in rule.match.theirs)
        for form_id, refs in rule.spec.other_forms().items():
            needed[form_id].update(r.field for r in refs)
        exprs = rule.spec.exprs() if rule.when is None else (rule.when, *rule.spec.exprs())
        for ref in (*rule.spec.refs(), *(ref for expr in exprs for ref in expr.refs)):
            (matched if ref.in_match else own).add(ref.field)
    return {form: frozenset(fields) for form, fields in needed.items()}


def _source_order(rule: Rule) -> tuple[str, int, int]:
    """Rules in the order they are written: by file, then position."""
    return (rule.path, rule.loc.line, rule.loc.col)


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else "—"


def _history_issue(revision: str, revisions: tuple[tuple[str, dt.date], ...], day: dt.date,
                   names: dict[str, Any], values: dict[str, str]) -> Issue | None:
    """A form revision that only the form's history names (never released): in force from its history
    date until the next revision's."""
    dates = dict(revisions)
    order = [r for r, _ in revisions]
    effective = dates[revision]
    names.update(date=day.isoformat(), effective=effective.isoformat())
    if day < effective:
        return Issue("fail", ("revision",), "check_revision_not_yet", names,
                     f"{revision} ≥ {effective.isoformat()}", values)
    i = order.index(revision)
    if i + 1 < len(order) and day >= dates[order[i + 1]]:
        nxt = order[i + 1]
        names.update(next=nxt, effective=dates[nxt].isoformat())
        return Issue("fail", ("revision",), "check_revision_superseded", names, nxt, values)
    return None


def _revisions(form: Form) -> tuple[tuple[str, dt.date], ...]:
    """Each revision of the form and the day it came into force, oldest first."""
    out: dict[str, dt.date] = {}
    for entry in form.history:
        out.setdefault(entry.revision, entry.date)
    if form.revision not in out and form.effective is not None:
        out[form.revision] = form.effective
    if form.effective is not None:
        out[form.revision] = form.effective
    return tuple(sorted(out.items(), key=lambda kv: kv[1]))


def _dedupe_future(findings: list[Finding]) -> list[Finding]:
    """A date after the audit date is reported once per field, by the first check that meets it."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for f in findings:
        if f.outcome == "future":
            if f.fields in seen:
                continue
            seen.add(f.fields)
        out.append(f)
    return out


# -- the kinds --------------------------------------------------------------------------

RecordCheck = Callable[[Rule, Any, View, Context], list[Issue]]
"""How a kind judges one record (with its matched record, under `match:`): (rule, spec, view, context) → issues."""
SetCheck = Callable[[Checker, Rule, Any, list[tuple[int, Record]], SetScope], list[Finding]]
"""How a kind judges the set, once: (checker, rule, spec, the records of its form, scope) → findings."""

CHECKS: dict[str, Callable[..., list[Any]]] = {
    "required": kinds.required, "signatures": kinds.signatures, "order": kinds.order, "deadline": kinds.deadline,
    "lead_time": kinds.lead_time, "allowed": kinds.allowed, "limit": kinds.limit, "expect": kinds.expect,
    "frequency": Checker._frequency, "coverage": Checker._coverage, "unique": Checker._unique,
    "match": Checker._matched,
}
"""Every kind of rule, by the key a rule uses for it, and `match` for rules that pair records with another
form's: a `RecordCheck` for the kinds judged one record at a time (RECORD_KINDS), a `SetCheck` for the others."""
