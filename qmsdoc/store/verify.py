"""`qmsdoc verify` on the store: the event chain is intact, and the tables hold what the log says.

The chain is walked from the first event (`events.verify_chain`) and its first broken link is
named. Then every record's row is compared with the state its last event recorded, and its
content with the digest recorded there: a row changed, added or deleted without its event is
named too. Problems are sentences that say where, what is wrong and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping, select

from qmsdoc.store.codec import canonical, digest
from qmsdoc.store.db import Store
from qmsdoc.store.events import verify_chain
from qmsdoc.store.register import BATCH, record_state
from qmsdoc.store.schema import records

RESTORE = "restore the store from a backup, and find out who changed it"


@dataclass(frozen=True)
class StoreVerification:
    events: int
    records: int
    problems: tuple[str, ...]


def verify_store(store: Store) -> StoreVerification:
    problems: list[str] = []
    with store.reading() as conn:
        chain = verify_chain(conn)
        if chain.broken is not None:
            problems.append(f"{store.shown}: the event log is broken at {chain.broken}; {RESTORE}")
            return StoreVerification(chain.events, 0, tuple(problems))
        states = {key: digest(after) if after is not None else None for key, after in chain.last_states.items()}
        count = 0
        for row in conn.execution_options(yield_per=BATCH).execute(select(records).order_by(records.c.id)):
            count += 1
            m = row._mapping
            problem = _record_problem(m, states.pop(("record", str(m["id"])), None))
            if problem:
                problems.append(f"{store.shown}: record {m['id']} ({m['form']} {m['record_no'] or ''}".rstrip()
                                + f"): {problem}; {RESTORE}")
        problems.extend(_blob_problems(conn, store.shown))
        problems.extend(_audit_problems(conn, states, store.shown))
        for (entity, key), state in sorted(states.items()):
            if state is not None:
                problems.append(f"{store.shown}: {entity} {key} is in the event log but not in its table: "
                                f"it was deleted without an event; {RESTORE}")
    return StoreVerification(chain.events, count, tuple(problems))


def _record_problem(m: RowMapping, logged: str | None) -> str | None:
    if logged is None:
        return "the row has no event: it was written without going through qmsdoc"
    if digest(canonical(record_state(m))) != logged:
        return "the row differs from what its last event recorded: it was changed without an event"
    if m["data"] is not None and digest(m["data"]) != m["digest"]:
        return "its content differs from the digest its events recorded: the record was altered"
    return None


def _audit_problems(conn: Connection, states: dict[tuple[str, str], str | None], shown: str) -> list[str]:
    """Audits and corrective actions against their last events; an audit's findings and records against the
    digest its event recorded."""
    from qmsdoc.store.audits import FINDING_COLUMNS, audit_digest, audit_state, capa_name, capa_state
    from qmsdoc.store.schema import audit_findings, audit_records, audits, capas

    problems = []
    for row in conn.execute(select(audits).order_by(audits.c.id)):
        m = row._mapping
        logged = states.pop(("audit", str(m["id"])), None)
        findings = [dict(r._mapping) for r in conn.execute(select(*[audit_findings.c[k] for k in FINDING_COLUMNS])
                                                           .where(audit_findings.c.audit_id == m["id"]))]
        in_scope = [int(r[0]) for r in conn.execute(select(audit_records.c.record_id).where(
            audit_records.c.audit_id == m["id"]).order_by(audit_records.c.record_id))]
        if logged is None:
            problem = "the row has no event: it was written without going through qmsdoc"
        elif digest(canonical(audit_state(m))) != logged:
            problem = "the row differs from what its event recorded: it was changed without an event"
        elif audit_digest(m["plan"], m["report"], in_scope, findings) != m["digest"]:
            problem = "its plan, report, records or findings differ from what its event recorded"
        else:
            continue
        problems.append(f"{shown}: audit {m['number']}: {problem}; {RESTORE}")
    for row in conn.execute(select(capas).order_by(capas.c.id)):
        m = row._mapping
        logged = states.pop(("capa", str(m["id"])), None)
        if logged is None:
            problem = "the row has no event: it was written without going through qmsdoc"
        elif digest(canonical(capa_state(m))) != logged:
            problem = "the row differs from what its last event recorded: it was changed without an event"
        else:
            continue
        problems.append(f"{shown}: corrective action {capa_name(m['id'])}: {problem}; {RESTORE}")
    return problems


def _blob_problems(conn: Connection, shown: str) -> list[str]:
    """Each stored file's bytes against the sha256 they are stored under; none gone while a record needs them."""
    import hashlib

    from qmsdoc.store.schema import blobs

    problems = []
    needed = {r[0] for r in conn.execute(select(records.c.blob).where(records.c.disposed_at.is_(None)).distinct())}
    for row in conn.execution_options(yield_per=16).execute(select(blobs.c.sha256, blobs.c.data)):
        if row.data is None:
            if row.sha256 in needed:
                problems.append(f"{shown}: the file {row.sha256} is gone while records read from it are kept; "
                                f"{RESTORE}")
        elif hashlib.sha256(row.data).hexdigest() != row.sha256:
            problems.append(f"{shown}: the stored file {row.sha256} does not have that digest: its bytes were "
                            f"altered; {RESTORE}")
    return problems
