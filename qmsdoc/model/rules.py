"""Compliance rules (rules/*.yaml), loaded, type-checked against their forms and compiled.

A rule says what a filled record must show, which form(s) it applies to and which
procedure clause requires it. Each rule has exactly one *kind* (`spec`); the checker
turns kinds into findings. Field references and expressions are resolved when the
rules load, so a rule that loads can always be evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from qmsdoc.errors import NOWHERE, Location


class Severity(str, Enum):
    """How serious a nonconformity is; `rank` orders them for --fail-on."""

    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"

    @property
    def rank(self) -> int:
        return _RANKS[self._value_]  # the plain attribute: `value` goes through Enum's descriptor, per finding


_RANKS = {"major": 3, "minor": 2, "observation": 1}


class Citation(NamedTuple):
    """The criterion a rule comes from: a document, its revision and one of its clauses.

    `revision` is the revision of the procedure the rule was judged by (the one in force on the
    record's date); None for a criterion outside the document set, such as ISO 9001.
    """

    document: str
    clause: str
    title: str = ""
    revision: str | None = None

    @property
    def label(self) -> str:
        """`SJE/ZY/GK-09 A/0 第四条`: document, revision and clause, each when known."""
        return " ".join(part for part in (self.document, self.revision, self.clause) if part)


# -- values a rule reads ----------------------------------------------------------------


@dataclass(frozen=True)
class FieldRef:
    """A resolved reference to a value on a record: `returned_on`, `marketing_leader.date`,
    `staff.name` (a table column: every filled row), or `match.returned_on` (the matched record).

    `path` is the text as written in the rule; `field` the top-level field id; `part` the
    signature part (name/date) or table column; `type` what the reference yields.
    """

    path: str
    field: str
    part: str | None
    type: str
    label: str
    in_match: bool = False
    is_column: bool = False
    options: tuple[str, ...] = ()
    loc: Location = NOWHERE
    required: bool = False  # the form marks the field required
    planned: bool = False
    """A planned date (the form's `planned: true`): it may lie after the audit date."""

    def get(self, fields: dict[str, Any]) -> Any:
        """The value on one record's fields (for a column: the list of the rows' values)."""
        value = fields.get(self.field)
        if self.part is None or value is None:
            return value
        if self.is_column:
            return [row.get(self.part) for row in value]
        return value.get(self.part)


class Env:
    """What an expression sees at run time: one record's fields, its matched record, the audit date."""

    __slots__ = ("as_of", "fields", "match")

    def __init__(self, fields: dict[str, Any], match: dict[str, Any] | None, as_of: dt.date):
        self.fields = fields
        self.match = match
        self.as_of = as_of


class Failed:
    """The value of an expression that cannot be computed on a record, and why.

    An expression's `fn` gives a value, None when a value it needs is blank (unknown: which entries
    are blank is worked out from its `refs`), or a `Failed` when the computation itself has no
    answer: a division by zero, a date that does not exist (`date(2025, 2, 30)`), a result out of
    range, a time of day the record does not give (`DateOnly`). `key` names the reason in the
    label catalogue (`reason_<key>`), `params` fill it, `text` says it in English.
    """

    __slots__ = ("key", "params", "text")

    def __init__(self, key: str, text: str, **params: str):
        self.key = key
        self.text = text
        self.params = params

    def __repr__(self) -> str:
        return f"Failed({self.key}: {self.text})"


@dataclass(frozen=True)
class Expr:
    """A compiled expression of the rule language; `fn(env)` evaluates it: a value, None when a
    value it needs is blank, or a `Failed` when it cannot be computed (three-valued logic: both
    are unknown, see docs/rule-format.md)."""

    text: str
    type: str
    fn: Callable[[Env], Any]
    refs: tuple[FieldRef, ...]
    loc: Location


Amount = int | Expr
"""A count of days, hours, months or years: a literal, or an expression such as `params.copy_to_qm_days`."""


# -- rule kinds -------------------------------------------------------------------------

UNITS = ("calendar_days", "working_days", "hours", "months", "years")
"""Units of deadlines and lead times; months and years are counted as the PRC Civil Code does
(art. 201–203: the last day is the corresponding day of the last month, or that month's last day)."""
PERIODS = ("week", "month", "quarter", "half_year", "year")


class Spec:
    """What each kind's spec says about itself: the fields it reads and the expressions it evaluates."""

    def refs(self) -> tuple[FieldRef, ...]:
        """The fields the rule reads directly on its record (`in_match`: on the matched record).
        Fields read inside an expression are in that expression's `refs`."""
        return ()

    def exprs(self) -> tuple[Expr, ...]:
        """The expressions the rule evaluates."""
        return ()

    def claims(self) -> tuple[FieldRef, ...]:
        """The fields whose blank the kind reports itself (the form's required-entry check leaves them to it)."""
        return ()

    def other_forms(self) -> dict[str, tuple[FieldRef, ...]]:
        """Fields the rule reads on records of other forms than its own, by form id."""
        return {}


def _exprs(*items: Amount | None) -> tuple[Expr, ...]:
    """The expressions among amounts and optional expressions."""
    return tuple(item for item in items if isinstance(item, Expr))


@dataclass(frozen=True)
class Required(Spec):
    """Each field (or table column, in every filled row) has a value."""

    fields: tuple[FieldRef, ...]

    def refs(self) -> tuple[FieldRef, ...]:
        return self.fields

    def claims(self) -> tuple[FieldRef, ...]:
        return self.fields


@dataclass(frozen=True)
class Signatures(Spec):
    """Each signature has a name and a date; listed pairs are signed by different people."""

    fields: tuple[FieldRef, ...]
    distinct: tuple[tuple[FieldRef, FieldRef], ...] = ()

    def refs(self) -> tuple[FieldRef, ...]:
        return self.fields + tuple(ref for pair in self.distinct for ref in pair)

    def claims(self) -> tuple[FieldRef, ...]:
        return self.fields  # a blank in a distinct pair is not this kind's to report


@dataclass(frozen=True)
class Order(Spec):
    """Dates in sequence: each value is on or after (strict: after) the one before it."""

    fields: tuple[FieldRef, ...]
    strict: bool = False

    def refs(self) -> tuple[FieldRef, ...]:
        return self.fields


@dataclass(frozen=True)
class Deadline(Spec):
    """`end` happens within `within` `unit` of `start`, or by the fixed day `by`.

    Calendar days count from the day after `start`; the last day counts; months and years end on
    the corresponding day of the last month (its last day when it has none); with `roll` a last
    day (of calendar days, months or years) that is not a working day moves to the next working
    day. `inclusive: false` on a `by` deadline means strictly before that day. A blank `end` whose
    last day has not passed on the audit date is an open item, not a finding.
    """

    end: FieldRef
    start: FieldRef | None = None
    within: Amount | None = None
    unit: str = "calendar_days"
    roll: bool = True
    by: Expr | None = None
    inclusive: bool = True

    def refs(self) -> tuple[FieldRef, ...]:
        return (self.end,) if self.start is None else (self.end, self.start)

    def exprs(self) -> tuple[Expr, ...]:
        return _exprs(self.by, self.within)

    def claims(self) -> tuple[FieldRef, ...]:
        return self.refs()


@dataclass(frozen=True)
class LeadTime(Spec):
    """`notice` comes at least `at_least` `unit` before `event`. A blank notice is an open item while
    it can still be given in time, then a finding; the rule reports its blank itself."""

    notice: FieldRef
    event: FieldRef
    at_least: Amount
    unit: str = "hours"

    def refs(self) -> tuple[FieldRef, ...]:
        return (self.notice, self.event)

    def claims(self) -> tuple[FieldRef, ...]:
        return (self.notice,)  # a blank notice is open, overdue or missing: the rule says which

    def exprs(self) -> tuple[Expr, ...]:
        return _exprs(self.at_least)


@dataclass(frozen=True)
class Allowed(Spec):
    """A value (or every row's column value) is one of `values`, or none of `forbidden`."""

    field: FieldRef
    values: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()

    def refs(self) -> tuple[FieldRef, ...]:
        return (self.field,)


@dataclass(frozen=True)
class Limit(Spec):
    """A number within bounds: `min` ≤ value ≤ `max`, or value = `equals`."""

    value: Expr
    min: Expr | None = None
    max: Expr | None = None
    equals: Expr | None = None

    def exprs(self) -> tuple[Expr, ...]:
        return _exprs(self.value, self.min, self.max, self.equals)


@dataclass(frozen=True)
class Expect(Spec):
    """A free condition that must hold (when it can be evaluated)."""

    condition: Expr

    def exprs(self) -> tuple[Expr, ...]:
        return (self.condition,)


@dataclass(frozen=True)
class Frequency(Spec):
    """At least `at_least` records of the form dated in every whole `per` period audited."""

    date: FieldRef
    per: str
    at_least: Amount

    def refs(self) -> tuple[FieldRef, ...]:
        return (self.date,)

    def exprs(self) -> tuple[Expr, ...]:
        return _exprs(self.at_least)


@dataclass(frozen=True)
class Coverage(Spec):
    """Everyone (each `key`) seen on `population_form` in a period has a record of this form
    dated in the same period."""

    key: FieldRef
    date: FieldRef
    per: str
    population_form: str
    population_key: FieldRef
    population_date: FieldRef

    def refs(self) -> tuple[FieldRef, ...]:
        return (self.key, self.date)

    def other_forms(self) -> dict[str, tuple[FieldRef, ...]]:
        return {self.population_form: (self.population_key, self.population_date)}


@dataclass(frozen=True)
class Unique(Spec):
    """No two records of the form share the same values of `fields`."""

    fields: tuple[FieldRef, ...]

    def refs(self) -> tuple[FieldRef, ...]:
        return self.fields


@dataclass(frozen=True)
class Match:
    """Pairs each record with one record of `form` whose `theirs` values equal our `ours`."""

    form: str
    ours: tuple[FieldRef, ...]
    theirs: tuple[FieldRef, ...]
    required: bool = True


RuleSpec = (Required | Signatures | Order | Deadline | LeadTime | Allowed | Limit | Expect
            | Frequency | Coverage | Unique)


@dataclass(frozen=True)
class Revisions:
    """Which revisions of its procedure a rule applies to: the `listed` ones (`revisions: [A/0, A/1]`),
    `start` and every later one in the procedure's revision order (`from_revision: B/0`), or, with
    neither, every revision. The locations are where each name is written, for lint."""

    listed: tuple[str, ...] = ()
    start: str | None = None
    listed_locs: tuple[Location, ...] = field(default=(), compare=False)
    start_loc: Location = field(default=NOWHERE, compare=False)

    @property
    def named(self) -> tuple[tuple[str, Location], ...]:
        """Every revision the rule names, with where it is written."""
        if self.start is not None:
            return ((self.start, self.start_loc),)
        return tuple(zip(self.listed, self.listed_locs, strict=True))

    def applies(self, revision: str, order: Sequence[str]) -> bool:
        """Whether the rule applies to `revision`; `order` is the procedure's revisions, oldest first.
        A `start` that is not in `order` applies to none (lint reports the name)."""
        if self.listed:
            return revision in self.listed
        if self.start is None:
            return True
        if self.start not in order or revision not in order:
            return False
        return order.index(revision) >= order.index(self.start)

    def describe(self) -> str:
        """The scope as the rule writes it: `revisions: [A/0, A/1]`, `from_revision: B/0`, or nothing."""
        if self.listed:
            return f"revisions: [{', '.join(self.listed)}]"
        return f"from_revision: {self.start}" if self.start is not None else ""

RECORD_KINDS = ("required", "signatures", "order", "deadline", "lead_time", "allowed", "limit", "expect")
SET_KINDS = ("frequency", "coverage", "unique")
KINDS = RECORD_KINDS + SET_KINDS


@dataclass(frozen=True)
class Rule:
    """One checkable requirement, tied to its clause."""

    code: str
    title: str
    forms: tuple[str, ...]
    citation: Citation
    severity: Severity
    kind: str
    spec: RuleSpec
    when: Expr | None = None
    match: Match | None = None
    message: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False)
    path: str = ""
    loc: Location = NOWHERE
    revisions: Revisions = field(default_factory=Revisions)
    """The revisions of its procedure the rule applies to; `citation.revision` is the one it was compiled for."""

    @property
    def is_set_rule(self) -> bool:
        """Rules that need the whole set of records, not one record at a time."""
        return self.kind in SET_KINDS or self.match is not None
