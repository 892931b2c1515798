"""Reading records exported from other systems: JSON, JSON Lines, YAML and CSV.

Every format carries the same record: the form id, its revision, optionally an `id`, and the
field values, with signatures as {name, date} and tables as lists of rows. JSON and JSON
Lines records look like the output of `qmsdoc extract`:

    {"form": "SJE/JL/GK-09-01", "revision": "A/0", "id": "FK-2025-001", "fields": {...}}

YAML holds one record per document (`---` between them); CSV one record per row, with the
columns `form`, `revision`, optional `id`, then one column per field, `sig.name` / `sig.date`
for signatures, `table.N.column` for table cells and `; `-separated options (or one
`field.option` column each) for multiple choices, the same names as the tags of a .docx form.

Each reader yields Records, or RecordErrors for records that cannot be read (the next one is
read regardless). Sizes are bounded; nothing is evaluated.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qmsdoc.errors import Diagnostics
from qmsdoc.load.yamlsrc import YMap, parse_yaml_documents, to_plain
from qmsdoc.model.documents import FieldType, Form
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.records.coerce import Coercer

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""Largest JSON, YAML or CSV file read whole."""
MAX_LINE_BYTES = 1024 * 1024
"""Longest JSON Lines line (one record)."""
HEADER_KEYS = ("form", "revision", "id", "fields", "source", "problems", "notes")

Item = Record | RecordError


class ExportReader:
    """Turns raw export records into typed Records for one project (coercers cached per form)."""

    def __init__(self, project: Project):
        self.project = project
        self.tz = project.site.timezone
        self._coercers: dict[str, Coercer] = {}

    def coercer(self, form: Form) -> Coercer:
        c = self._coercers.get(form.id)
        if c is None:
            c = self._coercers[form.id] = Coercer(form, self.tz)
        return c

    # -- one record ----------------------------------------------------------------------

    def from_mapping(self, raw: Any, source: str, location: str) -> Item:
        """A record as a mapping {form, revision, id?, fields}; any other shape is a RecordError."""
        if not isinstance(raw, dict):
            return RecordError(source, f"a record is a mapping with form, revision and fields, "
                                       f"not {type(raw).__name__}", location, key="record_shape")
        unknown = [k for k in raw if k not in HEADER_KEYS]
        form_id, revision = raw.get("form"), raw.get("revision")
        if not isinstance(form_id, str) or not form_id:
            return RecordError(source, 'the record has no "form" (the form id, e.g. SJE/JL/GK-09-01)', location,
                               key="no_form")
        form = self.project.forms.get(form_id)
        if form is None:
            return RecordError(source, f'form "{form_id}" is not a form of this document set', location, form_id,
                               key="unknown_form", form_id=form_id)
        if not isinstance(revision, str) or not revision:
            return RecordError(source, f'the record has no "revision" (current revision of {form_id} '
                                       f"is {form.revision})", location, form_id)
        fields = raw.get("fields")
        if not isinstance(fields, dict):
            return RecordError(source, 'the record has no "fields" mapping', location, form_id, key="no_fields")
        record_id = raw.get("id")
        problems = [FieldProblem(key, "", f'unknown record key "{key}" '
                                 f"(a record has {', '.join(HEADER_KEYS[:4])})", key="unknown_record_key")
                    for key in unknown]
        typed = self.coercer(form).read(fields, problems)
        return Record(form.id, revision, source, typed, tuple(problems), location,
                      record_id=str(record_id) if record_id not in (None, "") else None)

    # -- files ---------------------------------------------------------------------------

    def json_file(self, path: Path, source: str) -> Iterator[Item]:
        data = _read_bounded(path, source)
        try:
            raw = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield RecordError(source, f"not valid JSON: {_json_reason(exc)}", _json_line(exc), key="not_json")
            return
        except RecursionError:
            yield RecordError(source, "JSON nested too deeply")
            return
        if isinstance(raw, list):
            for n, item in enumerate(raw, 1):
                yield self.from_mapping(item, source, f"#{n}")
        else:
            yield self.from_mapping(raw, source, "")

    def jsonl_lines(self, lines: Iterator[tuple[int, bytes]], source: str) -> Iterator[Item]:
        """Records from (line number, line bytes) pairs; blank lines are skipped."""
        for number, line in lines:
            if not line.strip():
                continue
            where = str(number)
            if len(line) > MAX_LINE_BYTES:
                yield RecordError(source, f"line longer than {MAX_LINE_BYTES // 1024} KiB", where)
                continue
            try:
                raw = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield RecordError(source, f"not valid JSON: {_json_reason(exc)}", where, key="not_json")
                continue
            except RecursionError:
                yield RecordError(source, "JSON nested too deeply", where)
                continue
            yield self.from_mapping(raw, source, where)

    def jsonl_file(self, path: Path, source: str, start: int = 0, end: int | None = None,
                   first_line: int = 1) -> Iterator[Item]:
        """A JSON Lines file, or the byte range [start, end) of one (which starts a line)."""
        try:
            with path.open("rb") as fh:
                fh.seek(start)
                data = fh.read() if end is None else fh.read(end - start)
        except OSError as exc:
            yield RecordError(source, f"cannot read the file: {exc.strerror}")
            return
        yield from self.jsonl_lines(((first_line + i, line) for i, line in enumerate(data.split(b"\n"))), source)

    def yaml_file(self, path: Path, source: str) -> Iterator[Item]:
        data = _read_bounded(path, source)
        try:
            text = data.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            yield RecordError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})", key="not_utf8")
            return
        diags = Diagnostics()
        try:
            docs = parse_yaml_documents(text, source, diags)
        except RecursionError:
            yield RecordError(source, "YAML nested too deeply")
            return
        if diags:
            first = diags.sorted()[0]
            yield RecordError(source, first.message, str(first.location.line or ""))
            return
        for node in docs:
            where = str(node.loc.line)
            if not isinstance(node, YMap):
                yield RecordError(source, "a record is a mapping with form, revision and fields", where)
                continue
            yield self.from_mapping(to_plain(node), source, where)

    def csv_file(self, path: Path, source: str) -> Iterator[Item]:
        data = _read_bounded(path, source)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield RecordError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                      "export the CSV as UTF-8")
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            yield RecordError(source, "empty CSV file (the first row names the columns)")
            return
        if "form" not in header or "revision" not in header:
            yield RecordError(source, "the CSV needs the columns form and revision", "1", key="csv_header")
            return
        while True:
            where = str(reader.line_num + 1)
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(source, f"damaged CSV row: {exc}", where)
                return
            if not any(cell.strip() for cell in row):
                continue
            where = str(reader.line_num)
            if len(row) != len(header):
                yield RecordError(source, f"row has {len(row)} cells, the header names {len(header)} columns", where,
                                  key="csv_cells", cells=len(row), columns=len(header))
                continue
            yield self._csv_record(dict(zip(header, row, strict=True)), source, where)

    def _csv_record(self, cells: dict[str, str], source: str, where: str) -> Item:
        form = self.project.forms.get(cells.get("form", ""))
        raw: dict[str, Any] = {"form": cells.get("form"), "revision": cells.get("revision")}
        if cells.get("id"):
            raw["id"] = cells["id"]
        if form is None:
            return self.from_mapping(raw, source, where)
        raw["fields"] = unflatten(form, {k: v for k, v in cells.items() if k not in ("form", "revision", "id")})
        return self.from_mapping(raw, source, where)


def unflatten(form: Form, cells: dict[str, str]) -> dict[str, Any]:
    """CSV columns (`sig.name`, `table.2.column`, `multi.option`) → nested field values."""
    fields = form.fields()
    out: dict[str, Any] = {}
    tables: dict[str, dict[int, dict[str, str]]] = {}
    for key, value in cells.items():
        head, _, rest = key.partition(".")
        f = fields.get(head)
        if f is None or not rest:
            out[key] = value if value != "" else None
        elif f.type == FieldType.SIGNATURE:
            out.setdefault(head, {})[rest] = value if value != "" else None
        elif f.type == FieldType.TABLE:
            n, _, col = rest.partition(".")
            if n.isdigit() and col:
                tables.setdefault(head, {}).setdefault(int(n), {})[col] = value
            else:
                out[key] = value
        elif f.type == FieldType.MULTICHOICE:
            chosen = out.setdefault(head, [])
            if isinstance(chosen, list) and value.strip().lower() in ("1", "true", "x", "yes", "是", "☒", "✓"):
                chosen.append(rest)
        else:
            out[key] = value
    for head, rows in tables.items():
        out[head] = [rows[n] for n in sorted(rows)]
    for head, value in list(out.items()):
        f = fields.get(head)
        if f is not None and f.type == FieldType.SIGNATURE and isinstance(value, dict) \
                and not any(v for v in value.values()):
            out[head] = None
        if isinstance(value, list) and not value and f is not None and f.type == FieldType.MULTICHOICE:
            out[head] = None
    return out


def _read_bounded(path: Path, source: str) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise RecordError(source, f"cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise RecordError(source, f"file larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB "
                                  "(split it, or use JSON Lines)")
    return data


def _json_reason(exc: Exception) -> str:
    return exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)


def _json_line(exc: Exception) -> str:
    return str(exc.lineno) if isinstance(exc, json.JSONDecodeError) else ""
