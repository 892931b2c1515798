"""Stored audits and corrective actions (ISO 9001 §9.2, §10.2).

**An audit** (`qmsdoc audit run --plan audit.yaml`) is a `check --store` of the records in its scope
(the plan's procedures or departments, and its period of the records; or those added since the
last audit), kept with its number, plan, audit date, who ran it and when, the criteria (each
procedure in scope with the revision in force on the audit date), the records in scope and the
whole report, so that its report can be written again at any time.

**Findings are tracked across audits** by a key: the rule, and the record by its form and record
number (a corrected record with the same number is the same record), else by its file and place,
with the entries concerned. Each nonconformity of an audit is `new` (no earlier audit has it
open), `still_open` (the last audit that looked at it found it too); and each finding open in an
earlier audit that this one looked for and did not find is `no_longer_found` (its record was in
scope, or was replaced or disposed of). A finding is open from the audit that found it until one
no longer finds it.

**A corrective action** is opened for every major and minor nonconformity that has none open:
its owner (the auditee's representative when the plan names one), its due date (the audit date
plus `corrective_actions: {due_days: N}` of qmsdoc.yaml, 30 by default, or the command's
`--capa-days`), then root cause, action, evidence of implementation and verification (by whom,
when, effective or not), through open → planned → implemented → verified → closed
(`update_capa`). Each step needs what it says: a plan an owner, a root cause and an action; an
implementation its evidence; a verification someone other than the owner, a day and "effective";
closing, a verification. A step may go back to planned (a verification found the action not
effective); nothing follows closed.

Every audit and every change to a corrective action is an event (`audit.run`, `capa.open`,
`capa.update`) with the state before and after, in the same transaction as the change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from qmsdoc.lifecycle.states import document_states
from qmsdoc.model.audit import AuditPlan, TeamMember
from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Severity
from qmsdoc.store.checks import Selection, decode_report, encode_report, selected_ids
from qmsdoc.store.codec import canonical, digest
from qmsdoc.store.db import Store
from qmsdoc.store.events import EventLog
from qmsdoc.store.schema import audit_findings, audit_records, audits, capas, events, records

NEW, STILL_OPEN, NO_LONGER_FOUND = "new", "still_open", "no_longer_found"
FINDING_STATUSES = (NEW, STILL_OPEN, NO_LONGER_FOUND)
CAPA_STATUSES = ("open", "planned", "implemented", "verified", "closed")
DONE = frozenset(("verified", "closed"))
"""Corrective actions that are no longer due: their action was verified effective."""
CAPA_SEVERITIES = frozenset((Severity.MAJOR, Severity.MINOR))
DEFAULT_CAPA_DAYS = 30
FINDING_COLUMNS = tuple(c.key for c in audit_findings.c)
CAPA_COLUMNS = tuple(c.key for c in capas.c)
CAPA_FIELDS = ("owner", "due", "root_cause", "action", "evidence", "verified_by", "verified_on", "effective",
               "status")


class AuditError(Exception):
    """An audit or a corrective action change that cannot be made: what is wrong and what to do."""


def stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def capa_name(capa_id: int) -> str:
    return f"CA-{capa_id}"


def parse_capa_id(text: str) -> int | None:
    core = text.upper().removeprefix("CA-")
    return int(core) if core.isdigit() and len(core) < 10 else None


# -- tracking findings ------------------------------------------------------------------------

def tracking_key(f: Finding) -> str:
    """What makes two findings of two audits the same finding (see the module docstring)."""
    ref = f.record
    where = [ref.form or "", ref.record_id] if ref.record_id else [ref.source, ref.location]
    text = canonical([f.rule, *where, list(f.fields)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def last_audit_seq(conn: Connection) -> int | None:
    """The event log's head when the last audit ran (None: no audit yet)."""
    value = conn.execute(select(audits.c.event_seq).order_by(audits.c.id.desc()).limit(1)).scalar()
    return int(value) if value is not None else None


# -- plans ------------------------------------------------------------------------------------

def plan_to_json(plan: AuditPlan) -> dict[str, Any]:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    def member(m: TeamMember | None) -> list[str] | None:
        return [m.name, m.role] if m else None

    return {"number": plan.number, "title": plan.title, "start": day(plan.start), "end": day(plan.end),
            "leader": member(plan.leader), "members": [member(m) for m in plan.members], "auditee": plan.auditee,
            "representative": plan.representative, "departments": list(plan.departments),
            "procedures": list(plan.procedures), "period_from": day(plan.period_from),
            "period_to": day(plan.period_to), "scope": plan.scope, "objectives": list(plan.objectives),
            "conclusion": plan.conclusion, "path": plan.path}


def plan_from_json(raw: dict[str, Any]) -> AuditPlan:
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return AuditPlan(raw["number"], raw["title"], day(raw["start"]), day(raw["end"]),
                     TeamMember(*raw["leader"]) if raw["leader"] else None,
                     tuple(TeamMember(*m) for m in raw["members"]), raw["auditee"], raw["representative"],
                     tuple(raw["departments"]), tuple(raw["procedures"]), day(raw["period_from"]),
                     day(raw["period_to"]), raw["scope"], tuple(raw["objectives"]), raw["conclusion"], raw["path"])


def scope_of(plan: AuditPlan, project: Project, since_last: int | None) -> Selection:
    """The records an audit's plan puts in scope: the forms of its procedures (or of its departments'
    procedures), dated within its period; with `since_last`, only those added after that event."""
    procedures = set(plan.procedures)
    if plan.departments:
        procedures |= {pid for pid, p in project.procedures.items() if p.owner in plan.departments}
    forms = tuple(sorted(fid for fid, f in project.forms.items() if f.procedure in procedures)) \
        if (plan.procedures or plan.departments) else None
    return Selection(since_last, forms, plan.period_from, plan.period_to)


def criteria(project: Project, selection: Selection, as_of: dt.date) -> dict[str, str | None]:
    """Each procedure in scope and its revision in force on the audit date."""
    states = document_states(project, as_of)
    forms = selection.forms if selection.forms is not None else tuple(project.forms)
    out: dict[str, str | None] = {}
    for pid in sorted({project.forms[f].procedure for f in forms if f in project.forms}):
        in_force = states[pid].in_force if pid in states else None
        out[pid] = in_force.revision if in_force else None
    return out


# -- running an audit -------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredAudit:
    id: int
    number: str
    records: int
    statuses: dict[str, int]
    opened: tuple[int, ...]


def store_audit(store: Store, project: Project, report: Report, plan: AuditPlan, *, number: str,
                fingerprint: str, selection: Selection, by: str, at: dt.datetime, capa_days: int) -> StoredAudit:
    """Keep an audit (its report made by `check --store` over `selection`), compare its findings with the
    open ones of earlier audits, and open a corrective action for each major or minor one without one."""
    when = stamp(at)
    with store.writing() as conn:
        if conn.execute(select(audits.c.id).where(audits.c.number == number)).first():
            raise AuditError(f"audit {number} is stored already (qmsdoc audit show {number}); give the plan "
                             "another number:, or leave number: out to have one made")
        head = conn.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one()
        audit_id = int(conn.execute(select(func.coalesce(func.max(audits.c.id), 0))).scalar_one()) + 1
        log = EventLog(conn, when, by)
        in_scope = selected_ids(conn, selection)
        plan_text = canonical({**plan_to_json(plan), "criteria": criteria(project, selection, report.as_of)})
        report_text = encode_report(report)
        row = {"id": audit_id, "number": number, "as_of": report.as_of, "run_at": when, "run_by": by,
               "event_seq": int(head), "plan": plan_text, "ruleset": fingerprint, "report": report_text, "digest": ""}
        conn.execute(insert(audits), row)  # first: the corrective actions it opens refer to it
        rows, opened = _finding_rows(conn, log, project, report, audit_id, _places(conn, in_scope), in_scope,
                                     selection, report.as_of + dt.timedelta(days=capa_days), plan.representative,
                                     when)
        row["digest"] = audit_digest(plan_text, report_text, in_scope, rows)
        conn.execute(update(audits).where(audits.c.id == audit_id).values(digest=row["digest"]))
        for start in range(0, len(in_scope), 1000):
            conn.execute(insert(audit_records), [{"audit_id": audit_id, "record_id": r}
                                                 for r in in_scope[start:start + 1000]])
        if rows:
            conn.execute(insert(audit_findings), rows)
        log.append("audit.run", "audit", audit_id, None, audit_state(row))
        log.flush()
    statuses = {s: sum(1 for r in rows if r["status"] == s) for s in FINDING_STATUSES}
    return StoredAudit(audit_id, number, len(in_scope), statuses, tuple(opened))


def _places(conn: Connection, ids: list[int]) -> dict[tuple[str, str], tuple[int, str | None]]:
    """(source, location) → (record id, record number) of the records in scope."""
    out: dict[tuple[str, str], tuple[int, str | None]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        for r in conn.execute(select(records.c.id, records.c.source, records.c.location, records.c.record_no)
                              .where(records.c.id.in_(chunk))):
            out[(r.source, r.location)] = (int(r.id), r.record_no)
    return out


def open_findings(conn: Connection) -> dict[str, RowMapping]:
    """Every finding open after the audits stored so far: by key, its row in the last audit that looked at it."""
    latest = (select(audit_findings.c.key, func.max(audit_findings.c.audit_id).label("audit_id"))
              .group_by(audit_findings.c.key).subquery())
    query = select(audit_findings).join(latest, (audit_findings.c.key == latest.c.key)
                                        & (audit_findings.c.audit_id == latest.c.audit_id))
    return {r.key: r._mapping for r in conn.execute(query) if r.status != NO_LONGER_FOUND}


def _live_capa(conn: Connection, key: str) -> int | None:
    value = conn.execute(select(capas.c.id).where(capas.c.finding_key == key, capas.c.status != "closed")
                         .order_by(capas.c.id.desc()).limit(1)).scalar()
    return int(value) if value is not None else None


def _finding_rows(conn: Connection, log: EventLog, project: Project, report: Report, audit_id: int,
                  places: dict[tuple[str, str], tuple[int, str | None]], in_scope: list[int], selection: Selection,
                  due: dt.date, owner: str | None, when: str) -> tuple[list[dict[str, Any]], list[int]]:
    earlier = open_findings(conn)
    next_capa = int(conn.execute(select(func.coalesce(func.max(capas.c.id), 0))).scalar_one()) + 1
    rows: dict[str, dict[str, Any]] = {}
    opened: list[int] = []
    for f in report.nonconformities:
        key = tracking_key(f)
        if key in rows:
            continue
        record_id, number = places.get((f.record.source, f.record.location), (None, f.record.record_id))
        procedure = f.criterion.document if f.criterion.document in project.procedures else (
            project.forms[f.record.form].procedure if f.record.form in project.forms else f.criterion.document)
        owner_dept = project.procedures[procedure].owner if procedure in project.procedures else ""
        capa_id = _live_capa(conn, key)
        if capa_id is None and f.severity in CAPA_SEVERITIES:
            capa_id = next_capa
            next_capa += 1
            capa = {"id": capa_id, "finding_key": key, "audit_id": audit_id, "rule": f.rule,
                    "severity": f.severity.value, "procedure": procedure, "department": owner_dept,
                    "record_no": number, "finding": f.message, "status": "open", "owner": owner, "due": due,
                    "root_cause": None, "action": None, "evidence": None, "verified_by": None,
                    "verified_on": None, "effective": None, "opened_at": when, "updated_at": when}
            conn.execute(insert(capas), capa)
            log.append("capa.open", "capa", capa_id, None, capa_state(capa))
            opened.append(capa_id)
        rows[key] = {"audit_id": audit_id, "key": key, "status": STILL_OPEN if key in earlier else NEW,
                     "finding_id": f.id, "rule": f.rule, "severity": f.severity.value, "outcome": f.outcome,
                     "procedure": procedure, "department": owner_dept, "form": f.record.form,
                     "record_id": record_id, "record_no": number,
                     "place": f"{f.record.source}:{f.record.location}" if f.record.location else f.record.source,
                     "message": f.message, "capa_id": capa_id}
    looked_at = set(in_scope)
    for key, before in earlier.items():
        if key in rows or not _looked_for(conn, before, looked_at, selection):
            continue
        rows[key] = {**{k: before[k] for k in FINDING_COLUMNS}, "audit_id": audit_id,
                     "status": NO_LONGER_FOUND, "capa_id": _live_capa(conn, key) or before["capa_id"]}
    return list(rows.values()), opened


def _looked_for(conn: Connection, before: RowMapping, looked_at: set[int], selection: Selection) -> bool:
    """Whether an audit over `looked_at` would have found an earlier finding again: its record is in scope, or
    was replaced or disposed of since; a finding over the whole set, when the audit takes every record of its
    form (not only those added since the last audit)."""
    record_id = before["record_id"]
    if record_id is not None:
        if record_id in looked_at:
            return True
        row = conn.execute(select(records.c.disposed_at, records.c.superseded_by)
                           .where(records.c.id == record_id)).first()
        return row is not None and (row.disposed_at is not None or row.superseded_by is not None)
    if selection.added_after is not None:
        return False
    return selection.forms is None or before["form"] in selection.forms


def audit_digest(plan_text: str, report_text: str, in_scope: Iterable[int], rows: list[dict[str, Any]]) -> str:
    """sha256 over what an audit holds: its plan, its report, the records in scope and its findings' rows."""
    findings = sorted(canonical([_plain(r[k]) for k in FINDING_COLUMNS]) for r in rows)
    return digest(canonical([digest(plan_text), digest(report_text), list(in_scope), findings]))


def audit_state(row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    """An audit's row as its event records it (its report and plan by the digest)."""
    return {k: _plain(row[k]) for k in ("id", "number", "as_of", "run_at", "run_by", "event_seq", "ruleset",
                                        "digest")}


def capa_state(row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(row[k]) for k in CAPA_COLUMNS}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# -- reading audits ---------------------------------------------------------------------------

def find_audit(conn: Connection, key: str) -> RowMapping | None:
    """An audit by its number, or its id; the last one for `last`."""
    query = select(audits)
    if key == "last":
        query = query.order_by(audits.c.id.desc()).limit(1)
    elif key.isdigit():
        query = query.where((audits.c.number == key) | (audits.c.id == int(key)))
    else:
        query = query.where(audits.c.number == key)
    row = conn.execute(query).first()
    return row._mapping if row else None


def audit_findings_of(conn: Connection, audit_id: int) -> list[RowMapping]:
    order = {s: i for i, s in enumerate(FINDING_STATUSES)}
    rows = [r._mapping for r in conn.execute(select(audit_findings).where(audit_findings.c.audit_id == audit_id))]
    return sorted(rows, key=lambda r: (order[r["status"]], r["place"], r["rule"]))


def list_audits(conn: Connection) -> list[tuple[RowMapping, dict[str, int], int]]:
    """Each audit with its findings by status and its records in scope."""
    out = []
    for row in conn.execute(select(audits.c.id, audits.c.number, audits.c.as_of, audits.c.run_at, audits.c.run_by)
                            .order_by(audits.c.id)):
        counts: dict[str, int] = dict(conn.execute(select(audit_findings.c.status, func.count()).where(
            audit_findings.c.audit_id == row.id).group_by(audit_findings.c.status)).all())
        scoped = conn.execute(select(func.count()).select_from(audit_records)
                              .where(audit_records.c.audit_id == row.id)).scalar_one()
        out.append((row._mapping, {s: int(counts.get(s, 0)) for s in FINDING_STATUSES}, int(scoped)))
    return out


def stored_report(row: RowMapping) -> Report:
    """A stored audit's report, with its plan, as `audit run` made it."""
    plan = plan_from_json(json.loads(row["plan"]))
    return dataclasses.replace(decode_report(row["report"]), plan=plan)


def with_capa_status(report: Report, conn: Connection, audit_id: int, labels: Labels) -> Report:
    """The report with each nonconformity's corrective action, as it stands now, after its message."""
    by_finding = {r.finding_id: r.capa_id for r in conn.execute(
        select(audit_findings.c.finding_id, audit_findings.c.capa_id).where(audit_findings.c.audit_id == audit_id))
        if r.capa_id is not None}
    states = {r.id: r._mapping for r in conn.execute(select(capas).where(capas.c.id.in_(set(by_finding.values()))))}
    findings = []
    for f in report.findings:
        capa = states.get(by_finding.get(f.id, -1))
        if capa is not None:
            f = dataclasses.replace(f, message=f"{f.message}\n{capa_line(capa, labels)}")
        findings.append(f)
    return dataclasses.replace(report, findings=tuple(findings))


def capa_line(capa: RowMapping, labels: Labels) -> str:
    """`纠正措施 CA-3：已实施；负责人：王伟；完成期限：2026-02-14`."""
    return labels.format("capa_in_report", capa=capa_name(capa["id"]), status=labels[f"capa_status_{capa['status']}"],
                         owner=capa["owner"] or labels["capa_no_owner"], due=capa["due"].isoformat())


# -- corrective actions -----------------------------------------------------------------------

@dataclass(frozen=True)
class CapaFilter:
    overdue_on: dt.date | None = None
    owner: str | None = None
    status: str | None = None


def list_capas(conn: Connection, flt: CapaFilter = CapaFilter()) -> list[RowMapping]:
    """Corrective actions, overdue ones first (the longest overdue first), then by due date."""
    query = select(capas, audits.c.number.label("audit")).join(audits, audits.c.id == capas.c.audit_id)
    if flt.owner is not None:
        query = query.where(capas.c.owner == flt.owner)
    if flt.status is not None:
        query = query.where(capas.c.status == flt.status)
    if flt.overdue_on is not None:
        query = query.where(capas.c.due < flt.overdue_on, capas.c.status.not_in(DONE))
    return [r._mapping for r in conn.execute(query.order_by(capas.c.due, capas.c.id))]


def is_overdue(capa: RowMapping, on: dt.date) -> bool:
    return capa["status"] not in DONE and capa["due"] < on


def update_capa(store: Store, capa_id: int, changes: dict[str, Any], *, by: str, at: dt.datetime) -> RowMapping:
    """Change a corrective action (one transaction, one `capa.update` event); AuditError when the change would
    leave it in a state its status does not allow, naming what is missing."""
    unknown = set(changes) - set(CAPA_FIELDS)
    if unknown:
        raise AuditError(f"unknown field(s) {', '.join(sorted(unknown))}; the fields are {', '.join(CAPA_FIELDS)}")
    with store.writing() as conn:
        row = conn.execute(select(capas).where(capas.c.id == capa_id)).first()
        if row is None:
            raise AuditError(f"{capa_name(capa_id)}: no such corrective action; `qmsdoc capa list` shows them")
        before = dict(row._mapping)
        after = {**before, **changes, "updated_at": stamp(at)}
        problem = capa_problem(before, after)
        if problem:
            raise AuditError(f"{capa_name(capa_id)}: {problem}")
        conn.execute(update(capas).where(capas.c.id == capa_id).values(**changes, updated_at=after["updated_at"]))
        log = EventLog(conn, stamp(at), by)
        log.append("capa.update", "capa", capa_id, capa_state(before), capa_state(after))
        log.flush()
        return conn.execute(select(capas).where(capas.c.id == capa_id)).one()._mapping


def capa_problem(before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """What is wrong with moving a corrective action from `before` to `after`, or None."""
    old, new = before["status"], after["status"]
    if new not in CAPA_STATUSES:
        return f'"{new}" is not a status; the statuses are {" → ".join(CAPA_STATUSES)}'
    if old == "closed" and after != {**before, "updated_at": after["updated_at"]}:
        return "it is closed; nothing follows closed (a finding that comes back opens a new corrective action)"
    steps = CAPA_STATUSES.index(new) - CAPA_STATUSES.index(old)
    if steps > 1:
        skipped = ", ".join(CAPA_STATUSES[CAPA_STATUSES.index(old) + 1:CAPA_STATUSES.index(new)])
        return f"it is {old}; it cannot go to {new} without being {skipped} first"
    if steps < 0 and new != "planned":
        return f"it is {old}; it can only go back to planned (when the action was not effective)"
    return _missing_for(new, after)


def _missing_for(status: str, capa: dict[str, Any]) -> str | None:
    rank = CAPA_STATUSES.index(status)
    if rank >= 1:
        missing = [name for name in ("owner", "root_cause", "action") if not capa.get(name)]
        if missing:
            return (f"a {status} corrective action needs {', '.join(m.replace('_', ' ') for m in missing)}; give them "
                    f"({' '.join('--' + m.replace('_', '-') + ' …' for m in missing)})")
    if rank >= 2 and not capa.get("evidence"):
        return f"an {status} corrective action needs the evidence of its implementation (--evidence …)"
    if capa.get("verified_by") and capa.get("owner") and capa["verified_by"] == capa["owner"]:
        return (f"it is verified by its owner {capa['owner']}; the verification must be made by someone else "
                "(--verified-by NAME)")
    if rank >= 3:
        missing = [name for name in ("verified_by", "verified_on") if not capa.get(name)]
        if missing:
            return (f"a {status} corrective action needs a verification by someone other than its owner: "
                    f"{', '.join(m.replace('_', ' ') for m in missing)} (--verified-by NAME --verified-on DATE "
                    "--effective yes)")
        if capa.get("effective") is not True:
            return (f"a {status} corrective action needs a verification that found the action effective "
                    "(--effective yes); when it was not effective, plan another action (--status planned)")
    return None
