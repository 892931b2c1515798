"""What a form's own definition requires of every record, whatever the rules say.

A form marks entries required, gives numbers a range and tables a minimum of rows; the same
definition that draws the blank form is checked here on the filled record:

- `QMS-REQUIRED`: a required entry, signature part (name or date), table column (in each
  filled row) or minimum number of rows is missing;
- `QMS-VALUE`: an entry cannot be read, is not a real date, or is outside the form's range;
- `QMS-FUTURE`: a date that records something done (a signature's date, a date or date-time
  field, a date column of a filled row: any date the form does not mark `planned: true`) is
  after the audit date. Planned dates (deadlines, due dates, planned deliveries) may lie ahead.

A blank that a rule of the form reports itself (`required`, `signatures`, `deadline`) is left
to that rule, so it is reported once, citing the most specific clause; so is a date after the
audit date in a field such a rule claims.

A record is dated by the first filled field of its form's `dating_fields()` (`record_dating`):
`dated_by:`, else the first date field that is not planned; then the signatures; then the other
done dates. A record with no date at all is reported once (`undated_issue`, QMS-UNDATED).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from qmsdoc.checker.kinds import Context, Issue, show_number
from qmsdoc.model.documents import DATE_TYPES, Field, FieldType, Form
from qmsdoc.model.records import Record


@dataclass(frozen=True)
class FormChecks:
    """The checks one form's definition implies, worked out once per form."""

    required: tuple[Field, ...]
    signatures: tuple[Field, ...]
    columns: tuple[tuple[Field, Field], ...]
    ranges: tuple[tuple[Field, Field | None], ...]
    min_rows: tuple[Field, ...]
    done_dates: tuple[tuple[Field, Field | None], ...]
    """The dates that record something done (not planned), each with its table for a column: a date after
    the audit date is a finding (signatures by their date part)."""


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
    done: list[tuple[Field, Field | None]] = [
        (f, None) for f in fields
        if (f.type == FieldType.SIGNATURE or (f.type in DATE_TYPES and not f.planned)) and f.id not in claimed]
    done += [(c, t) for t in fields if t.type == FieldType.TABLE for c in t.columns
             if c.type in DATE_TYPES and not c.planned]
    return FormChecks(required, signatures, columns, tuple(ranges), min_rows, tuple(done))


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
    as_of = ctx.as_of
    for done, in_table in checks.done_dates:
        if in_table is None:  # the common case, looked at without a generator: a date not after the audit date
            value = values.get(done.id)
            if value is None:
                continue
            if done.type == FieldType.SIGNATURE:
                value = value.get("date") if isinstance(value, dict) else None
            if value.__class__ is dt.date and value <= as_of:
                continue
        for tag, label, date in _dates(values, done, in_table):
            if ctx.day(date) > as_of:
                shown = ctx.show(date)
                yield "QMS-FUTURE", Issue("future", (tag,), "check_future",
                                          {"field": label, "value": shown, "as_of": ctx.as_of.isoformat()},
                                          f"≤ {ctx.as_of.isoformat()}", {tag: shown})


def _dates(values: dict[str, Any], f: Field, table: Field | None) -> Iterator[tuple[str, str, dt.date]]:
    """(tag, label, date or date-time) of a done date on the record: a signature's date, a field, or a
    column in each filled row."""
    if table is not None:
        for n, row in enumerate(values.get(table.id) or (), 1):
            value = row.get(f.id)
            if isinstance(value, dt.date):
                yield f"{table.id}.{n}.{f.id}", f"{table.label}/{f.label}", value
        return
    value = values.get(f.id)
    if f.type == FieldType.SIGNATURE:
        value = value.get("date") if isinstance(value, dict) else None
        if isinstance(value, dt.date):
            yield f"{f.id}.date", f.label, value
    elif isinstance(value, dt.date):
        yield f.id, f.label, value


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
    """The field that dates a form's records when it is filled: its `dated_by`, else its first date field
    that is not planned (None: the form has neither; its records are dated by a signature, if any)."""
    if form.dated_by is not None:
        return form.dated_by
    return next((f.id for f in form.fields().values() if f.type in DATE_TYPES and not f.planned), None)


def record_dating(form: Form, record: Record, ctx: Context) -> tuple[str, dt.date] | None:
    """What dates the record: (the tag of the field, its day) for the first filled field of the form's
    `dating_fields()` (a signature by its date, `sig.date`); None when none is filled."""
    values = record.fields
    for f in form.dating_fields():
        value = values.get(f.id)
        tag = f.id
        if f.type == FieldType.SIGNATURE:
            value = value.get("date") if isinstance(value, dict) else None
            tag = f"{f.id}.date"
        if isinstance(value, dt.date):
            return tag, ctx.day(value)
    return None


def record_day(form: Form, record: Record, ctx: Context) -> dt.date | None:
    """The record's date (see `record_dating`). It decides which revisions (of the form and of the
    procedures whose rules judge it) were in force, and where the audited period starts."""
    dating = record_dating(form, record, ctx)
    return dating[1] if dating is not None else None


def undated_issue(form: Form, record: Record, ctx: Context) -> Issue | None:
    """The one issue of a record that has no date at all (QMS-UNDATED): none of the fields that could date
    it is filled with a readable date, so the revisions in force on its date cannot be decided and it is
    judged by those in force on the audit date. None when it has a date, or its form has no such field."""
    candidates = form.dating_fields()
    if not candidates or record_dating(form, record, ctx) is not None:
        return None
    first = candidates[0]
    tag = f"{first.id}.date" if first.type == FieldType.SIGNATURE else first.id
    return Issue("missing", (tag,), "check_undated",
                 {"fields": ctx.join(f.label for f in candidates), "as_of": ctx.as_of.isoformat()})
