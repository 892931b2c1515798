"""The rules as they stand in each revision of their procedure, and the revision in force on a day.

A record is judged by the requirements in force on its date. A procedure has revisions (the
released ones and the current source, which may not be in force yet), each with its own
params and clauses, so each procedure's rules are compiled once per revision, against that
revision's model, from the same parsed rules files (`load.rules.compile_rule`). A rule applies
to every revision unless it says `revisions: [A/0, A/1]` or `from_revision: B/0`.

Which revision is in force on a day is what `document_states(project, as_of=day)` says. That
changes only on a revision's effective date, so it is worked out once for each such date
(`InForce`), and a record's day is then looked up, never computed again: `Checker.check` stays
a pure function of the record.

`check_rule_revisions(project)` gives the problems for lint: a revision name a rule gives that
is not a revision of its procedure, and a rule that does not compile against a revision it
applies to (a param or clause that revision lacks), each at its path:line:col with the fix.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from qmsdoc.errors import Diagnostic, Diagnostics, Location, SourceError, did_you_mean
from qmsdoc.lifecycle.revisions import load_revision
from qmsdoc.lifecycle.states import DocumentStates, RevisionState, document_states
from qmsdoc.load.rules import RuleFile, compile_rule, read_rule_files, rule_heading
from qmsdoc.load.yamlsrc import YNode
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Revisions, Rule

DAY_BEFORE_ALL = dt.date.min
"""A day before every effective date: what is in force before any revision's date has come."""


@dataclass(frozen=True)
class InForce:
    """The states of one document's revisions on any day, as `document_states(project, as_of=day)`
    gives them: `before` until the first of `starts`, then `states[i]` from `starts[i]` on."""

    starts: tuple[dt.date, ...]
    states: tuple[DocumentStates, ...]
    before: DocumentStates

    def states_on(self, day: dt.date) -> DocumentStates:
        i = bisect_right(self.starts, day) - 1
        return self.before if i < 0 else self.states[i]

    def on(self, day: dt.date) -> RevisionState | None:
        """The revision in force on `day`; None when none had taken effect (or the document was withdrawn)."""
        return self.states_on(day).in_force

    def next_after(self, day: dt.date) -> RevisionState | None:
        """The first revision to come into force after `day`, if any."""
        for start, states in zip(self.starts, self.states, strict=True):
            if start > day and states.in_force is not None:
                return states.in_force
        return None


def in_force_by_day(project: Project) -> dict[str, InForce]:
    """For every document, its states on any day, worked out once per effective date."""
    every = document_states(project)
    days = sorted({r.effective for states in every.values() for r in states.revisions if r.effective is not None})
    on_day = {day: document_states(project, as_of=day) for day in days}
    before = document_states(project, as_of=DAY_BEFORE_ALL)
    out = {}
    for doc_id, states in every.items():
        own = sorted({r.effective for r in states.revisions if r.effective is not None})
        out[doc_id] = InForce(tuple(own), tuple(on_day[day][doc_id] for day in own), before[doc_id])
    return out


@dataclass(frozen=True)
class RuleBook:
    """Every rule compiled for every revision of its procedure, and what is in force on any day."""

    rules: dict[tuple[str, str], tuple[Rule, ...]]
    """(procedure, revision) → the rules that apply to that revision, compiled against it, in source order."""
    order: dict[str, tuple[str, ...]]
    """Procedure → its revisions (released and the current source), oldest first."""
    in_force: dict[str, InForce]
    """Document (procedure or form) → its states on any day."""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    """Revision names that are not revisions, and rules that do not compile against a revision they apply to."""

    def rules_in_force(self, procedure: str, day: dt.date) -> tuple[Rule, ...]:
        """The rules of `procedure` as they stood in its revision in force on `day` (none if none was)."""
        state = self.in_force[procedure].on(day) if procedure in self.in_force else None
        return self.rules.get((procedure, state.revision), ()) if state is not None else ()

    def all_rules(self) -> tuple[Rule, ...]:
        """Every compiled rule of every revision."""
        return tuple(r for rules in self.rules.values() for r in rules)

    def only(self, codes: Iterable[str]) -> RuleBook:
        """The same book with only the rules of these codes (a benchmark or a test of a few rules)."""
        keep = frozenset(codes)
        rules = {key: tuple(r for r in rules if r.code in keep) for key, rules in self.rules.items()}
        return RuleBook(rules, self.order, self.in_force, self.diagnostics)


def check_rule_revisions(project: Project) -> Diagnostics:
    """Lint: the problems of the rules with the revisions of their procedures (see the module)."""
    return rule_book(project).diagnostics


def rule_book(project: Project) -> RuleBook:
    """Compile each procedure's rules once per revision of it (released, or the current source)."""
    diags = Diagnostics()
    files = read_rule_files(project.root, project.site, diags)
    states = document_states(project)
    by_procedure: dict[str, list[tuple[RuleFile, YNode]]] = defaultdict(list)
    for file in files:
        for item in file.items:
            pid = file.procedure_of(item)
            if pid in project.procedures:  # another id is a load error, reported with the sources
                by_procedure[pid].append((file, item))
    rules: dict[tuple[str, str], tuple[Rule, ...]] = {}
    order: dict[str, tuple[str, ...]] = {}
    for pid, entries in by_procedure.items():
        order[pid] = tuple(r.revision for r in states[pid].revisions)
        models = _models(project, pid, order[pid], diags)
        compiled = _compile_procedure(project, pid, order[pid], models, entries, diags)
        rules.update(((pid, rev), tuple(compiled[rev])) for rev in order[pid])
    return RuleBook(rules, order, in_force_by_day(project), diags)


def _models(project: Project, pid: str, order: tuple[str, ...], diags: Diagnostics) -> dict[str, Procedure]:
    """The model of each revision of procedure `pid`; one that does not load is a problem of its own."""
    models = {}
    for rev in order:
        try:
            model = load_revision(project, pid, rev)
        except SourceError as exc:
            diags.extend(exc.diagnostics)
            continue
        except LookupError as exc:
            diags.error(Location(project.procedures[pid].path), str(exc))
            continue
        if isinstance(model, Procedure):
            models[rev] = model
    return models


def _compile_procedure(project: Project, pid: str, order: tuple[str, ...], models: dict[str, Procedure],
                       entries: list[tuple[RuleFile, YNode]], diags: Diagnostics) -> dict[str, list[Rule]]:
    """Each rule of `pid` against each revision it applies to: revision → rules, in source order."""
    out: dict[str, list[Rule]] = {rev: [] for rev in order}
    for file, item in entries:
        code, scope = rule_heading(item)
        known = _check_names(code, scope, pid, order, diags)
        failed: dict[str, list[Diagnostic]] = {}
        targets = [rev for rev in order if rev in models and scope.applies(rev, order)] if known else []
        for rev in targets:
            procedures = {**project.procedures, pid: models[rev]}
            default = procedures.get(file.procedure) if file.procedure else None
            scratch = Diagnostics()
            compiled = compile_rule(item, file.path, project.site, default, procedures, project.forms, {}, scratch,
                                    lambda revisions, proc: True)
            if scratch:
                failed[rev] = scratch.items
            else:
                out[rev].extend(compiled)
        for rev, problems in failed.items():
            hint = _scope_hint(pid, rev, scope, order, [r for r in targets if r not in failed])
            for d in problems:
                diags.error(d.location, _against(code, pid, rev, d.message), f"{hint}; {d.hint}" if d.hint else hint)
    return out


def _check_names(code: str, scope: Revisions, pid: str, order: tuple[str, ...], diags: Diagnostics) -> bool:
    """Whether every revision the rule names is a revision of `pid`; each one that is not is a problem."""
    ok = True
    key = "from_revision" if scope.start is not None else "revisions"
    for name, loc in scope.named:
        if name not in order:
            ok = False
            diags.error(loc, f'rule {code}: {key}: {pid} has no revision "{name}"',
                        did_you_mean(name, order)
                        or f"the revisions of {pid} are {', '.join(order)} (released, and the current source)")
    return ok


def _against(code: str, pid: str, rev: str, message: str) -> str:
    """A compile problem, said of the revision it comes from."""
    prefix = f"rule {code}: "
    detail = message[len(prefix):] if message.startswith(prefix) else message
    return f"rule {code} does not compile against {pid} {rev}, which it applies to: {detail}"


def _scope_hint(pid: str, rev: str, scope: Revisions, order: tuple[str, ...], compiled: list[str]) -> str:
    """How to fix a rule that does not compile against `rev`: narrow its revisions, or make it hold there."""
    fix = f"or change the rule so that it holds for {rev}"
    if scope.listed:
        rest = [r for r in scope.listed if r != rev]
        if rest:
            return f"if the rule does not apply to {rev}, write revisions: [{', '.join(rest)}]; {fix}"
        return f"the rule applies to {rev} alone (revisions: [{rev}]): change it so that it holds for {rev}"
    later = [r for r in compiled if order.index(r) > order.index(rev)]
    if later:
        return f"if the rule applies only from {later[0]}, add from_revision: {later[0]} to it; {fix}"
    if compiled:
        return f"if the rule applies only to {', '.join(compiled)}, add revisions: [{', '.join(compiled)}]; {fix}"
    applies = scope.describe() or f"no revisions: or from_revision:, so every revision of {pid}"
    return f"change the rule so that it holds for {rev} (it applies to it: {applies})"


def form_procedures(book: RuleBook, form: Form) -> tuple[str, ...]:
    """The procedures whose rules judge records of `form` one at a time, and the form's own, sorted."""
    cited = {pid for (pid, _), rules in book.rules.items()
             for r in rules if form.id in r.forms and not r.is_set_rule}
    return tuple(sorted(cited | {form.procedure}))
