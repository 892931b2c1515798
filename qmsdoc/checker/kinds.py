"""How each kind of rule judges one record: pure functions from (rule, record view) to issues,
named by kind in the engine's `CHECKS`.

An `Issue` is a finding before it is dressed with the rule's code, clause and record: the
outcome, the fields involved, the values seen, what was expected and the message's
placeholders. Nothing here reads files or the clock; the audit date comes in the context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from qmsdoc.checker.calendar import NotCovered, WorkCalendar
from qmsdoc.model.documents import Form
from qmsdoc.model.labels import Labels
from qmsdoc.model.records import FieldProblem, Record
from qmsdoc.model.rules import (
    Allowed,
    Amount,
    Deadline,
    Env,
    Expect,
    Expr,
    FieldRef,
    LeadTime,
    Limit,
    Order,
    Required,
    Rule,
    Signatures,
)


@dataclass(frozen=True)
class Issue:
    """One way a record fails a rule; `key` names the default message in the label catalogue."""

    outcome: str
    fields: tuple[str, ...]
    key: str
    names: dict[str, Any]
    expected: str | None = None
    values: dict[str, str] = field(default_factory=dict)


class Context:
    """What every check may know besides the record: the audit date, calendar, zone and labels."""

    def __init__(self, as_of: dt.date, calendar: WorkCalendar, timezone: str, labels: Labels):
        self.as_of = as_of
        self.calendar = calendar
        self.tz = ZoneInfo(timezone)
        self.labels = labels
        self.separator = labels.texts.get("check_list_separator", ", ")

    def show(self, value: Any) -> str:
        """A value as a finding prints it."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return self.labels["check_yes"] if value else self.labels["check_no"]
        if isinstance(value, dt.datetime):
            v = value if value.tzinfo is self.tz else value.astimezone(self.tz)
            return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}"
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return show_number(value)
        if isinstance(value, dict):
            return " ".join(self.show(v) for v in value.values() if v is not None)
        if isinstance(value, list):
            return self.join(self.show(v) for v in value)
        return str(value)

    def join(self, items: Any) -> str:
        """A list as the site's language writes it: 甲、乙 or a, b."""
        return self.separator.join(items)

    def day(self, value: dt.date | dt.datetime) -> dt.date:
        if isinstance(value, dt.datetime):
            return (value if value.tzinfo is self.tz else value.astimezone(self.tz)).date()
        return value

    def unit(self, unit: str) -> str:
        return self.labels[f"check_unit_{unit}"]


class View(Env):
    """One record as a rule sees it: fields, the matched record, problems by tag, the form.

    It is also the environment its expressions evaluate in (`view.env is view`)."""

    __slots__ = ("form", "problems", "record")

    def __init__(self, record: Record, form: Form, as_of: dt.date, match: Record | None = None):
        self.record = record
        self.form = form
        self.fields = record.fields
        self.match = match.fields if match is not None else None
        self.as_of = as_of
        self.problems: dict[str, FieldProblem] = {p.field: p for p in record.problems} if record.problems else {}

    @property
    def env(self) -> View:
        return self

    def value(self, ref: FieldRef) -> Any:
        if ref.in_match:
            return ref.get(self.match) if self.match is not None else None
        return ref.get(self.fields)

    def has_problem(self, ref: FieldRef) -> bool:
        if ref.in_match:
            return False
        tag = ref.field if ref.part is None or ref.is_column else f"{ref.field}.{ref.part}"
        return tag in self.problems


def show_number(value: Decimal) -> str:
    """A number written out plainly (1E+3 → 1000, 2.50 → 2.5), whatever its size: no rounding to precision."""
    whole = value.to_integral_value()
    if value == whole:
        return format(whole, "f")
    return format(value.normalize(), "f")


def blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


MAX_AMOUNT_DAYS = 36_500
"""The largest count of days (or its hours) date arithmetic is given: a hundred years, past any real
deadline; a param or expression beyond it cannot be evaluated rather than cost time or overflow."""


class CannotEvaluate(Exception):
    """A rule cannot be decided on this record (or set); the message says why."""


def amount(a: Amount, env: Env, unit: str = "calendar_days") -> int | None:
    """The whole number of days or hours `a` stands for; None when it is unknown or not whole.

    Raises CannotEvaluate beyond ±MAX_AMOUNT_DAYS days (or as many hours): the value is
    compared before it becomes an int, so a huge number costs nothing."""
    v = a if isinstance(a, int) else a.fn(env)
    if v is None:
        return None
    bound = MAX_AMOUNT_DAYS * (24 if unit == "hours" else 1)
    if not -bound <= v <= bound:
        text = getattr(a, "text", a)
        raise CannotEvaluate(f"{text} is {Decimal(v):.6g}, beyond ±{bound} {unit.replace('_', ' ')}")
    if v != int(v):
        return None
    return int(v)


def _future(ref: FieldRef, value: Any, ctx: Context) -> Issue:
    return Issue("future", (ref.path,), "check_future",
                 {"field": ref.label, "value": ctx.show(value), "as_of": ctx.as_of.isoformat()},
                 f"≤ {ctx.as_of.isoformat()}", {ref.path: ctx.show(value)})


def _is_future(value: Any, ctx: Context) -> bool:
    return value is not None and ctx.day(value) > ctx.as_of


# -- kinds ------------------------------------------------------------------------------


def required(rule: Rule, spec: Required, view: View, ctx: Context) -> list[Issue]:
    issues = []
    for ref in spec.fields:
        if ref.is_column:
            for n, row in enumerate(view.fields.get(ref.field) or (), 1):
                if blank(row.get(ref.part)) and f"{ref.field}.{n}.{ref.part}" not in view.problems:
                    issues.append(Issue("missing", (f"{ref.field}.{n}.{ref.part}",), "check_missing_row",
                                        {"field": ref.label, "row": n}))
            continue
        value = view.value(ref)
        if blank(value) and not view.has_problem(ref):
            key = "check_missing_checkbox" if ref.type == "bool" else "check_missing"
            issues.append(Issue("missing", (ref.path,), key, {"field": ref.label}))
    return issues


def signatures(rule: Rule, spec: Signatures, view: View, ctx: Context) -> list[Issue]:
    issues = []
    for ref in spec.fields:
        value = view.value(ref) or {}
        name, date = value.get("name"), value.get("date")
        bad_name = f"{ref.field}.name" in view.problems
        bad_date = f"{ref.field}.date" in view.problems
        names = {"field": ref.label}
        if name is None and date is None and not bad_name and not bad_date:
            issues.append(Issue("missing", (ref.path,), "check_sig_missing", names))
            continue
        if name is None and not bad_name:
            issues.append(Issue("missing", (f"{ref.path}.name",), "check_sig_no_name", names))
        if date is None and not bad_date:
            issues.append(Issue("missing", (f"{ref.path}.date",), "check_sig_no_date", names))
        if _is_future(date, ctx):
            issues.append(_future(FieldRef(f"{ref.path}.date", ref.field, "date", "date", ref.label), date, ctx))
    for a, b in spec.distinct:
        na, nb = _person(view.value(a)), _person(view.value(b))
        if na and nb and na == nb:
            issues.append(Issue("fail", (a.path, b.path), "check_sig_same",
                                {"field": a.label, "other": b.label, "value": na},
                                "different people", {a.path: na, b.path: nb}))
    return issues


def _person(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if not value:
        return None
    return "".join(str(value).split())


def order(rule: Rule, spec: Order, view: View, ctx: Context) -> list[Issue]:
    issues: list[Issue] = []
    values = []
    for ref in spec.fields:
        v = view.value(ref)
        if _is_future(v, ctx):
            issues.append(_future(ref, v, ctx))
            v = None
        values.append(v)
    for (ra, va), (rb, vb) in pairwise(zip(spec.fields, values, strict=True)):
        if va is None or vb is None:
            continue
        a: dt.date
        b: dt.date
        if isinstance(va, dt.datetime) and isinstance(vb, dt.datetime):
            a, b = va, vb
        else:
            a, b = ctx.day(va), ctx.day(vb)
        if b < a or (spec.strict and b == a):
            issues.append(Issue("fail", (rb.path, ra.path), "check_order_strict" if spec.strict else "check_order",
                                {"field": rb.label, "value": ctx.show(vb), "other": ra.label,
                                 "other_value": ctx.show(va)},
                                f"{rb.path} {'>' if spec.strict else '≥'} {ra.path}",
                                {rb.path: ctx.show(vb), ra.path: ctx.show(va)}))
    return issues


def deadline(rule: Rule, spec: Deadline, view: View, ctx: Context) -> list[Issue]:
    end_ref, start_ref = spec.end, spec.start
    end = view.value(end_ref)
    if end is None and view.has_problem(end_ref):
        return []
    if _is_future(end, ctx):
        return [_future(end_ref, end, ctx)]
    if spec.by is not None:
        due = spec.by.fn(view.env)
        if due is None:
            return []
        late = end is not None and (ctx.day(end) > due if spec.inclusive else ctx.day(end) >= due)
        overdue = end is None and (ctx.as_of > due if spec.inclusive else ctx.as_of >= due)
        if not (late or overdue):
            return []
        names = _deadline_names(end_ref, end, ctx, deadline=due.isoformat())
        expected = f"{'≤' if spec.inclusive else '<'} {due.isoformat()}"
        key = "check_deadline_by_late" if late else "check_deadline_by_overdue"
        return [Issue("fail", (end_ref.path,), key, names, expected, _shown(ctx, (end_ref, end)))]
    assert start_ref is not None and spec.within is not None
    start = view.value(start_ref)
    if start is None:
        # an optional start left blank means the event did not happen: nothing to time
        if view.has_problem(start_ref) or not start_ref.required:
            return []
        names = _deadline_names(end_ref, end, ctx, start_label=start_ref.label, unit=ctx.unit(spec.unit))
        return [Issue("missing", (start_ref.path,), "check_deadline_no_start", names)]
    if _is_future(start, ctx):
        return [_future(start_ref, start, ctx)]
    try:
        n = amount(spec.within, view.env, spec.unit)
    except CannotEvaluate as exc:
        n, reason = None, str(exc)
    else:
        reason = f"within: {getattr(spec.within, 'text', spec.within)} has no whole value"
    if n is None:
        return [Issue("cannot_evaluate", (start_ref.path,), "check_cannot_evaluate", {"reason": reason})]
    try:
        due, late, overdue = _due(spec, start, end, n, ctx)
    except (NotCovered, OverflowError) as exc:  # a calendar not known, or a date past year 9999
        return [Issue("cannot_evaluate", (start_ref.path, end_ref.path), "check_cannot_evaluate",
                      {"reason": str(exc)}, None, _shown(ctx, (start_ref, start), (end_ref, end)))]
    if not (late or overdue):
        return []
    names = _deadline_names(end_ref, end, ctx, start_label=start_ref.label, unit=ctx.unit(spec.unit),
                            start=ctx.show(start), within=n, deadline=ctx.show(due))
    key = "check_deadline_late" if late else "check_deadline_overdue"
    return [Issue("fail", (end_ref.path, start_ref.path), key, names, f"≤ {ctx.show(due)}",
                  _shown(ctx, (end_ref, end), (start_ref, start)))]


def _deadline_names(end_ref: FieldRef, end: Any, ctx: Context, **more: Any) -> dict[str, Any]:
    shown = ctx.show(end)
    return {"end_label": end_ref.label, "end": shown, "field": end_ref.label, "value": shown, **more}


def _shown(ctx: Context, *pairs: tuple[FieldRef, Any]) -> dict[str, str]:
    """The values a finding reports: each present value as shown, by field path."""
    return {ref.path: ctx.show(value) for ref, value in pairs if value is not None}


def _due(spec: Deadline, start: Any, end: Any, n: int, ctx: Context) -> tuple[Any, bool, bool]:
    """(deadline, done late, not done and overdue); the calendar is asked only when it matters."""
    if spec.unit == "hours":
        due = start + dt.timedelta(hours=n)
        late = end is not None and end > due
        overdue = end is None and ctx.as_of > ctx.day(due)
        return due, late, overdue
    first = ctx.day(start)
    if spec.unit == "working_days":
        due_day = ctx.calendar.add_working_days(first, n)
    else:
        due_day = first + dt.timedelta(days=n)
        done = ctx.day(end) if end is not None else ctx.as_of
        if spec.roll and done > due_day:
            due_day = ctx.calendar.next_working_day(due_day)
    late = end is not None and ctx.day(end) > due_day
    overdue = end is None and ctx.as_of > due_day
    return due_day, late, overdue


def lead_time(rule: Rule, spec: LeadTime, view: View, ctx: Context) -> list[Issue]:
    notice, event = view.value(spec.notice), view.value(spec.event)
    if notice is None or event is None:
        return []
    if _is_future(notice, ctx):
        return [_future(spec.notice, notice, ctx)]
    unit = ctx.unit(spec.unit)
    try:
        n = amount(spec.at_least, view.env, spec.unit)
        if n is None:
            return []
        if spec.unit == "hours":
            gap_hours = (event - notice).total_seconds() / 3600
            if gap_hours >= n:
                return []
            actual = f"{show_number(Decimal(str(round(gap_hours, 1))))} {unit}"
        else:
            if spec.unit == "working_days":
                gap = ctx.calendar.working_days_between(ctx.day(notice), ctx.day(event))
            else:
                gap = (ctx.day(event) - ctx.day(notice)).days
            if gap >= n:
                return []
            actual = f"{gap} {unit}"
    except (NotCovered, CannotEvaluate, OverflowError) as exc:
        return [Issue("cannot_evaluate", (spec.notice.path, spec.event.path), "check_cannot_evaluate",
                      {"reason": str(exc)}, None, _shown(ctx, (spec.notice, notice), (spec.event, event)))]
    shown_notice, shown_event = ctx.show(notice), ctx.show(event)
    values = {spec.notice.path: shown_notice, spec.event.path: shown_event}
    names = {"notice_label": spec.notice.label, "notice": shown_notice, "event_label": spec.event.label,
             "event": shown_event, "actual": actual, "at_least": n, "unit": unit,
             "field": spec.notice.label, "value": shown_notice}
    return [Issue("fail", (spec.notice.path, spec.event.path), "check_lead_short", names,
                  f"≥ {n} {unit}", values)]


def allowed(rule: Rule, spec: Allowed, view: View, ctx: Context) -> list[Issue]:
    ref = spec.field
    labels = {o.value: o.label for o in view.form.fields()[ref.field].options} if not ref.is_column else \
        {o.value: o.label for c in view.form.fields()[ref.field].columns if c.id == ref.part for o in c.options}
    listed = spec.values or spec.forbidden
    expected = ctx.join(labels.get(v, v) for v in listed)
    candidates: list[tuple[str, Any]] = []
    if ref.is_column:
        for n, row in enumerate(view.fields.get(ref.field) or (), 1):
            candidates.append((f"{ref.field}.{n}.{ref.part}", row.get(ref.part)))
    else:
        candidates.append((ref.path, view.value(ref)))
    issues = []
    for path, value in candidates:
        for item in (value if isinstance(value, list) else [value]):
            if item is None:
                continue
            bad = item not in spec.values if spec.values else item in spec.forbidden
            if bad:
                shown = labels.get(item) or str(item)
                issues.append(Issue("fail", (path,), "check_allowed" if spec.values else "check_forbidden",
                                    {"field": ref.label, "value": shown, "expected": expected},
                                    ("∈ " if spec.values else "∉ ") + expected, {path: shown}))
    return issues


def limit(rule: Rule, spec: Limit, view: View, ctx: Context) -> list[Issue]:
    value = spec.value.fn(view.env)
    if value is None:
        return []
    env = view.env
    for bound_expr, key, symbol in ((spec.max, "check_limit_max", "≤"), (spec.min, "check_limit_min", "≥"),
                                    (spec.equals, "check_limit_equals", "=")):
        if bound_expr is None:
            continue
        bound = bound_expr.fn(env)
        if bound is None:
            continue
        if (value > bound) if symbol == "≤" else (value < bound) if symbol == "≥" else (value != bound):
            shown, limit_shown = show_number(value), show_number(bound)
            return [Issue("fail", tuple(r.path for r in spec.value.refs) or (spec.value.text,), key,
                          {"field": _expr_label(spec.value, view), "value": shown, "expected": limit_shown},
                          f"{symbol} {limit_shown}", {spec.value.text: shown})]
    return []


def _expr_label(expr: Expr, view: View) -> str:
    if len(expr.refs) == 1 and expr.text.strip() == expr.refs[0].path:
        return expr.refs[0].label
    return expr.text


def expect(rule: Rule, spec: Expect, view: View, ctx: Context) -> list[Issue]:
    if spec.condition.fn(view.env) is not False:
        return []
    values = {r.path: ctx.show(view.value(r)) for r in spec.condition.refs}
    return [Issue("fail", tuple(dict.fromkeys(r.path for r in spec.condition.refs)), "check_expect",
                  {"expected": spec.condition.text}, spec.condition.text, values)]
