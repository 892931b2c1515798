"""Submitted records: the typed values read from a filled form or an export row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """A value that was present but could not be read as its field's type."""

    field: str
    found: str
    message: str
    kind: str = "unreadable"  # or "impossible": well written, but no such day or time
    key: str = ""  # the reason's label (reason_<key>), for reports in the site's language
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Record:
    """One filled record: which form and revision, where it came from, and its field values.

    Values are typed as the form defines them: `datetime.date`, timezone-aware
    `datetime.datetime`, `Decimal`, `bool`, option values, `{"name", "date"}` for
    signatures, lists of row dicts for tables, and None for anything left empty.
    The readers collect fields, problems and notes first and make the Record once.
    """

    form: str
    revision: str
    source: str
    fields: dict[str, Any]
    problems: tuple[FieldProblem, ...] = ()
    location: str = ""  # line or row inside the source, for exports
    notes: tuple[str, ...] = ()
    record_id: str | None = None  # the export's own id, if it gives one

    @property
    def where(self) -> str:
        return f"{self.source}:{self.location}" if self.location else self.source


class RecordError(Exception):
    """A submitted file (or one record of an export) that cannot be read at all."""

    def __init__(self, source: str, message: str, location: str = "", form: str | None = None, *,
                 key: str = "", **params: object):
        self.source = source
        self.message = message
        self.location = location
        self.form = form
        self.key = key  # the reason's label (reason_<key>), for reports in the site's language
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(f"{source}:{location}: {message}" if location else f"{source}: {message}")
