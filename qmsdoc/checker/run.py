"""A checker run: find the record files, read and check them (in worker processes), report.

Work is cut into units: a batch of .docx files, one JSON/YAML/CSV file, or a slice of a JSON
Lines file. Units run in worker processes (`jobs`), each reading its records and calling the
pure `Checker.check`; results come back in unit order, so the report is the same for any
number of workers. Rules over the whole set run afterwards in the parent, on the records of
the forms they concern.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qmsdoc.checker.engine import Checker
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.records import Record, RecordError
from qmsdoc.records.docx_form import read_docx_form
from qmsdoc.records.exports import ExportReader

SUFFIXES = {".docx": "docx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".yaml": "yaml", ".yml": "yaml", ".csv": "csv"}
"""Record files by suffix; other files in the folders are not records and are skipped."""
JSONL_SLICE_BYTES = 2 * 1024 * 1024
DOCX_BATCH = 8


@dataclass(frozen=True)
class Unit:
    """One piece of work: files of one kind, or a byte range of one JSON Lines file."""

    kind: str
    paths: tuple[Path, ...]
    start: int = 0
    end: int | None = None
    first_line: int = 1


@dataclass
class UnitResult:
    """What a worker sends back for one unit."""

    findings: list[Finding] = field(default_factory=list)
    checked: list[tuple[str, str, str | None, str | None, str | None, tuple[str, ...]]] = field(default_factory=list)
    """(source, location, form, revision, record id, rule codes): plain tuples travel fastest."""
    set_records: list[tuple[int, Record]] = field(default_factory=list)
    earliest: dt.date | None = None
    records: int = 0


def find_record_files(paths: list[Path]) -> tuple[list[Path], int]:
    """Record files under `paths` (folders walked recursively, sorted), and how many were skipped."""
    found: list[Path] = []
    skipped = 0
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in candidates:
            hidden = any(part.startswith(".") for part in p.relative_to(path).parts) if path.is_dir() else False
            if hidden or p.name.startswith("~$") or p.suffix.lower() not in SUFFIXES:
                skipped += 1 if path.is_dir() and not hidden else 0
                continue
            found.append(p)
    return found, skipped


def plan_units(files: list[Path]) -> list[Unit]:
    units: list[Unit] = []
    docx: list[Path] = []
    for path in files:
        kind = SUFFIXES[path.suffix.lower()]
        if kind == "docx":
            docx.append(path)
            if len(docx) == DOCX_BATCH:
                units.append(Unit("docx", tuple(docx)))
                docx = []
        elif kind == "jsonl":
            units.extend(_jsonl_slices(path))
        else:
            units.append(Unit(kind, (path,)))
    if docx:
        units.append(Unit("docx", tuple(docx)))
    return units


def _jsonl_slices(path: Path) -> Iterator[Unit]:
    try:
        size = path.stat().st_size
    except OSError:
        yield Unit("jsonl", (path,))
        return
    if size <= JSONL_SLICE_BYTES:
        yield Unit("jsonl", (path,))
        return
    with path.open("rb") as fh:
        data = fh.read()
    start, line = 0, 1
    while start < len(data):
        cut = data.find(b"\n", min(start + JSONL_SLICE_BYTES, len(data)) - 1)
        end = len(data) if cut < 0 else cut + 1
        yield Unit("jsonl", (path,), start, end, line)
        line += data.count(b"\n", start, end)
        start = end


_WORKER: tuple[Checker, str] | None = None


def _init_worker(checker: Checker, root: str) -> None:
    global _WORKER
    _WORKER = (checker, root)


def _run_unit(unit: Unit) -> UnitResult:
    assert _WORKER is not None
    checker, root = _WORKER
    return run_unit(checker, unit, root)


def run_unit(checker: Checker, unit: Unit, root: str) -> UnitResult:
    """Read and check the records of one unit. One bad record never stops the others."""
    enabled = gc.isenabled()
    gc.disable()  # records and findings hold no reference cycles: the cyclic collector only costs time
    try:
        return _run_unit_records(checker, unit, root)
    finally:
        if enabled:
            gc.enable()


def _run_unit_records(checker: Checker, unit: Unit, root: str) -> UnitResult:
    result = UnitResult()
    reader = ExportReader(checker.project)
    for item in _items(checker, reader, unit, root):
        if isinstance(item, RecordError):
            result.findings.append(checker.unreadable(item))
            result.checked.append((item.source, item.location, item.form, None, None, ("QMS-RECORD",)))
            continue
        result.records += 1
        try:
            checked = checker.check_record(item)
        except Exception as exc:  # a checker bug must not stop the batch: the record says it was not checked
            error = RecordError(item.source, f"internal error while checking: {type(exc).__name__}: {exc}",
                                item.location, item.form, key="internal_error", error=f"{type(exc).__name__}: {exc}")
            result.findings.append(checker.unreadable(error))
            result.checked.append((item.source, item.location, item.form, item.revision, None, ("QMS-RECORD",)))
            continue
        result.findings.extend(checked.findings)
        result.checked.append((*checked.ref, checked.applied))
        day = checked.day
        if day is not None and (result.earliest is None or day < result.earliest):
            result.earliest = day
        if item.form in checker.set_forms:
            result.set_records.append((len(result.checked) - 1, checker.slim(item, checked.ref.record_id)))
    return result


def _items(checker: Checker, reader: ExportReader, unit: Unit, root: str) -> Iterator[Record | RecordError]:
    for path in unit.paths:
        source = _source(path, root)
        try:
            if unit.kind == "docx":
                yield read_docx_form(path, checker.project, source, any_revision=True)
            elif unit.kind == "jsonl":
                yield from reader.jsonl_file(path, source, unit.start, unit.end, unit.first_line)
            elif unit.kind == "json":
                yield from reader.json_file(path, source)
            elif unit.kind == "yaml":
                yield from reader.yaml_file(path, source)
            else:
                yield from reader.csv_file(path, source)
        except RecordError as exc:
            yield exc


def _source(path: Path, root: str) -> str:
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_paths(checker: Checker, paths: list[Path], *, jobs: int | None = None, root: Path = Path("."),
                progress: Callable[[int, int], None] | None = None) -> Report:
    """Check every record under `paths`; `progress(done_units, total_units)` is called as units finish."""
    files, _ = find_record_files(paths)
    units = plan_units(files)
    jobs = max(1, jobs or os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1  # workers inherit the compiled rules by forking; elsewhere, check in this process
    results: list[UnitResult] = []
    rootname = str(root)
    if jobs == 1 or len(units) < 2:
        for i, unit in enumerate(units, 1):
            results.append(run_unit(checker, unit, rootname))
            if progress:
                progress(i, len(units))
    else:
        ctx = multiprocessing.get_context("fork")
        gc.freeze()  # workers inherit the parent's objects: keep their collector off them (no copy-on-write)
        try:
            with ctx.Pool(min(jobs, len(units)), initializer=_init_worker, initargs=(checker, rootname)) as pool:
                for i, result in enumerate(pool.imap(_run_unit, units, chunksize=1), 1):
                    results.append(result)
                    if progress:
                        progress(i, len(units))
        finally:
            gc.unfreeze()
    return _report(checker, files, results)


def _report(checker: Checker, files: list[Path], results: list[UnitResult]) -> Report:
    findings: list[Finding] = []
    checked: list[tuple[RecordRef, tuple[str, ...]]] = []
    set_records: list[tuple[int, Record]] = []
    earliest: dt.date | None = None
    records = 0
    for r in results:
        offset = len(checked)
        findings.extend(r.findings)
        checked.extend((RecordRef._make(c[:5]), c[5]) for c in r.checked)
        set_records.extend((offset + i, rec) for i, rec in r.set_records)
        records += r.records
        if r.earliest is not None and (earliest is None or r.earliest < earliest):
            earliest = r.earliest
    set_findings, applied = checker.check_set([rec for _, rec in set_records], earliest)
    findings.extend(set_findings)
    for local, codes in applied.items():
        index = set_records[local][0]
        ref, before = checked[index]
        checked[index] = (ref, tuple(dict.fromkeys((*before, *codes))))
    findings.sort(key=Finding.sort_key)
    return Report(as_of=checker.as_of, root=checker.scope, sources=len(files), records=records,
                  rules=len({r.code for r in checker.project.rules}), findings=tuple(findings),
                  rule_titles=dict(sorted(checker.titles.items())), checked=tuple(checked))
