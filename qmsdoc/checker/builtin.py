"""What a form's own definition requires of every record, whatever the rules say.

A form marks entries required, gives numbers a range and tables a minimum of rows; the same
definition that draws the blank form is checked here on the filled record:

- `QMS-REQUIRED`: a required entry, signature part (name or date), table column (in each
  filled row) or minimum number of rows is missing;
- `QMS-VALUE`: an entry cannot be read, is not a real date, or is outside the form's range;
- `QMS-FUTURE`: a signature is dated after the audit date.

A blank that a rule of the form reports itself (`required`, `signatures`, `deadline`) is left
to that rule, so it is reported once, citing the most specific clause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from qmsdoc.checker.kinds import Context, Issue, show_number
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.records import Record


@dataclass(frozen=True)
class FormChecks:
    """The checks one form's definition implies, worked out once per form."""

    required: tuple[Field, ...]
    signatures: tuple[Field, ...]
    columns: tuple[tuple[Field, Field], ...]
    ranges: tuple[tuple[Field, Field | None], ...]
    min_rows: tuple[Field, ...]
    dated_signatures: tuple[Field, ...]


def form_checks(form: Form, claimed: set[str], claimed_columns: set[tuple[str, str]]) -> FormChecks:
    fields = list(form.fields().values())
    required = tuple(f for f in fields if f.required and f.id not in claimed
                     and f.type not in (FieldType.CHECKBOX, FieldType.SIGNATURE))
    signatures = tuple(f for f in fields if f.required and f.id not in claimed and f.type == FieldType.SIGNATURE)
    columns = tuple((t, c) for t in fields if t.type == FieldType.TABLE for c in t.columns
                    if c.required and c.type != FieldType.CHECKBOX and (t.id, c.id) not in claimed_columns)
    ranges: list[tuple[Field, Field | None]] = [(f, None) for f in fields if _ranged(f)]
    ranges += [(c, t) for t in fields if t.type == FieldType.TABLE for c in t.columns if _ranged(c)]
    min_rows = tuple(t for t in fields if t.type == FieldType.TABLE and t.min_rows > 0)
    dated = tuple(f for f in fields if f.type == FieldType.SIGNATURE and f.id not in claimed)
    return FormChecks(required, signatures, columns, tuple(ranges), min_rows, dated)


def _ranged(f: Field) -> bool:
    return f.type in (FieldType.NUMBER, FieldType.MONEY) and (f.minimum is not None or f.maximum is not None)


def form_issues(checks: FormChecks, record: Record, taken: set[str], ctx: Context) -> Iterator[tuple[str, Issue]]:
    """(built-in code, issue) for one record; `taken` holds fields rules that applied report themselves."""
    values = record.fields
    troubled = {p.field.split(".")[0] for p in record.problems} if record.problems else set()
    problem_tags = {p.field for p in record.problems} if record.problems else set()
    for f in checks.required:
        value = values.get(f.id)
        if (value is None or value == "" or value == []) and f.id not in troubled and f.id not in taken:
            yield "QMS-REQUIRED", Issue("missing", (f.id,), "check_missing", {"field": f.label})
    for f in checks.signatures:
        if f.id in taken:
            continue
        value = values.get(f.id)
        if value is None:
            if f.id not in troubled:
                yield "QMS-REQUIRED", Issue("missing", (f.id,), "check_sig_missing", {"field": f.label})
            continue
        for part, key in (("name", "check_sig_no_name"), ("date", "check_sig_no_date")):
            tag = f"{f.id}.{part}"
            if value.get(part) is None and tag not in problem_tags:
                yield "QMS-REQUIRED", Issue("missing", (tag,), key, {"field": f.label})
    for table, column in checks.columns:
        for n, row in enumerate(values.get(table.id) or (), 1):
            tag = f"{table.id}.{n}.{column.id}"
            cell = row.get(column.id)
            if (cell is None or cell == "") and tag not in problem_tags:
                yield "QMS-REQUIRED", Issue("missing", (tag,), "check_missing_row",
                                            {"field": f"{table.label}/{column.label}", "row": n})
    for table in checks.min_rows:
        rows = values.get(table.id) or []
        if rows and len(rows) < table.min_rows:
            yield "QMS-REQUIRED", Issue("missing", (table.id,), "check_min_rows",
                                        {"field": table.label, "count": len(rows), "at_least": table.min_rows},
                                        f"≥ {table.min_rows}", {table.id: str(len(rows))})
    for f, in_table in checks.ranges:
        for tag, value in _numbers(values, f, in_table):
            if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
                expected = f"{show_number(f.minimum) if f.minimum is not None else ''}–" \
                           f"{show_number(f.maximum) if f.maximum is not None else ''}"
                label = f"{in_table.label}/{f.label}" if in_table else f.label
                yield "QMS-VALUE", Issue("fail", (tag,), "check_out_of_range",
                                         {"field": label, "value": show_number(value), "expected": expected},
                                         expected, {tag: show_number(value)})
    for f in checks.dated_signatures:
        signature = values.get(f.id)
        date = signature.get("date") if signature else None
        if date is not None and date > ctx.as_of:
            yield "QMS-FUTURE", Issue("future", (f"{f.id}.date",), "check_future",
                                      {"field": f.label, "value": ctx.show(date), "as_of": ctx.as_of.isoformat()},
                                      f"≤ {ctx.as_of.isoformat()}", {f"{f.id}.date": ctx.show(date)})


def _numbers(values: dict[str, Any], f: Field, table: Field | None) -> Iterator[tuple[str, Decimal]]:
    if table is None:
        value = values.get(f.id)
        if isinstance(value, Decimal):
            yield f.id, value
        return
    for n, row in enumerate(values.get(table.id) or (), 1):
        value = row.get(f.id)
        if isinstance(value, Decimal):
            yield f"{table.id}.{n}.{f.id}", value


def dated_field(form: Form) -> str | None:
    """The field that dates a form's records: its `dated_by`, else its first date field (None: none)."""
    if form.dated_by is not None:
        return form.dated_by
    return next((fid for fid, f in form.fields().items() if f.type in (FieldType.DATE, FieldType.DATETIME)), None)


def record_day(form: Form, record: Record, ctx: Context) -> dt.date | None:
    """The record's date: its form's `dated_by` field, else its first date field. It decides which
    revisions (of the form and of the procedures whose rules judge it) were in force, and where the
    audited period starts."""
    values = record.fields
    if form.dated_by is not None:
        value = values.get(form.dated_by)
        if isinstance(value, dict):
            value = value.get("date")
        return ctx.day(value) if value is not None else None
    for fid, f in form.fields().items():
        if f.type in (FieldType.DATE, FieldType.DATETIME):
            value = values.get(fid)
            return ctx.day(value) if value is not None else None
    return None
