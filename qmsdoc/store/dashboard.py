"""What the portal's dashboard shows, read from the store: open findings and corrective actions now, by
procedure and department, overdue ones first, and the findings of each procedure over the stored audits.

"Open" is as the audits left it: a finding is open from the audit that found it until one no longer
finds it (`audits.open_findings`); a corrective action is open until it is closed, and overdue when
its due date has passed on the day the site is built for and it is not yet verified. Everything is
in a fixed order, so the same store gives the same page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from qmsdoc.model.project import Project
from qmsdoc.store.audits import DONE, NO_LONGER_FOUND, open_findings
from qmsdoc.store.schema import audit_findings, audits, capas

SEVERITY_ORDER = ("major", "minor", "observation")


@dataclass(frozen=True)
class Action:
    """One corrective action that is not closed."""

    id: int
    status: str
    severity: str
    procedure: str
    department: str
    owner: str | None
    due: dt.date
    days_overdue: int
    """Days past its due date on the day shown (0: not overdue)."""
    rule: str
    record_no: str | None
    finding: str
    audit: str


@dataclass(frozen=True)
class Tally:
    """Open findings (by severity) and corrective actions (open, overdue) of one procedure or department."""

    key: str
    title: str
    findings: tuple[int, int, int]
    actions: int
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.findings)


@dataclass(frozen=True)
class Series:
    """The nonconformities of one procedure in each stored audit, oldest audit first."""

    procedure: str
    title: str
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Dashboard:
    as_of: dt.date
    audits: tuple[tuple[str, dt.date], ...]
    """Every stored audit: number and audit date, oldest first."""
    open_findings: int
    actions: tuple[Action, ...]
    """Corrective actions not closed: overdue first (longest overdue first), then by due date."""
    by_procedure: tuple[Tally, ...]
    by_department: tuple[Tally, ...]
    series: tuple[Series, ...]
    totals: tuple[tuple[int, int, int], ...]
    """Per audit: its findings new, still open and no longer found."""

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.actions if a.days_overdue)


def dashboard(conn: Connection, project: Project, as_of: dt.date) -> Dashboard:
    stored = [(r.id, r.number, r.as_of) for r in conn.execute(
        select(audits.c.id, audits.c.number, audits.c.as_of).order_by(audits.c.id))]
    found = open_findings(conn)
    actions = _actions(conn, as_of)
    titles = {pid: p.title for pid, p in project.procedures.items()}
    by_procedure = _tallies([(r["procedure"], r["severity"]) for r in found.values()],
                            [(a.procedure, bool(a.days_overdue)) for a in actions], titles)
    by_department = _tallies([(r["department"], r["severity"]) for r in found.values()],
                             [(a.department, bool(a.days_overdue)) for a in actions], {})
    return Dashboard(as_of, tuple((n, d) for _, n, d in stored), len(found), tuple(actions), by_procedure,
                     by_department, _series(conn, [i for i, _, _ in stored], titles), _totals(conn, stored))


def _actions(conn: Connection, as_of: dt.date) -> list[Action]:
    query = (select(capas, audits.c.number.label("audit")).join(audits, audits.c.id == capas.c.audit_id)
             .where(capas.c.status != "closed"))
    out = []
    for r in conn.execute(query):
        late = (as_of - r.due).days if r.due < as_of and r.status not in DONE else 0
        out.append(Action(r.id, r.status, r.severity, r.procedure, r.department, r.owner, r.due, late, r.rule,
                          r.record_no, r.finding, r.audit))
    return sorted(out, key=lambda a: (-a.days_overdue, a.due, a.id))


def _tallies(findings: list[tuple[str, str]], actions: list[tuple[str, bool]],
             titles: dict[str, str]) -> tuple[Tally, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    open_actions: dict[str, int] = defaultdict(int)
    overdue: dict[str, int] = defaultdict(int)
    for key, severity in findings:
        counts[key][SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else 2] += 1
    for key, late in actions:
        open_actions[key] += 1
        overdue[key] += late
    keys = set(counts) | set(open_actions)
    rows = [Tally(k, titles.get(k, ""), (counts[k][0], counts[k][1], counts[k][2]), open_actions[k], overdue[k])
            for k in keys]
    return tuple(sorted(rows, key=lambda t: (-t.overdue, -t.actions, -t.total, t.key)))


def _series(conn: Connection, audit_ids: list[int], titles: dict[str, str]) -> tuple[Series, ...]:
    per: dict[str, dict[int, int]] = defaultdict(dict)
    query = (select(audit_findings.c.procedure, audit_findings.c.audit_id, func.count())
             .where(audit_findings.c.status != NO_LONGER_FOUND)
             .group_by(audit_findings.c.procedure, audit_findings.c.audit_id))
    for procedure, audit_id, n in conn.execute(query):
        per[procedure][audit_id] = int(n)
    return tuple(Series(pid, titles.get(pid, ""), tuple(per[pid].get(a, 0) for a in audit_ids))
                 for pid in sorted(per))


def _totals(conn: Connection, stored: list[tuple[int, str, dt.date]]) -> tuple[tuple[int, int, int], ...]:
    counts: dict[tuple[int, str], int] = {
        (int(a), s): int(n) for a, s, n in conn.execute(
            select(audit_findings.c.audit_id, audit_findings.c.status, func.count())
            .group_by(audit_findings.c.audit_id, audit_findings.c.status))}
    return tuple((counts.get((i, "new"), 0), counts.get((i, "still_open"), 0), counts.get((i, NO_LONGER_FOUND), 0))
                 for i, _, _ in stored)
