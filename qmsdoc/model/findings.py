"""Findings: what the checker reports, one type for every rule and every output format."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from qmsdoc.model.audit import AuditPlan
from qmsdoc.model.labels import Labels
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.model.value_class import value_class

OUTCOMES = ("fail", "missing", "unreadable", "impossible", "future", "cannot_evaluate", "unreadable_record",
            "open")
"""What a rule (or built-in check) reports about a record.

Nonconformities, the findings an auditor signs: the requirement is not met (`fail`); a value it
needs is absent (`missing`), cannot be read (`unreadable`), is not a real date (`impossible`) or
lies after the audit date (`future`); the whole record file could not be read
(`unreadable_record`).

Besides them, two outcomes that are not nonconformities and are counted apart:
`cannot_evaluate`, the rule cannot decide on this record (a computation without an answer, a
time of day not recorded, a year the holiday calendar does not cover): unknown is never a pass,
so it is reported, with the reason; and `open`, a deadline still running on the audit date (its
start is recorded, its completion not yet, its last day is on or after the audit date): an open
item with its due date (`Finding.due`), which becomes a `fail` once the last day has passed."""

UNDECIDED = "cannot_evaluate"
OPEN = "open"
NOT_NONCONFORMITIES = frozenset((UNDECIDED, OPEN))
"""The outcomes that are not nonconformities: they have counts of their own in every report."""


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


@value_class  # frozen for the type checker; see model/value_class.py
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
    due: dt.date | None = None
    """The last day of the deadline the finding is about (an `open` item, an overdue or late one);
    None for every other finding. With an hours deadline, the day of its last hour."""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", finding_id(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Finding, (self.rule, self.title, self.severity, self.outcome, self.criterion, self.record,
                          self.fields, self.values, self.expected, self.message, self.id, self.due))

    @property
    def is_nonconformity(self) -> bool:
        """A finding the auditor signs as not conforming: not an open item, not an undecided rule."""
        return self.outcome not in NOT_NONCONFORMITIES

    def sort_key(self) -> tuple[str, ...]:
        return (self.record.source, self.record.location.rjust(8), self.rule, ",".join(self.fields), self.id)


def finding_id(f: Finding) -> str:
    """Stable across runs: the same record, rule, fields and outcome give the same id."""
    key = "\x1f".join((f.rule, f.record.source, f.record.location, f.record.record_id or "",
                       ",".join(f.fields), f.outcome, f.expected or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Report:
    """One run of the checker: when, over what, and everything it found.

    `findings` holds everything reported, in order: nonconformities, rules that could not be
    evaluated (`cannot_evaluate`) and open items (`open`, each with its `due` date). The counts keep
    them apart: `count_by_severity`, `count_by_rule` and `at_or_above` (which `--fail-on` and the exit
    code use) count the nonconformities and the undecided rules, never open items; every report
    format shows the undecided and the open items with counts of their own. `open_items()` lists
    the open items by due date (what a `qmsdoc due` listing shows).
    """

    as_of: dt.date
    root: str
    sources: int
    records: int
    rules: int
    findings: tuple[Finding, ...]
    rule_titles: dict[str, str] = field(default_factory=dict)
    checked: Sequence[tuple[RecordRef, tuple[str, ...]]] = ()
    """Every record read and the codes of the rules that applied to it (for JUnit); a run keeps them compactly
    (`qmsdoc.checker.checked.CheckedRecords`, equal to the tuple of the same pairs)."""
    plan: AuditPlan | None = field(default=None, compare=False)
    """The audit the report is for (`check --plan`, `--auditor`, `--auditee`): what the reports for people
    (Word, HTML, spreadsheets) print on their cover. Machine formats leave it out."""

    @property
    def nonconformities(self) -> tuple[Finding, ...]:
        """The findings that are nonconformities, in order."""
        return tuple(f for f in self.findings if f.outcome not in NOT_NONCONFORMITIES)

    @property
    def undecided(self) -> tuple[Finding, ...]:
        """The rules that could not be evaluated on a record or the set (`cannot_evaluate`), in order."""
        return tuple(f for f in self.findings if f.outcome == UNDECIDED)

    def open_items(self) -> tuple[Finding, ...]:
        """The open items, the soonest due first (then in report order)."""
        items = [f for f in self.findings if f.outcome == OPEN]
        return tuple(sorted(items, key=lambda f: f.due or dt.date.max))

    def count_by_severity(self) -> dict[str, int]:
        """Nonconformities by severity (not undecided rules, not open items)."""
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            if f.outcome not in NOT_NONCONFORMITIES:
                counts[f.severity.value] += 1
        return counts

    def count_by_outcome(self) -> dict[str, int]:
        """How many nonconformities (`findings`), undecided rules (`cannot_evaluate`) and open items (`open`)."""
        undecided = sum(1 for f in self.findings if f.outcome == UNDECIDED)
        open_ = sum(1 for f in self.findings if f.outcome == OPEN)
        return {"findings": len(self.findings) - undecided - open_, UNDECIDED: undecided, OPEN: open_}

    def count_by_rule(self) -> dict[str, int]:
        """Per rule, its nonconformities and undecided records (not its open items)."""
        counts: dict[str, int] = {}
        for f in self.findings:
            if f.outcome != OPEN:
                counts[f.rule] = counts.get(f.rule, 0) + 1
        return dict(sorted(counts.items()))

    def at_or_above(self, level: Severity) -> int:
        """What fails a run at `--fail-on level`: nonconformities and undecided rules at or above it
        (unknown is never a pass); open items never do."""
        return sum(1 for f in self.findings if f.outcome != OPEN and f.severity.rank >= level.rank)


SIGNED_SUFFIXES = ("签字", "签名")
"""What a Chinese signature label may already end with (申请人签字): not written twice (申请人签字日期)."""


def signature_part_label(label: str, part: str, labels: Labels) -> str:
    """How a report names the name or the date of a signature: `经办人` → 经办人签字日期, 经办人签名
    (`audit_sig_date`, `audit_sig_name` in the catalogue)."""
    base = label
    if labels.language.startswith("zh") and label.endswith(SIGNED_SUFFIXES) and len(label) > 2:
        base = label[:-2]
    return labels.format("audit_sig_date" if part == "date" else "audit_sig_name", field=base)
