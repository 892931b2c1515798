"""Typing the values of a record by its form's definition, wherever the record came from.

Filled .docx forms give text; exports give text, numbers, booleans, mappings (signatures)
and lists (tables, multiple choices). Both end up as the same typed values (see
`qmsdoc.model.records.Record`), and every value that cannot be read becomes a
`FieldProblem` naming the field, what was found and why, never an exception. Values are
bounded as they are read (years, a number's digits and power of ten: `qmsdoc.model.limits`),
and a record keeps at most `findings_per_record` problems; the others are only counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.limits import DEFAULT_LIMITS, Limits
from qmsdoc.model.records import FieldProblem
from qmsdoc.records.values import (
    RefusedValue,
    ValueError_,
    bounded_number,
    parse_date,
    parse_datetime,
    parse_number,
)

CHECKED_MARKS = ("\u2612", "\u2611", "\u25a0", "\u2714", "\u2713", "X", "x")
TRUE_WORDS = frozenset(("true", "yes", "y", "1", "是", "√", "on", *CHECKED_MARKS))
FALSE_WORDS = frozenset(("false", "no", "n", "0", "否", "", "off", "\u2610", "\u25a1"))
MULTI_SEPARATORS = (";", "；", "、", ",", "，", "|")
BLANK = " \u3000\t\n\xa0"
_TEXT, _DATE, _CHOICE, _BOOL, _NUMBER = 1, 2, 3, 4, 5
_FAST = {FieldType.TEXT: _TEXT, FieldType.MULTILINE: _TEXT, FieldType.PERSON: _TEXT, FieldType.DATE: _DATE,
         FieldType.CHOICE: _CHOICE, FieldType.CHECKBOX: _BOOL, FieldType.NUMBER: _NUMBER, FieldType.MONEY: _NUMBER}
MORE = "more"
"""The kind of the one FieldProblem that counts a record's problems past `findings_per_record`."""


class Problems(list[FieldProblem]):
    """The problems of one record: the first `cap` are kept, the others only counted (`more`)."""

    def __init__(self, cap: int):
        super().__init__()
        self.cap = cap
        self.more = 0

    def append(self, problem: FieldProblem, /) -> None:
        if len(self) < self.cap:
            super().append(problem)
        else:
            self.more += 1

    def result(self) -> tuple[FieldProblem, ...]:
        """The problems kept, then one of kind MORE that counts the others, if there were any."""
        if not self.more:
            return tuple(self)
        return (*self, FieldProblem("", "", f"and {self.more} more values that cannot be read", MORE,
                                    "more_problems", (("count", str(self.more)),)))


def from_text(f: Field, kind: FieldType, text: str, tz: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """One written value → its typed value, within `limits`; raises ValueError_ (or ImpossibleValue) with
    the reason."""
    if kind == FieldType.DATE:
        return parse_date(text, limits)
    if kind == FieldType.DATETIME:
        return parse_datetime(text, tz, limits)
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        return parse_number(text, limits)
    if kind == FieldType.CHOICE:
        for option in f.options:
            if text == option.value or text == option.label:
                return option.value
        options = ", ".join(o.label for o in f.options)
        raise ValueError_(f'"{text}" is not one of the options ({options})', "not_an_option", options=options)
    if kind == FieldType.CHECKBOX:
        word = text.strip(BLANK).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError_(f'"{text}" is not a yes/no value (write true or false)', "not_yes_no")
    return text


class Coercer:
    """Types the raw fields of an export record (JSON, YAML, CSV) for one form.

    One converter per field is chosen once, with a fast path for the common, well-formed
    value (ISO dates within the bounded years, plain text, integers) and the general readers
    for everything else. Integers come bounded from the reader that made them (JSON's hook).
    """

    def __init__(self, form: Form, tz: str, limits: Limits = DEFAULT_LIMITS):
        self.form = form
        self.tz = tz
        self.limits = limits
        self.years = (limits.year_min, limits.year_max)
        self.fields = form.fields()
        self.known = frozenset(self.fields)
        self.plan = self._plan(self.fields.values())
        self.columns = {fid: self._plan(f.columns) for fid, f in self.fields.items() if f.type == FieldType.TABLE}
        self.column_ids = {fid: frozenset(c.id for c in f.columns) for fid, f in self.fields.items()
                           if f.type == FieldType.TABLE}
        self._typed = compile_fill(self.plan, self.years)
        every = [*self.fields.values(), *(c for f in self.fields.values() for c in f.columns)]
        self._options = {id(f): _option_lookup(f) for f in every if f.type == FieldType.MULTICHOICE}
        """Each multiple choice's (a table column's too) `_option_lookup`, by the identity of its Field."""
        self._rows = {fid: compile_fill(plan, self.years) for fid, plan in self.columns.items()}

    def _plan(self, fields: Any) -> tuple[tuple[str, Field, Any, int, frozenset[str]], ...]:
        return tuple((f.id, f, self._converter(f), _FAST.get(f.type, 0), frozenset(f.option_values()))
                     for f in fields)

    def read(self, raw: dict[str, Any], problems: list[FieldProblem]) -> dict[str, Any]:
        """The typed fields of `raw`; unknown keys and unreadable values are added to `problems`."""
        if not self.known.issuperset(raw):
            for key in raw:
                if key not in self.known:
                    problems.append(FieldProblem(key, show(raw[key]), f'{self.form.id} has no field "{key}"',
                                                 key="unknown_field", params=(("form", self.form.id),)))
        return self._typed(raw, "", problems)

    def _fill(self, plan: tuple[tuple[str, Field, Any, int, frozenset[str]], ...], raw: dict[str, Any],
              out: dict[str, Any], prefix: str, problems: list[FieldProblem]) -> None:
        """Type each planned field of `raw` into `out`; the common well-formed values take a fast path."""
        get = raw.get
        first, last = self.years
        for fid, f, convert, fast, options in plan:
            value = get(fid)
            kind = type(value)
            if value is None:
                out[fid] = False if fast == _BOOL else None
            elif kind is str and fast == _TEXT:
                out[fid] = value.strip(BLANK) or None
            elif kind is str and fast == _DATE and len(value) == 10 and value[4] == "-":
                try:
                    day = dt.date.fromisoformat(value)
                except ValueError:
                    day = None
                out[fid] = day if day is not None and first <= day.year <= last else \
                    convert(f, value, prefix + fid, problems)
            elif (kind is str and fast == _CHOICE and value in options) or (kind is bool and fast == _BOOL):
                out[fid] = value
            elif kind is int and fast == _NUMBER:
                out[fid] = Decimal(value)
            else:
                out[fid] = convert(f, value, prefix + fid, problems)

    def _converter(self, f: Field) -> Any:
        kind = f.type
        if kind in (FieldType.TEXT, FieldType.MULTILINE, FieldType.PERSON):
            return self._text
        if kind == FieldType.DATE:
            return self._date
        if kind in (FieldType.NUMBER, FieldType.MONEY):
            return self._number
        if kind == FieldType.SIGNATURE:
            return self._signature
        if kind == FieldType.TABLE:
            return self._table
        if kind == FieldType.MULTICHOICE:
            return self._multi
        return lambda f, raw, tag, problems: self.scalar(f, f.type, raw, tag, problems)

    def _text(self, f: Field, raw: Any, tag: str, problems: list[FieldProblem]) -> Any:
        if type(raw) is str:
            return raw.strip(BLANK) or None
        return self.scalar(f, f.type, raw, tag, problems)

    def _date(self, f: Field, raw: Any, tag: str, problems: list[FieldProblem]) -> Any:
        if type(raw) is str and len(raw) == 10:
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                pass
            else:
                if self.years[0] <= day.year <= self.years[1]:
                    return day
        return self.scalar(f, FieldType.DATE, raw, tag, problems)

    def _number(self, f: Field, raw: Any, tag: str, problems: list[FieldProblem]) -> Any:
        if type(raw) is int:
            return Decimal(raw)
        return self.scalar(f, f.type, raw, tag, problems)

    def value(self, f: Field, raw: Any, tag: str, problems: list[FieldProblem]) -> Any:
        if f.type == FieldType.SIGNATURE:
            return self._signature(f, raw, tag, problems)
        if f.type == FieldType.TABLE:
            return self._table(f, raw, tag, problems)
        if f.type == FieldType.MULTICHOICE:
            return self._multi(f, raw, tag, problems)
        return self.scalar(f, f.type, raw, tag, problems)

    def scalar(self, f: Field, kind: FieldType, raw: Any, tag: str, problems: list[FieldProblem]) -> Any:
        if raw is None:
            return False if kind == FieldType.CHECKBOX else None
        try:
            if type(raw) is RefusedValue:
                raise raw.error
            if isinstance(raw, bool):
                if kind == FieldType.CHECKBOX:
                    return raw
                raise ValueError_(f"true/false is not a {kind.value} value", "wrong_type")
            if isinstance(raw, (int, float, Decimal)):
                if kind in (FieldType.NUMBER, FieldType.MONEY):
                    return _number(raw, self.limits)
                if kind in (FieldType.TEXT, FieldType.MULTILINE, FieldType.PERSON):
                    return str(raw)
                raise ValueError_(f"the number {raw} is not a {kind.value} value", "wrong_type")
            if not isinstance(raw, str):
                raise ValueError_(f"a {type(raw).__name__} is not a {kind.value} value", "wrong_type")
            text = raw.strip(BLANK)
            if not text:
                return False if kind == FieldType.CHECKBOX else None
            return from_text(f, kind, text, self.tz, limits=self.limits)
        except ValueError_ as exc:
            problems.append(FieldProblem(tag, show(raw), str(exc), exc.kind, exc.key, exc.params))
            return None

    def _signature(self, f: Field, raw: Any, tag: str, problems: list[FieldProblem]) -> dict[str, Any] | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, dict):
            problems.append(FieldProblem(tag, show(raw), "a signature needs a name and a date "
                                         "({name: …, date: …})", key="signature_shape"))
            return None
        extra = set(raw) - {"name", "date"}
        if extra:
            problems.append(FieldProblem(tag, show(raw), f"a signature has name and date, not {sorted(extra)}",
                                         key="signature_shape"))
        name, date = raw.get("name"), raw.get("date")
        name = self._text(f, name, f"{tag}.name", problems) if type(name) is str else \
            self.scalar(f, FieldType.PERSON, name, f"{tag}.name", problems)
        date = self._date(f, date, f"{tag}.date", problems) if date is not None else None
        return None if name is None and date is None else {"name": name, "date": date}

    def _table(self, f: Field, raw: Any, tag: str, problems: list[FieldProblem]) -> list[dict[str, Any]] | None:
        if raw is None or raw == "" or raw == []:
            return None
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            problems.append(FieldProblem(tag, show(raw), "a table is a list of rows ({column: value})",
                                         key="table_shape"))
            return None
        rows = []
        known, fill = self.column_ids[f.id], self._rows[f.id]
        for n, row in enumerate(raw, 1):
            if not known.issuperset(row):
                for key in row:
                    if key not in known:
                        problems.append(FieldProblem(f"{tag}.{n}.{key}", show(row[key]),
                                                     f'table {f.id} has no column "{key}"',
                                                     key="unknown_column"))
            typed = fill(row, f"{tag}.{n}.", problems)
            for v in typed.values():
                if v is not None and v is not False:  # a row with anything filled
                    rows.append(typed)
                    break
        return rows or None

    def _multi(self, f: Field, raw: Any, tag: str, problems: list[FieldProblem]) -> list[str] | None:
        if raw is None or raw == "" or raw == []:
            return None
        items = raw
        if isinstance(raw, str):
            items = [raw]
            for sep in MULTI_SEPARATORS:
                if sep in raw:
                    items = raw.split(sep)
                    break
        if not isinstance(items, list):
            problems.append(FieldProblem(tag, show(raw), "a multiple choice is a list of options",
                                         key="multichoice_shape"))
            return None
        chosen = []
        lookup = self._options.get(id(f)) or _option_lookup(f)
        for item in items:
            text = str(item).strip(BLANK)
            match = lookup.get(text)
            if match is None:
                options = ", ".join(o.label for o in f.options)
                problems.append(FieldProblem(tag, text, f'"{text}" is not one of the options ({options})',
                                             key="not_an_option", params=(("options", options),)))
            elif match not in chosen:
                chosen.append(match)
        return [o.value for o in f.options if o.value in chosen] or None


def _option_lookup(f: Field) -> dict[str, str]:
    """A multiple choice's option values by what may be written for them (the value or the label): the
    first option whose value or label it is."""
    lookup: dict[str, str] = {}
    for o in f.options:
        lookup.setdefault(o.value, o.value)
        lookup.setdefault(o.label, o.value)
    return lookup


def _number(raw: int | float | Decimal, limits: Limits) -> Decimal:
    """A number of an export as a Decimal: integers as they are, others within the bounds."""
    if isinstance(raw, int):
        return Decimal(raw)
    return bounded_number(str(raw), limits)


def show(raw: Any) -> str:
    """A raw value as a problem quotes it: at most 80 characters, however large or deep the value."""
    text = raw if isinstance(raw, str) else _brief(raw, 80)
    return text if len(text) <= 80 else text[:77] + "…"


def _brief(value: Any, room: int) -> str:
    """The value written out (numbers plainly, the rest as Python shows it), stopping once past
    `room` characters, so a huge or deeply nested value costs no more than the room."""
    if isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        text = "{" if isinstance(value, dict) else "["
        for key, item in items:
            if len(text) > room:
                return text
            text += (", " if len(text) > 1 else "") + (f"{_brief(key, room)}: " if key is not None else "")
            text += _brief(item, room - len(text))
        return text + ("}" if isinstance(value, dict) else "]")
    if isinstance(value, str):
        return repr(value[:room])
    return str(value) if isinstance(value, Decimal) else repr(value)


Fill = Callable[[dict[str, Any], str, list[FieldProblem]], dict[str, Any]]
"""A form's (or a table's) typing compiled: (raw values, tag prefix, problems) → typed values."""


def compile_fill(plan: tuple[tuple[str, Field, Any, int, frozenset[str]], ...], years: tuple[int, int]) -> Fill:
    """`Coercer._fill` for one plan as one generated function: the same fast paths in the same order,
    written out field by field, so typing a record costs no loop, no unpacking and no dispatch per
    field. Anything off a fast path goes to the field's converter, as in `_fill`; the tests hold the
    two to the same values and problems. The source is made from the plan alone (field ids only as
    string literals), never from a record."""
    names: dict[str, Any] = {"BLANK": BLANK, "fromiso": dt.date.fromisoformat, "Decimal": Decimal,
                             "FIRST": years[0], "LAST": years[1]}
    lines = ["def fill(raw, prefix, problems):", "    get = raw.get"]
    for i, (fid, f, convert, fast, options) in enumerate(plan):
        names[f"F{i}"], names[f"C{i}"], names[f"O{i}"] = f, convert, options
        key, out, other = repr(fid), f"x{i}", f"C{i}(F{i}, v, prefix + {fid!r}, problems)"
        lines.append(f"    v = get({key})")
        if fast == _DATE:
            lines += [f"    {out} = None",
                      "    if v is not None:",
                      "        if type(v) is str and len(v) == 10 and v[4] == '-':",
                      "            try:",
                      f"                {out} = fromiso(v)",
                      "            except ValueError:",
                      "                pass",
                      "            else:",
                      f"                if not FIRST <= {out}.year <= LAST:",
                      f"                    {out} = None",
                      f"        if {out} is None:",
                      f"            {out} = {other}"]
            continue
        if fast == 0 and f.type == FieldType.SIGNATURE:  # {name: text, date: ISO date}: the common signature
            lines += [f"    if v is None:\n        {out} = None",
                      "    elif (type(v) is dict and len(v) == 2 and type(n := v.get('name')) is str"
                      " and type(d := v.get('date')) is str and len(d) == 10 and d[4] == '-'):",
                      "        try:\n            y = fromiso(d)\n        except ValueError:\n            y = None",
                      "        if y is not None and FIRST <= y.year <= LAST:",
                      f"            {out} = {{'name': n.strip(BLANK) or None, 'date': y}}",
                      f"        else:\n            {out} = {other}",
                      f"    else:\n        {out} = {other}"]
            continue
        lines.append(f"    if v is None:\n        {out} = {'False' if fast == _BOOL else 'None'}")
        if fast == _TEXT:
            lines.append(f"    elif type(v) is str:\n        {out} = v.strip(BLANK) or None")
        elif fast == _CHOICE:
            lines.append(f"    elif type(v) is str and v in O{i}:\n        {out} = v")
        elif fast == _BOOL:
            lines.append(f"    elif type(v) is bool:\n        {out} = v")
        elif fast == _NUMBER:
            lines.append(f"    elif type(v) is int:\n        {out} = Decimal(v)")
        lines.append(f"    else:\n        {out} = {other}")
    lines.append("    return {" + ", ".join(f"{fid!r}: x{i}" for i, (fid, *_) in enumerate(plan)) + "}")
    exec(compile("\n".join(lines), "<qmsdoc typing>", "exec"), names)
    fill: Fill = names["fill"]
    return fill
