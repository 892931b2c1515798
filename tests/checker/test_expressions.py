"""The expression language at run time: three-valued logic, chains, functions, no crashes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.load.expressions import compile_expr
from qmsdoc.model.rules import Env, Failed, FieldRef

TYPES = {"a": "bool", "b": "bool", "n": "number", "d": "date", "t": "datetime", "s": "text"}


def evaluate(text: str, **fields: Any) -> Any:
    def resolve(path: str, loc: Location) -> FieldRef:
        return FieldRef(path, path, None, TYPES[path], path)
    diags = Diagnostics()
    expr = compile_expr(text, Location("x.yaml", 1, 1), resolve, {"cap": Decimal(1), "rate": "0.8"}, diags,
                        timezone="Asia/Shanghai")
    assert expr is not None, [d.format() for d in diags.items]
    return expr.fn(Env(fields, None, dt.date(2025, 12, 31)))


@pytest.mark.parametrize("a,b,and_,or_", [
    (True, True, True, True), (True, False, False, True), (False, None, False, None),
    (True, None, None, True), (None, None, None, None), (False, False, False, False),
])
def test_three_valued_logic(a: Any, b: Any, and_: Any, or_: Any) -> None:
    assert evaluate("a and b", a=a, b=b) is and_
    assert evaluate("a or b", a=a, b=b) is or_


def test_comparisons_chains_arithmetic_and_params() -> None:
    assert evaluate("0 < n <= 10", n=Decimal(10)) is True
    assert evaluate("0 < n <= 10", n=Decimal(11)) is False
    assert evaluate("0 < n <= 10") is None  # a blank value makes it unknown
    assert evaluate("n * params.cap / 100 == 0.5", n=Decimal(50)) is True
    assert evaluate("n == params.rate", n=Decimal("0.80")) is True  # "0.8" written as text is a number
    failed = evaluate("n / 0 > 1", n=Decimal(1))  # no ZeroDivisionError, and not a blank either
    assert isinstance(failed, Failed) and (failed.key, failed.params) == ("division_by_zero", {"expr": "n / 0"})


def test_functions() -> None:
    day = dt.date(2025, 2, 28)
    assert evaluate("add_days(d, 1) == date(2025, 3, 1)", d=day) is True
    assert evaluate("days(d, as_of) == 306", d=day) is True
    assert evaluate("year(t) == 2025 and month(t) == 1",
                    t=dt.datetime(2024, 12, 31, 17, 0, tzinfo=dt.UTC)) is True  # 01:00 in Shanghai
    impossible = evaluate("date(2025, 2, 30) == d", d=day)  # unknown, not a crash: and says why
    assert isinstance(impossible, Failed) and impossible.key == "no_such_date"
    assert impossible.params == {"expr": "date(2025, 2, 30)"}
    assert evaluate("present(s) and len(s) == 2", s="ab") is True
    assert evaluate("empty(s)", s=None) is True
    assert evaluate('s in ["fax", "sms"]', s="sms") is True
    assert evaluate('s not in ["fax", "sms"]', s="oral") is True
