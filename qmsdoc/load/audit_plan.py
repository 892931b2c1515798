"""An audit plan file (`qmsdoc check --plan audit.yaml`) → AuditPlan.

Read like every source: a regular file within `source_bytes`, UTF-8, strict YAML (no aliases, no
control characters), each key checked and every problem reported at its `path:line:col` with the
fix. Departments must be departments of qmsdoc.yaml and procedures ids of the document set, so the
scope the report prints is the scope the site knows. The format is in docs/audit-plan-format.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from qmsdoc.errors import Diagnostics, Location, SourceError, did_you_mean
from qmsdoc.load.common import read_source, read_source_text
from qmsdoc.load.reader import MapReader, to_str
from qmsdoc.load.shapes import AUDIT_PLAN, shape_named
from qmsdoc.load.yamlsrc import YNode, YScalar, YSeq, parse_yaml
from qmsdoc.model.audit import AuditPlan, TeamMember
from qmsdoc.model.project import Project

MAX_TEXT = 2000
"""The longest text a plan may give (a conclusion, an objective): a paragraph, not a document."""
MAX_LINE = 200
"""The longest one-line text (a number, a name, a title)."""
MAX_ITEMS = 200
"""The most entries of one list (members, departments, procedures, objectives)."""


def load_audit_plan(path: Path, shown: str, project: Project) -> AuditPlan:
    """The plan in `path` (named `shown` in messages); SourceError with every problem found."""
    diags = Diagnostics()
    plan = read_audit_plan(path, shown, project, diags)
    if diags or plan is None:
        raise SourceError(diags)
    return plan


def read_audit_plan(path: Path, shown: str, project: Project, diags: Diagnostics) -> AuditPlan | None:
    raw = read_source(path, shown, project.site.limits, diags)
    text = read_source_text(raw, shown, diags) if raw is not None else None
    node = parse_yaml(text, shown, diags) if text is not None else None
    if node is None:
        return None
    return _PlanReader(MapReader(node, diags, "audit plan", AUDIT_PLAN), project, shown).read()


class _PlanReader:
    """Reads the keys of one plan, in the order the format describes them."""

    def __init__(self, r: MapReader, project: Project, path: str):
        self.r, self.project, self.path, self.diags = r, project, path, r.diags
        self.locs: dict[str, Location] = {}

    def read(self) -> AuditPlan:
        r = self.r
        number = self._line(r, "number")
        title = self._line(r, "title")
        start, end = self._dates(r)
        leader, members = self._team(r.mapping("team"))
        auditee, representative = self._auditee(r.mapping("auditee"))
        scope = r.mapping("scope")
        departments = self._departments(scope) if scope else ()
        procedures = self._procedures(scope) if scope else ()
        period = scope.mapping("period") if scope else None
        period_from, period_to = self._span(period) if period else (None, None)
        description = self._paragraph(scope, "description") if scope else None
        if scope:
            scope.finish()
        objectives = self._texts(r, "objectives")
        conclusion = self._paragraph(r, "conclusion")
        r.finish()
        return AuditPlan(number, title, start, end, leader, members, auditee, representative, departments,
                         procedures, period_from, period_to, description, objectives, conclusion, self.path,
                         self.locs)

    # -- keys ---------------------------------------------------------------------------------
    def _line(self, r: MapReader, key: str) -> str | None:
        """A one-line text of at most MAX_LINE characters."""
        text = r.text(key)
        if text is None:
            return None
        self.locs[key] = r.value_loc(key)
        text = text.strip()
        if "\n" in text or len(text) > MAX_LINE:
            self.diags.error(r.value_loc(key), f"{r.what}: {key}: one line of at most {MAX_LINE} characters "
                                               f"is expected, got {len(text)} characters"
                             + (" on several lines" if "\n" in text else ""),
                             "shorten it; longer texts belong in scope.description or objectives")
            return None
        return text or None

    def _paragraph(self, r: MapReader, key: str) -> str | None:
        text = r.text(key)
        if text is None:
            return None
        self.locs[key] = r.value_loc(key)
        if len(text) > MAX_TEXT:
            self.diags.error(r.value_loc(key), f"{r.what}: {key}: at most {MAX_TEXT} characters, "
                                               f"got {len(text)}", "keep it to a paragraph")
            return None
        return text.strip() or None

    def _texts(self, r: MapReader, key: str) -> tuple[str, ...]:
        """A text, or a list of texts (one per line of the report)."""
        node = r.raw(key)
        if node is None:
            return ()
        self.locs[key] = node.loc
        items: tuple[YNode, ...] = node.items if isinstance(node, YSeq) else (node,)
        if len(items) > MAX_ITEMS:
            self.diags.error(node.loc, f"{r.what}: {key}: at most {MAX_ITEMS} entries, got {len(items)}")
            return ()
        out = []
        for item in items:
            text = to_str(item, self.diags, f"{r.what}: {key}")
            if text is not None and len(text) > MAX_TEXT:
                self.diags.error(item.loc, f"{r.what}: {key}: at most {MAX_TEXT} characters, got {len(text)}")
            elif text is not None and text.strip():
                out.append(text.strip())
        return tuple(out)

    def _dates(self, r: MapReader) -> tuple[dt.date | None, dt.date | None]:
        """`date: D` (one day) or `dates: {from: D, to: D}`."""
        if r.has("date") and r.has("dates"):
            self.diags.error(r.key_loc("dates"), f'{r.what}: give "date" (one day) or "dates" (from, to), not both')
            return None, None
        if r.has("date"):
            day = r.date("date")
            self.locs["dates"] = r.value_loc("date")
            return day, day
        dates = r.mapping("dates")
        if dates is None:
            return None, None
        self.locs["dates"] = r.value_loc("dates")
        return self._span(dates)

    def _span(self, m: MapReader) -> tuple[dt.date | None, dt.date | None]:
        """`{from: D, to: D}`, from on or before to."""
        start, end = m.date("from", required=True), m.date("to", required=True)
        m.finish()
        if start and end and end < start:
            self.diags.error(m.value_loc("to"), f"{m.what}: to ({end}) is before from ({start})",
                             "from is the first day, to the last")
            return None, None
        return start, end

    def _member(self, node: YNode, what: str) -> TeamMember | None:
        """`王伟` or `{name: 王伟, role: 审核组长}`."""
        if isinstance(node, YScalar):
            name = to_str(node, self.diags, what)
            return TeamMember(name.strip()) if name and name.strip() else None
        m = MapReader(node, self.diags, what, shape_named("member"))
        name, role = m.text("name", required=True), m.text("role")
        m.finish()
        return TeamMember(name.strip(), (role or "").strip()) if name and name.strip() else None

    def _team(self, team: MapReader | None) -> tuple[TeamMember | None, tuple[TeamMember, ...]]:
        if team is None:
            return None, ()
        self.locs["team"] = team.loc
        node = team.raw("leader")
        leader = self._member(node, f"{team.what}: leader") if node is not None else None
        members = [self._member(item, f"{team.what}: members") for item in team.seq("members")[:MAX_ITEMS]]
        team.finish()
        return leader, tuple(m for m in members if m is not None)

    def _auditee(self, auditee: MapReader | None) -> tuple[str | None, str | None]:
        if auditee is None:
            return None, None
        self.locs["auditee"] = auditee.loc
        name, representative = self._line(auditee, "name"), self._line(auditee, "representative")
        auditee.finish()
        return name, representative

    def _departments(self, scope: MapReader) -> tuple[str, ...]:
        known = self.project.site.departments
        out = []
        for name, loc in scope.str_list("departments")[:MAX_ITEMS]:
            if name not in known:
                self.diags.error(loc, f'{scope.what}: departments: "{name}" is not a department of qmsdoc.yaml',
                                 did_you_mean(name, known) or "the departments are listed under departments: "
                                                              "in qmsdoc.yaml")
            elif name not in out:
                out.append(name)
        return tuple(out)

    def _procedures(self, scope: MapReader) -> tuple[str, ...]:
        known = self.project.procedures
        out = []
        for doc_id, loc in scope.str_list("procedures")[:MAX_ITEMS]:
            if doc_id not in known:
                form = self.project.forms.get(doc_id)
                hint = (f"that is a form; name its procedure, {form.procedure}" if form is not None
                        else did_you_mean(doc_id, known)
                        or "name procedures by their id, e.g. " + next(iter(sorted(known)), "SJE/ZY/GK-01"))
                self.diags.error(loc, f'{scope.what}: procedures: "{doc_id}" is not a procedure of the document set',
                                 hint)
            elif doc_id not in out:
                out.append(doc_id)
        return tuple(out)



def with_options(plan: AuditPlan | None, auditors: tuple[str, ...], auditee: str | None,
                 number: str | None) -> AuditPlan | None:
    """The plan with what the command line gives instead (`--auditor` repeated, the first leading the team;
    `--auditee`; `--audit-number`); None when there is neither a plan nor an option."""
    names = tuple(name.strip() for name in auditors if name.strip())
    if plan is None and not (names or auditee or number):
        return None
    base = plan or AuditPlan()
    if names:
        base = replace(base, leader=TeamMember(names[0]), members=tuple(TeamMember(n) for n in names[1:]))
    return replace(base, auditee=(auditee or "").strip() or base.auditee, number=(number or "").strip() or base.number)
