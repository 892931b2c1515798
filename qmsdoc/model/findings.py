"""Findings: what the checker reports, one type for every rule and every output format."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from qmsdoc.model.rules import Citation, Severity

OUTCOMES = ("fail", "missing", "unreadable", "impossible", "future", "cannot_evaluate", "unreadable_record")
"""Why a rule did not pass: the requirement is not met (`fail`); a value it needs is absent
(`missing`), cannot be read (`unreadable`), is not a real date (`impossible`) or lies after
the audit date (`future`); the rule cannot be decided (`cannot_evaluate`, e.g. a working-day
deadline in a year the holiday calendar does not cover); or the whole record file could not
be read (`unreadable_record`)."""


class RecordRef(NamedTuple):
    """Which record a finding is about: its file, line or row, form, revision and number.

    A named tuple: there is one per record checked, and they travel between processes.
    """

    source: str
    location: str = ""
    form: str | None = None
    revision: str | None = None
    record_id: str | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.location}" if self.location else self.source


@dataclass(frozen=True, slots=True)
class Finding:
    """One nonconformity (or one thing that could not be decided), traceable to its clause."""

    rule: str
    title: str
    severity: Severity
    outcome: str
    criterion: Citation
    record: RecordRef
    fields: tuple[str, ...]
    values: dict[str, str]
    expected: str | None
    message: str
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", finding_id(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Finding, (self.rule, self.title, self.severity, self.outcome, self.criterion, self.record,
                          self.fields, self.values, self.expected, self.message, self.id))

    def sort_key(self) -> tuple[str, ...]:
        return (self.record.source, self.record.location.rjust(8), self.rule, ",".join(self.fields), self.id)


def finding_id(f: Finding) -> str:
    """Stable across runs: the same record, rule, fields and outcome give the same id."""
    key = "\x1f".join((f.rule, f.record.source, f.record.location, f.record.record_id or "",
                       ",".join(f.fields), f.outcome, f.expected or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Report:
    """One run of the checker: when, over what, and everything it found."""

    as_of: dt.date
    root: str
    sources: int
    records: int
    rules: int
    findings: tuple[Finding, ...]
    rule_titles: dict[str, str] = field(default_factory=dict)
    checked: tuple[tuple[RecordRef, tuple[str, ...]], ...] = ()
    """Every record read and the codes of the rules that applied to it (for JUnit)."""

    def count_by_severity(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def count_by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        return dict(sorted(counts.items()))

    def at_or_above(self, level: Severity) -> int:
        return sum(1 for f in self.findings if f.severity.rank >= level.rank)
