"""Submitted records: the typed values read from a filled form or an export row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from qmsdoc.model.value_class import value_class


class DateOnly(dt.date):
    """The value of a date-time entry that gives the day but not the time of day (`2025-11-10` where
    the form asks for a date and time).

    The reader keeps the precision it has: the day is known, the time is not, and no midnight is
    made up. It is a `datetime.date`, so whatever works by day (calendar-day deadlines, the record's
    date, `date(x)`, extract output as `2025-11-10`) takes it as it is; whatever needs the time of day
    (hours, comparisons with another date-time) is decided only when every time of that day
    (00:00–23:59 in the site's time zone) gives the same answer, and is *cannot evaluate* otherwise.
    """

    __slots__ = ()

    def as_date(self) -> dt.date:
        """The day as a plain date."""
        return dt.date(self.year, self.month, self.day)


def completions(value: dt.datetime | dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The first and last minute a date-time entry may stand for: the minute written (seconds dropped:
    date-times compare to the minute), or, for a `DateOnly`, 00:00 and 23:59 of its day in zone `tz`.
    A comparison or a count of hours holds for every completion when it holds for the right end of
    these (they are monotone in each value). Both are in UTC, so that hours are counted as time passes,
    across a change of clocks too."""
    if isinstance(value, dt.datetime):
        if value.second or value.microsecond:
            value = value.replace(second=0, microsecond=0)
        minute = value.astimezone(dt.UTC)
        return minute, minute
    first = dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    return first.astimezone(dt.UTC), first.replace(hour=23, minute=59).astimezone(dt.UTC)


@dataclass(frozen=True)
class FieldProblem:
    """A value that was present but could not be read as its field's type."""

    field: str
    found: str
    message: str
    kind: str = "unreadable"  # or "impossible": well written, but no such day or time
    key: str = ""  # the reason's label (reason_<key>), for reports in the site's language
    params: tuple[tuple[str, str], ...] = ()


@value_class  # frozen for the type checker; see model/value_class.py
class Record:
    """One filled record: which form and revision, where it came from, and its field values.

    Values are typed as the form defines them: `datetime.date`, timezone-aware
    `datetime.datetime` (or `DateOnly` for a date-time entry given as a date alone), `Decimal`,
    `bool`, option values, `{"name", "date"}` for signatures, lists of row dicts for tables, and
    None for anything left empty.
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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its values (a run sends the records its set rules need from the workers this way):
        the dataclass default looks its fields up again for every record."""
        return (Record, (self.form, self.revision, self.source, self.fields, self.problems, self.location,
                         self.notes, self.record_id))


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
