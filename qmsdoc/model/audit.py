"""The audit a report is for: its plan (`qmsdoc check --plan audit.yaml`), as ISO 19011 names its parts.

An audit report says which audit it reports on: its number, when it was made, its objectives, its
scope (the departments, the procedures and the period of the records), the criteria (the documents
and their revisions), the audit team and the auditee. `AuditPlan` is what the auditor writes in the
plan file (docs/audit-plan-format.md) or gives as options; every part is optional, and what the plan
leaves out the report works out from the run (qmsdoc/report/audit.py) or leaves blank for the pen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from qmsdoc.errors import NOWHERE, Location


@dataclass(frozen=True)
class TeamMember:
    """One auditor: a name and, optionally, a role in the team (审核组长, 审核员, 技术专家)."""

    name: str
    role: str = ""


@dataclass(frozen=True)
class AuditPlan:
    """What an auditor states about an audit before the report is written; all of it optional.

    `leader` and `members` are the audit team, the leader first; `auditee` names the audited
    organisation or departments and `representative` the person who signs for them. `departments`
    and `procedures` (document ids) are the scope; `period_from`/`period_to` the period of the records
    audited. `conclusion`, when given, replaces the conclusion the report writes from its counts.
    """

    number: str | None = None
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    leader: TeamMember | None = None
    members: tuple[TeamMember, ...] = ()
    auditee: str | None = None
    representative: str | None = None
    departments: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    scope: str | None = None
    objectives: tuple[str, ...] = ()
    conclusion: str | None = None
    path: str = ""
    locs: dict[str, Location] = field(default_factory=dict, compare=False)
    """Where each key is written in the plan file (for messages that point at it)."""

    @property
    def team(self) -> tuple[TeamMember, ...]:
        """The audit team, the leader first."""
        return ((self.leader,) if self.leader else ()) + self.members

    def loc(self, key: str) -> Location:
        return self.locs.get(key, NOWHERE)
