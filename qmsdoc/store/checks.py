"""`qmsdoc check --store`: check the stored records, incrementally.

A record is checked by the same `Checker.check_record` as a file (it is stored typed, so it reads
back as it was read). What that gives (findings, the rules applied, the record's date and what
the rules over the whole set need of it) is kept in `check_results` under the record's digest,
the rule set's fingerprint and the audit date. The next run with the same rules on the same
audit date takes it from there instead of checking the record again: only new records (and all
of them, once the rules, forms, procedures, releases, site settings or the checker change, or on
another audit date, since deadlines and dates after the audit date depend on it) are checked.
The rules over the whole set (frequency, coverage, duplicates, matched records) always run, over
what each record kept for them.

The fingerprint (`ruleset_fingerprint`) is sha256 over every file the checking depends on:
qmsdoc.yaml, procedures/, forms/, rules/, the released sources and release.json files, the label
catalogues, and the checker's own code, with qmsdoc's version.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, String, and_, cast, delete, func, insert, select

from qmsdoc import __version__
from qmsdoc.checker.engine import Checker
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.store.codec import canonical, decode_record, digest, encode_record
from qmsdoc.store.db import Store
from qmsdoc.store.schema import check_results, check_runs, events, records

BATCH = 1000
STORE_SCOPE = "store"
"""What findings over the whole set of stored records name as their source: the same in every run, so
that their ids are stable from one audit to the next."""
SOURCE_FOLDERS = (("procedures", "*.md"), ("forms", "*.yaml"), ("rules", "*.yaml"), ("releases", "**/*.json"),
                  ("releases", "**/*.md"), ("releases", "**/*.yaml"))
CODE_FOLDERS = ("checker", "model")
"""The code whose change changes what a check gives (the readers are not: records are stored typed)."""


def ruleset_fingerprint(project: Project) -> str:
    """sha256 over everything a record's check depends on besides the record and the audit date."""
    sha = hashlib.sha256(f"qmsdoc {__version__}\n".encode())
    root = project.root
    paths = [root / "qmsdoc.yaml"]
    for folder, pattern in SOURCE_FOLDERS:
        paths.extend(sorted((root / folder).glob(pattern)))
    for path in paths:
        _add_file(sha, path.relative_to(root).as_posix(), path.read_bytes())
    package = resources.files("qmsdoc")
    for name in (f"{project.site.language}.yaml", f"checks.{project.site.language}.yaml"):
        _add_file(sha, f"labels/{name}", package.joinpath("labels", name).read_bytes())
    code = Path(str(package))
    for folder in CODE_FOLDERS:
        for path in sorted((code / folder).glob("*.py")):
            _add_file(sha, f"qmsdoc/{folder}/{path.name}", path.read_bytes())
    return sha.hexdigest()


def _add_file(sha: Any, name: str, data: bytes) -> None:
    sha.update(f"{name}\0{len(data)}\0".encode())
    sha.update(data)


# -- findings as JSON ------------------------------------------------------------------------

def encode_finding(f: Finding) -> list[Any]:
    return [f.rule, f.title, f.severity.value, f.outcome, list(f.criterion), list(f.record), list(f.fields),
            f.values, f.expected, f.message, f.id, f.due.isoformat() if f.due else None]


SEVERITIES = {s.value: s for s in Severity}


def decode_finding(raw: list[Any]) -> Finding:
    rule, title, severity, outcome, criterion, record, fields, values, expected, message, fid, due = raw
    return Finding(rule, title, SEVERITIES[severity], outcome, Citation(*criterion), RecordRef(*record),
                   tuple(fields), values, expected, message, fid, dt.date.fromisoformat(due) if due else None)


def encode_report(report: Report) -> str:
    return canonical({"as_of": report.as_of.isoformat(), "root": report.root, "sources": report.sources,
                      "records": report.records, "rules": report.rules,
                      "findings": [encode_finding(f) for f in report.findings], "rule_titles": report.rule_titles,
                      "checked": [[list(ref), list(codes)] for ref, codes in report.checked]})


def decode_report(text: str) -> Report:
    """The report as `encode_report` kept it. Its many small objects hold no reference cycles: the cyclic
    collector stays off while they are made (as in check's workers)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _decode_report(text)
    finally:
        if enabled:
            gc.enable()


def _decode_report(text: str) -> Report:
    raw = json.loads(text)
    codes: dict[tuple[str, ...], tuple[str, ...]] = {}
    checked = []
    for ref, applied in raw["checked"]:
        key = tuple(applied)
        checked.append((RecordRef(*ref), codes.setdefault(key, key)))
    return Report(as_of=dt.date.fromisoformat(raw["as_of"]), root=raw["root"], sources=raw["sources"],
                  records=raw["records"], rules=raw["rules"], findings=tuple(map(decode_finding, raw["findings"])),
                  rule_titles=raw["rule_titles"], checked=tuple(checked))


# -- the run ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredCheck:
    """A `check --store` run: its report, and how many records it checked anew (the others were kept)."""

    report: Report
    checked_now: int


@dataclass(frozen=True)
class Selection:
    """Which stored records a run checks: the live ones (neither disposed of nor replaced by a corrected
    record), all or those added after an event of the log (`added_after`: the log's head when the last audit
    ran), of some forms (an audit's scope) and dated within a period."""

    added_after: int | None = None
    forms: tuple[str, ...] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def key(self) -> list[Any]:
        return [self.added_after, list(self.forms) if self.forms is not None else None,
                self.date_from.isoformat() if self.date_from else None,
                self.date_to.isoformat() if self.date_to else None]


def check_store(store: Store, checker: Checker, fingerprint: str, selection: Selection = Selection(),
                progress: Callable[[int, int], None] | None = None, jobs: int | None = None) -> StoredCheck:
    """Check the live records of the store as of the checker's audit date, reusing kept results: the last
    run's report when nothing it depends on changed, else each record's kept result. Records not checked
    before are checked in `jobs` worker processes (default: all cores; forked, like check's)."""
    as_of = checker.as_of
    with store.reading() as conn:
        key = _run_key(conn, checker, fingerprint, selection)
        kept = conn.execute(select(check_runs.c.report).where(check_runs.c.key == key)).scalar()
        if kept is not None:
            report = decode_report(kept)
            return StoredCheck(report, 0)
        todo = list(_unchecked(conn, fingerprint, as_of, selection))
    batches = [todo[start:start + BATCH] for start in range(0, len(todo), BATCH)]
    for n, kept in enumerate(_checked(store, checker, fingerprint, batches, jobs), 1):
        _keep(store, checker, fingerprint, kept)
        if progress:
            progress(n, len(batches))
    enabled = gc.isenabled()
    gc.disable()  # records and findings hold no reference cycles: the cyclic collector only costs time
    try:
        with store.reading() as conn:
            report = _report(conn, checker, fingerprint, selection)
    finally:
        if enabled:
            gc.enable()
    with store.writing() as conn:
        if _run_key(conn, checker, fingerprint, selection) == key:  # no change meanwhile
            conn.execute(delete(check_runs))
            conn.execute(insert(check_runs), {"key": key, "report": encode_report(report)})
    return StoredCheck(report, len(todo))


def _run_key(conn: Connection, checker: Checker, fingerprint: str, selection: Selection) -> str:
    """What a run's report depends on: the rule set, the audit date, the period, the selection, and the event
    log's head (every change to a record is an event)."""
    head = conn.execute(select(events.c.seq, events.c.hash).order_by(events.c.seq.desc()).limit(1)).first()
    since = checker.since.isoformat() if checker.since else None
    return digest(canonical([fingerprint, checker.as_of.isoformat(), since, checker.scope, selection.key(),
                             list(head) if head else None]))


def _live(selection: Selection) -> Any:
    """The condition on `records` that `selection` makes."""
    condition: Any = and_(records.c.disposed_at.is_(None), records.c.superseded_by.is_(None))
    if selection.added_after is not None:
        added = select(events.c.entity_id).where(events.c.action == "record.add", events.c.seq > selection.added_after)
        condition = and_(condition, cast(records.c.id, String).in_(added))
    if selection.forms is not None:
        condition = and_(condition, records.c.form.in_(selection.forms))
    if selection.date_from is not None:
        condition = and_(condition, records.c.record_date >= selection.date_from)
    if selection.date_to is not None:
        condition = and_(condition, records.c.record_date <= selection.date_to)
    return condition


def selected_ids(conn: Connection, selection: Selection) -> list[int]:
    """The ids of the records a selection takes, in order."""
    return [int(r[0]) for r in conn.execute(select(records.c.id).where(_live(selection)).order_by(records.c.id))]


def _kept(fingerprint: str, as_of: dt.date) -> Any:
    return and_(check_results.c.record_id == records.c.id, check_results.c.ruleset == fingerprint,
                check_results.c.as_of == as_of, check_results.c.digest == records.c.digest)


def _unchecked(conn: Connection, fingerprint: str, as_of: dt.date, selection: Selection) -> Iterator[int]:
    query = (select(records.c.id).outerjoin(check_results, _kept(fingerprint, as_of))
             .where(_live(selection), check_results.c.record_id.is_(None)).order_by(records.c.id))
    for row in conn.execution_options(yield_per=BATCH).execute(query):
        yield int(row[0])


_WORK: tuple[Store, Checker, str] | None = None


def _checked(store: Store, checker: Checker, fingerprint: str, batches: list[list[int]],
             jobs: int | None) -> Iterator[list[dict[str, Any]]]:
    """What checking each batch gives, in order; in worker processes when there are several batches."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(batches) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for ids in batches:
            yield _check_batch(store, checker, fingerprint, ids)
        return
    global _WORK
    _WORK = (store, checker, fingerprint)
    gc.freeze()  # workers inherit the parent's objects: keep their collector off them (no copy-on-write)
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(batches))) as pool:
            yield from pool.imap(_work, batches)
    finally:
        gc.unfreeze()


def _work(ids: list[int]) -> list[dict[str, Any]]:
    assert _WORK is not None
    return _check_batch(*_WORK, ids)


def _check_batch(store: Store, checker: Checker, fingerprint: str, ids: list[int]) -> list[dict[str, Any]]:
    """What checking a batch of records gives, as rows to keep. Reads with a connection of its own."""
    with store.reading() as conn:
        rows = conn.execute(select(records.c.id, records.c.form, records.c.revision, records.c.source,
                                   records.c.location, records.c.data, records.c.digest)
                            .where(records.c.id.in_(ids))).all()
    return [_check_one(checker, row, fingerprint) for row in rows]


def _keep(store: Store, checker: Checker, fingerprint: str, kept: list[dict[str, Any]]) -> None:
    """Keep what a batch gave (replacing what an older digest of the same records gave)."""
    if not kept:
        return
    with store.writing() as conn:
        conn.execute(delete(check_results).where(check_results.c.record_id.in_([k["record_id"] for k in kept]),
                                                 check_results.c.ruleset == fingerprint,
                                                 check_results.c.as_of == checker.as_of))
        conn.execute(insert(check_results), kept)


def _check_one(checker: Checker, row: Any, fingerprint: str) -> dict[str, Any]:
    record = decode_record(row.data, row.form, row.revision, row.source, row.location)
    try:
        checked = checker.check_record(record)
    except Exception as exc:  # a checker bug costs this record, said in its finding, never the run
        from qmsdoc.model.records import RecordError

        error = RecordError(record.source, f"internal error while checking: {type(exc).__name__}: {exc}",
                            record.location, record.form, key="internal_error", error=f"{type(exc).__name__}: {exc}")
        return _kept_row(row, fingerprint, checker.as_of, [checker.unreadable(error)], ("QMS-RECORD",), None, None)
    slim = encode_record(checker.slim(record, checked.ref.record_id)) if record.form in checker.set_forms else None
    return _kept_row(row, fingerprint, checker.as_of, checked.findings, checked.applied, checked.day, slim)


def _kept_row(row: Any, fingerprint: str, as_of: dt.date, findings: list[Finding], applied: tuple[str, ...],
              day: dt.date | None, slim: str | None) -> dict[str, Any]:
    return {"record_id": row.id, "ruleset": fingerprint, "as_of": as_of, "digest": row.digest, "day": day,
            "applied": canonical(list(applied)), "findings": canonical([encode_finding(f) for f in findings])
            if findings else None, "slim": slim}


def _report(conn: Connection, checker: Checker, fingerprint: str, selection: Selection) -> Report:
    """The run's report from what was kept for each record, with the rules over the whole set run now."""
    query = (select(records.c.id, records.c.form, records.c.revision, records.c.source, records.c.location,
                    records.c.record_no, check_results.c.day, check_results.c.applied, check_results.c.findings,
                    check_results.c.slim)
             .join(check_results, _kept(fingerprint, checker.as_of)).where(_live(selection)).order_by(records.c.id))
    findings: list[Finding] = []
    checked: list[tuple[RecordRef, tuple[str, ...]]] = []
    set_records: list[tuple[int, Record]] = []
    earliest: dt.date | None = None
    codes: dict[str, tuple[str, ...]] = {}  # the same rules apply to many records: decoded once
    for row in conn.execution_options(yield_per=BATCH).execute(query):
        if row.findings is not None:
            findings.extend(decode_finding(raw) for raw in json.loads(row.findings))
        if row.slim is not None:
            set_records.append((len(checked), decode_record(row.slim, row.form, row.revision, row.source,
                                                            row.location)))
        applied = codes.get(row.applied)
        if applied is None:
            applied = codes[row.applied] = tuple(json.loads(row.applied))
        checked.append((RecordRef(row.source, row.location, row.form, row.revision, row.record_no), applied))
        if row.day is not None and (earliest is None or row.day < earliest):
            earliest = row.day
    sources = conn.execute(select(func.count(func.distinct(records.c.blob))).where(_live(selection))).scalar_one()
    set_findings, set_applied = checker.check_set([record for _, record in set_records], earliest)
    findings.extend(set_findings)
    for local, set_codes in set_applied.items():
        index = set_records[local][0]
        ref, before = checked[index]
        checked[index] = (ref, tuple(dict.fromkeys((*before, *set_codes))))
    findings.sort(key=Finding.sort_key)
    return Report(as_of=checker.as_of, root=checker.scope, sources=int(sources), records=len(checked),
                  rules=len(checker.rule_codes), findings=tuple(findings),
                  rule_titles=dict(sorted(checker.titles.items())), checked=tuple(checked))


def bench_check(project: Project, labels: Labels, store: Store, as_of: dt.date) -> Report:
    """What bench/bench_store.py times: a `check --store` run as the command makes it."""
    checker = Checker(project, labels, as_of, scope=STORE_SCOPE)
    return check_store(store, checker, ruleset_fingerprint(project)).report


def forget(store: Store, keep: Iterable[str]) -> None:
    """Drop kept results of rule sets other than `keep`: they would be used again only if the project went back
    to exactly those sources and code."""
    with store.writing() as conn:
        conn.execute(delete(check_results).where(check_results.c.ruleset.not_in(list(keep))))
