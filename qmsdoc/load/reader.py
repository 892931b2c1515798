"""Typed reading of YAML nodes: each accessor validates, records problems, and never coerces.

A `MapReader` wraps one mapping of a declared shape (shapes.py). Each `text()`, `integer()`,
`date()` … call checks that its key is declared with a type it can read (else `UndeclaredKey`:
a bug in the loader, not in the source); `finish()` reports every key the shape does not declare,
with a 'did you mean' from the declared ones, and a declared key that does not apply here (options
on a text field).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.load.shapes import (
    BOOL,
    DATE,
    DECIMAL,
    INTEGER,
    PERIOD,
    TEXT,
    Choice,
    ListOf,
    MapOf,
    OneOf,
    Scalar,
    Shape,
    UndeclaredKey,
    ValueType,
    shape_named,
)
from qmsdoc.load.yamlsrc import YMap, YNode, YScalar, YSeq, describe, shown

T = TypeVar("T")

_INT = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_PERIOD = re.compile(r"^([0-9]+)\s*(months?|years?|个月|年)$")

MAX_DIGITS = 15
"""Digits of a number in a source, counted before it is converted (and every such number is
exact as a float too)."""
YEARS = (1900, 2999)
"""The years a date in a source may fall in: any real document's, and far enough from the
calendar's ends (1 and 9999) that a date plus a review period or minus a notice stays a date."""
MAX_MONTHS = 100 * 12
"""The longest period (review, retention): 100 years."""


def scalar_text(node: YNode, diags: Diagnostics, what: str) -> str | None:
    """The text of a scalar, or None (with an error) for a list or mapping."""
    if isinstance(node, YScalar):
        return node.text
    diags.error(node.loc, f"{what}: expected a single value, got {describe(node)}")
    return None


def to_str(node: YNode, diags: Diagnostics, what: str) -> str | None:
    text = scalar_text(node, diags, what)
    if text is None:
        return None
    if isinstance(node, YScalar) and node.is_null:
        diags.error(node.loc, f"{what}: a value is required here")
        return None
    return text


def to_int(node: YNode, diags: Diagnostics, what: str) -> int | None:
    text = scalar_text(node, diags, what)
    if text is None:
        return None
    if isinstance(node, YScalar) and not node.quoted and _INT.match(text):
        return int(text) if _short(node, diags, what) else None
    diags.error(node.loc, f'{what}: expected a whole number, got "{shown(text)}"',
                "write digits only, e.g. 10 (no units, no quotes, no 1:30)")
    return None


def to_decimal(node: YNode, diags: Diagnostics, what: str) -> Decimal | None:
    text = scalar_text(node, diags, what)
    if text is None:
        return None
    if isinstance(node, YScalar) and not node.quoted and _DECIMAL.match(text):
        if not _short(node, diags, what):
            return None
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern excludes it
            pass
    diags.error(node.loc, f'{what}: expected a number, got "{shown(text)}"', "write e.g. 12 or 0.8")
    return None


def _short(node: YScalar, diags: Diagnostics, what: str) -> bool:
    """Whether a number as written has at most MAX_DIGITS digits (an error if not)."""
    digits = sum(c.isdigit() for c in node.text)
    if digits <= MAX_DIGITS:
        return True
    diags.error(node.loc, f"{what}: a number of {digits} digits (at most {MAX_DIGITS})")
    return False


def to_bool(node: YNode, diags: Diagnostics, what: str) -> bool | None:
    text = scalar_text(node, diags, what)
    if text is None:
        return None
    if isinstance(node, YScalar) and not node.quoted and text in ("true", "false"):
        return text == "true"
    diags.error(node.loc, f'{what}: expected true or false, got "{shown(text)}"',
                "only the words true and false are booleans (not yes/no/on/off)")
    return None


def parse_iso_date(text: str) -> tuple[dt.date | None, str | None]:
    """A date from YYYY-MM-DD, or (None, why) — distinguishes bad form from impossible dates."""
    m = _DATE.match(text.strip())
    if not m:
        return None, "expected a date as YYYY-MM-DD"
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        return None, f"impossible date ({exc})"
    if not YEARS[0] <= day.year <= YEARS[1]:
        return None, f"a date in the years {YEARS[0]}–{YEARS[1]} is expected"
    return day, None


def to_date(node: YNode, diags: Diagnostics, what: str) -> dt.date | None:
    text = scalar_text(node, diags, what)
    if text is None:
        return None
    value, why = parse_iso_date(text)
    if value is None:
        diags.error(node.loc, f'{what}: {why}, got "{shown(text)}"', "e.g. 2025-04-01")
    return value


def to_months(node: YNode, diags: Diagnostics, what: str) -> int | None:
    """A period such as '24 months' or '3 years', in months."""
    text = scalar_text(node, diags, what)
    if text is None:
        return None
    m = _PERIOD.match(text.strip())
    if not m:
        diags.error(node.loc, f'{what}: expected a period like "24 months" or "3 years", got "{shown(text)}"')
        return None
    months = int(m[1]) * (12 if m[2].startswith(("year", "年")) else 1) if len(m[1]) <= 4 else 0
    if not 1 <= months <= MAX_MONTHS:
        diags.error(node.loc, f"{what}: a period of 1 month to {MAX_MONTHS // 12} years is expected, "
                              f'got "{shown(text)}"')
        return None
    return months


def to_enum(node: YNode, choices: Iterable[str], diags: Diagnostics, what: str) -> str | None:
    text = to_str(node, diags, what)
    if text is None:
        return None
    options = list(choices)
    if text not in options:
        diags.error(node.loc, f'{what}: "{shown(text)}" is not one of: {", ".join(options)}',
                    did_you_mean(text, options))
        return None
    return text


def to_str_list(node: YNode, diags: Diagnostics, what: str) -> list[tuple[str, Location]]:
    """A list of texts with their positions (a single text is not accepted as a list)."""
    if isinstance(node, YScalar) and node.is_null:
        return []
    if not isinstance(node, YSeq):
        diags.error(node.loc, f"{what}: expected a list, got {describe(node)}", "write [a, b] or one '- item' a line")
        return []
    out = []
    for item in node.items:
        text = to_str(item, diags, what)
        if text is not None:
            out.append((text, item.loc))
    return out


def _options(value_type: ValueType) -> tuple[ValueType, ...]:
    return value_type.options if isinstance(value_type, OneOf) else (value_type,)


def _reads(value_type: ValueType, want: ValueType | type) -> ValueType | None:
    """The alternative of `value_type` an accessor wanting `want` (a type, or a kind of type) reads."""
    for option in _options(value_type):
        if option == want or (isinstance(want, type) and isinstance(option, want)):
            return option
        if want == TEXT and isinstance(option, Choice):  # a choice is a text the loader checks itself
            return option
    return None


class MapReader:
    """Reads the keys of one YAML mapping of a declared shape, checking types; see the module docstring."""

    def __init__(self, node: YNode, diags: Diagnostics, what: str, shape: Shape | None = None):
        """`shape`: the mapping's declared shape. Without one (a source no schema describes yet) nothing
        is checked against a declaration and `finish()` reports the keys no accessor asked for."""
        self.diags = diags
        self.what = what
        self.shape = shape
        self.loc = node.loc
        self._asked: set[str] = set()
        self.failed: set[str] = set()
        """Keys whose value was reported as wrong: a check that needs the value says nothing more."""
        if isinstance(node, YMap):
            self.node: YMap = node
            self.ok = True
        else:
            diags.error(node.loc, f"{what}: expected a mapping of keys, got {describe(node)}")
            self.node = YMap({}, {}, node.loc)
            self.ok = False

    @property
    def _name(self) -> str:
        return self.shape.name if self.shape is not None else self.what

    def _declared(self, key: str, want: ValueType | type | None = None) -> ValueType:
        """The declared type of `key` (the alternative `want` reads); UndeclaredKey if there is none."""
        if self.shape is None:
            return want if isinstance(want, (Scalar, Choice, ListOf, MapOf, OneOf)) else TEXT
        declared = self.shape.type_of(key)
        if declared is None:
            raise UndeclaredKey(f'the loader reads "{key}" of a {self.shape.name}, which shapes.py does not declare')
        if want is None:
            return declared
        found = _reads(declared, want)
        if found is None:
            raise UndeclaredKey(f'the loader reads "{key}" of a {self.shape.name} as {want}, '
                                f"but shapes.py declares {declared}")
        return found

    def has(self, key: str) -> bool:
        self._declared(key)
        self._asked.add(key)
        value = self.node.values.get(key)
        return value is not None and not (isinstance(value, YScalar) and value.is_null)

    def raw(self, key: str, required: bool = False) -> YNode | None:
        """The node under `key`, or None; reports a missing required key at the mapping."""
        self._declared(key)
        self._asked.add(key)
        value = self.node.values.get(key)
        if value is None or (isinstance(value, YScalar) and value.is_null):
            if required and self.ok:
                self.diags.error(self.loc, f'{self.what}: missing required key "{key}"')
            return None
        return value

    def key_loc(self, key: str) -> Location:
        k = self.node.keys.get(key)
        return k.loc if k else self.loc

    def value_loc(self, key: str) -> Location:
        v = self.node.values.get(key)
        return v.loc if v is not None else self.loc

    def _get(self, key: str, required: bool, want: ValueType, conv: Callable[..., T | None],
             *args: object) -> T | None:
        self._declared(key, want)
        node = self.raw(key, required)
        if node is None:
            return None
        value = conv(node, *args, self.diags, f"{self.what}: {key}")
        if value is None:
            self.failed.add(key)
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        return self._get(key, required, TEXT, to_str)

    def integer(self, key: str, required: bool = False) -> int | None:
        return self._get(key, required, INTEGER, to_int)

    def decimal(self, key: str, required: bool = False) -> Decimal | None:
        return self._get(key, required, DECIMAL, to_decimal)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False, BOOL, to_bool)
        return default if value is None else value

    def date(self, key: str, required: bool = False) -> dt.date | None:
        return self._get(key, required, DATE, to_date)

    def months(self, key: str, required: bool = False) -> int | None:
        return self._get(key, required, PERIOD, to_months)

    def enum(self, key: str, choices: Iterable[str], required: bool = False) -> str | None:
        options = list(choices)
        declared = self._declared(key, Choice) if self.shape is not None else Choice(tuple(options))
        if not isinstance(declared, Choice) or list(declared.choices) != options:
            raise UndeclaredKey(f'the loader reads "{key}" of a {self._name} as one of {options}, '
                                f"but shapes.py declares {declared}")
        return self._get(key, required, declared, to_enum, options)

    def str_list(self, key: str) -> list[tuple[str, Location]]:
        declared = self._declared(key, ListOf) if self.shape is not None else ListOf(TEXT)
        if not (isinstance(declared, ListOf) and _reads(declared.item, TEXT) is not None):
            raise UndeclaredKey(f'the loader reads "{key}" of a {self._name} as a list of texts, '
                                f"but shapes.py declares {declared}")
        node = self.raw(key)
        return [] if node is None else to_str_list(node, self.diags, f"{self.what}: {key}")

    def mapping(self, key: str, required: bool = False) -> MapReader | None:
        declared = self._declared(key, MapOf) if self.shape is not None else None
        node = self.raw(key, required)
        if node is None:
            return None
        shape = shape_named(declared.shape) if isinstance(declared, MapOf) else None
        sub = MapReader(node, self.diags, f"{self.what}: {key}", shape)
        if not sub.ok:
            self.failed.add(key)
        return sub

    def seq(self, key: str, required: bool = False) -> list[YNode]:
        self._declared(key, ListOf)
        node = self.raw(key, required)
        if node is None:
            return []
        if not isinstance(node, YSeq):
            self.diags.error(node.loc, f"{self.what}: {key}: expected a list, got {describe(node)}")
            self.failed.add(key)
            return []
        return list(node.items)

    def items(self) -> Iterator[tuple[str, YNode]]:
        """All key/value pairs, for free-form mappings (marks every key as known)."""
        if self.shape is not None and self.shape.extra is None:
            raise UndeclaredKey(f"the loader reads every key of a {self.shape.name}, which shapes.py declares "
                                "with fixed keys")
        for key, value in self.node.values.items():
            self._asked.add(key)
            yield key, value

    def finish(self) -> None:
        """Report every key the shape does not declare, and each declared key that does not apply here
        (its condition key has a valid value, not one it applies to). A declared key the loader did not
        read for another reason (an earlier error) says nothing more."""
        for key, key_node in self.node.keys.items():
            if key in self._asked:
                continue
            if self.shape is None:
                self.diags.error(key_node.loc, f'{self.what}: unknown key "{key}"',
                                 did_you_mean(key, sorted(self._asked)))
                continue
            declared = self.shape.key(key)
            if declared is None and self.shape.extra is None:
                self.diags.error(key_node.loc, f'{self.what}: unknown key "{key}"',
                                 did_you_mean(key, self.shape.names()))
            elif declared is not None and declared.only is not None and self._excluded(declared.only.key,
                                                                                        declared.only.values):
                self.diags.error(key_node.loc, f'{self.what}: key "{key}" applies only to {declared.only.said}',
                                 f"remove it, or change {declared.only.key}:")

    def _excluded(self, key: str, values: tuple[str, ...]) -> bool:
        """Whether `key` holds a valid value that is not one of `values`."""
        given = self.node.values.get(key)
        declared = self.shape.type_of(key) if self.shape is not None else None
        return (isinstance(given, YScalar) and isinstance(declared, Choice) and given.text in declared.choices
                and given.text not in values)
