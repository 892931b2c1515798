"""The checks of one form plan compiled into functions that pass, cheaply, what has nothing to say.

Most rules have nothing to say about most records: the required entries are filled, the
signatures have a name and a date on or before the audit date, the dates are plain dates in
order. `compile_quick` writes, for a plan's rules, one Python function that tells exactly
those cases apart cheaply, without a View, a dispatch or a call per rule:

    quick(fields) -> [indexes of the rules the full check must evaluate]

A rule left out of the list is one whose full check would give no issue on these fields, so
`Checker.rule_findings` only records it as applied. The function is conservative: it passes a
rule only on what it can see at once (a `required` field that is not blank, a signature whose
name is there and whose date is a plain date not after the audit date, dates the full `order`
check's own shortcut finds plainly in order); anything else (a conditional rule, another kind,
a date-time) goes to the full check, which decides as it always did. It is only used on a
record without reading problems (the full checks look those up).

`compile_pair_quick` does the same for one rule with `match:`, on a record and its matched
record: True when the rule has nothing to say on the pair.

`compile_form_quick` does the same for the checks the form's own definition implies
(`builtin.form_issues`): one function that is True only when none of them has anything to say
on a record without reading problems whose blanks no conditional rule has taken over.

The source is made from the rules alone (field ids only as string literals, through `repr`),
never from a record. The tests run every example record both ways and compare the findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from qmsdoc.checker.builtin import FormChecks
from qmsdoc.checker.kinds import _person, _plainly_in_order
from qmsdoc.model.documents import FieldType
from qmsdoc.model.rules import FieldRef, Order, Required, Rule, Signatures

Quick = Callable[[dict[str, Any]], list[int]]
"""A plan's rules compiled: a record's typed fields → the indexes of the rules the full check must evaluate."""
PairQuick = Callable[[dict[str, Any], dict[str, Any]], bool]
"""A rule with `match:` compiled: (a record's fields, its matched record's) → True when the rule says nothing."""
FormQuick = Callable[[dict[str, Any]], bool]
"""A form's built-in checks compiled: a record's typed fields → True when none of them has anything to say."""


def compile_quick(rules: Sequence[Rule], as_of: dt.date) -> Quick | None:
    """The quick function for `rules` (a plan's single-record rules, in order), or None when none of them
    can ever be passed quickly (then every rule goes to the full check anyway)."""
    names = _names(as_of)
    lines = ["def quick(fields):", "    get = fields.get", "    slow = []"]
    passable = False
    for i, rule in enumerate(rules):
        test = None if rule.when is not None else _test(rule, i, names)
        if test is None:
            lines.append(f"    slow.append({i})")
            continue
        passable = True
        lines.append(f"    # {rule.code!r}: {rule.kind!r}")  # repr: nothing in a code ends the comment
        lines += [f"    {line}" for line in test]
        lines.append(f"    if not ok:\n        slow.append({i})")
    if not passable:
        return None
    lines.append("    return slow")
    quick: Quick = _function(lines, names, "<qmsdoc rules>")
    return quick


def compile_pair_quick(rule: Rule, as_of: dt.date) -> PairQuick | None:
    """A rule with `match:` compiled: the function that is True only when the full check of the rule on a
    record (without reading problems) and its matched record would give no issue; None when the rule has no
    such test (a condition, another kind): then every pair is checked in full."""
    names = _names(as_of)
    test = None if rule.when is not None else _test(rule, 0, names, matched=True)
    if test is None:
        return None
    lines = ["def quick(fields, matched):", "    get, mget = fields.get, matched.get",
             *(f"    {line}" for line in test), "    return ok"]
    quick: PairQuick = _function(lines, names, "<qmsdoc matched rule>")
    return quick


def _names(as_of: dt.date) -> dict[str, Any]:
    """What the rules' compiled functions may name besides the record: the audit date and the helpers."""
    return {"AS_OF": as_of, "date": dt.date, "in_order": _plainly_in_order, "person": _person}


def _function(lines: list[str], names: dict[str, Any], where: str) -> Any:
    """The function `quick` that `lines` define, compiled with `names` as its globals."""
    exec(compile("\n".join(lines), where, "exec"), names)
    return names["quick"]


def _test(rule: Rule, i: int, names: dict[str, Any], matched: bool = False) -> list[str] | None:
    """Lines that set `ok` to True only when the full check of `rule` would give no issue; None when the
    rule has no such test. `matched`: the matched record's fields are in `mget`."""
    spec = rule.spec
    refs = spec.refs()
    if any(ref.in_match and (ref.is_column or not matched) for ref in refs):
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
    fields (without reading problems, nothing taken over by a rule); False means the full checks decide."""
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
