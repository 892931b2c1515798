"""How each kind of rule judges one record: pure functions from (rule, record view) to issues,
named by kind in the engine's `CHECKS`.

An `Issue` is a finding before it is dressed with the rule's code, clause and record: the
outcome, the fields involved, the values seen, what was expected, the message's placeholders
and, for deadlines, the due date. Nothing here reads files or the clock; the audit date comes
in the context.

Every kind decides or says it cannot (docs/rule-format.md, "Unknown is never a pass"): an expression
without a value is *cannot evaluate* with the reason, unless its unknown is already on the report
at its cause (an entry the form requires left blank: QMS-REQUIRED; an entry that cannot be read:
QMS-VALUE) or nothing was recorded for the check to judge; a `when:` unknown only because of blank
entries does not apply. A date-time entry given as a date alone (`DateOnly`) is decided only when
every time of that day gives the same answer. A deadline whose completion is not filled in and
whose last day has not passed is an open item (outcome `open`, with its due date), not a finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import field
from decimal import Decimal
from itertools import pairwise
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from qmsdoc.checker.calendar import NotCovered, WorkCalendar
from qmsdoc.checker.periods import add_period
from qmsdoc.model.documents import Form
from qmsdoc.model.labels import Labels
from qmsdoc.model.records import DateOnly, FieldProblem, Record, completions
from qmsdoc.model.rules import (
    Allowed,
    Amount,
    Deadline,
    Env,
    Expect,
    Expr,
    Failed,
    FieldRef,
    LeadTime,
    Limit,
    Order,
    Required,
    Rule,
    Signatures,
)
from qmsdoc.model.value_class import value_class


@value_class  # made once per finding: frozen for the type checker (model/value_class.py)
class Issue:
    """One way a record fails a rule; `key` names the default message in the label catalogue."""

    outcome: str
    fields: tuple[str, ...]
    key: str
    names: dict[str, Any]
    expected: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    due: dt.date | None = None
    """The last day of the deadline the issue is about (open, overdue, late), else None."""


class Context:
    """What every check may know besides the record: the audit date, calendar, zone and labels."""

    def __init__(self, as_of: dt.date, calendar: WorkCalendar, timezone: str, labels: Labels):
        self.as_of = as_of
        self.calendar = calendar
        self.tz = ZoneInfo(timezone)
        self.labels = labels
        self.separator = labels.texts.get("check_list_separator", ", ")

    def show(self, value: Any) -> str:
        """A value as a finding prints it (a date-time to the minute, a `DateOnly` as the date it is)."""
        kind = value.__class__
        if kind is str:  # the common cases, first
            return value
        if kind is dt.date:
            return value.isoformat()
        if kind is dt.datetime:  # to the minute, in the site's zone (%-formatting is the quickest way)
            v = value if value.tzinfo is self.tz else value.astimezone(self.tz)
            return "%04d-%02d-%02d %02d:%02d" % (v.year, v.month, v.day, v.hour, v.minute)  # noqa: UP031
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

    def join(self, items: Iterable[Any]) -> str:
        """A list as the site's language writes it: 甲、乙 or a, b."""
        return self.separator.join(items)

    def day(self, value: dt.date | dt.datetime) -> dt.date:
        """The day of a date or date-time, in the site's zone; always a plain `datetime.date`."""
        if value.__class__ is dt.date:  # the common case, first
            return value
        if isinstance(value, dt.datetime):
            return (value if value.tzinfo is self.tz else value.astimezone(self.tz)).date()
        if isinstance(value, DateOnly):
            return value.as_date()
        return value

    def span(self, value: dt.datetime | dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The first and last minute a date-time entry may stand for: the minute written, or every minute
        of the day for a `DateOnly` (00:00–23:59 in the site's zone)."""
        return completions(value, self.tz)

    def unit(self, unit: str) -> str:
        return self.labels[f"check_unit_{unit}"]

    def reason(self, key: str, text: str, **params: Any) -> str:
        """Why something cannot be decided, in the site's language (`reason_<key>`; `text` when the
        catalogue has no such reason)."""
        template = self.labels.texts.get(f"reason_{key}")
        if template is None:
            return text
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return text

    def duration(self, minutes: int) -> str:
        """A duration in whole hours and minutes, never rounded up: 23 小时 59 分, 48 小时, 30 分钟."""
        sign = "-" if minutes < 0 else ""
        hours, rest = divmod(abs(minutes), 60)
        if not rest:
            return sign + self.labels.format("check_duration_h", hours=hours)
        if not hours:
            return sign + self.labels.format("check_duration_m", minutes=rest)
        return sign + self.labels.format("check_duration_hm", hours=hours, minutes=rest)

    def deadline_text(self, due: Any, rolled_from: dt.date | None = None) -> str:
        """The deadline as a message shows it; a last day moved by the non-working-day roll says so:
        2025-10-09（2025-10-06 为法定节假日，顺延）."""
        shown = self.show(due)
        if rolled_from is None:
            return shown
        why = self.labels[f"check_why_{self.calendar.why_not_working(rolled_from)}"]
        return self.labels.format("check_rolled", deadline=shown, day=rolled_from.isoformat(), why=why)


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


def absent(value: Any) -> bool:
    """A value an expression cannot use: an entry left blank (an unticked checkbox is `false`, a value)."""
    return value is None or value == "" or value == []


MAX_AMOUNT_DAYS = 36_500
"""The largest count of days (or its hours, months or years: 1,216 months, 100 years) date arithmetic is
given: a hundred years, past any real deadline; a param or expression beyond it cannot be evaluated
rather than cost time or overflow."""


class CannotEvaluate(Exception):
    """A rule cannot be decided on this record (or set); the message says why, in the site's language
    when it was raised with a context."""


# -- unknown values ---------------------------------------------------------------------------


class Unknown(NamedTuple):
    """Why an expression has no value on a record: the entries it reads that are blank or unreadable
    (`absent`), or the computation that failed (`failed`), with every entry it reads (`refs`) and how
    many of them hold something (`recorded`: not blank, and for a checkbox, ticked)."""

    absent: tuple[FieldRef, ...]
    failed: Failed | None
    refs: tuple[FieldRef, ...]
    recorded: int = 0

    def only_blanks(self) -> bool:
        """Unknown only because entries are blank or unreadable, not because a computation failed."""
        return self.failed is None

    def reported_elsewhere(self, env: Env) -> bool:
        """Unknown only because of entries the record's own checks report: required ones left blank
        (QMS-REQUIRED, or the rule that reports that blank) and ones that cannot be read (QMS-VALUE)."""
        return self.failed is None and bool(self.absent) and all(
            ref.required or _has_problem(env, ref) for ref in self.absent)

    def nothing_recorded(self) -> bool:
        """Unknown, and every entry it reads is blank, unreadable or an unticked checkbox (as on the blank
        form): there is nothing to judge."""
        return self.failed is None and not self.recorded


def evaluate(expr: Expr, env: Env) -> Any:
    """The value of `expr` on a record, or an `Unknown` saying why it has none."""
    value = expr.fn(env)
    if value is None:
        refs = _distinct(expr.refs)
        values = [_value(env, r) for r in refs]
        missing = tuple(r for r, v in zip(refs, values, strict=True) if absent(v))
        recorded = sum(1 for v in values if not absent(v) and v is not False)
        return Unknown(missing, None, refs, recorded)
    if value.__class__ is Failed:
        return Unknown((), value, _distinct(expr.refs), 1)
    return value


def why_unknown(unknown: Unknown, env: Env, ctx: Context | None) -> str:
    """The reason an expression has no value, in the site's language: the blank or unreadable entries
    by their labels, or what could not be computed."""
    failed = unknown.failed
    if ctx is None:
        return failed.text if failed is not None else "blank or unreadable: " + ", ".join(
            r.path for r in unknown.absent)
    if failed is not None:
        params = dict(failed.params)
        if failed.key == "time_not_recorded":
            dated = [r for r in unknown.refs if isinstance(_value(env, r), DateOnly)]
            params.update(field=ctx.join(r.label for r in dated),
                          value=ctx.join(ctx.show(_value(env, r)) for r in dated))
        return ctx.reason(failed.key, failed.text, **params)
    unreadable = [r for r in unknown.absent if _has_problem(env, r)]
    blanks = [r for r in unknown.absent if not _has_problem(env, r)]
    parts = []
    if blanks:
        labels = ctx.join(dict.fromkeys(r.label for r in blanks))
        parts.append(ctx.reason("blank", f"{labels} is blank", field=labels))
    if unreadable:
        labels = ctx.join(dict.fromkeys(r.label for r in unreadable))
        parts.append(ctx.reason("unreadable_entry", f"{labels} cannot be read", field=labels))
    return ctx.join(parts) or ctx.reason("no_value", "the expression has no value")


def cannot_evaluate(reason: str, fields: Iterable[str] = (), values: dict[str, str] | None = None,
                    key: str = "check_cannot_evaluate") -> Issue:
    return Issue("cannot_evaluate", tuple(dict.fromkeys(fields)), key, {"reason": reason}, None, values or {})


def _value(env: Env, ref: FieldRef) -> Any:
    if ref.in_match:
        return ref.get(env.match) if env.match is not None else None
    return ref.get(env.fields)


def _has_problem(env: Env, ref: FieldRef) -> bool:
    return isinstance(env, View) and env.has_problem(ref)


def _distinct(refs: tuple[FieldRef, ...]) -> tuple[FieldRef, ...]:
    return tuple({r.path: r for r in refs}.values())


def _paths(refs: Iterable[FieldRef]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.path for r in refs))


def applies(when: Expr, view: View, ctx: Context) -> bool | Issue:
    """Whether a rule with the condition `when` applies to the record: True, False, or the issue saying
    it cannot tell. A condition unknown only because entries are blank (or cannot be read) does not
    apply: an optional entry left blank was not recorded, and a required one's blank (or an unreadable
    entry) is reported by the record's own checks. A computation without an answer, or a time of day
    the record does not give, is reported: cannot tell whether the rule applies."""
    value = when.fn(view)
    if value is True or value is False:
        return value
    unknown = evaluate(when, view)
    if not isinstance(unknown, Unknown):
        return bool(unknown)
    if unknown.only_blanks():
        return False
    values = {r.path: ctx.show(_value(view, r)) for r in unknown.refs if not absent(_value(view, r))}
    return cannot_evaluate(why_unknown(unknown, view, ctx), _paths(unknown.absent or unknown.refs), values,
                           "check_cannot_tell")


def amount(a: Amount, env: Env, unit: str = "calendar_days", ctx: Context | None = None) -> int:
    """The whole number of days, hours, months or years `a` stands for.

    Raises CannotEvaluate when it has no value (saying why, in the site's language with `ctx`), is not
    whole, or lies beyond ±MAX_AMOUNT_DAYS days (or as many hours, months or years): the value is
    compared before it becomes an int, so a huge number costs nothing."""
    v: Any = a if isinstance(a, int) else evaluate(a, env)
    if isinstance(v, Unknown):
        text, why = _amount_text(a), why_unknown(v, env, ctx)
        english = f"{text} has no value: {why}"
        raise CannotEvaluate(ctx.reason("amount_unknown", english, expr=text, reason=why) if ctx else english)
    bound = MAX_AMOUNT_DAYS * 24 if unit == "hours" else MAX_AMOUNT_DAYS // 30 if unit == "months" else \
        MAX_AMOUNT_DAYS // 365 if unit == "years" else MAX_AMOUNT_DAYS
    if not -bound <= v <= bound:  # said as it always was: tests and scripts match this text
        raise CannotEvaluate(f"{_amount_text(a)} is {Decimal(v):.6g}, beyond ±{bound} {unit.replace('_', ' ')}")
    whole = int(v)
    if v != whole:
        text, shown = _amount_text(a), show_number(Decimal(v))
        english = f"{text} is {shown}, not a whole number of {unit.replace('_', ' ')}"
        raise CannotEvaluate(ctx.reason("not_whole", english, expr=text, value=shown, unit=ctx.unit(unit))
                             if ctx else english)
    return whole


def _amount_text(a: Amount) -> str:
    return a.text if isinstance(a, Expr) else str(a)


def _future(ref: FieldRef, value: Any, ctx: Context) -> Issue:
    return Issue("future", (ref.path,), "check_future",
                 {"field": ref.label, "value": ctx.show(value), "as_of": ctx.as_of.isoformat()},
                 f"≤ {ctx.as_of.isoformat()}", {ref.path: ctx.show(value)})


def _is_future(value: Any, ctx: Context, ref: FieldRef | None = None) -> bool:
    """A date after the audit date, on an entry that records something done (never a planned date)."""
    return value is not None and not (ref is not None and ref.planned) and ctx.day(value) > ctx.as_of


def _timed(value: Any) -> bool:
    """A date-time entry's value: a date-time, or a date given without its time (`DateOnly`)."""
    return isinstance(value, (dt.datetime, DateOnly))


def _undecided_time(refs_values: Iterable[tuple[FieldRef, Any]], ctx: Context) -> Issue:
    """The issue of a comparison that the missing time of day of `DateOnly` entries leaves open."""
    pairs = list(refs_values)
    dated = [(r, v) for r, v in pairs if isinstance(v, DateOnly)]
    reason = ctx.reason("time_not_recorded", "the time of day is not recorded",
                        field=ctx.join(r.label for r, _ in dated), value=ctx.join(ctx.show(v) for _, v in dated))
    return cannot_evaluate(reason, (r.path for r, _ in pairs), _shown(ctx, *pairs))


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
    """Each date on or after the one before it. Two date-times compare to the minute; a date with a
    date-time compares by day; a date-time given as a date alone is decided only when every time of
    its day gives the same answer."""
    fields = spec.fields
    raw = [view.value(ref) for ref in fields]
    if _plainly_in_order(fields, raw, spec.strict, ctx.as_of):
        return []
    issues: list[Issue] = []
    values = []
    for ref, v in zip(fields, raw, strict=True):
        if _is_future(v, ctx, ref):
            issues.append(_future(ref, v, ctx))
            v = None
        values.append(v)
    for (ra, va), (rb, vb) in pairwise(zip(spec.fields, values, strict=True)):
        if va is None or vb is None:
            continue
        if _timed(va) and _timed(vb):
            (a_first, a_last), (b_first, b_last) = ctx.span(va), ctx.span(vb)
            if (b_first > a_last) if spec.strict else (b_first >= a_last):
                continue  # in order whatever the times not recorded
            if not ((b_last <= a_first) if spec.strict else (b_last < a_first)):
                issues.append(_undecided_time(((rb, vb), (ra, va)), ctx))
                continue
        else:
            a, b = ctx.day(va), ctx.day(vb)
            if not (b < a or (spec.strict and b == a)):
                continue
        issues.append(Issue("fail", (rb.path, ra.path), "check_order_strict" if spec.strict else "check_order",
                            {"field": rb.label, "value": ctx.show(vb), "other": ra.label,
                             "other_value": ctx.show(va)},
                            f"{rb.path} {'>' if spec.strict else '≥'} {ra.path}",
                            {rb.path: ctx.show(vb), ra.path: ctx.show(va)}))
    return issues


def _plainly_in_order(refs: tuple[FieldRef, ...], values: list[Any], strict: bool, as_of: dt.date) -> bool:
    """True when `order` has nothing to say, seen cheaply: every value blank or a plain date, none that
    records something done after the audit date, each on or after (`strict`: after) the filled one
    before it. False means only that the full check decides."""
    before = None
    for ref, v in zip(refs, values, strict=True):
        if v is None:
            before = None  # a blank breaks the chain: the pair around it is not compared
            continue
        if v.__class__ is not dt.date or (v > as_of and not ref.planned):
            return False
        if before is not None and (v <= before if strict else v < before):
            return False
        before = v
    return True


class Timing(NamedTuple):
    """How a deadline stands on a record: `ok`, `late` (done after its last day), `overdue` (not done,
    last day passed), `open` (not done, last day not passed) or `undecided` (the time of day of a
    date-time given as a date alone decides). `due` is the deadline as shown (a day, or a date-time for
    hours), `rolled_from` the last day before the non-working-day roll moved it."""

    state: str
    due: Any = None
    rolled_from: dt.date | None = None


def deadline(rule: Rule, spec: Deadline, view: View, ctx: Context) -> list[Issue]:
    end_ref, start_ref = spec.end, spec.start
    end = view.value(end_ref)
    if end is None and view.has_problem(end_ref):
        return []  # QMS-VALUE reports the entry that cannot be read
    if _is_future(end, ctx, end_ref):
        return [_future(end_ref, end, ctx)]
    if spec.by is not None:
        return _deadline_by(spec, view, ctx, end)
    assert start_ref is not None and spec.within is not None
    start = view.value(start_ref)
    if start is None:
        # an optional start left blank means the event did not happen: nothing to time
        if view.has_problem(start_ref) or not start_ref.required:
            return []
        names = _deadline_names(end_ref, end, ctx, start_label=start_ref.label, unit=ctx.unit(spec.unit))
        return [Issue("missing", (start_ref.path,), "check_deadline_no_start", names)]
    if _is_future(start, ctx, start_ref):
        return [_future(start_ref, start, ctx)]
    try:
        n = amount(spec.within, view.env, spec.unit, ctx)
        timing = _hours_due(start, end, n, ctx) if spec.unit == "hours" else days_due(spec, start, end, n, ctx)
    except CannotEvaluate as exc:
        return [cannot_evaluate(str(exc), (start_ref.path,))]
    except (NotCovered, OverflowError) as exc:  # a year the calendar does not know, a date past year 9999
        return [cannot_evaluate(_calendar_reason(exc, ctx), (start_ref.path, end_ref.path),
                                _shown(ctx, (end_ref, end), (start_ref, start)))]
    if timing.state == "ok":
        return []
    if timing.state == "undecided":
        return [_undecided_time(((end_ref, end), (start_ref, start)), ctx)]
    return [deadline_issue(spec, start, end, n, timing, ctx)]


def deadline_issue(spec: Deadline, start: Any, end: Any, n: int, timing: Timing, ctx: Context) -> Issue:
    """The issue of a deadline of `n` counted from `start` whose `timing` is late, overdue or open: that of
    `deadline`, and of the compiled rules for a plain late one (`quick`), so both say the same."""
    end_ref, start_ref = spec.end, spec.start
    assert start_ref is not None
    shown = _shown(ctx, (end_ref, end), (start_ref, start))  # each value shown once, used for every text
    end_shown, start_shown, due_shown = shown.get(end_ref.path, ""), shown[start_ref.path], ctx.show(timing.due)
    names = {"end_label": end_ref.label, "end": end_shown, "field": end_ref.label, "value": end_shown,
             "start_label": start_ref.label, "unit": ctx.unit(spec.unit), "start": start_shown, "within": n,
             "deadline": due_shown if timing.rolled_from is None else ctx.deadline_text(timing.due, timing.rolled_from)}
    expected = f"≤ {due_shown}"
    due_day = ctx.day(timing.due)
    if timing.state == "open":  # not done: only the start is a value on the record
        return Issue("open", (end_ref.path, start_ref.path), "check_deadline_open", names, expected,
                     {start_ref.path: start_shown}, due_day)
    key = "check_deadline_late" if timing.state == "late" else "check_deadline_overdue"
    return Issue("fail", (end_ref.path, start_ref.path), key, names, expected, shown, due_day)


def _calendar_reason(exc: NotCovered | OverflowError, ctx: Context) -> str:
    if isinstance(exc, NotCovered):
        return ctx.reason(exc.key, str(exc), **exc.params)
    return ctx.reason("out_of_range", str(exc))


def _deadline_by(spec: Deadline, view: View, ctx: Context, end: Any) -> list[Issue]:
    """A deadline on a fixed day (`by:`): done on or before it (strictly before, `inclusive: false`)."""
    end_ref = spec.end
    assert spec.by is not None
    by = evaluate(spec.by, view)
    if isinstance(by, Unknown):
        if by.reported_elsewhere(view) or (end is None and by.only_blanks()):
            return []  # the blank or unreadable entry is reported at its cause; or nothing was set nor done
        values = _shown(ctx, (end_ref, end), *((r, view.value(r)) for r in by.refs))
        return [cannot_evaluate(why_unknown(by, view, ctx), (end_ref.path, *_paths(by.absent or by.refs)), values)]
    due = ctx.day(by)
    last = due if spec.inclusive else due - dt.timedelta(days=1)
    names = _deadline_names(end_ref, end, ctx, deadline=due.isoformat())
    expected = f"{'≤' if spec.inclusive else '<'} {due.isoformat()}"
    if end is None:
        if ctx.as_of <= last:
            return [Issue("open", (end_ref.path,), "check_deadline_by_open", names, expected, {}, last)]
        return [Issue("fail", (end_ref.path,), "check_deadline_by_overdue", names, expected, {}, last)]
    if ctx.day(end) <= last:
        return []
    return [Issue("fail", (end_ref.path,), "check_deadline_by_late", names, expected, _shown(ctx, (end_ref, end)),
                  last)]


def _deadline_names(end_ref: FieldRef, end: Any, ctx: Context, **more: Any) -> dict[str, Any]:
    shown = ctx.show(end)
    return {"end_label": end_ref.label, "end": shown, "field": end_ref.label, "value": shown, **more}


def _shown(ctx: Context, *pairs: tuple[FieldRef, Any]) -> dict[str, str]:
    """The values a finding reports: each present value as shown, by field path."""
    return {ref.path: ctx.show(value) for ref, value in pairs if value is not None}


def _hours_due(start: Any, end: Any, n: int, ctx: Context) -> Timing:
    """A deadline of `n` hours: the last minute is `n` hours after the start. With a start or end given
    as a date alone, decided only when every time of its day gives the same answer."""
    first, last = ctx.span(start)
    hours = dt.timedelta(hours=n)
    due_first, due_last = first + hours, last + hours
    if end is not None:
        end_first, end_last = ctx.span(end)
        if end_last <= due_first:
            return Timing("ok")
        if end_first > due_last:
            return Timing("late", due_last)
        return Timing("undecided")
    if ctx.as_of > ctx.day(due_last):
        return Timing("overdue", due_last)
    if ctx.as_of <= ctx.day(due_first):
        return Timing("open", due_first)
    return Timing("undecided")


def days_due(spec: Deadline, start: Any, end: Any, n: int, ctx: Context) -> Timing:
    """A deadline of `n` calendar days, working days, months or years after the day of `start`. The
    calendar is asked only when the answer depends on it: a last day that is not a working day moves
    to the next working day (`roll`) only when the completion (or, not done, the audit date) is after
    it; an open item shows its moved last day when the calendar knows it."""
    first = ctx.day(start)
    rolled_from = None
    if spec.unit == "working_days":
        due = ctx.calendar.add_working_days(first, n)
    else:
        due = add_period(first, n, spec.unit)
        if spec.roll:
            done = ctx.day(end) if end is not None else ctx.as_of
            if done > due:
                moved = ctx.calendar.next_working_day(due)
            else:
                moved = _moved_if_known(due, ctx) if end is None else due
            if moved != due:
                rolled_from, due = due, moved
    if end is not None:
        return Timing("late" if ctx.day(end) > due else "ok", due, rolled_from)
    return Timing("overdue" if ctx.as_of > due else "open", due, rolled_from)


def _moved_if_known(day: dt.date, ctx: Context) -> dt.date:
    """`day` moved to the next working day when the calendar knows the year; `day` itself when it does not
    (an open item's due date is then shown unmoved: it is open either way)."""
    try:
        return ctx.calendar.next_working_day(day)
    except NotCovered:
        return day


def lead_time(rule: Rule, spec: LeadTime, view: View, ctx: Context) -> list[Issue]:
    """`notice` at least `at_least` `unit` before `event`. A blank notice while there is still time is an
    open item (due: the last moment to give it); once that has passed, a finding. The rule reports its
    notice's blank itself (it claims it): without an event, a blank notice the form requires is missing."""
    notice, event = view.value(spec.notice), view.value(spec.event)
    if notice is None and view.has_problem(spec.notice):
        return []  # QMS-VALUE reports the entry that cannot be read
    if event is None:
        if notice is None and spec.notice.required:
            return [Issue("missing", (spec.notice.path,), "check_missing", {"field": spec.notice.label})]
        return []
    if _is_future(notice, ctx, spec.notice):
        return [_future(spec.notice, notice, ctx)]
    fields = (spec.notice.path, spec.event.path)
    try:
        n = amount(spec.at_least, view.env, spec.unit, ctx)
        if notice is None:
            return _notice_due(spec, event, n, ctx)
        gap = _lead_gap(spec, notice, event, n, ctx)
    except CannotEvaluate as exc:
        return [cannot_evaluate(str(exc), fields, _shown(ctx, (spec.notice, notice), (spec.event, event)))]
    except (NotCovered, OverflowError) as exc:
        return [cannot_evaluate(_calendar_reason(exc, ctx), fields,
                                _shown(ctx, (spec.notice, notice), (spec.event, event)))]
    if gap is None:
        return []
    if gap == "undecided":
        return [_undecided_time(((spec.notice, notice), (spec.event, event)), ctx)]
    return [lead_issue(spec, notice, event, n, gap, _after(notice, event, ctx), ctx)]


def lead_issue(spec: LeadTime, notice: Any, event: Any, n: int, gap: str, after: bool, ctx: Context) -> Issue:
    """The issue of a notice given only `gap` (as a message shows it) before its event, where `n` was needed;
    `after`: it is dated after the event itself. That of `lead_time`, and of the compiled rules for a plain
    short one (`quick`), so both say the same."""
    unit = ctx.unit(spec.unit)
    shown = _shown(ctx, (spec.notice, notice), (spec.event, event))
    names = {"notice_label": spec.notice.label, "notice": shown[spec.notice.path], "event_label": spec.event.label,
             "event": shown[spec.event.path], "actual": gap, "at_least": n, "unit": unit,
             "field": spec.notice.label, "value": shown[spec.notice.path]}
    key = "check_lead_after" if after else "check_lead_short"
    return Issue("fail", (spec.notice.path, spec.event.path), key, names, f"≥ {n} {unit}", shown)


def _after(notice: Any, event: Any, ctx: Context) -> bool:
    """The notice is dated after the event itself (for every time of day not recorded)."""
    if _timed(notice) and _timed(event):
        return ctx.span(notice)[0] > ctx.span(event)[1]
    return ctx.day(notice) > ctx.day(event)


def _lead_gap(spec: LeadTime, notice: Any, event: Any, n: int, ctx: Context) -> str | None:
    """None when the notice came early enough; else the lead it gave, as a message shows it (never more
    than it was: 23 小时 59 分, not 24 小时), or "undecided" when the time of day not recorded decides."""
    if spec.unit == "hours":
        (notice_first, notice_last), (event_first, event_last) = ctx.span(notice), ctx.span(event)
        need = n * 60
        least = _minutes(event_first - notice_last)
        most = _minutes(event_last - notice_first)
        if least >= need:
            return None
        if most >= need:
            return "undecided"
        return ctx.duration(most)
    first, day = ctx.day(notice), ctx.day(event)
    if spec.unit == "working_days":
        gap = ctx.calendar.working_days_between(first, day)
        return None if gap >= n else f"{gap} {ctx.unit('working_days')}"
    if spec.unit == "calendar_days":
        gap = (day - first).days
        return None if gap >= n else f"{gap} {ctx.unit('calendar_days')}"
    if first <= add_period(day, -n, spec.unit):
        return None
    return f"{(day - first).days} {ctx.unit('calendar_days')}"


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _notice_due(spec: LeadTime, event: Any, n: int, ctx: Context) -> list[Issue]:
    """A blank notice: open while it can still be given in time (due: its last day), then overdue."""
    unit = ctx.unit(spec.unit)
    if spec.unit == "hours":
        latest: Any = ctx.span(event)[0] - dt.timedelta(hours=n)
    elif spec.unit == "working_days":
        latest = ctx.calendar.latest_before(ctx.day(event), n)
    else:
        latest = add_period(ctx.day(event), -n, spec.unit)
    last_day = ctx.day(latest)
    shown_event = ctx.show(event)
    names = {"notice_label": spec.notice.label, "notice": "", "event_label": spec.event.label, "event": shown_event,
             "at_least": n, "unit": unit, "deadline": ctx.show(latest), "field": spec.notice.label, "value": ""}
    fields = (spec.notice.path, spec.event.path)
    expected = f"≤ {ctx.show(latest)}"
    if ctx.as_of <= last_day:
        return [Issue("open", fields, "check_lead_open", names, expected, {spec.event.path: shown_event}, last_day)]
    return [Issue("fail", fields, "check_lead_overdue", names, expected, {spec.event.path: shown_event}, last_day)]


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
    """`min` ≤ value ≤ `max`, or value = `equals`. A value not recorded at all (every entry it reads
    blank) has nothing to limit; a value or bound unknown only because of required blank or unreadable
    entries is reported at its cause; any other value or bound that cannot be worked out is reported."""
    value = evaluate(spec.value, view)
    if isinstance(value, Unknown):
        if value.nothing_recorded() or value.reported_elsewhere(view):
            return []
        return [_unknown_issue(value, view, ctx, spec.value)]
    undecided: Unknown | None = None
    bound_expr: Expr | None
    for bound_expr, key, symbol in ((spec.max, "check_limit_max", "≤"), (spec.min, "check_limit_min", "≥"),
                                    (spec.equals, "check_limit_equals", "=")):
        if bound_expr is None:
            continue
        bound = evaluate(bound_expr, view)
        if isinstance(bound, Unknown):
            if not bound.reported_elsewhere(view):
                undecided = undecided or bound
            continue
        if (value > bound) if symbol == "≤" else (value < bound) if symbol == "≥" else (value != bound):
            shown, limit_shown = show_number(value), show_number(bound)
            return [Issue("fail", tuple(r.path for r in spec.value.refs) or (spec.value.text,), key,
                          {"field": _expr_label(spec.value, view), "value": shown, "expected": limit_shown},
                          f"{symbol} {limit_shown}", {spec.value.text: shown})]
    if undecided is not None:
        return [_unknown_issue(undecided, view, ctx, spec.value, {spec.value.text: show_number(value)})]
    return []


def _unknown_issue(unknown: Unknown, view: View, ctx: Context, subject: Expr,
                   values: dict[str, str] | None = None) -> Issue:
    """The cannot-evaluate issue of an expression without a value: its reason, the entries concerned."""
    fields = _paths(unknown.absent or unknown.refs) or (subject.text,)
    seen = {r.path: ctx.show(view.value(r)) for r in unknown.refs if not absent(view.value(r))}
    return cannot_evaluate(why_unknown(unknown, view, ctx), fields, {**seen, **(values or {})})


def _expr_label(expr: Expr, view: View) -> str:
    if len(expr.refs) == 1 and expr.text.strip() == expr.refs[0].path:
        return expr.refs[0].label
    return expr.text


def expect(rule: Rule, spec: Expect, view: View, ctx: Context) -> list[Issue]:
    """A condition that must hold. Unknown: nothing to judge when nothing it reads was recorded; nothing
    to add when its only unknowns are reported at their cause (a required entry left blank, an entry
    that cannot be read); otherwise it cannot be evaluated, and says why."""
    result = evaluate(spec.condition, view)
    if isinstance(result, Unknown):
        if result.nothing_recorded() or result.reported_elsewhere(view):
            return []
        return [_unknown_issue(result, view, ctx, spec.condition)]
    if result is not False:
        return []
    values = {r.path: ctx.show(view.value(r)) for r in spec.condition.refs}
    return [Issue("fail", tuple(dict.fromkeys(r.path for r in spec.condition.refs)), "check_expect",
                  {"expected": spec.condition.text}, spec.condition.text, values)]
