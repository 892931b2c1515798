"""Controlled documents: procedures and forms, with approvals and revision history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from qmsdoc.errors import NOWHERE, Location
from qmsdoc.model.body import Block, Clause

STATUSES = ("draft", "approved", "effective", "obsolete")
"""Lifecycle states a source may declare (a revision becomes superseded when a newer one takes effect)."""


@dataclass(frozen=True)
class Signoff:
    """A person's name and the date they signed (编制 / 审核 / 批准)."""

    name: str
    date: dt.date


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the revision history (修订记录)."""

    revision: str
    date: dt.date
    by: str
    description: str


@dataclass(frozen=True)
class ListNumbering:
    """The numbering formats a procedure chose, per heading level and per list depth."""

    headings: tuple[str, ...] = ()
    lists: tuple[str, ...] = ("arabic-dot",)

    def heading_format(self, level: int) -> str | None:
        if not self.headings:
            return None
        return self.headings[min(level, len(self.headings)) - 1]

    def list_format(self, depth: int) -> str:
        return self.lists[min(depth, len(self.lists)) - 1]


ParamValue = int | Decimal | str


@dataclass(frozen=True)
class Procedure:
    """A controlled procedure: front matter, parsed body and its addressable clauses."""

    id: str
    title: str
    revision: str
    status: str
    owner: str
    prepared: Signoff | None
    reviewed: Signoff | None
    approved: Signoff | None
    effective: dt.date | None
    review_months: int | None
    numbering: ListNumbering
    history: tuple[HistoryEntry, ...]
    forms: tuple[str, ...]
    related: tuple[str, ...]
    params: dict[str, ParamValue]
    body: tuple[Block, ...]
    clauses: dict[str, Clause]
    path: str
    digest: str
    locs: dict[str, Location] = field(default_factory=dict, compare=False)
    inputs: dict[str, Any] = field(default_factory=dict, compare=False)
    """What its body's template read from outside its source (site settings), by input key
    (see `qmsdoc.model.inputs`)."""

    kind = "procedure"


ORIENTATIONS = ("auto", "portrait", "landscape")


class FieldType(str, Enum):
    """The kinds of entry on a form."""

    TEXT = "text"
    MULTILINE = "multiline"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    CHECKBOX = "checkbox"
    PERSON = "person"
    SIGNATURE = "signature"
    TABLE = "table"


SIGNATURE_MEANINGS = ("prepared", "reviewed", "approved", "received", "agreed", "confirmed")
DATE_TYPES = (FieldType.DATE, FieldType.DATETIME)
"""The field types that hold a date (a signature holds one too, as its date part)."""


@dataclass(frozen=True)
class Option:
    """A choice: the value stored in records and the label shown on the form."""

    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One entry on a form; `columns` only for tables."""

    id: str
    label: str
    type: FieldType
    required: bool = False
    help: str | None = None
    width: str = "half"
    options: tuple[Option, ...] = ()
    role: str | None = None
    meaning: str | None = None
    columns: tuple[Field, ...] = ()
    min_rows: int = 0
    max_rows: int | None = None
    rows: int = 0
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str | None = None
    loc: Location = NOWHERE
    planned: bool = False
    """A date or date-time that is planned, not done (a deadline, a due date, a planned delivery): it may
    lie after the audit date, and it never dates a record. Other dates record what has happened."""
    single_box: bool = False
    """A yes/no entry printed as one box (□是) rather than □是 □否: unticked reads as no."""

    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class Section:
    """A titled block of fields on a form."""

    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Form:
    """A controlled form: its definition drives the blank form, extraction and checks."""

    id: str
    title: str
    revision: str
    status: str
    effective: dt.date | None
    procedure: str
    clause: str
    retention_months: int | None  # None: permanent
    copies: int
    instructions: str | None
    history: tuple[HistoryEntry, ...]
    sections: tuple[Section, ...]
    path: str
    digest: str
    locs: dict[str, Location] = field(default_factory=dict, compare=False)
    dated_by: str | None = None
    """The field whose date is the record's date (a date, date-time or signature field); None: the
    first date or date-time field that is not planned. See `dating_fields` for what dates a record
    when that field is blank."""
    prepared: Signoff | None = None
    reviewed: Signoff | None = None
    approved: Signoff | None = None
    """编制 / 审核 / 批准 of the form definition: optional, required to release it."""
    orientation: str = "auto"
    """How the blank form is laid on the paper: auto (landscape when a repeating table is too wide
    for portrait), portrait (its tables narrowed to fit) or landscape."""
    inputs: dict[str, Any] = field(default_factory=dict, compare=False)
    """What its instructions' template read from outside its source (the owning procedure's
    params, site settings), by input key (see `qmsdoc.model.inputs`)."""

    kind = "form"

    def fields(self) -> dict[str, Field]:
        """All top-level fields by id, in form order (worked out once; do not modify)."""
        cached = self.__dict__.get("_fields")
        if cached is None:
            cached = {f.id: f for s in self.sections for f in s.fields}
            self.__dict__["_fields"] = cached
        return cached

    def dating_fields(self) -> tuple[Field, ...]:
        """The fields that may date a filled record, in the order they are tried (the first filled one
        dates it): `dated_by`, else the first date or date-time field that is not planned; then the
        signatures, in form order; then the other date and date-time fields that are not planned, in
        form order. Planned dates and table columns never date a record."""
        cached = self.__dict__.get("_dating")
        if cached is None:
            fields = self.fields()
            done = [f for f in fields.values() if f.type in DATE_TYPES and not f.planned]
            first = fields.get(self.dated_by) if self.dated_by is not None else (done[0] if done else None)
            signatures = [f for f in fields.values() if f.type == FieldType.SIGNATURE]
            ordered = ([first] if first is not None else []) + signatures + done
            once: dict[str, Field] = {}
            for f in ordered:
                once.setdefault(f.id, f)
            cached = tuple(once.values())
            self.__dict__["_dating"] = cached
        return cached
