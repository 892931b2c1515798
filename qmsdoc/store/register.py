"""The records register (ISO 9001 §7.5.3): submitted records kept under control in the store.

`add_files` stores each record file's bytes once (content-addressed by sha256: the same file
again is a duplicate and adds nothing) with every record read from it: the typed record, its
form and revision, its record number, the date that dates it, who submitted it and when, and the
end of its retention period (the form's `retention:` counted from the record's date, or from the
day it was submitted when nothing dates it; none for a permanent record). Files are read by the
readers `qmsdoc check` uses, so what check cannot read is refused here with the same reason, and
the other records are added.

Each file is one write transaction: its bytes, its records and one `record.add` event per record
are committed together or not at all, so a run stopped at any moment leaves whole files' records
only, and running it again adds what is missing (the files already stored are duplicates).
Records are streamed from the file to the database in batches: memory does not grow with the
number of records.

Records are never deleted: `dispose` (past the retention end only) removes a record's content and,
once no record needs them, the file's bytes, and keeps the record's row as a tombstone saying
who disposed of it, when and why, with its `record.dispose` event.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from qmsdoc.checker.builtin import record_dating
from qmsdoc.checker.calendar import WorkCalendar
from qmsdoc.checker.kinds import Context
from qmsdoc.checker.periods import add_months
from qmsdoc.checker.run import SUFFIXES, Found, Unit, plan_units
from qmsdoc.checker.run import _source as source_name
from qmsdoc.model.documents import FieldType, Form
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record, RecordError
from qmsdoc.records.docx_form import read_docx_form
from qmsdoc.records.exports import ExportReader
from qmsdoc.records.files import read_bounded
from qmsdoc.store.codec import digest, encode_record
from qmsdoc.store.db import Store
from qmsdoc.store.events import EventLog
from qmsdoc.store.schema import blobs, records

BATCH = 1000
"""Records sent to the database at a time."""
STATE_KEYS = ("id", "blob", "source", "location", "form", "revision", "record_no", "record_date", "date_field",
              "submitted_by", "submitted_at", "retention_end", "digest", "disposed_at", "disposed_by",
              "disposed_reason")
"""What a record's events record of it (its content by its digest)."""


class Aborted(Exception):
    """A file's transaction is rolled back: nothing of it is stored."""


@dataclass(frozen=True)
class Refused:
    """A file, line, row or record that could not be read, with the reason `check` gives."""

    where: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A file whose bytes are stored already, and where they were first read from."""

    source: str
    first: str


@dataclass
class AddResult:
    files: int = 0
    added: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    replaced: list[tuple[int, int]] = field(default_factory=list)
    """(stored record, the corrected record that replaces it) for `--replace`."""


LATE_KEYS = ("superseded_by",)
"""Columns added by a later schema version: in a record's state only when set, so that the events of
records stored before that version still describe their rows."""


def record_state(row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    """A record's row as its events record it: every column but the content, which its digest stands for."""
    state = {k: _plain(row[k]) for k in STATE_KEYS}
    for key in LATE_KEYS:
        if row.get(key) is not None:
            state[key] = row[key]
    return state


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def reason_text(error: RecordError, labels: Labels) -> str:
    """Why a record cannot be read, as check's QMS-RECORD finding says it (in the site's language)."""
    text = labels.texts.get(f"reason_{error.key}") if error.key else None
    try:
        return text.format(**error.params) if text else error.message
    except (KeyError, IndexError, ValueError):
        return error.message


def where(error: RecordError) -> str:
    return f"{error.source}:{error.location}" if error.location else error.source


def id_field(form: Form) -> str | None:
    """The entry holding a record's number, as the checker finds it: `record_no`, else the first text
    entry whose id ends in `_no`."""
    fields = form.fields()
    if "record_no" in fields:
        return "record_no"
    return next((fid for fid, f in fields.items() if fid.endswith("_no") and f.type == FieldType.TEXT), None)


@dataclass(frozen=True)
class FileToAdd:
    """A record file about to be added: its bytes and digest, and the units its records are read in."""

    path: Path
    source: str
    data: bytes
    sha: str
    units: tuple[Unit, ...]


Item = dict[str, Any] | Refused
"""What reading a unit gives, record by record: a register row (without its id), or a refusal."""


class Adder:
    """Adds record files to the store for one project, as one submitter at one moment.

    Records are read and typed in worker processes (`jobs`, default all cores; forked, like
    check's), a file cut in units as check cuts it (a JSON Lines file in slices), while this
    process writes: one transaction per file, its records numbered and logged in file order. A
    few files are read ahead of the one being written, so memory holds a few files, not all."""

    def __init__(self, store: Store, project: Project, labels: Labels, *, by: str, at: dt.datetime,
                 root: Path = Path("."), jobs: int | None = None, replace: bool = False):
        self.store = store
        self.replace = replace
        self.project = project
        self.labels = labels
        self.by = by
        self.at = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.day = at.astimezone(dt.UTC).date()
        self.root = str(root)
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.reader = ExportReader(project)
        self.ctx = Context(self.day, WorkCalendar(()), project.site.timezone, labels)
        self.id_fields = {fid: id_field(form) for fid, form in project.forms.items()}

    def add(self, found: Found, progress: Callable[[int, int], None] | None = None) -> AddResult:
        result = AddResult()
        result.refused.extend(Refused(where(p), reason_text(p, self.labels)) for p in found.problems)
        files = self._files(found.files, result)
        for done, (todo, items) in enumerate(self._read(files), 1):
            self._write(todo, items, result)
            if progress:
                progress(done, len(found.files))
        return result

    def _files(self, paths: list[Path], result: AddResult) -> Iterator[FileToAdd]:
        """The files to read, in order: each read once here for its digest; one whose bytes are stored
        already is a duplicate (said now, and read no further), one that cannot be read is refused."""
        limit = self.project.site.limits.record_file_bytes
        for path in paths:
            result.files += 1
            source = source_name(path, self.root)
            try:
                data = read_bounded(path, limit, source)
            except RecordError as exc:
                result.refused.append(Refused(where(exc), reason_text(exc, self.labels)))
                continue
            sha = hashlib.sha256(data).hexdigest()
            with self.store.reading() as conn:
                first = _stored(conn, sha)
            if first is not None:
                result.duplicates.append(Duplicate(source, first))
                continue
            kind = SUFFIXES[path.suffix.lower()]
            units = tuple(plan_units([path], limit)) if kind == "jsonl" else (Unit(kind, (path,)),)
            yield FileToAdd(path, source, data, sha, units)

    def _read(self, files: Iterator[FileToAdd]) -> Iterator[tuple[FileToAdd, Iterator[list[Item]]]]:
        """Each file with its units' items, in order; read in worker processes when there are several."""
        if self.jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
            for todo in files:
                yield todo, (self.read_unit(unit, todo.source) for unit in todo.units)
            return
        global _ADDER
        _ADDER = self
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(self.jobs) as pool:
            ahead: deque[tuple[FileToAdd, list[AsyncResult[list[Item]]]]] = deque()
            for todo in files:
                ahead.append((todo, [pool.apply_async(_read_unit, (unit, todo.source)) for unit in todo.units]))
                if len(ahead) > READ_AHEAD:
                    first, pending = ahead.popleft()
                    yield first, (p.get() for p in pending)
            while ahead:
                first, pending = ahead.popleft()
                yield first, (p.get() for p in pending)

    def read_unit(self, unit: Unit, source: str) -> list[Item]:
        """The register rows of the records of one unit (ids not yet given), and the refusals."""
        out: list[Item] = []
        enabled = gc.isenabled()
        gc.disable()  # records hold no reference cycles: the cyclic collector only costs time
        try:
            for item in self._items(unit, source):
                if isinstance(item, RecordError):
                    out.append(Refused(where(item), reason_text(item, self.labels)))
                else:
                    out.append(self.row(item))
        finally:
            if enabled:
                gc.enable()
        return out

    def _write(self, todo: FileToAdd, units: Iterator[list[Item]], result: AddResult) -> None:
        """Store one file and its records in one transaction (nothing of it when no record can be read)."""
        refused: list[Refused] = []
        ids: list[int] = []
        try:
            with self.store.writing() as conn:
                first = _stored(conn, todo.sha)
                if first is not None:  # another run stored it meanwhile
                    result.duplicates.append(Duplicate(todo.source, first))
                    return
                conn.execute(insert(blobs), {"sha256": todo.sha, "size": len(todo.data), "data": todo.data})
                replaced_before = len(result.replaced)
                ids = self._store_rows(conn, todo.sha, units, refused, result)
                if not ids:
                    raise Aborted
                if _sha256_of(todo.path) != todo.sha:
                    refused.append(Refused(todo.source, "the file changed while it was being read; add it again"))
                    ids = []
                    raise Aborted
        except Aborted:
            del result.replaced[replaced_before:]
        result.refused.extend(refused)
        result.added += len(ids)
        result.ids.extend(ids)

    def _store_rows(self, conn: Connection, sha: str, units: Iterator[list[Item]], refused: list[Refused],
                    result: AddResult) -> list[int]:
        log = EventLog(conn, self.at, self.by)
        next_id = int(conn.execute(select(func.coalesce(func.max(records.c.id), 0))).scalar_one()) + 1
        rows: list[dict[str, Any]] = []
        ids: list[int] = []
        for items in units:
            for item in items:
                if isinstance(item, Refused):
                    refused.append(item)
                    continue
                item["id"], item["blob"] = next_id, sha
                ids.append(next_id)
                next_id += 1
                rows.append(item)
                log.append("record.add", "record", item["id"], None, record_state(item))
                if self.replace and item["record_no"] is not None:
                    result.replaced.extend(_supersede(conn, log, item, ids[0]))
                if len(rows) >= BATCH:
                    conn.execute(insert(records), rows)
                    rows = []
        if rows:
            conn.execute(insert(records), rows)
        log.flush()
        return ids

    def _items(self, unit: Unit, source: str) -> Iterator[Record | RecordError]:
        path = unit.paths[0]
        try:
            if unit.kind == "docx":
                yield read_docx_form(path, self.project, source, any_revision=True)
            elif unit.kind == "jsonl":
                yield from self.reader.jsonl_file(path, source, unit.start, unit.end, unit.first_line)
            elif unit.kind == "json":
                yield from self.reader.json_file(path, source)
            elif unit.kind == "yaml":
                yield from self.reader.yaml_file(path, source)
            else:
                yield from self.reader.csv_file(path, source)
        except RecordError as exc:
            yield exc

    def row(self, record: Record) -> dict[str, Any]:
        """The register's row for one record (its id and file are given when it is written)."""
        form = self.project.forms[record.form]
        dating = record_dating(form, record, self.ctx)
        number = record.record_id
        if number is None and (fid := self.id_fields[record.form]) is not None:
            value = record.fields.get(fid)
            number = str(value) if value not in (None, "") else None
        data = encode_record(record)
        day = dating[1] if dating else None
        return {"id": None, "blob": None, "source": record.source, "location": record.location,
                "form": record.form, "revision": record.revision, "record_no": number,
                "record_date": day, "date_field": dating[0] if dating else None, "submitted_by": self.by,
                "submitted_at": self.at, "retention_end": retention_end(form, day or self.day),
                "data": data, "digest": digest(data), "disposed_at": None, "disposed_by": None,
                "disposed_reason": None}


READ_AHEAD = 4
"""Files whose records are being read while the one before them is written."""
_ADDER: Adder | None = None


def _read_unit(unit: Unit, source: str) -> list[Item]:
    assert _ADDER is not None
    return _ADDER.read_unit(unit, source)


def _supersede(conn: Connection, log: EventLog, new: dict[str, Any], first_of_file: int) -> list[tuple[int, int]]:
    """A corrected record replaces the live records of its form and number stored before its file: each is
    kept, superseded by it (out of checks and audits), with its `record.supersede` event."""
    older = conn.execute(select(records).where(
        records.c.form == new["form"], records.c.record_no == new["record_no"], records.c.id < first_of_file,
        records.c.disposed_at.is_(None), records.c.superseded_by.is_(None))).all()
    done = []
    for row in older:
        m = row._mapping
        conn.execute(update(records).where(records.c.id == m["id"]).values(superseded_by=new["id"]))
        log.append("record.supersede", "record", m["id"], record_state(m),
                   record_state({**m, "superseded_by": new["id"]}))
        done.append((int(m["id"]), int(new["id"])))
    return done


def live(query: Any) -> Any:
    """Only the records in force: neither disposed of nor replaced by a corrected record."""
    return query.where(records.c.disposed_at.is_(None), records.c.superseded_by.is_(None))


def _stored(conn: Connection, sha: str) -> str | None:
    """Where the file with digest `sha` was first read from, when it is stored already."""
    first = conn.execute(select(records.c.source).where(records.c.blob == sha).limit(1)).scalar()
    if first is not None:
        return str(first)
    if conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha)).first():
        return "a file whose records were all disposed of"
    return None


def retention_end(form: Form, start: dt.date) -> dt.date | None:
    """The last day a record of `form` dated `start` is kept (None: kept permanently)."""
    if form.retention_months is None:
        return None
    try:
        return add_months(start, form.retention_months)
    except OverflowError:
        return dt.date.max


def _sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                sha.update(block)
    except OSError:
        return ""
    return sha.hexdigest()


# -- reading the register ------------------------------------------------------------------

@dataclass(frozen=True)
class Filter:
    form: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    disposed: bool = False


def list_records(conn: Connection, flt: Filter = Filter()) -> Iterator[RowMapping]:
    """The register's rows (without content), by id; disposed records only when asked."""
    columns = [c for c in records.c if c.key != "data"]
    query = select(*columns).order_by(records.c.id)
    if flt.form is not None:
        query = query.where(records.c.form == flt.form)
    if flt.date_from is not None:
        query = query.where(records.c.record_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(records.c.record_date <= flt.date_to)
    if not flt.disposed:
        query = live(query)
    for row in conn.execution_options(yield_per=BATCH).execute(query):
        yield row._mapping


def find_records(conn: Connection, key: str) -> list[RowMapping]:
    """The records an id (a number) or a record number (FK-2025-031) names."""
    query = select(records)
    query = query.where(records.c.id == int(key)) if key.isdigit() else query.where(records.c.record_no == key)
    return [r._mapping for r in conn.execute(query.order_by(records.c.id))]


def retention_due(conn: Connection, as_of: dt.date) -> list[RowMapping]:
    """Records kept past the end of their retention period on `as_of` (not yet disposed of)."""
    query = select(*[c for c in records.c if c.key != "data"]).where(
        records.c.retention_end < as_of, records.c.disposed_at.is_(None)).order_by(records.c.retention_end,
                                                                                    records.c.id)
    return [r._mapping for r in conn.execute(query)]


EXPORT_COLUMNS = ("id", "form", "revision", "record_no", "record_date", "source", "location", "sha256",
                  "submitted_by", "submitted_at", "retention_end", "superseded_by", "disposed_at", "disposed_by",
                  "disposed_reason")


def export_rows(conn: Connection, flt: Filter = Filter(disposed=True)) -> Iterator[dict[str, Any]]:
    """Every record (tombstones too) as the export writes it, its fields as `qmsdoc extract` shows them."""
    from qmsdoc.records.docx_form import to_jsonable
    from qmsdoc.store.codec import decode_value

    query = select(records).order_by(records.c.id)
    if flt.form is not None:
        query = query.where(records.c.form == flt.form)
    if flt.date_from is not None:
        query = query.where(records.c.record_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(records.c.record_date <= flt.date_to)
    for row in conn.execution_options(yield_per=BATCH).execute(query):
        m = row._mapping
        out = {k: _plain(m[k]) for k in EXPORT_COLUMNS if k != "sha256"}
        out["sha256"] = m["blob"]
        if m["data"] is not None:
            raw = json.loads(m["data"])
            out["fields"] = to_jsonable(decode_value(raw["fields"]))
            if raw.get("problems"):
                out["problems"] = [{"field": p[0], "found": p[1], "message": p[2]} for p in raw["problems"]]
        yield out


# -- disposal ------------------------------------------------------------------------------

class DisposalRefused(Exception):
    pass


def dispose(store: Store, keys: Iterable[str], *, by: str, reason: str, at: dt.datetime) -> list[int]:
    """Dispose of the records named (ids), each past its retention end on the day of `at`: their content
    goes, their rows stay as tombstones, and a file's bytes go with its last live record. One transaction:
    all of them or, when one cannot be disposed of, none."""
    stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    day = at.astimezone(dt.UTC).date()
    done: list[int] = []
    with store.writing() as conn:
        log = EventLog(conn, stamp, by)
        for key in keys:
            if not key.isdigit():
                raise DisposalRefused(f"{key}: not a record id (the number `qmsdoc records list` shows)")
            row = conn.execute(select(records).where(records.c.id == int(key))).first()
            if row is None:
                raise DisposalRefused(f"record {key}: no such record in the store")
            m = row._mapping
            if m["disposed_at"] is not None:
                raise DisposalRefused(f"record {key}: disposed of already, on {m['disposed_at']} by {m['disposed_by']}")
            end = m["retention_end"]
            if end is None:
                raise DisposalRefused(f"record {key} ({m['form']} {m['record_no'] or ''}): kept permanently, "
                                      "by its form's retention period; it is never disposed of")
            if end >= day:
                raise DisposalRefused(f"record {key} ({m['form']} {m['record_no'] or ''}): its retention period "
                                      f"runs until {end.isoformat()}; dispose of it after that day")
            before = record_state(m)
            changes = {"data": None, "disposed_at": stamp, "disposed_by": by, "disposed_reason": reason}
            conn.execute(update(records).where(records.c.id == m["id"]).values(**changes))
            log.append("record.dispose", "record", m["id"], before, record_state({**m, **changes}))
            live = conn.execute(select(func.count()).select_from(records).where(
                records.c.blob == m["blob"], records.c.disposed_at.is_(None))).scalar_one()
            if not live:
                conn.execute(update(blobs).where(blobs.c.sha256 == m["blob"]).values(data=None))
            done.append(int(m["id"]))
        log.flush()
    return done

