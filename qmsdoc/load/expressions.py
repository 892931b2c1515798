"""The rule expression language: parsed once, type-checked against the form, compiled to closures.

The language is a small, safe subset of Python expression syntax:

- values: numbers, "text", true/false/null, lists of literals, `as_of` (the audit date);
- names: the form's fields (`batch_no`), signature parts (`gm_approval.date`), the matched
  record's fields (`match.returned_on`) and the cited procedure's parameters (`params.x`);
- operators: `and or not`, comparisons (chained too), `in` / `not in`, `+ - * /` on numbers;
- functions: date, year, month, day, days, hours, add_days, present, empty, len, abs, min, max, round.

Nothing else parses: no attribute access beyond those names, no subscripts, calls of other
names, comprehensions, lambdas or imports. Every value is typed at load time, so
`batch_no == "1"` or `channle == "fax"` is an error with its position, never a silent false.

At run time an expression has a value or is unknown, in three-valued logic (docs/rule-format.md):
a blank entry makes what reads it unknown (None), and a computation without an answer (a division
by zero, a date that does not exist, a result out of range, a date-time comparison or `hours()`
that depends on a time of day the record does not give) is a `Failed` that says why. `and`/`or`
decide when one side decides; otherwise unknown, a failure before a blank. The checker
(`qmsdoc.checker.kinds.evaluate`) turns an unknown into the reason a rule cannot be evaluated.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.model.records import DateOnly, completions
from qmsdoc.model.rules import Env, Expr, Failed, FieldRef

MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 24
COMPARABLE = ("date", "datetime", "number", "text", "bool")

Resolver = Callable[[str, Location], "FieldRef | None"]
Fn = Callable[[Env], Any]


class _Fail(Exception):
    pass


def param_value(value: object) -> tuple[Any, str]:
    """A procedure parameter as an expression value: numbers (also "0.8" written as text) or text."""
    if isinstance(value, bool):
        return value, "bool"
    if isinstance(value, (int, Decimal)):
        return Decimal(value), "number"
    try:
        return Decimal(str(value)), "number"
    except InvalidOperation:
        return str(value), "text"


def compile_expr(text: str, loc: Location, resolve: Resolver, params: dict[str, object],
                 diags: Diagnostics, *, timezone: str = "UTC", what: str = "expression",
                 want: str | None = None) -> Expr | None:
    """Compile `text` (written at `loc`) or report errors at their exact column; None on error."""
    return _Compiler(text, loc, resolve, params, diags, timezone, what).run(want)


class _Compiler:
    def __init__(self, text: str, loc: Location, resolve: Resolver, params: dict[str, object],
                 diags: Diagnostics, timezone: str, what: str):
        self.text, self.loc, self.resolve, self.params = text, loc, resolve, params
        self.diags, self.tz, self.what = diags, ZoneInfo(timezone), what
        self.refs: list[FieldRef] = []
        self.utf8 = text.encode("utf-8")
        self.src = text  # what is parsed (multi-line text is parenthesised)

    # -- positions and errors ------------------------------------------------------------

    def _at(self, node: ast.AST | None) -> Location:
        if node is None or not hasattr(node, "col_offset") or not self.loc.line:
            return self.loc
        if self.src is not self.text:  # multi-line: point at the expression's start
            return self.loc
        col = len(self.utf8[: node.col_offset].decode("utf-8", "replace"))
        return Location(self.loc.path, self.loc.line, self.loc.col + col)

    def _error(self, node: ast.AST | None, message: str, hint: str | None = None) -> NoReturn:
        self.diags.error(self._at(node), f"{self.what}: {message}", hint)
        raise _Fail

    # -- entry ---------------------------------------------------------------------------

    def run(self, want: str | None) -> Expr | None:
        if len(self.text) > MAX_LENGTH:
            self.diags.error(self.loc, f"{self.what}: expression longer than {MAX_LENGTH} characters",
                             "split the condition into several rules")
            return None
        try:
            # a folded YAML scalar may keep line breaks: parenthesised, they are plain whitespace
            if "\n" in self.text:
                self.src = f"({self.text})"
            tree = ast.parse(self.src, mode="eval")
        except SyntaxError as exc:
            col = (exc.offset or 0) - 1
            if col < 0 or col > len(self.text):  # the error is at the end of the text
                col = len(self.text)
            at = Location(self.loc.path, self.loc.line, self.loc.col + col) if self.loc.line else self.loc
            self.diags.error(at, f"{self.what}: not a valid expression ({exc.msg})",
                             "write e.g. batch_no == 1 and present(gm_approval)")
            return None
        if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
            self.diags.error(self.loc, f"{self.what}: expression too complex (over {MAX_NODES} parts)")
            return None
        try:
            fn, kind = self._node(tree.body, 0)
            if want and kind not in (want, "any") and not (want == "bool" and kind == "null"):
                self._error(tree.body, f"expected a {_name(want)} expression, this gives a {_name(kind)}")
        except _Fail:
            return None
        return Expr(self.text, kind, fn, tuple(self.refs), self.loc)

    # -- nodes ---------------------------------------------------------------------------

    def _node(self, node: ast.expr, depth: int) -> tuple[Fn, str]:
        if depth > MAX_DEPTH:
            self._error(node, "expression nested too deeply")
        d = depth + 1
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute):
            return self._dotted(node)
        if isinstance(node, ast.BoolOp):
            return self._boolop(node, d)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, d)
        if isinstance(node, ast.BinOp):
            return self._binop(node, d)
        if isinstance(node, ast.Compare):
            return self._compare(node, d)
        if isinstance(node, ast.Call):
            return self._call(node, d)
        if isinstance(node, (ast.List, ast.Tuple)):
            self._error(node, "a list can only stand on the right of `in` / `not in`")
        self._error(node, f"`{ast.get_source_segment(self.src, node) or type(node).__name__}` is not "
                          "allowed in rule expressions",
                    "use field names, literals, comparisons, and/or/not and the listed functions")
        raise AssertionError  # unreachable

    def _constant(self, node: ast.Constant) -> tuple[Fn, str]:
        value, kind = self._literal(node)
        return (lambda env, v=value: v), kind

    def _literal(self, node: ast.Constant) -> tuple[Any, str]:
        """A literal's value (a number as the Decimal written) and its type."""
        value = node.value
        if value is None:
            return None, "null"
        if isinstance(value, bool):
            return value, "bool"
        if isinstance(value, (int, float)):
            return Decimal(ast.get_source_segment(self.src, node) or str(value)), "number"
        if isinstance(value, str):
            return value, "text"
        self._error(node, f"literal {value!r} is not allowed")
        raise AssertionError

    def _name(self, node: ast.Name) -> tuple[Fn, str]:
        name = node.id
        if name in ("true", "false"):
            return (lambda env, v=(name == "true"): v), "bool"
        if name == "null":
            return (lambda env: None), "null"
        if name == "as_of":
            return (lambda env: env.as_of), "date"
        if name == "params":
            self._error(node, "params needs a parameter name: params.NAME")
        return self._field(name, node)

    def _dotted(self, node: ast.Attribute) -> tuple[Fn, str]:
        parts: list[str] = []
        cur: ast.expr = node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if not isinstance(cur, ast.Name):
            self._error(node, "only field names can be followed by a dot")
        parts.append(cur.id)
        path = ".".join(reversed(parts))
        if path.startswith("params."):
            return self._param(path[7:], node)
        return self._field(path, node)

    def _param(self, name: str, node: ast.AST) -> tuple[Fn, str]:
        if name not in self.params:
            self._error(node, f'unknown parameter "params.{name}"',
                        did_you_mean(name, self.params) or
                        f"the cited procedure defines: {', '.join(sorted(self.params)) or 'no params'}")
        value, kind = param_value(self.params[name])
        return (lambda env, v=value: v), kind

    def _field(self, path: str, node: ast.AST) -> tuple[Fn, str]:
        ref = self.resolve(path, self._at(node))
        if ref is None:
            raise _Fail
        if ref.is_column:
            self._error(node, f'"{path}" is a table column; expressions can use len({ref.field}) '
                              "but not single cells", "check columns with required: or allowed:")
        self.refs.append(ref)
        field, part = ref.field, ref.part
        if ref.in_match:
            if part is None:
                return (lambda env: env.match.get(field) if env.match else None), ref.type
            return (lambda env: ((env.match or {}).get(field) or {}).get(part)), ref.type
        if part is None:
            return (lambda env: env.fields.get(field)), ref.type
        return (lambda env: (env.fields.get(field) or {}).get(part)), ref.type

    def _boolop(self, node: ast.BoolOp, d: int) -> tuple[Fn, str]:
        parts = [self._node(v, d) for v in node.values]
        for (_, kind), v in zip(parts, node.values, strict=True):
            if kind not in ("bool", "any", "null"):
                self._error(v, f"`and` / `or` need true/false values, this is a {_name(kind)}",
                            "compare it, e.g. present(x) or x > 0")
        return _kleene(tuple(fn for fn, _ in parts), isinstance(node.op, ast.And)), "bool"

    def _unary(self, node: ast.UnaryOp, d: int) -> tuple[Fn, str]:
        fn, kind = self._node(node.operand, d)
        if isinstance(node.op, ast.Not):
            if kind not in ("bool", "any"):
                self._error(node, f"`not` needs a true/false value, this is a {_name(kind)}")
            return (lambda env: v if (v := fn(env)) is None or v.__class__ is Failed else not v), "bool"
        if isinstance(node.op, ast.USub):
            if kind not in ("number", "any"):
                self._error(node, f"`-` needs a number, this is a {_name(kind)}")
            return (lambda env: v if (v := fn(env)) is None or v.__class__ is Failed else -v), "number"
        self._error(node, "this operator is not allowed")
        raise AssertionError

    def _binop(self, node: ast.BinOp, d: int) -> tuple[Fn, str]:
        ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
        symbol = ops.get(type(node.op))
        if symbol is None:
            self._error(node, "only + - * / are allowed between numbers")
        left, lk = self._node(node.left, d)
        right, rk = self._node(node.right, d)
        for kind, side in ((lk, node.left), (rk, node.right)):
            if kind not in ("number", "any"):
                self._error(side, f"`{symbol}` needs numbers, this is a {_name(kind)}",
                            "for dates use days(a, b) or add_days(d, n)")
        return _both(left, right, _ARITHMETIC[symbol], self._segment(node)), "number"

    def _compare(self, node: ast.Compare, d: int) -> tuple[Fn, str]:
        steps: list[Fn] = []
        left_node = node.left
        left, lk = self._node(left_node, d)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)):
                right, rk, literal = self._in_right(right_node, d)
                self._check_in(left_node, lk, right_node, rk, literal)
                steps.append(_in_step(left, right, isinstance(op, ast.NotIn)))
                left_node, left, lk = right_node, right, rk
                continue
            if isinstance(op, (ast.Is, ast.IsNot)):
                self._error(node, "use == null / != null (or present(x)) instead of `is`")
            right, rk = self._node(right_node, d)
            self._check_compare(left_node, lk, right_node, rk, op)
            if "datetime" in (lk, rk) and "null" not in (lk, rk):
                steps.append(_time_step(left, right, op, self.tz))
            else:
                steps.append(_compare_step(left, right, op, null_test="null" in (lk, rk)))
            left_node, left, lk = right_node, right, rk
        return (steps[0] if len(steps) == 1 else _kleene(tuple(steps), True)), "bool"

    def _in_right(self, node: ast.expr, d: int) -> tuple[Fn, str, tuple[Any, ...] | None]:
        if isinstance(node, (ast.List, ast.Tuple)):
            values = []
            for item in node.elts:
                if not isinstance(item, ast.Constant) or item.value is None or isinstance(item.value, bool):
                    self._error(item, "a list after `in` holds text or number literals only")
                values.append(self._literal(item)[0])
            kinds = {"text" if isinstance(v, str) else "number" for v in values}
            if len(kinds) > 1:
                self._error(node, "a list after `in` mixes text and numbers")
            return (lambda env, v=tuple(values): v), f"list:{kinds.pop() if kinds else 'text'}", tuple(values)
        fn, kind = self._node(node, d)
        if kind not in ("list", "text", "any"):
            self._error(node, f"`in` needs a list or text on its right, this is a {_name(kind)}")
        return fn, kind, None

    def _check_in(self, left_node: ast.expr, lk: str, right_node: ast.expr, rk: str,
                  literal: tuple[Any, ...] | None) -> None:
        if rk.startswith("list:"):
            want = rk[5:]
            if lk not in (want, "any"):
                self._error(left_node, f"comparing a {_name(lk)} with a list of {_name(want)}s")
            ref = self._ref_of(left_node)
            if literal is not None and ref is not None and ref.options:
                for value, item in zip(literal, right_node.elts, strict=True):  # type: ignore[attr-defined]
                    if value not in ref.options:
                        self._unknown_option(item, value, ref)
        elif rk == "list":
            if lk not in ("text", "any"):
                self._error(left_node, f"a {_name(lk)} cannot be in a list of options")
            ref = self._ref_of(right_node)
            if isinstance(left_node, ast.Constant) and ref is not None and ref.options \
                    and left_node.value not in ref.options:
                self._unknown_option(left_node, left_node.value, ref)
        elif rk == "text" and lk not in ("text", "any"):
            self._error(left_node, f"`in` text needs text on its left, this is a {_name(lk)}")

    def _check_compare(self, ln: ast.expr, lk: str, rn: ast.expr, rk: str, op: ast.cmpop) -> None:
        if "null" in (lk, rk):
            if not isinstance(op, (ast.Eq, ast.NotEq)):
                self._error(rn if rk == "null" else ln, "null can only be compared with == or !=")
            return
        if "any" in (lk, rk):
            return
        if lk != rk:
            hint = None
            if {lk, rk} == {"date", "datetime"}:
                hint = "convert the date-time with date(x)"
            elif {lk, rk} == {"number", "text"}:
                hint = "write numbers without quotes"
            self._error(rn, f"cannot compare a {_name(lk)} with a {_name(rk)}", hint)
        if lk not in COMPARABLE:
            self._error(ln, f"a {_name(lk)} cannot be compared; use present(x) or len(x)")
        if lk == "bool" and not isinstance(op, (ast.Eq, ast.NotEq)):
            self._error(rn, "true/false can only be compared with == or !=")
        for this, other in ((ln, rn), (rn, ln)):
            ref = self._ref_of(this)
            if ref is not None and ref.options and isinstance(other, ast.Constant) \
                    and isinstance(other.value, str) and other.value not in ref.options:
                self._unknown_option(other, other.value, ref)

    def _unknown_option(self, node: ast.AST, value: object, ref: FieldRef) -> None:
        self._error(node, f'"{value}" is not an option of {ref.path}',
                    did_you_mean(str(value), ref.options) or f"options: {', '.join(ref.options)}")

    def _segment(self, node: ast.expr) -> str:
        """The text of a part of the expression, as written (for the reason it cannot be computed)."""
        return ast.get_source_segment(self.src, node) or self.text

    def _ref_of(self, node: ast.expr) -> FieldRef | None:
        path = ast.get_source_segment(self.src, node)
        for ref in reversed(self.refs):
            if ref.path == path:
                return ref
        return None

    def _call(self, node: ast.Call, d: int) -> tuple[Fn, str]:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = ast.get_source_segment(self.src, node.func) or "?"
            self._error(node, f'unknown function "{name}"',
                        did_you_mean(name, FUNCTIONS) or f"functions: {', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            self._error(node, "functions take positional arguments only")
        name = node.func.id
        args = [self._node(a, d) for a in node.args]
        kinds = tuple(k for _, k in args)
        for signature, result, impl in FUNCTIONS[name]:
            if len(signature) == len(kinds) and all(w == "*" or k in (w, "any")
                                                    for w, k in zip(signature, kinds, strict=True)):
                fns = tuple(fn for fn, _ in args)
                return _apply(impl, fns, self.tz, name in ("present", "empty"), self._segment(node)), result
        wanted = " or ".join(f"{name}({', '.join(_name(k) for k in sig)})" for sig, _, _ in FUNCTIONS[name])
        got = f"{name}({', '.join(_name(k) for k in kinds)})"
        self._error(node, f"wrong arguments: {got}", f"use {wanted}")
        raise AssertionError


def _kleene(fns: tuple[Fn, ...], conjunction: bool) -> Fn:
    """`and` (conjunction) or `or` in three-valued logic: a deciding value ends it; otherwise unknown
    wins over the other value, a failure (`Failed`) over a blank (None)."""
    decisive = not conjunction

    def f(env: Env) -> Any:
        unknown: Any = conjunction
        for fn in fns:
            v = fn(env)
            if v is decisive:
                return decisive
            if v is None:
                if unknown is conjunction:
                    unknown = None
            elif v.__class__ is Failed and unknown.__class__ is not Failed:
                unknown = v
        return unknown
    return f


class _NoTimeOfDay(Exception):
    """A function needs the time of day of a date-time given as a date alone."""


def _apply(impl: Callable[..., Any], fns: tuple[Fn, ...], tz: ZoneInfo, takes_null: bool, text: str) -> Fn:
    def f(env: Env) -> Any:
        values = [fn(env) for fn in fns]
        for v in values:
            if v.__class__ is Failed:
                return v
        if not takes_null and any(v is None for v in values):
            return None
        try:
            return impl(tz, *values)
        except _NoTimeOfDay:
            return Failed("time_not_recorded", f"{text} needs a time of day the record does not give", expr=text)
        except (DivisionByZero, ZeroDivisionError):
            return Failed("division_by_zero", f"division by zero in {text}", expr=text)
        except (ValueError, OverflowError):
            return Failed("no_such_date", f"{text} gives no real date", expr=text)
        except (InvalidOperation, ArithmeticError):
            return Failed("not_computable", f"{text} cannot be computed", expr=text)
    return f


def _in_step(left: Fn, right: Fn, negate: bool) -> Fn:
    def f(env: Env) -> Any:
        a = left(env)
        if a is None or a.__class__ is Failed:
            return a
        b = right(env)
        if b is None or b.__class__ is Failed:
            return b
        return (a not in b) if negate else (a in b)
    return f


def _compare_step(left: Fn, right: Fn, op: ast.cmpop, null_test: bool) -> Fn:
    if null_test:
        equal = isinstance(op, ast.Eq)

        def is_null(env: Env) -> Any:
            a, b = left(env), right(env)
            for v in (a, b):
                if v.__class__ is Failed:
                    return v
            both = a is None and b is None
            return both if equal else not both
        return is_null
    return _both(left, right, _COMPARISONS[type(op)], "")


def _time_step(left: Fn, right: Fn, op: ast.cmpop, tz: ZoneInfo) -> Fn:
    """A comparison of date-times. A date-time given as a date alone (`DateOnly`) stands for every minute
    of its day: the comparison is decided when all of them give the same answer, and is a `Failed`
    (time not recorded) otherwise."""
    compare = _COMPARISONS[type(op)]
    equality = isinstance(op, (ast.Eq, ast.NotEq))

    def f(env: Env) -> Any:
        a = left(env)
        if a is None or a.__class__ is Failed:
            return a
        b = right(env)
        if b is None or b.__class__ is Failed:
            return b
        if a.__class__ is not DateOnly and b.__class__ is not DateOnly:
            return compare(a, b)
        (a_first, a_last), (b_first, b_last) = completions(a, tz), completions(b, tz)
        if equality:  # equal for no completion when they cannot meet; otherwise it depends
            if a_last < b_first or b_last < a_first:
                return compare(a_first, b_last)
        else:
            one, other = compare(a_first, b_last), compare(a_last, b_first)
            if one == other:
                return one
        return Failed("time_not_recorded", "the time of day is not recorded")
    return f


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_COMPARISONS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge}


def _both(left: Fn, right: Fn, op: Callable[[Any, Any], Any], text: str) -> Fn:
    """`op` of two values; unknown when either is; a `Failed` when the arithmetic has no answer (x / 0)."""
    def f(env: Env) -> Any:
        a = left(env)
        if a is None or a.__class__ is Failed:
            return a
        b = right(env)
        if b is None or b.__class__ is Failed:
            return b
        try:
            return op(a, b)
        except (DivisionByZero, ZeroDivisionError):
            return Failed("division_by_zero", f"division by zero in {text}", expr=text)
        except (InvalidOperation, ArithmeticError):
            return Failed("not_computable", f"{text} cannot be computed", expr=text)
    return f


def _to_date(tz: ZoneInfo, value: dt.datetime | DateOnly) -> dt.date:
    if isinstance(value, DateOnly):
        return value.as_date()
    return value.astimezone(tz).date()


def _hours(tz: ZoneInfo, a: dt.datetime | DateOnly, b: dt.datetime | DateOnly) -> Decimal:
    if isinstance(a, DateOnly) or isinstance(b, DateOnly):
        raise _NoTimeOfDay
    return Decimal((b - a).total_seconds()) / Decimal(3600)


def _int(value: Decimal) -> int:
    if value != value.to_integral_value():
        raise ValueError("not a whole number")
    return int(value)


FUNCTIONS: dict[str, tuple[tuple[tuple[str, ...], str, Callable[..., Any]], ...]] = {
    "date": (
        (("number", "number", "number"), "date", lambda tz, y, m, d: dt.date(_int(y), _int(m), _int(d))),
        (("datetime",), "date", _to_date),
        (("date",), "date", lambda tz, d: d),
    ),
    "year": ((("date",), "number", lambda tz, d: Decimal(d.year)),
             (("datetime",), "number", lambda tz, d: Decimal(_to_date(tz, d).year))),
    "month": ((("date",), "number", lambda tz, d: Decimal(d.month)),
              (("datetime",), "number", lambda tz, d: Decimal(_to_date(tz, d).month))),
    "day": ((("date",), "number", lambda tz, d: Decimal(d.day)),
            (("datetime",), "number", lambda tz, d: Decimal(_to_date(tz, d).day))),
    "days": ((("date", "date"), "number", lambda tz, a, b: Decimal((b - a).days)),),
    "hours": ((("datetime", "datetime"), "number", _hours),),
    "add_days": ((("date", "number"), "date", lambda tz, d, n: d + dt.timedelta(days=_int(n))),),
    "present": ((("*",), "bool", lambda tz, v: v is not None and v != [] and v != ""),),
    "empty": ((("*",), "bool", lambda tz, v: v is None or v == [] or v == ""),),
    "len": ((("table",), "number", lambda tz, v: Decimal(len(v))),
            (("list",), "number", lambda tz, v: Decimal(len(v))),
            (("text",), "number", lambda tz, v: Decimal(len(v)))),
    "abs": ((("number",), "number", lambda tz, v: abs(v)),),
    "min": ((("number", "number"), "number", lambda tz, a, b: min(a, b)),
            (("date", "date"), "date", lambda tz, a, b: min(a, b))),
    "max": ((("number", "number"), "number", lambda tz, a, b: max(a, b)),
            (("date", "date"), "date", lambda tz, a, b: max(a, b))),
    "round": ((("number", "number"), "number", lambda tz, v, k: round(v, _int(k))),),
}


def _name(kind: str) -> str:
    return {"date": "date", "datetime": "date-time", "number": "number", "text": "text",
            "bool": "true/false", "list": "list of options", "signature": "signature",
            "table": "table", "null": "null", "any": "value"}.get(kind, kind.replace("list:", "list of "))
