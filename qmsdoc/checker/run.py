"""A checker run: find the record files, read and check them (in worker processes), report.

Work is cut into units: a batch of .docx files, one JSON/YAML/CSV file, or a slice of a JSON
Lines file. Units run in worker processes (`jobs`), each reading its records and calling the
pure `Checker.check`; results come back in unit order, so the report is the same for any
number of workers. Rules over the whole set run afterwards in the parent, on the records of
the forms they concern.

Every place is accounted for: a folder that cannot be listed, a file that is not a regular
file, and a symbolic link that leads outside the checked folder (followed only with
`follow_links`) are findings, and a link loop is walked once. Files that are not records (by
their suffix) are counted (`Found.skipped`, `skipped_summary`), and a named path under which
nothing was found is named (`Found.empty`). A file's unreadable lines, rows or records are
listed up to `findings_per_record`, then counted in one finding.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from qmsdoc.checker.checked import CheckedRecords, position
from qmsdoc.checker.engine import Checked, Checker
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.records import Record, RecordError
from qmsdoc.records.docx_form import read_docx_form
from qmsdoc.records.exports import ExportReader
from qmsdoc.records.files import display_path, open_regular

SUFFIXES = {".docx": "docx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".yaml": "yaml", ".yml": "yaml", ".csv": "csv"}
"""Record files by suffix; other files in the folders are not records and are skipped (and counted)."""
LOCK_PREFIX = "~$"
"""Word and Excel lock files (~$name.docx): never records, whatever their suffix."""
JSONL_SLICE_BYTES = 2 * 1024 * 1024
DOCX_BATCH = 8
RECORD_BATCH = 512
"""Records a unit reads before checking them (see `_run_unit_records`)."""


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
    checked: CheckedRecords = field(default_factory=CheckedRecords)
    """Each record read and the rules applied, compactly: it travels as a few arrays."""
    set_records: list[tuple[int, Record]] = field(default_factory=list)
    earliest: dt.date | None = None
    records: int = 0
    unreadable: list[tuple[int, int]] = field(default_factory=list)
    """(index in `findings`, index in `checked`) of each unreadable line, row, record or file listed."""
    unlisted: dict[str, tuple[int, RecordRef]] = field(default_factory=dict)
    """Per file, how many more were unreadable than the unit lists, and where the first of them is."""


class Found(NamedTuple):
    """What walking the paths found: the record files, the places that could not be read, the files that
    are not records (skipped), and the paths named under which nothing at all was found."""

    files: list[Path]
    problems: list[RecordError]
    skipped: list[Path]
    empty: list[Path]


def find_record_files(paths: list[Path], root: Path = Path("."), *, follow_links: bool = False) -> Found:
    """Record files under `paths` (folders walked recursively, in sorted order; hidden names, Office
    lock files and other suffixes skipped), and a RecordError for each place that cannot be read.

    A path named directly is taken as it is (a link too); one that is neither a folder nor a
    regular file is never opened. Inside a folder, a symbolic link that leads outside it is not
    followed unless `follow_links`; a folder or file met twice (a link loop) is taken once.
    Files that are not records (another suffix, a lock file) are listed in `skipped`; a named
    path under which no record file and no problem was found is listed in `empty`."""
    found = Found([], [], [], [])
    seen: set[tuple[int, int]] = set()
    for path in paths:
        before = len(found.files) + len(found.problems)
        source = _source(path, str(root))
        try:
            info = path.stat()
        except OSError as exc:
            found.problems.append(_cannot_read(source, exc))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            continue
        seen.add(key)
        if stat.S_ISDIR(info.st_mode):
            _walk(path, root, follow_links, seen, found)
        elif not stat.S_ISREG(info.st_mode):
            found.problems.append(_not_regular(source))
        elif _is_record_name(path.name):
            found.files.append(path)
        else:
            found.skipped.append(path)
        if len(found.files) + len(found.problems) == before:
            found.empty.append(path)
    return found


def _is_record_name(name: str) -> bool:
    return Path(name).suffix.lower() in SUFFIXES and not name.startswith(LOCK_PREFIX)


def skipped_summary(skipped: list[Path]) -> str:
    """One line saying how many files were not read as records, of which kinds, and what is read:
    "skipped 3 files that are not records (.txt ×2, .pdf): only .docx, … are read"."""
    kinds: dict[str, int] = defaultdict(int)
    for path in skipped:
        kind = "~$ lock file" if path.name.startswith(LOCK_PREFIX) else path.suffix.lower() or "no suffix"
        kinds[kind] += 1
    by_count = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(kind if n == 1 else f"{kind} ×{n}" for kind, n in by_count)
    read = ", ".join(dict.fromkeys(f".{kind}" for kind in SUFFIXES.values()))
    files = "file that is not a record" if len(skipped) == 1 else "files that are not records"
    return f"skipped {len(skipped)} {files} ({shown}): only {read} are read"


def _walk(top: Path, root: Path, follow_links: bool, seen: set[tuple[int, int]], found: Found) -> None:
    """Depth first, in sorted order, without recursion (a folder tree can be deeper than the stack)."""
    inside = top.resolve()
    stack = [iter(_listing(top, root, found))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path, name = Path(entry.path), entry.name
        if name.startswith("."):
            continue
        record = _is_record_name(name)
        if entry.is_symlink() and not follow_links:
            try:
                target = path.resolve()
            except (OSError, RuntimeError):  # a link loop: stat below says so
                target = inside
            if not target.is_relative_to(inside):
                if record or target.is_dir():
                    found.problems.append(RecordError(
                        _source(path, str(root)), f"symbolic link to {display_path(target)}, outside the checked "
                        "folder: not followed (use --follow-links)", key="link_outside", target=display_path(target)))
                else:
                    found.skipped.append(path)
                continue
        try:
            info = path.stat()
        except OSError as exc:  # a dangling link, or a loop of links
            if record:
                found.problems.append(_cannot_read(_source(path, str(root)), exc))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            continue
        seen.add(key)
        if not (record or stat.S_ISDIR(info.st_mode)):
            found.skipped.append(path)
            continue
        if stat.S_ISDIR(info.st_mode):
            stack.append(iter(_listing(path, root, found)))
        elif stat.S_ISREG(info.st_mode):
            found.files.append(path)
        else:
            found.problems.append(_not_regular(_source(path, str(root))))


def _listing(folder: Path, root: Path, found: Found) -> list[os.DirEntry[str]]:
    """The entries of `folder` sorted by name; none, and a problem, when it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        reason = _reason(exc)
        found.problems.append(RecordError(_source(folder, str(root)), f"folder cannot be read: {reason}",
                                          key="folder_unreadable", reason=reason))
        return []


def _reason(exc: OSError) -> str:
    return "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))


def _cannot_read(source: str, exc: OSError) -> RecordError:
    reason = _reason(exc)
    return RecordError(source, f"cannot be read: {reason}", key="cannot_read", reason=reason)


def _not_regular(source: str) -> RecordError:
    return RecordError(source, "not a regular file (a folder, FIFO, device or socket): not read", key="not_regular")


def plan_units(files: list[Path], limit: int) -> list[Unit]:
    """Units of work for `files`; a JSON Lines file (of at most `limit` bytes) is cut in slices."""
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
            units.extend(_jsonl_slices(path, limit))
        else:
            units.append(Unit(kind, (path,)))
    if docx:
        units.append(Unit("docx", tuple(docx)))
    return units


def _jsonl_slices(path: Path, limit: int) -> Iterator[Unit]:
    """Slices of about JSONL_SLICE_BYTES, each from a line's start to a line's end, with the number of
    its first line. The file is read once in slice-sized blocks, to find line ends and count lines,
    never whole; a file that cannot be opened, or is over `limit` bytes, is one unit, whose reader
    says why."""
    try:
        fh = open_regular(path, limit, "")
    except RecordError:
        yield Unit("jsonl", (path,))
        return
    with fh:
        if os.fstat(fh.fileno()).st_size <= JSONL_SLICE_BYTES:
            yield Unit("jsonl", (path,))
            return
        start, line = 0, 1  # the slice being cut: its first byte and the number of its first line
        pos, lines = 0, 0  # bytes read, and line ends seen from `start` to `pos`
        while pos <= limit and (block := fh.read(JSONL_SLICE_BYTES)):
            # a slice ends at the first line end at least JSONL_SLICE_BYTES past its start: one per block at most
            cut = block.find(b"\n", max(0, start + JSONL_SLICE_BYTES - 1 - pos))
            if cut >= 0:
                lines += block.count(b"\n", 0, cut + 1)
                yield Unit("jsonl", (path,), start, pos + cut + 1, line)
                start, line, lines = pos + cut + 1, line + lines, block.count(b"\n", cut + 1)
            else:
                lines += block.count(b"\n")
            pos += len(block)
        if pos > start:
            yield Unit("jsonl", (path,), start, None, line)


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
    """The unit's records, read a batch at a time (`RECORD_BATCH`) and then checked a batch at a time: each
    stage's code stays warm in the processor's caches over the batch, where reading and checking one record
    after the other evicts each other's (5–10 % of the time, measured). Results are kept in record order."""
    result = UnitResult()
    reader = _reader(checker)
    cap = checker.limits.findings_per_record
    listed: dict[str, int] = defaultdict(int)
    items = _items(checker, reader, unit, root)
    while batch := list(islice(items, RECORD_BATCH)):
        outcomes = [_checked(checker, item) if isinstance(item, Record) else item for item in batch]
        for item, outcome in zip(batch, outcomes, strict=True):
            if isinstance(item, Record):
                result.records += 1
                if isinstance(outcome, Checked):
                    result.findings.extend(outcome.findings)
                    result.checked.append(*outcome.ref, outcome.applied)
                    day = outcome.day
                    if day is not None and (result.earliest is None or day < result.earliest):
                        result.earliest = day
                    if item.form in checker.set_forms:
                        result.set_records.append((len(result.checked) - 1,
                                                   checker.slim(item, outcome.ref.record_id)))
                    continue
            error = outcome
            assert isinstance(error, RecordError)
            if error.key != "too_many_units":  # the error that ends a file past units_per_file is always listed
                if listed[error.source] >= cap:  # past the bound, only counted: memory follows what is reported
                    count, first = result.unlisted.get(error.source, (0, RecordRef(error.source, error.location)))
                    result.unlisted[error.source] = (count + 1, first)
                    continue
                listed[error.source] += 1
                result.unreadable.append((len(result.findings), len(result.checked)))
            result.findings.append(checker.unreadable(error))
            result.checked.append(error.source, error.location, error.form, None, None, ("QMS-RECORD",))
    return result


def _checked(checker: Checker, record: Record) -> Checked | RecordError:
    """The record checked; a checker bug must not stop the batch: the record then says it was not checked."""
    try:
        return checker.check_record(record)
    except Exception as exc:
        return RecordError(record.source, f"internal error while checking: {type(exc).__name__}: {exc}",
                           record.location, record.form, key="internal_error", error=f"{type(exc).__name__}: {exc}")


def _reader(checker: Checker) -> ExportReader:
    """The checker's reader of exports, made once per process: it holds each form's compiled typing."""
    reader = _READERS.get(id(checker))
    if reader is None or reader.project is not checker.project:
        _READERS.clear()
        reader = _READERS[id(checker)] = ExportReader(checker.project)
    return reader


_READERS: dict[int, ExportReader] = {}


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
    """The path as findings name it: relative to `root` when it is inside (its links resolved, else as
    written: a link loop, or a link out of the folder), always printable."""
    for absolute in (Path.resolve, lambda p: Path(os.path.abspath(p))):
        try:
            return display_path(absolute(path).relative_to(absolute(Path(root))))
        except (ValueError, OSError, RuntimeError):
            continue
    return display_path(path)


def check_paths(checker: Checker, paths: list[Path], *, jobs: int | None = None, root: Path = Path("."),
                progress: Callable[[int, int], None] | None = None, follow_links: bool = False,
                found: Found | None = None) -> Report:
    """Check every record under `paths`; `progress(done_units, total_units)` is called as units finish.
    Symbolic links leading outside a checked folder are followed only with `follow_links`. `found`: what
    `find_record_files` found under `paths`, when the caller has walked them already."""
    if found is None:
        found = find_record_files(paths, root, follow_links=follow_links)
    units = plan_units(found.files, checker.limits.record_file_bytes)
    jobs = max(1, jobs or os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1  # workers inherit the compiled rules by forking; elsewhere, check in this process
    enabled = gc.isenabled()
    gc.disable()  # the report's records and findings hold no reference cycles: the collector only costs time
    try:
        return _report(checker, found, _results(checker, units, jobs, str(root), progress))
    finally:
        if enabled:
            gc.enable()


def _results(checker: Checker, units: list[Unit], jobs: int, root: str,
             progress: Callable[[int, int], None] | None) -> Iterator[UnitResult]:
    """Each unit's result, in unit order, as it comes: the report takes each in and lets it go, so memory
    holds what the report keeps, not every unit's result at once."""
    if jobs == 1 or len(units) < 2:
        for i, unit in enumerate(units, 1):
            yield run_unit(checker, unit, root)
            if progress:
                progress(i, len(units))
        return
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # workers inherit the parent's objects: keep their collector off them (no copy-on-write)
    try:
        with ctx.Pool(min(jobs, len(units)), initializer=_init_worker, initargs=(checker, root)) as pool:
            for i, result in enumerate(pool.imap(_run_unit, units, chunksize=1), 1):
                yield result
                if progress:
                    progress(i, len(units))
    finally:
        gc.unfreeze()


class _FileBound:
    """The unreadable lines, rows or records of each file listed up to `findings_per_record` over all
    its units (a JSON Lines file comes in several), the others counted in one finding per file."""

    def __init__(self, cap: int):
        self.cap = cap
        self.listed: dict[str, int] = defaultdict(int)
        self.unlisted: dict[str, tuple[int, RecordRef]] = {}

    def past(self, r: UnitResult) -> dict[int, int]:
        """Of the unreadable units `r` lists, those past the bound: index in findings → index in checked."""
        dropped = {}
        for fi, ci in r.unreadable:
            ref = r.findings[fi].record
            if self.listed[ref.source] < self.cap:
                self.listed[ref.source] += 1
            else:
                dropped[fi] = ci
                self._count(ref, 1)
        for n, first in r.unlisted.values():
            self._count(first, n)
        return dropped

    def _count(self, first: RecordRef, n: int) -> None:
        before, earlier = self.unlisted.get(first.source, (0, first))
        self.unlisted[first.source] = (before + n, earlier)

    def findings(self, checker: Checker) -> list[Finding]:
        """One finding per file with unlisted units, where the first of them is."""
        return [checker.unreadable(RecordError(first.source, f"{n} more lines or records of this file cannot be read",
                                               first.location, key="more_unreadable", count=n, limit=self.cap))
                for n, first in self.unlisted.values()]


def _report(checker: Checker, found: Found, results: Iterable[UnitResult]) -> Report:
    findings = [checker.unreadable(problem) for problem in found.problems]
    checked = CheckedRecords()
    set_records: list[tuple[int, Record]] = []
    earliest: dt.date | None = None
    records = 0
    bound = _FileBound(checker.limits.findings_per_record)
    for r in results:
        dropped = bound.past(r)  # index in r.findings → index in r.checked
        if dropped:  # unreadable lines past the file's bound: counted, not listed
            skip = sorted(set(dropped.values()))
            base = checked.extend(r.checked, skip)
            findings.extend(f for i, f in enumerate(r.findings) if i not in dropped)
            set_records.extend((position(base, skip, i), rec) for i, rec in r.set_records)
        else:
            base = checked.extend(r.checked)
            findings.extend(r.findings)
            set_records.extend((base + i, rec) for i, rec in r.set_records)
        r.checked = CheckedRecords()  # the unit's copy is no longer needed: memory holds one list of the records read
        records += r.records
        if r.earliest is not None and (earliest is None or r.earliest < earliest):
            earliest = r.earliest
    findings.extend(bound.findings(checker))
    set_findings, applied = checker.check_set([rec for _, rec in set_records], earliest)
    findings.extend(set_findings)
    for local, codes in applied.items():
        checked.add_rules(set_records[local][0], codes)
    findings.sort(key=Finding.sort_key)
    return Report(as_of=checker.as_of, root=checker.scope, sources=len(found.files), records=records,
                  rules=len(checker.rule_codes), findings=tuple(findings),
                  rule_titles=dict(sorted(checker.titles.items())), checked=checked)
