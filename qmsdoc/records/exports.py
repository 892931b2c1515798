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
read regardless). Everything is bounded by the site's `limits:` (`qmsdoc.model.limits`): a
file's size before it is read (`record_file_bytes`), a JSON Lines line (`line_bytes`; the file
is read line by line, never whole), the records read from one file (`units_per_file`), a CSV
header's columns (`csv_columns`), and every number before it is converted: JSON's literals go
through hooks, so a 5,000-digit integer, 1e5000 or NaN never becomes a Python number but a
problem of the entry that holds it. Nothing is evaluated.

JSON is parsed with orjson when it is installed, for speed, and with the standard library's
bounded decoder whenever orjson's result could differ from it: a float, an integer past the
digit bound, nesting past the bound, anything orjson refuses (NaN, 1e5000, a byte order mark,
UTF-16, lone surrogates). So a record reads exactly the same either way; orjson only decides
faster that nothing in it needs the careful reader.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from qmsdoc.errors import Diagnostics
from qmsdoc.load.yamlsrc import YMap, parse_yaml_documents, to_plain
from qmsdoc.model.documents import FieldType, Form
from qmsdoc.model.limits import LimitExceeded, Limits
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.records.coerce import Coercer, Problems, show
from qmsdoc.records.files import open_regular, read_bounded
from qmsdoc.records.values import RefusedValue, ValueError_, bounded_number

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the standard decoder does the same, slower
    orjson = None  # type: ignore[assignment]

HEADER_KEYS = ("form", "revision", "id", "fields", "source", "problems", "notes")
SKIP_BLOCK = 64 * 1024
"""Bytes read at a time while skipping the rest of a JSON Lines line that is over its bound."""
TYPING_BATCH = 512
TYPING_BATCH_BYTES = 1024 * 1024
"""JSON Lines are parsed this many lines (or about this many bytes) at a time, then typed (`from_values`)."""
FAST_DEPTH = 200
"""Nesting past this is left to the standard decoder even when `nesting_depth` allows more: near
Python's recursion limit it refuses what orjson would take."""
NOT_FAST = object()
"""What `ExportReader._fast_json` gives when the standard decoder has to read the text."""

Item = Record | RecordError


class ExportReader:
    """Turns raw export records into typed Records for one project (coercers cached per form)."""

    def __init__(self, project: Project):
        self.project = project
        self.tz = project.site.timezone
        self.limits = project.site.limits
        self._coercers: dict[str, Coercer] = {}
        self._json = _json_decoder(self.limits)
        self._longest_int = 10 ** min(self.limits.number_digits, self.limits.number_exponent + 1)
        """An integer orjson gives is taken as it is only below this (the standard decoder's hook bound)."""
        self._fast_depth = min(self.limits.nesting_depth, FAST_DEPTH)

    def coercer(self, form: Form) -> Coercer:
        c = self._coercers.get(form.id)
        if c is None:
            c = self._coercers[form.id] = Coercer(form, self.tz, self.limits)
        return c

    # -- one record ----------------------------------------------------------------------

    def from_mapping(self, raw: Any, source: str, location: str, *, depth_checked: bool = False) -> Item:
        """A record as a mapping {form, revision, id?, fields}; any other shape is a RecordError.
        `depth_checked`: the caller has found the record within `nesting_depth` already."""
        if not isinstance(raw, dict):
            return RecordError(source, f"a record is a mapping with form, revision and fields, "
                                       f"not {type(raw).__name__}", location, key="record_shape")
        if not depth_checked and _depth(raw, self.limits.nesting_depth) > self.limits.nesting_depth:
            return RecordError(source, str(LimitExceeded("nesting_depth", self.limits.nesting_depth,
                                                         "the record is nested too deeply")), location,
                               key="too_deep")
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
                                       f"is {form.revision})", location, form_id, key="no_revision",
                               form_id=form_id, current=form.revision)
        fields = raw.get("fields")
        if not isinstance(fields, dict):
            return RecordError(source, 'the record has no "fields" mapping', location, form_id, key="no_fields")
        record_id = raw.get("id")
        problems = Problems(self.limits.findings_per_record)
        for key in raw:
            if key not in HEADER_KEYS:
                problems.append(FieldProblem(key, "", f'unknown record key "{key}" '
                                             f"(a record has {', '.join(HEADER_KEYS[:4])})", key="unknown_record_key"))
        typed = self.coercer(form).read(fields, problems)
        return Record(form.id, revision, source, typed, problems.result(), location,
                      record_id=show(record_id) if record_id not in (None, "") else None)

    def _fast_json(self, data: bytes) -> Any:
        """`data` parsed by orjson when that gives exactly what the standard decoder would (see the
        module's notes), with its nesting checked against `nesting_depth`; NOT_FAST otherwise."""
        if orjson is None:
            return NOT_FAST
        try:
            raw = orjson.loads(data)
        except orjson.JSONDecodeError:
            return NOT_FAST
        return raw if _plain(raw, self._fast_depth, self._longest_int) else NOT_FAST

    def _json_record(self, text: bytes, source: str, location: str) -> Item:
        """One JSON Lines line as a record."""
        value = self._json_value(text, source, location)
        if isinstance(value, RecordError):
            return value
        raw, checked = value
        return self.from_mapping(raw, source, location, depth_checked=checked)

    def _json_value(self, text: bytes, source: str, location: str) -> tuple[Any, bool] | RecordError:
        """One JSON Lines line parsed: (its value, whether its nesting was checked already), or why not."""
        raw = self._fast_json(text)
        if raw is not NOT_FAST:
            return raw, True
        try:
            return self._json.decode(text.decode(json.detect_encoding(text), "surrogatepass")), False
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return RecordError(source, f"not valid JSON: {_json_reason(exc)}", location, key="not_json")
        except RecursionError:
            return RecordError(source, "JSON nested too deeply", location, key="too_deep")

    def from_values(self, values: list[tuple[tuple[Any, bool], str] | RecordError], source: str) -> list[Item]:
        """Parsed lines ((value, nesting checked), line number), or the errors of lines, as records, in order.
        They are typed form by form: the typing code of one form stays warm in the processor's caches over
        its records, where a file that mixes forms would switch code at every line (a whole check of the
        example records, mixed line by line, took about 7 % less time, median of ten runs back to back)."""
        out: list[Item | None] = []
        pending: list[tuple[str, int, Any, bool, str]] = []  # (form, index, value, nesting checked, line)
        for k, value in enumerate(values):
            if isinstance(value, RecordError):
                out.append(value)
                continue
            (raw, checked), where = value
            form = raw.get("form") if type(raw) is dict else None
            pending.append((form if type(form) is str else "", k, raw, checked, where))
            out.append(None)  # the record, below
        pending.sort(key=lambda p: (p[0], p[1]))
        for _, k, raw, checked, where in pending:
            out[k] = self.from_mapping(raw, source, where, depth_checked=checked)
        return cast(list[Item], out)

    # -- files ---------------------------------------------------------------------------

    def json_file(self, path: Path, source: str) -> Iterator[Item]:
        """A JSON file: one record, or an array of them (at most `units_per_file`)."""
        data = read_bounded(path, self.limits.record_file_bytes, source)
        raw = self._fast_json(data)
        try:
            if raw is NOT_FAST:
                raw = self._json.decode(data.decode(json.detect_encoding(data), "surrogatepass"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield RecordError(source, f"not valid JSON: {_json_reason(exc)}", _json_line(exc), key="not_json")
            return
        except RecursionError:
            yield RecordError(source, "JSON nested too deeply", key="too_deep")
            return
        if not isinstance(raw, list):
            yield self.from_mapping(raw, source, "")
            return
        for n, item in enumerate(raw, 1):
            if n > self.limits.units_per_file:
                yield self._too_many(source, f"#{n}", len(raw))
                return
            yield self.from_mapping(item, source, f"#{n}")

    def jsonl_file(self, path: Path, source: str, start: int = 0, end: int | None = None,
                   first_line: int = 1) -> Iterator[Item]:
        """A JSON Lines file, or the byte range [start, end) of one (which starts a line, numbered
        `first_line`), read line by line; a line over `line_bytes` is skipped unread."""
        limits = self.limits
        try:
            fh = open_regular(path, limits.record_file_bytes, source)
        except RecordError as exc:
            yield exc
            return
        with fh:
            size = os.fstat(fh.fileno()).st_size if end is None else end
            fh.seek(start)
            number = first_line - 1
            batch: list[tuple[tuple[Any, bool], str] | RecordError] = []  # parsed, typed a batch at a time
            held = 0  # bytes of the lines in `batch`: a batch holds at most about TYPING_BATCH_BYTES
            for line in _lines(fh, size - start, limits.line_bytes):
                number += 1
                if line is not None and not line.strip():
                    continue
                where = str(number)
                if number > limits.units_per_file:
                    yield from self.from_values(batch, source)
                    yield self._too_many(source, where)
                    return
                if line is None:
                    batch.append(RecordError(source, str(LimitExceeded("line_bytes", limits.line_bytes,
                                                                       "line too long")),
                                             where, key="line_too_long", limit=limits.line_bytes))
                else:
                    value = self._json_value(line, source, where)
                    batch.append(value if isinstance(value, RecordError) else (value, where))
                    held += len(line)
                if len(batch) >= TYPING_BATCH or held >= TYPING_BATCH_BYTES:
                    yield from self.from_values(batch, source)
                    batch, held = [], 0
            yield from self.from_values(batch, source)

    def yaml_file(self, path: Path, source: str) -> Iterator[Item]:
        """A YAML file: one record per document (at most `units_per_file`)."""
        data = read_bounded(path, self.limits.record_file_bytes, source)
        try:
            text = data.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            yield RecordError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})", key="not_utf8")
            return
        diags = Diagnostics()
        try:
            docs = parse_yaml_documents(text, source, diags)
        except RecursionError:
            yield RecordError(source, "YAML nested too deeply", key="too_deep")
            return
        if diags:
            first = diags.sorted()[0]
            yield RecordError(source, first.message, str(first.location.line or ""), key="not_yaml",
                              error=first.message)
            return
        for n, node in enumerate(docs, 1):
            where = str(node.loc.line)
            if n > self.limits.units_per_file:
                yield self._too_many(source, where, len(docs))
                return
            if not isinstance(node, YMap):
                yield RecordError(source, "a record is a mapping with form, revision and fields", where,
                                  key="record_shape")
                continue
            yield self.from_mapping(to_plain(node), source, where)

    def csv_file(self, path: Path, source: str) -> Iterator[Item]:
        """A CSV file: a header naming at most `csv_columns` columns, then one record per row."""
        limits = self.limits
        data = read_bounded(path, limits.record_file_bytes, source)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield RecordError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                      "export the CSV as UTF-8", key="not_utf8")
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            yield RecordError(source, "empty CSV file (the first row names the columns)", key="csv_empty")
            return
        if len(header) > limits.csv_columns:
            yield RecordError(source, str(LimitExceeded("csv_columns", limits.csv_columns,
                                                        f"the header names {len(header)} columns")),
                              "1", key="csv_columns", columns=len(header), limit=limits.csv_columns)
            return
        if "form" not in header or "revision" not in header:
            yield RecordError(source, "the CSV needs the columns form and revision", "1", key="csv_header")
            return
        rows = 0
        while True:
            where = str(reader.line_num + 1)
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(source, f"damaged CSV row: {exc}", where, key="csv_damaged", error=str(exc))
                return
            if not any(cell.strip() for cell in row):
                continue
            where = str(reader.line_num)
            rows += 1
            if rows > limits.units_per_file:
                yield self._too_many(source, where)
                return
            if len(row) != len(header):
                yield RecordError(source, f"row has {len(row)} cells, the header names {len(header)} columns", where,
                                  key="csv_cells", cells=len(row), columns=len(header))
                continue
            if sum(map(len, row)) > limits.line_bytes:  # characters: never more than the row's bytes
                yield RecordError(source, str(LimitExceeded("line_bytes", limits.line_bytes, "row too long")),
                                  where, key="line_too_long", limit=limits.line_bytes)
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

    def _too_many(self, source: str, where: str, count: int | None = None) -> RecordError:
        """The one error that ends a file past `units_per_file` records; `count` is the file's total, if known."""
        limit = self.limits.units_per_file
        what = f"more than {limit} records" if count is None else f"{count} records"
        return RecordError(source, str(LimitExceeded("units_per_file", limit, f"{what}; the rest is not read")),
                           where, key="too_many_units", limit=limit)


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


def _lines(fh: BinaryIO, left: int, longest: int) -> Iterator[bytes | None]:
    """The next `left` bytes of `fh` line by line, each with its line end; None stands for a line of
    more than `longest` bytes, whose rest is read in blocks and dropped, never kept whole."""
    while left > 0:
        line = fh.readline(min(longest + 1, left))
        if not line:
            return
        left -= len(line)
        if line.endswith(b"\n") or len(line) <= longest:
            yield line
            continue
        while left > 0 and not line.endswith(b"\n"):
            line = fh.readline(min(SKIP_BLOCK, left))
            if not line:
                break
            left -= len(line)
        yield None


def _json_decoder(limits: Limits) -> json.JSONDecoder:
    """A JSON decoder whose numbers are bounded before conversion: integers stay int when within the
    bounds, other numbers become Decimal, and a literal past the bounds (or NaN, Infinity) becomes a
    RefusedValue that the entry holding it reports."""
    longest = min(limits.number_digits, limits.number_exponent + 1)

    def number(text: str) -> Any:
        try:
            return bounded_number(text, limits)
        except ValueError_ as exc:
            return RefusedValue(text, exc)

    def integer(text: str) -> Any:
        return int(text) if len(text) - (text[0] == "-") <= longest else number(text)

    def constant(text: str) -> RefusedValue:
        return RefusedValue(text, ValueError_(f'not a number: "{text}"', "not_a_number"))

    return json.JSONDecoder(parse_int=integer, parse_float=number, parse_constant=constant)


def _json_reason(exc: Exception) -> str:
    return exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)


def _json_line(exc: Exception) -> str:
    return str(exc.lineno) if isinstance(exc, json.JSONDecodeError) else ""


def _depth(value: Any, limit: int) -> int:
    """How deeply lists and mappings nest in `value` (a scalar is 0), counted no further than
    `limit` + 1 and without recursion: one level at a time, holding only the containers."""
    level = [value] if isinstance(value, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return depth
        below = []
        for item in level:
            for child in (item.values() if isinstance(item, dict) else item):
                if isinstance(child, (dict, list)):
                    below.append(child)
        level = below
    return depth


def _plain(value: Any, limit: int, longest: int) -> bool:
    """Whether orjson's `value` is what the standard decoder gives for the same text: no float (the
    standard decoder bounds the literal and keeps it a Decimal), no integer of `longest` or more (it
    bounds those too), and lists and mappings nested at most `limit` deep. Walked one level at a time."""
    level = [value] if type(value) in (dict, list) else []
    if type(value) is float or (type(value) is int and not -longest < value < longest):
        return False
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return False
        below = []
        for item in level:
            for child in (item.values() if type(item) is dict else item):
                kind = type(child)
                if kind is str or kind is bool or child is None:
                    continue
                if kind is dict or kind is list:
                    below.append(child)
                elif kind is float or (kind is int and not -longest < child < longest):
                    return False
        level = below
    return True
