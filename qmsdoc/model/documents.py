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
    """The field whose date is the record's date (a date, date-time or signature field); None:
    the earliest signature date on the record, else its first date field."""
    prepared: Signoff | None = None
    reviewed: Signoff | None = None
    approved: Signoff | None = None
    """编制 / 审核 / 批准 of the form definition: optional, required to release it."""
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
