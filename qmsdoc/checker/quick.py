"""The checks of one form plan compiled into functions that pass, cheaply, what has nothing to say.

Most rules have nothing to say about most records: the required entries are filled, the
signatures have a name and a date on or before the audit date, the dates are plain dates in
order, the copy went in within its ten days, the amount is under its cap. `compile_quick`
writes, for a plan's rules, one Python function that tells exactly those cases apart cheaply,
without a View, a dispatch or a call per rule:

    quick(fields, skipped, claimed, decided) -> [indexes of the rules the full check must evaluate]

A rule left out of the list is one whose full check would give no issue on these fields, so
`Checker.rule_findings` only records it as applied. The function is conservative: it passes a
rule only on what it can see at once, and anything else goes to the full check, which decides
as it always did:
- `required`: an entry that is not blank; `signatures`: a name, and a plain date not after the
  audit date; `order`: dates the full check's own shortcut finds plainly in order;
- `expect`: a condition that is true; `limit`: a value and bounds that have values, within them;
  `allowed`: every item given allowed;
- `deadline` (calendar days, hours) and `lead_time` (calendar days, hours) with an amount the rule
  fixes: both entries plain dates (date-times), the done one not after the audit date, and the time
  between them within (at least) the amount. In calendar days no roll to a working day can make a
  deadline met on its unmoved last day late, and no calendar is asked; working days, months and
  years, a date given without its time, and anything open go to the full check.
Some misses are plain enough to decide here too, with the full check's own code, and their issues go
to `decided` (by rule index) instead of the full check: a deadline or lead time in hours that two plain
date-times miss (`kinds.deadline_issue`, `kinds.lead_issue`, from the minutes the test worked out), and
a deadline in calendar days that two plain dates pass the unmoved last day of (timed by
`kinds.days_due`, with its roll: none when the moved day is met; a year the calendar does not know
goes to the full check).
A rule with `when:` is decided by the condition's own function on the fields, as
`kinds.applies` does on a record without reading problems: False adds its index to `skipped`
(it does not apply), True passes it as above (the fields it then takes over are added to
`claimed`), and an unknown condition goes to the full check, which says why. The function is only
used on a record without reading problems (the full checks look those up).

`compile_pair_quick` does the same for one rule with `match:`, on a record and its matched
record: True when the rule has nothing to say on the pair.

`compile_form_quick` does the same for the checks the form's own definition implies
(`builtin.form_issues`): one function that is True only when none of them has anything to say
on a record without reading problems. Fields a conditional rule takes over only take checks away
from `form_issues`, so a record it passes has nothing to report whatever the rules took over.

The source is made from the rules alone (field ids only as string literals, through `repr`),
never from a record. The tests run every example record, mutated and moved to the edges where each
rule decides, both ways and compare the findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from qmsdoc.checker import kinds
from qmsdoc.checker.builtin import FormChecks
from qmsdoc.checker.calendar import NotCovered
from qmsdoc.checker.kinds import Issue, _minutes, _person, _plainly_in_order
from qmsdoc.model.documents import FieldType
from qmsdoc.model.records import completions
from qmsdoc.model.rules import (
    Allowed,
    Amount,
    Deadline,
    Env,
    Expect,
    Failed,
    FieldRef,
    LeadTime,
    Limit,
    Order,
    Required,
    Rule,
    Signatures,
)

Quick = Callable[[dict[str, Any], list[int], set[str], dict[int, list[Issue]]], list[int]]
"""A plan's rules compiled: (a record's typed fields, skipped, claimed, decided) → the indexes of the rules the
full check must evaluate; the indexes of conditional rules that do not apply are added to `skipped`, the fields
taken over by those that apply and pass (or are decided) to `claimed`, and the issues of the rules it decided
itself to `decided`, by index."""
PairQuick = Callable[[dict[str, Any], dict[str, Any]], bool]
"""A rule with `match:` compiled: (a record's fields, its matched record's) → True when the rule says nothing."""
FormQuick = Callable[[dict[str, Any]], bool]
"""A form's built-in checks compiled: a record's typed fields → True when none of them has anything to say."""
DAY = dt.timedelta(days=1)
ZERO = dt.timedelta(0)


def compile_quick(rules: Sequence[Rule], as_of: dt.date, tz: dt.tzinfo,
                  claims: Mapping[str, frozenset[str]], ctx: kinds.Context | None = None) -> Quick | None:
    """The quick function for `rules` (a plan's single-record rules, in order), or None when none of them
    can ever be passed or skipped quickly (then every rule goes to the full check anyway). `claims` are the
    fields each conditional rule takes over when it applies (`FormPlan.conditional_claims`). With `ctx`, a
    deadline or lead time in hours that two plain date-times plainly miss, and a deadline in calendar days
    that two plain dates pass the unmoved last day of, are decided here too (`_late`, `_short`, `_late_days`)."""
    names = _names(as_of, tz)
    if ctx is not None:
        names["CTX"] = ctx
    lines = ["def quick(fields, skipped, claimed, decided):", "    get = fields.get", "    slow = []"]
    passable = False
    for i, rule in enumerate(rules):
        test = _test(rule, i, names)
        lines.append(f"    # {rule.code!r}: {rule.kind!r}")  # repr: nothing in a code ends the comment
        if rule.when is None:
            if test is None:
                lines.append(f"    slow.append({i})")
                continue
            passable = True
            lines += [f"    {line}" for line in test]
            lines += _unpassed(i, names, "    ", claim=False)
            continue
        # a condition decided on the fields alone (`kinds.applies` on a record without reading problems):
        # False skips the rule, True checks it; anything else goes to the full check, which says why
        passable = True
        names[f"W{i}"] = rule.when.fn
        lines += [f"    _w = W{i}(env)", "    if _w is False:", f"        skipped.append({i})"]
        if test is None:
            lines.append(f"    else:\n        slow.append({i})")
            continue
        claim = bool(claims.get(rule.code))
        if claim:
            names[f"C{i}"] = claims[rule.code]
        lines += ["    elif _w is True:", *(f"        {line}" for line in test),
                  *_unpassed(i, names, "        ", claim)]
        if claim:
            lines.append(f"        else:\n            claimed.update(C{i})")
        lines.append(f"    else:\n        slow.append({i})")
    if not passable:
        return None
    if any("(env)" in line for line in lines):  # an expression reads the record: its environment, made once
        lines.insert(2, "    env = Env(fields, None, AS_OF)")
    lines.append("    return slow")
    quick: Quick = _function(lines, names, "<qmsdoc rules>")
    return quick


def _unpassed(i: int, names: dict[str, Any], indent: str, claim: bool) -> list[str]:
    """What the compiled function does with rule `i` when its test is not passed (`ok` False): the full check,
    or, when the test set `_p` (the values are plain) and named the rule's issues (`FAIL<i>`, given the values
    `_s` and `_t` and what the test worked out from them, `_x`; None when it cannot tell them), those issues,
    with the fields the rule takes over claimed as the full check claims them (`claim`)."""
    if f"FAIL{i}" not in names:
        return [f"{indent}if not ok:", f"{indent}    slow.append({i})"]
    return [f"{indent}if not ok:", f"{indent}    if _p and (_r := FAIL{i}(_s, _t, _x)) is not None:",
            f"{indent}        decided[{i}] = _r",
            *([f"{indent}        claimed.update(C{i})"] if claim else []),
            f"{indent}    else:", f"{indent}        slow.append({i})"]


def compile_pair_quick(rule: Rule, as_of: dt.date, tz: dt.tzinfo) -> PairQuick | None:
    """A rule with `match:` compiled: the function that is True only when the full check of the rule on a
    record (without reading problems) and its matched record would give no issue; None when the rule has no
    such test (a condition, another kind): then every pair is checked in full."""
    names = _names(as_of, tz)
    test = None if rule.when is not None else _test(rule, 0, names, matched=True)
    if test is None:
        return None
    lines = ["def quick(fields, matched):", "    get, mget = fields.get, matched.get",
             "    env = Env(fields, matched, AS_OF)", *(f"    {line}" for line in test), "    return ok"]
    quick: PairQuick = _function(lines, names, "<qmsdoc matched rule>")
    return quick


def _names(as_of: dt.date, tz: dt.tzinfo) -> dict[str, Any]:
    """What the rules' compiled functions may name besides the record: the audit date, the site's zone and
    the helpers."""
    return {"AS_OF": as_of, "date": dt.date, "datetime": dt.datetime, "Decimal": Decimal, "Failed": Failed,
            "Env": Env, "in_order": _plainly_in_order, "person": _person,
            "day": lambda v: (v if v.tzinfo is tz else v.astimezone(tz)).date(),
            "minute": lambda v: completions(v, tz)[0]}


def _function(lines: list[str], names: dict[str, Any], where: str) -> Any:
    """The function `quick` that `lines` define, compiled with `names` as its globals."""
    exec(compile("\n".join(lines), where, "exec"), names)
    return names["quick"]


def _test(rule: Rule, i: int, names: dict[str, Any], matched: bool = False) -> list[str] | None:
    """Lines that set `ok` to True only when the full check of `rule` would give no issue; None when the
    rule has no such test. `matched`: the matched record's fields are in `mget`, and `env` has it."""
    spec = rule.spec
    refs = spec.refs()
    if any(ref.in_match and (ref.is_column or not matched) for ref in refs):
        return None
    if any(ref.in_match for e in spec.exprs() for ref in e.refs) and not matched:
        return None
    if isinstance(spec, Required):
        return _required(spec.fields)
    if isinstance(spec, Signatures):
        return _signatures(spec)
    if isinstance(spec, Order):
        if any(ref.is_column for ref in spec.fields):
            return None
        names[f"R{i}"] = spec.fields
        values = ", ".join(_value(ref) for ref in spec.fields)
        return [f"ok = in_order(R{i}, [{values}], {spec.strict!r}, AS_OF)"]
    if isinstance(spec, Expect):
        names[f"E{i}"] = spec.condition.fn
        return [f"_e = E{i}(env)", "ok = not (_e is None or _e is False or _e.__class__ is Failed)"]
    if isinstance(spec, Limit):
        return _limit(spec, i, names)
    if isinstance(spec, Allowed):
        return _allowed(spec, i, names)
    if isinstance(spec, Deadline):
        return _deadline(spec, i, names)
    if isinstance(spec, LeadTime):
        return _lead_time(spec, i, names)
    return None


def _get(ref: FieldRef) -> str:
    """The expression of the field `ref` names, on the record or on the matched one."""
    return f"{'mget' if ref.in_match else 'get'}({ref.field!r})"


def _value(ref: FieldRef) -> str:
    """The expression of `FieldRef.get` for a reference that is not a table column."""
    if ref.part is None:
        return _get(ref)
    return f"(_v.get({ref.part!r}) if (_v := {_get(ref)}) is not None else None)"


def _filled(expr: str) -> str:
    """Not `kinds.blank` (None, "", [] or False), for a value held in a name."""
    return f"not ({expr} is None or {expr} == '' or {expr} == [] or {expr} is False)"


def _required(fields: tuple[FieldRef, ...]) -> list[str]:
    lines = ["ok = True"]
    for ref in fields:
        if ref.is_column:  # every filled row has the column
            lines += [f"for _row in {_get(ref)} or ():",
                      f"    _c = _row.get({ref.part!r})",
                      f"    if not ({_filled('_c')}):",
                      "        ok = False",
                      "        break"]
        else:
            lines += ["if ok:", f"    _c = {_value(ref)}", f"    ok = {_filled('_c')}"]
    return lines


def _signatures(spec: Signatures) -> list[str] | None:
    if any(ref.part is not None or ref.is_column for ref in spec.fields):
        return None
    lines = ["ok = True"]
    for ref in spec.fields:  # a name, and a plain date not after the audit date
        lines += ["if ok:",
                  f"    _s = {_get(ref)}",
                  "    ok = (_s.__class__ is dict and _s.get('name') is not None"
                  " and (_d := _s.get('date')).__class__ is date and _d <= AS_OF)"]
    for a, b in spec.distinct:  # signed by different people, or one of them blank
        if a.is_column or b.is_column:
            return None
        lines += ["if ok:",
                  f"    _a, _b = person({_value(a)}), person({_value(b)})",
                  "    ok = not (_a and _b and _a == _b)"]
    return lines


def compile_form_quick(checks: FormChecks, as_of: dt.date) -> FormQuick:
    """The function that is True only when `builtin.form_issues(checks, …)` gives nothing on a record's typed
    fields (without reading problems, whatever the rules took over); False means the full checks decide."""
    names: dict[str, Any] = {"AS_OF": as_of, "date": dt.date, "Decimal": Decimal}
    body: list[str] = []
    for f in checks.required:
        body += [f"v = get({f.id!r})", "if v is None or v == '' or v == []:", "    return False"]
    for f in checks.signatures:
        body += [f"v = get({f.id!r})", "if v is None or v.get('name') is None or v.get('date') is None:",
                 "    return False"]
    for table, column in checks.columns:
        body += [f"for row in get({table.id!r}) or ():", f"    v = row.get({column.id!r})",
                 "    if v is None or v == '':", "        return False"]
    for table in checks.min_rows:
        body += [f"v = get({table.id!r}) or []", f"if v and len(v) < {table.min_rows}:", "    return False"]
    for n, (f, in_table) in enumerate(checks.ranges):
        names[f"LO{n}"], names[f"HI{n}"] = f.minimum, f.maximum
        within = "v.__class__ is Decimal" + (f" and v >= LO{n}" if f.minimum is not None else "") \
            + (f" and v <= HI{n}" if f.maximum is not None else "")
        if in_table is None:
            body += [f"v = get({f.id!r})", f"if v is not None and not ({within}):", "    return False"]
        else:
            body += [f"for row in get({in_table.id!r}) or ():", f"    v = row.get({f.id!r})",
                     f"    if v is not None and not ({within}):", "        return False"]
    for f, in_table in checks.done_dates:  # a plain date on or before the audit date (a date-time: the full check)
        if in_table is not None:
            body += [f"for row in get({in_table.id!r}) or ():", f"    v = row.get({f.id!r})",
                     "    if v is not None and not (v.__class__ is date and v <= AS_OF):", "        return False"]
            continue
        body.append(f"v = get({f.id!r})")
        if f.type == FieldType.SIGNATURE:
            body.append("v = v.get('date') if v.__class__ is dict else None")
        body += ["if v is not None and not (v.__class__ is date and v <= AS_OF):", "    return False"]
    lines = ["def quick(fields):", "    get = fields.get", *(f"    {line}" for line in body), "    return True"]
    quick: FormQuick = _function(lines, names, "<qmsdoc form checks>")
    return quick


def _limit(spec: Limit, i: int, names: dict[str, Any]) -> list[str]:
    """`kinds.limit` passes: the value and every bound have a value, and the value is within each."""
    names[f"V{i}"] = spec.value.fn
    lines = [f"_x = V{i}(env)", "ok = not (_x is None or _x.__class__ is Failed)"]
    for k, (bound, test) in enumerate(((spec.max, "not _x > _b"), (spec.min, "not _x < _b"),
                                       (spec.equals, "not _x != _b"))):
        if bound is not None:
            names[f"B{i}_{k}"] = bound.fn
            lines += ["if ok:", f"    _b = B{i}_{k}(env)",
                      f"    ok = not (_b is None or _b.__class__ is Failed) and {test}"]
    return lines


def _allowed(spec: Allowed, i: int, names: dict[str, Any]) -> list[str]:
    """`kinds.allowed` passes: every item given (of a multiple choice, of each row) is allowed."""
    names[f"A{i}"] = spec.values or spec.forbidden
    good = f"_a in A{i}" if spec.values else f"_a not in A{i}"
    each = ["for _a in (_c if isinstance(_c, list) else (_c,)):",
            f"    if _a is not None and not ({good}):", "        ok = False", "        break"]
    ref = spec.field
    if ref.is_column:
        return ["ok = True", f"for _row in {_get(ref)} or ():", f"    _c = _row.get({ref.part!r})",
                *(f"    {line}" for line in each), "    if not ok:", "        break"]
    return ["ok = True", f"_c = {_value(ref)}", *each]


def _amount(amount: Amount, unit: str) -> int | None:
    """A deadline's or lead time's amount when the rule fixes it (a number, or parameters only); None when
    it depends on the record or has no whole value (the full check says why)."""
    if isinstance(amount, int):
        return amount
    if amount.refs:
        return None
    try:
        return kinds.amount(amount, Env({}, None, dt.date.min), unit)
    except kinds.CannotEvaluate:
        return None


def _done(ref: FieldRef, expr: str) -> str:
    """Not `kinds._is_future` for a value in `expr` already known to be a plain date or a date-time."""
    if ref.planned:
        return "True"
    return f"{expr} <= AS_OF" if ref.type == "date" else f"day({expr}) <= AS_OF"


def _deadline(spec: Deadline, i: int, names: dict[str, Any]) -> list[str] | None:
    """`kinds.deadline` passes: done, started, neither after the audit date, and done within the time
    counted from the start (in calendar days: no later than the day `within` days on, which no roll to a
    working day can move earlier; in hours: no later than the minute `within` hours on)."""
    start, end = spec.start, spec.end
    if spec.by is not None or start is None or spec.within is None or start.is_column or end.is_column:
        return None
    n = _amount(spec.within, spec.unit)
    if n is None:
        return None
    lines = [f"_s, _t = {_value(start)}, {_value(end)}"]
    if spec.unit == "calendar_days" and start.type == end.type == "date":
        try:  # a start whose last day the full check cannot work out is left to it
            first, last = dt.date.min - min(0, n) * DAY, dt.date.max - max(0, n) * DAY
        except OverflowError:
            return None
        names[f"FIRST{i}"], names[f"LAST{i}"] = first, last
        if "CTX" in names:
            names[f"FAIL{i}"] = _late_days(spec, n, names["CTX"])
        return [*lines, f"_p = (_s.__class__ is date and _t.__class__ is date and {_done(end, '_t')} "
                        f"and {_done(start, '_s')} and FIRST{i} <= _s <= LAST{i})",
                f"ok = _p and (_t - _s).days <= {n}", "_x = None"]
    if spec.unit == "hours" and start.type == end.type == "datetime":
        names[f"HOURS{i}"] = hours = dt.timedelta(hours=n)
        margin = abs(n) // (24 * 365) + 2  # years a start may keep from either end of the calendar
        if "CTX" in names:
            names[f"FAIL{i}"] = _late(spec, n, hours, names["CTX"])
        return [*lines, f"_p = (_s.__class__ is datetime and _t.__class__ is datetime and {_done(end, '_t')} "
                        f"and {_done(start, '_s')} and {1 + margin} <= _s.year <= {9999 - margin})",
                f"ok = _p and minute(_t) - (_x := minute(_s)) <= HOURS{i}"]
    return None


def _late_days(spec: Deadline, n: int, ctx: kinds.Context) -> Callable[[Any, Any, Any], list[Issue] | None]:
    """The issues of a deadline in calendar days that plain dates pass the unmoved last day of (`_deadline`'s
    `_p`, and not `ok`): timed as `kinds.deadline` times it (a last day on a day off moves to the next working
    day), so none when the move makes it met; None, for the full check, when the calendar cannot tell."""
    def late(start: dt.date, end: dt.date, _: Any) -> list[Issue] | None:
        try:
            timing = kinds.days_due(spec, start, end, n, ctx)
        except (NotCovered, OverflowError):
            return None  # the full check says why it cannot be evaluated
        if timing.state == "ok":
            return []
        return [kinds.deadline_issue(spec, start, end, n, timing, ctx)] if timing.state == "late" else None
    return late


def _late(spec: Deadline, n: int, hours: dt.timedelta, ctx: kinds.Context) -> Callable[[Any, Any, Any], list[Issue]]:
    """The issues of an hours deadline that plain date-times miss (`_deadline`'s `_p`, and not `ok`): late, its
    last minute `n` hours after the start's (`first`, its minute in UTC), as `kinds.deadline` words it."""
    def late(start: dt.datetime, end: dt.datetime, first: dt.datetime) -> list[Issue]:
        return [kinds.deadline_issue(spec, start, end, n, kinds.Timing("late", first + hours), ctx)]
    return late


def _lead_time(spec: LeadTime, i: int, names: dict[str, Any]) -> list[str] | None:
    """`kinds.lead_time` passes: the notice and the event given, the notice not after the audit date, and
    at least `at_least` before the event (calendar days between the days, or hours between the minutes)."""
    notice, event = spec.notice, spec.event
    if notice.is_column or event.is_column or notice.type != event.type:
        return None
    n = _amount(spec.at_least, spec.unit)
    if n is None:
        return None
    lines = [f"_s, _t = {_value(notice)}, {_value(event)}"]
    if spec.unit == "calendar_days" and notice.type == "date":
        return [*lines, f"ok = (_s.__class__ is date and _t.__class__ is date and {_done(notice, '_s')} "
                        f"and (_t - _s).days >= {n})"]
    if spec.unit == "hours" and notice.type == "datetime":
        names[f"HOURS{i}"] = dt.timedelta(hours=n)
        if "CTX" in names:
            names[f"FAIL{i}"] = _short(spec, n, names["CTX"])
        return [*lines, f"_p = _s.__class__ is datetime and _t.__class__ is datetime and {_done(notice, '_s')}",
                f"ok = _p and (_x := minute(_t) - minute(_s)) >= HOURS{i}"]
    return None


def _short(spec: LeadTime, n: int, ctx: kinds.Context) -> Callable[[Any, Any, Any], list[Issue]]:
    """The issues of an hours lead time that plain date-times miss (`_lead_time`'s `_p`, and not `ok`): the lead
    given (`gap`, from the notice's minute to the event's), in whole minutes, as `kinds.lead_time` words it
    (after the event itself when it is negative)."""
    def short(notice: dt.datetime, event: dt.datetime, gap: dt.timedelta) -> list[Issue]:
        return [kinds.lead_issue(spec, notice, event, n, ctx.duration(_minutes(gap)), gap < ZERO, ctx)]
    return short
